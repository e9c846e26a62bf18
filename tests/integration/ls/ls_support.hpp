// Helpers for the ls and leak report tests: a spec with one object of every kind, and lookups in
// the JSON that ls --json and the leak report print.
#pragma once

#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {

// One preseeded object of each kind, with values the tests check.
inline const char* kEveryKindSpec = R"(
[[sysv.queue]]
key = 0x4c01
mode = 0o640
messages = [{ type = 7, text = "first" }, { type = 3, text = "second" }]

[[sysv.semaphore]]
key = 0x4c02
values = [3, 0, 5]

[[sysv.shm]]
key = 0x4c03
size = "8K"
mode = 0o604

[[posix.queue]]
name = "/jobs"
max_messages = 10
message_size = 256
mode = 0o640
messages = [{ priority = 5, text = "urgent" }]

[[posix.shm]]
name = "/frame"
size = 4096
mode = 0o644

[[posix.semaphore]]
name = "/lock"
value = 2
)";

// Parses JSON; on malformed text, a JSON string holding the text (so assertions show it).
inline nlohmann::json parse_json(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    return j.is_discarded() ? nlohmann::json("<not JSON> " + text) : j;
}

// The object of `kind` whose "key" (SysV, "0x00004c01") or "name" (POSIX) is `id`; null if none.
inline nlohmann::json find_object(const nlohmann::json& objects, const std::string& kind,
                                  const std::string& id) {
    if (!objects.is_array()) return nullptr;
    for (const auto& o : objects) {
        if (o.value("kind", "") != kind) continue;
        if (o.value("key", "") == id || o.value("name", "") == id) return o;
    }
    return nullptr;
}

// "ipc:[4026532178]" -> 4026532178, the inode of /proc/PID/ns/KIND (0 when unreadable).
inline uint64_t namespace_inode(const std::string& pid, const std::string& kind) {
    struct stat st;
    const std::string path = "/proc/" + pid + "/ns/" + kind;
    return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The first child of `pid` (the sandbox's first process, under a test's own Spawned ipcbox).
inline std::string first_child(pid_t pid) {
    const std::string p = std::to_string(pid);
    std::ifstream in("/proc/" + p + "/task/" + p + "/children");
    std::string child;
    in >> child;
    return child;
}

}  // namespace ipcbox::test
