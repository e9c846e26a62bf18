// [sysctl]: only the settings that belong to an IPC namespace. Anything else would be written to
// the host's /proc/sys, so it is refused rather than skipped.
#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "base/text.hpp"
#include "config/parse_parts.hpp"
#include "config/suggest.hpp"
#include "config/sysctl_knobs.hpp"

namespace ipcbox::config {

namespace {

// Candidates for "did you mean": the knobs the parser accepts.
std::vector<std::string_view> effective_names() {
    std::vector<std::string_view> names;
    for (const SysctlKnob& knob : sysctl_knobs())
        if (knob.has_effect()) names.push_back(knob.name);
    return names;
}

// kernel.sem (the table's only knob of 4 integers) as [250, 32000, 32, 128] or "250 32000 32 128"
// -> "250 32000 32 128".
std::optional<std::string> read_sem(ParseContext& ctx, const TomlNode& node,
                                    const std::string& path, const SysctlKnob& knob) {
    constexpr const char* kShape = "4 integers (semmsl semmns semopm semmni)";
    std::string text;
    if (node.type == TomlNode::Type::Array) {
        if (node.items.size() != 4) {
            ctx.fail(node.pos,
                     path + ": expected " + kShape + ", got " + std::to_string(node.items.size()));
            return std::nullopt;
        }
        const Checkpoint items(ctx);
        for (size_t i = 0; i < 4; ++i) {
            std::optional<int64_t> v =
                read_int(ctx, node.items[i], indexed(path, i), knob.min, knob.max);
            if (v) text += (i ? " " : "") + std::to_string(*v);
        }
        if (!items.clean()) return std::nullopt;
        return text;
    }
    if (node.type != TomlNode::Type::String) {
        ctx.fail(node.pos, path +
                               ": expected an array of 4 integers or a string like \"250 32000 "
                               "32 128\", got " +
                               type_phrase(node.type));
        return std::nullopt;
    }
    size_t count = 0;
    const std::string& s = node.string;
    for (size_t i = s.find_first_not_of(" \t"); i != std::string::npos;
         i = s.find_first_not_of(" \t", i)) {
        const size_t end = std::min(s.find_first_of(" \t", i), s.size());
        int64_t v = -1;
        auto [stop, ec] = std::from_chars(s.data() + i, s.data() + end, v);
        if (ec != std::errc() || stop != s.data() + end || v < knob.min || v > knob.max) {
            count = 0;
            break;
        }
        text += (count++ ? " " : "") + std::to_string(v);
        i = end;
    }
    if (count != 4) {
        ctx.fail(node.pos, path + ": '" + printable(s) + "' is not " + kShape);
        return std::nullopt;
    }
    return text;
}

// Reads one setting into `out`; a knob it gets wrong goes to `unknown` (see SysctlLimits).
void add_sysctl(const TableReader& t, const std::string& key, const TomlEntry& entry,
                std::vector<Sysctl>& out, std::vector<std::string>& unknown) {
    ParseContext& ctx = t.ctx();
    const std::string path = t.path_of(key);
    const SysctlKnob* knob = find_sysctl_knob(key);
    if (!knob) {
        std::string message = path +
                              ": not a per-IPC-namespace setting, so ipcbox will not touch it "
                              "(writing it would change the host)";
        const std::vector<std::string_view> names = effective_names();
        if (std::optional<std::string_view> near = closest(key, names)) {
            message += "; did you mean '" + std::string(*near) + "'?";
            unknown.emplace_back(*near);
        }
        ctx.fail(entry.pos, message);
        return;
    }
    if (!knob->has_effect()) {
        ctx.fail(entry.pos, path + ": accepts writes but has no effect in an IPC namespace (" +
                                std::string(knob->no_effect_because) + "); set " +
                                std::string(knob->instead) + " instead");
        return;
    }
    for (const Sysctl& earlier : out) {
        if (earlier.key == key) {
            ctx.fail(entry.pos, path + ": set twice (first at " +
                                    std::to_string(earlier.origin.line) + ":" +
                                    std::to_string(earlier.origin.column) + ")");
            unknown.push_back(key);  // which of the two was meant is not known
            return;
        }
    }
    std::optional<std::string> value;
    if (knob->count == 4) {
        value = read_sem(ctx, entry.value, path, *knob);
    } else if (auto v = read_int(ctx, entry.value, path, knob->min, knob->max)) {
        value = std::to_string(*v);
    }
    if (value) {
        out.push_back(Sysctl{ctx.origin(entry.pos), key, std::move(*value)});
    } else {
        unknown.push_back(key);
    }
}

// `kernel.msgmnb = 1` is the table kernel holding msgmnb to TOML; join such keys back together.
void flatten(const TableReader& t, const TomlNode& table, const std::string& prefix,
             std::vector<Sysctl>& out, std::vector<std::string>& unknown) {
    for (const TomlEntry& entry : table.entries) {
        const std::string key = prefix.empty() ? entry.key : prefix + "." + entry.key;
        if (entry.value.is_table() && !find_sysctl_knob(key)) {
            flatten(t, entry.value, key, out, unknown);
        } else {
            add_sysctl(t, key, entry, out, unknown);
        }
    }
}

}  // namespace

void parse_sysctls(const TableReader& sysctl, std::vector<Sysctl>& out,
                   std::vector<std::string>& unknown) {
    flatten(sysctl, sysctl.node(), "", out, unknown);
}

std::optional<uint64_t> sysctl_number(const std::vector<Sysctl>& sysctls, std::string_view key) {
    for (const Sysctl& s : sysctls)
        if (s.key == key) return std::strtoull(s.value.c_str(), nullptr, 10);
    return std::nullopt;
}

std::optional<Capacity> SysctlLimits::message_capacity(std::string_view key,
                                                       uint64_t kernel_default) const {
    if (!section_read || std::find(unknown.begin(), unknown.end(), key) != unknown.end())
        return std::nullopt;
    if (auto v = sysctl_number(set, key))
        return Capacity{*v, std::string(key) + " " + std::to_string(*v)};
    return Capacity{kernel_default, std::string(key) + " " + std::to_string(kernel_default) +
                                        " (the kernel's default; [sysctl] can raise it)"};
}

}  // namespace ipcbox::config
