//! The other province's catalogue as a merge reads it: a catalogue file (its working copy),
//! or its published list (`.xlsx`, `.csv`), read by the import into a scratch catalogue so
//! that levels, values as written and legal documents read exactly as an import reads them.
//! The other file is only read, never changed.

use std::path::{Path, PathBuf};

use super::MergeError;
use crate::domain::{LegalDocument, ProcedureData};
use crate::import::{ImportOptions, import_into_new};
use crate::progress::Progress;
use crate::store::{Access, Catalogue, StoreError};

/// Where entries come from, as provenance names it: "Bắc Kạn (bản làm việc)".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The catalogue (province) name.
    pub name: String,
    /// Which state of it: "bản làm việc", a revision, a list's file name.
    pub revision: String,
}

impl Source {
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.revision)
    }

    /// This catalogue's working copy.
    pub fn of_catalogue(catalogue: &Catalogue) -> Result<Source, StoreError> {
        Ok(Source {
            name: catalogue.name()?,
            revision: WORKING_COPY.to_owned(),
        })
    }
}

/// How provenance names a working copy.
pub const WORKING_COPY: &str = "bản làm việc";

/// The other catalogue's entries and legal documents.
#[derive(Clone, Debug, PartialEq)]
pub struct OtherCatalogue {
    pub path: PathBuf,
    pub source: Source,
    pub entries: Vec<ProcedureData>,
    pub documents: Vec<LegalDocument>,
    /// Rows of a list that are not procedures of a local level, left out.
    pub left_out: usize,
}

/// Reads the other catalogue: a `.sqlite` file's working copy or one of its revisions
/// (`revision`; a published one is named by its decision too), or a list.
pub fn read_other(
    path: &Path,
    revision: Option<&str>,
    progress: &Progress,
) -> Result<OtherCatalogue, MergeError> {
    let is_catalogue = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "sqlite" | "db" | "sqlite3"));
    if is_catalogue {
        read_catalogue(path, revision.filter(|r| !r.trim().is_empty()))
    } else {
        read_list(path, progress)
    }
}

fn read_catalogue(path: &Path, revision: Option<&str>) -> Result<OtherCatalogue, MergeError> {
    let read = |catalogue: &Catalogue| -> Result<OtherCatalogue, MergeError> {
        let (label, procedures) = match revision {
            None => (WORKING_COPY.to_owned(), catalogue.procedures()?),
            Some(name) => {
                let revision = catalogue.revision(name.trim())?;
                let label = match &revision.published {
                    Some(publication) => format!("{}, {}", revision.name, publication.decision),
                    None => revision.name.clone(),
                };
                (label, catalogue.revision_procedures(&revision.name)?)
            }
        };
        Ok(OtherCatalogue {
            path: path.to_owned(),
            source: Source {
                name: catalogue.name()?,
                revision: label,
            },
            entries: procedures.into_iter().map(|p| p.data).collect(),
            documents: catalogue.legal_documents()?,
            left_out: 0,
        })
    };
    match Catalogue::open_with(path, Access::ReadOnly) {
        Ok(catalogue) => read(&catalogue),
        // A file of an older version is read from an upgraded copy: the other province's
        // file stays as it is.
        Err(StoreError::OlderSchemaReadOnly { .. }) => {
            let scratch = scratch_dir(path)?;
            let copy = scratch.path().join(path.file_name().unwrap_or_default());
            std::fs::copy(path, &copy).map_err(|source| {
                MergeError::Store(StoreError::Io {
                    path: path.to_owned(),
                    source,
                })
            })?;
            // The copy keeps the file's name, which names the catalogue unless it says.
            let catalogue = Catalogue::open(&copy)?;
            read(&catalogue)
        }
        Err(error) => Err(error.into()),
    }
}

fn read_list(path: &Path, progress: &Progress) -> Result<OtherCatalogue, MergeError> {
    let scratch = scratch_dir(path)?;
    let mut catalogue = Catalogue::create(&scratch.path().join("other.sqlite"))?;
    // What cannot be a local procedure is left out and counted, as an import would say.
    let options = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let (plan, _) = import_into_new(&mut catalogue, &[path.to_owned()], &options, progress)?;
    let left_out = plan.rejected.len() + plan.skipped.len() + plan.level_unknown.len();
    Ok(OtherCatalogue {
        path: path.to_owned(),
        source: Source {
            name: stem(path),
            revision: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        },
        entries: catalogue
            .procedures()?
            .into_iter()
            .map(|p| p.data)
            .collect(),
        documents: catalogue.legal_documents()?,
        left_out,
    })
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A scratch folder in the system's temporary folder, removed when dropped.
fn scratch_dir(path: &Path) -> Result<tempfile::TempDir, MergeError> {
    tempfile::tempdir().map_err(|source| {
        MergeError::Store(StoreError::Io {
            path: path.to_owned(),
            source,
        })
    })
}
