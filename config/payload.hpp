// Byte payloads of preseeded objects: one of `text`, `hex` or `file` in a table.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"
#include "config/toml_reader.hpp"

namespace ipcbox::config {

// Largest payload file read; it keeps `file = "/dev/zero"` from reading forever.
inline constexpr uint64_t kMaxPayloadFileBytes = 1ull << 30;

// "de ad be ef" or "deadbeef": pairs of hex digits, whitespace allowed between bytes only.
// The error names the offending character's offset; the caller adds the path.
Result<std::string> decode_hex(std::string_view text);

struct Payload {
    std::string bytes;
    std::string path;  // "sysv.shm[0].text", for messages about the bytes
    Position pos;      // of the value
};

// The bytes given by `table`'s text, hex or file key (a file is read now, relative to the spec's
// directory). nullopt when none is given (an error if `required`) or after recording an error.
std::optional<Payload> read_payload(const TableReader& table, bool required);

// Records "path: N bytes do not fit in size S" when the payload is larger than its object.
void check_fits(const TableReader& table, const Payload& payload, uint64_t size);

// The keys read_payload() reads, for TableReader::allow_only() lists.
inline constexpr std::string_view kPayloadKeys[] = {"text", "hex", "file"};

}  // namespace ipcbox::config
