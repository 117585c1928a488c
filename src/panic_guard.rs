//! Third-party readers (the XLSX parser) may panic on damaged input. Such a panic is
//! contained where the reader is called and becomes an ordinary "cannot read" error; with
//! the hook installed by the binary, it prints nothing, so the officer reads one message.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};

thread_local! {
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

static CONTAINED: AtomicU64 = AtomicU64::new(0);

/// Installs a panic hook that stays silent for contained panics and reports the others as
/// before. Called once, by the binary.
pub fn install_hook() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !CONTAINING.with(Cell::get) {
            report(info);
        }
    }));
}

/// Runs `read`; a panic inside becomes `None`.
pub fn contain<T>(read: impl FnOnce() -> T) -> Option<T> {
    let was = CONTAINING.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(read));
    CONTAINING.with(|c| c.set(was));
    if result.is_err() {
        CONTAINED.fetch_add(1, Ordering::Relaxed);
    }
    result.ok()
}

/// How many panics [`contain`] turned into errors in this process.
pub fn contained() -> u64 {
    CONTAINED.load(Ordering::Relaxed)
}
