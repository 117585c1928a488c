//! The selected procedure's form: every field with the right widget, invalid input shown
//! beside the field and never saved. The draft (text as typed) is separate from the stored
//! procedure; `validate` turns it into one or says what is wrong where.

use std::collections::BTreeMap;

use egui::{Color32, RichText};

use crate::domain::citation::DocumentKind;
use crate::domain::fee::Money;
use crate::domain::{
    Fee, FieldError, LegalDocument, Level, Procedure, ProcedureData, ProcedureField,
    ProcessingTime, Status, Tier, TimeUnit,
};
use crate::gui::command::Command;
use crate::gui::i18n::{
    Lang, field_label, ledger_action_label, level_label, status_label, tier_label, tr,
};
use crate::gui::messages;
use crate::store::{LedgerAction, LedgerEntry, validate};

/// Why the form cannot be saved as it is, field by field.
#[derive(Clone, Debug, PartialEq)]
pub enum FormProblem {
    Required,
    Invalid(FieldError),
    /// The store's own check refused the entry (its words).
    Refused(String),
}

impl FormProblem {
    pub fn message(&self, lang: Lang, field: ProcedureField) -> String {
        match self {
            FormProblem::Required => messages::required(lang, field),
            FormProblem::Invalid(error) => messages::field_problem(lang, error),
            FormProblem::Refused(text) => text.clone(),
        }
    }
}

pub struct ProcedureForm {
    /// None for a procedure not saved yet.
    pub procedure_id: Option<i64>,
    original: ProcedureData,
    /// Text of every field but the legal basis, as typed.
    draft: BTreeMap<ProcedureField, String>,
    basis: Vec<String>,
    new_basis: String,
    history: Vec<LedgerEntry>,
    read_only: bool,
    /// Put the cursor in the name field on the next frame (Enter in the table).
    focus_name: bool,
    /// The unit of a processing time typed as a bare number.
    time_unit: TimeUnit,
    /// Cost, papers and options of a stored entry (none for a new one).
    pub simplification: Option<super::options_section::OptionsSection>,
}

const DETAIL_FIELDS: [ProcedureField; 6] = [
    ProcedureField::Steps,
    ProcedureField::Methods,
    ProcedureField::Dossier,
    ProcedureField::Requirements,
    ProcedureField::Result,
    ProcedureField::Subjects,
];

/// What was read from a value, under its field: plain when read, a warning when not.
fn reading_ui(ui: &mut egui::Ui, reading: &str, ok: bool) {
    if reading.is_empty() {
        return;
    }
    let text = RichText::new(reading).small();
    let text = if ok {
        text.weak()
    } else {
        text.color(ui.visuals().warn_fg_color)
    };
    ui.add(egui::Label::new(text).wrap());
}

impl ProcedureForm {
    pub fn edit(
        procedure: &Procedure,
        history: Vec<LedgerEntry>,
        read_only: bool,
    ) -> ProcedureForm {
        ProcedureForm::with(
            Some(procedure.procedure_id),
            procedure.data.clone(),
            history,
            read_only,
        )
    }

    /// A blank procedure to add: province level, tier 2, in force.
    pub fn new_procedure() -> ProcedureForm {
        let data = ProcedureData {
            level: Some(Level::Province),
            tier: Tier::new(2),
            ..ProcedureData::default()
        };
        ProcedureForm::with(None, data, Vec::new(), false)
    }

    fn with(
        procedure_id: Option<i64>,
        data: ProcedureData,
        history: Vec<LedgerEntry>,
        read_only: bool,
    ) -> ProcedureForm {
        let draft = ProcedureField::ALL
            .into_iter()
            .filter(|field| *field != ProcedureField::LegalBasis)
            .map(|field| (field, field.value_text(&data)))
            .collect();
        ProcedureForm {
            procedure_id,
            basis: data.legal_basis.clone(),
            original: data,
            draft,
            new_basis: String::new(),
            history,
            read_only,
            focus_name: false,
            time_unit: TimeUnit::WorkingDays,
            simplification: None,
        }
    }

    pub fn request_focus(&mut self) {
        self.focus_name = true;
    }

    /// Sets a field's text as if typed.
    pub fn set_text(&mut self, field: ProcedureField, text: &str) {
        if field == ProcedureField::LegalBasis {
            self.basis = crate::domain::split_legal_basis(text);
        } else {
            self.draft.insert(field, text.to_owned());
        }
    }

    pub fn text(&self, field: ProcedureField) -> &str {
        self.draft.get(&field).map_or("", String::as_str)
    }

    /// The procedure the draft describes, or what is wrong, field by field.
    pub fn validate(&self) -> Result<ProcedureData, BTreeMap<ProcedureField, FormProblem>> {
        let mut data = self.original.clone();
        let mut errors = BTreeMap::new();
        for (field, text) in &self.draft {
            if *field == ProcedureField::ProcessingTime {
                // A bare number takes the unit chosen beside the field.
                data.processing_time = ProcessingTime::parse(text, Some(self.time_unit));
                continue;
            }
            if *field == ProcedureField::Extra {
                // Kept columns are shown, not edited here.
                continue;
            }
            if let Err(error) = field.set_from_text(&mut data, text) {
                errors.insert(*field, FormProblem::Invalid(error));
            }
        }
        data.legal_basis = self.basis.clone();
        if data.code.trim().is_empty() {
            errors.insert(ProcedureField::Code, FormProblem::Required);
        }
        if data.name.trim().is_empty() {
            errors.insert(ProcedureField::Name, FormProblem::Required);
        }
        if data.level.is_none() {
            errors.insert(ProcedureField::Level, FormProblem::Required);
        }
        if errors.is_empty()
            && let Err(error) = validate(&data)
        {
            errors.insert(
                ProcedureField::Notes,
                FormProblem::Refused(error.to_string()),
            );
        }
        if errors.is_empty() {
            Ok(data)
        } else {
            Err(errors)
        }
    }

    /// Whether the draft differs from what is stored.
    pub fn is_dirty(&self) -> bool {
        match self.validate() {
            Ok(data) => data != self.original,
            Err(_) => true,
        }
    }

    /// The procedure as the form opened it: what a Save is made from.
    pub fn original(&self) -> &ProcedureData {
        &self.original
    }

    pub fn is_new(&self) -> bool {
        self.procedure_id.is_none()
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        documents: &BTreeMap<String, LegalDocument>,
        commands: &mut Vec<Command>,
    ) {
        let errors: BTreeMap<ProcedureField, String> = self
            .validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(field, problem)| (field, problem.message(lang, field)))
            .collect();
        let dirty = self.is_dirty();
        ui.horizontal(|ui| {
            let title = if self.is_new() {
                tr(lang, "Thủ tục mới", "New procedure")
            } else {
                tr(lang, "Thủ tục", "Procedure")
            };
            ui.heading(title);
            if dirty {
                ui.label(
                    RichText::new(tr(lang, "● chưa lưu", "● unsaved"))
                        .color(Color32::from_rgb(230, 160, 40)),
                );
            }
        });
        // Where a merged catalogue's entry came from, at a glance.
        if !self.original.provenance.is_empty() {
            ui.label(
                RichText::new(format!(
                    "{}: {}",
                    tr(lang, "Nguồn", "From"),
                    self.original.provenance
                ))
                .small(),
            );
        }
        ui.horizontal(|ui| {
            let can_save = dirty && errors.is_empty() && !self.read_only;
            let save = ui
                .add_enabled(can_save, egui::Button::new(tr(lang, "Lưu", "Save")))
                .on_hover_text("Ctrl+S")
                .on_disabled_hover_text(tr(
                    lang,
                    "Không có thay đổi hợp lệ để lưu",
                    "Nothing valid to save",
                ));
            if save.clicked() {
                commands.push(Command::Save);
            }
            // "Bỏ thay đổi", not "Hoàn tác": that word is Undo's, which undoes saved edits.
            if ui
                .add_enabled(dirty, egui::Button::new(tr(lang, "Bỏ thay đổi", "Revert")))
                .on_hover_text(tr(
                    lang,
                    "Bỏ các thay đổi chưa lưu",
                    "Drop the unsaved changes",
                ))
                .clicked()
            {
                commands.push(Command::Revert);
            }
            if !self.is_new()
                && !self.read_only
                && ui
                    .button(tr(lang, "Bãi bỏ khỏi danh mục…", "Retire…"))
                    .clicked()
            {
                commands.push(Command::ShowRetire);
            }
        });
        if !errors.is_empty() {
            ui.colored_label(
                ui.visuals().error_fg_color,
                tr(
                    lang,
                    "Có giá trị không hợp lệ: sửa các ô báo đỏ để lưu",
                    "Some values are invalid: correct the fields in red to save",
                ),
            );
        }
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                ui.add_enabled_ui(!self.read_only, |ui| {
                    egui::Grid::new("procedure_form")
                        .num_columns(2)
                        .spacing([8.0, 6.0])
                        .striped(false)
                        .show(ui, |ui| {
                            self.line_ui(ui, lang, ProcedureField::Code, &errors);
                            self.multiline_ui(ui, lang, ProcedureField::Name, &errors, 2);
                            self.level_ui(ui, lang, &errors);
                            self.line_ui(ui, lang, ProcedureField::Field, &errors);
                            self.multiline_ui(ui, lang, ProcedureField::Agency, &errors, 2);
                            self.line_ui(ui, lang, ProcedureField::Issuer, &errors);
                            self.tier_ui(ui, lang, &errors);
                            self.time_ui(ui, lang);
                            self.fee_ui(ui, lang);
                            self.multiline_ui(
                                ui,
                                lang,
                                ProcedureField::CompetentAuthority,
                                &errors,
                                1,
                            );
                        });
                });
                // Outside the read-only lock: the cost's arithmetic opens in a read-only file too.
                if let Some(section) = &mut self.simplification {
                    ui.add_space(6.0);
                    section.ui(ui, lang, !self.read_only, commands);
                }
                ui.add_enabled_ui(!self.read_only, |ui| {
                    ui.add_space(6.0);
                    self.legal_basis_ui(ui, lang, documents);
                    ui.add_space(6.0);
                    egui::CollapsingHeader::new(tr(
                        lang,
                        "Cách thực hiện",
                        "How it is carried out",
                    ))
                    .default_open(false)
                    .show(ui, |ui| {
                        egui::Grid::new("procedure_details")
                            .num_columns(2)
                            .spacing([8.0, 6.0])
                            .show(ui, |ui| {
                                for field in DETAIL_FIELDS {
                                    self.multiline_ui(ui, lang, field, &errors, 3);
                                }
                                self.line_ui(ui, lang, ProcedureField::ProcedureType, &errors);
                            });
                    });
                    egui::CollapsingHeader::new(tr(
                        lang,
                        "Công bố và hiệu lực",
                        "Publication and effect",
                    ))
                    .default_open(true)
                    .show(ui, |ui| {
                        egui::Grid::new("procedure_publication")
                            .num_columns(2)
                            .spacing([8.0, 6.0])
                            .show(ui, |ui| {
                                self.status_ui(ui, lang, &errors);
                                self.line_ui(ui, lang, ProcedureField::DecisionNumber, &errors);
                                for field in [
                                    ProcedureField::DecisionDate,
                                    ProcedureField::EffectiveFrom,
                                    ProcedureField::EffectiveUntil,
                                ] {
                                    self.number_ui(ui, lang, field, &errors, "YYYY-MM-DD");
                                }
                                self.line_ui(ui, lang, ProcedureField::ReplacedBy, &errors);
                                for field in [
                                    ProcedureField::DossiersLastYear,
                                    ProcedureField::DossiersYearBefore,
                                ] {
                                    let hint = tr(lang, "chưa ghi", "not recorded");
                                    self.number_ui(ui, lang, field, &errors, hint);
                                }
                                self.multiline_ui(ui, lang, ProcedureField::Notes, &errors, 2);
                                self.line_ui(ui, lang, ProcedureField::Provenance, &errors);
                            });
                    });
                });
                self.extra_ui(ui, lang);
                if !self.is_new() {
                    self.history_ui(ui, lang);
                }
            });
    }

    fn label_ui(ui: &mut egui::Ui, lang: Lang, field: ProcedureField) -> egui::Id {
        ui.label(field_label(lang, field)).id
    }

    fn error_ui(
        ui: &mut egui::Ui,
        errors: &BTreeMap<ProcedureField, String>,
        field: ProcedureField,
    ) {
        if let Some(error) = errors.get(&field) {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
    }

    fn line_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        field: ProcedureField,
        errors: &BTreeMap<ProcedureField, String>,
    ) {
        let label = Self::label_ui(ui, lang, field);
        ui.vertical(|ui| {
            let text = self.draft.entry(field).or_default();
            ui.add(
                egui::TextEdit::singleline(text)
                    .desired_width(f32::INFINITY)
                    .id_salt(field.key()),
            )
            .labelled_by(label);
            Self::error_ui(ui, errors, field);
        });
        ui.end_row();
    }

    fn multiline_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        field: ProcedureField,
        errors: &BTreeMap<ProcedureField, String>,
        rows: usize,
    ) {
        let label = Self::label_ui(ui, lang, field);
        ui.vertical(|ui| {
            let text = self.draft.entry(field).or_default();
            let response = ui
                .add(
                    egui::TextEdit::multiline(text)
                        .desired_rows(rows)
                        .desired_width(f32::INFINITY)
                        .id_salt(field.key()),
                )
                .labelled_by(label);
            if field == ProcedureField::Name && self.focus_name {
                response.request_focus();
                self.focus_name = false;
            }
            Self::error_ui(ui, errors, field);
        });
        ui.end_row();
    }

    fn number_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        field: ProcedureField,
        errors: &BTreeMap<ProcedureField, String>,
        hint: &str,
    ) {
        let label = Self::label_ui(ui, lang, field);
        ui.vertical(|ui| {
            let text = self.draft.entry(field).or_default();
            let mut edit = egui::TextEdit::singleline(text)
                .desired_width(140.0)
                .hint_text(hint)
                .id_salt(field.key());
            if errors.contains_key(&field) {
                edit = edit.text_color(ui.visuals().error_fg_color);
            }
            ui.add(edit).labelled_by(label);
            Self::error_ui(ui, errors, field);
        });
        ui.end_row();
    }

    /// A field chosen from a list: `options` are (stored text, label). The draft holds the
    /// stored text, so the current choice is the option whose text matches it.
    fn choice_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        field: ProcedureField,
        errors: &BTreeMap<ProcedureField, String>,
        options: &[(String, String)],
    ) {
        let label = Self::label_ui(ui, lang, field);
        ui.vertical(|ui| {
            let current = self.text(field).to_owned();
            let shown = options
                .iter()
                .find(|(text, _)| *text == current)
                .map_or("—", |(_, label)| label.as_str());
            egui::ComboBox::from_id_salt(format!("form_{}", field.key()))
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for (text, option_label) in options {
                        if ui
                            .selectable_label(*text == current, option_label.as_str())
                            .clicked()
                        {
                            self.draft.insert(field, text.clone());
                        }
                    }
                })
                .response
                .labelled_by(label);
            Self::error_ui(ui, errors, field);
        });
        ui.end_row();
    }

    fn level_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        errors: &BTreeMap<ProcedureField, String>,
    ) {
        let options: Vec<(String, String)> = Level::ALL
            .iter()
            .map(|level| (level.key().to_owned(), level_label(lang, *level).to_owned()))
            .collect();
        self.choice_ui(ui, lang, ProcedureField::Level, errors, &options);
    }

    fn tier_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        errors: &BTreeMap<ProcedureField, String>,
    ) {
        let options: Vec<(String, String)> = std::iter::once((String::new(), "—".to_owned()))
            .chain(
                Tier::ALL
                    .iter()
                    .map(|tier| (tier.to_string(), tier_label(*tier))),
            )
            .collect();
        self.choice_ui(ui, lang, ProcedureField::Tier, errors, &options);
    }

    fn status_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        errors: &BTreeMap<ProcedureField, String>,
    ) {
        let options: Vec<(String, String)> = Status::ALL
            .iter()
            .map(|status| {
                (
                    status.key().to_owned(),
                    status_label(lang, *status).to_owned(),
                )
            })
            .collect();
        self.choice_ui(ui, lang, ProcedureField::Status, errors, &options);
    }

    /// A value kept as the source wrote it, edited as text; returns the text as it is now.
    fn written_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        field: ProcedureField,
        label: egui::Id,
    ) -> String {
        let text = self.draft.entry(field).or_default();
        ui.add(
            egui::TextEdit::multiline(text)
                .desired_rows(1)
                .desired_width(f32::INFINITY)
                .hint_text(tr(lang, "— chưa ghi —", "— not recorded —"))
                .id_salt(field.key()),
        )
        .labelled_by(label);
        text.clone()
    }

    /// The processing time as written, the unit a bare number takes, and what was read from
    /// it: the officer sees at once whether the time has its unit.
    fn time_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let field = ProcedureField::ProcessingTime;
        let label = Self::label_ui(ui, lang, field);
        ui.vertical(|ui| {
            let text = self.written_ui(ui, lang, field, label);
            let time = ProcessingTime::parse(&text, Some(self.time_unit));
            ui.horizontal_wrapped(|ui| {
                let unit_label = ui
                    .label(
                        RichText::new(tr(lang, "Số không kèm đơn vị là", "A bare number is"))
                            .small(),
                    )
                    .id;
                egui::ComboBox::from_id_salt("time_unit")
                    .selected_text(self.time_unit.label_vi())
                    .show_ui(ui, |ui| {
                        for unit in [
                            TimeUnit::WorkingDays,
                            TimeUnit::Days,
                            TimeUnit::Hours,
                            TimeUnit::Months,
                        ] {
                            ui.selectable_value(&mut self.time_unit, unit, unit.label_vi());
                        }
                    })
                    .response
                    .labelled_by(unit_label);
            });
            let (reading, ok) = if time.is_empty() {
                (String::new(), true)
            } else if time.is_unstructured() {
                (
                    tr(
                        lang,
                        "Chưa đọc được số và đơn vị: giữ nguyên văn bản",
                        "No amount and unit read: kept as text",
                    )
                    .to_owned(),
                    false,
                )
            } else {
                (
                    format!(
                        "= {}",
                        time.limits()
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join(" · ")
                    ),
                    true,
                )
            };
            reading_ui(ui, &reading, ok);
        });
        ui.end_row();
    }

    /// The fee as written, and the amount read from it (or why none could be).
    fn fee_ui(&mut self, ui: &mut egui::Ui, lang: Lang) {
        let field = ProcedureField::Fee;
        let label = Self::label_ui(ui, lang, field);
        ui.vertical(|ui| {
            let text = self.written_ui(ui, lang, field, label);
            let fee = Fee::parse(&text);
            let (reading, ok) = match (fee.is_empty(), fee.uncertain(), fee.amount_vnd()) {
                (true, _, _) => (String::new(), true),
                (_, Some(why), _) => (
                    format!(
                        "{}: {}",
                        tr(lang, "Chưa đọc được số tiền", "No amount read"),
                        match lang {
                            Lang::Vi => why.explain_vi(),
                            Lang::En => why.explain_en(),
                        }
                    ),
                    false,
                ),
                (_, None, Some(0)) => (tr(lang, "= Miễn phí", "= Free").to_owned(), true),
                (_, None, Some(amount)) => (
                    format!("= {} đồng", crate::domain::group_thousands(amount)),
                    true,
                ),
                (_, None, None) => (
                    format!(
                        "= {}",
                        fee.items()
                            .iter()
                            .map(|item| {
                                let channel = item
                                    .channel
                                    .map(|c| format!("{}: ", c.label_vi()))
                                    .unwrap_or_default();
                                let label = if item.label.is_empty() {
                                    String::new()
                                } else {
                                    format!("{} ", item.label)
                                };
                                match &item.money {
                                    Money::Free => format!("{channel}{label}Miễn phí"),
                                    money => format!("{channel}{label}{money}"),
                                }
                            })
                            .collect::<Vec<_>>()
                            .join(" · ")
                    ),
                    true,
                ),
            };
            reading_ui(ui, &reading, ok);
        });
        ui.end_row();
    }

    /// Columns of an imported list this application has no field for: shown, kept.
    fn extra_ui(&self, ui: &mut egui::Ui, lang: Lang) {
        if self.original.extra.is_empty() {
            return;
        }
        egui::CollapsingHeader::new(format!(
            "{} ({})",
            crate::gui::i18n::field_label(lang, ProcedureField::Extra),
            self.original.extra.len()
        ))
        .default_open(false)
        .show(ui, |ui| {
            for (header, value) in &self.original.extra {
                ui.label(RichText::new(header).strong());
                ui.add(egui::Label::new(value.chars().take(2_000).collect::<String>()).wrap());
            }
        });
    }

    /// The legal basis as a list of links to legal documents: each shows its title and
    /// whether it was repealed; documents are added by number, with suggestions.
    fn legal_basis_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        documents: &BTreeMap<String, LegalDocument>,
    ) {
        ui.strong(field_label(lang, ProcedureField::LegalBasis));
        let mut remove = None;
        for (index, number) in self.basis.iter().enumerate() {
            let document = documents.get(number);
            let repealed = document.and_then(|d| d.repealed_on);
            let unnumbered = document
                .and_then(|d| d.kind)
                .is_some_and(|k| k == DocumentKind::Unnumbered);
            // A long citation wraps under its number: it must never widen the panel.
            ui.horizontal_wrapped(|ui| {
                if ui
                    .small_button("×")
                    .on_hover_text(tr(lang, "Bỏ văn bản này", "Remove this document"))
                    .clicked()
                {
                    remove = Some(index);
                }
                let mut text = RichText::new(number);
                if repealed.is_some() {
                    text = text.strikethrough().color(ui.visuals().warn_fg_color);
                }
                if unnumbered {
                    text = text.italics();
                }
                let link = ui.add(egui::Label::new(text).wrap().sense(egui::Sense::hover()));
                if unnumbered {
                    ui.label(
                        RichText::new(tr(lang, "(chưa có số hiệu)", "(no number)"))
                            .small()
                            .weak(),
                    );
                }
                if let Some(document) = document {
                    let mut tooltip = document.title.clone();
                    if let Some(date) = document.issued_on {
                        tooltip.push_str(&format!(
                            "\n{} {}",
                            tr(lang, "Ban hành", "Issued"),
                            crate::domain::format_date(date)
                        ));
                    }
                    if let Some(date) = repealed {
                        tooltip.push_str(&format!(
                            "\n{} {} {}",
                            tr(lang, "Hết hiệu lực", "Repealed"),
                            crate::domain::format_date(date),
                            if document.replaced_by.is_empty() {
                                String::new()
                            } else {
                                format!("→ {}", document.replaced_by)
                            }
                        ));
                    }
                    link.on_hover_text(tooltip);
                }
            });
            if let Some(document) = document
                && !document.title.is_empty()
                && !unnumbered
            {
                ui.add(egui::Label::new(RichText::new(&document.title).small().weak()).wrap());
            }
        }
        if let Some(index) = remove {
            self.basis.remove(index);
        }
        ui.horizontal(|ui| {
            let label = ui.label(tr(lang, "Thêm văn bản", "Add a document")).id;
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.new_basis)
                        .hint_text(tr(
                            lang,
                            "Số hiệu, vd. 59/2020/QH14",
                            "Number, e.g. 59/2020/QH14",
                        ))
                        .desired_width(200.0)
                        .id_salt("new_basis"),
                )
                .labelled_by(label);
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            if (ui.button(tr(lang, "Thêm", "Add")).clicked() || entered)
                && !self.new_basis.trim().is_empty()
            {
                self.basis.push(self.new_basis.trim().to_owned());
                self.new_basis.clear();
            }
        });
        let needle = crate::text::fold(&self.new_basis);
        if needle.len() >= 2 {
            let suggestions: Vec<&LegalDocument> = documents
                .values()
                .filter(|d| {
                    crate::text::fold(&d.number).contains(&needle)
                        || crate::text::fold(&d.title).contains(&needle)
                })
                .take(6)
                .collect();
            for document in suggestions {
                let title: String = document.title.chars().take(80).collect();
                if ui
                    .add(egui::Button::new(format!("{} — {title}", document.number)).wrap())
                    .clicked()
                {
                    self.basis.push(document.number.clone());
                    self.new_basis.clear();
                }
            }
        }
    }

    fn history_ui(&self, ui: &mut egui::Ui, lang: Lang) {
        egui::CollapsingHeader::new(format!(
            "{} ({})",
            tr(lang, "Lịch sử thay đổi", "History"),
            self.history.len()
        ))
        .default_open(false)
        .show(ui, |ui| {
            for entry in self.history.iter().rev() {
                let what = match (entry.action, entry.field) {
                    (LedgerAction::Update, Some(field)) => format!(
                        "{}: {} → {}",
                        field_label(lang, field),
                        entry.old_value.as_deref().unwrap_or(""),
                        entry.new_value.as_deref().unwrap_or("")
                    ),
                    (action, _) => format!(
                        "{} {}",
                        ledger_action_label(lang, action),
                        entry.new_value.as_deref().unwrap_or("")
                    ),
                };
                ui.label(format!(
                    "{} · {} · {}",
                    entry.made_at, entry.editor, entry.summary
                ));
                ui.label(RichText::new(what).weak());
                ui.add_space(4.0);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_values_are_reported_per_field() {
        let mut form = ProcedureForm::new_procedure();
        form.set_text(ProcedureField::Code, "1.000001");
        form.set_text(ProcedureField::Name, "Cấp phép");
        form.set_text(ProcedureField::DossiersLastYear, "mười");
        let errors = form.validate().unwrap_err();
        assert!(errors.contains_key(&ProcedureField::DossiersLastYear));
        form.set_text(ProcedureField::DossiersLastYear, "10");
        // A bare number takes the unit beside the field; a fee is read from its words.
        form.set_text(ProcedureField::ProcessingTime, "10");
        form.set_text(ProcedureField::Fee, "50.000 đồng/hồ sơ");
        let data = form.validate().unwrap();
        assert_eq!(
            data.processing_time.single(),
            Some((10.0, TimeUnit::WorkingDays))
        );
        assert_eq!(data.processing_time.text(), "10 ngày làm việc");
        assert_eq!(data.fee.amount_vnd(), Some(50_000));
        // What cannot be read is kept as written, and still saves.
        form.set_text(ProcedureField::Fee, "theo quy định của HĐND tỉnh");
        assert!(form.validate().unwrap().fee.is_unstructured());
    }

    #[test]
    fn a_new_form_needs_a_code_and_a_name() {
        let form = ProcedureForm::new_procedure();
        let errors = form.validate().unwrap_err();
        assert!(errors.contains_key(&ProcedureField::Code));
        assert!(errors.contains_key(&ProcedureField::Name));
    }
}
