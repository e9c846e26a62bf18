// kernel.shm_rmid_forced = 1 destroys a SysV segment the moment its last attachment goes. Filling
// a preseeded segment and fingerprinting one for the leak report both attach and detach: the knob
// is off for that moment and back on afterwards, so neither destroys what it touches.
#pragma once

#include "base/error.hpp"

namespace ipcbox::ipc {

// Turning the knob back on also destroys segments that nobody holds and whose creator has exited
// (the kernel's rule for orphans): exactly those it would have destroyed anyway.
class RmidForcedPause {
  public:
    RmidForcedPause() = default;
    ~RmidForcedPause() { (void)resume(); }
    RmidForcedPause(const RmidForcedPause&) = delete;
    RmidForcedPause& operator=(const RmidForcedPause&) = delete;

    // Turns the knob off when it is on, in the IPC namespace this process is in. Needs
    // CAP_SYS_ADMIN over that namespace; the error carries the errno of the write.
    Status pause();
    // Writes 1 back if pause() turned the knob off.
    Status resume();

  private:
    int fd_ = -1;
    bool checked_ = false;
};

}  // namespace ipcbox::ipc
