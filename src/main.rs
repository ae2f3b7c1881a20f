// Linting allocates and frees millions of small tree nodes on every
// thread; jemalloc's thread caches serve them in fewer instructions than
// glibc's allocator (figures in docs/performance.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    plimsoll::cli::main()
}
