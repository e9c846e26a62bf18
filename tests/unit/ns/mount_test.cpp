// Which mounts the sandbox must cover: the mqueue mount points read from mountinfo text (lines as
// the kernel writes them, with optional fields and \ooo escapes).
#include "ns/mount.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ipcbox::ns {
namespace {

using Points = std::vector<std::string>;

TEST(MqueueMountPoints, FindsEveryMqueueMountAndNothingElse) {
    const std::string mountinfo =
        "22 27 0:21 / /proc rw,relatime shared:13 - proc proc rw\n"
        "30 25 0:26 / /dev/mqueue rw,nosuid,nodev,noexec,relatime shared:14 - mqueue mqueue rw\n"
        "31 25 0:27 / /dev/shm rw,nosuid,nodev shared:4 - tmpfs tmpfs rw,size=65536k\n"
        "40 27 0:26 / /srv/q rw,relatime - mqueue none rw\n";
    EXPECT_EQ(mqueue_mount_points(mountinfo), (Points{"/dev/mqueue", "/srv/q"}));
}

TEST(MqueueMountPoints, UnescapesThePoint) {
    EXPECT_EQ(mqueue_mount_points("41 27 0:26 / /srv/my\\040queues\\134x rw - mqueue mqueue rw"),
              (Points{"/srv/my queues\\x"}));
}

TEST(MqueueMountPoints, TakesTheTypeOnlyAfterTheSeparator) {
    // A mount point or source named "mqueue" is not an mqueue mount; a last line without a
    // newline still counts.
    EXPECT_EQ(mqueue_mount_points("50 27 0:30 / /mqueue rw - tmpfs mqueue rw\n"
                                  "51 27 0:26 / /q rw - mqueue mqueue rw"),
              (Points{"/q"}));
}

TEST(MqueueMountPoints, IgnoresEmptyAndMalformedText) {
    EXPECT_EQ(mqueue_mount_points(""), Points{});
    EXPECT_EQ(mqueue_mount_points("\n\nno separator mqueue here\n - mqueue x y\n"), Points{});
}

}  // namespace
}  // namespace ipcbox::ns
