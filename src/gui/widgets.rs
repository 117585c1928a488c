//! Small widgets the panels share.

use egui::Color32;
use egui::text::{LayoutJob, TextFormat};

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
