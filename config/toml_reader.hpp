// Typed reads from a parsed TOML document. Every problem becomes "file:line:column: path: message"
// and is recorded, and reading goes on: each read stands on its own, so one wrong value does not
// hide the next. A check that needs earlier reads to have worked (a payload against a size read
// before it) runs only when they did, so that no problem is reported that only follows from
// another.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/text.hpp"
#include "config/load.hpp"
#include "config/toml_tree.hpp"

namespace ipcbox::config {

// One document being read: its name, where its relative paths point, and its problems.
class ParseContext {
  public:
    ParseContext(std::string file, const std::string& base_dir, LoadOptions options);

    void fail(Position pos, const std::string& message);
    // How many problems were recorded; see Checkpoint.
    size_t problem_count() const { return count_; }
    // The first problem recorded, which is what loading reports (nullopt when there is none).
    const std::optional<Error>& first() const { return first_; }
    // The problems earliest in the file, in source order: at most kMaxReportedProblems of them,
    // so that a spec of a million mistakes costs no more memory than one of twenty.
    std::vector<Error> take_earliest();

    Origin origin(Position pos) const { return Origin{file_, pos.line, pos.column}; }
    const std::string& file() const { return file_; }
    const LoadOptions& options() const { return options_; }
    // `path` made absolute against the spec's directory.
    std::string resolve(const std::string& path) const;
    const std::string& base_dir() const { return base_dir_; }

  private:
    struct Problem {
        Position pos;
        Error error;
    };
    std::string file_;
    std::string base_dir_;  // absolute
    LoadOptions options_;
    size_t count_ = 0;
    std::optional<Error> first_;
    std::vector<Problem> earliest_;  // sorted by position, ties in the order recorded
};

// Whether any problem was recorded since it was made: what reads a group of values together
// builds its result only when every one of them was read.
class Checkpoint {
  public:
    explicit Checkpoint(const ParseContext& ctx) : ctx_(ctx), count_(ctx.problem_count()) {}
    bool clean() const { return ctx_.problem_count() == count_; }

  private:
    const ParseContext& ctx_;
    size_t count_;
};

// Reads of single values; `path` names the value in messages ("sandbox.uid").
// Each returns nullopt after recording a problem.
bool expect_type(ParseContext& ctx, const TomlNode& node, const std::string& path,
                 TomlNode::Type type);
std::optional<bool> read_bool(ParseContext& ctx, const TomlNode& node, const std::string& path);
// A string that names a file or an IPC object: like read_string(), but a NUL byte (which TOML
// allows as \u0000) is an error, since the C calls that take it would stop there.
std::optional<std::string> read_file_name(ParseContext& ctx, const TomlNode& node,
                                          const std::string& path);
std::optional<std::string> read_string(ParseContext& ctx, const TomlNode& node,
                                       const std::string& path);
std::optional<int64_t> read_int(ParseContext& ctx, const TomlNode& node, const std::string& path,
                                int64_t min, int64_t max);
// Permission bits, 0 to `max`; range errors are shown in octal.
std::optional<uint32_t> read_mode(ParseContext& ctx, const TomlNode& node, const std::string& path,
                                  uint32_t max = 0777);
// A byte count greater than zero: an integer or a string like "64M".
std::optional<uint64_t> read_size(ParseContext& ctx, const TomlNode& node, const std::string& path);
// The index of the string value in `names`; otherwise "'x' is not one of "a", "b"; did you mean..."
std::optional<size_t> read_choice_index(ParseContext& ctx, const TomlNode& node,
                                        const std::string& path,
                                        std::span<const std::string_view> names);

// One of a fixed set of values, spelt as `name_of` spells them (config/names.cpp, kind_name()).
template <class E, size_t N>
std::optional<E> read_choice(ParseContext& ctx, const TomlNode& node, const std::string& path,
                             const E (&values)[N], const char* (*name_of)(E)) {
    std::array<std::string_view, N> names;
    for (size_t i = 0; i < N; ++i) names[i] = name_of(values[i]);
    const std::optional<size_t> index = read_choice_index(ctx, node, path, names);
    if (!index) return std::nullopt;
    return values[*index];
}

// One table: key lookup, unknown-key detection and keyed versions of the reads above.
class TableReader {
  public:
    // `path` is the table's name in messages: "" for the root, "sandbox", "sysv.queue[2]".
    TableReader(ParseContext& ctx, const TomlNode& table, std::string path);

    ParseContext& ctx() const { return ctx_; }
    const std::string& path() const { return path_; }
    Position pos() const { return table_.pos; }
    Origin origin() const { return ctx_.origin(table_.pos); }
    const TomlNode& node() const { return table_; }

    // Records "unknown key 'x'; did you mean 'y'?" for each key (in source order) not listed.
    void allow_only(std::span<const std::string_view> keys) const;
    // nullptr when absent.
    const TomlNode* get(std::string_view key) const;
    const TomlEntry* entry(std::string_view key) const;
    // Like get(), but records "path: missing required key 'k'" at the table when absent, unless a
    // misspelling of it is there (already reported as an unknown key that names it).
    const TomlNode* require(std::string_view key) const;
    // Whether an unknown key of this table is closest to `key` (allow_only's "did you mean"):
    // then `key` was meant to be there, and its absence is no problem of its own.
    bool misspelt(std::string_view key) const;
    // Neither set nor misspelt: the spec means to leave `key` to its default.
    bool left_out(std::string_view key) const { return !get(key) && !misspelt(key); }
    std::string path_of(std::string_view key) const;
    // Records "path: message" at `pos` (just "message" for the root table).
    void fail(Position pos, const std::string& message) const;

    std::optional<bool> boolean(std::string_view key) const;
    std::optional<std::string> string(std::string_view key) const;
    std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max) const;
    std::optional<uint32_t> mode(std::string_view key, uint32_t max = 0777) const;
    std::optional<uint64_t> size(std::string_view key) const;
    template <class E, size_t N>
    std::optional<E> choice(std::string_view key, const E (&values)[N],
                            const char* (*name_of)(E)) const {
        const TomlNode* node = get(key);
        if (!node) return std::nullopt;
        return read_choice(ctx_, *node, path_of(key), values, name_of);
    }

  private:
    ParseContext& ctx_;
    const TomlNode& table_;
    std::string path_;
    // The keys allow_only() was given (static tables in keys.hpp), for misspelt().
    mutable std::span<const std::string_view> allowed_;
};

// "sysv.queue[2]"
std::string indexed(const std::string& path, size_t index);

// The array `key` of values from a fixed set (read_choice), each listed at most once. Every bad
// item is reported; the list is empty when absent or when any item is bad.
template <class E, size_t N>
std::vector<E> read_choice_list(const TableReader& t, std::string_view key, const E (&values)[N],
                                const char* (*name_of)(E)) {
    std::vector<E> chosen;
    const TomlNode* node = t.get(key);
    const std::string path = t.path_of(key);
    if (!node || !expect_type(t.ctx(), *node, path, TomlNode::Type::Array)) return chosen;
    const Checkpoint items(t.ctx());
    for (size_t i = 0; i < node->items.size(); ++i) {
        const TomlNode& item = node->items[i];
        std::optional<E> value = read_choice(t.ctx(), item, indexed(path, i), values, name_of);
        if (!value) continue;
        if (std::find(chosen.begin(), chosen.end(), *value) != chosen.end()) {
            t.ctx().fail(item.pos,
                         indexed(path, i) + ": '" + printable(item.string) + "' is listed twice");
            continue;
        }
        chosen.push_back(*value);
    }
    return items.clean() ? chosen : std::vector<E>{};
}

// The table under `key` ([a.b] or b = { ... }); nullopt when absent or not a table (an error).
std::optional<TableReader> subtable(const TableReader& parent, std::string_view key);
// The tables of the array `key` ([[a.b]] or b = [{ ... }]), named "a.b[0]", "a.b[1]", ...
// Empty when absent or not an array (a problem); an item that is not a table is reported and
// left out, the others are still read.
std::vector<TableReader> tables_in(const TableReader& parent, std::string_view key);

}  // namespace ipcbox::config
