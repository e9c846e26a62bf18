// What `ipcbox hook` tells the log about parts of a spec it does not (or cannot) make true.
#pragma once

#include <string>
#include <vector>

#include "config/spec.hpp"
#include "launcher/hook/spec.hpp"

namespace ipcbox::launcher {

// One line per section of the spec that only the runtime can enforce ([sandbox], [dev_shm],
// [block], [leaks] differing from the defaults); empty when the hook applies the whole spec.
std::vector<std::string> runtime_only_notes(const config::Spec& spec);

// One line per [sysctl] knob that config.json's linux.sysctl sets to another value: the runtime
// writes those after the hook, so its value is the one the container sees.
std::vector<std::string> overridden_sysctl_notes(const config::Spec& spec,
                                                 const BundleConfig& bundle);

}  // namespace ipcbox::launcher
