// sandbox.tmpfs: the directories that get a fresh, empty tmpfs of the sandbox's own. Each item is
// a path, or a table { path, size, mode }.
#include "config/keys.hpp"
#include "config/parse_parts.hpp"
#include "config/value_rules.hpp"

namespace ipcbox::config {

namespace {

// The mount point, normalised; records the reason when it cannot be one.
std::string read_path(ParseContext& ctx, const TomlNode& node, const std::string& path) {
    std::optional<std::string> text = read_file_name(ctx, node, path);
    if (!text) return {};
    Result<std::string> normal = tmpfs_path(*text);
    if (!normal) {
        ctx.fail(node.pos, path + ": " + normal.error().message);
        return {};
    }
    return std::move(normal).value();
}

}  // namespace

std::vector<Tmpfs> read_tmpfs(const TableReader& sandbox) {
    std::vector<Tmpfs> mounts;
    ParseContext& ctx = sandbox.ctx();
    const TomlNode* list = sandbox.get("tmpfs");
    const std::string list_path = sandbox.path_of("tmpfs");
    if (!list || !expect_type(ctx, *list, list_path, TomlNode::Type::Array)) return mounts;
    const Checkpoint items(ctx);
    for (size_t i = 0; i < list->items.size(); ++i) {
        const TomlNode& item = list->items[i];
        const std::string path = indexed(list_path, i);
        Tmpfs mount;
        mount.origin = ctx.origin(item.pos);
        if (item.type == TomlNode::Type::String) {
            mount.path = read_path(ctx, item, path);
        } else if (item.type == TomlNode::Type::Table) {
            TableReader t(ctx, item, path);
            t.allow_only(keys::kTmpfs);
            if (const TomlNode* p = t.require("path"))
                mount.path = read_path(ctx, *p, path + ".path");
            mount.size_bytes = t.size("size");
            // Up to the sticky, set-user-ID and set-group-ID bits: they mean something on a
            // directory, unlike on the IPC objects' modes.
            mount.mode = t.mode("mode", 07777);
        } else {
            ctx.fail(item.pos, path + ": expected a path or a table { path, size, mode }, got " +
                                   type_phrase(item.type));
        }
        mounts.push_back(std::move(mount));
    }
    return items.clean() ? mounts : std::vector<Tmpfs>{};
}

}  // namespace ipcbox::config
