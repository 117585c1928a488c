//! The audit's decision ledger: reviewers' verdicts on findings, and merges of duplicates.

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::ledger::{AppliedBatch, BatchKind, Change, write_batch};
use super::{Access, Catalogue, Result, StoreError, now_rfc3339};
use crate::domain::ProcedureData;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictKind {
    /// "Not a duplicate" / not a problem: the finding is no longer listed.
    Dismissed,
    /// The finding is right; it stays listed until acted on.
    Confirmed,
    /// The duplicates were merged into one entry.
    Merged,
    /// The entry stays as it is, for a stated reason: no longer listed.
    Keep,
    /// Proposed for abolition in the next publication decision: stays listed, marked.
    ProposeAbolition,
    /// An earlier verdict withdrawn: the finding is open again.
    Reopened,
}

impl VerdictKind {
    pub fn key(self) -> &'static str {
        match self {
            VerdictKind::Dismissed => "dismissed",
            VerdictKind::Confirmed => "confirmed",
            VerdictKind::Merged => "merged",
            VerdictKind::Keep => "keep",
            VerdictKind::ProposeAbolition => "propose_abolition",
            VerdictKind::Reopened => "reopened",
        }
    }

    pub fn parse(key: &str) -> Option<VerdictKind> {
        [
            VerdictKind::Dismissed,
            VerdictKind::Confirmed,
            VerdictKind::Merged,
            VerdictKind::Keep,
            VerdictKind::ProposeAbolition,
            VerdictKind::Reopened,
        ]
        .into_iter()
        .find(|kind| kind.key() == key)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            VerdictKind::Dismissed => "Không phải lỗi",
            VerdictKind::Confirmed => "Xác nhận",
            VerdictKind::Merged => "Đã hợp nhất",
            VerdictKind::Keep => "Giữ nguyên",
            VerdictKind::ProposeAbolition => "Đề xuất bãi bỏ",
            VerdictKind::Reopened => "Mở lại",
        }
    }

    /// Whether a finding with this verdict is still listed for action.
    pub fn keeps_finding(self) -> bool {
        matches!(
            self,
            VerdictKind::Confirmed | VerdictKind::ProposeAbolition | VerdictKind::Reopened
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    #[serde(skip)]
    pub verdict_id: i64,
    #[serde(skip)]
    pub finding_key: String,
    #[serde(skip)]
    pub fingerprint: String,
    #[serde(rename = "verdict")]
    pub kind: VerdictKind,
    pub note: String,
    pub merged_into: String,
    pub decided_at: String,
    pub decided_by: String,
}

/// A merge of duplicates: the survivor takes the chosen values; the others are retired.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeRequest {
    pub finding_key: String,
    pub fingerprint: String,
    pub survivor_id: i64,
    /// The survivor as the reviewer saw it: what someone else changed since is kept, or
    /// a conflict if the merge would overwrite it.
    pub survivor_base: ProcedureData,
    /// The survivor's data after the merge (each field from the entry the reviewer chose).
    pub survivor: ProcedureData,
    pub retire: Vec<i64>,
    pub note: String,
}

impl Catalogue {
    /// Records a verdict on a finding, with who and when.
    pub fn record_verdict(
        &mut self,
        finding_key: &str,
        fingerprint: &str,
        kind: VerdictKind,
        note: &str,
    ) -> Result<Verdict> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        if kind == VerdictKind::Keep && note.trim().is_empty() {
            return Err(StoreError::VerdictNeedsNote(kind.label_vi()));
        }
        let editor = self.editor.clone();
        let tx = self.begin_write()?;
        let id = insert_verdict(&tx, finding_key, fingerprint, kind, note, "", None, &editor)?;
        tx.commit()?;
        self.verdict(id)
    }

    /// Records one verdict on many findings (a selection, a whole group), in one transaction:
    /// all of them or none. `findings` are (key, fingerprint) pairs.
    pub fn record_verdicts(
        &mut self,
        findings: &[(String, String)],
        kind: VerdictKind,
        note: &str,
    ) -> Result<Vec<Verdict>> {
        self.record_verdicts_with(findings, kind, note, "", &[])
    }

    /// As [`record_verdicts`](Self::record_verdicts), with `changes` written in the same
    /// transaction as a ledger batch (`summary`) the verdicts belong to: undoing the batch
    /// sets them aside too (the simplification options a proposed abolition records).
    pub fn record_verdicts_with(
        &mut self,
        findings: &[(String, String)],
        kind: VerdictKind,
        note: &str,
        summary: &str,
        changes: &[Change],
    ) -> Result<Vec<Verdict>> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        if kind == VerdictKind::Keep && note.trim().is_empty() {
            return Err(StoreError::VerdictNeedsNote(kind.label_vi()));
        }
        let made_at = now_rfc3339();
        let ids = self.write_transaction(|tx, editor| {
            let batch_id = if changes.is_empty() {
                None
            } else {
                write_batch(tx, BatchKind::Edit, summary, changes, &made_at, editor)?.batch_id
            };
            let mut ids = Vec::with_capacity(findings.len());
            for (key, fingerprint) in findings {
                ids.push(insert_verdict(
                    tx,
                    key,
                    fingerprint,
                    kind,
                    note,
                    "",
                    batch_id,
                    editor,
                )?);
            }
            Ok(ids)
        })?;
        ids.into_iter().map(|id| self.verdict(id)).collect()
    }

    /// Merges duplicates in one transaction: the survivor updated, the others retired with a
    /// reason naming it, and a `merged` verdict linked to the edit batch (undo sets it aside).
    pub fn merge(&mut self, merge: &MergeRequest) -> Result<AppliedBatch> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        for &id in std::iter::once(&merge.survivor_id).chain(&merge.retire) {
            let live: Option<i64> = self
                .conn
                .query_row(
                    "SELECT procedure_id FROM procedure WHERE procedure_id = ?1 AND retired_at IS NULL",
                    [id],
                    |row| row.get(0),
                )
                .optional()?;
            if live.is_none() {
                return Err(StoreError::NotInWorkingCopy(id));
            }
        }
        let survivor_code = merge.survivor.code.clone();
        let mut retired_codes = Vec::new();
        for &id in &merge.retire {
            retired_codes.push(self.conn.query_row(
                "SELECT code FROM procedure WHERE procedure_id = ?1",
                [id],
                |row| row.get::<_, String>(0),
            )?);
        }
        let reason = if merge.note.trim().is_empty() {
            format!("Trùng lặp: hợp nhất vào {survivor_code}")
        } else {
            format!(
                "Trùng lặp: hợp nhất vào {survivor_code} ({})",
                merge.note.trim()
            )
        };
        let mut changes = vec![Change::Edit {
            procedure_id: merge.survivor_id,
            base: Box::new(merge.survivor_base.clone()),
            data: merge.survivor.clone(),
        }];
        changes.extend(merge.retire.iter().map(|&procedure_id| Change::Retire {
            procedure_id,
            reason: reason.clone(),
            decision_number: String::new(),
        }));
        let summary = format!("hợp nhất {} vào {survivor_code}", retired_codes.join(", "));
        let made_at = now_rfc3339();
        self.write_transaction(|tx, editor| {
            let applied = write_batch(tx, BatchKind::Edit, &summary, &changes, &made_at, editor)?;
            insert_verdict(
                tx,
                &merge.finding_key,
                &merge.fingerprint,
                VerdictKind::Merged,
                &merge.note,
                &survivor_code,
                applied.batch_id,
                editor,
            )?;
            Ok(applied)
        })
    }

    /// Every verdict in force, oldest first: those of a merge that was undone are set aside.
    pub fn verdicts(&self) -> Result<Vec<Verdict>> {
        let mut statement = self.conn.prepare(
            "SELECT v.* FROM audit_verdict v
             LEFT JOIN edit_batch b ON b.batch_id = v.batch_id
             WHERE v.batch_id IS NULL OR b.undo_state = 'done'
             ORDER BY v.verdict_id",
        )?;
        let verdicts = statement
            .query_map([], verdict_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(verdicts)
    }

    fn verdict(&self, verdict_id: i64) -> Result<Verdict> {
        Ok(self.conn.query_row(
            "SELECT * FROM audit_verdict WHERE verdict_id = ?1",
            [verdict_id],
            verdict_from_row,
        )?)
    }
}

#[allow(clippy::too_many_arguments)]
fn insert_verdict(
    tx: &rusqlite::Transaction<'_>,
    finding_key: &str,
    fingerprint: &str,
    kind: VerdictKind,
    note: &str,
    merged_into: &str,
    batch_id: Option<i64>,
    editor: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO audit_verdict
             (finding_key, fingerprint, verdict, note, merged_into, decided_at, decided_by, batch_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            finding_key,
            fingerprint,
            kind.key(),
            note.trim(),
            merged_into,
            now_rfc3339(),
            editor,
            batch_id
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

fn verdict_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Verdict> {
    let kind: String = row.get("verdict")?;
    Ok(Verdict {
        verdict_id: row.get("verdict_id")?,
        finding_key: row.get("finding_key")?,
        fingerprint: row.get("fingerprint")?,
        kind: VerdictKind::parse(&kind).unwrap_or(VerdictKind::Reopened),
        note: row.get("note")?,
        merged_into: row.get("merged_into")?,
        decided_at: row.get("decided_at")?,
        decided_by: row.get("decided_by")?,
    })
}
