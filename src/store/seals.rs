//! The seal of a publication: a SHA-256 digest over the revision's name, decision and date
//! and every entry's content, stored when it is published and checked before it is trusted
//! (revision list, diff, export, `verify`, the window on open). Triggers refuse changes to a
//! published revision; the seal tells when someone went around them (dropped the triggers,
//! wrote the file with another tool). The freeze triggers are also re-created on every open
//! that may write, should one have been dropped.

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::procedures::DataColumns;
use super::{Catalogue, Result, StoreError};
use crate::domain::{Fee, ProcedureField, ProcessingTime};

/// What a published revision's seal says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealState {
    /// Not published: nothing to seal yet.
    Draft,
    /// Published, and its entries, decision and date are as they were.
    Intact,
    /// Published, but changed since (or its seal removed).
    Broken,
}

impl SealState {
    pub fn key(self) -> &'static str {
        match self {
            SealState::Draft => "draft",
            SealState::Intact => "intact",
            SealState::Broken => "broken",
        }
    }
}

/// The digest of a revision as stored now.
pub(super) fn compute(conn: &Connection, revision_id: i64) -> Result<String> {
    let (name, decision, date): (String, Option<String>, Option<String>) = conn.query_row(
        "SELECT name, published_decision, published_date FROM revision WHERE revision_id = ?1",
        [revision_id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    compute_for(
        conn,
        revision_id,
        &name,
        &decision.unwrap_or_default(),
        &date.unwrap_or_default(),
    )
}

/// The digest of a revision's entries under a name, decision and date (`YYYY-MM-DD`).
pub(super) fn compute_for(
    conn: &Connection,
    revision_id: i64,
    name: &str,
    decision: &str,
    date: &str,
) -> Result<String> {
    let mut hasher = Sha256::new();
    for part in [name, decision, date] {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    // Each entry's canonical text hashed straight from the stored texts, borrowed from
    // SQLite's row: nothing parsed or copied (this check runs before every use of a
    // published revision). Debug builds (every test) check it against the parsed entry.
    let mut statement = conn.prepare(&format!(
        "SELECT e.procedure_id, {}{} FROM revision_entry e
         JOIN procedure_version v USING (version_id)
         WHERE e.revision_id = ?1
         ORDER BY e.procedure_id",
        super::stream::text_columns("v."),
        if cfg!(debug_assertions) { ", v.*" } else { "" }
    ))?;
    let parsed_columns = if cfg!(debug_assertions) {
        Some(DataColumns::of(&statement, "")?)
    } else {
        None
    };
    let mut rows = statement.query([revision_id])?;
    let mut tidy = String::new();
    while let Some(row) = rows.next()? {
        let procedure_id: i64 = row.get(0)?;
        let texts = super::stream::stored_bytes(row, 1, &mut tidy)?;
        hasher.update(procedure_id.to_string().as_bytes());
        hasher.update(b"\t");
        for (index, piece) in canonical_pieces(texts).enumerate() {
            if index > 0 {
                hasher.update("\u{1f}".as_bytes());
            }
            hasher.update(piece);
        }
        hasher.update(b"\n");
        if let Some(columns) = &parsed_columns {
            let (mut data, time, fee) = columns.read_unparsed(row)?;
            data.processing_time = ProcessingTime::as_written(time);
            data.fee = Fee::as_written(fee);
            let pieces: Vec<&[u8]> = canonical_pieces(texts).collect();
            debug_assert_eq!(
                pieces.join("\u{1f}".as_bytes()),
                data.canonical_text().into_bytes()
            );
        }
    }
    Ok(format!("{:x}", hasher.finalize()))
}

/// The pieces of an entry's canonical text, joined by U+001F: every field's stored text, but
/// an empty provenance (it counts once written, as `ProcedureField::is_hashed` says).
fn canonical_pieces(texts: [&[u8]; ProcedureField::ALL.len()]) -> impl Iterator<Item = &[u8]> {
    ProcedureField::ALL
        .iter()
        .zip(texts)
        .filter(|(field, text)| **field != ProcedureField::Provenance || !text.is_empty())
        .map(|(_, text)| text)
}

/// Seals every published revision that has no seal yet: those published before this build
/// sealed its publications (taken as they are when first opened by it).
pub(super) fn seal_unsealed(conn: &Connection) -> Result<()> {
    let unsealed: Vec<i64> = conn
        .prepare(
            "SELECT revision_id FROM revision WHERE published_at IS NOT NULL AND seal IS NULL",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for revision_id in unsealed {
        let seal = compute(conn, revision_id)?;
        conn.execute(
            "UPDATE revision SET seal = ?2 WHERE revision_id = ?1",
            params![revision_id, seal],
        )?;
    }
    Ok(())
}

/// The freeze of published revisions, as the schema defines it; re-created on open where a
/// trigger is missing.
pub(super) const FREEZE_TRIGGERS: &str = include_str!("migrations/freeze_triggers.sql");

/// The freeze of a published revision's settings (from schema 10 on).
pub(super) const FREEZE_SETTING_TRIGGERS: &str =
    include_str!("migrations/freeze_setting_triggers.sql");

impl Catalogue {
    /// Whether a revision's publication still holds as sealed.
    pub fn seal_state(&self, name: &str) -> Result<SealState> {
        let row: Option<(i64, Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT revision_id, published_at, seal FROM revision WHERE name = ?1",
                [name],
                |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
            )
            .optional()?;
        let Some((revision_id, published_at, seal)) = row else {
            return Err(StoreError::RevisionNotFound {
                name: name.to_owned(),
                path: self.path.clone(),
            });
        };
        if published_at.is_none() {
            return Ok(SealState::Draft);
        }
        let Some(seal) = seal else {
            return Ok(SealState::Broken);
        };
        // A publication read twice in one job (its side of a report, then its rows) is
        // hashed once, unless another program wrote in between.
        let version = self.data_version()?;
        let known = |(id, known_seal, at): &(i64, String, i64)| {
            *id == revision_id && *known_seal == seal && *at == version
        };
        if self.intact_seals.borrow().iter().any(known) {
            return Ok(SealState::Intact);
        }
        Ok(if compute(&self.conn, revision_id)? == seal {
            self.intact_seals
                .borrow_mut()
                .push((revision_id, seal, version));
            SealState::Intact
        } else {
            SealState::Broken
        })
    }

    /// Every revision with what its seal says, oldest first.
    pub fn verify_seals(&self) -> Result<Vec<(String, SealState)>> {
        self.revisions()?
            .into_iter()
            .map(|revision| Ok((revision.name.clone(), self.seal_state(&revision.name)?)))
            .collect()
    }

    /// Refuses a revision whose seal is broken: what it holds cannot be trusted for a list
    /// an officer signs.
    pub fn ensure_sealed(&self, name: &str) -> Result<()> {
        if self.seal_state(name)? == SealState::Broken {
            return Err(StoreError::SealBroken(name.to_owned()));
        }
        Ok(())
    }
}
