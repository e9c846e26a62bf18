// Byte payloads of preseeded objects: one of `text`, `hex` or `file` in a table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "config/toml_reader.hpp"

namespace ipcbox::config {

// "de ad be ef" or "deadbeef": pairs of hex digits, whitespace allowed between bytes only.
// The error names the offending character's offset; the caller adds the path.
Result<std::string> decode_hex(std::string_view text);

struct Payload {
    std::string bytes;
    std::string path;  // "sysv.shm[0].text", for messages about the bytes
    Position pos;      // of the value
};

// What the payload's object can hold, which is also the most read from a file: "size 4096".
struct Capacity {
    uint64_t bytes;
    std::string what;
};

// The bytes given by `table`'s text, hex or file key. nullopt when none is given (a problem if
// `required`, unless a misspelling of one is there) or after recording a problem. A file is read
// now, relative to the spec's directory (or through LoadOptions::open_payload); only a regular
// file is read, and only when it fits `capacity`, so a FIFO or a device is refused at once instead
// of blocking or filling memory. Without a capacity (the spec gets its object's limit wrong) a
// file is checked but not read, and its bytes are left empty.
std::optional<Payload> read_payload(const TableReader& table, bool required,
                                    const std::optional<Capacity>& capacity);

// Records "path: N bytes do not fit in size S" when the payload is larger than its object.
void check_fits(const TableReader& table, const Payload& payload, uint64_t size);

// The keys read_payload() reads, for TableReader::allow_only() lists.
inline constexpr std::string_view kPayloadKeys[] = {"text", "hex", "file"};

}  // namespace ipcbox::config
