// text / hex / file payloads (see payload.hpp).
#include "config/payload.hpp"

#include <cstring>

#include "base/io.hpp"

namespace ipcbox::config {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

std::optional<std::string> read_file_payload(const TableReader& table, const TomlNode& node) {
    const std::string path = table.path_of("file");
    if (!table.ctx().options().allow_file_references) {
        table.ctx().fail(
            node.pos, path + ": file payloads are not allowed in an inline spec; use text or hex");
        return std::nullopt;
    }
    std::optional<std::string> name = read_string(table.ctx(), node, path);
    if (!name) return std::nullopt;
    const std::string resolved = table.ctx().resolve(*name);
    Result<std::string> data = read_whole_file(resolved, kMaxPayloadFileBytes);
    if (!data) {
        const int err = data.error().err;
        const std::string why =
            err ? std::strerror(err)
                : "larger than " + std::to_string(kMaxPayloadFileBytes) + " bytes";
        table.ctx().fail(node.pos, path + ": cannot read " + resolved + ": " + why);
        return std::nullopt;
    }
    return std::move(data).value();
}

std::optional<std::string> read_bytes(const TableReader& table, const TomlEntry& chosen) {
    ParseContext& ctx = table.ctx();
    const TomlNode& node = chosen.value;
    if (chosen.key == "file") return read_file_payload(table, node);
    std::optional<std::string> value = read_string(ctx, node, table.path_of(chosen.key));
    if (!value || chosen.key == "text") return value;
    Result<std::string> bytes = decode_hex(*value);
    if (!bytes) {
        ctx.fail(node.pos, table.path_of("hex") + ": " + bytes.error().message);
        return std::nullopt;
    }
    return std::move(bytes).value();
}

}  // namespace

Result<std::string> decode_hex(std::string_view text) {
    std::string bytes;
    for (size_t i = 0; i < text.size(); ++i) {
        if (is_space(text[i])) continue;
        const int high = hex_value(text[i]);
        if (high < 0) {
            return Error::of("'" + std::string(1, text[i]) + "' at offset " + std::to_string(i) +
                             " is not a hex digit");
        }
        const int low = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        if (low < 0 && i + 1 < text.size() && !is_space(text[i + 1])) {
            return Error::of("'" + std::string(1, text[i + 1]) + "' at offset " +
                             std::to_string(i + 1) + " is not a hex digit");
        }
        if (low < 0) {
            return Error::of("hex digit '" + std::string(1, text[i]) + "' at offset " +
                             std::to_string(i) + " has no second digit (write each byte as two)");
        }
        bytes.push_back(static_cast<char>(high * 16 + low));
        ++i;
    }
    return bytes;
}

std::optional<Payload> read_payload(const TableReader& table, bool required) {
    ParseContext& ctx = table.ctx();
    const TomlEntry* chosen = nullptr;
    for (const TomlEntry& e : table.node().entries) {
        if (e.key != "text" && e.key != "hex" && e.key != "file") continue;
        if (chosen && ctx.ok()) {
            table.fail(e.pos, "set only one of text, hex or file");
            return std::nullopt;
        }
        chosen = &e;
    }
    if (!ctx.ok()) return std::nullopt;
    if (!chosen) {
        if (required) table.fail(table.pos(), "needs one of text, hex or file");
        return std::nullopt;
    }
    std::optional<std::string> bytes = read_bytes(table, *chosen);
    if (!bytes) return std::nullopt;
    return Payload{std::move(*bytes), table.path_of(chosen->key), chosen->value.pos};
}

void check_fits(const TableReader& table, const Payload& payload, uint64_t size) {
    if (payload.bytes.size() <= size || !table.ctx().ok()) return;
    table.ctx().fail(payload.pos, payload.path + ": " + std::to_string(payload.bytes.size()) +
                                      " bytes do not fit in size " + std::to_string(size));
}

}  // namespace ipcbox::config
