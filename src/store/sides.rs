//! The two sides of a diff, compared inside SQLite: only the entries that differ are read
//! into memory, so comparing national catalogues does not load 120,000 procedures twice.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rusqlite::params_from_iter;

use super::procedures::{CatalogueStats, DATA_COLUMNS, DataColumns, keyed_texts};
use super::revisions::WORKING;
use super::{Catalogue, Result, StoreError};
use crate::domain::{Level, ProcedureData};

/// Where a side's procedures come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SideSource {
    /// This catalogue's working copy.
    Working,
    /// A revision of this catalogue.
    Revision(String),
    /// The working copy of another catalogue file.
    File(PathBuf),
}

/// Only what differs between two sides, with each side's counts and known replacements.
pub struct SideDifference {
    /// Entries of the old side whose code + level is new, gone or changed.
    pub old: Vec<ProcedureData>,
    pub new: Vec<ProcedureData>,
    pub old_stats: CatalogueStats,
    pub new_stats: CatalogueStats,
    /// (old code, level) → new code, from the new side's retired, replaced entries.
    pub replacements: HashMap<(String, Level), String>,
}

impl Catalogue {
    /// Names a side as the CLI does: `working`, a revision name, or a catalogue file's path.
    pub fn side_source(&self, spec: &str) -> Result<SideSource> {
        let source = self.side_source_unchecked(spec)?;
        if let SideSource::Revision(name) = &source {
            self.ensure_sealed(name)?;
        }
        Ok(source)
    }

    /// As [`side_source`](Self::side_source), a revision's seal left for the caller to check.
    pub(crate) fn side_source_unchecked(&self, spec: &str) -> Result<SideSource> {
        if spec == WORKING {
            return Ok(SideSource::Working);
        }
        match self.ensure_revision(spec) {
            Ok(_) => Ok(SideSource::Revision(spec.to_owned())),
            Err(StoreError::RevisionNotFound { name, path }) => {
                let other = Path::new(spec);
                if other.is_file() {
                    // Checked like any catalogue before it is attached.
                    Catalogue::open_read_only(other)?;
                    Ok(SideSource::File(other.to_owned()))
                } else {
                    Err(StoreError::RevisionNotFound { name, path })
                }
            }
            Err(error) => Err(error),
        }
    }

    /// Compares two sides in SQL and reads the entries that differ.
    pub fn side_difference(&self, old: &SideSource, new: &SideSource) -> Result<SideDifference> {
        let mut parameters: Vec<String> = Vec::new();
        let mut attached = Vec::new();
        // Each side: its relation (every column), and its keys in (code, level) order.
        let mut relation = |source: &SideSource, alias: &str| -> Result<(String, String)> {
            Ok(match source {
                SideSource::Working => (working_relation("main"), working_keys("main")),
                SideSource::Revision(name) => {
                    parameters.push(name.clone());
                    let relation = revision_relation(parameters.len());
                    let keys = format!(
                        "SELECT code, level, content_hash FROM ({relation}) ORDER BY code, level"
                    );
                    (relation, keys)
                }
                SideSource::File(path) => {
                    let schema = format!("side_{alias}");
                    self.conn.execute(
                        &format!("ATTACH DATABASE ?1 AS {schema}"),
                        [path.to_string_lossy()],
                    )?;
                    attached.push(schema.clone());
                    (working_relation(&schema), working_keys(&schema))
                }
            })
        };
        let old_side = relation(old, "old");
        let new_side = relation(new, "new");
        let result = (|| {
            let ((old_sql, old_keys_sql), (new_sql, new_keys_sql)) = (old_side?, new_side?);
            // Each side's keys and hashes in (code, level) order, straight from an index
            // (a revision's sorted), merged here in one pass: no lookup per entry. Then only
            // the entries that differ are read whole.
            let old_keys = self.side_keys(&old_keys_sql, &parameters)?;
            let new_keys = self.side_keys(&new_keys_sql, &parameters)?;
            let (mut gone, mut came, mut maybe) = (Vec::new(), Vec::new(), Vec::new());
            let (mut o, mut n) = (0, 0);
            while o < old_keys.len() || n < new_keys.len() {
                let order = match (old_keys.get(o), new_keys.get(n)) {
                    (Some(a), Some(b)) => (&a.0, &a.1).cmp(&(&b.0, &b.1)),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    _ => std::cmp::Ordering::Greater,
                };
                match order {
                    std::cmp::Ordering::Less => {
                        gone.push(o);
                        o += 1;
                    }
                    std::cmp::Ordering::Greater => {
                        came.push(n);
                        n += 1;
                    }
                    std::cmp::Ordering::Equal => {
                        let (a, b) = (&old_keys[o].2, &new_keys[n].2);
                        // An unknown hash (an outside edit cleared it) is compared in full.
                        if a.is_empty() || b.is_empty() || a != b {
                            maybe.push((o, n));
                        }
                        o += 1;
                        n += 1;
                    }
                }
            }
            let mut difference = SideDifference {
                old: Vec::new(),
                new: Vec::new(),
                old_stats: CatalogueStats::default(),
                new_stats: CatalogueStats::default(),
                replacements: HashMap::new(),
            };
            let mut read_old = self.side_reader(&old_sql, &parameters)?;
            let mut read_new = self.side_reader(&new_sql, &parameters)?;
            for (o, _) in maybe {
                let (code, level, _) = &old_keys[o];
                let old_data = read_old.read(code, level)?;
                let new_data = read_new.read(code, level)?;
                // Equal hashes of different data, or an unknown hash: field by field.
                if old_data != new_data {
                    difference.old.push(old_data);
                    difference.new.push(new_data);
                }
            }
            for o in gone {
                let (code, level, _) = &old_keys[o];
                difference.old.push(read_old.read(code, level)?);
            }
            for n in came {
                let (code, level, _) = &new_keys[n];
                difference.new.push(read_new.read(code, level)?);
            }
            drop((read_old, read_new));
            // The new side's counts are the old side's, less the old entries that differ,
            // plus the new ones: one scan instead of two.
            let old_groups = self.relation_groups(&old_sql, &parameters)?;
            let mut new_groups: HashMap<Group, i64> = old_groups.iter().cloned().collect();
            for data in &difference.old {
                *new_groups.entry(group_of(data)).or_default() -= 1;
            }
            for data in &difference.new {
                *new_groups.entry(group_of(data)).or_default() += 1;
            }
            let new_groups: Vec<(String, Option<i64>, String, String, i64)> = new_groups
                .into_iter()
                .filter(|(_, count)| *count > 0)
                .map(|((level, tier, status, field), count)| (level, tier, status, field, count))
                .collect();
            let old_groups: Vec<(String, Option<i64>, String, String, i64)> = old_groups
                .into_iter()
                .map(|((level, tier, status, field), count)| (level, tier, status, field, count))
                .collect();
            difference.old_stats = CatalogueStats::from_groups(&old_groups);
            difference.new_stats = CatalogueStats::from_groups(&new_groups);
            let replaced_schema = match new {
                SideSource::Working => Some("main".to_owned()),
                SideSource::File(_) => attached.last().cloned(),
                SideSource::Revision(_) => None,
            };
            if let Some(schema) = replaced_schema {
                difference.replacements = keyed_texts(
                    &self.conn,
                    &format!(
                        "SELECT code, level, replaced_by FROM {schema}.procedure
                         WHERE retired_at IS NOT NULL AND status = 'replaced' AND replaced_by <> ''"
                    ),
                )?;
            }
            Ok(difference)
        })();
        for schema in attached {
            let _ = self.conn.execute(&format!("DETACH DATABASE {schema}"), []);
        }
        result
    }

    /// Entries of a relation counted by (level, tier, status, field).
    fn relation_groups(&self, relation: &str, parameters: &[String]) -> Result<Vec<(Group, i64)>> {
        // Parameters are numbered in the order the relations were built; a relation that
        // names no parameter leaves them unused, which SQLite accepts.
        let mut statement = self.conn.prepare(&format!(
            "SELECT level, tier, status, field, count(*) FROM ({relation}) GROUP BY level, tier, status, field"
        ))?;
        let count = statement.parameter_count();
        let rows = statement.query_map(params_from_iter(parameters.iter().take(count)), |row| {
            Ok((
                (
                    row.get::<_, String>(0)?,
                    row.get::<_, Option<i64>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, String>(3)?,
                ),
                row.get::<_, i64>(4)?,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Reads one side's entries by code and level.
struct SideReader<'c> {
    statement: rusqlite::CachedStatement<'c>,
    columns: DataColumns,
    /// Parameters of the side's relation (a revision's name), before code and level.
    parameters: Vec<String>,
}

impl SideReader<'_> {
    fn read(&mut self, code: &str, level: &str) -> Result<ProcedureData> {
        let mut values: Vec<&str> = self.parameters.iter().map(String::as_str).collect();
        values.extend([code, level]);
        let columns = &self.columns;
        Ok(self
            .statement
            .query_row(params_from_iter(values), |row| columns.read(row))?)
    }
}

impl Catalogue {
    /// (code, level, content hash) of every entry of a side, in (code, level) order.
    fn side_keys(&self, sql: &str, parameters: &[String]) -> Result<Vec<(String, String, String)>> {
        let mut statement = self.conn.prepare(sql)?;
        let count = statement.parameter_count();
        let rows = statement.query_map(params_from_iter(parameters.iter().take(count)), |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn side_reader(&self, relation: &str, parameters: &[String]) -> Result<SideReader<'_>> {
        // The relation's own parameters come first; code and level follow them.
        let probe = self.conn.prepare(&format!("SELECT 1 FROM ({relation})"))?;
        let own = probe.parameter_count();
        drop(probe);
        let statement = self.conn.prepare_cached(&format!(
            "SELECT * FROM ({relation}) WHERE code = ?{} AND level = ?{}",
            own + 1,
            own + 2
        ))?;
        Ok(SideReader {
            columns: DataColumns::of(&statement, "")?,
            statement,
            parameters: parameters.iter().take(own).cloned().collect(),
        })
    }
}

/// (level, tier, status, field): what the summary counts by.
type Group = (String, Option<i64>, String, String);

fn group_of(data: &ProcedureData) -> Group {
    (
        data.level_or_province().key().to_owned(),
        data.tier.map(|t| i64::from(t.value())),
        data.status.key().to_owned(),
        data.field.clone(),
    )
}

fn columns(table: &str) -> String {
    DATA_COLUMNS
        .iter()
        .map(|column| format!("{table}.{column} AS {column}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn working_relation(schema: &str) -> String {
    format!(
        "SELECT {}, p.legal_basis AS legal_basis, p.content_hash AS content_hash
         FROM {schema}.procedure p WHERE p.retired_at IS NULL",
        columns("p")
    )
}

/// A working copy's keys and hashes in (code, level) order, from its covering index alone
/// (named: left to choose, SQLite takes the identity index and reads every row for its hash).
fn working_keys(schema: &str) -> String {
    format!(
        "SELECT code, level, content_hash FROM {schema}.procedure
         INDEXED BY procedure_identity_hash
         WHERE retired_at IS NULL ORDER BY code, level"
    )
}

fn revision_relation(parameter: usize) -> String {
    format!(
        "SELECT {}, v.legal_basis AS legal_basis, v.content_hash AS content_hash
         FROM main.revision_entry e
         JOIN main.revision r ON r.revision_id = e.revision_id
         JOIN main.procedure_version v ON v.version_id = e.version_id
         WHERE r.name = ?{parameter}",
        columns("v")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Change;

    #[test]
    fn sides_differ_by_what_they_hold_whatever_their_hashes_say() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        let mut catalogue = Catalogue::create(&path).unwrap();
        let data = |code: &str, name: &str| ProcedureData {
            code: code.to_owned(),
            name: name.to_owned(),
            level: Some(Level::Province),
            ..ProcedureData::default()
        };
        let changes: Vec<Change> = (1..=5)
            .map(|n| Change::Create(data(&format!("1.00000{n}"), "Cấp phép")))
            .collect();
        catalogue.apply_changes("five", &changes).unwrap();
        catalogue.create_revision("r1", "").unwrap();
        // An edit outside the application clears the hash: compared in full. A hash set to
        // another's: compared in full, found equal, not a change.
        let conn = catalogue.connection();
        conn.execute_batch(
            "UPDATE procedure SET name = 'Cấp phép (sửa ngoài)' WHERE code = '1.000002';
             UPDATE procedure SET content_hash = (SELECT content_hash FROM procedure
                                                  WHERE code = '1.000001')
             WHERE code = '1.000003';
             UPDATE procedure SET retired_at = '2026-12-01' WHERE code = '1.000005';",
        )
        .unwrap();
        let added = data("1.000009", "Thủ tục mới");
        catalogue
            .apply_changes("add", &[Change::Create(added)])
            .unwrap();
        let difference = catalogue
            .side_difference(&SideSource::Revision("r1".into()), &SideSource::Working)
            .unwrap();
        fn codes(side: &[ProcedureData]) -> Vec<&str> {
            let mut codes: Vec<&str> = side.iter().map(|d| d.code.as_str()).collect();
            codes.sort();
            codes
        }
        assert_eq!(codes(&difference.old), ["1.000002", "1.000005"]);
        assert_eq!(codes(&difference.new), ["1.000002", "1.000009"]);
    }
}
