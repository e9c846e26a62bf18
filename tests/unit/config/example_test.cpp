// examples/full.toml must stay a valid spec that shows every section.
#include <gtest/gtest.h>

#include "config/load.hpp"

namespace ipcbox::config {
namespace {

const std::string kExamples = IPCBOX_TEST_DATA "/../../examples";

TEST(ConfigExample, FullSpecLoadsAndValidates) {
    Result<Spec> r = load_spec_file(kExamples + "/full.toml");
    ASSERT_TRUE(r.ok()) << r.error().message;
    Status valid = validate(*r);
    ASSERT_TRUE(valid.ok()) << valid.error().message;
    const Spec& s = *r;
    EXPECT_EQ(s.sandbox.hostname, "ipcbox");
    EXPECT_EQ(s.sandbox.scopes, (std::vector<Scope>{Scope::AbstractUnix, Scope::Signal}));
    ASSERT_EQ(s.sandbox.tmpfs.size(), 2u);
    EXPECT_EQ(s.sandbox.tmpfs[1].path, "/var/tmp");
    EXPECT_EQ(s.sandbox.tmpfs[1].size_bytes, 256u << 20);
    EXPECT_TRUE(validate_on_host(s).ok());
    EXPECT_EQ(s.dev_shm.size_bytes, 64u << 20);
    EXPECT_EQ(s.sysctls.size(), 6u);
    ASSERT_EQ(s.objects.sysv_queues.size(), 2u);
    EXPECT_EQ(s.objects.sysv_queues[0].messages[1].bytes, "\xde\xad\xbe\xef");
    EXPECT_EQ(s.objects.sysv_queues[1].messages[0].bytes, "first job from a file\n");
    EXPECT_EQ(s.objects.sysv_queues[1].key.ftok_proj, 65);
    EXPECT_EQ(s.objects.sysv_semaphores.size(), 1u);
    ASSERT_EQ(s.objects.sysv_shms.size(), 2u);
    EXPECT_EQ(s.objects.sysv_shms[1].key.value, 0);  // private = true: IPC_PRIVATE
    EXPECT_EQ(s.objects.sysv_shms[1].id, 200);
    EXPECT_EQ(s.objects.posix_queues.size(), 1u);
    EXPECT_EQ(s.objects.posix_shms.size(), 1u);
    EXPECT_EQ(s.objects.posix_semaphores.size(), 1u);
    EXPECT_EQ(s.block.create, (std::vector<IpcKind>{IpcKind::SysvQueue, IpcKind::PosixQueue}));
    EXPECT_EQ(s.block.errno_value, EACCES);
    EXPECT_EQ(s.leaks.report, LeakOutput::Stderr);
    EXPECT_TRUE(s.leaks.fail);
}

}  // namespace
}  // namespace ipcbox::config
