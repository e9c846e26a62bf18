// `ipcbox probe`'s verdicts: each measured row next to what --explain predicts for it, printed as
// a table or as JSON; a disagreement is a warning.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "launcher/probe/inside.hpp"
#include "launcher/run/explain.hpp"

namespace ipcbox::launcher::probe {

struct ProbeRow {
    std::string mechanism;
    Verdict measured = Verdict::NotApplicable;
    Verdict predicted = Verdict::NotApplicable;
    std::string errno_name;   // of the failed attempt inside; empty when there was none
    std::string responsible;  // the namespace, mount or filter (from the prediction)
    std::string detail;       // what was seen
    bool agrees() const { return measured == predicted; }
};

// One row per prediction, in its order. A mechanism is shared when its host object was reached
// (the host side's own observation wins where it has one), blocked when the route was closed and
// isolated otherwise; n/a when there was no host object to reach (`missing` says why).
std::vector<ProbeRow> compare(const std::vector<MechanismVerdict>& predictions,
                              const std::vector<Attempt>& attempts,
                              const std::map<std::string, std::string>& missing,
                              const std::map<std::string, bool>& observed);

// "<mechanism>: predicted X, measured Y (what was seen)", one per disagreement.
std::vector<std::string> warnings(const std::vector<ProbeRow>& rows);

std::string format_table(const std::vector<ProbeRow>& rows);
// {"spec", "rows": [...], "warnings": [...], "host_objects": {...}}; `host_objects` is JSON.
std::string format_json(const std::vector<ProbeRow>& rows, const std::string& spec,
                        const std::string& host_objects);

}  // namespace ipcbox::launcher::probe
