// Host IPC objects made by a test, removed when the test ends, however it ends.
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <unistd.h>

#include <string>

namespace ipcbox::test {

// A key/name no other test process uses.
inline key_t unique_key(int salt) {
    return 0x1b000000 | ((getpid() & 0xffff) << 4) | (salt & 0xf);
}
inline std::string unique_name(const std::string& what) {
    return "/ipcbox-test-" + what + "-" + std::to_string(getpid());
}

class HostQueue {
  public:
    explicit HostQueue(key_t key) : key_(key), id_(msgget(key, IPC_CREAT | IPC_EXCL | 0666)) {}
    ~HostQueue() { remove(); }
    bool ok() const { return id_ >= 0; }
    void remove() {
        if (id_ >= 0) msgctl(id_, IPC_RMID, nullptr);
        id_ = -1;
    }

  private:
    key_t key_;
    int id_;
};

// Removes a queue with this key if one exists when the test ends (for objects a sandbox might
// wrongly leave on the host).
struct RemoveQueueAtEnd {
    key_t key;
    ~RemoveQueueAtEnd() {
        int id = msgget(key, 0);
        if (id >= 0) msgctl(id, IPC_RMID, nullptr);
    }
};

class HostShm {
  public:
    explicit HostShm(std::string name) : name_(std::move(name)) {
        int fd = shm_open(name_.c_str(), O_CREAT | O_EXCL | O_RDWR, 0666);
        ok_ = fd >= 0;
        if (ok_) {
            fchmod(fd, 0666);  // readable by the unprivileged runs whatever the umask
            close(fd);
        }
    }
    ~HostShm() {
        if (ok_) shm_unlink(name_.c_str());
    }
    bool ok() const { return ok_; }

  private:
    std::string name_;
    bool ok_ = false;
};

struct UnlinkShmAtEnd {
    std::string name;
    ~UnlinkShmAtEnd() { shm_unlink(name.c_str()); }
};

}  // namespace ipcbox::test
