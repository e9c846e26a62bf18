#include "launcher/read_inventory.hpp"

#include "ipc/inventory/json.hpp"
#include "launcher/helper.hpp"

namespace ipcbox::launcher {

Result<ipc::Inventory> read_inventory(const ipc::InventoryOptions& options,
                                      const EnterTarget& enter) {
    auto answer = run_helper(
        [&]() -> Result<Payload> {
            ns::IdView view;
            if (enter) {
                auto entered = enter();
                if (!entered) return std::move(entered).error();
                view = std::move(entered).value();
            }
            auto inventory = ipc::collect_inventory(options);
            if (!inventory) return std::move(inventory).error();
            ipc::view_ids(*inventory, view);
            return Payload{ipc::dump_json(ipc::inventory_to_json(*inventory)), {}};
        },
        HelperOptions{.name = "the inventory helper", .quiet_stdio = false, .watch = {}});
    if (!answer) return std::move(answer).error();
    auto parsed = nlohmann::json::parse(answer->bytes, nullptr, false);
    if (parsed.is_discarded()) return Error::of("the inventory helper sent no inventory");
    return ipc::inventory_from_json(parsed);
}

}  // namespace ipcbox::launcher
