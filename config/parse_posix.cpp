// [[posix.queue]], [[posix.shm]] and [[posix.semaphore]]: POSIX objects to create before the
// command, named like "/jobs".
#include "base/text.hpp"
#include "config/keys.hpp"
#include "config/parse_parts.hpp"
#include "config/payload.hpp"
#include "config/value_rules.hpp"

namespace ipcbox::config {

namespace {

std::string read_name(const TableReader& t) {
    const TomlNode* node = t.require("name");
    if (!node) return {};
    std::optional<std::string> name = read_file_name(t.ctx(), *node, t.path_of("name"));
    if (name && !is_valid_posix_name(*name)) {
        t.ctx().fail(node->pos, t.path_of("name") + ": '" + printable(*name) +
                                    "' is not a valid name (a '/' followed by 1 to 254 "
                                    "characters, none of them '/')");
    }
    return name.value_or("");
}

// What each message may hold: message_size, or fs.mqueue.msgsize_default when the queue leaves
// it out. nullopt when the spec gets the limit wrong: nothing is checked against a limit it did
// not mean.
std::optional<Capacity> message_capacity(const TableReader& t, const PosixQueue& q,
                                         const SysctlLimits& limits) {
    if (q.message_size)
        return Capacity{static_cast<uint64_t>(*q.message_size),
                        "message_size " + std::to_string(*q.message_size)};
    if (!t.left_out("message_size")) return std::nullopt;
    return limits.message_capacity("fs.mqueue.msgsize_default", kDefaultMqMessageSize);
}

void parse_queue(const TableReader& t, std::vector<PosixQueue>& out, const SysctlLimits& limits) {
    PosixQueue q;
    q.origin = t.origin();
    t.allow_only(keys::kPosixQueue);
    q.name = read_name(t);
    if (auto v = t.integer("max_messages", 1, kMaxMqMessages)) q.max_messages = *v;
    if (auto v = t.integer("message_size", 1, kMaxMqMessageSize)) q.message_size = *v;
    if (auto v = t.mode("mode")) q.mode = *v;
    const std::optional<Capacity> capacity = message_capacity(t, q, limits);
    long count = 0;
    for (const TableReader& m : tables_in(t, "messages")) {
        m.allow_only(keys::kPosixMessage);
        PosixMessage message;
        if (auto v = m.integer("priority", 0, kMaxMqPriority)) {
            message.priority = static_cast<unsigned>(*v);
        }
        std::optional<Payload> payload = read_payload(m, true, capacity);
        // mq_send() refuses both with EMSGSIZE / EAGAIN; say so while the spec is still open.
        if (payload && q.message_size &&
            payload->bytes.size() > static_cast<uint64_t>(*q.message_size)) {
            m.ctx().fail(payload->pos, payload->path + ": " +
                                           std::to_string(payload->bytes.size()) +
                                           " bytes are more than message_size (" +
                                           std::to_string(*q.message_size) + ")");
        }
        if (q.max_messages && count++ == *q.max_messages) {
            m.fail(m.pos(),
                   "more messages than max_messages (" + std::to_string(*q.max_messages) + ")");
        }
        if (payload) message.bytes = std::move(payload->bytes);
        q.messages.push_back(std::move(message));
    }
    out.push_back(std::move(q));
}

void parse_shm(const TableReader& t, std::vector<PosixShm>& out) {
    PosixShm s;
    s.origin = t.origin();
    t.allow_only(keys::kPosixShm);
    s.name = read_name(t);
    std::optional<uint64_t> size;
    if (const TomlNode* node = t.require("size"))
        size = read_size(t.ctx(), *node, t.path_of("size"));
    s.size_bytes = size.value_or(0);
    if (auto v = t.mode("mode")) s.mode = *v;
    // Without a size read, the payload cannot be measured against it.
    std::optional<Capacity> capacity;
    if (size) capacity = Capacity{*size, "size " + std::to_string(*size)};
    if (auto payload = read_payload(t, false, capacity)) {
        if (size) check_fits(t, *payload, *size);
        s.initial = std::move(payload->bytes);
    }
    out.push_back(std::move(s));
}

void parse_semaphore(const TableReader& t, std::vector<PosixSemaphore>& out) {
    PosixSemaphore s;
    s.origin = t.origin();
    t.allow_only(keys::kPosixSemaphore);
    s.name = read_name(t);
    if (auto v = t.integer("value", 0, kMaxPosixSemValue)) s.value = static_cast<unsigned>(*v);
    if (auto v = t.mode("mode")) s.mode = *v;
    out.push_back(std::move(s));
}

}  // namespace

void parse_posix(const TableReader& posix, Objects& out, const SysctlLimits& limits) {
    posix.allow_only(keys::kPosix);
    for (const TableReader& t : tables_in(posix, "queue")) parse_queue(t, out.posix_queues, limits);
    for (const TableReader& t : tables_in(posix, "shm")) parse_shm(t, out.posix_shms);
    for (const TableReader& t : tables_in(posix, "semaphore"))
        parse_semaphore(t, out.posix_semaphores);
}

}  // namespace ipcbox::config
