//! Export: the published list (CSV or XLSX), the decision annex and a diff report, in the
//! published order. Files are written whole to a temporary sibling and then renamed, so a
//! failed export never leaves half a file, and the catalogue is only read.

mod annex;
mod csv_file;
pub mod guard;
mod report;
pub mod savings;
mod sections;
mod workbook;

use std::path::{Path, PathBuf};

pub use annex::{AnnexChange, AnnexEntry, AnnexPart, DecisionAnnex, annex_base, decision_annex};
pub use sections::{
    FieldSection, LevelSection, NO_FIELD, fee_text, field_title, group, group_procedures,
    legal_basis_text, level_title, processing_time_text, tier_text,
};

use crate::diff::{CatalogueDiff, ChangeKind, diff_catalogue};
use crate::domain::LegalDocument;
use crate::domain::government::GovernmentModel;
use crate::progress::Progress;
use crate::store::{Catalogue, EntryKey, EntryReader, Publication, StoreError, WORKING};

/// The first column of the every-field exports (CSV, the data sheet): the number within the
/// field section. Not a field: import passes over it.
pub const NUMBER_COLUMN: &str = "stt";

/// The legal documents' columns, under the headers the import's document-list reader
/// recognises: the workbook's third sheet and the CSV list's sidecar file.
pub const DOCUMENT_HEADERS: [&str; 7] = [
    "Số ký hiệu",
    "Trích yếu",
    "Ngày ban hành",
    "Ngày hiệu lực",
    "Ngày hết hiệu lực",
    "Văn bản thay thế",
    "Loại văn bản",
];

/// One document's cells under [`DOCUMENT_HEADERS`].
pub fn document_cells(document: &LegalDocument) -> [String; 7] {
    let date =
        |d: Option<crate::domain::Date>| d.map(crate::domain::format_date).unwrap_or_default();
    [
        document.number.clone(),
        document.title.clone(),
        date(document.issued_on),
        date(document.effective_on),
        date(document.repealed_on),
        document.replaced_by.clone(),
        document
            .kind
            .map(|k| k.label_vi().to_owned())
            .unwrap_or_default(),
    ]
}

/// Where a CSV list's legal documents go (a CSV holds one table): `list.csv` →
/// `list.documents.csv`, beside it. Import reads it back with the list.
pub fn documents_sidecar(list: &Path) -> PathBuf {
    let stem = list
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    list.with_file_name(format!("{stem}.documents.csv"))
}

/// The most characters an Excel cell holds.
pub const XLSX_CELL_LIMIT: usize = 32_767;

/// A value longer than an Excel cell holds: split over `cells` cells of the data sheet
/// (which import joins again), or, on a printed sheet (`cells` = 1), cut with a marker.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct LongCell {
    pub code: String,
    /// The column: a field key on the data sheet, a header on a printed sheet.
    pub column: String,
    pub chars: usize,
    pub cells: usize,
}

/// The header of a data-sheet column that goes on with a field's value: `dossier+2`.
pub fn continuation_key(field: crate::domain::ProcedureField, piece: usize) -> String {
    format!("{}+{piece}", field.key())
}

/// What can stop an export. Messages say what, where, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(
        "{}: cannot export to this kind of file. Give a path ending in .csv or .xlsx",
        .0.display()
    )]
    UnsupportedOutput(PathBuf),
    #[error(
        "{}: that is the catalogue itself. Give another file name for the export",
        .0.display()
    )]
    OutputIsCatalogue(PathBuf),
    #[error(
        "no published revision to compare \"{target}\" with. Publish the previous list first, or choose the revision to compare with (on the command line: --since NAME)"
    )]
    NoPublishedRevision { target: String },
    #[error("{}: cannot write the file: {source}. Choose another folder or file name", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot write the workbook: {detail}", path.display())]
    Xlsx { path: PathBuf, detail: String },
    #[error("the export was stopped; no file was written")]
    Cancelled,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = ExportError> = std::result::Result<T, E>;

/// The kinds of file export writes, chosen by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Csv,
    Xlsx,
}

impl OutputFormat {
    pub fn of(path: &Path) -> Result<OutputFormat> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv") => Ok(OutputFormat::Csv),
            Some("xlsx") => Ok(OutputFormat::Xlsx),
            _ => Err(ExportError::UnsupportedOutput(path.to_owned())),
        }
    }
}

/// A list as published: its procedures by level and field, and where it came from. Only the
/// entries' keys are held; each entry is read when written ([`PublishedList::reader`]).
pub struct PublishedList<'c> {
    /// `working` or the revision's name.
    pub source: String,
    pub publication: Option<Publication>,
    /// The government model of the working copy or of the revision.
    pub government: GovernmentModel,
    pub sections: Vec<LevelSection<EntryKey>>,
    pub documents: Vec<LegalDocument>,
    catalogue: &'c Catalogue,
    revision: bool,
    /// Keys and entries read from one state of the file.
    _snapshot: Option<rusqlite::Transaction<'c>>,
}

/// Entries of a list by level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ListStats {
    pub total: usize,
    pub province: usize,
    pub district: usize,
    pub commune: usize,
}

impl PublishedList<'_> {
    pub fn len(&self) -> usize {
        self.sections
            .iter()
            .flat_map(|level| &level.fields)
            .map(|field| field.entries.len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries' keys in the published order, each with its number within its field.
    pub fn keys(&self) -> impl Iterator<Item = (usize, &EntryKey)> {
        self.sections
            .iter()
            .flat_map(|level| &level.fields)
            .flat_map(|field| field.entries.iter().enumerate().map(|(i, e)| (i + 1, e)))
    }

    /// Reads the list's entries by key, one at a time.
    pub fn reader(&self) -> Result<EntryReader<'_>> {
        Ok(self.catalogue.entry_reader(self.revision)?)
    }

    pub fn stats(&self) -> ListStats {
        let mut stats = ListStats::default();
        for (_, key) in self.keys() {
            stats.total += 1;
            match key.level {
                crate::domain::Level::Province => stats.province += 1,
                crate::domain::Level::District => stats.district += 1,
                crate::domain::Level::Commune => stats.commune += 1,
            }
        }
        stats
    }
}

/// The working copy (`revision` None or `working`) or a revision, in the published order.
pub fn published_list<'c>(
    catalogue: &'c Catalogue,
    revision: Option<&str>,
) -> Result<PublishedList<'c>> {
    let snapshot = catalogue.read_snapshot()?;
    let (source, publication, government, revision) = match revision {
        None | Some(WORKING) => (WORKING.to_owned(), None, catalogue.government()?, None),
        Some(name) => {
            let revision = catalogue.revision(name)?;
            (
                revision.name.clone(),
                revision.published,
                revision.government,
                Some(name),
            )
        }
    };
    let keys = catalogue.entry_keys(revision)?;
    let mut documents = catalogue.legal_documents()?;
    documents.sort_by(|a, b| a.number.cmp(&b.number));
    Ok(PublishedList {
        source,
        publication,
        government,
        sections: group(keys, |key| {
            (key.level, key.field.as_str(), key.code.as_str())
        }),
        documents,
        catalogue,
        revision: revision.is_some(),
        _snapshot: snapshot,
    })
}

/// Which document an export wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exported {
    List,
    Annex,
    Diff,
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ExportSummary {
    pub output: PathBuf,
    pub kind: Exported,
    /// `working` or the revision exported.
    pub source: String,
    /// Procedures written (for an annex: entries of all parts).
    pub procedures: usize,
    /// For an annex: the published revision compared with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<String>,
    /// Values longer than an Excel cell holds, each split (data sheet) or cut (printed
    /// sheet): all of them, so nothing is found one export at a time.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub long_cells: Vec<LongCell>,
    /// A CSV list's legal documents (dates, repeals, replacements), written beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documents_file: Option<PathBuf>,
}

fn check_output(catalogue: &Catalogue, output: &Path) -> Result<OutputFormat> {
    let format = OutputFormat::of(output)?;
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(output, catalogue.path()) {
        return Err(ExportError::OutputIsCatalogue(output.to_owned()));
    }
    Ok(format)
}

/// What to export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportKind {
    /// The published list of the working copy (`None`) or a revision.
    List { revision: Option<String> },
    /// The decision annex of the working copy or a revision, against `since` (by default the
    /// last revision published before it).
    Annex {
        revision: Option<String>,
        since: Option<String>,
    },
    /// A report of the diff between two sides, named as `diff` names them.
    DiffReport { old: String, new: String },
}

/// Runs one export.
pub fn export(catalogue: &Catalogue, kind: &ExportKind, output: &Path) -> Result<ExportSummary> {
    export_with_progress(catalogue, kind, output, &Progress::default())
}

/// [`export`], which the officer may stop: once the document is made, the file is written
/// only if `progress` was not cancelled meanwhile, so a stopped export leaves nothing.
pub fn export_with_progress(
    catalogue: &Catalogue,
    kind: &ExportKind,
    output: &Path,
    progress: &Progress,
) -> Result<ExportSummary> {
    let write = |bytes: &[u8]| {
        if progress.is_cancelled() {
            return Err(ExportError::Cancelled);
        }
        write_whole(output, bytes)
    };
    match kind {
        ExportKind::List { revision } => {
            export_list(catalogue, revision.as_deref(), output, progress, write)
        }
        ExportKind::Annex { revision, since } => export_annex(
            catalogue,
            revision.as_deref(),
            since.as_deref(),
            output,
            write,
        ),
        ExportKind::DiffReport { old, new } => {
            let format = check_output(catalogue, output)?;
            let diff = diff_catalogue(catalogue, old, new)?;
            diff_report(&diff, old, new, format, output, write)
        }
    }
}

/// Writes the published list of the working copy or a revision.
fn export_list(
    catalogue: &Catalogue,
    revision: Option<&str>,
    output: &Path,
    progress: &Progress,
    write: impl FnOnce(&[u8]) -> Result<()>,
) -> Result<ExportSummary> {
    let format = check_output(catalogue, output)?;
    let list = published_list(catalogue, revision)?;
    let long_cells = match format {
        // Streamed to the file as rows are read: a national list is never whole in memory.
        OutputFormat::Csv => {
            write_streamed(output, progress, |file| csv_file::list(&list, file, output))?;
            Vec::new()
        }
        OutputFormat::Xlsx => {
            let (bytes, long_cells) = workbook::list(&list, output)?;
            write(&bytes)?;
            long_cells
        }
    };
    // A CSV holds one table: the documents (dates, repeals, replacements) go beside it, where
    // import looks for them.
    let documents_file = match format {
        OutputFormat::Csv => {
            let sidecar = documents_sidecar(output);
            write_whole(&sidecar, &csv_file::documents(&list.documents))?;
            Some(sidecar)
        }
        OutputFormat::Xlsx => None,
    };
    Ok(ExportSummary {
        output: output.to_owned(),
        kind: Exported::List,
        source: list.source.clone(),
        procedures: list.len(),
        base: None,
        long_cells,
        documents_file,
    })
}

/// Writes the decision annex of `revision` (or the working copy) against `since`, by default
/// the last revision published before it.
fn export_annex(
    catalogue: &Catalogue,
    revision: Option<&str>,
    since: Option<&str>,
    output: &Path,
    write: impl FnOnce(&[u8]) -> Result<()>,
) -> Result<ExportSummary> {
    let format = check_output(catalogue, output)?;
    let target = revision.unwrap_or(WORKING);
    let base = match since {
        Some(base) => base.to_owned(),
        None => annex_base(catalogue, target)?.ok_or_else(|| ExportError::NoPublishedRevision {
            target: target.to_owned(),
        })?,
    };
    let annex = decision_annex(catalogue, &base, target)?;
    let publication = match target {
        WORKING => None,
        name => catalogue.revision(name)?.published,
    };
    let (bytes, long_cells) = match format {
        OutputFormat::Csv => (csv_file::annex(&annex), Vec::new()),
        OutputFormat::Xlsx => workbook::annex(&annex, publication.as_ref(), output)?,
    };
    write(&bytes)?;
    Ok(ExportSummary {
        output: output.to_owned(),
        kind: Exported::Annex,
        source: target.to_owned(),
        procedures: AnnexPart::ALL.iter().map(|p| annex.count(*p)).sum(),
        base: Some(base),
        long_cells,
        documents_file: None,
    })
}

/// Writes a diff already computed (the command line has one to print as well).
pub fn write_diff_report(
    diff: &CatalogueDiff,
    old: &str,
    new: &str,
    format: OutputFormat,
    output: &Path,
) -> Result<ExportSummary> {
    diff_report(diff, old, new, format, output, |bytes| {
        write_whole(output, bytes)
    })
}

fn diff_report(
    diff: &CatalogueDiff,
    old: &str,
    new: &str,
    format: OutputFormat,
    output: &Path,
    write: impl FnOnce(&[u8]) -> Result<()>,
) -> Result<ExportSummary> {
    let (bytes, long_cells) = match format {
        OutputFormat::Csv => (csv_file::diff_report(diff), Vec::new()),
        OutputFormat::Xlsx => workbook::diff_report(diff, old, new, output)?,
    };
    write(&bytes)?;
    let summary = &diff.summary;
    Ok(ExportSummary {
        output: output.to_owned(),
        kind: Exported::Diff,
        source: new.to_owned(),
        procedures: ChangeKind::ALL.iter().map(|k| k.count(summary)).sum(),
        base: Some(old.to_owned()),
        long_cells,
        documents_file: None,
    })
}

/// As [`write_whole`], the content written by `fill` as it is made; stopped (`progress`
/// cancelled) or failed, the temporary sibling goes and the target is untouched.
fn write_streamed(
    output: &Path,
    progress: &Progress,
    fill: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
) -> Result<()> {
    let error = |source| ExportError::Write {
        path: output.to_owned(),
        source,
    };
    let partial = partial_path(output);
    let written = (|| {
        let file = std::fs::File::create(&partial).map_err(error)?;
        let mut buffered = std::io::BufWriter::with_capacity(1 << 20, file);
        fill(&mut buffered)?;
        let file = buffered.into_inner().map_err(|e| error(e.into_error()))?;
        file.sync_all().map_err(error)?;
        if progress.is_cancelled() {
            return Err(ExportError::Cancelled);
        }
        std::fs::rename(&partial, output).map_err(error)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// The hidden sibling an export is written to before it is renamed into place.
fn partial_path(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    output.with_file_name(format!(".{name}.partial"))
}

/// Writes to a temporary sibling, then renames it over the target: the file is either the
/// old one or the whole new one, never half written.
fn write_whole(output: &Path, bytes: &[u8]) -> Result<()> {
    let error = |source| ExportError::Write {
        path: output.to_owned(),
        source,
    };
    let partial = partial_path(output);
    std::fs::write(&partial, bytes).map_err(error)?;
    std::fs::rename(&partial, output).map_err(|source| {
        let _ = std::fs::remove_file(&partial);
        error(source)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_export_stopped_or_failed_leaves_the_target_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("list.csv");
        std::fs::write(&output, "before").unwrap();
        let stopped = Progress::default();
        stopped.cancel();
        let result = write_streamed(&output, &stopped, |out| {
            out.write_all(b"new rows")
                .map_err(|source| ExportError::Write {
                    path: output.clone(),
                    source,
                })
        });
        assert!(matches!(result, Err(ExportError::Cancelled)));
        let failed = write_streamed(&output, &Progress::default(), |_| {
            Err(ExportError::Cancelled)
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "before");
        assert!(!partial_path(&output).exists());
        write_streamed(&output, &Progress::default(), |out| {
            out.write_all(b"new rows")
                .map_err(|source| ExportError::Write {
                    path: output.clone(),
                    source,
                })
        })
        .unwrap();
        assert_eq!(std::fs::read_to_string(&output).unwrap(), "new rows");
    }
}
