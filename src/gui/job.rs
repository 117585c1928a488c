//! Background work, one type for all of it: a thread with its own connection to the
//! catalogue, a shared [`Progress`] the window draws and may cancel, and the result sent
//! back. The window polls every job in one place (`app::jobs`); nothing heavy runs on the
//! UI thread.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::progress::Progress;
use crate::store::{Catalogue, StoreError};

/// Why a job gave no result.
#[derive(Debug)]
pub enum JobError<E> {
    /// The work failed with this error.
    Failed(E),
    /// The thread ended without a result (a panic): said, never waited for forever.
    Died,
}

pub struct Job<T, E> {
    receiver: Receiver<Result<T, E>>,
    progress: Arc<Progress>,
}

impl<T: Send + 'static, E: Send + 'static> Job<T, E> {
    /// Runs `work` on a thread of its own; `repaint` is asked for a frame when it is done.
    pub fn spawn(
        repaint: Option<egui::Context>,
        work: impl FnOnce(&Progress) -> Result<T, E> + Send + 'static,
    ) -> Job<T, E> {
        let (sender, receiver) = channel();
        let progress = Arc::new(Progress::default());
        let shared = Arc::clone(&progress);
        std::thread::spawn(move || {
            // The window may have gone (closed meanwhile): then nobody wants the result.
            let _ = sender.send(work(&shared));
            if let Some(ctx) = repaint {
                ctx.request_repaint();
            }
        });
        Job { receiver, progress }
    }

    /// The result once it is there.
    pub fn poll(&self) -> Option<Result<T, JobError<E>>> {
        match self.receiver.try_recv() {
            Ok(result) => Some(result.map_err(JobError::Failed)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(JobError::Died)),
        }
    }

    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Asks the work to stop at its next check.
    pub fn cancel(&self) {
        self.progress.cancel();
    }
}

impl<T: Send + 'static, E: Send + 'static + From<StoreError>> Job<T, E> {
    /// Work that reads the catalogue, on a read-only connection of its own.
    pub fn read(
        path: PathBuf,
        repaint: Option<egui::Context>,
        work: impl FnOnce(&Catalogue, &Progress) -> Result<T, E> + Send + 'static,
    ) -> Job<T, E> {
        Job::spawn(repaint, move |progress| {
            let catalogue = Catalogue::open_read_only(&path)?;
            work(&catalogue, progress)
        })
    }

    /// Work that writes (an import, an undo): SQLite serialises it with the window's own
    /// connection, which is idle meanwhile.
    pub fn write(
        path: PathBuf,
        repaint: Option<egui::Context>,
        work: impl FnOnce(&mut Catalogue, &Progress) -> Result<T, E> + Send + 'static,
    ) -> Job<T, E> {
        Job::spawn(repaint, move |progress| {
            let mut catalogue = Catalogue::open(&path)?;
            // Another program writing: the window says it waits, instead of a frozen bar.
            catalogue.wait_for_writers(progress)?;
            work(&mut catalogue, progress)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T: Send + 'static, E: Send + 'static>(job: &Job<T, E>) -> Result<T, JobError<E>> {
        loop {
            if let Some(result) = job.poll() {
                return result;
            }
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }

    #[test]
    fn a_job_reports_its_result_and_can_be_cancelled() {
        let job: Job<usize, &str> = Job::spawn(None, |_| Ok(42));
        assert!(matches!(wait(&job), Ok(42)));
        let (go, wait_for_go) = channel::<()>();
        let job: Job<usize, &str> = Job::spawn(None, move |progress| {
            let _ = wait_for_go.recv();
            if progress.is_cancelled() {
                Err("stopped")
            } else {
                Ok(1)
            }
        });
        job.cancel();
        let _ = go.send(());
        assert!(matches!(wait(&job), Err(JobError::Failed("stopped"))));
    }

    #[test]
    fn a_thread_that_dies_says_so() {
        let job: Job<usize, &str> = Job::spawn(None, |_| {
            std::panic::resume_unwind(Box::new("simulated failure"))
        });
        assert!(matches!(wait(&job), Err(JobError::Died)));
    }
}
