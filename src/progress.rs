//! How far a long job has come, and whether the officer asked it to stop: shared between the
//! thread that works and the window that draws its progress bar.

use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};

/// What a job is doing now; the window names it in its own language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    #[default]
    Starting,
    /// Reading input files (`done` of `total` files).
    ReadingFiles,
    /// Reading the catalogue's rows.
    ReadingRows,
    /// Comparing rows with the catalogue (an import's plan).
    Planning,
    /// Writing changes in one transaction.
    Writing,
    /// Waiting for another program to finish writing to the catalogue.
    WaitingForWriter,
}

impl Phase {
    const ALL: [Phase; 6] = [
        Phase::Starting,
        Phase::ReadingFiles,
        Phase::ReadingRows,
        Phase::Planning,
        Phase::Writing,
        Phase::WaitingForWriter,
    ];
}

#[derive(Debug, Default)]
pub struct Progress {
    phase: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
    cancelled: AtomicBool,
}

impl Progress {
    /// Starts a phase of `total` steps.
    pub fn begin(&self, phase: Phase, total: usize) {
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    pub fn set_done(&self, done: usize) {
        self.done.store(done, Ordering::Relaxed);
    }

    pub fn advance(&self, steps: usize) {
        self.done.fetch_add(steps, Ordering::Relaxed);
    }

    pub fn phase(&self) -> Phase {
        let value = self.phase.load(Ordering::Relaxed);
        Phase::ALL
            .into_iter()
            .find(|phase| *phase as u8 == value)
            .unwrap_or_default()
    }

    /// `(done, total)` of the current phase.
    pub fn steps(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// 0 to 1 within the current phase; `None` while the total is unknown.
    pub fn fraction(&self) -> Option<f32> {
        let (done, total) = self.steps();
        (total > 0).then(|| (done as f32 / total as f32).min(1.0))
    }

    /// Asks the job to stop at its next check; what it wrote is rolled back.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_and_fractions() {
        let progress = Progress::default();
        assert_eq!(progress.phase(), Phase::Starting);
        assert_eq!(progress.fraction(), None);
        progress.begin(Phase::Planning, 4);
        progress.advance(1);
        assert_eq!(progress.phase(), Phase::Planning);
        assert_eq!(progress.fraction(), Some(0.25));
        progress.cancel();
        assert!(progress.is_cancelled());
    }
}
