// The exported OCI profile fed to libseccomp the way runc does it (one context for all listed
// architectures, every name added with its args ANDed), loaded in a forked child: it must give
// every call the same result as ipcbox's own filter. A runtime builds the filter from names, so
// the profile must not lean on anything ipcbox's own compiler does on the side.
#include <gtest/gtest.h>
#include <seccomp.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

#include "seccomp/filter.hpp"
#include "tests/common/skip.hpp"
#include "tests/unit/seccomp/probes.hpp"

namespace ipcbox::seccomp {
namespace {

using config::Block;
using nlohmann::json;
using namespace probes;

const std::map<std::string, uint32_t> kArches{{"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
                                              {"SCMP_ARCH_X86", SCMP_ARCH_X86},
                                              {"SCMP_ARCH_X32", SCMP_ARCH_X32}};

// Returns a context built from `profile` as runc 1.1 does, or null (with a test failure).
scmp_filter_ctx runtime_context(const json& profile) {
    EXPECT_EQ(profile["defaultAction"], "SCMP_ACT_ALLOW");
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    for (const auto& arch : profile["architectures"]) {
        int rc = seccomp_arch_add(ctx, kArches.at(arch.get<std::string>()));
        EXPECT_TRUE(rc == 0 || rc == -EEXIST) << arch;
    }
    for (const auto& entry : profile["syscalls"]) {
        EXPECT_EQ(entry["action"], "SCMP_ACT_ERRNO");
        const uint32_t action = SCMP_ACT_ERRNO(entry["errnoRet"].get<uint16_t>());
        std::vector<scmp_arg_cmp> args;
        for (const auto& a : entry.value("args", json::array())) {
            EXPECT_EQ(a["op"], "SCMP_CMP_MASKED_EQ");
            args.push_back(SCMP_CMP(a["index"].get<unsigned>(), SCMP_CMP_MASKED_EQ,
                                    a["value"].get<uint64_t>(), a["valueTwo"].get<uint64_t>()));
        }
        for (const auto& name : entry["names"]) {
            int nr = seccomp_syscall_resolve_name(name.get<std::string>().c_str());
            if (nr == __NR_SCMP_ERROR) continue;  // runc skips names libseccomp does not know
            EXPECT_EQ(seccomp_rule_add_array(ctx, action, nr, args.size(), args.data()), 0) << name;
        }
    }
    return ctx;
}

std::function<bool()> runtime_loader(const Block& block) {
    auto text = export_oci_profile(block);
    EXPECT_TRUE(text.ok()) << describe(block);
    std::shared_ptr<void> ctx(runtime_context(json::parse(text.ok() ? text.value() : "{}")),
                              seccomp_release);
    return [ctx] { return seccomp_load(ctx.get()) == 0; };
}

TEST(OciSeccompEnforce, ARuntimeGetsTheSameResultsAsIpcboxsOwnFilter) {
    if (!can_run()) IPCBOX_SKIP("no IPC namespace here (needs root or user namespaces)");
    for (const Block& block : sample_blocks()) expect_enforced(block, runtime_loader(block));
}

}  // namespace
}  // namespace ipcbox::seccomp
