// The [block] section as a seccomp filter (every ABI the kernel accepts) and as an OCI profile.
#pragma once

#include <linux/filter.h>

#include <string>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"

namespace ipcbox::seccomp {

// A compiled BPF program, ready to load without further allocation.
struct SeccompProgram {
    std::vector<sock_filter> instructions;
    bool empty() const { return instructions.empty(); }
};

// Compiled in the parent before any namespace exists, so a bad policy fails early.
// An empty program means nothing is blocked by syscall filter.
Result<SeccompProgram> compile_block_filter(const config::Block& block);

// Set-user-ID programs and file capabilities gain nothing from here on; an unprivileged process
// may then load a filter. Never undone, inherited across fork and execve.
Status set_no_new_privs();

// The last step before execve, after set_no_new_privs() (refused without it): installs the
// program (no-op when empty).
Status load_filter(const SeccompProgram& program);

// `ipcbox export seccomp`: an OCI runtime-spec linux.seccomp object (pretty JSON).
Result<std::string> export_oci_profile(const config::Block& block);

// What the filter does beyond "these calls fail", one line each, for --explain and the docs
// (empty when the block needs no filter). Never fails: an invalid block is compile's to report.
std::vector<std::string> block_filter_notes(const config::Block& block);

}  // namespace ipcbox::seccomp
