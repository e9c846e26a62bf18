#include "launcher/ls/format.hpp"

#include <algorithm>
#include <ctime>

#include "base/text.hpp"
#include "ipc/inventory/json.hpp"

namespace ipcbox::launcher {
namespace {

using config::IpcKind;
using ipc::IpcObject;

std::string when(int64_t seconds) {
    if (seconds <= 0) return "-";
    time_t t = static_cast<time_t>(seconds);
    tm local{};
    localtime_r(&t, &local);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &local);
    return buf;
}

std::string count(const std::optional<uint64_t>& n) {
    return n ? std::to_string(*n) : "?";
}

std::string content(const IpcObject& o) {
    switch (o.kind) {
        case IpcKind::SysvQueue:
            return count(o.messages) + " msgs, " + std::to_string(o.size) + " bytes";
        case IpcKind::SysvSemaphore: {
            std::string text = std::to_string(o.nsems) + " sems";
            if (o.values) {
                text += ":";
                for (int v : *o.values) text += " " + std::to_string(v);
            }
            return text;
        }
        case IpcKind::SysvShm:
            return std::to_string(o.size) + " bytes, " + std::to_string(o.attached) + " attached" +
                   (o.removed ? ", removed" : "");
        case IpcKind::PosixQueue: {
            std::string text = count(o.messages) + " msgs, " + std::to_string(o.size) + " bytes";
            if (o.max_messages && o.message_size)
                text += ", max " + std::to_string(*o.max_messages) + " x " +
                        std::to_string(*o.message_size);
            return text;
        }
        case IpcKind::PosixShm:
            return std::to_string(o.size) + " bytes";
        case IpcKind::PosixSemaphore:
            return "value " + (o.values && !o.values->empty() ? std::to_string(o.values->front())
                                                              : std::string("?"));
    }
    return "";
}

std::string pid_text(pid_t pid) {
    return pid ? std::to_string(pid) : "-";
}

std::string pids(const IpcObject& o) {
    if (o.kind == IpcKind::SysvQueue)
        return "snd " + pid_text(o.send_pid) + " rcv " + pid_text(o.recv_pid);
    if (o.kind == IpcKind::SysvShm)
        return "cpid " + pid_text(o.creator_pid) + " lpid " + pid_text(o.last_pid);
    return "-";
}

int64_t last_use(const IpcObject& o) {
    return std::max(
        {o.send_time, o.recv_time, o.op_time, o.attach_time, o.detach_time, o.modify_time});
}

}  // namespace

std::vector<std::string> object_header() {
    return {"KIND",    "KEY/NAME", "ID",   "MODE",     "OWNER",
            "CREATOR", "CONTENT",  "PIDS", "LAST USE", "CHANGED"};
}

std::vector<std::string> object_cells(const IpcObject& o) {
    const bool sysv = is_sysv(o.kind);
    return {config::kind_name(o.kind),
            sysv ? ipc::key_text(o.key) : printable(o.name),
            sysv ? std::to_string(o.id) : "-",
            ipc::mode_text(o.mode),
            std::to_string(o.uid) + ":" + std::to_string(o.gid),
            sysv ? std::to_string(o.cuid) + ":" + std::to_string(o.cgid) : "-",
            content(o),
            pids(o),
            when(last_use(o)),
            sysv ? when(o.change_time) : "-"};
}

std::string align_columns(const std::vector<std::vector<std::string>>& rows) {
    std::vector<size_t> width;
    for (const auto& row : rows) {
        width.resize(std::max(width.size(), row.size()));
        for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (size_t i = 0; i < row.size(); ++i) {
            line += row[i];
            if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
        }
        out += line + "\n";
    }
    return out;
}

nlohmann::json ls_json(const ipc::Inventory& inventory, const LsSource& source) {
    nlohmann::json where;
    switch (source.from) {
        case LsSource::From::Self:
            where["from"] = "self";
            break;
        case LsSource::From::Pid:
            where["from"] = "pid";
            where["pid"] = source.pid;
            break;
        case LsSource::From::Path:
            where["from"] = "path";
            where["path"] = source.path;
            break;
        case LsSource::From::Domain:
            where["from"] = "domain";
            where["domain"] = source.domain;
            where["pid"] = source.pid;
            break;
    }
    where["ipc"] = inventory.ipc_ns;
    where["mnt"] = inventory.mnt_ns;
    const nlohmann::json listed = ipc::inventory_to_json(inventory);
    return {{"version", ipc::kInventoryJsonVersion},
            {"namespace", std::move(where)},
            {"notes", listed["notes"]},
            {"objects", listed["objects"]}};
}

std::string ls_table(const ipc::Inventory& inventory, const LsSource& source) {
    std::string out = "IPC namespace ipc:[" + std::to_string(inventory.ipc_ns) + "]";
    if (source.from == LsSource::From::Pid) out += " of pid " + std::to_string(source.pid);
    if (source.from == LsSource::From::Path) out += " at " + printable(source.path);
    if (source.from == LsSource::From::Domain) out += " of domain " + printable(source.domain);
    out += ", mount namespace mnt:[" + std::to_string(inventory.mnt_ns) + "]\n";
    if (inventory.objects.empty()) {
        out += "no IPC objects\n";
    } else {
        std::vector<std::vector<std::string>> rows{object_header()};
        for (const auto& o : inventory.objects) rows.push_back(object_cells(o));
        out += align_columns(rows);
    }
    for (const auto& note : inventory.notes) out += "note: " + escape_controls(note) + "\n";
    return out;
}

}  // namespace ipcbox::launcher
