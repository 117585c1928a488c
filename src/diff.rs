//! The diff a legal reviewer reads before a publication decision: entries matched by code
//! and level; a code that changed level is a move, a procedure replaced by a decision (old
//! code → new code) a replacement, not an unrelated delete and add; for each changed
//! procedure the fields that changed, old → new, with a word-level diff of text (after NFC).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use similar::{ChangeTag, TextDiff};

use crate::domain::{Level, ProcedureData, ProcedureField, Status};
use crate::store::{Catalogue, CatalogueStats, StoreError};
use crate::text::nfc;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffEntry {
    pub code: String,
    pub level: Level,
    pub name: String,
    pub field: String,
}

/// Whether a run of words is in both values, only the old one, or only the new one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WordKind {
    Equal,
    Delete,
    Insert,
}

/// One run of words, equal or changed, for highlighting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WordChange {
    pub kind: WordKind,
    pub text: String,
}

/// Which value of a changed field a highlighted text shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Old,
    New,
}

impl WordChange {
    /// Whether this run belongs to the text of `side`.
    pub fn shown_on(&self, side: Side) -> bool {
        match self.kind {
            WordKind::Equal => true,
            WordKind::Delete => side == Side::Old,
            WordKind::Insert => side == Side::New,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    #[serde(serialize_with = "field_key")]
    pub field: ProcedureField,
    pub old: String,
    pub new: String,
    /// Word-level diff of the two values (empty for values that are not text).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub words: Vec<WordChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChangedEntry {
    pub code: String,
    pub level: Level,
    pub name: String,
    pub field: String,
    /// The changed fields, written as their export column keys.
    #[serde(serialize_with = "field_keys")]
    pub fields: Vec<ProcedureField>,
    pub changes: Vec<FieldChange>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MovedEntry {
    pub code: String,
    pub name: String,
    pub field: String,
    pub from_level: Level,
    pub to_level: Level,
    /// Other fields that changed with the move.
    #[serde(serialize_with = "field_keys")]
    pub fields: Vec<ProcedureField>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReplacedEntry {
    pub level: Level,
    pub field: String,
    pub old_code: String,
    pub old_name: String,
    pub new_code: String,
    pub new_name: String,
}

fn field_key<S: serde::Serializer>(field: &ProcedureField, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(field.key())
}

fn field_keys<S: serde::Serializer>(fields: &[ProcedureField], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(fields.iter().map(|field| field.key()))
}

/// Counts before and after, and of each kind of change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiffSummary {
    pub before: CatalogueStats,
    pub after: CatalogueStats,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub moved: usize,
    pub replaced: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CatalogueDiff {
    pub added: Vec<DiffEntry>,
    pub removed: Vec<DiffEntry>,
    pub changed: Vec<ChangedEntry>,
    pub moved: Vec<MovedEntry>,
    pub replaced: Vec<ReplacedEntry>,
    pub summary: DiffSummary,
}

/// The kinds of change, in the order a diff lists them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
    Moved,
    Replaced,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 5] = [
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Changed,
        ChangeKind::Moved,
        ChangeKind::Replaced,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
            ChangeKind::Moved => "moved",
            ChangeKind::Replaced => "replaced",
        }
    }

    /// The mark the command line and the window both print, in the manner of daff.
    pub fn mark(self) -> &'static str {
        match self {
            ChangeKind::Added => "+++",
            ChangeKind::Removed => "---",
            ChangeKind::Changed => "->",
            ChangeKind::Moved => ">>",
            ChangeKind::Replaced => "=>",
        }
    }

    /// How many entries of this kind a diff holds.
    pub fn count(self, summary: &DiffSummary) -> usize {
        match self {
            ChangeKind::Added => summary.added,
            ChangeKind::Removed => summary.removed,
            ChangeKind::Changed => summary.changed,
            ChangeKind::Moved => summary.moved,
            ChangeKind::Replaced => summary.replaced,
        }
    }
}

/// What a moved or replaced entry was before.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Before {
    Nothing,
    /// A moved entry's old level.
    Level(Level),
    /// A replaced entry's old code and name.
    Procedure {
        code: String,
        name: String,
    },
}

/// One entry of a diff, whatever its kind: what the window's table and the report list.
#[derive(Clone, Debug, PartialEq)]
pub struct DiffRow {
    pub kind: ChangeKind,
    /// The entry as it is now (for a removed one, as it was).
    pub code: String,
    pub level: Level,
    pub name: String,
    pub field: String,
    pub before: Before,
    /// A changed entry's fields, old → new.
    pub changes: Vec<FieldChange>,
}

impl CatalogueDiff {
    /// Every entry of the diff as a row, by kind (added, removed, changed, moved, replaced),
    /// each kind in code order.
    pub fn rows(&self) -> Vec<DiffRow> {
        let row = |kind, code: &str, level: Level, name: &str, field: &str| DiffRow {
            kind,
            code: code.to_owned(),
            level,
            name: name.to_owned(),
            field: field.to_owned(),
            before: Before::Nothing,
            changes: Vec::new(),
        };
        let entry = |kind, e: &DiffEntry| row(kind, &e.code, e.level, &e.name, &e.field);
        let mut rows: Vec<DiffRow> = Vec::new();
        rows.extend(self.added.iter().map(|e| entry(ChangeKind::Added, e)));
        rows.extend(self.removed.iter().map(|e| entry(ChangeKind::Removed, e)));
        rows.extend(self.changed.iter().map(|e| DiffRow {
            changes: e.changes.clone(),
            ..row(ChangeKind::Changed, &e.code, e.level, &e.name, &e.field)
        }));
        rows.extend(self.moved.iter().map(|e| DiffRow {
            before: Before::Level(e.from_level),
            ..row(ChangeKind::Moved, &e.code, e.to_level, &e.name, &e.field)
        }));
        rows.extend(self.replaced.iter().map(|e| DiffRow {
            before: Before::Procedure {
                code: e.old_code.clone(),
                name: e.old_name.clone(),
            },
            ..row(
                ChangeKind::Replaced,
                &e.new_code,
                e.level,
                &e.new_name,
                &e.field,
            )
        }));
        rows
    }
}

/// Fields compared word by word; the others are values (numbers, dates, choices).
fn is_text(field: ProcedureField) -> bool {
    matches!(
        field,
        ProcedureField::Name
            | ProcedureField::Agency
            | ProcedureField::Issuer
            | ProcedureField::Field
            | ProcedureField::Fee
            | ProcedureField::ProcessingTime
            | ProcedureField::CompetentAuthority
            | ProcedureField::ProcedureType
            | ProcedureField::Extra
            | ProcedureField::LegalBasis
            | ProcedureField::Steps
            | ProcedureField::Methods
            | ProcedureField::Dossier
            | ProcedureField::Requirements
            | ProcedureField::Result
            | ProcedureField::Subjects
            | ProcedureField::Notes
            | ProcedureField::Provenance
    )
}

/// Word-level diff after NFC, so composed and decomposed spellings are not changes.
pub fn word_diff(old: &str, new: &str) -> Vec<WordChange> {
    let (old, new) = (nfc(old), nfc(new));
    let diff = TextDiff::from_words(&old, &new);
    let mut words: Vec<WordChange> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => WordKind::Equal,
            ChangeTag::Delete => WordKind::Delete,
            ChangeTag::Insert => WordKind::Insert,
        };
        match words.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => words.push(WordChange {
                kind,
                text: change.value().to_owned(),
            }),
        }
    }
    words
}

fn field_changes(old: &ProcedureData, new: &ProcedureData, skip_level: bool) -> Vec<FieldChange> {
    ProcedureField::ALL
        .into_iter()
        .filter(|field| !(skip_level && *field == ProcedureField::Level))
        .filter_map(|field| {
            let (before, after) = (field.value_text(old), field.value_text(new));
            // Text equal after NFC is no change; most values are equal byte for byte.
            if before == after || nfc(&before) == nfc(&after) {
                return None;
            }
            let words = if is_text(field) {
                word_diff(&before, &after)
            } else {
                Vec::new()
            };
            Some(FieldChange {
                field,
                old: before,
                new: after,
                words,
            })
        })
        .collect()
}

fn entry(data: &ProcedureData) -> DiffEntry {
    DiffEntry {
        code: data.code.clone(),
        level: data.level_or_province(),
        name: data.name.clone(),
        field: data.field.clone(),
    }
}

/// Compares two lists of procedures. `replacements` are (old code, level) → new code pairs
/// known from decisions outside both lists (the new side's retired entries).
pub fn diff(
    old: &[ProcedureData],
    new: &[ProcedureData],
    replacements: &HashMap<(String, Level), String>,
) -> CatalogueDiff {
    let key = |d: &ProcedureData| (d.code.clone(), d.level_or_province());
    let old_by_key: BTreeMap<(String, Level), &ProcedureData> =
        old.iter().map(|d| (key(d), d)).collect();
    let new_by_key: BTreeMap<(String, Level), &ProcedureData> =
        new.iter().map(|d| (key(d), d)).collect();

    let mut changed = Vec::new();
    let mut removed_keys: Vec<(String, Level)> = Vec::new();
    for (k, before) in &old_by_key {
        match new_by_key.get(k) {
            Some(after) if before == after => {}
            Some(after) => {
                let changes = field_changes(before, after, false);
                if !changes.is_empty() {
                    changed.push(ChangedEntry {
                        code: after.code.clone(),
                        level: k.1,
                        name: after.name.clone(),
                        field: after.field.clone(),
                        fields: changes.iter().map(|c| c.field).collect(),
                        changes,
                    });
                }
            }
            None => removed_keys.push(k.clone()),
        }
    }
    let mut added_keys: Vec<(String, Level)> = new_by_key
        .keys()
        .filter(|k| !old_by_key.contains_key(*k))
        .cloned()
        .collect();

    // Moves: the same code gone from one level and arrived at another.
    let mut moved = Vec::new();
    let mut used_added: HashSet<(String, Level)> = HashSet::new();
    let mut used_removed: HashSet<(String, Level)> = HashSet::new();
    for removed in &removed_keys {
        if let Some(added) = added_keys
            .iter()
            .find(|a| a.0 == removed.0 && !used_added.contains(*a))
        {
            let (before, after) = (old_by_key[removed], new_by_key[added]);
            moved.push(MovedEntry {
                code: removed.0.clone(),
                name: after.name.clone(),
                field: after.field.clone(),
                from_level: removed.1,
                to_level: added.1,
                fields: field_changes(before, after, true)
                    .iter()
                    .map(|c| c.field)
                    .collect(),
            });
            used_added.insert(added.clone());
            used_removed.insert(removed.clone());
        }
    }
    // Replacements: an entry gone whose decision names the code that arrived.
    let mut replaced = Vec::new();
    for removed in &removed_keys {
        if used_removed.contains(removed) {
            continue;
        }
        let before = old_by_key[removed];
        let new_code = replacements.get(removed).cloned().or_else(|| {
            (before.status == Status::Replaced && !before.replaced_by.is_empty())
                .then(|| before.replaced_by.clone())
        });
        let Some(new_code) = new_code else {
            continue;
        };
        let target = (new_code.clone(), removed.1);
        if added_keys.contains(&target) && !used_added.contains(&target) {
            let after = new_by_key[&target];
            replaced.push(ReplacedEntry {
                level: removed.1,
                field: after.field.clone(),
                old_code: removed.0.clone(),
                old_name: before.name.clone(),
                new_code,
                new_name: after.name.clone(),
            });
            used_added.insert(target);
            used_removed.insert(removed.clone());
        }
    }
    added_keys.retain(|k| !used_added.contains(k));
    removed_keys.retain(|k| !used_removed.contains(k));
    let added: Vec<DiffEntry> = added_keys.iter().map(|k| entry(new_by_key[k])).collect();
    let removed: Vec<DiffEntry> = removed_keys.iter().map(|k| entry(old_by_key[k])).collect();
    let summary = DiffSummary {
        before: CatalogueStats::of(old.iter()),
        after: CatalogueStats::of(new.iter()),
        added: added.len(),
        removed: removed.len(),
        changed: changed.len(),
        moved: moved.len(),
        replaced: replaced.len(),
    };
    CatalogueDiff {
        added,
        removed,
        changed,
        moved,
        replaced,
        summary,
    }
}

/// The diff between two sides named as the CLI names them: a revision of `catalogue`,
/// `working` for its working copy, or the path of another catalogue file. SQLite finds the
/// entries that differ; only those are compared field by field.
pub fn diff_catalogue(
    catalogue: &Catalogue,
    old: &str,
    new: &str,
) -> Result<CatalogueDiff, StoreError> {
    let old_source = catalogue.side_source(old)?;
    let new_source = catalogue.side_source(new)?;
    let difference = catalogue.side_difference(&old_source, &new_source)?;
    let mut result = diff(&difference.old, &difference.new, &difference.replacements);
    result.summary.before = difference.old_stats;
    result.summary.after = difference.new_stats;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn procedure(code: &str, level: Level, name: &str) -> ProcedureData {
        ProcedureData {
            code: code.into(),
            name: name.into(),
            level: Some(level),
            ..ProcedureData::default()
        }
    }

    #[test]
    fn added_removed_changed_moved_and_replaced_are_told_apart() {
        let old = vec![
            procedure("1.000001", Level::Province, "Cấp giấy phép xây dựng"),
            procedure("1.000002", Level::District, "Đăng ký hộ kinh doanh"),
            procedure("1.000003", Level::Province, "Cấp phép cũ"),
            procedure("1.000004", Level::Province, "Thủ tục bị bãi bỏ"),
        ];
        let mut new = vec![
            procedure("1.000001", Level::Province, "Cấp lại giấy phép xây dựng"),
            procedure("1.000002", Level::Commune, "Đăng ký hộ kinh doanh"),
            procedure("1.000009", Level::Province, "Cấp phép mới"),
            procedure("1.000010", Level::Commune, "Thủ tục mới"),
        ];
        new[0].tier = crate::domain::Tier::new(3);
        let replacements = HashMap::from([(
            ("1.000003".to_owned(), Level::Province),
            "1.000009".to_owned(),
        )]);
        let diff = diff(&old, &new, &replacements);
        assert_eq!(diff.changed.len(), 1);
        assert_eq!(
            diff.changed[0].fields,
            [ProcedureField::Name, ProcedureField::Tier]
        );
        let words = &diff.changed[0].changes[0].words;
        assert!(
            words
                .iter()
                .any(|w| w.kind == WordKind::Insert && w.text.contains("lại")),
            "{words:?}"
        );
        assert_eq!(diff.moved.len(), 1);
        assert_eq!(
            (diff.moved[0].from_level, diff.moved[0].to_level),
            (Level::District, Level::Commune)
        );
        assert_eq!(diff.replaced.len(), 1);
        assert_eq!(diff.replaced[0].new_code, "1.000009");
        assert_eq!(
            diff.removed
                .iter()
                .map(|e| e.code.as_str())
                .collect::<Vec<_>>(),
            ["1.000004"]
        );
        assert_eq!(
            diff.added
                .iter()
                .map(|e| e.code.as_str())
                .collect::<Vec<_>>(),
            ["1.000010"]
        );
        assert_eq!(diff.summary.before.by_level["district"], 1);
        assert_eq!(diff.summary.after.by_level["commune"], 2);
    }

    #[test]
    fn decomposed_unicode_is_not_a_change() {
        let old = vec![procedure("1.000001", Level::Province, "Đăng ký khai sinh")];
        let new = vec![procedure(
            "1.000001",
            Level::Province,
            &"Đăng ký khai sinh".nfd().collect::<String>(),
        )];
        assert!(diff(&old, &new, &HashMap::new()).changed.is_empty());
    }
}
