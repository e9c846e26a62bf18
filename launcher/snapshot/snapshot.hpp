// `ipcbox snapshot`: the IPC state of a namespace as a spec that `ipcbox run -c` recreates. The
// capture runs in a helper that joins the target (capture.cpp); the spec text is made from plain
// values (toml_writer.cpp), so it can be tested without a namespace.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.hpp"
#include "config/spec.hpp"
#include "ipc/inventory/inventory.hpp"

namespace ipcbox::launcher::snapshot {

// What a spec needs to recreate a namespace. SysV keys of 0 are IPC_PRIVATE objects; ids are set
// only with --keep-ids.
struct Snapshot {
    std::string source;  // "pid 123", for the header comment
    // Those that differ from a fresh namespace's, and those raised for the objects (fit_limits).
    std::vector<config::Sysctl> sysctls;
    std::map<std::string, std::string> raised;  // knob -> why it is above the target's value
    config::Objects objects;
    std::vector<std::string> notes;  // what was left out and why: spec comments and stderr lines
    bool contents = true;            // false with --no-contents: no messages, bytes or values
};

struct WriteOptions {
    // Payloads larger than this go to files when `payload_files`, else stay inline.
    size_t inline_limit = 4096;
    bool payload_files = false;
    // The payload directory as the spec refers to it (relative to the spec's directory; "" for
    // that directory itself), and the start of every payload file's name.
    std::string payload_ref_dir;
    std::string file_stem = "snapshot";
};

struct PayloadFile {
    std::string name;  // in the payload directory
    std::string bytes;
};

struct SpecText {
    std::string toml;
    std::vector<PayloadFile> files;
};

// The spec of `snapshot`: [sysctl], then every object in kind order.
SpecText write_spec_toml(const Snapshot& snapshot, const WriteOptions& options);

// A TOML basic string ("...") holding `text`, with quotes, backslashes and control characters
// escaped; nullopt when `text` is not valid UTF-8 (TOML strings cannot hold such bytes).
std::optional<std::string> toml_string(std::string_view text);

// True when `bytes` reads as text: valid UTF-8 without control characters (C0, DEL, C1).
bool is_plain_text(std::string_view bytes);

// Lowercase hex digits, two per byte, no separators.
std::string hex_of(std::string_view bytes);

// The knobs of `current` whose value differs from `defaults` (whitespace-insensitive), in the
// knob table's order; knobs without effect and *_next_id (ids are restored by `id`) are left out,
// and a value a spec cannot hold (shmmax above INT64_MAX) gives a note instead.
std::vector<config::Sysctl> changed_sysctls(const std::map<std::string, std::string>& current,
                                            const std::map<std::string, std::string>& defaults,
                                            std::vector<std::string>& notes);

// Raises the knobs the replay needs so that an unprivileged creator can make every object of the
// snapshot again (`current`: the target's values), adding a comment (raised) and a note for
// each. Fails naming the object when no value of the knob can hold it (qbytes above INT_MAX).
Status fit_limits(Snapshot& snapshot, const std::map<std::string, std::string>& current);

// Every IPC-namespace knob of the namespace this process is in, by name, as /proc/sys shows it.
std::map<std::string, std::string> read_sysctls();

// The spec objects of an inventory read with contents (or without, for --no-contents), whose
// contents are moved out. Fails when a content that should have been read is missing (a /dev/shm
// file that could not be read).
Result<Snapshot> snapshot_of(ipc::Inventory& inventory, bool keep_ids, bool contents);

}  // namespace ipcbox::launcher::snapshot
