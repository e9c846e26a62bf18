#include "config/schema.hpp"

#include <cctype>
#include <climits>
#include <functional>
#include <span>
#include <string>

#include "config/keys.hpp"
#include "config/sysctl_knobs.hpp"
#include "config/value_rules.hpp"

namespace ipcbox::config {
namespace {

using nlohmann::json;
using Keys = std::span<const std::string_view>;
// The schema of one key of a table; null for a key it does not know, which then accepts anything
// (and the unit test fails: every key the parser takes must have a type here).
using TypeOf = std::function<json(std::string_view key)>;

json integer(int64_t min, int64_t max) {
    return {{"type", "integer"}, {"minimum", min}, {"maximum", max}};
}
json boolean() {
    return {{"type", "boolean"}};
}
json string() {
    return {{"type", "string"}};
}
json mode(int64_t max = 0777) {
    return integer(0, max);
}
json size() {
    return {{"anyOf",
             {{{"type", "integer"}, {"minimum", 1}},
              {{"type", "string"}, {"pattern", "^[0-9]+[KMG]?$"}}}}};
}
template <class E, size_t N>
json choice(const E (&values)[N], const char* (*name_of)(E)) {
    json names = json::array();
    for (E v : values) names.push_back(name_of(v));
    return {{"enum", names}};
}
json list_of(json item) {
    return {{"type", "array"}, {"items", std::move(item)}, {"uniqueItems", true}};
}
json table(Keys keys, const TypeOf& type_of, json required = json::array()) {
    json properties = json::object();
    for (std::string_view key : keys) {
        json type = type_of(key);
        properties[std::string(key)] = type.is_null() ? json(true) : type;
    }
    json t = {{"type", "object"}, {"additionalProperties", false}, {"properties", properties}};
    if (!required.empty()) t["required"] = required;
    return t;
}
// [[a.b]] or b = [{ ... }]: an array of tables.
json tables(json item) {
    return {{"type", "array"}, {"items", std::move(item)}};
}

json payload_or(std::string_view key, const TypeOf& other) {
    if (key == "text" || key == "hex" || key == "file") return string();
    return other(key);
}

json sandbox() {
    json tmpfs_table = table(keys::kTmpfs,
                             [](std::string_view k) -> json {
                                 if (k == "path") return string();
                                 if (k == "size") return size();
                                 if (k == "mode") return mode(07777);
                                 return nullptr;
                             },
                             {"path"});
    return table(keys::kSandbox, [&](std::string_view k) -> json {
        if (k == "user") return choice(keys::kUserModes, user_mode_name);
        if (k == "uid" || k == "gid") return integer(0, kMaxId);
        if (k == "mount" || k == "net" || k == "pid" || k == "die_with_parent") return boolean();
        if (k == "hostname") return {{"type", "string"}, {"pattern", "^[A-Za-z0-9.-]{0,64}$"}};
        if (k == "timeout") return integer(0, kMaxTimeoutSeconds);
        if (k == "scope") return list_of(choice(kAllScopes, scope_name));
        if (k == "tmpfs")
            return {{"type", "array"}, {"items", {{"anyOf", {string(), tmpfs_table}}}}};
        if (k == "capabilities") {
            // The parser takes any case, with or without "CAP_"; the schema lists the kernel's
            // spelling and the lower-case one, both with and without the prefix.
            json names = json::array();
            for (std::string_view name : capability_names()) {
                std::string lower;
                for (char c : name) lower += static_cast<char>(std::tolower(c));
                for (const std::string& n :
                     {std::string(name), std::string(name.substr(4)), lower, lower.substr(4)})
                    names.push_back(n);
            }
            return {{"type", "array"}, {"uniqueItems", true}, {"items", {{"enum", names}}}};
        }
        return nullptr;
    });
}

// SysV objects: key, ftok or private, id, mode, owner, group, and their own keys.
json sysv_common(std::string_view k) {
    if (k == "key")
        return {{"type", "integer"},
                {"minimum", INT32_MIN},
                {"maximum", INT32_MAX},
                {"not", {{"const", 0}}}};
    if (k == "ftok")
        return table(keys::kFtok,
                     [](std::string_view f) -> json {
                         if (f == "path") return {{"type", "string"}, {"minLength", 1}};
                         if (f == "proj") return integer(1, 255);
                         return nullptr;
                     },
                     {"path", "proj"});
    if (k == "private") return {{"const", true}};
    if (k == "id") return integer(0, INT_MAX);
    if (k == "mode") return mode();
    if (k == "owner" || k == "group") return integer(0, kMaxId);
    return nullptr;
}

json sysv() {
    const json message = table(keys::kSysvMessage, [](std::string_view k) {
        return payload_or(k, [](std::string_view m) -> json {
            return m == "type" ? integer(1, LONG_MAX) : json();
        });
    });
    return table(keys::kSysv, [&](std::string_view kind) -> json {
        if (kind == "queue")
            return tables(table(keys::kSysvQueue, [&](std::string_view k) -> json {
                if (k == "max_bytes") return size();
                if (k == "messages") return tables(message);
                return sysv_common(k);
            }));
        if (kind == "semaphore")
            return tables(table(keys::kSysvSemaphore,
                                [](std::string_view k) -> json {
                                    if (k == "values")
                                        return {{"type", "array"},
                                                {"minItems", 1},
                                                {"items", integer(0, kMaxSemValue)}};
                                    return sysv_common(k);
                                },
                                {"values"}));
        if (kind == "shm")
            return tables(table(keys::kSysvShm,
                                [](std::string_view k) {
                                    return payload_or(k, [](std::string_view s) -> json {
                                        return s == "size" ? size() : sysv_common(s);
                                    });
                                },
                                {"size"}));
        return nullptr;
    });
}

json posix_common(std::string_view k) {
    if (k == "name") return {{"type", "string"}, {"pattern", "^/[^/]{1,254}$"}};
    if (k == "mode") return mode();
    return nullptr;
}

json posix() {
    const json message = table(keys::kPosixMessage, [](std::string_view k) {
        return payload_or(k, [](std::string_view m) -> json {
            return m == "priority" ? integer(0, kMaxMqPriority) : json();
        });
    });
    return table(keys::kPosix, [&](std::string_view kind) -> json {
        if (kind == "queue")
            return tables(table(keys::kPosixQueue,
                                [&](std::string_view k) -> json {
                                    if (k == "max_messages") return integer(1, kMaxMqMessages);
                                    if (k == "message_size") return integer(1, kMaxMqMessageSize);
                                    if (k == "messages") return tables(message);
                                    return posix_common(k);
                                },
                                {"name"}));
        if (kind == "shm")
            return tables(table(keys::kPosixShm,
                                [](std::string_view k) {
                                    return payload_or(k, [](std::string_view s) -> json {
                                        return s == "size" ? size() : posix_common(s);
                                    });
                                },
                                {"name", "size"}));
        if (kind == "semaphore")
            return tables(table(keys::kPosixSemaphore,
                                [](std::string_view k) -> json {
                                    if (k == "value") return integer(0, kMaxPosixSemValue);
                                    return posix_common(k);
                                },
                                {"name"}));
        return nullptr;
    });
}

json knob_value(const SysctlKnob& knob) {
    if (knob.count == 1) return integer(knob.min, knob.max);
    const std::string n = std::to_string(knob.count - 1);
    return {{"anyOf",
             {{{"type", "array"},
               {"minItems", knob.count},
               {"maxItems", knob.count},
               {"items", integer(knob.min, knob.max)}},
              {{"type", "string"}, {"pattern", "^\\s*-?[0-9]+(\\s+-?[0-9]+){" + n + "}\\s*$"}}}}};
}

// The knobs under `prefix` ("" for [sysctl] itself): TOML may split a knob's dotted name at any
// of its dots ("kernel.msgmnb" = 1, kernel.msgmnb = 1, [sysctl.kernel] msgmnb = 1), and the
// parser joins them back; knobs without effect in an IPC namespace are refused, so absent.
json sysctl_table(const std::string& prefix) {
    json properties = json::object();
    for (const SysctlKnob& knob : sysctl_knobs()) {
        if (!knob.has_effect()) continue;
        const std::string name(knob.name);
        if (!prefix.empty() && !name.starts_with(prefix + ".")) continue;
        const std::string rest = prefix.empty() ? name : name.substr(prefix.size() + 1);
        for (size_t dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.', dot + 1)) {
            const std::string head = rest.substr(0, dot);
            properties[head] = sysctl_table(prefix.empty() ? head : prefix + "." + head);
        }
        properties[rest] = knob_value(knob);
    }
    return {{"type", "object"}, {"additionalProperties", false}, {"properties", properties}};
}

}  // namespace

json spec_schema() {
    json top = table(keys::kTop, [](std::string_view section) -> json {
        if (section == "sandbox") return sandbox();
        if (section == "dev_shm")
            return table(keys::kDevShm, [](std::string_view k) -> json {
                if (k == "mode") return choice(keys::kDevShmModes, dev_shm_mode_name);
                if (k == "size") return size();
                return nullptr;
            });
        if (section == "sysctl") return sysctl_table("");
        if (section == "sysv") return sysv();
        if (section == "posix") return posix();
        if (section == "block")
            return table(keys::kBlock, [](std::string_view k) -> json {
                if (k == "kinds" || k == "create") return list_of(choice(kAllIpcKinds, kind_name));
                if (k == "errno") return choice(keys::kErrnos, errno_name);
                return nullptr;
            });
        if (section == "leaks")
            return table(keys::kLeaks, [](std::string_view k) -> json {
                if (k == "report") return {{"type", "string"}, {"minLength", 1}};
                if (k == "fail") return boolean();
                return nullptr;
            });
        if (section == "hook")
            return table(keys::kHook, [](std::string_view k) -> json {
                return k == "allow_shared_ipc" ? boolean() : json();
            });
        return nullptr;
    });
    json schema = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
                   {"title", "ipcbox spec"},
                   {"description",
                    "A spec of ipcbox(1): the sandbox, /dev/shm, IPC namespace limits, IPC objects "
                    "to preseed, IPC to block, leak reports. See ipcbox.toml(5)."}};
    schema.update(top);
    return schema;
}

}  // namespace ipcbox::config
