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

void parse_queue(const TableReader& t, std::vector<PosixQueue>& out,
                 const std::vector<Sysctl>& sysctls) {
    PosixQueue q;
    q.origin = t.origin();
    t.allow_only(keys::kPosixQueue);
    q.name = read_name(t);
    if (auto v = t.integer("max_messages", 1, kMaxMqMessages)) q.max_messages = *v;
    if (auto v = t.integer("message_size", 1, kMaxMqMessageSize)) q.message_size = *v;
    if (auto v = t.mode("mode")) q.mode = *v;
    for (const TableReader& m : tables_in(t, "messages")) {
        m.allow_only(keys::kPosixMessage);
        PosixMessage message;
        if (auto v = m.integer("priority", 0, kMaxMqPriority)) {
            message.priority = static_cast<unsigned>(*v);
        }
        const Capacity capacity =
            q.message_size
                ? Capacity{static_cast<uint64_t>(*q.message_size),
                           "message_size " + std::to_string(*q.message_size)}
                : message_capacity(sysctls, "fs.mqueue.msgsize_default", kDefaultMqMessageSize);
        std::optional<Payload> payload = read_payload(m, true, capacity);
        if (!payload) break;
        // mq_send() refuses both with EMSGSIZE / EAGAIN; say so while the spec is still open.
        if (q.message_size && payload->bytes.size() > static_cast<uint64_t>(*q.message_size)) {
            m.ctx().fail(payload->pos, payload->path + ": " +
                                           std::to_string(payload->bytes.size()) +
                                           " bytes are more than message_size (" +
                                           std::to_string(*q.message_size) + ")");
        }
        if (q.max_messages && static_cast<long>(q.messages.size()) >= *q.max_messages) {
            m.fail(m.pos(),
                   "more messages than max_messages (" + std::to_string(*q.max_messages) + ")");
        }
        message.bytes = std::move(payload->bytes);
        q.messages.push_back(std::move(message));
    }
    out.push_back(std::move(q));
}

void parse_shm(const TableReader& t, std::vector<PosixShm>& out) {
    PosixShm s;
    s.origin = t.origin();
    t.allow_only(keys::kPosixShm);
    s.name = read_name(t);
    if (const TomlNode* size = t.require("size")) {
        if (auto v = read_size(t.ctx(), *size, t.path_of("size"))) s.size_bytes = *v;
    }
    if (auto v = t.mode("mode")) s.mode = *v;
    if (auto payload =
            read_payload(t, false, {s.size_bytes, "size " + std::to_string(s.size_bytes)})) {
        check_fits(t, *payload, s.size_bytes);
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

void parse_posix(const TableReader& posix, Spec& spec) {
    posix.allow_only(keys::kPosix);
    for (const TableReader& t : tables_in(posix, "queue"))
        parse_queue(t, spec.objects.posix_queues, spec.sysctls);
    for (const TableReader& t : tables_in(posix, "shm")) parse_shm(t, spec.objects.posix_shms);
    for (const TableReader& t : tables_in(posix, "semaphore")) {
        parse_semaphore(t, spec.objects.posix_semaphores);
    }
}

}  // namespace ipcbox::config
