// OCI state parsing for `ipcbox hook`: what runc, podman and CRI-O put on the hook's stdin.
#include <gtest/gtest.h>

#include "launcher/hook/apply.hpp"
#include "launcher/hook/oci_state.hpp"

namespace ipcbox::launcher {
namespace {

TEST(HookState, ParsesRuncCreateRuntimeState) {
    // As runc 1.1.5 writes it at createRuntime.
    auto s = parse_oci_state(
        R"({"ociVersion":"1.0.2-dev","id":"hk1","status":"creating","pid":30779,)"
        R"("bundle":"/tmp/hk/b","annotations":{"io.ipcbox.spec":"x","other":"y"}})");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->oci_version, "1.0.2-dev");
    EXPECT_EQ(s->id, "hk1");
    EXPECT_EQ(s->status, "creating");
    ASSERT_TRUE(s->pid.has_value());
    EXPECT_EQ(*s->pid, 30779);
    EXPECT_EQ(s->bundle, "/tmp/hk/b");
    ASSERT_EQ(s->annotations.size(), 2u);
    EXPECT_EQ(s->annotations.at("io.ipcbox.spec"), "x");
}

TEST(HookState, IgnoresUnknownFields) {
    auto s = parse_oci_state(
        R"({"id":"a","pid":5,"bundle":"/b","future":{"x":[1,2]},"status":"created","n":1.5})");
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(*s->pid, 5);
    EXPECT_TRUE(s->annotations.empty());
}

TEST(HookState, PoststopHasNoProcess) {
    auto absent = parse_oci_state(R"({"id":"a","status":"stopped","bundle":"/b"})");
    ASSERT_TRUE(absent.ok());
    EXPECT_FALSE(absent->pid.has_value());
    auto zero = parse_oci_state(R"({"id":"a","status":"stopped","pid":0,"bundle":"/b"})");
    ASSERT_TRUE(zero.ok());
    EXPECT_FALSE(zero->pid.has_value());
}

TEST(HookState, RefusesMalformedInput) {
    EXPECT_EQ(parse_oci_state("").error().message, "OCI state on stdin is not valid JSON");
    EXPECT_EQ(parse_oci_state("{\"id\":").error().message, "OCI state on stdin is not valid JSON");
    EXPECT_EQ(parse_oci_state("[1]").error().message, "OCI state on stdin is not a JSON object");
}

TEST(HookState, RefusesKnownFieldsOfTheWrongType) {
    EXPECT_EQ(parse_oci_state(R"({"pid":"12"})").error().message,
              "OCI state: \"pid\" must be an integer");
    EXPECT_EQ(parse_oci_state(R"({"pid":-3})").error().message,
              "OCI state: \"pid\" must be a process id, got -3");
    EXPECT_EQ(parse_oci_state(R"({"pid":4294967296})").error().message,
              "OCI state: \"pid\" must be a process id, got 4294967296");
    EXPECT_EQ(parse_oci_state(R"({"bundle":7})").error().message,
              "OCI state: \"bundle\" must be a string");
    EXPECT_EQ(parse_oci_state(R"({"annotations":["a"]})").error().message,
              "OCI state: \"annotations\" must be an object");
    EXPECT_EQ(parse_oci_state(R"({"annotations":{"k":1}})").error().message,
              "OCI state: \"annotations.k\" must be a string");
}

TEST(HookWire, RoundTripsAReportOfSuccess) {
    HookApplied a;
    a.sysctls = 2;
    a.objects.created = 3;
    a.objects.existing = 4;
    auto back = decode_applied(encode_applied(a));
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_EQ(back->sysctls, 2u);
    EXPECT_EQ(back->objects.created, 3u);
    EXPECT_EQ(back->objects.existing, 4u);
}

// Errors travel on the channel (tests/unit/launcher/channel_test.cpp); a report of success that is
// cut short or has more is refused.
TEST(HookWire, RefusesTruncatedReports) {
    const std::string full = encode_applied(HookApplied{});
    for (size_t n : {size_t{0}, size_t{3}}) {
        auto back = decode_applied(full.substr(0, n));
        ASSERT_FALSE(back.ok());
        EXPECT_EQ(back.error().message, "the namespace helper sent a malformed report") << n;
    }
    EXPECT_FALSE(decode_applied("1 2").ok());
    EXPECT_FALSE(decode_applied("1 2 3 extra").ok());
}

}  // namespace
}  // namespace ipcbox::launcher
