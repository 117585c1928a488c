//! Legal documents as the catalogue cites them: which procedures rest on each, recording a
//! repeal or a replacement, and re-citing every procedure from an old document to its
//! replacement in one undoable batch.

use std::collections::BTreeMap;

use super::ledger::{BatchKind, Change, write_batch};
use super::procedures::upsert_legal_document;
use super::undo::WrittenBatch;
use super::{Access, Catalogue, Result, StoreError, now_rfc3339};
use crate::domain::citation::read_citation;
use crate::domain::{Date, LegalDocument, Level, Procedure};
use rusqlite::Transaction;

/// A procedure of the working copy that cites a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citing {
    pub procedure_id: i64,
    pub code: String,
    pub level: Level,
    pub name: String,
}

/// A legal document and the procedures of the working copy that cite it.
#[derive(Clone, Debug, PartialEq)]
pub struct CitedDocument {
    pub document: LegalDocument,
    pub citing: Vec<Citing>,
}

impl Catalogue {
    /// Every legal document, by number, with the procedures that cite it (by level, code).
    pub fn cited_documents(&self) -> Result<Vec<CitedDocument>> {
        let mut citing: BTreeMap<String, Vec<Citing>> = BTreeMap::new();
        let mut statement = self.conn.prepare(
            "SELECT b.document_number, p.procedure_id, p.code, p.level, p.name
             FROM procedure_legal_basis b JOIN procedure p USING (procedure_id)
             WHERE p.retired_at IS NULL
             ORDER BY b.document_number,
                      CASE p.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END,
                      p.code",
        )?;
        let rows = statement.query_map([], |row| {
            let level: String = row.get(3)?;
            Ok((
                row.get::<_, String>(0)?,
                Citing {
                    procedure_id: row.get(1)?,
                    code: row.get(2)?,
                    level: Level::parse(&level).unwrap_or(Level::Province),
                    name: row.get(4)?,
                },
            ))
        })?;
        for row in rows {
            let (number, entry) = row?;
            citing.entry(number).or_default().push(entry);
        }
        Ok(self
            .legal_documents()?
            .into_iter()
            .map(|document| CitedDocument {
                citing: citing.remove(&document.number).unwrap_or_default(),
                document,
            })
            .collect())
    }

    /// Records what is known of a document (its title, dates, repeal and replacement).
    pub fn save_legal_document(&mut self, document: &LegalDocument) -> Result<()> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        let tx = self.begin_write()?;
        upsert_legal_document(&tx, document)?;
        tx.commit()?;
        Ok(())
    }

    /// Records that a document was repealed on `on`, and by which document if `replaced_by` is
    /// not empty (which becomes a known document if it was not): one transaction. The audit
    /// then flags every procedure that cites it.
    pub fn record_repeal(
        &mut self,
        number: &str,
        on: Date,
        replaced_by: &str,
    ) -> Result<LegalDocument> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        let (number, replaced_by) = (number.trim(), replaced_by.trim());
        if replaced_by == number {
            return Err(StoreError::ReplacementNeeded(number.to_owned()));
        }
        let mut document = self
            .legal_documents()?
            .into_iter()
            .find(|d| d.number == number)
            .ok_or_else(|| StoreError::DocumentNotFound(number.to_owned()))?;
        document.repealed_on = Some(on);
        document.replaced_by = replaced_by.to_owned();
        let tx = self.begin_write()?;
        upsert_legal_document(&tx, &document)?;
        if !replaced_by.is_empty() {
            insert_if_unknown(&tx, replaced_by)?;
        }
        tx.commit()?;
        Ok(document)
    }

    /// Every procedure of the working copy that cites `old` cites `new` instead, in the same
    /// place (once, if it cited both): one batch of the edit ledger, undone by Undo. `new`
    /// becomes a known document if it was not.
    pub fn recite(&mut self, old: &str, new: &str) -> Result<WrittenBatch> {
        let (old, new) = (old.trim(), new.trim());
        if new.is_empty() || old == new {
            return Err(StoreError::ReplacementNeeded(old.to_owned()));
        }
        let citing: Vec<Procedure> = self
            .procedures()?
            .into_iter()
            .filter(|p| p.data.legal_basis.iter().any(|n| n == old))
            .collect();
        let changes: Vec<Change> = citing
            .into_iter()
            .map(|p| {
                let base = p.data.clone();
                let mut data = p.data;
                let mut basis: Vec<String> = Vec::with_capacity(data.legal_basis.len());
                for number in std::mem::take(&mut data.legal_basis) {
                    let number = if number == old {
                        new.to_owned()
                    } else {
                        number
                    };
                    if !basis.contains(&number) {
                        basis.push(number);
                    }
                }
                data.legal_basis = basis;
                Change::Edit {
                    procedure_id: p.procedure_id,
                    base: Box::new(base),
                    data,
                }
            })
            .collect();
        let procedure_ids: Vec<i64> = changes
            .iter()
            .filter_map(|change| match change {
                Change::Edit { procedure_id, .. } => Some(*procedure_id),
                _ => None,
            })
            .collect();
        let summary = format!("thay căn cứ {old} → {new}");
        let made_at = now_rfc3339();
        let applied = self.write_transaction(|tx, editor| {
            insert_if_unknown(tx, new)?;
            write_batch(tx, BatchKind::Edit, &summary, &changes, &made_at, editor)
        })?;
        Ok(WrittenBatch {
            batch_id: applied.batch_id.unwrap_or_default(),
            summary,
            procedure_ids,
            settings: Vec::new(),
        })
    }
}

/// Adds a document known only by its number (its kind read from it), unless it is known.
fn insert_if_unknown(tx: &Transaction<'_>, number: &str) -> Result<()> {
    let known: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM legal_document WHERE number = ?1)",
        [number],
        |row| row.get(0),
    )?;
    if !known {
        upsert_legal_document(
            tx,
            &LegalDocument {
                number: number.to_owned(),
                kind: read_citation(number).map(|c| c.kind),
                ..LegalDocument::default()
            },
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProcedureData;

    #[test]
    fn re_citing_changes_every_citing_procedure_in_one_undoable_batch() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        let entry = |code: &str, basis: &[&str]| {
            Change::Create(ProcedureData {
                code: code.into(),
                name: format!("Thủ tục {code}"),
                level: Some(Level::Province),
                legal_basis: basis.iter().map(|b| (*b).to_owned()).collect(),
                ..ProcedureData::default()
            })
        };
        catalogue
            .apply_changes(
                "add",
                &[
                    entry("1.000001", &["64/2012/NĐ-CP", "50/2014/QH13"]),
                    entry("1.000002", &["64/2012/NĐ-CP", "59/2015/NĐ-CP"]),
                    entry("1.000003", &["50/2014/QH13"]),
                ],
            )
            .unwrap();
        let cited = catalogue.cited_documents().unwrap();
        let old = cited
            .iter()
            .find(|d| d.document.number == "64/2012/NĐ-CP")
            .unwrap();
        assert_eq!(old.citing.len(), 2);
        let applied = catalogue.recite("64/2012/NĐ-CP", "59/2015/NĐ-CP").unwrap();
        assert_eq!(applied.procedure_ids.len(), 2);
        let bases: Vec<Vec<String>> = catalogue
            .procedures()
            .unwrap()
            .into_iter()
            .map(|p| p.data.legal_basis)
            .collect();
        assert_eq!(bases[0], ["59/2015/NĐ-CP", "50/2014/QH13"]);
        // Cited once, where the old one stood.
        assert_eq!(bases[1], ["59/2015/NĐ-CP"]);
        assert_eq!(bases[2], ["50/2014/QH13"]);
        catalogue.undo().unwrap().unwrap();
        let first = &catalogue.procedures().unwrap()[0];
        assert_eq!(first.data.legal_basis, ["64/2012/NĐ-CP", "50/2014/QH13"]);
    }
}
