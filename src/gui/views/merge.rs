//! The "Gộp tỉnh" view: another province's catalogue or list merged into this one. On the
//! left the other file, this catalogue's name for provenance, and the agency renames; on the
//! right the review — pairs whose fields differ (choose per field, or for a whole field at
//! once), identical pairs, entries only here, entries only there (each added or not) — and
//! "merge", one undoable batch. Planning and writing run off the UI thread (`app::jobs`).

use std::path::PathBuf;

use egui::RichText;
use egui_extras::Column;

use crate::domain::ProcedureField;
use crate::gui::command::{Command, MergeCommand};
use crate::gui::i18n::{Lang, field_label, level_label, tr};
use crate::gui::widgets::{path_field, side_panel, titled_table};
use crate::merge_catalogue::{AgencyMap, MergeCounts, MergePlan, Side};

/// The review's tabs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MergeTab {
    #[default]
    Conflicting,
    Identical,
    OnlyHere,
    OnlyThere,
}

#[derive(Default)]
pub struct MergePanel {
    /// The other province's file, as typed or picked.
    pub path: String,
    /// The other catalogue's revision to merge (empty: its working copy).
    pub revision: String,
    /// This catalogue's name in provenance.
    pub name: String,
    pub agencies: AgencyMap,
    plan: Option<MergePlan>,
    pub busy: bool,
    /// The catalogue changed since the plan was made.
    pub stale: bool,
    pub tab: MergeTab,
    pub error: Option<String>,
    /// What the last merge written did.
    pub applied: Option<String>,
    /// (pair, difference) of every difference, for the conflicts table.
    differences: Vec<(usize, usize)>,
    identical: Vec<usize>,
    /// The plan's counts and differing fields, as of its last change: not recounted for
    /// every frame of a national-size review.
    counts: MergeCounts,
    by_field: Vec<(ProcedureField, usize)>,
}

impl MergePanel {
    pub fn plan(&self) -> Option<&MergePlan> {
        self.plan.as_ref()
    }

    pub fn plan_mut(&mut self) -> Option<&mut MergePlan> {
        self.plan.as_mut()
    }

    pub fn set_plan(&mut self, plan: MergePlan) {
        self.busy = false;
        self.stale = false;
        self.error = None;
        self.applied = None;
        self.differences = plan
            .matched
            .iter()
            .enumerate()
            .flat_map(|(p, pair)| (0..pair.differences.len()).map(move |d| (p, d)))
            .collect();
        self.identical = plan
            .matched
            .iter()
            .enumerate()
            .filter(|(_, pair)| !pair.differs())
            .map(|(p, _)| p)
            .collect();
        self.plan = Some(plan);
        self.refresh();
    }

    /// Counts again after a choice.
    pub fn refresh(&mut self) {
        if let Some(plan) = &self.plan {
            self.counts = plan.counts();
            self.by_field = plan.differences_by_field().into_iter().collect();
        }
    }

    pub fn clear_plan(&mut self) {
        self.plan = None;
        self.differences.clear();
        self.identical.clear();
        self.busy = false;
    }

    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<Command>,
    ) {
        let mut pushed = Vec::new();
        side_panel(egui::Panel::left("merge_source"), ui, 450.0)
            .show(ui, |ui| self.source_ui(ui, lang, &mut pushed));
        egui::CentralPanel::default()
            .show(ui, |ui| self.review_ui(ui, lang, writable, &mut pushed));
        commands.extend(pushed.into_iter().map(Command::Merge));
    }

    fn source_ui(&mut self, ui: &mut egui::Ui, lang: Lang, commands: &mut Vec<MergeCommand>) {
        ui.heading(tr(lang, "Gộp danh mục tỉnh khác", "Merge another province"));
        ui.label(
            RichText::new(tr(
                lang,
                "Thủ tục được ghép theo mã quốc gia và cấp, rồi theo tên; cơ quan được đổi tên theo bảng dưới trước khi so sánh; mã địa phương theo dạng của danh mục này.",
                "Procedures are matched by national code and level, then by name; agencies are renamed by the table below before they are compared; local codes take this catalogue's form.",
            ))
            .small(),
        );
        let entered = path_field(
            ui,
            lang,
            tr(
                lang,
                "Tệp danh mục tỉnh khác (.sqlite, .xlsx, .csv)",
                "The other province's file (.sqlite, .xlsx, .csv)",
            ),
            &mut self.path,
            "merge_path",
            &mut self.error,
            || {
                rfd::FileDialog::new()
                    .add_filter("Danh mục, Excel, CSV", &["sqlite", "xlsx", "csv"])
                    .pick_file()
            },
        );
        ui.horizontal(|ui| {
            let label = ui
                .label(tr(lang, "Phiên bản của tỉnh kia", "Their revision"))
                .id;
            ui.add(
                egui::TextEdit::singleline(&mut self.revision)
                    .hint_text(tr(lang, "để trống: bản làm việc", "empty: working copy"))
                    .desired_width(220.0)
                    .id_salt("merge_revision"),
            )
            .labelled_by(label);
        });
        ui.horizontal(|ui| {
            let label = ui
                .label(tr(lang, "Tên danh mục này", "This catalogue's name"))
                .id;
            ui.add(
                egui::TextEdit::singleline(&mut self.name)
                    .desired_width(220.0)
                    .id_salt("merge_name"),
            )
            .labelled_by(label);
        });
        ui.separator();
        ui.strong(tr(lang, "Đổi tên cơ quan", "Agency renames"));
        let mut remove = None;
        egui::ScrollArea::vertical()
            .id_salt("merge_agencies")
            .max_height((ui.available_height() - 90.0).max(120.0))
            .show(ui, |ui| {
                let (old, new) = ui
                    .horizontal(|ui| {
                        let old = ui
                            .add_sized(
                                [200.0, 18.0],
                                egui::Label::new(
                                    RichText::new(tr(lang, "Cơ quan cũ", "Old name")).strong(),
                                ),
                            )
                            .id;
                        ui.add_space(16.0);
                        let new = ui
                            .add_sized(
                                [200.0, 18.0],
                                egui::Label::new(
                                    RichText::new(tr(lang, "Cơ quan mới", "New name")).strong(),
                                ),
                            )
                            .id;
                        (old, new)
                    })
                    .inner;
                for (index, (from, to)) in self.agencies.renames.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        ui.add_sized(
                            [200.0, 20.0],
                            egui::TextEdit::singleline(from).id_salt(("merge_old", index)),
                        )
                        .labelled_by(old);
                        ui.label("→");
                        ui.add_sized(
                            [200.0, 20.0],
                            egui::TextEdit::singleline(to).id_salt(("merge_new", index)),
                        )
                        .labelled_by(new);
                        if ui
                            .small_button("×")
                            .on_hover_text(tr(lang, "Xóa dòng", "Remove the row"))
                            .clicked()
                        {
                            remove = Some(index);
                        }
                    });
                }
            });
        if let Some(index) = remove {
            self.agencies.renames.remove(index);
        }
        ui.horizontal(|ui| {
            if ui.button(tr(lang, "+ Thêm dòng", "+ Add a row")).clicked() {
                self.agencies.renames.push((String::new(), String::new()));
            }
            if ui
                .add_enabled(
                    self.agencies != AgencyMap::default(),
                    egui::Button::new(tr(lang, "Mặc định 2025", "2025 defaults")),
                )
                .clicked()
            {
                self.agencies = AgencyMap::default();
            }
        });
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        let ready = !self.busy && !self.path.trim().is_empty();
        if ui
            .add_enabled(
                ready,
                egui::Button::new(RichText::new(tr(lang, "Xem trước ▶", "Preview ▶")).strong()),
            )
            .clicked()
            || (entered && ready)
        {
            commands.push(MergeCommand::Plan {
                path: PathBuf::from(self.path.trim()),
                revision: self.revision.trim().to_owned(),
                agencies: self.agencies.clone(),
                name: self.name.trim().to_owned(),
            });
        }
    }

    fn review_ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        writable: bool,
        commands: &mut Vec<MergeCommand>,
    ) {
        if self.busy {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr(lang, "Đang đọc và ghép…", "Reading and matching…"));
            });
            return;
        }
        let Some(plan) = &self.plan else {
            ui.add_space(12.0);
            if let Some(applied) = &self.applied {
                ui.label(
                    RichText::new(format!("{} {applied}", tr(lang, "Đã gộp:", "Merged:"))).strong(),
                );
                ui.label(tr(
                    lang,
                    "Mỗi thủ tục ghi nguồn của nó (trường «Nguồn», bộ lọc «Nguồn»); Sửa → Hoàn tác đưa danh mục về như trước.",
                    "Each procedure records where it came from (the “Provenance” field and filter); Edit → Undo restores the catalogue as it was.",
                ));
                ui.add_space(8.0);
            }
            ui.label(tr(
                lang,
                "Chọn tệp của tỉnh kia rồi bấm «Xem trước». Chưa có gì được ghi cho đến khi bấm «Gộp».",
                "Choose the other province's file and press “Preview”. Nothing is written until you press “Merge”.",
            ));
            return;
        };
        let counts = self.counts;
        ui.heading(format!("{} → {}", plan.there.label(), plan.here.label()));
        ui.label(format!(
            "{} {} ({} {}, {} {}) · {} {} ({} {}) · {} {} · {} {}",
            counts.matched,
            tr(lang, "trùng", "matched"),
            counts.matched_by_code,
            tr(lang, "theo mã", "by code"),
            counts.matched_by_name,
            tr(lang, "theo tên", "by name"),
            counts.conflicting,
            tr(lang, "khác nhau", "differ"),
            counts.gaps_filled,
            tr(lang, "được bổ sung chỗ trống", "gain a value they lacked"),
            counts.only_here,
            tr(lang, "chỉ bên này", "only here"),
            counts.only_there,
            tr(lang, "chỉ bên kia", "only there"),
        ));
        ui.label(
            RichText::new(format!(
                "{} {} · {} {} · {} {}{}",
                counts.codes_reconciled,
                tr(
                    lang,
                    "mã đổi theo dạng danh mục này",
                    "codes put in this catalogue's form"
                ),
                counts.agencies_renamed,
                tr(lang, "cơ quan đổi tên", "agencies renamed"),
                plan.documents.len(),
                tr(lang, "văn bản thêm vào", "legal documents added"),
                if plan.left_out > 0 {
                    format!(
                        " · {} {}",
                        plan.left_out,
                        tr(
                            lang,
                            "dòng của danh sách bị bỏ qua",
                            "rows of the list left out"
                        )
                    )
                } else {
                    String::new()
                }
            ))
            .small(),
        );
        ui.horizontal(|ui| {
            let label = format!(
                "{} ({} {}, {} {})",
                tr(lang, "Gộp vào danh mục", "Merge into the catalogue"),
                counts.included,
                tr(lang, "thêm", "added"),
                counts.matched,
                tr(lang, "ghép", "matched")
            );
            if ui
                .add_enabled(
                    writable && !self.stale,
                    egui::Button::new(RichText::new(label).strong()),
                )
                .on_hover_text(tr(
                    lang,
                    "Một lần ghi, hoàn tác được",
                    "One batch, undoable",
                ))
                .clicked()
            {
                commands.push(MergeCommand::Apply);
            }
            if self.stale {
                ui.colored_label(
                    ui.visuals().warn_fg_color,
                    tr(
                        lang,
                        "Danh mục đã thay đổi: hãy xem trước lại",
                        "The catalogue changed: preview again",
                    ),
                );
            }
        });
        ui.separator();
        ui.horizontal(|ui| {
            for (tab, label, n) in [
                (
                    MergeTab::Conflicting,
                    tr(lang, "Khác nhau", "Differ"),
                    counts.differing,
                ),
                (
                    MergeTab::Identical,
                    tr(lang, "Trùng khớp", "Identical"),
                    counts.matched - counts.differing,
                ),
                (
                    MergeTab::OnlyHere,
                    tr(lang, "Chỉ bên này", "Only here"),
                    counts.only_here,
                ),
                (
                    MergeTab::OnlyThere,
                    tr(lang, "Chỉ bên kia", "Only there"),
                    counts.only_there,
                ),
            ] {
                if ui
                    .selectable_label(self.tab == tab, format!("{label} ({n})"))
                    .clicked()
                {
                    commands.push(MergeCommand::ShowTab(tab));
                }
            }
        });
        ui.separator();
        match self.tab {
            MergeTab::Conflicting => self.conflicts_ui(ui, lang, plan, commands),
            MergeTab::Identical => {
                entries_table(ui, lang, "merge_identical", self.identical.len(), |i| {
                    let pair = &plan.matched[self.identical[i]];
                    (
                        pair.here.code.as_str(),
                        pair.there.code.as_str(),
                        &pair.here,
                    )
                })
            }
            MergeTab::OnlyHere => {
                entries_table(ui, lang, "merge_only_here", plan.only_here.len(), |i| {
                    let data = &plan.only_here[i].1;
                    (data.code.as_str(), "", data)
                })
            }
            MergeTab::OnlyThere => only_there_ui(ui, lang, plan, commands),
        }
    }

    fn conflicts_ui(
        &self,
        ui: &mut egui::Ui,
        lang: Lang,
        plan: &MergePlan,
        commands: &mut Vec<MergeCommand>,
    ) {
        // A whole field at once: the usual choice ("their fees are the current ones").
        for &(field, n) in &self.by_field {
            ui.horizontal(|ui| {
                ui.label(format!("{} ({n})", field_label(lang, field)));
                if ui
                    .small_button(format!(
                        "{} — {}",
                        tr(lang, "Giữ bên này", "Keep ours"),
                        field_label(lang, field)
                    ))
                    .clicked()
                {
                    commands.push(MergeCommand::ChooseField(field, Side::Here));
                }
                if ui
                    .small_button(format!(
                        "{} — {}",
                        tr(lang, "Lấy bên kia", "Take theirs"),
                        field_label(lang, field)
                    ))
                    .clicked()
                {
                    commands.push(MergeCommand::ChooseField(field, Side::There));
                }
            });
        }
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 10.0;
        titled_table(
            ui,
            "merge_conflicts",
            &[
                Column::initial(76.0).at_least(60.0).clip(true),
                Column::initial(150.0).at_least(80.0).clip(true),
                Column::initial(96.0).at_least(60.0).clip(true),
                Column::initial(125.0).at_least(60.0).clip(true),
                Column::initial(125.0).at_least(60.0).clip(true),
                Column::remainder().at_least(170.0),
            ],
            &[
                tr(lang, "Mã TTHC", "Code"),
                tr(lang, "Tên thủ tục", "Name"),
                tr(lang, "Trường", "Field"),
                &plan.here.name,
                &plan.there.name,
                tr(lang, "Giữ", "Keep"),
            ],
            row_height,
        )
        .body(|body| {
            body.rows(row_height, self.differences.len(), |mut row| {
                let Some(&(p, d)) = self.differences.get(row.index()) else {
                    return;
                };
                let pair = &plan.matched[p];
                let difference = &pair.differences[d];
                row.col(|ui| {
                    ui.label(&pair.here.code).on_hover_text(&pair.there.code);
                });
                row.col(|ui| {
                    ui.label(&pair.here.name).on_hover_text(&pair.there.name);
                });
                row.col(|ui| {
                    ui.label(field_label(lang, difference.field));
                });
                row.col(|ui| {
                    ui.label(one_line(&difference.here))
                        .on_hover_text(&difference.here);
                });
                row.col(|ui| {
                    ui.label(one_line(&difference.there))
                        .on_hover_text(&difference.there);
                });
                row.col(|ui| {
                    for (side, label) in [
                        (Side::Here, tr(lang, "Bên này", "Ours")),
                        (Side::There, tr(lang, "Bên kia", "Theirs")),
                    ] {
                        if ui.radio(difference.chosen == side, label).clicked() {
                            commands.push(MergeCommand::Choose {
                                pair: p,
                                field: difference.field,
                                side,
                            });
                        }
                    }
                });
            });
        });
    }
}

fn one_line(text: &str) -> String {
    text.lines().collect::<Vec<_>>().join(" · ")
}

/// Entries of one side (identical pairs show both codes), row `i` given by `row(i)`.
fn entries_table<'a>(
    ui: &mut egui::Ui,
    lang: Lang,
    id: &str,
    count: usize,
    row: impl Fn(usize) -> (&'a str, &'a str, &'a crate::domain::ProcedureData),
) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    titled_table(
        ui,
        id,
        &[
            Column::initial(120.0).at_least(60.0).clip(true),
            Column::initial(170.0).at_least(60.0).clip(true),
            Column::initial(90.0).at_least(50.0).clip(true),
            Column::remainder().at_least(150.0).clip(true),
        ],
        &[
            tr(lang, "Mã TTHC", "Code"),
            tr(lang, "Mã bên kia", "Their code"),
            tr(lang, "Cấp", "Level"),
            tr(lang, "Tên thủ tục", "Name"),
        ],
        row_height,
    )
    .body(|body| {
        body.rows(row_height, count, |mut cells| {
            let (code, there_code, data) = row(cells.index());
            cells.col(|ui| {
                ui.label(code);
            });
            cells.col(|ui| {
                ui.label(there_code);
            });
            cells.col(|ui| {
                ui.label(level_label(lang, data.level_or_province()));
            });
            cells.col(|ui| {
                ui.label(&data.name);
            });
        });
    });
}

fn only_there_ui(
    ui: &mut egui::Ui,
    lang: Lang,
    plan: &MergePlan,
    commands: &mut Vec<MergeCommand>,
) {
    ui.horizontal(|ui| {
        if ui.button(tr(lang, "Thêm tất cả", "Add all")).clicked() {
            commands.push(MergeCommand::IncludeAll(true));
        }
        if ui.button(tr(lang, "Bỏ tất cả", "Add none")).clicked() {
            commands.push(MergeCommand::IncludeAll(false));
        }
    });
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 8.0;
    titled_table(
        ui,
        "merge_only_there",
        &[
            Column::initial(200.0).at_least(80.0).clip(true),
            Column::initial(120.0).at_least(60.0).clip(true),
            Column::initial(90.0).at_least(50.0).clip(true),
            Column::remainder().at_least(150.0).clip(true),
        ],
        &[
            tr(lang, "Thêm (mã bên kia)", "Add (their code)"),
            tr(lang, "Mã TTHC", "Code"),
            tr(lang, "Cấp", "Level"),
            tr(lang, "Tên thủ tục", "Name"),
        ],
        row_height,
    )
    .body(|body| {
        body.rows(row_height, plan.only_there.len(), |mut row| {
            let index = row.index();
            let entry = &plan.only_there[index];
            row.col(|ui| {
                let mut include = entry.include;
                ui.add_enabled(
                    entry.problem.is_none(),
                    egui::Checkbox::new(&mut include, &entry.original_code),
                );
                if include != entry.include {
                    commands.push(MergeCommand::Include { index, include });
                }
            });
            row.col(|ui| {
                ui.label(&entry.data.code);
            });
            row.col(|ui| {
                ui.label(level_label(lang, entry.data.level_or_province()));
            });
            row.col(|ui| match &entry.problem {
                Some(problem) => {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("{} — {problem}", entry.data.name),
                    );
                }
                None => {
                    ui.label(&entry.data.name);
                }
            });
        });
    });
}
