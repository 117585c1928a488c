//! What the savings of a simplification and the dashboard are computed from: for each entry
//! of a side, its key, where it stands, and its processing time, fee and dossier, with every
//! text held once in a [`TextTable`] (a national catalogue repeats its names, fields, times,
//! fees and dossiers in every province, and two sides share most of their entries).

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::{Catalogue, Result};
use crate::distinct::QuickHasher;
use crate::domain::Level;

/// Texts met many times, each kept once, in one buffer, and named by its number.
#[derive(Debug, Default)]
pub struct TextTable {
    buffer: String,
    /// Where each text lies in `buffer`, by number.
    spans: Vec<(usize, usize)>,
    /// The numbers, found by their text's hash.
    numbers: HashTable<u32>,
}

fn hash_of(bytes: &[u8]) -> u64 {
    std::hash::BuildHasherDefault::<QuickHasher>::default().hash_one(bytes)
}

impl TextTable {
    /// The number of `text`, kept if new.
    pub fn intern(&mut self, text: &str) -> u32 {
        self.intern_bytes(text.as_bytes())
    }

    /// The number of the text stored as `bytes`, kept if new: a text met before is found
    /// by its bytes, and only a new one is checked to be UTF-8 (bytes that are not are read
    /// with U+FFFD in their place, as that text).
    pub fn intern_bytes(&mut self, bytes: &[u8]) -> u32 {
        let hash = hash_of(bytes);
        if let Some(number) = self.find(hash, bytes) {
            return number;
        }
        match std::str::from_utf8(bytes) {
            Ok(text) => self.insert(hash, text),
            Err(_) => {
                let text = String::from_utf8_lossy(bytes);
                let hash = hash_of(text.as_bytes());
                match self.find(hash, text.as_bytes()) {
                    Some(number) => number,
                    None => self.insert(hash, &text),
                }
            }
        }
    }

    fn find(&self, hash: u64, bytes: &[u8]) -> Option<u32> {
        self.numbers
            .find(hash, |&number| self.bytes_of(number) == bytes)
            .copied()
    }

    fn insert(&mut self, hash: u64, text: &str) -> u32 {
        let number = self.spans.len() as u32;
        let start = self.buffer.len();
        self.buffer.push_str(text);
        self.spans.push((start, self.buffer.len()));
        let (buffer, spans) = (&self.buffer, &self.spans);
        self.numbers.insert_unique(hash, number, |&number| {
            let (start, end) = spans[number as usize];
            hash_of(&buffer.as_bytes()[start..end])
        });
        number
    }

    fn bytes_of(&self, number: u32) -> &[u8] {
        let (start, end) = self.spans[number as usize];
        &self.buffer.as_bytes()[start..end]
    }

    /// The text numbered `number`.
    pub fn text(&self, number: u32) -> &str {
        let (start, end) = self.spans[number as usize];
        &self.buffer[start..end]
    }

    /// How many texts it holds: numbers run from 0 to this.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// One stored entry as the savings measure it: every text a number in the rows'
/// [`TextTable`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasureRow {
    pub code: u32,
    pub level: Level,
    pub name: u32,
    pub field: u32,
    pub tier: Option<u8>,
    pub processing_time: u32,
    pub fee: u32,
    pub dossier: u32,
    pub dossiers_last_year: Option<u32>,
    /// The store's hash of the whole entry: equal hashes, equal entries (`None`: not known).
    pub content: Option<u64>,
}

/// The stored entries of one or more sides, each read once, and their texts. A side is a
/// list of indexes into `rows`.
#[derive(Debug, Default)]
pub struct MeasureRows {
    pub rows: Vec<MeasureRow>,
    pub texts: TextTable,
}

impl MeasureRows {
    pub fn text(&self, number: u32) -> &str {
        self.texts.text(number)
    }
}

/// The columns a [`MeasureRow`] is read from, as `p`.
const MEASURE_COLUMNS: &str = "p.code, p.level, p.name, p.field, p.tier, p.processing_time,
     p.fee, p.dossier, p.dossiers_last_year, p.content_hash";

/// A [`MeasureRow`] from [`MEASURE_COLUMNS`] starting at column `at`, its texts kept in
/// `texts` (borrowed from SQLite's row until then: a text met before is not copied).
fn measure_row(
    row: &rusqlite::Row<'_>,
    at: usize,
    texts: &mut TextTable,
) -> rusqlite::Result<MeasureRow> {
    let mut text = |index: usize| -> rusqlite::Result<u32> {
        Ok(texts.intern_bytes(row.get_ref(at + index)?.as_bytes().unwrap_or_default()))
    };
    let (code, name, field) = (text(0)?, text(2)?, text(3)?);
    let (processing_time, fee, dossier) = (text(5)?, text(6)?, text(7)?);
    let level = row.get_ref(at + 1)?.as_str().unwrap_or_default();
    let content = row.get_ref(at + 9)?.as_str().ok();
    Ok(MeasureRow {
        code,
        // CHECK constraints guarantee the level; a hand-edited file reads as province.
        level: Level::parse(level).unwrap_or(Level::Province),
        name,
        field,
        tier: row.get(at + 4)?,
        processing_time,
        fee,
        dossier,
        dossiers_last_year: row.get(at + 8)?,
        content: content.and_then(|hash| u64::from_str_radix(hash, 16).ok()),
    })
}

impl Catalogue {
    /// Every entry of the working copy (`None`) or of a revision (its seal checked first),
    /// added to `into`, in stored order: their indexes there.
    pub fn measure_rows(&self, revision: Option<&str>, into: &mut MeasureRows) -> Result<Vec<u32>> {
        let texts = &mut into.texts;
        let rows = self.side_rows(revision, MEASURE_COLUMNS, |row| measure_row(row, 0, texts))?;
        let first = into.rows.len() as u32;
        into.rows.extend(rows);
        Ok((first..into.rows.len() as u32).collect())
    }

    /// The entries of several revisions added to `into`, each version read once however
    /// many of them hold it (two revisions share every entry that did not change): per
    /// revision, its entries' indexes there. Their seals are not checked here: the caller
    /// checks them ([`crate::simplify::savings`] does, on another connection, while this
    /// reads).
    pub(crate) fn revision_measure_rows_unchecked(
        &self,
        names: &[&str],
        into: &mut MeasureRows,
    ) -> Result<Vec<Vec<u32>>> {
        let mut versions = Vec::with_capacity(names.len());
        for name in names {
            self.ensure_revision(name)?;
            let mut statement = self.conn.prepare_cached(
                "SELECT e.version_id FROM revision_entry e JOIN revision r USING (revision_id)
                 WHERE r.name = ?1",
            )?;
            let ids = statement
                .query_map([name], |row| row.get::<_, i64>(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            versions.push(ids);
        }
        // The versions they hold, each once, looked up by rowid in order: no temporary
        // index of 245,000 ids as `IN (SELECT …)` builds.
        let mut ids: Vec<i64> = versions.iter().flatten().copied().collect();
        ids.sort_unstable();
        ids.dedup();
        let ids: Vec<rusqlite::types::Value> = ids
            .into_iter()
            .map(rusqlite::types::Value::Integer)
            .collect();
        rusqlite::vtab::array::load_module(&self.conn)?;
        let mut statement = self.conn.prepare(&format!(
            "SELECT p.version_id, {MEASURE_COLUMNS} FROM rarray(?1) a
             JOIN procedure_version p ON p.version_id = a.value"
        ))?;
        // (version id, index in `into.rows`), sorted by version to be searched.
        let mut read = Vec::with_capacity(ids.len());
        let texts = &mut into.texts;
        let mut rows = statement.query([std::rc::Rc::new(ids)])?;
        while let Some(row) = rows.next()? {
            read.push((row.get::<_, i64>(0)?, into.rows.len() as u32));
            into.rows.push(measure_row(row, 1, texts)?);
        }
        // Already in order as read; sorting a sorted list is one pass.
        read.sort_unstable();
        // Each revision's versions, as indexes of the rows just read (in version order).
        Ok(versions
            .into_iter()
            .map(|ids| {
                ids.into_iter()
                    .filter_map(|id| {
                        let at = read
                            .binary_search_by_key(&id, |(version, _)| *version)
                            .ok()?;
                        Some(read[at].1)
                    })
                    .collect()
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_kept_once_and_found_by_its_number() {
        let mut texts = TextTable::default();
        let dossier = "Đơn đề nghị (01 bản chính)";
        let first = texts.intern(dossier);
        let second = texts.intern("30 ngày làm việc");
        // Found by its bytes, as SQLite hands them over.
        assert_eq!(texts.intern_bytes(dossier.as_bytes()), first);
        // Bytes that are not UTF-8 are kept readable.
        let broken = texts.intern_bytes(b"ph\xff");
        assert_eq!(texts.text(broken), "ph\u{fffd}");
        assert_eq!(texts.intern_bytes(b"ph\xff"), broken);
        assert_eq!(texts.intern("ph\u{fffd}"), broken);
        assert_ne!(first, second);
        assert_eq!(texts.text(first), dossier);
        assert_eq!(texts.text(second), "30 ngày làm việc");
        assert_eq!(texts.intern(""), 3);
        assert_eq!(texts.text(3), "");
        assert_eq!(texts.len(), 4);
        // Many texts: each still found (the table grows and rehashes by the texts' hashes).
        let numbers: Vec<u32> = (0..10_000)
            .map(|n| texts.intern(&format!("văn bản {n}")))
            .collect();
        for (n, number) in numbers.iter().enumerate() {
            assert_eq!(texts.intern(&format!("văn bản {n}")), *number);
            assert_eq!(texts.text(*number), format!("văn bản {n}"));
        }
        assert_eq!(texts.len(), 10_004);
    }
}
