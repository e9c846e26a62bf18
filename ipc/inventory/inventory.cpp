// collect_inventory(): SysV objects, then /dev/shm, then POSIX queues (which may unshare a mount
// namespace), in the documented order.
#include "ipc/inventory/inventory.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include "ipc/inventory/detail.hpp"

namespace ipcbox::ipc {
namespace {

uint64_t own_namespace_inode(const char* kind) {
    struct stat st;
    const std::string path = std::string("/proc/self/ns/") + kind;
    return stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

}  // namespace

Result<Inventory> collect_inventory(const InventoryOptions& options) {
    Inventory inventory;
    inventory.ipc_ns = own_namespace_inode("ipc");
    inventory.mnt_ns = own_namespace_inode("mnt");
    if (Status s = inventory_detail::collect_sysv(inventory, options); !s)
        return std::move(s).error();
    inventory_detail::collect_dev_shm(inventory, options);
    // Last: it may move this helper into a private mount namespace.
    inventory_detail::collect_mqueues(inventory);
    sort_objects(inventory.objects);
    return inventory;
}

namespace inventory_detail {

void Fingerprint::add(const void* data, size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    for (size_t i = 0; i < size; ++i) {
        hash_ ^= bytes[i];
        hash_ *= 0x100000001b3ull;
    }
}

std::string Fingerprint::hex() const {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash_));
    return buf;
}

}  // namespace inventory_detail

void sort_objects(std::vector<IpcObject>& objects) {
    std::stable_sort(objects.begin(), objects.end(), [](const IpcObject& a, const IpcObject& b) {
        if (a.kind != b.kind) return a.kind < b.kind;
        if (a.id != b.id) return a.id < b.id;
        return a.name < b.name;
    });
}

void view_ids(Inventory& inventory, const ns::IdView& view) {
    if (view.as_read()) return;
    for (IpcObject& o : inventory.objects) {
        o.uid = view.uid(o.uid);
        o.gid = view.gid(o.gid);
        o.cuid = view.uid(o.cuid);
        o.cgid = view.gid(o.cgid);
    }
}

}  // namespace ipcbox::ipc
