//! `documents`: the legal documents the catalogue cites, recording a repeal, and re-citing
//! every procedure from an old document to its replacement.

use std::fmt::Write as _;

use anyhow::Result;
use clap::Subcommand;

use procedure_catalogue::audit;
use procedure_catalogue::domain::{Date, DocumentStatus, format_date};
use procedure_catalogue::store::{Catalogue, CitedDocument};

use super::{CatalogueArg, parse_iso_date};

#[derive(Subcommand, Debug)]
pub enum DocumentsCommand {
    /// Every document, by number: kind, status, title and the procedures citing it
    List {
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Only documents repealed (or to be) by today
        #[arg(long)]
        repealed: bool,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Record that a document was repealed, and by which; the audit then flags every
    /// procedure citing it
    Repeal {
        /// The document's number, as `documents list` prints it
        number: String,
        /// The day it stops being in force, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_iso_date)]
        date: Date,
        /// The number of the document that replaces it
        #[arg(long, value_name = "NUMBER", default_value = "")]
        replaced_by: String,
        #[command(flatten)]
        catalogue: CatalogueArg,
    },
    /// Every procedure citing OLD cites NEW instead: one batch, undone by Undo in the window
    Recite {
        old: String,
        new: String,
        #[command(flatten)]
        catalogue: CatalogueArg,
    },
}

pub fn run(command: DocumentsCommand) -> Result<String> {
    match command {
        DocumentsCommand::List {
            catalogue,
            repealed,
            json,
        } => list(&catalogue.catalogue, repealed, json),
        DocumentsCommand::Repeal {
            number,
            date,
            replaced_by,
            catalogue,
        } => {
            let mut catalogue = Catalogue::open(&catalogue.catalogue)?;
            let document = catalogue.record_repeal(&number, date, &replaced_by)?;
            let citing = catalogue
                .cited_documents()?
                .into_iter()
                .find(|d| d.document.number == document.number)
                .map_or(0, |d| d.citing.len());
            let mut out = format!(
                "recorded: {} repealed from {}",
                document.number,
                format_date(date)
            );
            if !document.replaced_by.is_empty() {
                let _ = write!(out, ", replaced by {}", document.replaced_by);
            }
            let _ = writeln!(out, "; {citing} procedures cite it (see `audit`)");
            if citing > 0 && !document.replaced_by.is_empty() {
                let _ = writeln!(
                    out,
                    "to cite the replacement in all of them: documents recite \"{}\" \"{}\"",
                    document.number, document.replaced_by
                );
            }
            Ok(out)
        }
        DocumentsCommand::Recite {
            old,
            new,
            catalogue,
        } => {
            let mut catalogue = Catalogue::open(&catalogue.catalogue)?;
            let applied = catalogue.recite(&old, &new)?;
            Ok(format!(
                "{} procedures now cite {} instead of {} (one batch; Undo in the window reverses it)\n",
                applied.procedure_ids.len(),
                new.trim(),
                old.trim()
            ))
        }
    }
}

fn list(path: &std::path::Path, repealed_only: bool, json: bool) -> Result<String> {
    let catalogue = Catalogue::open_read_only(path)?;
    let today = audit::today();
    let documents: Vec<CitedDocument> = catalogue
        .cited_documents()?
        .into_iter()
        .filter(|d| !repealed_only || d.document.repealed_on.is_some())
        .collect();
    if json {
        let list: Vec<serde_json::Value> = documents
            .iter()
            .map(|cited| {
                let d = &cited.document;
                serde_json::json!({
                    "number": d.number,
                    "kind": d.kind.map(|k| k.key()),
                    "title": d.title,
                    "issued_on": d.issued_on.map(format_date),
                    "effective_on": d.effective_on.map(format_date),
                    "repealed_on": d.repealed_on.map(format_date),
                    "replaced_by": d.replaced_by,
                    "status": d.status(today).key(),
                    "citing": cited.citing.iter().map(|c| serde_json::json!({
                        "code": c.code,
                        "level": c.level.key(),
                        "name": c.name,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        return Ok(serde_json::to_string_pretty(&serde_json::json!({ "documents": list }))? + "\n");
    }
    if documents.is_empty() {
        return Ok(format!(
            "{}: no legal documents{}\n",
            path.display(),
            if repealed_only {
                " recorded as repealed"
            } else {
                ""
            }
        ));
    }
    let mut out = String::new();
    for cited in &documents {
        let d = &cited.document;
        let status = match d.status(today) {
            DocumentStatus::InForce => "in force".to_owned(),
            DocumentStatus::RepealedFrom(on) => format!("repealed from {}", format_date(on)),
            DocumentStatus::Repealed(on) => format!("repealed {}", format_date(on)),
        };
        let by = if d.replaced_by.is_empty() {
            String::new()
        } else {
            format!(" by {}", d.replaced_by)
        };
        let _ = writeln!(
            out,
            "{:<28} {:<12} {status}{by}  cited by {}  {}",
            d.number,
            d.kind.map_or("", |k| k.key()),
            cited.citing.len(),
            d.title
        );
    }
    let _ = writeln!(out, "{} documents", documents.len());
    Ok(out)
}
