fn main() -> std::process::ExitCode {
    plimsoll::cli::main()
}
