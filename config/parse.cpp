// TOML -> Spec: the document's top level and the small sections; IPC objects and sysctls live in
// their own files.
#include <algorithm>
#include <filesystem>
#include <vector>

#include "base/io.hpp"
#include "base/text.hpp"
#include "config/keys.hpp"
#include "config/load.hpp"
#include "config/parse_parts.hpp"
#include "config/suggest.hpp"
#include "config/toml_reader.hpp"
#include "config/toml_tree.hpp"
#include "config/value_rules.hpp"

namespace ipcbox::config {

namespace {

// A spec is a few kilobytes; anything near this is not a spec.
constexpr uint64_t kMaxSpecBytes = 16 << 20;

std::vector<Capability> read_capabilities(const TableReader& t) {
    std::vector<Capability> kept;
    const TomlNode* node = t.get("capabilities");
    const std::string path = t.path_of("capabilities");
    if (!expect_type(t.ctx(), *node, path, TomlNode::Type::Array)) return kept;
    const Checkpoint items(t.ctx());
    for (size_t i = 0; i < node->items.size(); ++i) {
        const TomlNode& item = node->items[i];
        const std::string item_path = indexed(path, i);
        auto name = read_string(t.ctx(), item, item_path);
        if (!name) continue;
        auto cap = capability_from_name(*name);
        if (!cap) {
            t.ctx().fail(item.pos, item_path + ": " + unknown_capability_message(*name));
        } else if (std::find(kept.begin(), kept.end(), *cap) != kept.end()) {
            t.ctx().fail(item.pos, item_path + ": '" + capability_name(*cap) + "' is listed twice");
        } else {
            kept.push_back(*cap);
        }
    }
    return items.clean() ? kept : std::vector<Capability>{};
}

void parse_sandbox(const TableReader& t, Sandbox& out) {
    t.allow_only(keys::kSandbox);
    if (auto v = t.choice("user", keys::kUserModes, user_mode_name)) out.user = *v;
    if (auto v = t.integer("uid", 0, kMaxId)) out.uid = static_cast<uint32_t>(*v);
    if (auto v = t.integer("gid", 0, kMaxId)) out.gid = static_cast<uint32_t>(*v);
    if (auto v = t.boolean("mount")) out.mount = *v;
    if (auto v = t.boolean("net")) out.net = *v;
    if (auto v = t.boolean("pid")) out.pid = *v;
    if (auto v = t.string("hostname")) {
        if (is_valid_hostname(*v)) {
            out.hostname = *v;
        } else {
            t.ctx().fail(t.get("hostname")->pos,
                         t.path_of("hostname") + ": '" + printable(*v) +
                             "' is not a valid hostname (1 to 64 letters, digits, '-' and '.')");
        }
    }
    if (auto v = t.boolean("die_with_parent")) out.die_with_parent = *v;
    if (auto v = t.integer("timeout", 0, kMaxTimeoutSeconds)) {
        out.timeout_seconds = static_cast<uint32_t>(*v);
    }
    if (t.get("scope")) out.scopes = read_choice_list(t, "scope", kAllScopes, scope_name);
    if (t.get("tmpfs")) out.tmpfs = read_tmpfs(t);
    if (t.get("capabilities")) out.capabilities = read_capabilities(t);
}

void parse_dev_shm(const TableReader& t, DevShm& out) {
    t.allow_only(keys::kDevShm);
    if (auto v = t.choice("mode", keys::kDevShmModes, dev_shm_mode_name)) out.mode = *v;
    if (auto v = t.size("size")) out.size_bytes = *v;
}

void parse_block(const TableReader& t, Block& out) {
    t.allow_only(keys::kBlock);
    if (t.get("kinds")) out.kinds = read_choice_list(t, "kinds", kAllIpcKinds, kind_name);
    if (t.get("create")) out.create = read_choice_list(t, "create", kAllIpcKinds, kind_name);
    if (auto v = t.choice("errno", keys::kErrnos, errno_name)) out.errno_value = *v;
}

void parse_leaks(const TableReader& t, Leaks& out) {
    t.allow_only(keys::kLeaks);
    const TomlNode* report = t.get("report");
    if (auto v = report ? read_file_name(t.ctx(), *report, t.path_of("report")) : std::nullopt) {
        const Position pos = report->pos;
        const std::string path = t.path_of("report");
        if (*v == "off") {
            out.report = LeakOutput::Off;
        } else if (*v == "stderr") {
            out.report = LeakOutput::Stderr;
        } else if (v->empty()) {
            t.ctx().fail(pos, path + ": expected \"off\", \"stderr\" or a file path, got \"\"");
        } else if (equal_ignoring_case(*v, "off") || equal_ignoring_case(*v, "stderr")) {
            // Almost certainly not meant as a file name in the spec's directory.
            t.ctx().fail(pos, path + ": '" + printable(*v) +
                                  "' would be a file name; write \"off\" or "
                                  "\"stderr\" in lower case, or \"./" +
                                  printable(*v) + "\" for the file");
        } else {
            out.report = LeakOutput::File;
            out.path = t.ctx().resolve(*v);
        }
    }
    if (auto v = t.boolean("fail")) out.fail = *v;
}

void parse_hook(const TableReader& t, Hook& out) {
    t.allow_only(keys::kHook);
    if (auto v = t.boolean("allow_shared_ipc")) out.allow_shared_ipc = *v;
}

// The document read into a Spec, every section in one context so that all their problems are
// recorded. The Spec is only used when there are none: a half-read one never reaches validate().
void parse_document(const TomlNode& root, ParseContext& ctx, Spec& spec) {
    TableReader top(ctx, root, "");
    top.allow_only(keys::kTop);
    if (auto t = subtable(top, "sandbox")) parse_sandbox(*t, spec.sandbox);
    if (auto t = subtable(top, "dev_shm")) parse_dev_shm(*t, spec.dev_shm);
    // Before the objects: their payloads are checked against the limits set here.
    std::vector<std::string> unknown_sysctls;
    std::optional<TableReader> sysctl = subtable(top, "sysctl");
    if (sysctl) parse_sysctls(*sysctl, spec.sysctls, unknown_sysctls);
    const bool sysctl_read = sysctl || top.left_out("sysctl");
    const SysctlLimits limits{spec.sysctls, unknown_sysctls, sysctl_read};
    if (auto t = subtable(top, "sysv")) parse_sysv(*t, spec.objects, limits);
    if (auto t = subtable(top, "posix")) parse_posix(*t, spec.objects, limits);
    if (auto t = subtable(top, "block")) parse_block(*t, spec.block);
    if (auto t = subtable(top, "leaks")) parse_leaks(*t, spec.leaks);
    if (auto t = subtable(top, "hook")) parse_hook(*t, spec.hook);
}

// Parses `toml` into `spec`, recording each problem in `ctx`; an error when it is not TOML.
Status parse_string(std::string_view toml, ParseContext& ctx, Spec& spec) {
    Result<TomlNode> root = parse_toml(toml, ctx.file());
    if (!root) return std::move(root).error();
    parse_document(*root, ctx, spec);
    return {};
}

std::string parent_dir(const std::string& path) {
    return std::filesystem::path(path).parent_path().string();
}

}  // namespace

Result<Spec> load_spec_string(std::string_view toml, const std::string& display_name,
                              const std::string& base_dir, const LoadOptions& options) {
    ParseContext ctx(display_name, base_dir, options);
    Spec spec;
    if (Status s = parse_string(toml, ctx, spec); !s) return std::move(s).error();
    // The first problem read: the top-level keys, then the sections in a fixed order.
    if (ctx.first()) return *ctx.first();
    return spec;
}

SpecProblems spec_problems(std::string_view toml, const std::string& display_name,
                           const std::string& base_dir) {
    ParseContext ctx(display_name, base_dir, {});
    Spec spec;
    if (Status s = parse_string(toml, ctx, spec); !s) return {{std::move(s).error()}, 0};
    if (ctx.problem_count() == 0) {
        spec.path = display_name;
        Status valid = validate(spec);
        if (valid) valid = validate_on_host(spec);
        if (!valid) return {{std::move(valid).error()}, 0};
        return {};
    }
    SpecProblems found;
    found.earliest = ctx.take_earliest();
    found.left_out = ctx.problem_count() - found.earliest.size();
    return found;
}

SpecProblems spec_file_problems(const std::string& path) {
    Result<std::string> text = read_whole_file(path, kMaxSpecBytes);
    if (!text) return {{std::move(text).error().with_context(path)}, 0};
    return spec_problems(*text, path, parent_dir(path));
}

Result<Spec> load_spec_file(const std::string& path, const LoadOptions& options) {
    Result<std::string> text = read_whole_file(path, kMaxSpecBytes);
    if (!text) return std::move(text).error().with_context(path);
    Result<Spec> spec = load_spec_string(*text, path, parent_dir(path), options);
    if (spec) spec->path = path;
    return spec;
}

}  // namespace ipcbox::config
