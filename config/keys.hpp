// The keys of every table of a spec, and the values of its choices: one table each, read by the
// parser (unknown keys are errors) and by the JSON Schema export (config/schema.cpp), so that the
// schema cannot accept a key the parser refuses or miss one it takes.
#pragma once

#include <cerrno>
#include <string_view>

#include "config/spec.hpp"

namespace ipcbox::config::keys {

inline constexpr std::string_view kTop[] = {"sandbox", "dev_shm", "sysctl", "sysv",
                                            "posix",   "block",   "leaks",  "hook"};
inline constexpr std::string_view kSandbox[] = {"user",    "uid",   "gid",      "mount",
                                                "net",     "pid",   "hostname", "die_with_parent",
                                                "timeout", "scope", "tmpfs",    "capabilities"};
inline constexpr std::string_view kTmpfs[] = {"path", "size", "mode"};
inline constexpr std::string_view kDevShm[] = {"mode", "size"};
inline constexpr std::string_view kBlock[] = {"kinds", "create", "errno"};
inline constexpr std::string_view kLeaks[] = {"report", "fail"};
inline constexpr std::string_view kHook[] = {"allow_shared_ipc"};

inline constexpr std::string_view kSysv[] = {"queue", "semaphore", "shm"};
inline constexpr std::string_view kSysvQueue[] = {"key",   "ftok",  "private",   "id",      "mode",
                                                  "owner", "group", "max_bytes", "messages"};
inline constexpr std::string_view kSysvMessage[] = {"type", "text", "hex", "file"};
inline constexpr std::string_view kSysvSemaphore[] = {"key",    "ftok", "private", "id",
                                                      "values", "mode", "owner",   "group"};
inline constexpr std::string_view kSysvShm[] = {"key",   "ftok",  "private", "id",  "size", "mode",
                                                "owner", "group", "text",    "hex", "file"};
inline constexpr std::string_view kFtok[] = {"path", "proj"};

inline constexpr std::string_view kPosix[] = {"queue", "shm", "semaphore"};
inline constexpr std::string_view kPosixQueue[] = {"name", "max_messages", "message_size", "mode",
                                                   "messages"};
inline constexpr std::string_view kPosixMessage[] = {"priority", "text", "hex", "file"};
inline constexpr std::string_view kPosixShm[] = {"name", "size", "mode", "text", "hex", "file"};
inline constexpr std::string_view kPosixSemaphore[] = {"name", "value", "mode"};

// The values each choice can take; their spellings come from config/names.cpp and kind_name().
inline constexpr UserMode kUserModes[] = {UserMode::Auto, UserMode::New, UserMode::Host};
inline constexpr DevShmMode kDevShmModes[] = {DevShmMode::Private, DevShmMode::None,
                                              DevShmMode::Host};
inline constexpr int kErrnos[] = {EPERM, EACCES, ENOSYS};

}  // namespace ipcbox::config::keys
