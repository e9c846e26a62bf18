// The snapshot's spec writer: every payload form reads back through the real spec loader as the
// same bytes, names and values, and big payloads become files.
#include <gtest/gtest.h>
#include <sys/ipc.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/load.hpp"
#include "launcher/snapshot/snapshot.hpp"

namespace ipcbox::launcher::snapshot {
namespace {

using config::Spec;

Snapshot sample() {
    Snapshot s;
    s.source = "pid 1";
    for (const char* kv : {"kernel.msgmnb=32768", "kernel.sem=100 2000 30 40"}) {
        const std::string text = kv;
        config::Sysctl knob;
        knob.key = text.substr(0, text.find('='));
        knob.value = text.substr(text.find('=') + 1);
        s.sysctls.push_back(std::move(knob));
    }
    config::SysvQueue q;
    q.key.value = 0x1234;
    q.id = 7;
    q.access = {0640, 1000, 1001};
    q.max_bytes = 32768;
    q.messages = {{1, "hello \"quoted\" \\ back"},
                  {2, std::string("\x00\xff\x01", 3)},
                  {3, "caf\xc3\xa9"},
                  {4, "line\nbreak"},
                  {5, ""}};
    s.objects.sysv_queues.push_back(q);
    config::SysvQueue priv;
    priv.key.value = IPC_PRIVATE;
    priv.access = {0600, 0, 0};
    s.objects.sysv_queues.push_back(priv);
    config::SysvSemaphore sem;
    sem.key.value = -2;  // 0xfffffffe
    sem.access = {0600, 0, 0};
    sem.values = {1, 0, 32767};
    s.objects.sysv_semaphores.push_back(sem);
    config::SysvShm shm;
    shm.key.value = 0x3000;
    shm.access = {0604, 0, 0};
    shm.size_bytes = 8192;
    shm.initial = std::string(5000, 'A') + "end";  // over the inline limit
    s.objects.sysv_shms.push_back(shm);
    config::PosixQueue pq;
    pq.name = "/jobs";
    pq.mode = 0640;
    pq.max_messages = 10;
    pq.message_size = 256;
    s.objects.posix_queues.push_back(pq);
    config::PosixShm pshm;
    pshm.name = "/fr\"ame";
    pshm.size_bytes = 4096;
    pshm.mode = 0644;
    pshm.initial = std::string("\x01\x02", 2);
    s.objects.posix_shms.push_back(pshm);
    config::PosixSemaphore psem;
    psem.name = "/lock";
    psem.value = 3;
    psem.mode = 0600;
    s.objects.posix_semaphores.push_back(psem);
    return s;
}

WriteOptions files_in(const std::string& dir) {
    WriteOptions w;
    w.payload_files = true;
    w.payload_ref_dir = dir;
    return w;
}

class SnapshotWriter : public ::testing::Test {
  protected:
    void SetUp() override {
        char tmpl[] = "/tmp/ipcbox-snapshot-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    // Writes the spec and its payload files (under `sub` of the spec's directory) and loads it.
    Result<Spec> round_trip(const Snapshot& s, WriteOptions options, const std::string& sub = "") {
        SpecText text = write_spec_toml(s, options);
        text_ = text.toml;
        files_ = text.files;
        if (!sub.empty()) std::filesystem::create_directory(dir_ + "/" + sub);
        for (const PayloadFile& f : text.files) {
            std::ofstream out(dir_ + "/" + (sub.empty() ? "" : sub + "/") + f.name,
                              std::ios::binary);
            out << f.bytes;
        }
        return config::load_spec_string(text.toml, "snap.toml", dir_);
    }

    std::string dir_;
    std::string text_;
    std::vector<PayloadFile> files_;
};

TEST_F(SnapshotWriter, EveryObjectReadsBackUnchanged) {
    const Snapshot s = sample();
    auto spec = round_trip(s, files_in("payloads"), "payloads");
    ASSERT_TRUE(spec) << spec.error().message << "\n" << text_;
    EXPECT_EQ(spec->sysctls.size(), 2u);
    EXPECT_EQ(spec->sysctls[0].key, "kernel.msgmnb");
    EXPECT_EQ(spec->sysctls[0].value, "32768");
    EXPECT_EQ(spec->sysctls[1].value, "100 2000 30 40");
    const auto& q = spec->objects.sysv_queues;
    ASSERT_EQ(q.size(), 2u);
    EXPECT_EQ(q[0].key.value, 0x1234);
    EXPECT_EQ(q[0].id, 7);
    EXPECT_EQ(q[0].access.mode, 0640u);
    EXPECT_EQ(q[0].access.owner, 1000u);
    EXPECT_EQ(q[0].access.group, 1001u);
    EXPECT_EQ(q[0].max_bytes, 32768u);
    ASSERT_EQ(q[0].messages.size(), s.objects.sysv_queues[0].messages.size());
    for (size_t i = 0; i < q[0].messages.size(); ++i) {
        EXPECT_EQ(q[0].messages[i].type, s.objects.sysv_queues[0].messages[i].type);
        EXPECT_EQ(q[0].messages[i].bytes, s.objects.sysv_queues[0].messages[i].bytes) << i;
    }
    EXPECT_EQ(q[1].key.value, IPC_PRIVATE);
    EXPECT_FALSE(q[1].id);
    ASSERT_EQ(spec->objects.sysv_semaphores.size(), 1u);
    EXPECT_EQ(spec->objects.sysv_semaphores[0].key.value, -2);
    EXPECT_EQ(spec->objects.sysv_semaphores[0].values, (std::vector<int>{1, 0, 32767}));
    ASSERT_EQ(spec->objects.sysv_shms.size(), 1u);
    EXPECT_EQ(spec->objects.sysv_shms[0].size_bytes, 8192u);
    EXPECT_EQ(spec->objects.sysv_shms[0].initial, s.objects.sysv_shms[0].initial);
    ASSERT_EQ(spec->objects.posix_queues.size(), 1u);
    EXPECT_EQ(spec->objects.posix_queues[0].name, "/jobs");
    EXPECT_EQ(spec->objects.posix_queues[0].max_messages, 10);
    EXPECT_EQ(spec->objects.posix_queues[0].message_size, 256);
    EXPECT_EQ(spec->objects.posix_queues[0].mode, 0640u);
    ASSERT_EQ(spec->objects.posix_shms.size(), 1u);
    EXPECT_EQ(spec->objects.posix_shms[0].name, "/fr\"ame");
    EXPECT_EQ(spec->objects.posix_shms[0].initial, std::string("\x01\x02", 2));
    ASSERT_EQ(spec->objects.posix_semaphores.size(), 1u);
    EXPECT_EQ(spec->objects.posix_semaphores[0].value, 3u);
}

TEST_F(SnapshotWriter, PayloadFormsAndFiles) {
    auto spec = round_trip(sample(), files_in("payloads"), "payloads");
    ASSERT_TRUE(spec) << spec.error().message;
    EXPECT_NE(text_.find(R"(text = "hello \"quoted\" \\ back")"), std::string::npos) << text_;
    EXPECT_NE(text_.find(R"(hex = "00ff01")"), std::string::npos) << text_;
    EXPECT_NE(text_.find("text = \"caf\xc3\xa9\""), std::string::npos) << text_;
    EXPECT_NE(text_.find(R"(hex = "6c696e650a627265616b")"), std::string::npos) << text_;
    EXPECT_NE(text_.find("private = true"), std::string::npos) << text_;
    EXPECT_NE(text_.find("key = -2\n"), std::string::npos) << text_;
    ASSERT_EQ(files_.size(), 1u);
    EXPECT_EQ(files_[0].name, "snapshot.sysv.shm-0.bin");
    EXPECT_NE(text_.find("file = \"payloads/snapshot.sysv.shm-0.bin\""), std::string::npos);
}

TEST_F(SnapshotWriter, WithoutPayloadFilesBigPayloadsAreInline) {
    WriteOptions inline_only;
    inline_only.payload_files = false;
    auto spec = round_trip(sample(), inline_only);
    ASSERT_TRUE(spec) << spec.error().message;
    EXPECT_TRUE(files_.empty());
    EXPECT_EQ(spec->objects.sysv_shms[0].initial, std::string(5000, 'A') + "end");
    EXPECT_NE(text_.find("text = \"AAAA"), std::string::npos);
}

TEST(SnapshotText, PlainTextAndStrings) {
    EXPECT_TRUE(is_plain_text("hello, world"));
    EXPECT_TRUE(is_plain_text("\xe2\x82\xac"));   // euro sign
    EXPECT_FALSE(is_plain_text("tab\there"));     // C0
    EXPECT_FALSE(is_plain_text("\x7f"));          // DEL
    EXPECT_FALSE(is_plain_text("\xc2\x85"));      // C1 (NEL)
    EXPECT_FALSE(is_plain_text("\xc0\xaf"));      // overlong
    EXPECT_FALSE(is_plain_text("\xed\xa0\x80"));  // surrogate
    EXPECT_FALSE(is_plain_text("\xe2\x82"));      // cut short
    EXPECT_EQ(toml_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
    EXPECT_EQ(toml_string("x\ny"), "\"x\\u000ay\"");
    EXPECT_EQ(toml_string("\xff"), std::nullopt);
    EXPECT_EQ(hex_of(std::string("\x00\x10\xab", 3)), "0010ab");
}

TEST(SnapshotSysctls, OnlyChangedKnobsThatASpecCanHold) {
    std::vector<std::string> notes;
    const std::map<std::string, std::string> defaults = {
        {"kernel.msgmnb", "16384"},
        {"kernel.sem", "32000\t1024000000\t500\t32000"},
        {"kernel.shmmax", "18446744073692774399"},
        {"kernel.msg_next_id", "-1"},
        {"kernel.msgmax", "8192"}};
    std::map<std::string, std::string> current = defaults;
    current["kernel.msgmnb"] = "32768";
    current["kernel.sem"] = "32000 1024000000 500 32000";  // same, spaced differently
    current["kernel.msg_next_id"] = "12";                  // restored through ids instead
    auto changed = changed_sysctls(current, defaults, notes);
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].key, "kernel.msgmnb");
    EXPECT_EQ(changed[0].value, "32768");
    EXPECT_TRUE(notes.empty());

    current["kernel.shmmax"] = "18446744073692774398";  // changed, but above INT64_MAX
    current["kernel.shmall"] = "4096";
    changed = changed_sysctls(current, defaults, notes);
    ASSERT_EQ(changed.size(), 1u);
    ASSERT_EQ(notes.size(), 2u);
    EXPECT_EQ(notes[0],
              "kernel.shmmax = 18446744073692774398: left out, a spec cannot hold this value");
    EXPECT_NE(notes[1].find("kernel.shmall: not compared"), std::string::npos);
}

}  // namespace
}  // namespace ipcbox::launcher::snapshot
