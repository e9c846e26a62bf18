// The documented JSON form of IPC objects (docs/ls-json.md) and its round trip.
#include "ipc/inventory/json.hpp"

#include <gtest/gtest.h>

namespace ipcbox::ipc {
namespace {

using config::IpcKind;
using nlohmann::json;

IpcObject queue() {
    IpcObject q;
    q.kind = IpcKind::SysvQueue;
    q.key = 0x1234;
    q.id = 3;
    q.mode = 0640;
    q.uid = 1;
    q.gid = 2;
    q.cuid = 3;
    q.cgid = 4;
    q.size = 13;
    q.messages = 3;
    q.send_pid = 10;
    q.recv_pid = 11;
    q.send_time = 100;
    q.recv_time = 101;
    q.change_time = 99;
    return q;
}

TEST(InventoryJson, SysvQueueFields) {
    EXPECT_EQ(object_to_json(queue()), json::parse(R"({
        "kind": "sysv.queue", "key": "0x00001234", "id": 3, "mode": "0640", "uid": 1, "gid": 2,
        "cuid": 3, "cgid": 4, "change_time": 99, "messages": 3, "bytes": 13, "send_pid": 10,
        "recv_pid": 11, "send_time": 100, "recv_time": 101})"));
}

TEST(InventoryJson, SemaphoreAndShmFields) {
    IpcObject s;
    s.kind = IpcKind::SysvSemaphore;
    s.key = -1;
    s.id = 0;
    s.mode = 0600;
    s.nsems = 2;
    s.values = std::vector<int>{3, 0};
    s.op_time = 5;
    EXPECT_EQ(object_to_json(s), json::parse(R"({
        "kind": "sysv.semaphore", "key": "0xffffffff", "id": 0, "mode": "0600", "uid": 0,
        "gid": 0, "cuid": 0, "cgid": 0, "change_time": 0, "nsems": 2, "values": [3, 0],
        "op_time": 5})"));
    s.values.reset();
    EXPECT_TRUE(object_to_json(s)["values"].is_null());

    IpcObject m;
    m.kind = IpcKind::SysvShm;
    m.id = 1;
    m.size = 4096;
    m.attached = 1;
    m.removed = true;
    m.creator_pid = 7;
    m.last_pid = 8;
    m.attach_time = 9;
    m.detach_time = 10;
    m.digest = "00ff";
    EXPECT_EQ(object_to_json(m), json::parse(R"({
        "kind": "sysv.shm", "key": "0x00000000", "id": 1, "mode": "0000", "uid": 0, "gid": 0,
        "cuid": 0, "cgid": 0, "change_time": 0, "size": 4096, "attached": 1, "removed": true,
        "creator_pid": 7, "last_pid": 8, "attach_time": 9, "detach_time": 10,
        "digest": "00ff"})"));
}

TEST(InventoryJson, PosixFields) {
    IpcObject q;
    q.kind = IpcKind::PosixQueue;
    q.name = "/jobs";
    q.mode = 0600;
    q.size = 13;
    q.modify_time = 7;
    EXPECT_EQ(object_to_json(q), json::parse(R"({
        "kind": "posix.queue", "name": "/jobs", "mode": "0600", "uid": 0, "gid": 0,
        "modify_time": 7, "messages": null, "bytes": 13, "max_messages": null,
        "message_size": null})"));
    q.messages = 2;
    q.max_messages = 10;
    q.message_size = 256;
    EXPECT_EQ(object_to_json(q)["max_messages"], 10);

    IpcObject shm;
    shm.kind = IpcKind::PosixShm;
    shm.name = "/frame";
    shm.size = 4096;
    EXPECT_EQ(object_to_json(shm), json::parse(R"({
        "kind": "posix.shm", "name": "/frame", "mode": "0000", "uid": 0, "gid": 0,
        "modify_time": 0, "size": 4096})"));

    IpcObject sem;
    sem.kind = IpcKind::PosixSemaphore;
    sem.name = "/lock";
    sem.values = std::vector<int>{1};
    EXPECT_EQ(object_to_json(sem)["value"], 1);
    sem.values.reset();
    EXPECT_TRUE(object_to_json(sem)["value"].is_null());
}

TEST(InventoryJson, RoundTrip) {
    Inventory inv;
    inv.ipc_ns = 4026531839u;
    inv.mnt_ns = 4026531840u;
    inv.notes = {"a note"};
    inv.objects.push_back(queue());
    IpcObject sem;
    sem.kind = IpcKind::PosixSemaphore;
    sem.name = "/lock";
    sem.values = std::vector<int>{4};
    sem.digest = "ab";
    inv.objects.push_back(sem);

    auto back = inventory_from_json(json::parse(dump_json(inventory_to_json(inv))));
    ASSERT_TRUE(back) << back.error().message;
    EXPECT_EQ(back->ipc_ns, inv.ipc_ns);
    EXPECT_EQ(back->mnt_ns, inv.mnt_ns);
    EXPECT_EQ(back->notes, inv.notes);
    ASSERT_EQ(back->objects.size(), 2u);
    EXPECT_EQ(object_to_json(back->objects[0]), object_to_json(inv.objects[0]));
    EXPECT_EQ(object_to_json(back->objects[1]), object_to_json(inv.objects[1]));
}

TEST(InventoryJson, MalformedInputIsAnError) {
    auto bad = object_from_json(json::parse(R"({"kind": "sysv.pipe"})"));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "unknown kind 'sysv.pipe'");
    EXPECT_FALSE(object_from_json(json::parse(R"({"kind": "posix.shm"})")));
    EXPECT_FALSE(inventory_from_json(json::parse("[]")));
}

TEST(InventoryJson, NamesThatAreNotUtf8StillSerialise) {
    IpcObject shm;
    shm.kind = IpcKind::PosixShm;
    shm.name = "/bad\xff";
    const std::string text = dump_json(object_to_json(shm));
    EXPECT_NE(text.find("/bad\xef\xbf\xbd"), std::string::npos);
}

}  // namespace
}  // namespace ipcbox::ipc
