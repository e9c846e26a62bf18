#include "launcher/hook/deadline.hpp"

#include <signal.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstring>

namespace ipcbox::launcher {
namespace {

// What the SIGALRM handler needs, set before the timer is armed. File-scope because a signal
// handler can reach nothing else.
struct Line {
    char text[1024];
    size_t size = 0;

    // Cut to fit, always ending in a newline.
    void set(const std::string& line) {
        size = std::min(line.size(), sizeof text - 1);
        std::memcpy(text, line.data(), size);
        if (size == 0 || text[size - 1] != '\n') text[size++] = '\n';
    }
};
Line g_message, g_log_message;
int g_log_fd = -1;
volatile sig_atomic_t g_child = 0;

// Not base/io's write_all: this one runs in a signal handler, so it may not allocate an Error.
void write_all(int fd, const char* data, size_t size) {
    while (size > 0) {
        const ssize_t n = write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        data += n;
        size -= static_cast<size_t>(n);
    }
}

void on_deadline(int) {
    const pid_t child = g_child;
    // Our own unreaped child: its pid cannot have been reused.
    if (child > 0) kill(child, SIGKILL);
    write_all(STDERR_FILENO, g_message.text, g_message.size);
    if (g_log_fd >= 0) write_all(g_log_fd, g_log_message.text, g_log_message.size);
    _exit(1);
}

}  // namespace

void arm_deadline(long milliseconds, const std::string& message, const std::string& log_message,
                  int log_fd) {
    // No SIGALRM while the lines change.
    disarm_deadline();
    g_message.set(message);
    g_log_message.set(log_message);
    g_log_fd = log_fd;

    struct sigaction sa {};
    sa.sa_handler = on_deadline;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, nullptr);
    itimerval timer{};
    timer.it_value.tv_sec = milliseconds / 1000;
    timer.it_value.tv_usec = (milliseconds % 1000) * 1000;
    setitimer(ITIMER_REAL, &timer, nullptr);
}

void watch_child(pid_t child) {
    g_child = child;
}

void disarm_deadline() {
    itimerval off{};
    setitimer(ITIMER_REAL, &off, nullptr);
}

}  // namespace ipcbox::launcher
