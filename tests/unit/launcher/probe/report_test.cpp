// The probe's bookkeeping, without a sandbox: the JSON that crosses the sandbox boundary, how an
// attempt becomes a verdict, and that --explain predicts exactly the rows the probe measures.
#include "launcher/probe/report.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <iterator>

#include "launcher/probe/inside.hpp"
#include "launcher/run/explain.hpp"
#include "launcher/run/mechanisms.hpp"
#include "launcher/run/plan.hpp"

namespace ipcbox::launcher::probe {
namespace {

namespace m = mechanism;

TEST(ProbeJson, TargetsSurviveTheTrip) {
    Targets t;
    t.sysv_queue = SysvTarget{0x1c123456, 7};
    t.sysv_shm = SysvTarget{0x1c000001, 0};
    t.posix_queue = "/ipcbox-probe-1-mq";
    t.abstract_socket = "ipcbox-probe-1-abstract";
    t.tcp_port = 40000;
    t.signal_pid = 1234;
    t.signal_cookie = 99;
    t.inherited_fd = 8;
    t.inherited_inode = 1ull << 40;
    auto back = targets_from_json(targets_to_json(t));
    ASSERT_TRUE(back) << back.error().message;
    ASSERT_TRUE(back->sysv_queue);
    EXPECT_EQ(back->sysv_queue->key, 0x1c123456);
    EXPECT_EQ(back->sysv_queue->id, 7);
    EXPECT_FALSE(back->sysv_semaphore);  // not made: not tried
    ASSERT_TRUE(back->sysv_shm);
    EXPECT_EQ(back->sysv_shm->id, 0);
    EXPECT_EQ(back->posix_queue, t.posix_queue);
    EXPECT_EQ(back->posix_shm, "");
    EXPECT_EQ(back->abstract_socket, t.abstract_socket);
    EXPECT_EQ(back->tcp_port, 40000);
    EXPECT_EQ(back->signal_pid, 1234);
    EXPECT_EQ(back->signal_cookie, 99);
    EXPECT_EQ(back->inherited_fd, 8);
    EXPECT_EQ(back->inherited_inode, 1ull << 40);
}

TEST(ProbeJson, AttemptsSurviveTheTrip) {
    std::vector<Attempt> in = {{m::kSysvQueue, false, ENOENT, false, "get by key: ENOENT"},
                               {m::kFifo, true, 0, false, "opened"}};
    auto back = attempts_from_json(attempts_to_json(in));
    ASSERT_TRUE(back) << back.error().message;
    ASSERT_EQ(back->size(), 2u);
    EXPECT_EQ((*back)[0].mechanism, m::kSysvQueue);
    EXPECT_EQ((*back)[0].err, ENOENT);
    EXPECT_FALSE((*back)[0].reached);
    EXPECT_TRUE((*back)[1].reached);
    EXPECT_EQ((*back)[1].detail, "opened");
}

TEST(ProbeJson, GarbageIsAnError) {
    EXPECT_FALSE(attempts_from_json("not json"));
    EXPECT_FALSE(attempts_from_json("{}"));
    EXPECT_FALSE(targets_from_json("{\"signal\": {\"pid\": \"x\"}}"));
}

std::vector<MechanismVerdict> predictions(Verdict v) {
    std::vector<MechanismVerdict> out;
    for (const char* name : m::kAll) out.push_back({name, v, "because"});
    return out;
}

const ProbeRow& row(const std::vector<ProbeRow>& rows, const std::string& name) {
    for (const auto& r : rows)
        if (r.mechanism == name) return r;
    static const ProbeRow none;
    ADD_FAILURE() << "no row " << name;
    return none;
}

TEST(ProbeCompare, AttemptsBecomeVerdicts) {
    const std::vector<Attempt> attempts = {
        {m::kSysvQueue, false, ENOENT, false, ""},
        {m::kSysvQueueId, false, 0, false, "id 3 is another object here"},
        {m::kPosixShm, false, ENOENT, true, "(/dev/shm is read-only)"},
        {m::kFifo, true, 0, false, ""},
        {m::kTcpLoopback, true, 0, false, "connected"},
        {m::kSignal, false, ESRCH, false, ""},
    };
    const std::map<std::string, std::string> missing = {
        {m::kPosixQueuePath, "no host mqueue mount: nothing to reach"}};
    // The host side's own observation wins over what the inside believed.
    const std::map<std::string, bool> observed = {{m::kTcpLoopback, false}, {m::kSignal, true}};
    auto rows = compare(predictions(Verdict::Isolated), attempts, missing, observed);
    ASSERT_EQ(rows.size(), std::size(m::kAll));
    EXPECT_EQ(row(rows, m::kSysvQueue).measured, Verdict::Isolated);
    EXPECT_EQ(row(rows, m::kSysvQueue).errno_name, "ENOENT");
    EXPECT_EQ(row(rows, m::kSysvQueueId).measured, Verdict::Isolated);
    EXPECT_EQ(row(rows, m::kSysvQueueId).errno_name, "");
    EXPECT_EQ(row(rows, m::kPosixShm).measured, Verdict::Blocked);
    EXPECT_EQ(row(rows, m::kFifo).measured, Verdict::Shared);
    EXPECT_EQ(row(rows, m::kTcpLoopback).measured, Verdict::Isolated);
    EXPECT_NE(row(rows, m::kTcpLoopback).detail.find("nothing arrived"), std::string::npos);
    EXPECT_EQ(row(rows, m::kSignal).measured, Verdict::Shared);
    EXPECT_EQ(row(rows, m::kPosixQueuePath).measured, Verdict::NotApplicable);
    EXPECT_EQ(row(rows, m::kPosixQueuePath).detail, "no host mqueue mount: nothing to reach");
    // Not reported by the inside at all: n/a, never a silent "isolated".
    EXPECT_EQ(row(rows, m::kInheritedFd).measured, Verdict::NotApplicable);
}

TEST(ProbeCompare, DisagreementsAreWarnings) {
    const std::vector<Attempt> attempts = {{m::kFifo, true, 0, false, "opened"}};
    auto rows = compare(predictions(Verdict::Shared), attempts, {}, {});
    EXPECT_TRUE(row(rows, m::kFifo).agrees());
    EXPECT_EQ(row(rows, m::kFifo).responsible, "because");
    EXPECT_FALSE(row(rows, m::kSysvShm).agrees());
    EXPECT_EQ(row(rows, m::kSysvShm).responsible.rfind("unexpected; predicted: ", 0), 0u);
    auto w = warnings(rows);
    ASSERT_EQ(w.size(), std::size(m::kAll) - 1);
    EXPECT_EQ(w[0].rfind("sysv.queue: predicted shared, measured n/a (", 0), 0u) << w[0];
}

TEST(ProbeCompare, JsonAndTableCarryEveryRow) {
    auto rows = compare(predictions(Verdict::Isolated), {}, {}, {});
    const std::string json = format_json(rows, "", "{\"tcp_port\": 1}");
    EXPECT_NE(json.find("\"host_objects\""), std::string::npos);
    EXPECT_NE(json.find("\"spec\": null"), std::string::npos);
    const std::string table = format_table(rows);
    for (const char* name : m::kAll) {
        EXPECT_NE(json.find(std::string("\"") + name + "\""), std::string::npos) << name;
        EXPECT_NE(table.find(std::string("\n") + name + " "), std::string::npos) << name;
    }
}

// --explain predicts exactly the rows the probe measures, in the same order, in every
// configuration.
TEST(ProbePredictions, OneRowPerMechanism) {
    for (int variant = 0; variant < 4; ++variant) {
        config::Spec spec;
        spec.sandbox.net = variant == 1;
        spec.sandbox.pid = variant == 1;
        if (variant == 2) spec.dev_shm.mode = config::DevShmMode::Host;
        if (variant == 3) spec.block.kinds = {config::IpcKind::SysvQueue};
        auto plan = make_plan(spec, false);
        ASSERT_TRUE(plan) << plan.error().message;
        const auto rows = predict_isolation(spec.block, *plan);
        ASSERT_EQ(rows.size(), std::size(m::kAll));
        for (size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i].mechanism, m::kAll[i]);
    }
}

}  // namespace
}  // namespace ipcbox::launcher::probe
