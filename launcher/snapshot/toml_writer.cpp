// The spec text of a snapshot. Payloads: text when they read as text, hex otherwise, and a file in
// the payload directory when larger than the inline limit (WriteOptions).
#include <cstdio>
#include <sstream>

#include "base/text.hpp"
#include "launcher/snapshot/snapshot.hpp"

namespace ipcbox::launcher::snapshot {
namespace {

// Length of the UTF-8 sequence starting at s[i] and its code point; 0 when malformed.
size_t utf8_sequence(std::string_view s, size_t i, uint32_t& code) {
    const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char b = byte(i);
    size_t length = 0;
    uint32_t min = 0;
    if (b < 0x80) {
        code = b;
        return 1;
    } else if ((b & 0xe0) == 0xc0) {
        length = 2, code = b & 0x1f, min = 0x80;
    } else if ((b & 0xf0) == 0xe0) {
        length = 3, code = b & 0x0f, min = 0x800;
    } else if ((b & 0xf8) == 0xf0) {
        length = 4, code = b & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (i + length > s.size()) return 0;
    for (size_t k = 1; k < length; ++k) {
        if ((byte(i + k) & 0xc0) != 0x80) return 0;
        code = (code << 6) | (byte(i + k) & 0x3f);
    }
    // Overlong forms, UTF-16 surrogates and values past Unicode are not UTF-8.
    if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return 0;
    return length;
}

bool is_control(uint32_t code) {
    return code < 0x20 || (code >= 0x7f && code <= 0x9f);
}

std::string octal_mode(uint32_t mode) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0o%o", mode);
    return buf;
}

// Keys above 0x7fffffff are negative key_t values: TOML has no negative hex.
std::string key_literal(key_t key) {
    if (key < 0) return std::to_string(key);
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", static_cast<unsigned>(key));
    return buf;
}

class Writer {
  public:
    Writer(const WriteOptions& options) : options_(options) {}

    // `text = "..."`, `hex = "..."` or `file = "..."` for these bytes; `what` names the file.
    std::string payload(const std::string& bytes, const std::string& what) {
        if (bytes.size() > options_.inline_limit && options_.payload_files) {
            PayloadFile f{options_.file_stem + "." + what + ".bin", bytes};
            const std::string ref =
                options_.payload_ref_dir.empty() ? f.name : options_.payload_ref_dir + "/" + f.name;
            files_.push_back(std::move(f));
            // The directory and stem are the caller's, so they may not be UTF-8.
            if (auto quoted = toml_string(ref)) return "file = " + *quoted;
            files_.pop_back();
        }
        if (is_plain_text(bytes)) return "text = " + *toml_string(bytes);
        return "hex = \"" + hex_of(bytes) + "\"";
    }

    void sysctls(const std::vector<config::Sysctl>& sysctls,
                 const std::map<std::string, std::string>& raised) {
        if (sysctls.empty()) return;
        out_ << "\n[sysctl]\n";
        for (const config::Sysctl& s : sysctls) {
            if (auto why = raised.find(s.key); why != raised.end())
                out_ << "# " << escape_controls(why->second) << "\n";
            const bool several = s.value.find(' ') != std::string::npos;
            out_ << '"' << s.key << "\" = " << (several ? "\"" + s.value + "\"" : s.value) << "\n";
        }
    }

    void common(const char* table, const config::SysvKey& key, const std::optional<int>& id,
                const config::Access& access) {
        out_ << "\n[[" << table << "]]\n";
        if (key.value.value_or(0) == 0)
            out_ << "private = true  # IPC_PRIVATE (key 0)\n";
        else
            out_ << "key = " << key_literal(*key.value) << "\n";
        if (id) out_ << "id = " << *id << "\n";
        out_ << "mode = " << octal_mode(access.mode) << "\n";
        if (access.owner) out_ << "owner = " << *access.owner << "\n";
        if (access.group) out_ << "group = " << *access.group << "\n";
    }

    void objects(const config::Objects& objects, bool contents) {
        size_t n = 0;
        for (const config::SysvQueue& q : objects.sysv_queues) {
            common("sysv.queue", q.key, q.id, q.access);
            if (q.max_bytes) out_ << "max_bytes = " << *q.max_bytes << "\n";
            if (!q.messages.empty()) {
                out_ << "messages = [\n";
                for (size_t i = 0; i < q.messages.size(); ++i) {
                    const config::SysvMessage& m = q.messages[i];
                    out_ << "  { type = " << m.type << ", "
                         << payload(m.bytes, "sysv.queue-" + std::to_string(n) + "-message-" +
                                                 std::to_string(i))
                         << " },\n";
                }
                out_ << "]\n";
            }
            ++n;
        }
        for (const config::SysvSemaphore& s : objects.sysv_semaphores) {
            common("sysv.semaphore", s.key, s.id, s.access);
            out_ << "values = [";
            for (size_t i = 0; i < s.values.size(); ++i) out_ << (i ? ", " : "") << s.values[i];
            out_ << "]" << (contents ? "" : "  # --no-contents: not captured") << "\n";
        }
        n = 0;
        for (const config::SysvShm& s : objects.sysv_shms) {
            common("sysv.shm", s.key, s.id, s.access);
            out_ << "size = " << s.size_bytes << "\n";
            if (contents)
                out_ << "# bytes read through a read-only attach, which set the original's "
                        "attach time\n";
            if (!s.initial.empty())
                out_ << payload(s.initial, "sysv.shm-" + std::to_string(n)) << "\n";
            ++n;
        }
        for (const config::PosixQueue& q : objects.posix_queues) {
            out_ << "\n[[posix.queue]]\nname = " << *toml_string(q.name) << "\n";
            if (q.max_messages) out_ << "max_messages = " << *q.max_messages << "\n";
            if (q.message_size) out_ << "message_size = " << *q.message_size << "\n";
            out_ << "mode = " << octal_mode(q.mode) << "\n"
                 << "# messages: not captured (a POSIX queue cannot be read without taking them)\n";
        }
        n = 0;
        for (const config::PosixShm& s : objects.posix_shms) {
            out_ << "\n[[posix.shm]]\nname = " << *toml_string(s.name) << "\n"
                 << "size = " << s.size_bytes << "\nmode = " << octal_mode(s.mode) << "\n";
            if (!s.initial.empty())
                out_ << payload(s.initial, "posix.shm-" + std::to_string(n)) << "\n";
            ++n;
        }
        for (const config::PosixSemaphore& s : objects.posix_semaphores) {
            out_ << "\n[[posix.semaphore]]\nname = " << *toml_string(s.name) << "\n"
                 << "value = " << s.value << (contents ? "" : "  # --no-contents: not captured")
                 << "\nmode = " << octal_mode(s.mode) << "\n";
        }
    }

    std::ostringstream& out() { return out_; }
    std::vector<PayloadFile> take_files() { return std::move(files_); }

  private:
    const WriteOptions& options_;
    std::ostringstream out_;
    std::vector<PayloadFile> files_;
};

}  // namespace

bool is_plain_text(std::string_view bytes) {
    for (size_t i = 0; i < bytes.size();) {
        uint32_t code = 0;
        const size_t length = utf8_sequence(bytes, i, code);
        if (length == 0 || is_control(code)) return false;
        i += length;
    }
    return true;
}

std::optional<std::string> toml_string(std::string_view text) {
    std::string out = "\"";
    for (size_t i = 0; i < text.size();) {
        uint32_t code = 0;
        const size_t length = utf8_sequence(text, i, code);
        if (length == 0) return std::nullopt;
        if (code == '"' || code == '\\') {
            out += '\\';
            out += static_cast<char>(code);
        } else if (is_control(code)) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", code);
            out += buf;
        } else {
            out.append(text.substr(i, length));
        }
        i += length;
    }
    return out + "\"";
}

std::string hex_of(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char b : bytes) {
        out += kDigits[b >> 4];
        out += kDigits[b & 15];
    }
    return out;
}

SpecText write_spec_toml(const Snapshot& snapshot, const WriteOptions& options) {
    Writer w(options);
    w.out() << "# ipcbox snapshot of " << snapshot.source << "; replay it with\n"
            << "#   ipcbox run -c THIS_FILE -- COMMAND\n";
    if (!snapshot.contents) w.out() << "# --no-contents: no messages, bytes or values\n";
    for (const std::string& note : snapshot.notes)
        w.out() << "# note: " << escape_controls(note) << "\n";
    w.sysctls(snapshot.sysctls, snapshot.raised);
    w.objects(snapshot.objects, snapshot.contents);
    return {w.out().str(), w.take_files()};
}

}  // namespace ipcbox::launcher::snapshot
