//! The catalogue file: a SQLite database with this application's id, opened only
//! after its header and schema are checked, so a wrong file is refused with its
//! bytes untouched.

mod bulk;
mod changes;
mod documents;
mod file;
mod ledger;
mod measures;
mod procedures;
mod revisions;
mod schema;
mod seals;
mod settings;
mod sides;
mod stream;
mod undo;
mod upgrade;
mod verdicts;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use file::{check_file, classify_open_error, read_identity};

pub use bulk::Arrival;
pub use changes::BatchNote;
pub use documents::{CitedDocument, Citing};
pub use file::Staged;
pub use ledger::{AppliedBatch, BatchKind, Change, Conflict, LedgerAction, LedgerEntry};
pub use measures::{MeasureRow, MeasureRows, TextTable};
pub use procedures::{CatalogueStats, ProcedureSummary, validate};
pub use revisions::{Publication, Revision, WORKING};
pub use schema::{APPLICATION_ID, LATEST_SCHEMA_VERSION};
pub use seals::SealState;
pub use settings::{CATALOGUE_NAME, GOVERNMENT};
pub use sides::{SideDifference, SideSource};
pub use stream::{AuditEntries, AuditKey, EntryKey, EntryReader};
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
        "{}: the file is truncated ({actual} bytes, its header says {expected}) and no -wal file stands beside it. If the file was copied, copy it again together with its -wal file if there is one; otherwise restore it from a backup",
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
        "revision \"{name}\" was published by {by} by decision {decision} of {date} and is frozen. Create a new revision to change it"
    )]
    AlreadyPublished {
        name: String,
        decision: String,
        date: String,
        by: String,
    },
    #[error("no legal document numbered \"{0}\" in the catalogue. List them with `documents list`")]
    DocumentNotFound(String),
    #[error(
        "\"{0}\": give the number of the document that replaces it (not empty, not the same number)"
    )]
    ReplacementNeeded(String),
    #[error("{}", conflicts_message(.0))]
    Conflicts(Vec<Conflict>),
    #[error(
        "revision \"{0}\": seal broken — this published revision was changed outside the application, so what it holds cannot be trusted. Restore the catalogue from a backup; `verify` lists every revision's seal"
    )]
    SealBroken(String),
    #[error("a \"{0}\" verdict needs a reason: say why in the note")]
    VerdictNeedsNote(&'static str),
    #[error("entry {0} is not in the working copy (retired or never there). Run the audit again")]
    NotInWorkingCopy(i64),
    #[error("{}: upgrading the schema failed: {detail}", path.display())]
    Migration { path: PathBuf, detail: String },
    #[error("stopped before it was written; the catalogue is unchanged")]
    Cancelled,
    #[error(
        "another program is writing to the catalogue (another window, an import on the command line); waited {waited_secs} s. Try again when it has finished"
    )]
    Busy { waited_secs: u64 },
    #[error(
        "{}: not a regular file (a device, a pipe or a broken link). Give the path of a .sqlite file",
        .0.display()
    )]
    NotAFile(PathBuf),
    #[error("catalogue database error: {0}")]
    Sqlite(rusqlite::Error),
}

fn conflicts_message(conflicts: &[Conflict]) -> String {
    const SHOWN: usize = 10;
    let mut message = format!(
        "{} change(s) collide with what another program wrote since this was read, so nothing was written. Read the catalogue again and redo the change:",
        conflicts.len()
    );
    for conflict in conflicts.iter().take(SHOWN) {
        match conflict.field {
            Some(field) => message.push_str(&format!(
                "\n  {} ({}) {}: now \"{}\", yours \"{}\"",
                conflict.code,
                conflict.level,
                field.key(),
                conflict.theirs,
                conflict.mine
            )),
            None => message.push_str(&format!(
                "\n  {} ({}): retired meanwhile",
                conflict.code, conflict.level
            )),
        }
    }
    if conflicts.len() > SHOWN {
        message.push_str(&format!("\n  … and {} more", conflicts.len() - SHOWN));
    }
    message
}

impl From<rusqlite::Error> for StoreError {
    /// A file locked by another writer past the wait is its own error, with its own advice.
    fn from(error: rusqlite::Error) -> StoreError {
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                StoreError::Busy {
                    waited_secs: WRITE_WAIT.as_secs(),
                }
            }
            _ => StoreError::Sqlite(error),
        }
    }
}

/// How long a write waits for another program's write to end before it gives up.
pub const WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// How much of the file a read-only connection (a job's, opened for it and closed after)
/// may read through a memory map instead of copying each page in: a national publication
/// is read whole (its seal, its savings) and the copies were a third of that time. SQLite
/// caps it at its own maximum. The window's own connection does not map: its memory stays
/// what the officer's task manager says it is. Nothing here shrinks a file (no VACUUM), which
/// Windows would refuse while another connection maps it.
const MEMORY_MAP_BYTES: i64 = 1 << 31;

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
    /// How long a write waits for another writer; said in the busy message.
    write_wait: std::time::Duration,
    /// The time revisions record instead of the clock's: the generator's, for identical
    /// bytes from the same configuration.
    fixed_time: Option<String>,
    /// Publications found intact by this connection: (revision id, seal, the data version
    /// then). Checked again once another connection commits; this one cannot change them.
    intact_seals: std::cell::RefCell<Vec<(i64, String, i64)>>,
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
    /// Creates a new, empty catalogue file, built beside its place and moved there whole.
    /// Refuses to touch an existing file.
    pub fn create(path: &Path) -> Result<Catalogue> {
        Staged::begin(path)?.finish()
    }

    /// Starts a new catalogue that takes its place at `path` only when finished: for a
    /// catalogue filled before anyone may see it (generated, or created by an import).
    pub fn create_staged(path: &Path) -> Result<Staged> {
        Staged::begin(path)
    }

    /// Creates the database file itself, at once (the staging file of [`Staged`]).
    fn create_at(path: &Path) -> Result<Catalogue> {
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
        // A log beside the file is part of it: SQLite replays it on open, and the whole
        // file is then checked before it is used.
        let recovering = file::has_wal(path);
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
        if access == Access::ReadOnly && version < LATEST_SCHEMA_VERSION {
            return Err(StoreError::OlderSchemaReadOnly {
                path: path.to_owned(),
                found: version,
                supported: LATEST_SCHEMA_VERSION,
            });
        }
        // Reading only, yet through a connection that could write where the file and its
        // folder allow it (and `query_only` forbids it): closing it then folds the log back
        // and leaves no `-wal`/`-shm` behind.
        let conn = if access == Access::ReadOnly && !file::writable_in_place(path) {
            inspect
        } else {
            drop(inspect);
            Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|error| classify_open_error(path, error))?
        };
        let catalogue = Self::prepare(conn, path, access)?;
        if recovering {
            file::check_recovered(&catalogue.conn, path)?;
        }
        Ok(catalogue)
    }

    /// Pragmas on every open, then migrations (outside them: pragmas are per connection).
    fn prepare(mut conn: Connection, path: &Path, access: Access) -> Result<Catalogue> {
        conn.busy_timeout(WRITE_WAIT)?;
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
                // A freeze trigger dropped outside the application comes back.
                conn.execute_batch(seals::FREEZE_TRIGGERS)?;
                conn.execute_batch(seals::FREEZE_SETTING_TRIGGERS)?;
            }
            Access::ReadOnly => {
                conn.pragma_update(None, "query_only", true)?;
                conn.pragma_update(None, "mmap_size", MEMORY_MAP_BYTES)?;
            }
        }
        Ok(Catalogue {
            conn,
            path: path.to_owned(),
            access,
            editor: default_editor(),
            write_wait: WRITE_WAIT,
            fixed_time: None,
            intact_seals: Default::default(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every write starts here: refused on a read-only catalogue, and taking the write lock
    /// at once (`BEGIN IMMEDIATE`), so that a writer waits for another one to finish (up to
    /// [`WRITE_WAIT`]) instead of failing half-way when it first writes.
    pub(crate) fn begin_write(&mut self) -> Result<rusqlite::Transaction<'_>> {
        if self.access == Access::ReadOnly {
            return Err(StoreError::ReadOnly(self.path.clone()));
        }
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    /// Waits until no other program holds the write lock, telling `progress` it waits (the
    /// window shows it, and may cancel); gives up after three times [`WRITE_WAIT`].
    pub fn wait_for_writers(&mut self, progress: &crate::progress::Progress) -> Result<()> {
        use rusqlite::ErrorCode;
        let started = std::time::Instant::now();
        let limit = WRITE_WAIT * 3;
        self.conn.busy_timeout(std::time::Duration::ZERO)?;
        let result = loop {
            match self.conn.execute_batch("BEGIN IMMEDIATE; ROLLBACK;") {
                Ok(()) => break Ok(()),
                Err(error)
                    if matches!(
                        error.sqlite_error_code(),
                        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
                    ) =>
                {
                    if progress.phase() != crate::progress::Phase::WaitingForWriter {
                        progress.begin(crate::progress::Phase::WaitingForWriter, 0);
                    }
                    if progress.is_cancelled() {
                        break Err(StoreError::Cancelled);
                    }
                    if started.elapsed() > limit {
                        break Err(StoreError::Busy {
                            waited_secs: limit.as_secs(),
                        });
                    }
                    std::thread::sleep(std::time::Duration::from_millis(100));
                }
                Err(error) => break Err(StoreError::from(error)),
            }
        };
        self.conn.busy_timeout(self.write_wait)?;
        result
    }

    /// How long this connection waits for another program's write (the window waits less on
    /// its own thread, so that it keeps drawing).
    pub fn set_write_wait(&mut self, wait: std::time::Duration) -> Result<()> {
        self.conn.busy_timeout(wait)?;
        self.write_wait = wait;
        Ok(())
    }

    pub fn access(&self) -> Access {
        self.access
    }

    pub fn editor(&self) -> &str {
        &self.editor
    }

    /// Names the person the ledger records for the following changes.
    /// Makes revisions record `at` instead of the clock (the generator's fixed history).
    pub fn set_fixed_time(&mut self, at: Option<&str>) {
        self.fixed_time = at.map(str::to_owned);
    }

    /// The time a revision records: the clock's, unless fixed.
    pub(crate) fn now(&self) -> String {
        self.fixed_time.clone().unwrap_or_else(now_rfc3339)
    }

    pub fn set_editor(&mut self, editor: impl Into<String>) {
        self.editor = editor.into();
    }

    /// The connection, for read queries of sibling modules and tests.
    pub fn connection(&self) -> &Connection {
        &self.conn
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
