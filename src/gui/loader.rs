//! Opening a catalogue off the UI thread, with progress, so the window never freezes
//! (a national catalogue of 120,000 procedures takes a moment to read).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use super::view::{CatalogueView, ColumnKey, RowView};
use crate::domain::LegalDocument;
use crate::store::{Access, Catalogue, StoreError};

/// A catalogue read and ready to show.
pub struct Loaded {
    pub catalogue: Catalogue,
    pub view: CatalogueView,
    pub documents: BTreeMap<String, LegalDocument>,
}

#[derive(Default)]
struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

/// A catalogue being opened in the background.
pub struct Loading {
    pub path: PathBuf,
    progress: Arc<Progress>,
    receiver: mpsc::Receiver<Result<Loaded, String>>,
}

impl Loading {
    /// Starts opening `path`; `wake` is called when it is done or has progressed.
    pub fn start(path: PathBuf, wake: impl Fn() + Send + 'static) -> Loading {
        let (sender, receiver) = mpsc::channel();
        let progress = Arc::new(Progress::default());
        let thread_progress = Arc::clone(&progress);
        let thread_path = path.clone();
        std::thread::spawn(move || {
            let result = load(&thread_path, &thread_progress, &wake);
            let _ = sender.send(result);
            wake();
        });
        Loading {
            path,
            progress,
            receiver,
        }
    }

    /// The result, once there.
    pub fn poll(&self) -> Option<Result<Loaded, String>> {
        self.receiver.try_recv().ok()
    }

    /// Share of rows read so far, once their number is known.
    pub fn fraction(&self) -> Option<f32> {
        let total = self.progress.total.load(Ordering::Relaxed);
        (total > 0).then(|| self.progress.done.load(Ordering::Relaxed) as f32 / total as f32)
    }
}

fn load(path: &Path, progress: &Progress, wake: &dyn Fn()) -> Result<Loaded, String> {
    // A read-only file still opens, to be read.
    let catalogue = match Catalogue::open(path) {
        Err(StoreError::ReadOnly(_)) => Catalogue::open_with(path, Access::ReadOnly),
        other => other,
    }
    .map_err(|error| error.to_string())?;
    let mut last_wake = 0;
    let procedures = catalogue
        .procedure_summaries(&mut |done, total| {
            progress.total.store(total, Ordering::Relaxed);
            progress.done.store(done, Ordering::Relaxed);
            if done - last_wake >= 5_000 {
                last_wake = done;
                wake();
            }
        })
        .map_err(|error| error.to_string())?;
    let rows = procedures.iter().map(RowView::of).collect();
    // Indexing and the name order are computed here, not on the UI thread.
    let mut view = CatalogueView::new(rows);
    view.prepare_sort(ColumnKey::Name);
    let documents = catalogue
        .legal_documents()
        .map_err(|error| error.to_string())?
        .into_iter()
        .map(|document| (document.number.clone(), document))
        .collect();
    Ok(Loaded {
        catalogue,
        view,
        documents,
    })
}
