// Lists the IPC objects of a namespace from a helper process, so ipcbox itself never changes
// namespace: ls, the leak check and the sandbox's own snapshot all read this way.
#pragma once

#include <functional>

#include "base/error.hpp"
#include "ipc/inventory/inventory.hpp"
#include "ns/id_view.hpp"

namespace ipcbox::launcher {

// `enter`, when given, runs first in the helper (e.g. joins a target's namespaces) and says how
// the target sees the ids read there; the inventory shows them that way.
using EnterTarget = std::function<Result<ns::IdView>()>;
Result<ipc::Inventory> read_inventory(const ipc::InventoryOptions& options,
                                      const EnterTarget& enter = {});

}  // namespace ipcbox::launcher
