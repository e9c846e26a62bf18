// A test that needs the fixed SysV key 0x1bcb0c6 to be free: it creates it with
// IPC_CREAT|IPC_EXCL. recipes_test.sh holds that key on the host, so the test passes only when
// `go test -exec 'ipcbox run --'` gives it an IPC namespace of its own.
package claim

import (
	"syscall"
	"testing"
)

const (
	key      = 0x1bcb0c6
	ipcCreat = 01000
	ipcExcl  = 02000
	ipcRmid  = 0
)

func TestClaimsTheFixedKey(t *testing.T) {
	id, _, errno := syscall.Syscall(syscall.SYS_SEMGET, key, 1, ipcCreat|ipcExcl|0600)
	if errno != 0 {
		t.Fatalf("semget(0x%x, IPC_CREAT|IPC_EXCL): %v", key, errno)
	}
	syscall.Syscall(syscall.SYS_SEMCTL, id, 0, ipcRmid)
}
