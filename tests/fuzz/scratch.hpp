// The fuzz targets' file system: a scratch directory that becomes the process's root, so that
// whatever path an input names (`file = "/dev/zero"`, "../../etc/shadow", a spec dir, a bundle)
// resolves beneath it and finds only the few files made here.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace ipcbox::fuzz {

// Enters a private mount (and, unless root, user) namespace, mounts a tmpfs over /tmp there (so
// nothing is left on the host) holding `files` (relative path, contents), and chroots into it. The
// working directory stays where it was, so libFuzzer's relative corpus and artifact paths keep
// working (give it relative ones). Only this process's own /proc/PID (and /proc/self) is there
// besides. Aborts if any step fails: a fuzzer that could read the host's files must not run.
void enter_scratch_root(const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace ipcbox::fuzz
