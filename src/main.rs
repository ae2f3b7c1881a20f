fn main() -> std::process::ExitCode {
    reserve_heap_ahead();
    plimsoll::cli::main()
}

/// glibc grows the heap of each worker thread by exactly what the
/// allocation at hand needs, one `mprotect` call per growth: about 32,000
/// system calls to lint a 66 MB corpus. With a pad each growth reserves
/// 64 MiB ahead instead. Reserved pages that are never written are never
/// resident, so peak memory does not change.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn reserve_heap_ahead() {
    // SAFETY: `mallopt` sets one parameter of the allocator; it is called
    // before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn reserve_heap_ahead() {}
