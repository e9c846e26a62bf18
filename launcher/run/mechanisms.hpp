// The IPC mechanisms `ipcbox run --explain` predicts and `ipcbox probe` measures: one name per
// row, shared by both so every prediction has exactly one measurement to be compared with.
#pragma once

namespace ipcbox::launcher::mechanism {

inline constexpr const char* kSysvQueue = "sysv.queue";
inline constexpr const char* kSysvQueueId = "sysv.queue (id guess)";
inline constexpr const char* kSysvSemaphore = "sysv.semaphore";
inline constexpr const char* kSysvSemaphoreId = "sysv.semaphore (id guess)";
inline constexpr const char* kSysvShm = "sysv.shm";
inline constexpr const char* kSysvShmId = "sysv.shm (id guess)";
inline constexpr const char* kPosixQueue = "posix.queue (mq_open)";
inline constexpr const char* kPosixQueuePath = "posix.queue (mqueue mount path)";
inline constexpr const char* kPosixShm = "posix.shm";
inline constexpr const char* kPosixSemaphore = "posix.semaphore";
inline constexpr const char* kFifo = "fifo";
inline constexpr const char* kUnixSocketPath = "unix socket (path)";
inline constexpr const char* kUnixSocketAbstract = "unix socket (abstract)";
inline constexpr const char* kTcpLoopback = "tcp (loopback)";
inline constexpr const char* kSignal = "signals to host processes";
inline constexpr const char* kInheritedFd = "inherited file descriptors";
// Attempts to undo the sandbox rather than to reach an object through it.
inline constexpr const char* kEscapeUnmount = "escape: unmount /dev/shm";
inline constexpr const char* kEscapeMountShm = "escape: mount over /dev/shm";
inline constexpr const char* kEscapeSysctl = "escape: rewrite an IPC sysctl";
inline constexpr const char* kEscapeSetns = "escape: setns to the host's IPC";

// In the order of the rows.
inline constexpr const char* kAll[] = {
    kSysvQueue,   kSysvQueueId,    kSysvSemaphore,      kSysvSemaphoreId, kSysvShm,
    kSysvShmId,   kPosixQueue,     kPosixQueuePath,     kPosixShm,        kPosixSemaphore,
    kFifo,        kUnixSocketPath, kUnixSocketAbstract, kTcpLoopback,     kSignal,
    kInheritedFd, kEscapeUnmount,  kEscapeMountShm,     kEscapeSysctl,    kEscapeSetns,
};

}  // namespace ipcbox::launcher::mechanism
