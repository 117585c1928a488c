//! Small widgets the panels share.

use std::path::PathBuf;

use egui::Color32;
use egui::text::{LayoutJob, TextFormat};

use super::i18n::{Lang, tr};
use crate::diff::{Side, WordChange, WordKind};

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

/// The words of one side of a change: deletions struck through in red, insertions in green.
pub fn words_job(ui: &egui::Ui, words: &[WordChange], side: Side) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let color = ui.visuals().text_color();
    let mut job = LayoutJob::default();
    for word in words.iter().filter(|word| word.shown_on(side)) {
        let format = match word.kind {
            WordKind::Equal => TextFormat::simple(font.clone(), color),
            WordKind::Delete => TextFormat {
                background: Color32::from_rgb(110, 40, 40),
                strikethrough: egui::Stroke::new(1.0, Color32::WHITE),
                ..TextFormat::simple(font.clone(), Color32::WHITE)
            },
            WordKind::Insert => TextFormat {
                background: Color32::from_rgb(40, 100, 40),
                ..TextFormat::simple(font.clone(), Color32::WHITE)
            },
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

/// The button row at the foot of a dialog: each button's label and whether it may be
/// pressed. Returns the index of the one pressed.
pub fn dialog_buttons(ui: &mut egui::Ui, buttons: &[(&str, bool)]) -> Option<usize> {
    let mut pressed = None;
    ui.horizontal(|ui| {
        for (index, (label, enabled)) in buttons.iter().enumerate() {
            if ui
                .add_enabled(*enabled, egui::Button::new(*label))
                .clicked()
            {
                pressed = Some(index);
            }
        }
    });
    pressed
}

/// A progress bar for a background job: what it is doing, how far, in the window's language.
pub fn progress_bar(ui: &mut egui::Ui, lang: Lang, progress: &crate::progress::Progress) {
    let (done, total) = progress.steps();
    let what = super::i18n::phase_label(lang, progress.phase());
    let text = if total > 0 {
        format!("{what} {done}/{total}")
    } else {
        format!("{what}…")
    };
    ui.add(
        egui::ProgressBar::new(progress.fraction().unwrap_or(0.0))
            .desired_width(360.0)
            .text(text)
            .animate(true),
    );
}

/// The width a side panel may take at most: what the window has, less what the centre
/// keeps. Panel sizes are remembered between sessions; this bound also resets a
/// remembered size that no longer fits, so long text can never push the table or the
/// form's buttons out of the window.
/// A resizable side panel of `default` width, bounded by [`side_panel_max`]: how every side
/// panel of the window is made.
pub fn side_panel(panel: egui::Panel, ui: &egui::Ui, default: f32) -> egui::Panel {
    panel
        .resizable(true)
        .default_size(default)
        .max_size(side_panel_max(ui))
}

pub fn side_panel_max(ui: &egui::Ui) -> f32 {
    const CENTRE_KEEPS: f32 = 380.0;
    const PANEL_AT_LEAST: f32 = 220.0;
    (ui.available_width() - CENTRE_KEEPS).max(PANEL_AT_LEAST)
}

/// A striped, resizable table: `columns` under a header row of `titles` (one each).
pub fn titled_table<'a>(
    ui: &'a mut egui::Ui,
    id: &str,
    columns: &[egui_extras::Column],
    titles: &[&str],
    row_height: f32,
) -> egui_extras::Table<'a> {
    let mut builder = egui_extras::TableBuilder::new(ui)
        .id_salt(id)
        .striped(true)
        .resizable(true)
        .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
    for column in columns {
        builder = builder.column(*column);
    }
    builder.header(row_height, |mut header| {
        for title in titles {
            header.col(|ui| {
                ui.strong(*title);
            });
        }
    })
}

/// One bar of a chart: its label, a bar as long as `value` is of `max`, and the value as
/// text; the whole row is one button (named by its label for screen readers and kittest), so
/// a click on the bar can filter the table.
pub fn bar_row(
    ui: &mut egui::Ui,
    label: &str,
    value: f64,
    max: f64,
    value_text: &str,
    color: Color32,
) -> egui::Response {
    const LABEL_WIDTH: f32 = 190.0;
    const VALUE_WIDTH: f32 = 120.0;
    let height = ui.spacing().interact_size.y;
    let width = ui.available_width().max(LABEL_WIDTH + VALUE_WIDTH + 60.0);
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::click());
    let name = format!("{label}: {value_text}");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &name));
    if ui.is_rect_visible(rect) {
        let painter = ui.painter_at(rect);
        let visuals = ui.style().interact(&response);
        if response.hovered() {
            painter.rect_filled(rect, 2.0, ui.visuals().widgets.hovered.weak_bg_fill);
        }
        let font = egui::TextStyle::Body.resolve(ui.style());
        // The label cut to its column, whole in the tooltip.
        let shown: String = if label.chars().count() > 28 {
            label.chars().take(27).chain(['…']).collect()
        } else {
            label.to_owned()
        };
        painter.text(
            rect.left_center() + egui::vec2(2.0, 0.0),
            egui::Align2::LEFT_CENTER,
            shown,
            font.clone(),
            visuals.text_color(),
        );
        let bar_space = rect.width() - LABEL_WIDTH - VALUE_WIDTH;
        let fraction = if max > 0.0 {
            (value / max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let bar = egui::Rect::from_min_size(
            egui::pos2(rect.left() + LABEL_WIDTH, rect.top() + 3.0),
            egui::vec2((bar_space * fraction as f32).max(1.0), height - 6.0),
        );
        painter.rect_filled(bar, 2.0, color);
        painter.text(
            egui::pos2(rect.right() - VALUE_WIDTH + 6.0, rect.center().y),
            egui::Align2::LEFT_CENTER,
            value_text,
            font,
            visuals.text_color(),
        );
    }
    response
        .on_hover_text(label)
        .on_hover_cursor(egui::CursorIcon::PointingHand)
}
