// Helpers for the preseed integration tests: reading /proc/sysvipc tables and the probe's output.
#pragma once

#include <sys/stat.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/integration/harness/harness.hpp"

namespace ipcbox::test {

// A table of /proc/sysvipc/{msg,sem,shm}: one map per row, keyed by the header's column names.
inline std::vector<std::map<std::string, std::string>> sysvipc_rows(const std::string& text) {
    std::istringstream in(text);
    std::string line;
    std::vector<std::string> columns;
    std::vector<std::map<std::string, std::string>> rows;
    if (std::getline(in, line)) {
        std::istringstream header(line);
        for (std::string c; header >> c;) columns.push_back(c);
    }
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        std::map<std::string, std::string> row;
        std::string value;
        for (size_t i = 0; i < columns.size() && fields >> value; ++i) row[columns[i]] = value;
        rows.push_back(row);
    }
    return rows;
}

// The row whose key column (printed in decimal) is `key`; an empty map when there is none.
inline std::map<std::string, std::string> sysvipc_row(const std::string& text, key_t key) {
    for (const auto& row : sysvipc_rows(text))
        if (row.count("key") && row.at("key") == std::to_string(key)) return row;
    return {};
}

// `sh -c` script pieces: "== NAME" then the output of the command.
inline std::string section_cmd(const std::string& name, const std::string& command) {
    return "echo '== " + name + "'; " + command + "; ";
}
// The lines printed after "== NAME" up to the next section.
inline std::string section(const std::string& out, const std::string& name) {
    const std::string mark = "== " + name + "\n";
    size_t start = out.find(mark);
    if (start == std::string::npos) return "<no section " + name + ">";
    start += mark.size();
    size_t end = out.find("\n== ", start - 1);
    return out.substr(start, end == std::string::npos ? std::string::npos : end + 1 - start);
}

inline std::string hex_of(const std::string& bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : bytes) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

// A world-readable file in the staging directory (payloads, ftok targets).
inline std::string staged_file(const std::string& name, const std::string& content) {
    const std::string path = staging_dir() + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    chmod(path.c_str(), 0644);
    return path;
}

// A directory anyone may write to, for marker files the command would create.
inline std::string marker_dir() {
    const std::string dir = staging_dir() + "/markers";
    mkdir(dir.c_str(), 0777);
    chmod(dir.c_str(), 0777);
    return dir;
}

}  // namespace ipcbox::test
