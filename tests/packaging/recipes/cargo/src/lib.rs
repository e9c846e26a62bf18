// A test that needs the fixed SysV key 0x1bcb0c6 to be free: it creates it with
// IPC_CREAT|IPC_EXCL. recipes_test.sh holds that key on the host, so the test passes only when
// cargo's target runner (`ipcbox run --`) gives it an IPC namespace of its own.
#[cfg(test)]
mod tests {
    extern "C" {
        fn semget(key: i32, nsems: i32, semflg: i32) -> i32;
        fn semctl(semid: i32, semnum: i32, cmd: i32, ...) -> i32;
    }

    #[test]
    fn claims_the_fixed_key() {
        let id = unsafe { semget(0x1bcb0c6, 1, 0o1000 | 0o2000 | 0o600) };
        assert!(id >= 0, "semget(0x1bcb0c6, IPC_CREAT|IPC_EXCL): {}", std::io::Error::last_os_error());
        unsafe { semctl(id, 0, 0) };
    }
}
