// The one translation unit that compiles toml++ (see toml_tree.hpp).
#include "config/toml_tree.hpp"

#include <toml++/toml.h>

#include <algorithm>

namespace ipcbox::config {

namespace {

Position position(const toml::source_region& region) {
    return Position{static_cast<uint32_t>(region.begin.line),
                    static_cast<uint32_t>(region.begin.column)};
}

TomlNode convert(const toml::node& node) {
    TomlNode out;
    out.pos = position(node.source());
    switch (node.type()) {
        case toml::node_type::table:
            out.type = TomlNode::Type::Table;
            for (auto&& [key, value] : *node.as_table()) {
                out.entries.push_back(
                    TomlEntry{std::string(key.str()), position(key.source()), convert(value)});
            }
            // toml++ keeps keys sorted by name; errors should come in the order they were written.
            std::stable_sort(out.entries.begin(), out.entries.end(),
                             [](const TomlEntry& a, const TomlEntry& b) { return a.pos < b.pos; });
            break;
        case toml::node_type::array:
            out.type = TomlNode::Type::Array;
            for (const toml::node& item : *node.as_array()) out.items.push_back(convert(item));
            break;
        case toml::node_type::string:
            out.type = TomlNode::Type::String;
            out.string = node.as_string()->get();
            break;
        case toml::node_type::integer:
            out.type = TomlNode::Type::Integer;
            out.integer = node.as_integer()->get();
            break;
        case toml::node_type::floating_point:
            out.type = TomlNode::Type::Float;
            break;
        case toml::node_type::boolean:
            out.type = TomlNode::Type::Boolean;
            out.boolean = node.as_boolean()->get();
            break;
        case toml::node_type::date:
            out.type = TomlNode::Type::Date;
            break;
        case toml::node_type::time:
            out.type = TomlNode::Type::Time;
            break;
        case toml::node_type::date_time:
        case toml::node_type::none:  // not produced by the parser
            out.type = TomlNode::Type::DateTime;
            break;
    }
    return out;
}

}  // namespace

const TomlEntry* TomlNode::find(std::string_view key) const {
    for (const TomlEntry& entry : entries) {
        if (entry.key == key) return &entry;
    }
    return nullptr;
}

const char* type_phrase(TomlNode::Type type) {
    switch (type) {
        case TomlNode::Type::Table:
            return "a table";
        case TomlNode::Type::Array:
            return "an array";
        case TomlNode::Type::String:
            return "a string";
        case TomlNode::Type::Integer:
            return "an integer";
        case TomlNode::Type::Float:
            return "a floating-point number";
        case TomlNode::Type::Boolean:
            return "a boolean";
        case TomlNode::Type::Date:
            return "a date";
        case TomlNode::Type::Time:
            return "a time";
        case TomlNode::Type::DateTime:
            return "a date-time";
    }
    return "a value";
}

Result<TomlNode> parse_toml(std::string_view text, const std::string& display_name) {
    try {
        toml::table root = toml::parse(text, std::string_view(display_name));
        return convert(root);
    } catch (const toml::parse_error& e) {
        const auto& begin = e.source().begin;
        return Error::of(display_name + ":" + std::to_string(begin.line) + ":" +
                         std::to_string(begin.column) + ": " + std::string(e.description()));
    }
}

}  // namespace ipcbox::config
