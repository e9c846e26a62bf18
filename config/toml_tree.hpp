// A parsed TOML document as plain data with source positions. Only toml_tree.cpp includes toml++:
// it is header-only here and slow to compile, and its types stay out of every other file.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"

namespace ipcbox::config {

struct Position {
    uint32_t line = 0;  // 1-based; 0 when unknown
    uint32_t column = 0;
    auto operator<=>(const Position&) const = default;  // source order
};

struct TomlEntry;

struct TomlNode {
    enum class Type { Table, Array, String, Integer, Float, Boolean, Date, Time, DateTime };
    Type type = Type::Table;
    Position pos;
    std::string string;
    int64_t integer = 0;
    bool boolean = false;
    std::vector<TomlEntry> entries;  // a table's keys, in source order
    std::vector<TomlNode> items;     // an array's values

    bool is_table() const { return type == Type::Table; }
    bool is_array() const { return type == Type::Array; }
    const TomlEntry* find(std::string_view key) const;
};

struct TomlEntry {
    std::string key;
    Position pos;  // of the key itself
    TomlNode value;
};

// "a string", "an integer", ... for "expected X, got Y" messages.
const char* type_phrase(TomlNode::Type type);

// The document's root table, or "display_name:line:column: <toml++'s description>".
Result<TomlNode> parse_toml(std::string_view text, const std::string& display_name);

}  // namespace ipcbox::config
