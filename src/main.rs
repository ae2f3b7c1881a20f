// The run allocates millions of small nodes across threads; mimalloc's
// thread-local free lists make that markedly cheaper than the system
// allocator (see docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    plimsoll::cli::main()
}
