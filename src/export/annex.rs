//! The decision annex: what a publication decision publishes, from the diff between the last
//! published revision and the new list — procedures new, amended / supplemented (with what
//! changed), replaced (old and new code) and abolished (with the document that abolishes
//! them), each grouped by level and field.

use std::collections::{BTreeMap, HashMap};

use super::sections::{LevelSection, group, published_key};
use crate::diff::diff;
use crate::domain::{Level, ProcedureData, ProcedureField, Status};
use crate::store::{Catalogue, Result, SideSource, StoreError};

/// The four parts of an annex, in the order a decision lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AnnexPart {
    New,
    Amended,
    Replaced,
    Abolished,
}

impl AnnexPart {
    pub const ALL: [AnnexPart; 4] = [
        AnnexPart::New,
        AnnexPart::Amended,
        AnnexPart::Replaced,
        AnnexPart::Abolished,
    ];

    pub fn key(self) -> &'static str {
        match self {
            AnnexPart::New => "new",
            AnnexPart::Amended => "amended",
            AnnexPart::Replaced => "replaced",
            AnnexPart::Abolished => "abolished",
        }
    }

    /// The part's heading as Circular 02/2017/TT-VPCP words it.
    pub fn title_vi(self) -> &'static str {
        match self {
            AnnexPart::New => "DANH MỤC THỦ TỤC HÀNH CHÍNH MỚI BAN HÀNH",
            AnnexPart::Amended => "DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC SỬA ĐỔI, BỔ SUNG",
            AnnexPart::Replaced => "DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC THAY THẾ",
            AnnexPart::Abolished => "DANH MỤC THỦ TỤC HÀNH CHÍNH BỊ BÃI BỎ",
        }
    }
}

/// One changed field of an amended procedure.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnexChange {
    pub field: ProcedureField,
    pub old: String,
    pub new: String,
}

/// One procedure in one part of the annex.
#[derive(Clone, Debug, PartialEq)]
pub struct AnnexEntry {
    pub part: AnnexPart,
    /// The procedure as published now; for an abolished one, as it was last published.
    pub data: ProcedureData,
    /// For a replaced procedure: the one it replaces (code and name).
    pub replaces: Option<(String, String)>,
    /// For an amended procedure: what changed.
    pub changes: Vec<AnnexChange>,
    /// The decision or document behind the change, when the catalogue records it.
    pub document: String,
}

impl AnnexEntry {
    /// "Tên TTHC: cũ → mới; Phí, lệ phí (đồng): 50000 → 70000".
    pub fn changes_text(&self) -> String {
        self.changes
            .iter()
            .map(|change| {
                let show = |text: &str| {
                    if text.is_empty() {
                        "(trống)".to_owned()
                    } else {
                        text.replace('\n', "; ")
                    }
                };
                // Levels, statuses and tiers as a decision names them, never their keys.
                let printed = |value: &str| super::sections::value_vi(Some(change.field), value);
                format!(
                    "{}: {} → {}",
                    change.field.header_vi(),
                    show(&printed(&change.old)),
                    show(&printed(&change.new))
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// The annex: its parts, each by level and field; parts with nothing are left out.
#[derive(Clone, Debug, PartialEq)]
pub struct DecisionAnnex {
    /// The published revision compared with.
    pub base: String,
    /// The revision (or `working`) published.
    pub target: String,
    pub parts: Vec<(AnnexPart, Vec<LevelSection<AnnexEntry>>)>,
}

impl DecisionAnnex {
    pub fn count(&self, part: AnnexPart) -> usize {
        self.parts
            .iter()
            .filter(|(p, _)| *p == part)
            .flat_map(|(_, levels)| levels)
            .flat_map(|level| &level.fields)
            .map(|field| field.entries.len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

/// The base of an annex for `target`: the last revision published before it (the last
/// published one when `target` is the working copy or not yet published).
pub fn annex_base(catalogue: &Catalogue, target: &str) -> Result<Option<String>> {
    let revisions = catalogue.revisions()?;
    let target_position = revisions.iter().position(|r| r.name == target);
    Ok(revisions
        .iter()
        .enumerate()
        .filter(|(index, revision)| {
            revision.published.is_some() && target_position.is_none_or(|t| *index < t)
        })
        .max_by(|(_, a), (_, b)| {
            let date = |r: &crate::store::Revision| {
                r.published
                    .as_ref()
                    .map(|p| (p.date, p.published_at.clone()))
            };
            date(a).cmp(&date(b))
        })
        .map(|(_, revision)| revision.name.clone()))
}

/// Builds the annex between two sides named as the CLI names them (`working`, a revision).
pub fn decision_annex(catalogue: &Catalogue, base: &str, target: &str) -> Result<DecisionAnnex> {
    let old_source = catalogue.side_source(base)?;
    let new_source = catalogue.side_source(target)?;
    // An annex publishes revisions of this catalogue, not another file's working copy.
    for (name, source) in [(base, &old_source), (target, &new_source)] {
        if matches!(source, SideSource::File(_)) {
            return Err(StoreError::RevisionNotFound {
                name: name.to_owned(),
                path: catalogue.path().to_owned(),
            });
        }
    }
    let difference = catalogue.side_difference(&old_source, &new_source)?;
    let changes = diff(&difference.old, &difference.new, &difference.replacements);
    let key = |d: &ProcedureData| (d.code.clone(), d.level_or_province());
    let old: HashMap<(String, Level), &ProcedureData> =
        difference.old.iter().map(|d| (key(d), d)).collect();
    let new: HashMap<(String, Level), &ProcedureData> =
        difference.new.iter().map(|d| (key(d), d)).collect();
    let retirements = catalogue.retirement_decisions()?;

    let mut entries: Vec<AnnexEntry> = Vec::new();
    for added in &changes.added {
        let data = new[&(added.code.clone(), added.level)].clone();
        entries.push(AnnexEntry {
            part: AnnexPart::New,
            document: data.decision_number.clone(),
            data,
            replaces: None,
            changes: Vec::new(),
        });
    }
    for changed in &changes.changed {
        let k = (changed.code.clone(), changed.level);
        let (before, after) = (old[&k], new[&k]);
        let abolished_now = after.status == Status::Abolished && before.status != after.status;
        entries.push(AnnexEntry {
            part: if abolished_now {
                AnnexPart::Abolished
            } else {
                AnnexPart::Amended
            },
            document: amending_document(before, after),
            data: after.clone(),
            replaces: None,
            changes: field_changes(before, after),
        });
    }
    for moved in &changes.moved {
        let (before, after) = (
            old[&(moved.code.clone(), moved.from_level)],
            new[&(moved.code.clone(), moved.to_level)],
        );
        entries.push(AnnexEntry {
            part: AnnexPart::Amended,
            document: amending_document(before, after),
            data: after.clone(),
            replaces: None,
            changes: field_changes(before, after),
        });
    }
    for replaced in &changes.replaced {
        let level = replaced.level;
        let after = new[&(replaced.new_code.clone(), level)];
        let document = retirements
            .get(&(replaced.old_code.clone(), level))
            .filter(|d| !d.is_empty())
            .cloned()
            .unwrap_or_else(|| after.decision_number.clone());
        entries.push(AnnexEntry {
            part: AnnexPart::Replaced,
            document,
            data: after.clone(),
            replaces: Some((replaced.old_code.clone(), replaced.old_name.clone())),
            changes: Vec::new(),
        });
    }
    for removed in &changes.removed {
        let k = (removed.code.clone(), removed.level);
        let before = old[&k];
        // Only a retirement names the abolishing document; the entry's own decision number
        // is the one that last published it.
        let document = retirements.get(&k).cloned().unwrap_or_default();
        entries.push(AnnexEntry {
            part: AnnexPart::Abolished,
            document,
            data: before.clone(),
            replaces: None,
            changes: Vec::new(),
        });
    }

    let mut by_part: BTreeMap<AnnexPart, Vec<AnnexEntry>> = BTreeMap::new();
    for entry in entries {
        by_part.entry(entry.part).or_default().push(entry);
    }
    // In the decision's order (the parts' order), each by level and field.
    let parts = by_part
        .into_iter()
        .map(|(part, entries)| (part, group(entries, |e| published_key(&e.data))))
        .collect();
    Ok(DecisionAnnex {
        base: base.to_owned(),
        target: target.to_owned(),
        parts,
    })
}

/// The document behind an amendment: a new decision number if the entry records one, else
/// the legal basis it now rests on (an unchanged decision number is the one that published
/// the old version, not the amendment).
fn amending_document(before: &ProcedureData, after: &ProcedureData) -> String {
    if after.decision_number != before.decision_number && !after.decision_number.is_empty() {
        after.decision_number.clone()
    } else {
        crate::domain::join_legal_basis(&after.legal_basis)
    }
}

fn field_changes(before: &ProcedureData, after: &ProcedureData) -> Vec<AnnexChange> {
    ProcedureField::changed_between(before, after)
        .into_iter()
        .map(|field| AnnexChange {
            field,
            old: field.value_text(before),
            new: field.value_text(after),
        })
        .collect()
}
