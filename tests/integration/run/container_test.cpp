// `ipcbox run` inside a default container as its root: runc's default config (masked /proc paths)
// with podman's default capabilities (no CAP_SYS_ADMIN). The refusals name their real cause and a
// fix that works there. (runc's own default keeps only 3 capabilities; without CAP_SETFCAP its
// root cannot map itself into a user namespace at all, so no fix of ipcbox's works there.)
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "tests/integration/harness/oci_bundle.hpp"

namespace ipcbox::test {
namespace {

namespace fs = std::filesystem;

TEST(RunInAContainer, RefusalsNameTheCauseAndAFixThatWorks) {
    IPCBOX_REQUIRE_NOTHING_MISSING(runc_missing());
    OciBundle bundle(OciBundle::Mode::Root);
    fs::copy_file(staging_dir() + "/ipcbox", bundle.rootfs() + "/bin/ipcbox");
    // podman 4.3's default set (CapEff a80425fb in `podman run`), measured on this machine.
    const nlohmann::json podman_caps = {
        "CAP_CHOWN",       "CAP_DAC_OVERRIDE", "CAP_FOWNER",
        "CAP_FSETID",      "CAP_KILL",         "CAP_SETGID",
        "CAP_SETUID",      "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE",
        "CAP_NET_RAW",     "CAP_SYS_CHROOT",   "CAP_MKNOD",
        "CAP_AUDIT_WRITE", "CAP_SETFCAP"};
    for (const char* set : {"bounding", "effective", "permitted"})
        bundle.config()["process"]["capabilities"][set] = podman_caps;
    bundle.set_script(
        "exec 2>&1; ipcbox run --user host -- /bin/sh -c :; echo rc=$?; "
        "ipcbox run -- /bin/sh -c :; echo rc=$?; "
        "ipcbox run --user new --pid -- /bin/sh -c :; echo rc=$?");
    Outcome o = bundle.run();
    ASSERT_EQ(o.exit_code, 0) << o.out << o.err;
    // Root without CAP_SYS_ADMIN: without a user namespace (user = "host") namespaces are refused,
    // and the hint names the fix; the default (user = "auto") takes one for such a root and works.
    EXPECT_NE(o.out.find("ipcbox: create namespaces: Operation not permitted\n"
                         "ipcbox: hint: root here lacks CAP_SYS_ADMIN (as in a container), so "
                         "namespaces need a user namespace of their own: use user = \"auto\" or "
                         "\"new\" (--user new)\nrc=125\nrc=0\n"),
              std::string::npos)
        << o.out;
    // A fresh /proc is refused where the runtime masked paths of the container's /proc.
    EXPECT_NE(o.out.find("ipcbox: mount: fresh /proc for the new pid namespace: Operation not "
                         "permitted\nipcbox: hint: paths of this /proc are covered by other "
                         "mounts (/proc/"),
              std::string::npos)
        << o.out;
    EXPECT_NE(o.out.find("podman --security-opt unmask=ALL, docker --security-opt "
                         "systempaths=unconfined)\nrc=125\n"),
              std::string::npos)
        << o.out;
}

}  // namespace
}  // namespace ipcbox::test
