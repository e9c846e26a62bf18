// The inside half of `ipcbox probe`. The host half makes one object per mechanism and describes
// them as Targets; ipcbox re-executes itself in the sandbox as `ipcbox __probe-inside <targets
// JSON>`, which tries to reach each one and prints one Attempt per mechanism as JSON on stdout.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace ipcbox::launcher::probe {

struct SysvTarget {
    key_t key = 0;
    int id = -1;
};

// What to try. An absent (empty, nullopt, 0 or -1) field: the host has no such object, nothing
// is tried and no Attempt is reported for it.
struct Targets {
    std::optional<SysvTarget> sysv_queue, sysv_semaphore, sysv_shm;
    std::string posix_queue;      // mq_open name, "/ipcbox-probe-..."
    std::string mqueue_path;      // the same kind of queue, by path in a host mqueue mount
    std::string posix_shm;        // shm_open name
    std::string posix_semaphore;  // sem_open name
    std::string fifo;             // path
    std::string unix_socket;      // path of a listening stream socket
    std::string abstract_socket;  // abstract name, without the leading NUL
    int tcp_port = 0;             // listening on 127.0.0.1
    pid_t signal_pid = 0;         // a host process that reports a SIGUSR1 carrying the cookie
    int signal_cookie = 0;
    int inherited_fd = -1;  // open in ipcbox without close-on-exec: a pipe with this inode
    uint64_t inherited_inode = 0;
    // Escape attempts, each made only where it cannot touch the host: unmounting /dev/shm needs
    // the sandbox's own mount namespace; mounting over /dev/shm, a closed one; setns, a host
    // process and the inode of the host's IPC namespace (to tell it from the sandbox's own).
    bool escape_unmount = false;
    bool escape_mount_shm = false;
    bool escape_sysctl = false;
    pid_t escape_setns_pid = 0;
    uint64_t escape_host_ipc_inode = 0;
};

struct Attempt {
    std::string mechanism;  // one of launcher/mechanisms.hpp
    bool reached = false;   // the host's own object answered
    int err = 0;            // errno of the failed attempt, 0 when none
    bool blocked = false;   // the route itself is closed: a filter's errno or a read-only mount
    std::string detail;     // what was seen, for the report
};

std::string targets_to_json(const Targets& targets);
Result<Targets> targets_from_json(const std::string& text);
std::string attempts_to_json(const std::vector<Attempt>& attempts);
Result<std::vector<Attempt>> attempts_from_json(const std::string& text);

// Tries every present target from where this process stands. Inherited fds are checked first,
// before anything else here opens one that could take the same number.
std::vector<Attempt> try_targets(const Targets& targets);

// The escape attempts of `targets` (launcher/probe/escapes.cpp), made last.
std::vector<Attempt> try_escapes(const Targets& targets);

}  // namespace ipcbox::launcher::probe
