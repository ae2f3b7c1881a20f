//! A progress line on stderr for long runs on a terminal.
//!
//! It appears only after a second, so short runs (the pre-commit case) print
//! nothing extra, and never when stderr is not a terminal or `CI` is set,
//! so logs stay clean.

use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Runs `work`, showing `done` of `total` files while it runs.
pub fn while_running<T: Send>(
    done: &AtomicUsize,
    total: usize,
    work: impl FnOnce() -> T + Send,
) -> T {
    if !std::io::stderr().is_terminal() || std::env::var_os("CI").is_some() {
        return work();
    }
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| show(done, total, &finished));
        let result = work();
        finished.store(true, Ordering::Release);
        result
    })
}

fn show(done: &AtomicUsize, total: usize, finished: &AtomicBool) {
    let start = Instant::now();
    let mut shown = false;
    while !finished.load(Ordering::Acquire) {
        std::thread::sleep(Duration::from_millis(100));
        if start.elapsed() < Duration::from_secs(1) {
            continue;
        }
        shown = true;
        let n = done.load(Ordering::Relaxed);
        eprint!("\rplimsoll: {n}/{total} files");
        let _ = std::io::stderr().flush();
    }
    if shown {
        eprint!("\r\x1b[2K");
    }
}
