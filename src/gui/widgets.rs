//! Small widgets the panels share.

use std::path::PathBuf;

use egui::Color32;
use egui::text::{LayoutJob, TextFormat};

use super::i18n::{Lang, tr};
use crate::diff::WordChange;

/// One row of a two-column grid: a label and the single-line text field it names
/// (labelled for screen readers and for kittest's queries).
pub fn labelled_text_row(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    hint: &str,
    id_salt: &str,
) -> egui::Response {
    let label = ui.label(label).id;
    let response = ui
        .add(
            egui::TextEdit::singleline(text)
                .hint_text(hint)
                .desired_width(320.0)
                .id_salt(id_salt),
        )
        .labelled_by(label);
    ui.end_row();
    response
}

/// Words with deletions struck through in red, insertions in green.
pub fn words_job(ui: &egui::Ui, words: &[WordChange], side: &str) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let color = ui.visuals().text_color();
    let mut job = LayoutJob::default();
    for word in words {
        let format = match (word.kind, side) {
            ("equal", _) => TextFormat::simple(font.clone(), color),
            ("delete", "old") => TextFormat {
                background: Color32::from_rgb(110, 40, 40),
                strikethrough: egui::Stroke::new(1.0, Color32::WHITE),
                ..TextFormat::simple(font.clone(), Color32::WHITE)
            },
            ("insert", "new") => TextFormat {
                background: Color32::from_rgb(40, 100, 40),
                ..TextFormat::simple(font.clone(), Color32::WHITE)
            },
            _ => continue,
        };
        job.append(&word.text, 0.0, format);
    }
    job.wrap.max_width = ui.available_width().max(100.0);
    job
}

/// A labelled path field with a Browse… button. With no desktop portal the native dialog
/// returns nothing at once, so the typed path is always there; `error` says so.
/// Returns true when Enter was pressed in the field.
pub fn path_field(
    ui: &mut egui::Ui,
    lang: Lang,
    label: &str,
    path: &mut String,
    id_salt: &str,
    error: &mut Option<String>,
    pick: impl FnOnce() -> Option<PathBuf>,
) -> bool {
    let label = ui.label(label).id;
    let mut entered = false;
    ui.horizontal(|ui| {
        let response = ui
            .add(
                egui::TextEdit::singleline(path)
                    .desired_width(460.0)
                    .id_salt(id_salt),
            )
            .labelled_by(label);
        entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if ui.button(tr(lang, "Chọn tệp…", "Browse…")).clicked() {
            match pick() {
                Some(picked) => *path = picked.display().to_string(),
                None => {
                    *error = Some(
                        tr(
                            lang,
                            "Không mở được hộp chọn tệp: hãy gõ đường dẫn",
                            "No file dialog available: type the path",
                        )
                        .to_owned(),
                    )
                }
            }
        }
    });
    entered
}
