// The one way a test (unit or integration) gives up for a missing feature: it skips, or, under
// IPCBOX_STRICT=1 (CI sets it), fails, so that a machine lacking the feature cannot pass CI.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string_view>

namespace ipcbox::test {

// True when IPCBOX_STRICT=1.
inline bool strict() {
    const char* v = std::getenv("IPCBOX_STRICT");
    return v && std::string_view(v) == "1";
}

}  // namespace ipcbox::test

// Skips the test with `reason`, or fails it with `reason` under IPCBOX_STRICT=1. Like GTEST_SKIP()
// and FAIL() it returns from the current function: use it in the test body or in SetUp().
#define IPCBOX_SKIP(reason)                                                       \
    do {                                                                          \
        if (::ipcbox::test::strict())                                             \
            FAIL() << (reason) << " (IPCBOX_STRICT=1 makes this skip a failure)"; \
        GTEST_SKIP() << (reason);                                                 \
    } while (0)
