// The OCI runtime state a hook reads on stdin (runtime-spec "State"): only what ipcbox uses.
#pragma once

#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace ipcbox::launcher {

struct OciState {
    std::string oci_version;
    std::string id;
    std::string status;        // "creating" at createRuntime/prestart, "stopped" at poststop
    std::optional<pid_t> pid;  // absent (or 0) once the container has no process
    std::string bundle;        // absolute path of the bundle directory
    std::map<std::string, std::string> annotations;
};

// Parses the state JSON. Unknown fields are ignored (later runtime-spec versions add some); known
// fields of the wrong type are errors, so a broken runtime is not mistaken for "no spec".
Result<OciState> parse_oci_state(std::string_view json);

}  // namespace ipcbox::launcher
