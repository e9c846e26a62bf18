#include "launcher/probe/report.hpp"

#include <cstring>
#include <nlohmann/json.hpp>
#include <sstream>

namespace ipcbox::launcher::probe {
namespace {

std::string errno_text(int err) {
    if (err == 0) return "";
    const char* name = strerrorname_np(err);
    return name ? name : std::to_string(err);
}

const Attempt* find_attempt(const std::vector<Attempt>& attempts, const std::string& mechanism) {
    for (const auto& a : attempts)
        if (a.mechanism == mechanism) return &a;
    return nullptr;
}

ProbeRow measure(const MechanismVerdict& prediction, const std::vector<Attempt>& attempts,
                 const std::map<std::string, std::string>& missing,
                 const std::map<std::string, bool>& observed) {
    ProbeRow row{prediction.mechanism, Verdict::NotApplicable, prediction.verdict, "", "", ""};
    if (auto it = missing.find(row.mechanism); it != missing.end()) {
        row.detail = it->second;
    } else if (const Attempt* a = find_attempt(attempts, row.mechanism)) {
        bool reached = a->reached;
        row.errno_name = errno_text(a->err);
        row.detail = a->detail;
        if (auto seen = observed.find(row.mechanism); seen != observed.end()) {
            if (seen->second != reached)
                row.detail += seen->second ? "; but the host side saw it arrive"
                                           : "; but nothing arrived on the host side";
            reached = seen->second;
        }
        row.measured = reached      ? Verdict::Shared
                       : a->blocked ? Verdict::Blocked
                                    : Verdict::Isolated;
    } else {
        row.detail = "the inside of the sandbox reported nothing for it";
    }
    row.responsible = row.agrees() ? prediction.why : "unexpected; predicted: " + prediction.why;
    return row;
}

}  // namespace

std::vector<ProbeRow> compare(const std::vector<MechanismVerdict>& predictions,
                              const std::vector<Attempt>& attempts,
                              const std::map<std::string, std::string>& missing,
                              const std::map<std::string, bool>& observed) {
    std::vector<ProbeRow> rows;
    for (const auto& p : predictions) rows.push_back(measure(p, attempts, missing, observed));
    return rows;
}

std::vector<std::string> warnings(const std::vector<ProbeRow>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows)
        if (!r.agrees())
            out.push_back(r.mechanism + ": predicted " + verdict_name(r.predicted) + ", measured " +
                          verdict_name(r.measured) + " (" + r.detail + ")");
    return out;
}

std::string format_table(const std::vector<ProbeRow>& rows) {
    auto pad = [](const std::string& s, size_t width) {
        return s + std::string(s.size() < width ? width - s.size() : 1, ' ');
    };
    std::ostringstream out;
    out << pad("MECHANISM", 33) << pad("VERDICT", 10) << pad("ERRNO", 14) << "RESPONSIBLE\n";
    for (const auto& r : rows)
        out << pad(r.mechanism, 33) << pad(verdict_name(r.measured), 10)
            << pad(r.errno_name.empty() ? "-" : r.errno_name, 14) << r.responsible << "\n";
    return out.str();
}

std::string format_json(const std::vector<ProbeRow>& rows, const std::string& spec,
                        const std::string& host_objects) {
    using nlohmann::json;
    json out_rows = json::array();
    for (const auto& r : rows)
        out_rows.push_back({{"mechanism", r.mechanism},
                            {"measured", verdict_name(r.measured)},
                            {"predicted", verdict_name(r.predicted)},
                            {"agrees", r.agrees()},
                            {"errno", r.errno_name.empty() ? json(nullptr) : json(r.errno_name)},
                            {"responsible", r.responsible},
                            {"detail", r.detail}});
    json out = {{"spec", spec.empty() ? json(nullptr) : json(spec)},
                {"rows", out_rows},
                {"warnings", warnings(rows)},
                {"host_objects", json::parse(host_objects)}};
    return out.dump(2) + "\n";
}

}  // namespace ipcbox::launcher::probe
