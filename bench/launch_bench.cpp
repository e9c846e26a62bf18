// Interleaved start-up benchmark: each round runs every contender once, in a rotating order, so
// drift in machine load hits all of them alike. Prints the median wall time of each and its
// ratio to the first contender's, then the first contender's ratio to every other, for wall time
// and for CPU time (user + system of the contender and every child it waited for, from wait4): on
// a busy machine wall time also measures waiting for a CPU, CPU time only the work. The median
// count of page faults (minor + major, from the same wait4) shows what exec and fork touch.
//   launch_bench ROUNDS NAME=COMMAND... (COMMAND is split on spaces; the first NAME is ipcbox)
// Every run must exit 0: a benchmark of failing runs measures nothing.
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

struct Contender {
    std::string name;
    std::vector<std::string> argv;
    std::vector<double> micros;
    std::vector<double> cpu_micros;
    std::vector<double> faults;
};

double micros_of(const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
}

void run_once(Contender& c) {
    std::vector<char*> argv;
    for (const auto& a : c.argv) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    auto start = std::chrono::steady_clock::now();
    pid_t pid;
    if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
        std::fprintf(stderr, "cannot start %s\n", argv[0]);
        std::exit(2);
    }
    int status;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    auto took = std::chrono::steady_clock::now() - start;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "%s failed (status %d)\n", c.name.c_str(), status);
        std::exit(2);
    }
    c.micros.push_back(std::chrono::duration<double, std::micro>(took).count());
    c.cpu_micros.push_back(micros_of(usage.ru_utime) + micros_of(usage.ru_stime));
    c.faults.push_back(static_cast<double>(usage.ru_minflt + usage.ru_majflt));
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: launch_bench ROUNDS NAME=COMMAND...\n");
        return 2;
    }
    const int rounds = std::atoi(argv[1]);
    std::vector<Contender> contenders;
    for (int i = 2; i < argc; ++i) {
        std::string spec = argv[i];
        auto eq = spec.find('=');
        Contender c{spec.substr(0, eq), {}, {}, {}, {}};
        std::istringstream words(spec.substr(eq + 1));
        for (std::string w; words >> w;) c.argv.push_back(w);
        contenders.push_back(std::move(c));
    }
    for (auto& c : contenders) {  // warm the page cache
        run_once(c);
        c.micros.clear();
        c.cpu_micros.clear();
        c.faults.clear();
    }
    for (int r = 0; r < rounds; ++r)
        for (size_t k = 0; k < contenders.size(); ++k)
            run_once(contenders[(r + k) % contenders.size()]);
    const Contender& first = contenders[0];
    const double base = median(first.micros);
    const double cpu_base = median(first.cpu_micros);
    std::printf("%-10s %12s %15s %16s %14s\n", "tool", "median (us)", first.name.c_str(),
                "median CPU (us)", "page faults");
    for (const auto& c : contenders) {
        double m = median(c.micros);
        std::printf("%-10s %12.0f %10.2fx of it %16.0f %14.0f\n", c.name.c_str(), m, m / base,
                    median(c.cpu_micros), median(c.faults));
    }
    for (size_t k = 1; k < contenders.size(); ++k)
        std::printf("ratio %s / %s = %.2f (CPU time: %.2f)\n", first.name.c_str(),
                    contenders[k].name.c_str(), base / median(contenders[k].micros),
                    cpu_base / median(contenders[k].cpu_micros));
    return 0;
}
