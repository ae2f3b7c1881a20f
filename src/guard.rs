//! Turning a panic in one file's processing into a finding.
//!
//! plimsoll runs on untrusted input, so a bug that makes a rule or the
//! parser panic on some odd file must not end the run: the engine runs each
//! stage of each file under [`guard`], and a panic becomes an
//! `internal-error` finding naming the file (and the rule, when a rule
//! panicked) while every other file is still checked.
//!
//! The message of a caught panic is never shown: it may quote input values
//! (an `unwrap` on a parsed scalar, say), and input may hold secrets. Only
//! the place in plimsoll's source where the panic happened is kept, which
//! is what a bug report needs. [`install_panic_hook`] keeps the default hook
//! from printing caught panics to stderr, while a panic outside a guard (a
//! real crash) is still printed as usual.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// How many guards are active on this thread.
    static DEPTH: Cell<usize> = const { Cell::new(0) };
    /// Where the last panic caught on this thread happened.
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic caught by [`guard`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caught {
    /// `file:line:column` in plimsoll's source, when the hook recorded it.
    pub location: Option<String>,
}

impl Caught {
    /// ` (panic at src/x.rs:1:2)`, or nothing when the place is unknown.
    pub fn at(&self) -> String {
        self.location
            .as_deref()
            .map(|l| format!(" (panic at {l})"))
            .unwrap_or_default()
    }
}

/// Runs `f`, turning a panic into [`Caught`]. State that `f` mutated may be
/// left half-updated; callers discard it.
pub fn guard<T>(f: impl FnOnce() -> T) -> Result<T, Caught> {
    DEPTH.with(|d| d.set(d.get() + 1));
    LAST.with(|l| l.borrow_mut().take());
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    DEPTH.with(|d| d.set(d.get() - 1));
    result.map_err(|payload| {
        // Dropping a payload can itself panic; forget it instead.
        std::mem::forget(payload);
        Caught {
            location: LAST.with(|l| l.borrow_mut().take()),
        }
    })
}

/// Whether a [`guard`] is active on this thread.
fn guarded() -> bool {
    DEPTH.with(Cell::get) > 0
}

/// Installs, once per process, a panic hook that records where a panic
/// inside a [`guard`] happened instead of printing it, and hands any other
/// panic to the hook that was installed before.
pub fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if guarded() {
                let location = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
                LAST.with(|l| *l.borrow_mut() = location);
            } else {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_caught_with_its_location_and_no_message() {
        install_panic_hook();
        let caught = guard(|| -> u32 { panic!("secret value hunter2") }).unwrap_err();
        let location = caught.location.clone().expect("the hook records the place");
        assert!(location.starts_with("src/guard.rs:"), "{location}");
        assert!(!caught.at().contains("hunter2"));
        assert_eq!(guard(|| 7), Ok(7));
        assert!(!guarded());
    }

    #[test]
    fn guards_nest() {
        install_panic_hook();
        let outer = guard(|| {
            let inner = guard(|| panic!("inner"));
            assert!(inner.is_err());
            assert!(guarded());
            1
        });
        assert_eq!(outer, Ok(1));
    }
}
