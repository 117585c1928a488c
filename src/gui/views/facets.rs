//! The left panel: facets with counts, several at once, one click to clear.

use crate::domain::{Level, Status, Tier};
use crate::gui::command::Command;
use crate::gui::i18n::{Lang, facet_label, flag_label, level_label, status_label, tier_label, tr};
use crate::gui::model::{CatalogueView, Facet, Flag};

/// How many values of a long facet (fields, agencies) show before "more…".
const SHORT_LIST: usize = 12;

fn value_label(lang: Lang, facet: Facet, value: &str) -> String {
    match facet {
        Facet::Level => {
            Level::parse(value).map_or(value.to_owned(), |l| level_label(lang, l).to_owned())
        }
        Facet::Tier => Tier::parse(value)
            .map_or_else(|| tr(lang, "(chưa ghi)", "(none)").to_owned(), tier_label),
        Facet::Status => {
            Status::parse(value).map_or(value.to_owned(), |s| status_label(lang, s).to_owned())
        }
        Facet::Flag => {
            Flag::from_value(value).map_or(value.to_owned(), |f| flag_label(lang, f).to_owned())
        }
        Facet::Provenance if value.is_empty() => {
            tr(lang, "(chỉ danh mục này)", "(this catalogue only)").to_owned()
        }
        Facet::Field | Facet::Agency if value.is_empty() => {
            tr(lang, "(chưa ghi)", "(none)").to_owned()
        }
        Facet::Field | Facet::Agency | Facet::Provenance => value.to_owned(),
    }
}

/// Which long facets show all their values.
#[derive(Default)]
pub struct FiltersPanel {
    expanded: [bool; 7],
}

impl FiltersPanel {
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        lang: Lang,
        view: &CatalogueView,
        commands: &mut Vec<Command>,
    ) {
        ui.horizontal(|ui| {
            ui.heading(tr(lang, "Bộ lọc", "Filters"));
            if ui
                .add_enabled(
                    view.has_filters(),
                    egui::Button::new(tr(lang, "Xóa bộ lọc", "Clear filters")),
                )
                .clicked()
            {
                commands.push(Command::ClearFilters);
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| {
                // Provenance, once catalogues are merged, right after the level.
                for facet in [
                    Facet::Level,
                    Facet::Provenance,
                    Facet::Tier,
                    Facet::Status,
                    Facet::Flag,
                    Facet::Field,
                    Facet::Agency,
                ] {
                    let counts = view.facet_counts(facet);
                    // Provenance only tells something once catalogues were merged.
                    if facet == Facet::Provenance && counts.iter().all(|c| c.value.is_empty()) {
                        continue;
                    }
                    let chosen = counts.iter().filter(|c| c.selected).count();
                    let title = if chosen > 0 {
                        format!("{} ({chosen})", facet_label(lang, facet))
                    } else {
                        facet_label(lang, facet).to_owned()
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
                                    commands.push(Command::ToggleFacet(facet, count.value.clone()));
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
    }
}
