//! The rows of a diff report: one per changed field, and one per entry added, removed, moved
//! or replaced, from the same rows the window's diff table shows.

use crate::diff::{Before, CatalogueDiff, ChangeKind, WordChange};
use crate::domain::{Level, ProcedureField};

/// One row of a diff report.
pub struct ReportRow {
    pub kind: ChangeKind,
    pub code: String,
    pub level: Level,
    pub name: String,
    /// The procedure's field of work (lĩnh vực).
    pub procedure_field: String,
    /// The column that changed; none for an entry added or removed.
    pub column: Option<ProcedureField>,
    /// Values as the column holds them (a level or status by its key).
    pub old: String,
    pub new: String,
    /// Word runs of a text change, for highlighting.
    pub words: Vec<WordChange>,
}

pub fn report_rows(diff: &CatalogueDiff) -> Vec<ReportRow> {
    let mut rows = Vec::new();
    for row in diff.rows() {
        let whole = |column: Option<ProcedureField>, old: String, new: String| ReportRow {
            kind: row.kind,
            code: row.code.clone(),
            level: row.level,
            name: row.name.clone(),
            procedure_field: row.field.clone(),
            column,
            old,
            new,
            words: Vec::new(),
        };
        match (&row.before, row.kind) {
            (_, ChangeKind::Changed) => rows.extend(row.changes.iter().map(|change| ReportRow {
                words: change.words.clone(),
                ..whole(Some(change.field), change.old.clone(), change.new.clone())
            })),
            (Before::Level(from), _) => rows.push(whole(
                Some(ProcedureField::Level),
                from.key().to_owned(),
                row.level.key().to_owned(),
            )),
            (Before::Procedure { code, name }, _) => rows.push(whole(
                Some(ProcedureField::Code),
                format!("{code} {name}"),
                format!("{} {}", row.code, row.name),
            )),
            (Before::Nothing, _) => rows.push(whole(None, String::new(), String::new())),
        }
    }
    rows
}
