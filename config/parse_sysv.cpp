// [[sysv.queue]], [[sysv.semaphore]] and [[sysv.shm]]: SysV objects to create before the command.
#include <sys/ipc.h>

#include <climits>

#include "config/keys.hpp"
#include "config/parse_parts.hpp"
#include "config/payload.hpp"
#include "config/value_rules.hpp"

namespace ipcbox::config {

namespace {

void read_literal_key(const TableReader& t, const TomlNode& node, SysvKey& out) {
    ParseContext& ctx = t.ctx();
    const std::string path = t.path_of("key");
    if (!expect_type(ctx, node, path, TomlNode::Type::Integer)) return;
    const int64_t v = node.integer;
    if (v == 0) {
        ctx.fail(node.pos,
                 path +
                     ": 0 is IPC_PRIVATE, which makes a new object that no other "
                     "process can look up by key; use a non-zero key (or private = true for an "
                     "object reached by id)");
    } else if (v > INT32_MAX && v <= UINT32_MAX) {
        // key_t is a signed int: 0xdeadbeef has to be written as the int32 it becomes.
        ctx.fail(node.pos, path + ": " + std::to_string(v) +
                               " is out of range (-2147483648 to 2147483647); write a key above "
                               "0x7fffffff as its negative 32-bit value, " +
                               std::to_string(static_cast<int32_t>(static_cast<uint32_t>(v))));
    } else if (read_int(ctx, node, path, INT32_MIN, INT32_MAX)) {
        out.value = static_cast<key_t>(v);
    }
}

void read_ftok(const TableReader& t, const TomlNode& node, SysvKey& out) {
    ParseContext& ctx = t.ctx();
    const std::string path = t.path_of("ftok");
    if (!ctx.options().allow_file_references) {
        ctx.fail(node.pos, path +
                               ": ftok keys name files and are not allowed in an inline spec; "
                               "use a literal key");
        return;
    }
    if (!expect_type(ctx, node, path, TomlNode::Type::Table)) return;
    TableReader f(ctx, node, path);
    const Checkpoint read(ctx);
    f.allow_only(keys::kFtok);
    const TomlNode* file = f.require("path");
    const TomlNode* proj = f.require("proj");
    std::optional<std::string> name;
    if (file) name = read_file_name(ctx, *file, f.path_of("path"));
    if (name && name->empty()) ctx.fail(file->pos, f.path_of("path") + ": must not be empty");
    // ftok() uses only the low 8 bits of proj, and 0 is reserved.
    std::optional<int64_t> id;
    if (proj) id = read_int(ctx, *proj, f.path_of("proj"), 1, 255);
    if (!read.clean()) return;
    // Looked up by validate_on_host() and inside the sandbox, not here: the hook's is the
    // container's.
    out.ftok_path = ctx.resolve(*name);
    out.ftok_proj = static_cast<int>(*id);
    out.ftok_origin = ctx.origin(file->pos);
}

void read_key(const TableReader& t, SysvKey& out) {
    const TomlEntry* key = t.entry("key");
    const TomlEntry* ftok = t.entry("ftok");
    const TomlEntry* priv = t.entry("private");
    if (!key && !ftok && !priv) {
        if (!t.misspelt("key") && !t.misspelt("ftok") && !t.misspelt("private"))
            t.fail(t.pos(), "needs a key (an integer), ftok = { path, proj } or private = true");
        return;
    }
    if (key && ftok) {
        const TomlEntry* later = key->pos > ftok->pos ? key : ftok;
        t.fail(later->pos, "set either key or ftok, not both");
        return;
    }
    if (priv && (key || ftok)) {
        const TomlEntry* other = key ? key : ftok;
        t.fail((priv->pos > other->pos ? priv : other)->pos,
               "set either private or " + other->key + ", not both");
        return;
    }
    if (priv) {
        // IPC_PRIVATE: a new object only its id reaches (what a snapshot writes for key 0).
        if (auto v = t.boolean("private")) {
            if (!*v)
                t.ctx().fail(priv->value.pos, t.path_of("private") +
                                                  ": only true is allowed (an IPC_PRIVATE "
                                                  "object); give a key or ftok instead");
            out.value = IPC_PRIVATE;
        }
        return;
    }
    if (key) read_literal_key(t, key->value, out);
    if (ftok) read_ftok(t, ftok->value, out);
}

// key, ftok, id, mode, owner, group: what every SysV object has.
void read_common(const TableReader& t, SysvKey& key, std::optional<int>& id, Access& access) {
    read_key(t, key);
    if (auto v = t.integer("id", 0, INT_MAX)) id = static_cast<int>(*v);
    if (auto v = t.mode("mode")) access.mode = *v;
    if (auto v = t.integer("owner", 0, kMaxId)) access.owner = static_cast<uint32_t>(*v);
    if (auto v = t.integer("group", 0, kMaxId)) access.group = static_cast<uint32_t>(*v);
}

// A message must fit the queue (max_bytes) and kernel.msgmax. nullopt when the spec gets the limit
// wrong: nothing is checked against a limit it did not mean.
std::optional<Capacity> message_capacity(const TableReader& t, const SysvQueue& q,
                                         const SysctlLimits& limits) {
    if (q.max_bytes) return Capacity{*q.max_bytes, "max_bytes " + std::to_string(*q.max_bytes)};
    if (!t.left_out("max_bytes")) return std::nullopt;
    return limits.message_capacity("kernel.msgmax", kDefaultMsgmax);
}

void parse_queue(const TableReader& t, std::vector<SysvQueue>& out, const SysctlLimits& limits) {
    SysvQueue q;
    q.origin = t.origin();
    t.allow_only(keys::kSysvQueue);
    read_common(t, q.key, q.id, q.access);
    if (auto v = t.size("max_bytes")) q.max_bytes = *v;
    const std::optional<Capacity> capacity = message_capacity(t, q, limits);
    for (const TableReader& m : tables_in(t, "messages")) {
        m.allow_only(keys::kSysvMessage);
        SysvMessage message;
        if (auto v = m.integer("type", 1, LONG_MAX)) message.type = static_cast<long>(*v);
        if (auto payload = read_payload(m, true, capacity))
            message.bytes = std::move(payload->bytes);
        q.messages.push_back(std::move(message));
    }
    out.push_back(std::move(q));
}

void parse_semaphore(const TableReader& t, std::vector<SysvSemaphore>& out) {
    SysvSemaphore s;
    s.origin = t.origin();
    t.allow_only(keys::kSysvSemaphore);
    read_common(t, s.key, s.id, s.access);
    if (const TomlNode* values = t.require("values")) {
        const std::string path = t.path_of("values");
        if (expect_type(t.ctx(), *values, path, TomlNode::Type::Array) && values->items.empty()) {
            t.ctx().fail(values->pos, path + ": must not be empty (one value per semaphore)");
        }
        for (size_t i = 0; i < values->items.size(); ++i) {
            std::optional<int64_t> v =
                read_int(t.ctx(), values->items[i], indexed(path, i), 0, kMaxSemValue);
            if (v) s.values.push_back(static_cast<int>(*v));
        }
    }
    out.push_back(std::move(s));
}

void parse_shm(const TableReader& t, std::vector<SysvShm>& out) {
    SysvShm s;
    s.origin = t.origin();
    t.allow_only(keys::kSysvShm);
    read_common(t, s.key, s.id, s.access);
    std::optional<uint64_t> size;
    if (const TomlNode* node = t.require("size"))
        size = read_size(t.ctx(), *node, t.path_of("size"));
    s.size_bytes = size.value_or(0);
    // Without a size read, the payload cannot be measured against it.
    std::optional<Capacity> capacity;
    if (size) capacity = Capacity{*size, "size " + std::to_string(*size)};
    if (auto payload = read_payload(t, false, capacity)) {
        if (size) check_fits(t, *payload, *size);
        s.initial = std::move(payload->bytes);
    }
    out.push_back(std::move(s));
}

}  // namespace

void parse_sysv(const TableReader& sysv, Objects& out, const SysctlLimits& limits) {
    sysv.allow_only(keys::kSysv);
    for (const TableReader& t : tables_in(sysv, "queue")) parse_queue(t, out.sysv_queues, limits);
    for (const TableReader& t : tables_in(sysv, "semaphore"))
        parse_semaphore(t, out.sysv_semaphores);
    for (const TableReader& t : tables_in(sysv, "shm")) parse_shm(t, out.sysv_shms);
}

}  // namespace ipcbox::config
