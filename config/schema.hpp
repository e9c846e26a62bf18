// The JSON Schema (draft 2020-12) of a spec, for editors that complete and check TOML against one
// (Taplo, Even Better TOML). Built from the parser's own key tables (config/keys.hpp) and value
// tables (names, sysctl knobs, value_rules), so that it accepts exactly the keys the parser does.
#pragma once

#include <nlohmann/json.hpp>

namespace ipcbox::config {

nlohmann::json spec_schema();

}  // namespace ipcbox::config
