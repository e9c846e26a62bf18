// Typed reads with positioned errors (see toml_reader.hpp).
#include "config/toml_reader.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "base/text.hpp"
#include "config/suggest.hpp"

namespace ipcbox::config {

namespace {

// Permission bits read best in octal, as chmod(1) takes them.
std::string octal(int64_t value) {
    if (value <= 0) return std::to_string(value);
    std::string digits;
    for (uint64_t v = static_cast<uint64_t>(value); v != 0; v /= 8) {
        digits.insert(digits.begin(), static_cast<char>('0' + v % 8));
    }
    return "0o" + digits;
}

}  // namespace

ParseContext::ParseContext(std::string file, const std::string& base_dir, LoadOptions options)
    : file_(std::move(file)), options_(options) {
    std::error_code ec;
    std::filesystem::path base = std::filesystem::absolute(base_dir.empty() ? "." : base_dir, ec);
    base_dir_ = ec ? base_dir : base.lexically_normal().string();
}

void ParseContext::fail(Position pos, const std::string& message) {
    ++count_;
    Error error = Error::of(origin(pos).str() + ": " + message);
    if (!first_) first_ = error;
    auto later = std::upper_bound(earliest_.begin(), earliest_.end(), pos,
                                  [](Position p, const Problem& e) { return p < e.pos; });
    if (later == earliest_.end() && earliest_.size() == kMaxReportedProblems) return;
    earliest_.insert(later, Problem{pos, std::move(error)});
    if (earliest_.size() > kMaxReportedProblems) earliest_.pop_back();
}

std::vector<Error> ParseContext::take_earliest() {
    std::vector<Error> errors;
    for (Problem& p : earliest_) errors.push_back(std::move(p.error));
    earliest_.clear();
    return errors;
}

std::string ParseContext::resolve(const std::string& path) const {
    std::filesystem::path p(path);
    if (p.is_absolute()) return p.lexically_normal().string();
    return (std::filesystem::path(base_dir_) / p).lexically_normal().string();
}

bool expect_type(ParseContext& ctx, const TomlNode& node, const std::string& path,
                 TomlNode::Type type) {
    if (node.type == type) return true;
    ctx.fail(node.pos,
             path + ": expected " + type_phrase(type) + ", got " + type_phrase(node.type));
    return false;
}

std::optional<bool> read_bool(ParseContext& ctx, const TomlNode& node, const std::string& path) {
    if (!expect_type(ctx, node, path, TomlNode::Type::Boolean)) return std::nullopt;
    return node.boolean;
}

std::optional<std::string> read_string(ParseContext& ctx, const TomlNode& node,
                                       const std::string& path) {
    if (!expect_type(ctx, node, path, TomlNode::Type::String)) return std::nullopt;
    return node.string;
}

std::optional<std::string> read_file_name(ParseContext& ctx, const TomlNode& node,
                                          const std::string& path) {
    std::optional<std::string> text = read_string(ctx, node, path);
    if (!text || text->find('\0') == std::string::npos) return text;
    ctx.fail(node.pos, path + ": '" + printable(*text) + "' contains a NUL byte");
    return std::nullopt;
}

std::optional<int64_t> read_int(ParseContext& ctx, const TomlNode& node, const std::string& path,
                                int64_t min, int64_t max) {
    if (!expect_type(ctx, node, path, TomlNode::Type::Integer)) return std::nullopt;
    if (node.integer < min || node.integer > max) {
        ctx.fail(node.pos, path + ": " + std::to_string(node.integer) + " is out of range (" +
                               std::to_string(min) + " to " + std::to_string(max) + ")");
        return std::nullopt;
    }
    return node.integer;
}

std::optional<uint32_t> read_mode(ParseContext& ctx, const TomlNode& node, const std::string& path,
                                  uint32_t max) {
    if (!expect_type(ctx, node, path, TomlNode::Type::Integer)) return std::nullopt;
    if (node.integer < 0 || node.integer > max) {
        ctx.fail(node.pos,
                 path + ": " + octal(node.integer) + " is out of range (0 to " + octal(max) + ")");
        return std::nullopt;
    }
    return static_cast<uint32_t>(node.integer);
}

std::optional<uint64_t> read_size(ParseContext& ctx, const TomlNode& node,
                                  const std::string& path) {
    if (node.type == TomlNode::Type::Integer) {
        if (node.integer <= 0) {
            ctx.fail(node.pos,
                     path + ": must be greater than 0, got " + std::to_string(node.integer));
            return std::nullopt;
        }
        return static_cast<uint64_t>(node.integer);
    }
    if (node.type != TomlNode::Type::String) {
        ctx.fail(node.pos, path + ": expected an integer or a string like \"64M\", got " +
                               type_phrase(node.type));
        return std::nullopt;
    }
    Result<uint64_t> parsed = parse_size(node.string);
    if (!parsed) {
        ctx.fail(node.pos, path + ": " + parsed.error().message);
        return std::nullopt;
    }
    if (*parsed == 0) {
        ctx.fail(node.pos, path + ": must be greater than 0, got \"" + node.string + "\"");
        return std::nullopt;
    }
    return *parsed;
}

std::optional<size_t> read_choice_index(ParseContext& ctx, const TomlNode& node,
                                        const std::string& path,
                                        std::span<const std::string_view> names) {
    if (!expect_type(ctx, node, path, TomlNode::Type::String)) return std::nullopt;
    for (size_t i = 0; i < names.size(); ++i) {
        if (node.string == names[i]) return i;
    }
    std::string message =
        path + ": '" + printable(node.string) + "' is not one of " + quoted_list(names, '"');
    if (std::optional<std::string_view> near = closest(node.string, names)) {
        message += "; did you mean \"" + std::string(*near) + "\"?";
    }
    ctx.fail(node.pos, message);
    return std::nullopt;
}

TableReader::TableReader(ParseContext& ctx, const TomlNode& table, std::string path)
    : ctx_(ctx), table_(table), path_(std::move(path)) {}

void TableReader::allow_only(std::span<const std::string_view> keys) const {
    allowed_ = keys;
    for (const TomlEntry& entry : table_.entries) {
        if (std::find(keys.begin(), keys.end(), entry.key) != keys.end()) continue;
        std::string message = "unknown key '" + printable(entry.key) + "'";
        if (std::optional<std::string_view> near = closest(entry.key, keys)) {
            message += "; did you mean '" + std::string(*near) + "'?";
        } else {
            message += "; valid keys are " + quoted_list(keys, '\'');
        }
        fail(entry.pos, message);
    }
}

bool TableReader::misspelt(std::string_view key) const {
    for (const TomlEntry& entry : table_.entries) {
        if (std::find(allowed_.begin(), allowed_.end(), entry.key) != allowed_.end()) continue;
        if (closest(entry.key, allowed_) == key) return true;
    }
    return false;
}

const TomlEntry* TableReader::entry(std::string_view key) const {
    return table_.find(key);
}

const TomlNode* TableReader::get(std::string_view key) const {
    const TomlEntry* e = entry(key);
    return e ? &e->value : nullptr;
}

const TomlNode* TableReader::require(std::string_view key) const {
    const TomlNode* node = get(key);
    if (!node && !misspelt(key))
        fail(table_.pos, "missing required key '" + std::string(key) + "'");
    return node;
}

std::string TableReader::path_of(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void TableReader::fail(Position pos, const std::string& message) const {
    ctx_.fail(pos, path_.empty() ? message : path_ + ": " + message);
}

std::optional<bool> TableReader::boolean(std::string_view key) const {
    const TomlNode* node = get(key);
    return node ? read_bool(ctx_, *node, path_of(key)) : std::nullopt;
}

std::optional<std::string> TableReader::string(std::string_view key) const {
    const TomlNode* node = get(key);
    return node ? read_string(ctx_, *node, path_of(key)) : std::nullopt;
}

std::optional<int64_t> TableReader::integer(std::string_view key, int64_t min, int64_t max) const {
    const TomlNode* node = get(key);
    return node ? read_int(ctx_, *node, path_of(key), min, max) : std::nullopt;
}

std::optional<uint32_t> TableReader::mode(std::string_view key, uint32_t max) const {
    const TomlNode* node = get(key);
    return node ? read_mode(ctx_, *node, path_of(key), max) : std::nullopt;
}

std::optional<uint64_t> TableReader::size(std::string_view key) const {
    const TomlNode* node = get(key);
    return node ? read_size(ctx_, *node, path_of(key)) : std::nullopt;
}

std::string indexed(const std::string& path, size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

std::optional<TableReader> subtable(const TableReader& parent, std::string_view key) {
    const TomlNode* node = parent.get(key);
    const std::string path = parent.path_of(key);
    if (!node || !expect_type(parent.ctx(), *node, path, TomlNode::Type::Table))
        return std::nullopt;
    return TableReader(parent.ctx(), *node, path);
}

std::vector<TableReader> tables_in(const TableReader& parent, std::string_view key) {
    const TomlNode* node = parent.get(key);
    if (!node) return {};
    const std::string path = parent.path_of(key);
    ParseContext& ctx = parent.ctx();
    if (node->type != TomlNode::Type::Array) {
        // [sysv.queue] instead of [[sysv.queue]] is the likely slip; say which brackets to use.
        const bool header = path.find('[') == std::string::npos;
        ctx.fail(node->pos, path + ": expected an array of tables" +
                                (header ? " ([[" + path + "]])" : "") + ", got " +
                                type_phrase(node->type));
        return {};
    }
    std::vector<TableReader> tables;
    for (size_t i = 0; i < node->items.size(); ++i) {
        const std::string item_path = indexed(path, i);
        if (expect_type(ctx, node->items[i], item_path, TomlNode::Type::Table))
            tables.emplace_back(ctx, node->items[i], item_path);
    }
    return tables;
}

}  // namespace ipcbox::config
