#include "ipc/inventory/json.hpp"

#include <cstdio>

namespace ipcbox::ipc {
namespace {

using config::IpcKind;
using nlohmann::json;

template <class T>
json or_null(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

template <class T>
std::optional<T> optional_field(const json& j, const char* name) {
    if (!j.contains(name) || j.at(name).is_null()) return std::nullopt;
    return j.at(name).get<T>();
}

uint32_t parse_mode(const std::string& text) {
    return static_cast<uint32_t>(std::stoul(text, nullptr, 8));
}

}  // namespace

std::string key_text(key_t key) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", static_cast<unsigned>(key));
    return buf;
}

std::string mode_text(uint32_t mode) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04o", mode);
    return buf;
}

json object_to_json(const IpcObject& o) {
    json j;
    j["kind"] = config::kind_name(o.kind);
    if (is_sysv(o.kind)) {
        j["key"] = key_text(o.key);
        j["id"] = o.id;
    } else {
        j["name"] = o.name;
    }
    j["mode"] = mode_text(o.mode);
    j["uid"] = o.uid;
    j["gid"] = o.gid;
    if (is_sysv(o.kind)) {
        j["cuid"] = o.cuid;
        j["cgid"] = o.cgid;
        j["change_time"] = o.change_time;
    } else {
        j["modify_time"] = o.modify_time;
    }
    switch (o.kind) {
        case IpcKind::SysvQueue:
            j["messages"] = o.messages.value_or(0);
            j["bytes"] = o.size;
            j["send_pid"] = o.send_pid;
            j["recv_pid"] = o.recv_pid;
            j["send_time"] = o.send_time;
            j["recv_time"] = o.recv_time;
            break;
        case IpcKind::SysvSemaphore:
            j["nsems"] = o.nsems;
            j["values"] = or_null(o.values);
            j["op_time"] = o.op_time;
            break;
        case IpcKind::SysvShm:
            j["size"] = o.size;
            j["attached"] = o.attached;
            j["removed"] = o.removed;
            j["creator_pid"] = o.creator_pid;
            j["last_pid"] = o.last_pid;
            j["attach_time"] = o.attach_time;
            j["detach_time"] = o.detach_time;
            break;
        case IpcKind::PosixQueue:
            j["messages"] = or_null(o.messages);
            j["bytes"] = o.size;
            j["max_messages"] = or_null(o.max_messages);
            j["message_size"] = or_null(o.message_size);
            break;
        case IpcKind::PosixShm:
            j["size"] = o.size;
            break;
        case IpcKind::PosixSemaphore:
            j["value"] = o.values && !o.values->empty() ? json(o.values->front()) : json(nullptr);
            break;
    }
    if (!o.digest.empty()) j["digest"] = o.digest;
    return j;
}

Result<IpcObject> object_from_json(const json& j) {
    try {
        IpcObject o;
        const std::string kind = j.at("kind").get<std::string>();
        auto parsed = config::kind_from_name(kind);
        if (!parsed) return Error::of("unknown kind '" + kind + "'");
        o.kind = *parsed;
        if (is_sysv(o.kind)) {
            o.key = static_cast<key_t>(std::stoul(j.at("key").get<std::string>(), nullptr, 16));
            o.id = j.at("id").get<int>();
            o.cuid = j.at("cuid").get<uint32_t>();
            o.cgid = j.at("cgid").get<uint32_t>();
            o.change_time = j.at("change_time").get<int64_t>();
        } else {
            o.name = j.at("name").get<std::string>();
            o.modify_time = j.at("modify_time").get<int64_t>();
        }
        o.mode = parse_mode(j.at("mode").get<std::string>());
        o.uid = j.at("uid").get<uint32_t>();
        o.gid = j.at("gid").get<uint32_t>();
        o.messages = optional_field<uint64_t>(j, "messages");
        o.size = j.value("bytes", j.value("size", uint64_t{0}));
        o.nsems = j.value("nsems", 0u);
        o.values = optional_field<std::vector<int>>(j, "values");
        if (auto v = optional_field<int>(j, "value")) o.values = std::vector<int>{*v};
        o.max_messages = optional_field<long>(j, "max_messages");
        o.message_size = optional_field<long>(j, "message_size");
        o.send_pid = j.value("send_pid", 0);
        o.recv_pid = j.value("recv_pid", 0);
        o.creator_pid = j.value("creator_pid", 0);
        o.last_pid = j.value("last_pid", 0);
        o.attached = j.value("attached", 0u);
        o.removed = j.value("removed", false);
        o.send_time = j.value("send_time", int64_t{0});
        o.recv_time = j.value("recv_time", int64_t{0});
        o.op_time = j.value("op_time", int64_t{0});
        o.attach_time = j.value("attach_time", int64_t{0});
        o.detach_time = j.value("detach_time", int64_t{0});
        o.digest = j.value("digest", std::string());
        return o;
    } catch (const std::exception& e) {
        return Error::of(std::string("malformed IPC object: ") + e.what());
    }
}

json inventory_to_json(const Inventory& inventory) {
    json objects = json::array();
    for (const IpcObject& o : inventory.objects) objects.push_back(object_to_json(o));
    return json{{"ipc_ns", inventory.ipc_ns},
                {"mnt_ns", inventory.mnt_ns},
                {"notes", inventory.notes},
                {"objects", std::move(objects)}};
}

Result<Inventory> inventory_from_json(const json& j) {
    Inventory inventory;
    try {
        inventory.ipc_ns = j.at("ipc_ns").get<uint64_t>();
        inventory.mnt_ns = j.at("mnt_ns").get<uint64_t>();
        inventory.notes = j.at("notes").get<std::vector<std::string>>();
        for (const json& item : j.at("objects")) {
            auto o = object_from_json(item);
            if (!o) return std::move(o).error();
            inventory.objects.push_back(std::move(o).value());
        }
    } catch (const std::exception& e) {
        return Error::of(std::string("malformed inventory: ") + e.what());
    }
    return inventory;
}

std::string dump_json(const json& j, int indent) {
    return j.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace ipcbox::ipc
