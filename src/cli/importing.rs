//! `import`: lists read, planned and written in one transaction, and the report of it.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use procedure_catalogue::import::{self, ImportOptions, ImportPlan};
use procedure_catalogue::progress::Progress;
use procedure_catalogue::store::Catalogue;

pub(super) fn import_files(
    files: &[PathBuf],
    path: &Path,
    create: bool,
    options: &ImportOptions,
    json: bool,
) -> Result<String> {
    // Read and check every input before a catalogue file is created or changed.
    for file in files {
        import::check_input(file)?;
    }
    if create {
        if path.exists() {
            bail!(
                "{}: already exists, so --create will not overwrite it. Drop --create to import into it, or choose a new path",
                path.display()
            );
        }
        // Built beside its place and renamed into it whole: a failure or a kill midway
        // leaves no half-made catalogue where the officer expects one.
        let mut staged = Catalogue::create_staged(path)?;
        let (plan, _) =
            import::import_into_new(staged.catalogue(), files, options, &Progress::default())?;
        staged.finish()?;
        return Ok(import_report(&plan, path, json));
    }
    let mut catalogue = Catalogue::open(path)?;
    plan_and_apply(&mut catalogue, files, options, path, json)
}

/// Plans, says what the plan does, then writes it (the plan's entries moved into the
/// write, not copied).
fn plan_and_apply(
    catalogue: &mut Catalogue,
    files: &[PathBuf],
    options: &ImportOptions,
    path: &Path,
    json: bool,
) -> Result<String> {
    let plan = import::plan_import(catalogue, files, options)?;
    let report = import_report(&plan, path, json);
    import::apply_import_owned(catalogue, plan)?;
    Ok(report)
}

fn import_report(plan: &ImportPlan, catalogue: &Path, json: bool) -> String {
    let level_inferred = plan.levels.inferred;
    let row_of = |file: &str, row: usize| serde_json::json!({"file": file, "row": row});
    let skipped = |rows: &[import::SkippedRow]| -> Vec<serde_json::Value> {
        rows.iter()
            .map(|r| {
                serde_json::json!({
                    "file": r.file, "row": r.row, "code": r.code, "name": r.name,
                    "group": r.group.key(), "reason": r.reason.to_string(),
                })
            })
            .collect()
    };
    if json {
        let by_level: serde_json::Map<String, serde_json::Value> = plan
            .added_by_level()
            .into_iter()
            .map(|(level, count)| (level.key().to_owned(), count.into()))
            .collect();
        let value = serde_json::json!({
            "catalogue": catalogue.display().to_string(),
            "files": plan.files.iter().map(|file| serde_json::json!({
                "path": file.path.display().to_string(),
                "sheet": file.sheet,
                "header_row": file.header_row,
                "columns": file.columns.iter().map(|c| c.key()).collect::<Vec<_>>(),
                "kept_columns": file.kept_columns,
                "document_list": file.document_list,
                "rows_read": file.rows_read,
            })).collect::<Vec<_>>(),
            "rows_read": plan.rows_read,
            "rows_accounted": plan.accounted_rows(),
            "added": plan.added_count(),
            "added_by_level": by_level,
            "updated": plan.updated.len(),
            "updates": plan.updated.iter().map(|u| serde_json::json!({
                "file": u.file, "row": u.row, "code": u.data.code,
                "level": u.data.level_or_province().key(),
                "changes": u.changes.iter().map(|c| serde_json::json!({
                    "field": c.field.key(), "old": c.old, "new": c.new,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "unchanged": plan.unchanged.len(),
            "rejected": plan.rejected,
            "skipped": skipped(&plan.skipped),
            "level_unknown": skipped(&plan.level_unknown),
            "other_level": plan.other_level.iter().map(|r| serde_json::json!({
                "file": r.file, "row": r.row, "code": r.data.code, "level": r.level.key(),
                "existing_levels": r.existing.iter().map(|(l, _)| l.key()).collect::<Vec<_>>(),
                "choice": r.choice,
            })).collect::<Vec<_>>(),
            "retired": plan.retired.len(),
            "level_inferred": level_inferred,
            "sections": plan.sections.len(),
            "section_rows": plan.sections.iter().map(|(f, r)| row_of(f, *r)).collect::<Vec<_>>(),
            "documents": {
                "added": plan.documents_added.len(),
                "updated": plan.documents_updated.len(),
                "unchanged": plan.documents_unchanged,
            },
            "warnings": plan.warnings,
        });
        return serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    for file in &plan.files {
        let sheet = file
            .sheet
            .as_ref()
            .map(|sheet| format!(", sheet \"{sheet}\""))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}{sheet}: header on row {}, {} rows{}",
            file.path.display(),
            file.header_row,
            file.rows_read,
            if file.document_list {
                " (a list of legal documents)"
            } else {
                ""
            }
        );
        if !file.kept_columns.is_empty() {
            let _ = writeln!(
                out,
                "  columns kept with each procedure (no field of their own): {}",
                file.kept_columns.join(", ")
            );
        }
    }
    let by_level: Vec<String> = plan
        .added_by_level()
        .into_iter()
        .map(|(level, count)| format!("{count} {}", level.key()))
        .collect();
    let _ = writeln!(
        out,
        "into {}: {} added{}, {} updated, {} unchanged, {} rejected; {} of {} rows accounted for",
        catalogue.display(),
        plan.added_count(),
        if by_level.is_empty() {
            String::new()
        } else {
            format!(" ({})", by_level.join(", "))
        },
        plan.updated.len(),
        plan.unchanged.len(),
        plan.rejected.len(),
        plan.accounted_rows(),
        plan.rows_read
    );
    for rejection in &plan.rejected {
        let _ = writeln!(
            out,
            "  rejected {}, row {}: {}",
            rejection.file, rejection.row, rejection.problem
        );
    }
    for (group, count) in plan.skipped_by_group() {
        let what = match group {
            import::LevelGroup::Central => "central procedures (Cấp bộ / a ministry's agency)",
            import::LevelGroup::Other => "procedures of other bodies (Cơ quan khác)",
            import::LevelGroup::Unknown => "rows of unknown level",
        };
        let _ = writeln!(
            out,
            "{count} {what} left out of the provincial catalogue; give --central-level or --other-level-as to file them at a level"
        );
    }
    if !plan.level_unknown.is_empty() {
        let _ = writeln!(
            out,
            "{} rows do not say their level and were not imported (give --level, or --unknown-level LEVEL)",
            plan.level_unknown.len()
        );
    }
    let undecided = plan.undecided();
    if undecided > 0 {
        let _ = writeln!(
            out,
            "{undecided} rows name a code the catalogue holds at another level and were not imported; decide with --other-level add|move|skip"
        );
    }
    if plan.files.iter().any(|file| file.document_list) || !plan.documents_added.is_empty() {
        let _ = writeln!(
            out,
            "legal documents: {} added, {} updated, {} unchanged",
            plan.documents_added.len(),
            plan.documents_updated.len(),
            plan.documents_unchanged
        );
    }
    if !plan.retired.is_empty() {
        let _ = writeln!(
            out,
            "{} entries not in the imported set were retired from the working copy (kept in history)",
            plan.retired.len()
        );
    }
    if !plan.sections.is_empty() {
        let _ = writeln!(
            out,
            "{} section headings (level, field) gave {} rows their level",
            plan.sections.len(),
            plan.levels.from_section
        );
    }
    if level_inferred > 0 {
        let _ = writeln!(
            out,
            "level inferred from the agency for {level_inferred} rows (no level column; give --level to set it)"
        );
    }
    for warning in &plan.warnings {
        let _ = writeln!(
            out,
            "  note {}, row {}: {}",
            warning.file, warning.row, warning.notice
        );
    }
    out
}
