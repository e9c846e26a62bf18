# Eight tests that each need the fixed SysV key 0x1bcb0c7 to be free: each creates it with
# IPC_CREAT|IPC_EXCL and removes it again. pytest_xdist_test.sh holds that key on the host, so they
# pass only when every xdist worker runs in a sandbox of its own (`--tx ...//python=WRAPPER`).
# Each test writes "worker ipc-namespace" to $CLAIM_LOG/<n> so the script can check that there was
# one sandbox per worker.
import ctypes
import os

import pytest

KEY = 0x1BCB0C7
IPC_CREAT, IPC_EXCL, IPC_RMID = 0o1000, 0o2000, 0
libc = ctypes.CDLL(None, use_errno=True)


@pytest.mark.parametrize("n", range(8))
def test_claims_the_fixed_key(n):
    with open(os.path.join(os.environ["CLAIM_LOG"], str(n)), "w") as log:
        log.write(f"{os.environ['PYTEST_XDIST_WORKER']} {os.readlink('/proc/self/ns/ipc')}\n")
    semid = libc.semget(KEY, 1, IPC_CREAT | IPC_EXCL | 0o600)
    if semid < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"semget(0x{KEY:x}, IPC_CREAT|IPC_EXCL): {os.strerror(err)}")
    libc.semctl(semid, 0, IPC_RMID)
