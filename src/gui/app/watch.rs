//! Changes other programs commit to the open catalogue (a colleague's window, an import on
//! the command line): looked for once a second, the table read again without touching the
//! form being edited, and the officer told who wrote what.

use std::time::{Duration, Instant};

use super::CatalogueApp;
use crate::gui::i18n::tr;

/// How often the file is asked whether someone else committed.
pub const CHECK_EVERY: Duration = Duration::from_secs(1);

/// Where the window last saw the file.
#[derive(Clone, Copy, Debug)]
pub struct Watch {
    version: i64,
    last_batch: i64,
    next_check: Instant,
}

impl CatalogueApp {
    /// Takes the file as it is now as seen: after opening it and after each of the window's
    /// own writes, so that only other programs' commits count as news.
    pub(super) fn rebaseline(&mut self) {
        let Some(catalogue) = &self.catalogue else {
            self.watch = None;
            return;
        };
        if let (Ok(version), Ok(last_batch)) = (catalogue.data_version(), catalogue.last_batch_id())
        {
            self.watch = Some(Watch {
                version,
                last_batch,
                next_check: Instant::now() + CHECK_EVERY,
            });
        }
    }

    /// Once a second, while the window has no work of its own in flight: another program's
    /// commit reloads the table (the form keeps what is being typed; its Save merges or
    /// asks) and the audit, documents and a diff on screen follow.
    pub(super) fn check_outside_changes(&mut self) {
        let Some(watch) = self.watch else {
            return;
        };
        if Instant::now() < watch.next_check || self.jobs.any_running() {
            return;
        }
        let Some(catalogue) = &self.catalogue else {
            return;
        };
        let Ok(version) = catalogue.data_version() else {
            return;
        };
        if version == watch.version {
            self.watch = Some(Watch {
                next_check: Instant::now() + CHECK_EVERY,
                ..watch
            });
            return;
        }
        let lang = self.lang();
        let notes = catalogue
            .batches_after(watch.last_batch)
            .unwrap_or_default();
        let mut said: Vec<String> = notes
            .iter()
            .take(3)
            .map(|note| format!("{} ({})", note.summary, note.editor))
            .collect();
        if notes.len() > 3 {
            said.push(format!("… +{}", notes.len() - 3));
        }
        let status = if said.is_empty() {
            tr(
                lang,
                "Danh mục vừa được chương trình khác thay đổi — đã cập nhật",
                "The catalogue was changed by another program — updated",
            )
            .to_owned()
        } else {
            format!(
                "{}: {} — {}",
                tr(lang, "Chương trình khác vừa ghi", "Another program wrote"),
                said.join("; "),
                tr(lang, "đã cập nhật", "updated")
            )
        };
        self.rebaseline();
        self.catalogue_changed_outside(status);
    }

    /// The file changed under the window: everything shown is read again, the form aside.
    fn catalogue_changed_outside(&mut self, status: String) {
        self.outside_change = Some(status);
        self.catalogue_changed();
        self.reload_rows();
    }

    /// Reads the table again in the background; `poll_open` keeps the selection, the form,
    /// the filters and the sort when it sees `outside_change`.
    fn reload_rows(&mut self) {
        self.start_loading(self.path.clone());
    }
}
