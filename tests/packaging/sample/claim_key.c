// claim_key BARRIER_DIR N TOTAL: creates the SysV semaphore set at a fixed key with
// IPC_CREAT | IPC_EXCL, marks BARRIER_DIR/N as tried, and when it got the key holds it until all
// TOTAL tests have tried (or 30 s pass), then removes it. Exits 0 when it got the key and all
// TOTAL ran at the same time, 1 when the key was taken (EEXIST), 2 on any other failure.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sem.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KEY 0x1bcb0c5

static int count_tried(const char* dir, int total) {
    int n = 0;
    char path[4096];
    for (int i = 1; i <= total; ++i) {
        snprintf(path, sizeof path, "%s/%d", dir, i);
        if (access(path, F_OK) == 0) ++n;
    }
    return n;
}

int main(int argc, char** argv) {
    if (argc != 4) return 2;
    const char* dir = argv[1];
    const int total = atoi(argv[3]);
    const int id = semget(KEY, 1, IPC_CREAT | IPC_EXCL | 0600);
    const int err = errno;
    char path[4096];
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) return 2;
    snprintf(path, sizeof path, "%s/%s", dir, argv[2]);
    const int fd = open(path, O_WRONLY | O_CREAT, 0644);
    if (fd < 0) return 2;
    close(fd);
    if (id < 0) {
        fprintf(stderr, "claim %s: semget: %s\n", argv[2], strerror(err));
        return err == EEXIST ? 1 : 2;
    }
    int all = 0;
    for (int waited = 0; waited < 3000 && !(all = count_tried(dir, total) == total); ++waited) {
        const struct timespec ten_ms = {0, 10 * 1000 * 1000};
        nanosleep(&ten_ms, NULL);
    }
    semctl(id, 0, IPC_RMID);
    fprintf(stderr, "claim %s: got key 0x%x; %s\n", argv[2], KEY,
            all ? "all tried meanwhile" : "not all tried within 30 s");
    return all ? 0 : 2;
}
