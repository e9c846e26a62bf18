// What --explain predicts for the rows that private paths and Landlock scopes change, from plans
// built by hand (so no kernel has to offer Landlock for the prediction to be checked).
#include "launcher/run/explain.hpp"

#include <gtest/gtest.h>

#include "launcher/run/mechanisms.hpp"

namespace ipcbox::launcher {
namespace {

namespace m = mechanism;

const MechanismVerdict& row(const std::vector<MechanismVerdict>& rows, const std::string& name) {
    for (const auto& r : rows)
        if (r.mechanism == name) return r;
    static const MechanismVerdict none{"", Verdict::NotApplicable, ""};
    ADD_FAILURE() << "no row " << name;
    return none;
}

LaunchPlan plan_with(bool tmpfs, seccomp::LandlockScopes scopes, bool net = false,
                     bool pid = false) {
    LaunchPlan plan;
    plan.namespaces.mount = true;
    plan.namespaces.net = net;
    plan.namespaces.pid = pid;
    if (tmpfs) plan.mounts.tmpfs = {{"/tmp", 01777, 0}, {"/run/postgresql", 0755, 1 << 20}};
    plan.landlock = scopes;
    plan.landlock_abi = {7, 0};
    return plan;
}

TEST(ExplainPredictions, PrivatePathsIsolateFifosAndPathSockets) {
    const auto shared = predict_isolation({}, plan_with(false, {}));
    EXPECT_EQ(row(shared, m::kFifo).verdict, Verdict::Shared);
    EXPECT_EQ(row(shared, m::kUnixSocketPath).verdict, Verdict::Shared);
    EXPECT_NE(row(shared, m::kFifo).why.find("(set sandbox.tmpfs)"), std::string::npos);
    const auto rows = predict_isolation({}, plan_with(true, {}));
    for (const char* name : {m::kFifo, m::kUnixSocketPath}) {
        EXPECT_EQ(row(rows, name).verdict, Verdict::Isolated) << name;
        EXPECT_EQ(row(rows, name).why,
                  "under the private tmpfs at /tmp, /run/postgresql; elsewhere the host's file "
                  "system is visible");
    }
    // The other rows do not move.
    EXPECT_EQ(row(rows, m::kUnixSocketAbstract).verdict, Verdict::Shared);
    EXPECT_EQ(row(rows, m::kSignal).verdict, Verdict::Shared);
}

TEST(ExplainPredictions, ScopesBlockAbstractSocketsAndSignals) {
    const auto both = predict_isolation({}, plan_with(false, {true, true}));
    EXPECT_EQ(row(both, m::kUnixSocketAbstract).verdict, Verdict::Blocked);
    EXPECT_EQ(row(both, m::kSignal).verdict, Verdict::Blocked);
    EXPECT_NE(row(both, m::kSignal).why.find("Landlock scope signal"), std::string::npos);
    // Loopback TCP is not a unix socket: the host network stays reachable.
    EXPECT_EQ(row(both, m::kTcpLoopback).verdict, Verdict::Shared);
    const auto abstract_only = predict_isolation({}, plan_with(false, {true, false}));
    EXPECT_EQ(row(abstract_only, m::kUnixSocketAbstract).verdict, Verdict::Blocked);
    EXPECT_EQ(row(abstract_only, m::kSignal).verdict, Verdict::Shared);
    // With a namespace as well the host's object is not even there to refuse.
    const auto namespaced = predict_isolation({}, plan_with(false, {true, true}, true, true));
    EXPECT_EQ(row(namespaced, m::kUnixSocketAbstract).verdict, Verdict::Isolated);
    EXPECT_EQ(row(namespaced, m::kSignal).verdict, Verdict::Isolated);
}

TEST(ExplainText, ShowsTheTmpfsMountsAndTheLandlockAbi) {
    config::Spec spec;
    const Command command{"/bin/true", {"/bin/true"}};
    const std::string text = explain(spec, plan_with(true, {false, true}), command);
    EXPECT_NE(text.find("\ntmpfs: /tmp (mode 1777, default size); /run/postgresql (mode 0755, "
                        "1048576 bytes)\n"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find("\nlandlock: ABI 7; scopes: signal\n"), std::string::npos) << text;
    LaunchPlan old = plan_with(false, {});
    old.landlock_abi = {0, ENOSYS};
    EXPECT_NE(explain(spec, old, command)
                  .find("\nlandlock: none (not built into this kernel); scopes: none\n"),
              std::string::npos);
}

}  // namespace
}  // namespace ipcbox::launcher
