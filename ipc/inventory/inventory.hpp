// The IPC objects a namespace holds, read without disturbing them: SysV queues, semaphore sets and
// segments (/proc/sysvipc), POSIX queues (a fresh mqueue mount of the IPC namespace) and POSIX shm
// and named semaphores (the files of /dev/shm in the mount namespace).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"
#include "ns/id_view.hpp"

namespace ipcbox::ipc {

// A SysV message as MSG_COPY returns it: its type and its bytes.
struct CopiedMessage {
    long type = 0;
    std::string bytes;
};

// One object. Fields that do not apply to its kind keep their defaults. Ids and modes are as the
// reader sees them (after joining the target's user namespace, the target's own ids); pids are in
// the reader's pid namespace, 0 when there is none; times are Unix seconds, 0 for never.
struct IpcObject {
    config::IpcKind kind = config::IpcKind::SysvQueue;
    // Identity: SysV objects by id (many may share IPC_PRIVATE, key 0), POSIX ones by name.
    int id = -1;
    key_t key = 0;
    std::string name;  // "/jobs"

    uint32_t mode = 0;  // permission bits only
    uint32_t uid = 0, gid = 0;
    uint32_t cuid = 0, cgid = 0;  // SysV: the creator

    uint64_t size = 0;                       // shm: bytes; queues: bytes of all queued messages
    std::optional<uint64_t> messages;        // queues; unknown when a POSIX queue cannot be opened
    std::optional<uint64_t> max_bytes;       // sysv.queue: msg_qbytes, unknown without access
    uint32_t nsems = 0;                      // sysv.semaphore
    std::optional<std::vector<int>> values;  // semaphore values, unknown without read access
    std::optional<long> max_messages, message_size;  // posix.queue attributes

    pid_t send_pid = 0, recv_pid = 0;     // sysv.queue: last msgsnd / msgrcv
    pid_t creator_pid = 0, last_pid = 0;  // sysv.shm: creator, last shmat/shmdt
    uint32_t attached = 0;                // sysv.shm: current attaches
    bool removed = false;                 // sysv.shm: IPC_RMID done, gone at the last detach

    int64_t send_time = 0, recv_time = 0;      // sysv.queue
    int64_t op_time = 0;                       // sysv.semaphore: last semop
    int64_t attach_time = 0, detach_time = 0;  // sysv.shm
    int64_t change_time = 0;                   // SysV: creation or last IPC_SET
    int64_t modify_time = 0;                   // POSIX: the file's mtime

    // With InventoryOptions::digests: a fingerprint of the contents (see collect_inventory).
    std::string digest;

    // With InventoryOptions::contents (for snapshots): every queued SysV message, in queue order
    // (nullopt when msgrcv MSG_COPY fails with ENOSYS), and every byte of a SysV segment or
    // a /dev/shm file (nullopt when the file could not be read).
    std::optional<std::vector<CopiedMessage>> copied_messages;
    std::optional<std::string> contents;
};

struct Inventory {
    uint64_t ipc_ns = 0, mnt_ns = 0;  // inode numbers of the namespaces read
    std::vector<IpcObject> objects;   // by kind (spec order), then id or name
    std::vector<std::string> notes;   // what could not be listed, or came from elsewhere, and why
};

struct InventoryOptions {
    // Fingerprint contents, to tell "left as preseeded" from "changed": SysV queue messages (read
    // with MSG_COPY, which leaves them queued), SysV shm bytes (a read-only attach, which updates
    // the segment's attach time and last pid) and /dev/shm file bytes. POSIX queues get none:
    // their messages cannot be read without taking them.
    bool digests = false;
    // Copy the contents themselves, read the same way (IpcObject::copied_messages, contents). A
    // queue or segment that cannot be read then fails the inventory: a copy must be complete.
    bool contents = false;
};

// Lists the objects of the namespaces this process is in. It may move this process into a private
// mount namespace of its own (to mount mqueue), so it runs in a helper process
// (launcher/read_inventory.hpp), never in ipcbox itself.
Result<Inventory> collect_inventory(const InventoryOptions& options);

// Shows every owner and creator id as `view` sees it (a nested user namespace's own ids).
void view_ids(Inventory& inventory, const ns::IdView& view);

// The names ("/jobs") of the POSIX queues of this process's IPC namespace, read through a detached
// mqueue mount (which may move this process into a private mount namespace: a helper's job).
Result<std::vector<std::string>> posix_queue_names();

// Puts objects in the documented order.
void sort_objects(std::vector<IpcObject>& objects);

}  // namespace ipcbox::ipc
