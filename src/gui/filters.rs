//! The left panel: facets with counts, several at once, one click to clear.

use super::i18n::{Lang, level_label, status_label, tr};
use super::view::{CatalogueView, Facet, Flag};
use crate::domain::{Level, Status, Tier};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FilterAction {
    Toggle(Facet, String),
    ClearAll,
}

/// How many values of a long facet (fields, agencies) show before "more…".
const SHORT_LIST: usize = 12;

fn facet_title(lang: Lang, facet: Facet) -> &'static str {
    match facet {
        Facet::Level => tr(lang, "Cấp thực hiện", "Level"),
        Facet::Tier => tr(lang, "Mức độ dịch vụ công", "Online tier"),
        Facet::Status => tr(lang, "Tình trạng", "Status"),
        Facet::Flag => tr(lang, "Cảnh báo", "Flags"),
        Facet::Field => tr(lang, "Lĩnh vực", "Field"),
        Facet::Agency => tr(lang, "Cơ quan thực hiện", "Agency"),
    }
}

fn value_label(lang: Lang, facet: Facet, value: &str) -> String {
    match facet {
        Facet::Level => {
            Level::parse(value).map_or(value.to_owned(), |l| level_label(lang, l).to_owned())
        }
        Facet::Tier => Tier::parse(value).map_or_else(
            || tr(lang, "(chưa ghi)", "(none)").to_owned(),
            |t| format!("{t} — {}", t.decree42_label()),
        ),
        Facet::Status => {
            Status::parse(value).map_or(value.to_owned(), |s| status_label(lang, s).to_owned())
        }
        Facet::Flag => Flag::ALL
            .into_iter()
            .find(|f| format!("{f:?}") == value)
            .map_or(value.to_owned(), |f| f.label(lang).to_owned()),
        Facet::Field | Facet::Agency if value.is_empty() => {
            tr(lang, "(chưa ghi)", "(none)").to_owned()
        }
        Facet::Field | Facet::Agency => value.to_owned(),
    }
}

/// Which long facets show all their values.
#[derive(Default)]
pub struct FiltersPanel {
    expanded: [bool; 6],
}

impl FiltersPanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        view: &CatalogueView,
    ) -> Option<FilterAction> {
        let mut action = None;
        ui.horizontal(|ui| {
            ui.heading(tr(lang, "Bộ lọc", "Filters"));
            if ui
                .add_enabled(
                    view.has_filters(),
                    egui::Button::new(tr(lang, "Xóa bộ lọc", "Clear filters")),
                )
                .clicked()
            {
                action = Some(FilterAction::ClearAll);
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for facet in Facet::ALL {
                    let counts = view.facet_counts(facet);
                    let chosen = counts.iter().filter(|c| c.selected).count();
                    let title = if chosen > 0 {
                        format!("{} ({chosen})", facet_title(lang, facet))
                    } else {
                        facet_title(lang, facet).to_owned()
                    };
                    egui::CollapsingHeader::new(title)
                        .id_salt(format!("{facet:?}"))
                        .default_open(!matches!(facet, Facet::Agency))
                        .show(ui, |ui| {
                            let expanded = &mut self.expanded[facet as usize];
                            let limit = if *expanded { usize::MAX } else { SHORT_LIST };
                            for count in counts
                                .iter()
                                .filter(|c| c.count > 0 || c.selected)
                                .take(limit)
                            {
                                let mut checked = count.selected;
                                let text = format!(
                                    "{} ({})",
                                    value_label(lang, facet, &count.value),
                                    count.count
                                );
                                if ui.checkbox(&mut checked, text).changed() {
                                    action = Some(FilterAction::Toggle(facet, count.value.clone()));
                                }
                            }
                            let hidden = counts
                                .iter()
                                .filter(|c| c.count > 0 || c.selected)
                                .count()
                                .saturating_sub(SHORT_LIST);
                            if hidden > 0
                                && !*expanded
                                && ui
                                    .link(format!("{} {hidden}…", tr(lang, "Xem thêm", "Show")))
                                    .clicked()
                            {
                                *expanded = true;
                            }
                        });
                }
            });
        action
    }
}
