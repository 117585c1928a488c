//! The Documents view: every legal document the catalogue cites (number, kind, title, dates,
//! status, replacement) with the procedures citing it. Recording a repeal here flags every
//! citing procedure in the audit; "re-cite" moves all of them to the replacement in one
//! undoable batch.

use egui::RichText;
use egui_extras::{Column, TableBuilder};

use crate::domain::citation::DocumentKind;
use crate::domain::{Date, DocumentStatus, LegalDocument, format_date_vi, parse_date};
use crate::gui::command::{Command, DocumentCommand};
use crate::gui::i18n::{Lang, document_kind_label, document_status_label, level_label, tr};
use crate::gui::widgets::side_panel;
use crate::store::CitedDocument;
use crate::text::{find_folded, fold};

/// Which documents the list shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DocumentFilter {
    #[default]
    All,
    InForce,
    /// Repealed, or to be.
    Repealed,
    /// Cited by text alone: no number to match a repeal with.
    Unnumbered,
}

impl DocumentFilter {
    const ALL: [DocumentFilter; 4] = [
        DocumentFilter::All,
        DocumentFilter::InForce,
        DocumentFilter::Repealed,
        DocumentFilter::Unnumbered,
    ];

    fn label(self, lang: Lang) -> &'static str {
        match self {
            DocumentFilter::All => tr(lang, "Tất cả", "All"),
            DocumentFilter::InForce => tr(lang, "Còn hiệu lực", "In force"),
            DocumentFilter::Repealed => tr(lang, "Hết hiệu lực", "Repealed"),
            DocumentFilter::Unnumbered => tr(lang, "Chưa có số hiệu", "Without a number"),
        }
    }

    fn keeps(self, document: &LegalDocument) -> bool {
        match self {
            DocumentFilter::All => true,
            DocumentFilter::InForce => document.repealed_on.is_none(),
            DocumentFilter::Repealed => document.repealed_on.is_some(),
            DocumentFilter::Unnumbered => document.kind == Some(DocumentKind::Unnumbered),
        }
    }
}

/// The selected document's fields as typed, until saved.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentEditor {
    original: LegalDocument,
    pub kind: Option<DocumentKind>,
    pub title: String,
    pub issued_on: String,
    pub effective_on: String,
    pub repealed_on: String,
    pub replaced_by: String,
    /// The number the citing procedures are to cite instead.
    pub recite_to: String,
}

/// A date field's text: empty, or a date read day-first.
fn read_date(text: &str) -> Result<Option<Date>, ()> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_date(text).map(Some).ok_or(())
    }
}

fn date_text(date: Option<Date>) -> String {
    date.map(format_date_vi).unwrap_or_default()
}

impl DocumentEditor {
    fn of(document: &LegalDocument) -> DocumentEditor {
        DocumentEditor {
            original: document.clone(),
            kind: document.kind,
            title: document.title.clone(),
            issued_on: date_text(document.issued_on),
            effective_on: date_text(document.effective_on),
            repealed_on: date_text(document.repealed_on),
            replaced_by: document.replaced_by.clone(),
            recite_to: document.replaced_by.clone(),
        }
    }

    pub fn number(&self) -> &str {
        &self.original.number
    }

    /// The document as typed, or the names of the date fields that cannot be read.
    pub fn document(&self) -> Result<LegalDocument, Vec<&'static str>> {
        let mut bad = Vec::new();
        let mut date = |text: &str, name: &'static str| {
            read_date(text).unwrap_or_else(|()| {
                bad.push(name);
                None
            })
        };
        let document = LegalDocument {
            number: self.original.number.clone(),
            kind: self.kind,
            title: self.title.trim().to_owned(),
            issued_on: date(&self.issued_on, "issued_on"),
            effective_on: date(&self.effective_on, "effective_on"),
            repealed_on: date(&self.repealed_on, "repealed_on"),
            replaced_by: self.replaced_by.trim().to_owned(),
        };
        if bad.is_empty() {
            Ok(document)
        } else {
            Err(bad)
        }
    }

    pub fn is_dirty(&self) -> bool {
        self.document().map_or(true, |d| d != self.original)
    }
}

#[derive(Default)]
pub struct DocumentsPanel {
    list: Vec<CitedDocument>,
    /// The list is being read.
    pub busy: bool,
    /// The catalogue changed since the list was read.
    pub stale: bool,
    filter: DocumentFilter,
    search: String,
    /// Indices into `list`: what the filter and the search keep, by number.
    shown: Vec<usize>,
    pub editor: Option<DocumentEditor>,
    as_of: Option<Date>,
}

impl DocumentsPanel {
    pub fn set_list(&mut self, list: Vec<CitedDocument>, as_of: Date) {
        self.list = list;
        self.as_of = Some(as_of);
        self.busy = false;
        self.stale = false;
        // The editor follows the stored document, unless it holds unsaved typing.
        if let Some(editor) = &self.editor {
            let number = editor.number().to_owned();
            let stored = self.list.iter().find(|d| d.document.number == number);
            match stored {
                Some(cited) if !editor.is_dirty() || cited.document == editor.original => {
                    let recite_to = editor.recite_to.clone();
                    let mut fresh = DocumentEditor::of(&cited.document);
                    if editor.is_dirty() {
                        fresh = editor.clone();
                    } else if !recite_to.is_empty() {
                        fresh.recite_to = recite_to;
                    }
                    self.editor = Some(fresh);
                }
                Some(cited) => self.editor = Some(DocumentEditor::of(&cited.document)),
                None => self.editor = None,
            }
        }
        self.refresh_shown();
    }

    pub fn list(&self) -> &[CitedDocument] {
        &self.list
    }

    pub fn shown(&self) -> impl Iterator<Item = &CitedDocument> {
        self.shown.iter().filter_map(|&i| self.list.get(i))
    }

    pub fn set_filter(&mut self, filter: DocumentFilter) {
        self.filter = filter;
        self.refresh_shown();
    }

    pub fn set_search(&mut self, text: &str) {
        self.search = text.to_owned();
        self.refresh_shown();
    }

    pub fn selected(&self) -> Option<&CitedDocument> {
        let number = self.editor.as_ref()?.number();
        self.list.iter().find(|d| d.document.number == number)
    }

    pub fn select(&mut self, number: &str) {
        self.editor = self
            .list
            .iter()
            .find(|d| d.document.number == number)
            .map(|d| DocumentEditor::of(&d.document));
    }

    fn refresh_shown(&mut self) {
        let needle = fold(self.search.trim());
        self.shown = self
            .list
            .iter()
            .enumerate()
            .filter(|(_, d)| self.filter.keeps(&d.document))
            .filter(|(_, d)| {
                needle.is_empty()
                    || find_folded(&d.document.number, &needle).is_some()
                    || find_folded(&d.document.title, &needle).is_some()
            })
            .map(|(i, _)| i)
            .collect();
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<Command>,
    ) {
        let mut action = None;
        side_panel(egui::Panel::left("document_list"), ui, 620.0)
            .show(ui, |ui| action = self.list_ui(ui, lang));
        egui::CentralPanel::default().show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("document_detail")
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    if let Some(a) = self.detail_ui(ui, lang, writable) {
                        action = Some(a);
                    }
                });
        });
        match action {
            Some(DocumentAction::Command(command)) => commands.push(Command::Document(command)),
            Some(DocumentAction::Open(procedure_id)) => {
                commands.push(Command::ShowProcedure(procedure_id))
            }
            Some(DocumentAction::Select(number)) => self.select(&number),
            None => {}
        }
    }

    fn list_ui(&mut self, ui: &mut egui::Ui, lang: Lang) -> Option<DocumentAction> {
        let mut action = None;
        ui.horizontal(|ui| {
            ui.heading(tr(lang, "Văn bản pháp luật", "Legal documents"));
            if self.busy {
                ui.spinner();
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, "Tìm", "Find")).id;
            let mut search = self.search.clone();
            if ui
                .add(
                    egui::TextEdit::singleline(&mut search)
                        .hint_text(tr(lang, "số hiệu, trích yếu", "number, title"))
                        .desired_width(220.0)
                        .id_salt("document_search"),
                )
                .labelled_by(label)
                .changed()
            {
                self.set_search(&search);
            }
            let mut filter = self.filter;
            let label = ui.label(tr(lang, "Hiển thị", "Show")).id;
            egui::ComboBox::from_id_salt("document_filter")
                .selected_text(filter.label(lang))
                .show_ui(ui, |ui| {
                    for choice in DocumentFilter::ALL {
                        ui.selectable_value(&mut filter, choice, choice.label(lang));
                    }
                })
                .response
                .labelled_by(label);
            if filter != self.filter {
                self.set_filter(filter);
            }
        });
        ui.label(format!(
            "{} / {} {}",
            self.shown.len(),
            self.list.len(),
            tr(lang, "văn bản", "documents")
        ));
        let as_of = self.as_of.unwrap_or_else(crate::audit::today);
        let selected = self.editor.as_ref().map(|e| e.number().to_owned());
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
        TableBuilder::new(ui)
            .id_salt("documents_table")
            .striped(true)
            .resizable(true)
            .sense(egui::Sense::click())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::initial(150.0).at_least(60.0).clip(true))
            .column(Column::initial(80.0).at_least(40.0).clip(true))
            .column(Column::initial(120.0).at_least(40.0).clip(true))
            .column(Column::initial(50.0).at_least(30.0).clip(true))
            .column(Column::remainder().at_least(120.0).clip(true))
            .header(row_height, |mut header| {
                for title in [
                    tr(lang, "Số hiệu", "Number"),
                    tr(lang, "Loại", "Kind"),
                    tr(lang, "Tình trạng", "Status"),
                    tr(lang, "Số TTHC", "Cited by"),
                    tr(lang, "Trích yếu", "Title"),
                ] {
                    header.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(row_height, self.shown.len(), |mut row| {
                    let Some(cited) = self.shown.get(row.index()).and_then(|&i| self.list.get(i))
                    else {
                        return;
                    };
                    let document = &cited.document;
                    row.set_selected(selected.as_deref() == Some(document.number.as_str()));
                    let status = document.status(as_of);
                    let cells = [
                        document.number.clone(),
                        document
                            .kind
                            .map_or("", |k| document_kind_label(lang, k))
                            .to_owned(),
                        document_status_label(lang, status),
                        cited.citing.len().to_string(),
                        document.title.clone(),
                    ];
                    for (column, text) in cells.into_iter().enumerate() {
                        row.col(|ui| {
                            let mut text = RichText::new(text);
                            if column == 2 && matches!(status, DocumentStatus::Repealed(_)) {
                                text = text.color(ui.visuals().warn_fg_color);
                            }
                            ui.add(
                                egui::Label::new(text)
                                    .truncate()
                                    .selectable(false)
                                    .sense(egui::Sense::hover()),
                            );
                        });
                    }
                    if row.response().clicked() {
                        action = Some(DocumentAction::Select(document.number.clone()));
                    }
                });
            });
        action
    }

    fn detail_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
    ) -> Option<DocumentAction> {
        let mut action = None;
        let citing = self
            .selected()
            .map(|d| d.citing.clone())
            .unwrap_or_default();
        let as_of = self.as_of.unwrap_or_else(crate::audit::today);
        let Some(editor) = &mut self.editor else {
            ui.label(tr(
                lang,
                "Chọn một văn bản để xem các thủ tục viện dẫn, ghi nhận văn bản hết hiệu lực hoặc thay căn cứ.",
                "Select a document to see the procedures citing it, record a repeal or re-cite them.",
            ));
            return None;
        };
        ui.heading(editor.number());
        let problems = editor.document().err().unwrap_or_default();
        egui::Grid::new("document_fields")
            .num_columns(2)
            .spacing([12.0, 6.0])
            .show(ui, |ui| {
                let label = ui.label(tr(lang, "Loại văn bản", "Kind")).id;
                egui::ComboBox::from_id_salt("document_kind")
                    .selected_text(editor.kind.map_or("—", |k| document_kind_label(lang, k)))
                    .show_ui(ui, |ui| {
                        for kind in DocumentKind::ALL {
                            ui.selectable_value(
                                &mut editor.kind,
                                Some(kind),
                                document_kind_label(lang, kind),
                            );
                        }
                    })
                    .response
                    .labelled_by(label);
                ui.end_row();
                let label = ui.label(tr(lang, "Trích yếu", "Title")).id;
                ui.add(
                    egui::TextEdit::multiline(&mut editor.title)
                        .desired_rows(2)
                        .desired_width(f32::INFINITY)
                        .interactive(writable),
                )
                .labelled_by(label);
                ui.end_row();
                for (key, name, text) in [
                    (
                        "issued_on",
                        tr(lang, "Ngày ban hành", "Issued on"),
                        &mut editor.issued_on,
                    ),
                    (
                        "effective_on",
                        tr(lang, "Ngày có hiệu lực", "In force from"),
                        &mut editor.effective_on,
                    ),
                    (
                        "repealed_on",
                        tr(lang, "Ngày hết hiệu lực", "Repealed on"),
                        &mut editor.repealed_on,
                    ),
                ] {
                    let label = ui.label(name).id;
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::TextEdit::singleline(text)
                                .hint_text(tr(lang, "ngày/tháng/năm", "day/month/year"))
                                .desired_width(120.0)
                                .interactive(writable)
                                .id_salt(key),
                        )
                        .labelled_by(label);
                        if problems.contains(&key) {
                            ui.colored_label(
                                ui.visuals().error_fg_color,
                                tr(lang, "không phải ngày", "not a date"),
                            );
                        }
                    });
                    ui.end_row();
                }
                let label = ui.label(tr(lang, "Được thay bằng", "Replaced by")).id;
                ui.add(
                    egui::TextEdit::singleline(&mut editor.replaced_by)
                        .hint_text(tr(
                            lang,
                            "số hiệu văn bản thay thế",
                            "number of the replacement",
                        ))
                        .desired_width(220.0)
                        .interactive(writable)
                        .id_salt("replaced_by"),
                )
                .labelled_by(label);
                ui.end_row();
                ui.label(tr(lang, "Tình trạng", "Status"));
                let status = editor.original.status(as_of);
                ui.label(document_status_label(lang, status));
                ui.end_row();
            });
        let dirty = editor.is_dirty();
        ui.horizontal(|ui| {
            let can_save = writable && dirty && problems.is_empty();
            if ui
                .add_enabled(
                    can_save,
                    egui::Button::new(tr(lang, "Lưu văn bản", "Save document")),
                )
                .clicked()
                && let Ok(document) = editor.document()
            {
                action = Some(DocumentAction::Command(DocumentCommand::Save(document)));
            }
            if dirty
                && ui
                    .button(tr(lang, "Bỏ thay đổi", "Discard changes"))
                    .clicked()
            {
                editor.clone_from(&DocumentEditor::of(&editor.original));
            }
        });
        if editor.repealed_on.trim().is_empty() && !dirty {
            ui.label(
                RichText::new(tr(
                    lang,
                    "Ghi ngày hết hiệu lực rồi Lưu: mọi thủ tục viện dẫn được đánh dấu trong Rà soát.",
                    "Enter the repeal date and Save: every citing procedure is flagged in the Audit.",
                ))
                .weak(),
            );
        }
        ui.separator();
        ui.strong(format!(
            "{} ({})",
            tr(lang, "Thủ tục viện dẫn", "Procedures citing it"),
            citing.len()
        ));
        if !citing.is_empty() {
            ui.horizontal_wrapped(|ui| {
                ui.label(tr(lang, "Thay căn cứ bằng văn bản", "Cite instead"));
                ui.add(
                    egui::TextEdit::singleline(&mut editor.recite_to)
                        .hint_text(tr(lang, "số hiệu mới", "new number"))
                        .desired_width(180.0)
                        .interactive(writable)
                        .id_salt("recite_to"),
                );
                let new = editor.recite_to.trim().to_owned();
                let can = writable && !new.is_empty() && new != editor.number();
                let label = format!(
                    "{} {} {}",
                    tr(lang, "Thay trong", "Re-cite in"),
                    citing.len(),
                    tr(lang, "thủ tục", "procedures")
                );
                if ui
                    .add_enabled(can, egui::Button::new(label))
                    .on_hover_text(tr(
                        lang,
                        "Một lần ghi, hoàn tác được (Ctrl+Z)",
                        "One batch, undone by Ctrl+Z",
                    ))
                    .clicked()
                {
                    action = Some(DocumentAction::Command(DocumentCommand::Recite {
                        old: editor.number().to_owned(),
                        new,
                    }));
                }
            });
        }
        for entry in &citing {
            ui.horizontal(|ui| {
                if ui.link(&entry.code).clicked() {
                    action = Some(DocumentAction::Open(entry.procedure_id));
                }
                ui.label(RichText::new(level_label(lang, entry.level)).weak());
                ui.add(egui::Label::new(&entry.name).wrap());
            });
        }
        action
    }
}

enum DocumentAction {
    Command(DocumentCommand),
    Open(i64),
    Select(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_day_first_and_a_bad_one_is_named() {
        let mut editor = DocumentEditor::of(&LegalDocument {
            number: "64/2012/NĐ-CP".into(),
            ..LegalDocument::default()
        });
        assert!(!editor.is_dirty());
        editor.repealed_on = "01/07/2015".into();
        assert_eq!(
            editor.document().unwrap().repealed_on,
            parse_date("2015-07-01")
        );
        assert!(editor.is_dirty());
        editor.issued_on = "31/02/2012".into();
        assert_eq!(editor.document().unwrap_err(), ["issued_on"]);
    }
}
