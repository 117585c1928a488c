//! The catalogue as a file on disk: what is checked before SQLite opens it (read the way
//! SQLite recovers it: the `-wal` beside it is part of the file), how SQLite's errors are
//! told apart, and how a new catalogue is built beside its place and renamed into it whole.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

use super::{Access, Catalogue, Result, StoreError};

/// The files SQLite keeps beside a catalogue in WAL mode.
const SIDE_SUFFIXES: [&str; 2] = ["-wal", "-shm"];

/// `PATH` with a suffix appended to its file name (`catalogue.sqlite-wal`).
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Whether a write-ahead log with content stands beside the file: then the main file alone
/// is not the catalogue (a crash, or a kill during a checkpoint, left committed pages there).
pub(super) fn has_wal(path: &Path) -> bool {
    fs::metadata(sibling(path, "-wal")).is_ok_and(|m| m.len() > 0)
}

/// Checks what can be checked without SQLite: existence, kind of file, size, magic,
/// truncation, permissions.
pub(super) fn check_file(path: &Path, access: Access) -> Result<()> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            // A dangling link is not "no such file": say what it is.
            return Err(if fs::symlink_metadata(path).is_ok() {
                StoreError::NotAFile(path.to_owned())
            } else {
                StoreError::NotFound(path.to_owned())
            });
        }
        Err(source) => {
            return Err(StoreError::Io {
                path: path.to_owned(),
                source,
            });
        }
    };
    if metadata.is_dir() {
        return Err(StoreError::IsDirectory(path.to_owned()));
    }
    if !metadata.is_file() {
        // A FIFO, a socket, a device: opening it could block or read forever.
        return Err(StoreError::NotAFile(path.to_owned()));
    }
    let actual = metadata.len();
    let wal = has_wal(path);
    if actual == 0 && !wal {
        return Err(StoreError::Empty(path.to_owned()));
    }
    let mut header = [0u8; 100];
    let mut file = fs::File::open(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    if actual < 100
        || file.read_exact(&mut header).is_err()
        || &header[..16] != b"SQLite format 3\0"
    {
        return Err(StoreError::NotSqlite(path.to_owned()));
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        size => u64::from(size),
    };
    if !page_size.is_power_of_two() || page_size < 512 {
        return Err(StoreError::NotSqlite(path.to_owned()));
    }
    // With a log beside it the main file may be shorter or longer than its header says
    // until SQLite replays the log: SQLite, not this check, decides (and the open then
    // checks the whole file).
    if !wal {
        let page_count = u64::from(u32::from_be_bytes([
            header[28], header[29], header[30], header[31],
        ]));
        // The in-header size is trustworthy only when the change counter matches
        // "version-valid-for" (SQLite file format, section 1.3.7).
        let size_is_valid = header[24..28] == header[92..96] && page_count > 0;
        let expected = page_size * page_count;
        if (size_is_valid && actual < expected) || actual % page_size != 0 {
            return Err(StoreError::Truncated {
                path: path.to_owned(),
                expected: expected.max(actual.next_multiple_of(page_size)),
                actual,
            });
        }
    }
    if access == Access::ReadWrite && metadata.permissions().readonly() {
        return Err(StoreError::ReadOnly(path.to_owned()));
    }
    Ok(())
}

/// After SQLite opened a file that had a log beside it: the whole file, log replayed, must
/// read back sound, or it is refused as damaged.
pub(super) fn check_recovered(conn: &Connection, path: &Path) -> Result<()> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |row| row.get(0))
        .map_err(|error| classify_open_error(path, error))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::Corrupt {
            path: path.to_owned(),
            detail: verdict,
        })
    }
}

pub(super) fn read_identity(conn: &Connection, path: &Path) -> Result<(i64, i64)> {
    let read = || -> rusqlite::Result<(i64, i64)> {
        let application_id = conn.pragma_query_value(None, "application_id", |row| row.get(0))?;
        let version = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
        // Touch the schema so that a damaged first page shows now, not mid-way.
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |row| {
            row.get::<_, i64>(0)
        })?;
        Ok((application_id, version))
    };
    read().map_err(|error| classify_open_error(path, error))
}

pub(super) fn classify_open_error(path: &Path, error: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotSqlite(path.to_owned()),
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_owned(),
            detail: error.to_string(),
        },
        Some(ErrorCode::ReadOnly)
        | Some(ErrorCode::CannotOpen)
        | Some(ErrorCode::PermissionDenied) => StoreError::ReadOnly(path.to_owned()),
        _ => StoreError::from(error),
    }
}

/// Whether this process may write the file and the folder it is in (SQLite creates its
/// `-wal` and `-shm` there).
pub(super) fn writable_in_place(path: &Path) -> bool {
    let file_ok = fs::metadata(path).is_ok_and(|m| !m.permissions().readonly());
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let folder_ok = fs::metadata(folder).is_ok_and(|m| !m.permissions().readonly());
    file_ok && folder_ok
}

/// Removes a catalogue file and the files SQLite keeps beside it; missing ones are fine.
pub(super) fn remove_with_sides(path: &Path) {
    let _ = fs::remove_file(path);
    for suffix in SIDE_SUFFIXES {
        let _ = fs::remove_file(sibling(path, suffix));
    }
}

/// A new catalogue being built beside its place, under a hidden name; it takes its place
/// only when [`Staged::finish`] is called, so a kill or a failure midway never leaves a
/// half-made catalogue where the officer expects one.
pub struct Staged {
    catalogue: Catalogue,
    staging: PathBuf,
    target: PathBuf,
    finished: bool,
    /// The secondary indexes of the bulk tables, dropped while the file is filled and made
    /// again (from this SQL) before it is finished.
    deferred_indexes: Vec<String>,
}

/// The tables a new catalogue is filled into in bulk: their secondary indexes are built
/// once over all the rows, sorted, rather than kept up to date row by row.
const BULK_TABLES: [&str; 3] = ["procedure", "procedure_legal_basis", "edit_ledger"];

/// The hidden name a new catalogue is built under: fixed for a target, so that a build
/// killed midway is cleared by the next one.
fn staging_path(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.creating"))
}

impl Staged {
    pub(super) fn begin(target: &Path) -> Result<Staged> {
        if target.exists() || fs::symlink_metadata(target).is_ok() {
            return Err(StoreError::AlreadyExists(target.to_owned()));
        }
        let staging = staging_path(target);
        // What a killed build left behind.
        remove_with_sides(&staging);
        let catalogue = Catalogue::create_at(&staging)?;
        // Nobody else opens a file being built and a killed build is thrown away, so its
        // rollback journal can live in memory: no log written and checkpointed beside the
        // data (the commit still syncs the file once). A bigger page cache for the same
        // reason: the build writes every page once.
        catalogue
            .conn
            .pragma_update(None, "journal_mode", "MEMORY")?;
        catalogue.conn.pragma_update(None, "cache_size", -65_536)?;
        let deferred_indexes = drop_bulk_indexes(&catalogue.conn)?;
        Ok(Staged {
            catalogue,
            staging,
            target: target.to_owned(),
            finished: false,
            deferred_indexes,
        })
    }

    /// Builds the indexes dropped while the catalogue was filled, in one transaction. Called
    /// by [`Staged::finish`]; before it by a caller that compacts the file last.
    pub fn build_indexes(&mut self) -> Result<()> {
        if self.deferred_indexes.is_empty() {
            return Ok(());
        }
        let tx = self.catalogue.conn.transaction()?;
        // Without its unique index the file no longer refuses a code + level twice row by
        // row (an import's plan refuses it first): say which one, as a row's write would.
        let twice: Option<(String, String)> = tx
            .query_row(
                "SELECT code, level FROM procedure WHERE retired_at IS NULL
                 GROUP BY code, level HAVING count(*) > 1 ORDER BY code, level LIMIT 1",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?;
        if let Some((code, level)) = twice {
            return Err(StoreError::DuplicateIdentity { code, level });
        }
        for sql in &self.deferred_indexes {
            tx.execute_batch(sql)?;
        }
        tx.commit()?;
        self.deferred_indexes.clear();
        Ok(())
    }

    /// The catalogue being built.
    pub fn catalogue(&mut self) -> &mut Catalogue {
        &mut self.catalogue
    }

    /// Closes the new catalogue (its log folded into the file) and moves it into place,
    /// refusing to replace a file that appeared there meanwhile. Opens it there.
    pub fn finish(mut self) -> Result<Catalogue> {
        self.build_indexes()?;
        // Closing the connection checkpoints the log into the file and removes it.
        let closed = std::mem::replace(&mut self.catalogue.conn, Connection::open_in_memory()?);
        closed
            .close()
            .map_err(|(_, error)| StoreError::from(error))?;
        let editor = self.catalogue.editor.clone();
        // A hard link fails if the target exists: no other catalogue is ever replaced.
        // Where links are not supported (some network shares), a checked rename.
        match fs::hard_link(&self.staging, &self.target) {
            Ok(()) => {
                let _ = fs::remove_file(&self.staging);
            }
            Err(_) if self.target.exists() => {
                return Err(StoreError::AlreadyExists(self.target.clone()));
            }
            Err(_) => {
                fs::rename(&self.staging, &self.target).map_err(|source| StoreError::Io {
                    path: self.target.clone(),
                    source,
                })?;
            }
        }
        self.finished = true;
        let mut catalogue = Catalogue::open(&self.target)?;
        catalogue.set_editor(editor);
        Ok(catalogue)
    }
}

/// Drops the secondary indexes of [`BULK_TABLES`] in a new, empty catalogue; returns the SQL
/// that makes them again, in the order they were made.
fn drop_bulk_indexes(conn: &Connection) -> Result<Vec<String>> {
    let tables = BULK_TABLES.map(|t| format!("'{t}'")).join(", ");
    let indexes: Vec<(String, String)> = conn
        .prepare(&format!(
            "SELECT name, sql FROM sqlite_schema
             WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({tables})
             ORDER BY rowid"
        ))?
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &indexes {
        conn.execute_batch(&format!("DROP INDEX \"{name}\""))?;
    }
    Ok(indexes.into_iter().map(|(_, sql)| sql).collect())
}

impl Drop for Staged {
    /// Not finished: the half-made catalogue goes.
    fn drop(&mut self) {
        if !self.finished {
            if let Ok(memory) = Connection::open_in_memory() {
                drop(std::mem::replace(&mut self.catalogue.conn, memory));
            }
            remove_with_sides(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staged_catalogue_appears_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new.sqlite");
        {
            let mut staged = Staged::begin(&target).unwrap();
            staged.catalogue();
            assert!(!target.exists());
            // Dropped unfinished: nothing left, neither the target nor the staging file.
        }
        assert!(!target.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        let staged = Staged::begin(&target).unwrap();
        let catalogue = staged.finish().unwrap();
        assert_eq!(catalogue.path(), target.as_path());
        drop(catalogue);
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["new.sqlite"]);
        assert!(matches!(
            Staged::begin(&target),
            Err(StoreError::AlreadyExists(_))
        ));
    }

    #[test]
    fn a_build_killed_midway_is_cleared_by_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new.sqlite");
        // What a kill leaves: the staging file, never the target.
        std::fs::write(staging_path(&target), b"half").unwrap();
        let catalogue = Staged::begin(&target).unwrap().finish().unwrap();
        drop(catalogue);
        assert!(!staging_path(&target).exists());
        assert!(Catalogue::open(&target).is_ok());
    }

    #[test]
    fn a_new_catalogue_gets_its_indexes_when_finished_and_refuses_a_code_twice() {
        use crate::domain::{Level, ProcedureData};
        use crate::store::Change;
        let entry = |code: &str| {
            Change::Create(ProcedureData {
                code: code.into(),
                name: "Cấp giấy phép xây dựng".into(),
                level: Some(Level::Province),
                ..ProcedureData::default()
            })
        };
        let indexes = |catalogue: &Catalogue| -> i64 {
            catalogue
                .conn
                .query_row(
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL",
                    [],
                    |row| row.get(0),
                )
                .unwrap()
        };
        let dir = tempfile::tempdir().unwrap();
        let made = Catalogue::create(&dir.path().join("made.sqlite")).unwrap();

        let target = dir.path().join("new.sqlite");
        let mut staged = Staged::begin(&target).unwrap();
        assert!(
            indexes(staged.catalogue()) < indexes(&made),
            "dropped while filled"
        );
        let batch = [entry("1.000001"), entry("1.000002")];
        staged.catalogue().apply_changes("two", &batch).unwrap();
        let finished = staged.finish().unwrap();
        assert_eq!(indexes(&finished), indexes(&made));

        // Without the unique index while it is filled, the same code + level twice is
        // written; finishing names it and leaves no file.
        let target = dir.path().join("twice.sqlite");
        let mut staged = Staged::begin(&target).unwrap();
        let batch = [entry("1.000001"), entry("1.000001")];
        staged.catalogue().apply_changes("twice", &batch).unwrap();
        let error = staged.finish().unwrap_err();
        assert!(
            matches!(&error, StoreError::DuplicateIdentity { code, .. } if code == "1.000001"),
            "{error}"
        );
        assert!(!target.exists());
    }
}
