// Exit statuses of every ipcbox subcommand, and what a subcommand ends with. The command's own
// status passes through `run` unchanged, and a command killed by signal N gives 128 + N, as a shell
// reports it.
#pragma once

#include <utility>
#include <vector>

#include "base/error.hpp"

namespace ipcbox {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailed = 1,  // validate: a spec is invalid; ls: the namespace could not be listed;
                      // hook: the spec could not be applied (the runtime then stops the container)
    kExitUsage = 2,   // validate, ls: bad usage
    kExitLeaked = 123,       // leaks.fail: the command exited 0 but left IPC objects it created or
                             // changed (docs/leaks.md)
    kExitTimeout = 124,      // the command ran past sandbox.timeout; its whole tree was killed
    kExitSetupFailed = 125,  // run, probe, export: ipcbox failed (bad flag or spec, a setup
                             // step); the command never started (also: with leaks.fail, the leak
                             // check itself failed)
    kExitNotExecutable = 126,  // the command was found but could not be executed
    kExitNotFound = 127,       // the command was not found
};

// A failed step and the exit code it ends the subcommand with.
struct Failure {
    int exit_code = kExitSetupFailed;
    Error error;
};

// What a subcommand ends with: its exit code and what it has to say on stderr, in order.
// launcher/dispatch.cpp renders the messages, once; nothing below it prints an error.
struct Outcome {
    int exit_code = kExitOk;
    std::vector<Error> messages;

    static Outcome ok() { return {}; }
    static Outcome with(int exit_code, Error error) {
        Outcome o{exit_code, {}};
        o.messages.push_back(std::move(error));
        return o;
    }
    static Outcome of(Failure f) { return with(f.exit_code, std::move(f.error)); }
};

}  // namespace ipcbox
