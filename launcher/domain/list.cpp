// `ipcbox domain ls [--json]`: the caller's domains, their keepers, processes and objects.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "base/text.hpp"
#include "launcher/domain/commands.hpp"
#include "launcher/domain/keeper.hpp"
#include "launcher/domain/store.hpp"
#include "launcher/read_inventory.hpp"

namespace ipcbox::launcher::domain {
namespace {

struct Row {
    std::string name;
    std::optional<State> state;  // none: a create under way, or one that failed
    bool alive = false;
    size_t processes = 0;
    std::vector<std::pair<config::IpcKind, size_t>> objects;
    std::string note;  // why objects could not be counted
};

std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> names;
    if (DIR* d = opendir(dir.c_str())) {
        while (const dirent* e = readdir(d))
            if (check_name(e->d_name) && e->d_type == DT_DIR) names.push_back(e->d_name);
        closedir(d);
    }
    std::sort(names.begin(), names.end());
    return names;
}

Row look_at(const std::string& dir, const std::string& name) {
    Row row{name, {}, false, 0, {}, {}};
    auto state = read_state(dir + "/" + name);
    if (!state) return row;
    row.state = std::move(state).value();
    auto keeper = open_keeper(*row.state);
    if (!keeper) return row;
    row.alive = true;
    row.processes = processes_inside(*row.state).size();
    auto inventory = read_inventory(
        {}, [&]() { return ns::join_target_namespaces(*keeper, {.ipc = true, .mnt = true}); });
    if (!inventory) {
        row.note = inventory.error().message;
        return row;
    }
    for (config::IpcKind kind : config::kAllIpcKinds)
        row.objects.emplace_back(
            kind, std::count_if(inventory->objects.begin(), inventory->objects.end(),
                                [&](const ipc::IpcObject& o) { return o.kind == kind; }));
    return row;
}

std::string age(int64_t created) {
    const int64_t s = std::max<int64_t>(0, static_cast<int64_t>(std::time(nullptr)) - created);
    if (s < 120) return std::to_string(s) + "s";
    if (s < 7200) return std::to_string(s / 60) + "m";
    if (s < 172800) return std::to_string(s / 3600) + "h";
    return std::to_string(s / 86400) + "d";
}

// Where a container finds the domain: its IPC namespace file and its /dev/shm directory.
std::string ipc_file(const State& s) {
    return "/proc/" + std::to_string(s.keeper) + "/ns/ipc";
}
std::string shm_dir(const State& s) {
    return s.shm_dir.empty() ? "/proc/" + std::to_string(s.keeper) + "/root/dev/shm" : s.shm_dir;
}

nlohmann::json row_json(const Row& r) {
    nlohmann::json j = {{"name", r.name}};
    if (!r.state) {
        j["status"] = "incomplete";
        return j;
    }
    const State& s = *r.state;
    j["status"] = r.alive ? "running" : "keeper-gone";
    j["owner"] = s.owner;
    j["created"] = s.created;
    j["age_seconds"] = std::max<int64_t>(0, static_cast<int64_t>(std::time(nullptr)) - s.created);
    j["keeper_pid"] = s.keeper;
    j["user_namespace"] = s.user_namespace;
    j["capabilities"] = s.capabilities;
    if (!r.alive) return j;
    j["processes"] = r.processes;
    j["ipc_namespace"] = ipc_file(s);
    j["dev_shm"] = shm_dir(s);
    nlohmann::json objects = nlohmann::json::object();
    for (const auto& [kind, n] : r.objects) objects[config::kind_name(kind)] = n;
    j["objects"] = objects;
    if (!r.note.empty()) j["note"] = r.note;
    return j;
}

std::string row_text(const Row& r) {
    char line[512];
    if (!r.state) {
        std::snprintf(line, sizeof line, "%-20s %s\n", r.name.c_str(),
                      "incomplete (being created, or creation failed: domain rm cleans it)");
        return line;
    }
    const State& s = *r.state;
    std::string objects;
    if (!r.alive) {
        objects = "keeper gone (domain rm cleans it)";
    } else if (!r.note.empty()) {
        objects = "? (" + printable(r.note) + ")";
    } else {
        for (const auto& [kind, n] : r.objects)
            if (n)
                objects += (objects.empty() ? "" : " ") + std::string(config::kind_name(kind)) +
                           "=" + std::to_string(n);
        if (objects.empty()) objects = "-";
    }
    std::snprintf(line, sizeof line, "%-20s %6u %6s %8d %6s  %s\n", r.name.c_str(), s.owner,
                  age(s.created).c_str(), s.keeper,
                  r.alive ? std::to_string(r.processes).c_str() : "-", objects.c_str());
    return line;
}

}  // namespace

Outcome list_command(bool json) {
    auto dir = domains_dir(false);
    std::vector<Row> rows;
    if (dir)
        for (const std::string& name : names_in(*dir)) rows.push_back(look_at(*dir, name));
    else if (dir.error().err != ENOENT)
        return Outcome::with(kExitFailed, std::move(dir).error().with_context("domain ls"));
    if (json) {
        nlohmann::json all = nlohmann::json::array();
        for (const Row& r : rows) all.push_back(row_json(r));
        std::fputs((all.dump(2) + "\n").c_str(), stdout);
        return Outcome::ok();
    }
    std::printf("%-20s %6s %6s %8s %6s  %s\n", "NAME", "OWNER", "AGE", "KEEPER", "PROCS",
                "OBJECTS");
    for (const Row& r : rows) std::fputs(row_text(r).c_str(), stdout);
    return Outcome::ok();
}

}  // namespace ipcbox::launcher::domain
