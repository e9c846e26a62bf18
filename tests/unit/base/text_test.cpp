// printable(): what a message may show of a string that came from outside.
#include "base/text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace ipcbox {
namespace {

TEST(Printable, PlainTextIsUnchanged) {
    EXPECT_EQ(printable("/run/postgresql"), "/run/postgresql");
    EXPECT_EQ(printable("a b ~!'\""), "a b ~!'\"");
    EXPECT_EQ(printable(""), "");
}

TEST(Printable, ControlBytesAndOtherEncodingsAreEscaped) {
    EXPECT_EQ(printable("\x1b[2Jx"), "\\x1b[2Jx");
    EXPECT_EQ(printable("line\nnext\r\t"), "line\\x0anext\\x0d\\x09");
    EXPECT_EQ(printable(std::string("a\0b", 3)), "a\\x00b");
    EXPECT_EQ(printable("\x7f"), "\\x7f");
    EXPECT_EQ(printable("caf\xc3\xa9"), "caf\\xc3\\xa9");
}

TEST(Printable, BackslashesAreDoubledSoEscapesCannotBeForged) {
    EXPECT_EQ(printable("\\x1b"), "\\\\x1b");
}

TEST(EscapeControls, EscapesWhatCouldMoveTheCursorOrForgeALine) {
    EXPECT_EQ(escape_controls("a\nipcbox: forged\r\x1b[2J\x7f"),
              "a\\x0aipcbox: forged\\x0d\\x1b[2J\\x7f");
    EXPECT_EQ(escape_controls("\xc2\x9b"
                              "2J \x9b"),
              "\\xc2\\x9b2J \\x9b");
}

TEST(EscapeControls, LeavesWhatPrintableAlreadyEscapedAlone) {
    for (const char* raw : {"\x1b[31m", "a\\b", "caf\xc3\xa9\n", "plain"})
        EXPECT_EQ(escape_controls(printable(raw)), printable(raw)) << raw;
}

}  // namespace
}  // namespace ipcbox
