// From an inventory read with contents to spec objects, and the IPC knobs that differ from a
// fresh namespace's.
#include <algorithm>
#include <charconv>
#include <sstream>

#include "base/io.hpp"
#include "base/text.hpp"
#include "config/sysctl_knobs.hpp"
#include "ipc/inventory/json.hpp"
#include "launcher/snapshot/snapshot.hpp"

namespace ipcbox::launcher::snapshot {
namespace {

using config::IpcKind;

// "250\t32000  32 128\n" -> "250 32000 32 128".
std::string normalized(const std::string& value) {
    std::istringstream in(value);
    std::string out;
    for (std::string word; in >> word;) out += (out.empty() ? "" : " ") + word;
    return out;
}

// Every integer of the value fits the knob's range (shmmax's default, ULONG_MAX - 2^24, does
// not fit the spec's INT64_MAX).
bool fits(const config::SysctlKnob& knob, const std::string& value) {
    std::istringstream in(value);
    int count = 0;
    for (std::string word; in >> word; ++count) {
        if (!word.empty() && word[0] == '-') {
            int64_t v = 0;
            auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
            if (ec != std::errc() || end != word.data() + word.size() || v < knob.min) return false;
        } else {
            uint64_t v = 0;
            auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
            if (ec != std::errc() || end != word.data() + word.size() ||
                v > static_cast<uint64_t>(knob.max))
                return false;
        }
    }
    return count == knob.count;
}

std::string object_name(const ipc::IpcObject& o) {
    return std::string(config::kind_name(o.kind)) + " " +
           (config::is_sysv(o.kind) ? ipc::key_text(o.key) + " id " + std::to_string(o.id)
                                    : printable(o.name));
}

template <class T>
void set_sysv_common(T& out, const ipc::IpcObject& o, bool keep_ids) {
    out.key.value = o.key;
    if (keep_ids) out.id = o.id;
    out.access.mode = o.mode;
    out.access.owner = o.uid;
    out.access.group = o.gid;
}

// Trailing zero bytes are left out: a new segment or file starts zeroed.
// Moved out of the inventory: segments may be large.
Result<std::string> take_contents(ipc::IpcObject& o) {
    if (!o.contents) return Error::of(object_name(o) + ": its bytes could not be read");
    std::string bytes = std::move(*o.contents);
    const size_t end = bytes.find_last_not_of('\0');
    bytes.resize(end == std::string::npos ? 0 : end + 1);
    return bytes;
}

}  // namespace

std::map<std::string, std::string> read_sysctls() {
    std::map<std::string, std::string> values;
    for (const config::SysctlKnob& knob : config::sysctl_knobs()) {
        auto text = read_whole_file(config::sysctl_path(knob.name), 256);
        if (text) values[std::string(knob.name)] = normalized(*text);
    }
    return values;
}

std::vector<config::Sysctl> changed_sysctls(const std::map<std::string, std::string>& current,
                                            const std::map<std::string, std::string>& defaults,
                                            std::vector<std::string>& notes) {
    std::vector<config::Sysctl> changed;
    for (const config::SysctlKnob& knob : config::sysctl_knobs()) {
        const std::string name(knob.name);
        if (!knob.has_effect() || name.ends_with("_next_id")) continue;
        auto now = current.find(name);
        auto fresh = defaults.find(name);
        if (now == current.end() || fresh == defaults.end()) {
            if (now != current.end() || fresh != defaults.end())
                notes.push_back(name +
                                ": not compared (unreadable in the target or in a fresh "
                                "namespace)");
            continue;
        }
        const std::string value = normalized(now->second);
        if (value == normalized(fresh->second)) continue;
        if (!fits(knob, value)) {
            notes.push_back(name + " = " + printable(value) +
                            ": left out, a spec cannot hold this value");
            continue;
        }
        config::Sysctl knob_value;
        knob_value.key = name;
        knob_value.value = value;
        changed.push_back(std::move(knob_value));
    }
    return changed;
}

Result<Snapshot> snapshot_of(ipc::Inventory& inventory, bool keep_ids, bool contents) {
    Snapshot s;
    s.contents = contents;
    s.notes = inventory.notes;
    config::Objects& out = s.objects;
    uint64_t uncopied_messages = 0, uncopied_queues = 0;
    for (ipc::IpcObject& o : inventory.objects) {
        if (!config::is_sysv(o.kind) && !toml_string(o.name)) {
            s.notes.push_back(object_name(o) + ": left out, its name is not UTF-8");
            continue;
        }
        switch (o.kind) {
            case IpcKind::SysvQueue: {
                config::SysvQueue q;
                set_sysv_common(q, o, keep_ids);
                q.max_bytes = o.max_bytes;
                if (contents && o.copied_messages)
                    for (ipc::CopiedMessage& m : *o.copied_messages)
                        q.messages.push_back({m.type, std::move(m.bytes)});
                if (contents && !o.copied_messages) {
                    uncopied_messages += o.messages.value_or(0);
                    ++uncopied_queues;
                }
                out.sysv_queues.push_back(std::move(q));
                break;
            }
            case IpcKind::SysvSemaphore: {
                config::SysvSemaphore sem;
                set_sysv_common(sem, o, keep_ids);
                if (contents && !o.values)
                    return Error::of(object_name(o) + ": its values could not be read");
                sem.values = contents ? *o.values : std::vector<int>(o.nsems, 0);
                out.sysv_semaphores.push_back(std::move(sem));
                break;
            }
            case IpcKind::SysvShm: {
                config::SysvShm shm;
                set_sysv_common(shm, o, keep_ids);
                shm.size_bytes = o.size;
                if (contents) {
                    auto bytes = take_contents(o);
                    if (!bytes) return std::move(bytes).error();
                    shm.initial = std::move(*bytes);
                }
                out.sysv_shms.push_back(std::move(shm));
                break;
            }
            case IpcKind::PosixQueue: {
                config::PosixQueue q;
                q.name = o.name;
                q.mode = o.mode;
                q.max_messages = o.max_messages;
                q.message_size = o.message_size;
                if (!o.messages || *o.messages > 0)
                    s.notes.push_back(object_name(o) + ": " +
                                      (o.messages ? std::to_string(*o.messages) : "unknown") +
                                      " message(s) left out: a POSIX queue cannot be read "
                                      "without taking them");
                out.posix_queues.push_back(std::move(q));
                break;
            }
            case IpcKind::PosixShm: {
                config::PosixShm shm;
                shm.name = o.name;
                shm.size_bytes = o.size;
                shm.mode = o.mode;
                if (contents) {
                    auto bytes = take_contents(o);
                    if (!bytes) return std::move(bytes).error();
                    shm.initial = std::move(*bytes);
                }
                out.posix_shms.push_back(std::move(shm));
                break;
            }
            case IpcKind::PosixSemaphore: {
                config::PosixSemaphore sem;
                sem.name = o.name;
                sem.mode = o.mode;
                if (contents && (!o.values || o.values->empty()))
                    return Error::of(object_name(o) + ": its value could not be read");
                sem.value = contents ? static_cast<unsigned>(o.values->front()) : 0;
                out.posix_semaphores.push_back(std::move(sem));
                break;
            }
        }
    }
    if (uncopied_queues > 0)
        s.notes.push_back("sysv.queue: " + std::to_string(uncopied_messages) + " message(s) of " +
                          std::to_string(uncopied_queues) +
                          " queue(s) left out: msgrcv MSG_COPY is not available (ENOSYS: a kernel "
                          "without CONFIG_CHECKPOINT_RESTORE, or a seccomp filter); those queues "
                          "are written with their attributes only");
    return s;
}

}  // namespace ipcbox::launcher::snapshot
