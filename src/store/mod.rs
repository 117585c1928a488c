//! The catalogue file: a SQLite database with this application's id, opened only
//! after its header and schema are checked, so a wrong file is refused with its
//! bytes untouched.

mod documents;
mod ledger;
mod procedures;
mod revisions;
mod schema;
mod sides;
mod undo;
mod upgrade;
mod verdicts;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

pub use documents::{CitedDocument, Citing};
pub use ledger::{AppliedBatch, BatchKind, Change, LedgerAction, LedgerEntry};
pub use procedures::{CatalogueStats, ProcedureSummary, validate};
pub use revisions::{Publication, Revision, WORKING};
pub use schema::{APPLICATION_ID, LATEST_SCHEMA_VERSION};
pub use sides::{SideDifference, SideSource};
pub use undo::WrittenBatch;
pub use verdicts::{MergeRequest, Verdict, VerdictKind};

/// What can go wrong with a catalogue file. Each message says what, where, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{}: no such catalogue file. Check the path, or create one with `import FILE --create --catalogue PATH`",
        .0.display()
    )]
    NotFound(PathBuf),
    #[error("{}: already exists. Choose another path, or open the existing catalogue", .0.display())]
    AlreadyExists(PathBuf),
    #[error("{}: is a folder, not a catalogue file. Give the path of a .sqlite file", .0.display())]
    IsDirectory(PathBuf),
    #[error("{}: the file is empty (0 bytes), not a catalogue. Open a catalogue file, or create one with `import --create`", .0.display())]
    Empty(PathBuf),
    #[error("{}: not a SQLite database, so not a catalogue. Open a .sqlite file made by procedure-catalogue", .0.display())]
    NotSqlite(PathBuf),
    #[error(
        "{}: the file is truncated ({actual} bytes, its header says {expected}). Restore it from a backup or copy it again",
        path.display()
    )]
    Truncated {
        path: PathBuf,
        expected: u64,
        actual: u64,
    },
    #[error("{}: the database is damaged ({detail}). Restore it from a backup", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{}: a SQLite database of another application, not a procedure catalogue. Open a catalogue file, or import a list with `import FILE --create`",
        .0.display()
    )]
    ForeignDatabase(PathBuf),
    #[error(
        "{}: made by a newer version of procedure-catalogue (schema {found}, this build knows up to {supported}). Update the application",
        path.display()
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{}: schema {found} is older than this build's {supported} and the file is opened read-only. Open it once with write access to upgrade it",
        path.display()
    )]
    OlderSchemaReadOnly {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error("{}: the file is read-only. Make it writable, or copy it somewhere writable, to change it", .0.display())]
    ReadOnly(PathBuf),
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("procedure {code} ({level}): {problem}")]
    Invalid {
        code: String,
        level: String,
        problem: EntryProblem,
    },
    #[error("no procedure with id {0} in the catalogue")]
    NotFoundProcedure(i64),
    #[error("{code} at {level} level is already in the working copy. Edit that entry instead")]
    DuplicateIdentity { code: String, level: String },
    #[error("no revision named \"{name}\" in {}. List them with `revision list`", path.display())]
    RevisionNotFound { name: String, path: PathBuf },
    #[error("a revision named \"{0}\" exists already. Choose another name")]
    RevisionExists(String),
    #[error(
        "\"{0}\" cannot name a revision: give a name that is not empty and not \"working\" (and a decision number to publish)"
    )]
    RevisionName(String),
    #[error(
        "revision \"{name}\" was published by decision {decision} of {date} and is frozen. Create a new revision to change it"
    )]
    AlreadyPublished {
        name: String,
        decision: String,
        date: String,
    },
    #[error("no legal document numbered \"{0}\" in the catalogue. List them with `documents list`")]
    DocumentNotFound(String),
    #[error(
        "\"{0}\": give the number of the document that replaces it (not empty, not the same number)"
    )]
    ReplacementNeeded(String),
    #[error("a \"{0}\" verdict needs a reason: say why in the note")]
    VerdictNeedsNote(&'static str),
    #[error("entry {0} is not in the working copy (retired or never there). Run the audit again")]
    NotInWorkingCopy(i64),
    #[error("{}: upgrading the schema failed: {detail}", path.display())]
    Migration { path: PathBuf, detail: String },
    #[error("stopped before it was written; the catalogue is unchanged")]
    Cancelled,
    #[error("catalogue database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// Why an entry cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    #[error("the code is empty; give the code (mã TTHC)")]
    NoCode,
    #[error("the name is empty; give the name (tên TTHC)")]
    NoName,
    #[error("no level; choose province, district or commune")]
    NoLevel,
    #[error("the entry was retired from the working copy and cannot be edited")]
    Retired,
    #[error("{0}")]
    Field(crate::domain::FieldError),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Whether the catalogue is opened to change it or only to read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
}

/// An open catalogue file.
pub struct Catalogue {
    conn: Connection,
    path: PathBuf,
    access: Access,
    /// Who the edit ledger names: the OS user, or `PROCEDURE_CATALOGUE_USER`.
    editor: String,
}

impl std::fmt::Debug for Catalogue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalogue")
            .field("path", &self.path)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

/// The editor recorded in the ledger: `PROCEDURE_CATALOGUE_USER` if set, else the OS user.
pub fn default_editor() -> String {
    std::env::var("PROCEDURE_CATALOGUE_USER")
        .ok()
        .filter(|name| !name.trim().is_empty())
        .or_else(|| whoami::username().ok())
        .unwrap_or_else(|| "unknown".to_owned())
}

impl Catalogue {
    /// Creates a new, empty catalogue file. Refuses to touch an existing file.
    pub fn create(path: &Path) -> Result<Catalogue> {
        if path.exists() {
            return Err(StoreError::AlreadyExists(path.to_owned()));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|error| StoreError::Io {
            path: path.to_owned(),
            source: std::io::Error::other(error.to_string()),
        })?;
        Self::prepare(conn, path, Access::ReadWrite)
    }

    /// Opens an existing catalogue to read and change it, upgrading its schema if older.
    pub fn open(path: &Path) -> Result<Catalogue> {
        Self::open_with(path, Access::ReadWrite)
    }

    /// Opens an existing catalogue without ever writing to it.
    pub fn open_read_only(path: &Path) -> Result<Catalogue> {
        Self::open_with(path, Access::ReadOnly)
    }

    pub fn open_with(path: &Path, access: Access) -> Result<Catalogue> {
        check_file(path, access)?;
        // Inspect through a read-only connection first: a foreign or newer file is refused
        // before anything could write to it.
        let inspect = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|error| classify_open_error(path, error))?;
        let (application_id, version) = read_identity(&inspect, path)?;
        if application_id != APPLICATION_ID {
            return Err(StoreError::ForeignDatabase(path.to_owned()));
        }
        if version > LATEST_SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                path: path.to_owned(),
                found: version,
                supported: LATEST_SCHEMA_VERSION,
            });
        }
        match access {
            Access::ReadOnly => {
                if version < LATEST_SCHEMA_VERSION {
                    return Err(StoreError::OlderSchemaReadOnly {
                        path: path.to_owned(),
                        found: version,
                        supported: LATEST_SCHEMA_VERSION,
                    });
                }
                Self::prepare(inspect, path, access)
            }
            Access::ReadWrite => {
                drop(inspect);
                let conn = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(|error| classify_open_error(path, error))?;
                Self::prepare(conn, path, access)
            }
        }
    }

    /// Pragmas on every open, then migrations (outside them: pragmas are per connection).
    fn prepare(mut conn: Connection, path: &Path, access: Access) -> Result<Catalogue> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", true)?;
        match access {
            Access::ReadWrite => {
                conn.pragma_update(None, "journal_mode", "WAL")
                    .map_err(|error| classify_open_error(path, error))?;
                conn.pragma_update(None, "synchronous", "NORMAL")?;
                schema::migrate(&mut conn).map_err(|detail| StoreError::Migration {
                    path: path.to_owned(),
                    detail,
                })?;
            }
            Access::ReadOnly => conn.pragma_update(None, "query_only", true)?,
        }
        Ok(Catalogue {
            conn,
            path: path.to_owned(),
            access,
            editor: default_editor(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn access(&self) -> Access {
        self.access
    }

    pub fn editor(&self) -> &str {
        &self.editor
    }

    /// Names the person the ledger records for the following changes.
    pub fn set_editor(&mut self, editor: impl Into<String>) {
        self.editor = editor.into();
    }

    /// The connection, for read queries of sibling modules and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

/// Checks what can be checked without SQLite: existence, size, magic, truncation, permissions.
fn check_file(path: &Path, access: Access) -> Result<()> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::NotFound(path.to_owned()));
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
    let actual = metadata.len();
    if actual == 0 {
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
    let page_count = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // The in-header size is trustworthy only when the change counter matches
    // "version-valid-for" (SQLite file format, section 1.3.7).
    let size_is_valid = header[24..28] == header[92..96] && page_count > 0;
    let expected = page_size * page_count;
    if !page_size.is_power_of_two() || page_size < 512 {
        return Err(StoreError::NotSqlite(path.to_owned()));
    }
    if (size_is_valid && actual < expected) || actual % page_size != 0 {
        return Err(StoreError::Truncated {
            path: path.to_owned(),
            expected: expected.max(actual.next_multiple_of(page_size)),
            actual,
        });
    }
    if access == Access::ReadWrite && metadata.permissions().readonly() {
        return Err(StoreError::ReadOnly(path.to_owned()));
    }
    Ok(())
}

fn read_identity(conn: &Connection, path: &Path) -> Result<(i64, i64)> {
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

fn classify_open_error(path: &Path, error: rusqlite::Error) -> StoreError {
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
        _ => StoreError::Sqlite(error),
    }
}

/// Now, as the ledger records it: RFC 3339 in UTC, to the second.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_then_open_gives_the_latest_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.sqlite");
        drop(Catalogue::create(&path).unwrap());
        let catalogue = Catalogue::open(&path).unwrap();
        let version: i64 = catalogue
            .connection()
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .unwrap();
        assert_eq!(version, LATEST_SCHEMA_VERSION);
        assert!(matches!(
            Catalogue::create(&path),
            Err(StoreError::AlreadyExists(_))
        ));
    }

    #[test]
    fn a_missing_file_is_not_created_by_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing.sqlite");
        assert!(matches!(
            Catalogue::open(&path),
            Err(StoreError::NotFound(_))
        ));
        assert!(!path.exists());
    }
}
