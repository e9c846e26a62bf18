#!/bin/sh
# claim: create SysV key 0x1bcb0c8 with IPC_CREAT|IPC_EXCL and /dev/shm/ipcbox-bazel-claim with
# O_CREAT|O_EXCL (bazel_run_under_test.sh holds both on the host), then remove them; each failure
# is one line. leave: create a queue at key 0x1bcb0c9 and leave it, for the leak report.
exec /usr/bin/python3 - "$1" <<'PY'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
if sys.argv[1] == "leave":
    sys.exit(0 if libc.msgget(0x1BCB0C9, 0o1000 | 0o600) >= 0 else "msgget failed")
failed = False
semid = libc.semget(0x1BCB0C8, 1, 0o1000 | 0o2000 | 0o600)
if semid < 0:
    print(f"semget(0x1bcb0c8, IPC_CREAT|IPC_EXCL): {os.strerror(ctypes.get_errno())}")
    failed = True
else:
    libc.semctl(semid, 0, 0)
try:
    os.close(os.open("/dev/shm/ipcbox-bazel-claim", os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    os.unlink("/dev/shm/ipcbox-bazel-claim")
except OSError as e:
    print(f"open(/dev/shm/ipcbox-bazel-claim, O_CREAT|O_EXCL): {e.strerror}")
    failed = True
sys.exit(1 if failed else 0)
PY
