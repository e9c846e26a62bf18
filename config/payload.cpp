// text / hex / file payloads (see payload.hpp).
#include "config/payload.hpp"

#include <sys/stat.h>

#include <cstring>

#include "base/io.hpp"
#include "base/text.hpp"

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

const char* file_type(mode_t mode) {
    if (S_ISDIR(mode)) return "a directory";
    if (S_ISFIFO(mode)) return "a FIFO";
    if (S_ISCHR(mode)) return "a character device";
    if (S_ISBLK(mode)) return "a block device";
    if (S_ISSOCK(mode)) return "a socket";
    return "not a regular file";
}

// The bytes of an open payload file, or why not, to follow its name: "is a FIFO, not a regular
// file", "holds N bytes, which do not fit in size M". Without a capacity (the spec gets it wrong)
// the file is only checked to be a regular one, and nothing is read.
Result<std::string> read_open_file(int fd, const std::optional<Capacity>& known) {
    struct stat st {};
    if (fstat(fd, &st) != 0)
        return Error{std::string("cannot be read: ") + std::strerror(errno), {}, errno};
    if (!S_ISREG(st.st_mode))
        return Error::of(std::string("is ") + file_type(st.st_mode) + ", not a regular file");
    if (!known) return std::string();
    const Capacity& capacity = *known;
    auto too_big = [&](uint64_t size) {
        return Error::of("holds " + std::to_string(size) + " bytes, which do not fit in " +
                         capacity.what);
    };
    if (static_cast<uint64_t>(st.st_size) > capacity.bytes) return too_big(st.st_size);
    // Capped again while reading: the file may grow meanwhile.
    auto data = read_to_end(fd, capacity.bytes);
    if (!data && data.error().err == 0) return too_big(capacity.bytes + 1);
    if (!data) return Error{"cannot be read: " + data.error().message, {}, data.error().err};
    return data;
}

std::string open_error(const Error& e, const std::string& dir) {
    if (e.err == EXDEV)
        return "leads out of " + dir +
               " (an absolute path, '..' or a symlink out of the spec's directory)";
    if (e.err == ELOOP) return "goes through a symlink loop or a /proc magic link";
    return e.message;
}

std::optional<std::string> read_file_payload(const TableReader& table, const TomlNode& node,
                                             const std::optional<Capacity>& capacity) {
    ParseContext& ctx = table.ctx();
    const std::string path = table.path_of("file");
    if (!ctx.options().allow_file_references) {
        ctx.fail(node.pos,
                 path + ": file payloads are not allowed in an inline spec; use text or hex");
        return std::nullopt;
    }
    std::optional<std::string> name = read_file_name(ctx, node, path);
    if (!name) return std::nullopt;
    const auto& open_payload = ctx.options().open_payload;
    const std::string shown = open_payload ? *name : ctx.resolve(*name);
    Result<UniqueFd> fd =
        open_payload ? open_payload(ctx.base_dir(), *name) : open_for_reading(shown);
    if (!fd) {
        ctx.fail(node.pos, path + ": cannot read " + printable(shown) + ": " +
                               open_error(fd.error(), printable(ctx.base_dir())));
        return std::nullopt;
    }
    Result<std::string> data = read_open_file(fd->get(), capacity);
    if (!data) {
        ctx.fail(node.pos, path + ": " + printable(shown) + " " + data.error().message);
        return std::nullopt;
    }
    return std::move(data).value();
}

std::optional<std::string> read_bytes(const TableReader& table, const TomlEntry& chosen,
                                      const std::optional<Capacity>& capacity) {
    ParseContext& ctx = table.ctx();
    const TomlNode& node = chosen.value;
    if (chosen.key == "file") return read_file_payload(table, node, capacity);
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
            return Error::of("'" + printable(std::string(1, text[i])) + "' at offset " +
                             std::to_string(i) + " is not a hex digit");
        }
        const int low = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        if (low < 0 && i + 1 < text.size() && !is_space(text[i + 1])) {
            return Error::of("'" + printable(std::string(1, text[i + 1])) + "' at offset " +
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

std::optional<Payload> read_payload(const TableReader& table, bool required,
                                    const std::optional<Capacity>& capacity) {
    const TomlEntry* chosen = nullptr;
    for (const TomlEntry& e : table.node().entries) {
        if (e.key != "text" && e.key != "hex" && e.key != "file") continue;
        if (chosen) {
            table.fail(e.pos, "set only one of text, hex or file");
            return std::nullopt;
        }
        chosen = &e;
    }
    if (!chosen) {
        const bool misspelt =
            table.misspelt("text") || table.misspelt("hex") || table.misspelt("file");
        if (required && !misspelt) table.fail(table.pos(), "needs one of text, hex or file");
        return std::nullopt;
    }
    std::optional<std::string> bytes = read_bytes(table, *chosen, capacity);
    if (!bytes) return std::nullopt;
    return Payload{std::move(*bytes), table.path_of(chosen->key), chosen->value.pos};
}

void check_fits(const TableReader& table, const Payload& payload, uint64_t size) {
    if (payload.bytes.size() <= size) return;
    table.ctx().fail(payload.pos, payload.path + ": " + std::to_string(payload.bytes.size()) +
                                      " bytes do not fit in size " + std::to_string(size));
}

}  // namespace ipcbox::config
