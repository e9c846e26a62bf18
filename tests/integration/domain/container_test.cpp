// A container joins a root domain: runc with the domain's IPC namespace file as its IPC
// namespace and the domain's /dev/shm directory bound on /dev/shm (what `domain ls --json` gives,
// and what podman's `--ipc ns:PATH -v DIR:/dev/shm` passes to runc).
#include "tests/integration/domain/domain_support.hpp"
#include "tests/integration/harness/oci_bundle.hpp"

namespace ipcbox::test {
namespace {

TEST(DomainContainer, RuncJoinsARootDomain) {
    IPCBOX_REQUIRE_NOTHING_MISSING(runc_missing());
    const std::string name = domain_name("runc");
    DomainGuard guard(As::Root, name);
    const std::string spec =
        "[[sysv.queue]]\nkey = 0x5c01\nmessages = [{ type = 4, text = \"to the container\" }]\n\n"
        "[[posix.shm]]\nname = \"/shared\"\nsize = 5\ntext = \"hello\"\n";
    ASSERT_EQ(run_ipcbox(As::Root, {"domain", "create", name, "-c", write_spec(spec)}).exit_code,
              0);
    const nlohmann::json listed = listed_domain(As::Root, name);
    ASSERT_TRUE(listed.is_object());

    OciBundle b(OciBundle::Mode::Root);
    auto& linux = b.config()["linux"];
    for (auto& ns : linux["namespaces"])
        if (ns["type"] == "ipc") ns["path"] = listed["ipc_namespace"];
    for (auto& m : b.config()["mounts"])
        if (m["destination"] == "/dev/shm")
            m = {{"destination", "/dev/shm"},
                 {"type", "bind"},
                 {"source", listed["dev_shm"]},
                 {"options", {"rbind", "rw"}}};
    // The container reads the domain's message and file, and leaves one of each for the domain.
    b.set_script(
        "/bin/ipcread msgrcv 0x5c01 , fileread /dev/shm/shared 5 && echo back > /dev/shm/reply");
    const Outcome container = b.run();
    ASSERT_EQ(container.exit_code, 0) << container.out << container.err;
    EXPECT_NE(container.out.find("msg 4 " + hex_of("to the container")), std::string::npos)
        << container.out;
    EXPECT_NE(container.out.find("file " + hex_of("hello")), std::string::npos) << container.out;

    const Outcome seen =
        run_ipcbox(As::Root, {"run", "--domain", name, "--", "sh", "-c",
                              support("ipcread") + " msgstat 0x5c01 ; cat /dev/shm/reply"});
    EXPECT_NE(seen.out.find("qnum=0"), std::string::npos) << seen.out;  // the container took it
    EXPECT_NE(seen.out.find("back"), std::string::npos) << seen.out;
}

}  // namespace
}  // namespace ipcbox::test
