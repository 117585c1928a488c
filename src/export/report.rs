//! The rows of a diff report: one per changed field, and one per entry added, removed, moved
//! or replaced, from the same rows the window's diff table shows.

use crate::diff::{CatalogueDiff, ChangeKind, WordChange};

/// One row of a diff report.
pub struct ReportRow {
    pub kind: ChangeKind,
    pub code: String,
    pub level: String,
    pub name: String,
    /// The procedure's field of work (lĩnh vực).
    pub procedure_field: String,
    /// The column that changed (its export key), empty for an entry added or removed.
    pub column: String,
    pub old: String,
    pub new: String,
    /// Word runs of a text change, for highlighting.
    pub words: Vec<WordChange>,
}

pub fn report_rows(diff: &CatalogueDiff) -> Vec<ReportRow> {
    let mut rows = Vec::new();
    for row in diff.rows() {
        let whole = |column: &str, old: String, new: String| ReportRow {
            kind: row.kind,
            code: row.code.clone(),
            level: row.level.clone(),
            name: row.name.clone(),
            procedure_field: row.field.clone(),
            column: column.to_owned(),
            old,
            new,
            words: Vec::new(),
        };
        match row.kind {
            ChangeKind::Added | ChangeKind::Removed => {
                rows.push(whole("", String::new(), String::new()))
            }
            ChangeKind::Moved => rows.push(whole("level", row.before.clone(), row.level.clone())),
            ChangeKind::Replaced => rows.push(whole(
                "code",
                format!("{} {}", row.before, row.before_name),
                format!("{} {}", row.code, row.name),
            )),
            ChangeKind::Changed => rows.extend(row.changes.iter().map(|change| ReportRow {
                words: change.words.clone(),
                ..whole(change.field, change.old.clone(), change.new.clone())
            })),
        }
    }
    rows
}
