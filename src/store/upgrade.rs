//! Migration hooks that need more than SQL: values rewritten in their new form, with the
//! hashes and fingerprints that depend on them kept in step, so an upgraded file diffs,
//! audits and remembers its reviewers' verdicts as before.

use std::collections::HashMap;

use rusqlite::{Row, Transaction, params};

use super::Result;
use super::procedures::{content_hash, data_from_row, fill_content_hashes};
use crate::domain::citation::{DocumentKind, read_citation};
use crate::domain::{Fee, fnv1a, format_amount, group_thousands, split_legal_basis};

/// Migration 6: processing time and fee as written, one legal document a line, documents
/// classed by kind; then the old numeric columns are dropped.
pub(super) fn values_as_written(tx: &Transaction<'_>) -> Result<()> {
    // Fingerprints as the audit computed them before, for the entries of the working copy.
    let old_fingerprints = old_fingerprints(tx)?;
    for table in ["procedure", "procedure_version"] {
        rewrite_values(tx, table)?;
    }
    tx.execute_batch(
        "ALTER TABLE procedure DROP COLUMN processing_days;
         ALTER TABLE procedure DROP COLUMN fee_vnd;
         ALTER TABLE procedure DROP COLUMN fee_note;
         ALTER TABLE procedure_version DROP COLUMN processing_days;
         ALTER TABLE procedure_version DROP COLUMN fee_vnd;
         ALTER TABLE procedure_version DROP COLUMN fee_note;",
    )?;
    rehash_versions(tx)?;
    fill_content_hashes(tx)?;
    classify_documents(tx)?;
    carry_verdicts(tx, &old_fingerprints)?;
    Ok(())
}

/// "15 ngày làm việc", "Trong ngày": what the published list printed for the old number.
fn old_time_text(days: Option<f64>) -> String {
    match days {
        None => String::new(),
        Some(days) if days > 0.0 && days < 1.0 => "Trong ngày".to_owned(),
        Some(days) => format!("{} ngày làm việc", format_amount(days)),
    }
}

/// The old amount and wording as one fee text that reads back to the same amount.
fn old_fee_text(amount: Option<i64>, note: &str) -> String {
    let note = note.trim();
    let money = |amount: i64| {
        if amount == 0 {
            "Miễn phí".to_owned()
        } else {
            format!("{} đồng", group_thousands(amount))
        }
    };
    match (amount, note.is_empty()) {
        (None, _) => note.to_owned(),
        (Some(amount), true) => money(amount),
        (Some(amount), false) if Fee::parse(note).amount_vnd() == Some(amount) => note.to_owned(),
        (Some(amount), false) => format!("{} ({note})", money(amount)),
    }
}

/// The text the audit hashed before this migration: every old field, in the old order.
fn old_canonical_text(row: &Row<'_>, basis: &str) -> rusqlite::Result<String> {
    fn text(row: &Row<'_>, column: &str) -> rusqlite::Result<String> {
        Ok(row.get::<_, Option<String>>(column)?.unwrap_or_default())
    }
    fn number<T: rusqlite::types::FromSql + ToString>(
        row: &Row<'_>,
        column: &str,
    ) -> rusqlite::Result<String> {
        Ok(row
            .get::<_, Option<T>>(column)?
            .map(|v| v.to_string())
            .unwrap_or_default())
    }
    let parts = [
        text(row, "code")?,
        text(row, "name")?,
        text(row, "level")?,
        text(row, "field")?,
        text(row, "agency")?,
        text(row, "issuer")?,
        number::<i64>(row, "tier")?,
        number::<f64>(row, "processing_days")?,
        number::<i64>(row, "fee_vnd")?,
        text(row, "fee_note")?,
        basis.to_owned(),
        text(row, "steps")?,
        text(row, "methods")?,
        text(row, "dossier")?,
        text(row, "requirements")?,
        text(row, "result")?,
        text(row, "subjects")?,
        text(row, "status")?,
        text(row, "decision_number")?,
        text(row, "decision_date")?,
        text(row, "effective_from")?,
        text(row, "effective_until")?,
        text(row, "replaced_by")?,
        number::<i64>(row, "dossiers_last_year")?,
        number::<i64>(row, "dossiers_year_before")?,
        text(row, "notes")?,
    ];
    Ok(parts.join("\u{1f}"))
}

/// (code, level) → the old per-entry fingerprint, for the working copy.
fn old_fingerprints(tx: &Transaction<'_>) -> Result<HashMap<(String, String), String>> {
    let mut statement = tx.prepare("SELECT * FROM procedure WHERE retired_at IS NULL")?;
    let rows = statement.query_map([], |row| {
        // The old basis text was "; "-joined; a migration 5 file has it in this column.
        let basis: String = row.get("legal_basis")?;
        let key = (
            row.get::<_, String>("code")?,
            row.get::<_, String>("level")?,
        );
        Ok((
            key,
            format!("{:016x}", fnv1a(&old_canonical_text(row, &basis)?)),
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Writes the new columns of every row of `table` from its old ones.
fn rewrite_values(tx: &Transaction<'_>, table: &str) -> Result<()> {
    let key = if table == "procedure" {
        "procedure_id"
    } else {
        "version_id"
    };
    /// id, processing days, fee amount, fee wording, legal basis.
    type OldRow = (i64, Option<f64>, Option<i64>, String, String);
    let rows: Vec<OldRow> = tx
        .prepare(&format!(
            "SELECT {key}, processing_days, fee_vnd, fee_note, legal_basis FROM {table}"
        ))?
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                row.get(1)?,
                row.get(2)?,
                row.get(3)?,
                row.get(4)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    if table == "procedure_version" {
        // Versions never change, except in this upgrade of their form.
        tx.execute_batch("DROP TRIGGER procedure_version_no_update")?;
    }
    let mut update = tx.prepare(&format!(
        "UPDATE {table} SET processing_time = ?2, fee = ?3, legal_basis = ?4 WHERE {key} = ?1"
    ))?;
    for (id, days, amount, note, basis) in rows {
        let basis = basis
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        update.execute(params![
            id,
            old_time_text(days),
            old_fee_text(amount, &note),
            basis
        ])?;
    }
    Ok(())
}

/// Versions hashed afresh in the new form (the same numbering of rare collisions as
/// interning uses), then frozen again.
fn rehash_versions(tx: &Transaction<'_>) -> Result<()> {
    let versions: Vec<(i64, String)> = {
        let mut statement = tx.prepare("SELECT * FROM procedure_version ORDER BY version_id")?;
        let rows = statement.query_map([], |row| {
            let mut data = data_from_row(row)?;
            data.legal_basis = split_legal_basis(&row.get::<_, String>("legal_basis")?);
            Ok((row.get::<_, i64>("version_id")?, content_hash(&data)))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    // Free every hash first: the new ones may take an old one's place.
    tx.execute(
        "UPDATE procedure_version SET content_hash = 'rehash-' || version_id",
        [],
    )?;
    let mut taken = std::collections::HashSet::new();
    for (version_id, base) in versions {
        let mut hash = base.clone();
        let mut attempt = 0;
        while !taken.insert(hash.clone()) {
            attempt += 1;
            hash = format!("{base}-{attempt}");
        }
        tx.execute(
            "UPDATE procedure_version SET content_hash = ?2 WHERE version_id = ?1",
            params![version_id, hash],
        )?;
    }
    tx.execute_batch(
        "CREATE TRIGGER procedure_version_no_update BEFORE UPDATE ON procedure_version
         BEGIN
             SELECT RAISE(ABORT, 'procedure versions are never changed');
         END;",
    )?;
    Ok(())
}

/// Each known document's kind, from its number (or title).
fn classify_documents(tx: &Transaction<'_>) -> Result<()> {
    let documents: Vec<(String, String)> = tx
        .prepare("SELECT number, title FROM legal_document")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (number, title) in documents {
        let kind = read_citation(&format!("{title} {number}"))
            .map_or(DocumentKind::Unnumbered, |c| c.kind);
        tx.execute(
            "UPDATE legal_document SET kind = ?2 WHERE number = ?1",
            params![number, kind.key()],
        )?;
    }
    Ok(())
}

/// A verdict given on entries that have not changed since stays in force: its fingerprint
/// is computed again in the new form. One given on entries that changed is left as it was
/// (it no longer held before the upgrade either).
fn carry_verdicts(tx: &Transaction<'_>, old: &HashMap<(String, String), String>) -> Result<()> {
    let verdicts: Vec<(i64, String, String)> = tx
        .prepare("SELECT verdict_id, finding_key, fingerprint FROM audit_verdict")?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut new: HashMap<(String, String), String> = HashMap::new();
    {
        let mut statement = tx.prepare("SELECT * FROM procedure WHERE retired_at IS NULL")?;
        let rows = statement.query_map([], |row| {
            let mut data = data_from_row(row)?;
            data.legal_basis = split_legal_basis(&row.get::<_, String>("legal_basis")?);
            Ok((
                (
                    row.get::<_, String>("code")?,
                    row.get::<_, String>("level")?,
                ),
                format!("{:016x}", data.fingerprint()),
            ))
        })?;
        for row in rows {
            let (key, fingerprint) = row?;
            new.insert(key, fingerprint);
        }
    }
    for (verdict_id, key, fingerprint) in verdicts {
        // kind/rule/code@level+code@level
        let Some(members) = key.splitn(3, '/').nth(2) else {
            continue;
        };
        let identities: Vec<(String, String)> = members
            .split('+')
            .filter_map(|m| m.rsplit_once('@'))
            .map(|(code, level)| (code.to_owned(), level.to_owned()))
            .collect();
        let combined = |prints: &HashMap<(String, String), String>| -> Option<String> {
            let parts: Option<Vec<&str>> = identities
                .iter()
                .map(|id| prints.get(id).map(String::as_str))
                .collect();
            Some(format!("{:016x}", fnv1a(&parts?.join("+"))))
        };
        if combined(old).as_deref() == Some(fingerprint.as_str())
            && let Some(renewed) = combined(&new)
        {
            tx.execute(
                "UPDATE audit_verdict SET fingerprint = ?2 WHERE verdict_id = ?1",
                params![verdict_id, renewed],
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_values_read_back_to_the_same_amounts() {
        assert_eq!(old_time_text(Some(15.0)), "15 ngày làm việc");
        assert_eq!(old_time_text(Some(0.5)), "Trong ngày");
        assert_eq!(old_time_text(Some(2.5)), "2,5 ngày làm việc");
        for (amount, note) in [
            (Some(0), "Không"),
            (Some(500_000), "Lệ phí: 500.000 đồng/hồ sơ"),
            (Some(50_000), "Theo quy định"),
            (Some(20_000), ""),
            (Some(0), ""),
        ] {
            let text = old_fee_text(amount, note);
            assert_eq!(Fee::parse(&text).amount_vnd(), amount, "{text}");
        }
        assert!(Fee::parse(&old_fee_text(None, "theo quy định")).is_unstructured());
    }
}
