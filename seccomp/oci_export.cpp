// `ipcbox export seccomp`: the same rules as the loaded filter, as an OCI runtime-spec
// linux.seccomp object, so runc, podman or Kubernetes can enforce [block] themselves.
#include <nlohmann/json.hpp>

#include "seccomp/filter.hpp"
#include "seccomp/rules.hpp"

namespace ipcbox::seccomp {
namespace {

using nlohmann::json;

json arg_json(const ArgMatch& a) {
    // For SCMP_CMP_MASKED_EQ the runtime-spec takes the mask as value, the result as valueTwo.
    return {
        {"index", a.index}, {"value", a.mask}, {"valueTwo", a.value}, {"op", "SCMP_CMP_MASKED_EQ"}};
}

// A runtime builds one libseccomp context for every listed ABI, so a name an ABI lacks (ipc on
// x86_64, *_time64) becomes a pseudo-syscall there, and libseccomp 2.5.4 drops the load of the
// syscall number when such an entry sorts first in an ABI's block. The rules keep a real entry
// first (ipc(2) rules test two arguments, ranking below the direct ones); the unit test that loads
// this profile as runc does checks it for every kind.
//
// Rules with the same arguments and errno share one entry. Runtimes AND the args of one entry and
// OR the entries, as the filter does, as long as no entry tests one argument twice (runc would OR
// those).
json syscalls_json(const std::vector<BlockRule>& rules, int errno_value) {
    json entries = json::array();
    std::vector<std::pair<std::vector<ArgMatch>, int>> keys;
    for (const auto& rule : rules) {
        const int err = rule.errno_value ? rule.errno_value : errno_value;
        size_t i = 0;
        while (i < keys.size() && (keys[i].first != rule.args || keys[i].second != err)) ++i;
        if (i == keys.size()) {
            keys.emplace_back(rule.args, err);
            json entry = {
                {"names", json::array()}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", err}};
            if (!rule.args.empty()) {
                entry["args"] = json::array();
                for (const auto& a : rule.args) entry["args"].push_back(arg_json(a));
            }
            entries.push_back(std::move(entry));
        }
        entries[i]["names"].push_back(rule.syscall);
    }
    return entries;
}

}  // namespace

Result<std::string> export_oci_profile(const config::Block& block) {
    auto rules = block_rules(block);
    if (!rules) return std::move(rules).error();
    // The same three ABIs as the loaded filter: a profile that lists only x86_64 is bypassed with
    // `int $0x80`.
    json profile = {
        {"defaultAction", "SCMP_ACT_ALLOW"},
        {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"}},
        {"syscalls", syscalls_json(*rules, block.errno_value)},
    };
    return profile.dump(2) + "\n";
}

}  // namespace ipcbox::seccomp
