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
        if spec == WORKING {
            return Ok(SideSource::Working);
        }
        match self.revision(spec) {
            Ok(_) => {
                self.ensure_sealed(spec)?;
                Ok(SideSource::Revision(spec.to_owned()))
            }
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
        let mut relation = |source: &SideSource, alias: &str| -> Result<String> {
            Ok(match source {
                SideSource::Working => working_relation("main"),
                SideSource::Revision(name) => {
                    parameters.push(name.clone());
                    revision_relation(parameters.len())
                }
                SideSource::File(path) => {
                    let schema = format!("side_{alias}");
                    self.conn.execute(
                        &format!("ATTACH DATABASE ?1 AS {schema}"),
                        [path.to_string_lossy()],
                    )?;
                    attached.push(schema.clone());
                    working_relation(&schema)
                }
            })
        };
        let old_sql = relation(old, "old");
        let new_sql = relation(new, "new");
        let result = (|| {
            let (old_sql, new_sql) = (old_sql?, new_sql?);
            // Each side's columns prefixed `o_` / `n_`; NULLs where a row has no such side.
            let side_columns = |side: &str, present: bool| {
                DATA_COLUMNS
                    .iter()
                    .chain(std::iter::once(&"legal_basis"))
                    .map(|column| {
                        let value = if present {
                            format!("{side}.{column}")
                        } else {
                            "NULL".to_owned()
                        };
                        format!("{value} AS {side}_{column}")
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let differs = DATA_COLUMNS
                .iter()
                .chain(std::iter::once(&"legal_basis"))
                .map(|column| format!("n.{column} IS NOT o.{column}"))
                .collect::<Vec<_>>()
                .join(" OR ");
            // Changed pairs: those whose hashes differ, then compared field by field (so an
            // unknown hash, or the rare equal hash of different data, is still right);
            // added and removed entries from the keys one side lacks (a sort, not a lookup per
            // row, so revisions, which are joins themselves, stay linear too).
            let mut statement = self.conn.prepare(&format!(
                "WITH old_side AS NOT MATERIALIZED ({old_sql}), new_side AS NOT MATERIALIZED ({new_sql}),
                 gone AS (SELECT code, level FROM old_side EXCEPT SELECT code, level FROM new_side),
                 came AS (SELECT code, level FROM new_side EXCEPT SELECT code, level FROM old_side),
                 -- Pairs whose hashes differ or are unknown: found from the indexes alone.
                 maybe AS MATERIALIZED (
                     SELECT n.code, n.level FROM new_side n
                     JOIN old_side o ON o.code = n.code AND o.level = n.level
                     WHERE n.content_hash = '' OR n.content_hash IS NOT o.content_hash)
                 SELECT {o}, {n} FROM maybe k
                   JOIN new_side n ON n.code = k.code AND n.level = k.level
                   JOIN old_side o ON o.code = k.code AND o.level = k.level
                 WHERE {differs}
                 UNION ALL
                 SELECT {o}, {no_n} FROM gone k JOIN old_side o ON o.code = k.code AND o.level = k.level
                 UNION ALL
                 SELECT {no_o}, {n} FROM came k JOIN new_side n ON n.code = k.code AND n.level = k.level",
                o = side_columns("o", true),
                n = side_columns("n", true),
                no_o = side_columns("o", false),
                no_n = side_columns("n", false),
            ))?;
            let mut difference = SideDifference {
                old: Vec::new(),
                new: Vec::new(),
                old_stats: CatalogueStats::default(),
                new_stats: CatalogueStats::default(),
                replacements: HashMap::new(),
            };
            let (old_columns, new_columns) = (
                DataColumns::of(&statement, "o_")?,
                DataColumns::of(&statement, "n_")?,
            );
            let (old_code, new_code) = (
                statement.column_index("o_code")?,
                statement.column_index("n_code")?,
            );
            let rows = statement.query_map(params_from_iter(parameters.iter()), |row| {
                let side = |code: usize,
                            columns: &DataColumns|
                 -> rusqlite::Result<Option<ProcedureData>> {
                    let code: Option<String> = row.get(code)?;
                    if code.is_none() {
                        return Ok(None);
                    }
                    columns.read(row).map(Some)
                };
                Ok((side(old_code, &old_columns)?, side(new_code, &new_columns)?))
            })?;
            for row in rows {
                let (old, new) = row?;
                difference.old.extend(old);
                difference.new.extend(new);
            }
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
