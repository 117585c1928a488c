//! Work on the catalogue off the UI thread: a read-only connection of its own, the result
//! sent back, and a repaint asked for when it is there.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::store::{Access, Catalogue, StoreError};

pub struct Job<T> {
    receiver: Receiver<Result<T, String>>,
}

impl<T: Send + 'static> Job<T> {
    pub fn spawn<E: std::fmt::Display + From<StoreError>>(
        path: PathBuf,
        repaint: Option<egui::Context>,
        work: impl FnOnce(&Catalogue) -> Result<T, E> + Send + 'static,
    ) -> Job<T> {
        Self::spawn_with(path, Access::ReadOnly, repaint, move |catalogue| {
            work(catalogue)
        })
    }

    /// Like [`spawn`](Self::spawn), on a connection that may write (an import): SQLite
    /// serialises it with the window's own connection, which is idle meanwhile.
    pub fn spawn_writer<E: std::fmt::Display + From<StoreError>>(
        path: PathBuf,
        repaint: Option<egui::Context>,
        work: impl FnOnce(&mut Catalogue) -> Result<T, E> + Send + 'static,
    ) -> Job<T> {
        Self::spawn_with(path, Access::ReadWrite, repaint, work)
    }

    fn spawn_with<E: std::fmt::Display + From<StoreError>>(
        path: PathBuf,
        access: Access,
        repaint: Option<egui::Context>,
        work: impl FnOnce(&mut Catalogue) -> Result<T, E> + Send + 'static,
    ) -> Job<T> {
        let (sender, receiver) = channel();
        std::thread::spawn(move || {
            let result = Catalogue::open_with(&path, access)
                .map_err(E::from)
                .and_then(|mut catalogue| work(&mut catalogue))
                .map_err(|error| error.to_string());
            let _ = sender.send(result);
            if let Some(ctx) = repaint {
                ctx.request_repaint();
            }
        });
        Job { receiver }
    }

    /// The result once it is there; a thread that died says so instead of hanging.
    pub fn poll(&self) -> Option<Result<T, String>> {
        match self.receiver.try_recv() {
            Ok(result) => Some(result),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err("the background work stopped unexpectedly".to_owned()))
            }
        }
    }
}
