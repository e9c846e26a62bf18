// The limits a replay needs. A replay makes every object as an unprivileged creator would, under
// the [sysctl] it sets; the target may hold objects beyond its own limits (made by a creator with
// CAP_SYS_RESOURCE in the initial namespace, or before a limit was lowered). Such a limit is
// written raised to fit, with a comment saying why.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <sstream>

#include "base/text.hpp"
#include "config/sysctl_knobs.hpp"
#include "config/value_rules.hpp"
#include "ipc/inventory/json.hpp"
#include "launcher/snapshot/snapshot.hpp"

namespace ipcbox::launcher::snapshot {
namespace {

// What one object (or all objects of a kind) needs of one integer of a knob.
struct Need {
    std::string_view knob;
    size_t field = 0;  // which integer of the value: kernel.sem holds four
    uint64_t value = 0;
    std::string why;  // "sysv.queue[0] (key 0x00005e01) has max_bytes 16384"
};

std::string sysv_item(const char* kind, size_t i, const config::SysvKey& key) {
    const key_t k = key.value.value_or(0);
    return std::string(kind) + "[" + std::to_string(i) + "] (" +
           (k == 0 ? std::string("IPC_PRIVATE") : "key " + ipc::key_text(k)) + ")";
}

// Keeps, per knob and field, the largest need.
void need(std::vector<Need>& needs, Need n) {
    for (Need& have : needs) {
        if (have.knob != n.knob || have.field != n.field) continue;
        if (n.value > have.value) have = std::move(n);
        return;
    }
    if (n.value > 0) needs.push_back(std::move(n));
}

std::vector<Need> needs_of(const config::Objects& objects) {
    std::vector<Need> needs;
    const auto count = [](size_t n, const char* what) { return std::to_string(n) + " " + what; };
    for (size_t i = 0; i < objects.sysv_queues.size(); ++i) {
        const config::SysvQueue& q = objects.sysv_queues[i];
        const std::string item = sysv_item("sysv.queue", i, q.key);
        if (q.max_bytes)
            need(needs, {"kernel.msgmnb", 0, *q.max_bytes,
                         item + " has max_bytes " + std::to_string(*q.max_bytes)});
        for (const config::SysvMessage& m : q.messages)
            need(needs,
                 {"kernel.msgmax", 0, m.bytes.size(),
                  item + " holds a message of " + std::to_string(m.bytes.size()) + " bytes"});
    }
    need(needs, {"kernel.msgmni", 0, objects.sysv_queues.size(),
                 count(objects.sysv_queues.size(), "sysv.queue(s)")});

    uint64_t pages = 0;
    const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    for (size_t i = 0; i < objects.sysv_shms.size(); ++i) {
        const config::SysvShm& s = objects.sysv_shms[i];
        need(needs,
             {"kernel.shmmax", 0, s.size_bytes,
              sysv_item("sysv.shm", i, s.key) + " has size " + std::to_string(s.size_bytes)});
        pages += (s.size_bytes + page - 1) / page;
    }
    need(needs, {"kernel.shmall", 0, pages,
                 count(objects.sysv_shms.size(), "sysv.shm(s)") + " take " + std::to_string(pages) +
                     " pages"});
    need(needs, {"kernel.shmmni", 0, objects.sysv_shms.size(),
                 count(objects.sysv_shms.size(), "sysv.shm(s)")});

    // kernel.sem is "semmsl semmns semopm semmni": per set, in all, (semop), sets.
    uint64_t semaphores = 0;
    for (size_t i = 0; i < objects.sysv_semaphores.size(); ++i) {
        const config::SysvSemaphore& s = objects.sysv_semaphores[i];
        need(needs, {"kernel.sem", 0, s.values.size(),
                     sysv_item("sysv.semaphore", i, s.key) + " has " +
                         std::to_string(s.values.size()) + " semaphores"});
        semaphores += s.values.size();
    }
    need(needs, {"kernel.sem", 1, semaphores,
                 count(objects.sysv_semaphores.size(), "sysv.semaphore set(s)") + " hold " +
                     std::to_string(semaphores) + " semaphores"});
    need(needs, {"kernel.sem", 3, objects.sysv_semaphores.size(),
                 count(objects.sysv_semaphores.size(), "sysv.semaphore set(s)")});

    for (const config::PosixQueue& q : objects.posix_queues) {
        const std::string item = "posix.queue " + printable(q.name);
        if (q.max_messages)
            need(needs, {"fs.mqueue.msg_max", 0, static_cast<uint64_t>(*q.max_messages),
                         item + " has max_messages " + std::to_string(*q.max_messages)});
        if (q.message_size)
            need(needs, {"fs.mqueue.msgsize_max", 0, static_cast<uint64_t>(*q.message_size),
                         item + " has message_size " + std::to_string(*q.message_size)});
    }
    need(needs, {"fs.mqueue.queues_max", 0, objects.posix_queues.size(),
                 count(objects.posix_queues.size(), "posix.queue(s)")});
    return needs;
}

// The most a knob can be set to: the kernel refuses fs.mqueue limits above its hard ceilings.
uint64_t ceiling(const config::SysctlKnob& knob) {
    if (knob.name == "fs.mqueue.msg_max") return config::kMaxMqMessages;
    if (knob.name == "fs.mqueue.msgsize_max") return config::kMaxMqMessageSize;
    return static_cast<uint64_t>(knob.max);
}

std::vector<uint64_t> fields_of(const std::string& value) {
    std::vector<uint64_t> out;
    std::istringstream in(value);
    for (std::string word; in >> word;) {
        uint64_t v = 0;
        auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
        if (ec != std::errc() || end != word.data() + word.size()) return {};
        out.push_back(v);
    }
    return out;
}

std::string value_of(const std::vector<uint64_t>& fields) {
    std::string out;
    for (uint64_t v : fields) out += (out.empty() ? "" : " ") + std::to_string(v);
    return out;
}

}  // namespace

Status fit_limits(Snapshot& snapshot, const std::map<std::string, std::string>& current) {
    const std::vector<Need> needs = needs_of(snapshot.objects);
    std::vector<config::Sysctl> fitted;
    for (const config::SysctlKnob& knob : config::sysctl_knobs()) {
        const std::string name(knob.name);
        auto written = std::find_if(snapshot.sysctls.begin(), snapshot.sysctls.end(),
                                    [&](const config::Sysctl& s) { return s.key == name; });
        auto now = current.find(name);
        // What the replay gets: the value written, else the target's (equal to a fresh one's).
        std::vector<uint64_t> fields = fields_of(written != snapshot.sysctls.end() ? written->value
                                                 : now != current.end()            ? now->second
                                                                                   : "");
        std::string why;
        for (const Need& n : needs) {
            if (n.knob != knob.name) continue;
            if (n.value > ceiling(knob))
                return Error::of(n.why + ", more than " + name + " can be set to (" +
                                 std::to_string(ceiling(knob)) +
                                 "): no spec can recreate it without CAP_SYS_RESOURCE");
            if (n.field >= fields.size() || fields[n.field] >= n.value) continue;
            why += (why.empty() ? "" : "; ") + n.why;
            fields[n.field] = n.value;
        }
        if (!why.empty()) {
            const std::string was = now != current.end() ? now->second : "?";
            config::Sysctl raised;
            raised.key = name;
            raised.value = value_of(fields);
            snapshot.raised[name] = "raised from the target's " + was + ": " + why;
            snapshot.notes.push_back(name + " = " + raised.value + ": raised from the target's " +
                                     was + " so that the replay can recreate what it holds (" +
                                     why + ")");
            fitted.push_back(std::move(raised));
        } else if (written != snapshot.sysctls.end()) {
            fitted.push_back(std::move(*written));
        }
    }
    snapshot.sysctls = std::move(fitted);
    return {};
}

}  // namespace ipcbox::launcher::snapshot
