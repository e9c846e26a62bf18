// For the in-process preseed tests: runs a check in a forked child inside fresh IPC and mount
// namespaces (as host root, or rootless: nobody with a new user namespace), with a private
// tmpfs on /dev/shm, the way `ipcbox run` prepares the sandbox before preseeding. Run by an
// unprivileged user, only the rootless variant runs (with that user's ids).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "config/spec.hpp"

namespace ipcbox::test {

enum class Privilege { Root, Rootless };
std::string privilege_name(const ::testing::TestParamInfo<Privilege>& info);

// The child's identity inside its user namespace when rootless (one id mapped, as ipcbox does).
struct InsideIds {
    unsigned uid = 0;
    unsigned gid = 0;
};

// Runs `check` in the sandboxed child; it returns "" when everything held, else what failed.
// Returns the child's answer, or a description of how the set-up failed.
std::string in_sandbox(Privilege privilege, const std::function<std::string()>& check,
                       InsideIds ids = {});

// Whether this process can run the variant: root for Root, working user namespaces for Rootless.
bool can_run(Privilege privilege);

// Small builders for spec objects.
config::SysvQueue sysv_queue(key_t key, std::vector<config::SysvMessage> messages = {});
config::SysvSemaphore sysv_semaphore(key_t key, std::vector<int> values);
config::SysvShm sysv_shm(key_t key, uint64_t size, std::string initial = {});
// A sysctl with no origin. Built out of line: GCC 12 at -O3 warns (-Wmaybe-uninitialized) about
// the empty Origin of a brace-initialised Sysctl temporary in an initializer list.
config::Sysctl sysctl(std::string key, std::string value);

// "" when equal, else "what: expected E, got G".
template <class A, class B>
std::string expect_eq(const std::string& what, const A& expected, const B& got) {
    if (expected == got) return {};
    return what + ": expected " + ::testing::PrintToString(expected) + ", got " +
           ::testing::PrintToString(got);
}

}  // namespace ipcbox::test
