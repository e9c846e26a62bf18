// Exit statuses of ipcbox itself. The command's own status passes through unchanged and a command
// killed by signal N gives 128 + N, as a shell reports it.
#pragma once

namespace ipcbox {

enum ExitCode : int {
    kExitTimeout = 124,        // the command ran past sandbox.timeout; its whole tree was killed
    kExitSetupFailed = 125,    // ipcbox failed (bad spec, setup step); the command never started
                               // (also: with leaks.fail, the leak check itself failed)
    kExitNotExecutable = 126,  // the command was found but could not be executed
    kExitNotFound = 127,       // the command was not found
    kExitLeaked = 123,         // leaks.fail: the command exited 0 but left IPC objects it
                               // created or changed (docs/leaks.md)
};

}  // namespace ipcbox
