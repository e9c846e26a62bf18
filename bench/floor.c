// The floor for bench/launch.sh: exactly the namespaces and mounts that `ipcbox run` makes by
// default for an unprivileged caller, and nothing else. A new user, IPC and mount namespace (one
// clone, as ipcbox's supervisor does), the caller mapped to root, propagation made private, a fresh
// tmpfs on /dev/shm with ipcbox's options (ns/mount.cpp), a fresh mqueue over every inherited
// mqueue mount, /proc/sys bound read-only over itself, exec; the parent waits and exits with the command's status. No spec, no flags, no
// signal forwarding, no NO_NEW_PRIVS or seccomp, no leak check: what is left is the kernel's share.
//   floor COMMAND [ARGS...]   (COMMAND is a path; exit 125 when a step fails)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char* what) {
    perror(what);
    _exit(125);
}

static void write_file(const char* path, const char* text) {
    const int fd = open(path, O_WRONLY | O_CLOEXEC);
    const ssize_t size = (ssize_t)strlen(text);
    if (fd < 0 || write(fd, text, size) != size) die(path);
    close(fd);
}

// /proc/self/mountinfo escapes space, tab, newline and backslash as \ooo.
static void unescape(char* s) {
    char* out = s;
    for (; *s; ++s, ++out) {
        if (s[0] == '\\' && s[1] && s[2] && s[3]) {
            *out = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
            s += 3;
        } else {
            *out = *s;
        }
    }
    *out = '\0';
}

// "id parent major:minor root mount-point options [optional...] - fstype source super"
static void cover_mqueue_mounts(void) {
    FILE* in = fopen("/proc/self/mountinfo", "re");
    if (!in) die("/proc/self/mountinfo");
    char line[8192], point[4096];
    while (fgets(line, sizeof line, in)) {
        const char* dash = strstr(line, " - ");
        if (!dash || strncmp(dash + 3, "mqueue ", 7) != 0) continue;
        if (sscanf(line, "%*s %*s %*s %*s %4095s", point) != 1) continue;
        unescape(point);
        if (mount("mqueue", point, "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) != 0)
            die("mount: fresh mqueue");
    }
    fclose(in);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: floor COMMAND [ARGS...]\n");
        return 125;
    }
    const unsigned uid = geteuid(), gid = getegid();
    const pid_t pid = (pid_t)syscall(
        SYS_clone, CLONE_NEWUSER | CLONE_NEWIPC | CLONE_NEWNS | SIGCHLD, NULL, NULL, NULL, 0);
    if (pid < 0) die("clone");
    if (pid == 0) {
        char map[64];
        write_file("/proc/self/setgroups", "deny\n");
        snprintf(map, sizeof map, "0 %u 1\n", gid);
        write_file("/proc/self/gid_map", map);
        snprintf(map, sizeof map, "0 %u 1\n", uid);
        write_file("/proc/self/uid_map", map);
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) die("mount: make / private");
        if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=67108864") !=
            0)
            die("mount: private tmpfs on /dev/shm");
        cover_mqueue_mounts();
        struct mount_attr read_only = {.attr_set = MOUNT_ATTR_RDONLY};
        if (mount("/proc/sys", "/proc/sys", NULL, MS_BIND | MS_REC, NULL) != 0 ||
            mount_setattr(AT_FDCWD, "/proc/sys", AT_RECURSIVE, &read_only, sizeof read_only) != 0)
            die("mount: read-only /proc/sys");
        execv(argv[1], argv + 1);
        die(argv[1]);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) die("waitpid");
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
