//! The headless jobs: the same core the window uses, for scripting and tests.
//! Each job returns its output; `main` prints it, or the one error message.

mod documents;
mod importing;
mod merging;
mod restructure;
mod review;
mod revisions;
mod simplifying;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};

use procedure_catalogue::audit;
use procedure_catalogue::domain::government::GovernmentModel;
use procedure_catalogue::domain::{Level, Tier};
use procedure_catalogue::export::{self, ExportKind, ExportSummary, Exported};
use procedure_catalogue::generator::{self, GeneratorConfig};
use procedure_catalogue::import::{self, ImportOptions, OtherLevel};
use procedure_catalogue::store::{Catalogue, CatalogueStats, VerdictKind};

pub const DEFAULT_CATALOGUE: &str = "catalogue.sqlite";

#[derive(Parser, Debug)]
#[command(
    name = "procedure-catalogue",
    version,
    about = "Audit and simplify a province's catalogue of administrative procedures (Bộ thủ tục hành chính)",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Catalogue to open in the window (default ./catalogue.sqlite)
    pub path: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone)]
pub struct CatalogueArg {
    /// The catalogue file
    #[arg(long, value_name = "PATH", default_value = DEFAULT_CATALOGUE)]
    pub catalogue: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Counts of the working copy (or a revision) by level, tier and status
    Stats {
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Count a revision instead of the working copy
        #[arg(long, value_name = "NAME")]
        revision: Option<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Import procedure lists (.csv or .xlsx) into the working copy, in one transaction
    Import {
        /// The lists to import
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Create a new catalogue file
        #[arg(long)]
        create: bool,
        /// Make the working copy exactly the imported set (what is missing is retired, not erased)
        #[arg(long)]
        replace: bool,
        /// Level of every row of a file without a level column: province, district, commune (tinh, huyen, xa)
        #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
        level: Option<Level>,
        /// Import the valid rows even when some rows are rejected (or do not say their level)
        #[arg(long)]
        skip_invalid: bool,
        /// File central procedures (Cấp bộ, a ministry's agency) at this level instead of
        /// leaving them out
        #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
        central_level: Option<Level>,
        /// File procedures of other bodies (Cơ quan khác) at this level instead of leaving
        /// them out
        #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
        other_level_as: Option<Level>,
        /// The level of rows that do not say theirs (no level column, no agency that tells)
        #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
        unknown_level: Option<Level>,
        /// A row whose code the catalogue holds at another level: add a second entry, move
        /// the existing one, or skip the row (default: skip it and say so)
        #[arg(long, value_name = "add|move|skip", value_parser = parse_other_level)]
        other_level: Option<OtherLevel>,
        /// An empty cell clears the stored value (by default it leaves it as it is)
        #[arg(long)]
        clear_empty: bool,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Find duplicate, similar, obsolete and incomplete procedures of the working copy
    Audit {
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Judge expiry and repeal as of this date (default: today)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_iso_date)]
        as_of: Option<procedure_catalogue::domain::Date>,
        /// Also list findings a reviewer dismissed or kept
        #[arg(long)]
        all: bool,
        /// Audit a revision instead of the working copy
        #[arg(long, value_name = "NAME")]
        revision: Option<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Record a reviewer's verdict on audit findings: `verdict ID [ID…] VERDICT`; an ID may be
    /// `rule:RULE` or `kind:KIND` for every listed finding of a rule or kind, in one transaction
    Verdict {
        /// The findings' ids as `audit` prints them (or rule:RULE, kind:KIND), then the
        /// verdict: dismissed (not a problem), confirmed, keep (needs --note),
        /// propose_abolition, reopened
        #[arg(required = true, num_args = 2.., value_name = "ID… VERDICT")]
        args: Vec<String>,
        /// Why
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        catalogue: CatalogueArg,
    },
    /// Revisions: named snapshots of the working copy
    #[command(subcommand)]
    Revision(RevisionCommand),
    /// Legal documents the catalogue cites: list them, record a repeal, re-cite old → new
    #[command(subcommand)]
    Documents(documents::DocumentsCommand),
    /// Compare two of: a revision, `working` (the working copy), another catalogue file.
    /// `diff A.sqlite B.sqlite` compares the working copies of two files
    Diff {
        /// The older side
        old: String,
        /// The newer side
        new: String,
        /// The catalogue whose revisions are named (default ./catalogue.sqlite, or the OLD
        /// file when both sides are catalogue files)
        #[arg(long, value_name = "PATH")]
        catalogue: Option<PathBuf>,
        /// Print JSON
        #[arg(long)]
        json: bool,
        /// Also write the diff as a report (.xlsx, or .csv): one row per change, old → new
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Export the published list, or with --annex a decision's annex (.csv or .xlsx)
    Export {
        /// The file to write; .xlsx or .csv
        #[arg(long, value_name = "FILE")]
        output: PathBuf,
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Export a revision instead of the working copy
        #[arg(long, value_name = "NAME")]
        revision: Option<String>,
        /// Write the decision annex: what is new, amended, replaced and abolished since the
        /// last published revision
        #[arg(long)]
        annex: bool,
        /// With --annex: the revision to compare with (default: the last published one)
        #[arg(long, value_name = "NAME", requires = "annex")]
        since: Option<String>,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Check every published revision's seal; exit status 1 if one is broken
    Verify {
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Publish a revision under a decision; it is frozen from then on
    Publish {
        /// The revision
        name: String,
        /// The publication decision, e.g. 1234/QĐ-UBND
        #[arg(long, value_name = "NUMBER")]
        decision: String,
        /// The decision's date, YYYY-MM-DD
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_iso_date)]
        date: procedure_catalogue::domain::Date,
        #[command(flatten)]
        catalogue: CatalogueArg,
    },
    /// Show or set the government model: three-level (until 30 June 2025) or two-level
    /// (from 1 July 2025, no district level); setting it is one undoable batch
    Government {
        /// three-level or two-level (leave out to show the current model)
        #[arg(value_name = "MODEL")]
        model: Option<String>,
        /// The day the two-level model took effect (default 2025-07-01)
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_iso_date)]
        since: Option<procedure_catalogue::domain::Date>,
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// The 2025 restructuring: move district procedures to two-level local government
    #[command(subcommand)]
    Migrate(restructure::MigrateCommand),
    /// Merge another province's catalogue (.sqlite) or published list (.xlsx, .csv) into
    /// this one: matched by code and level, then by name; one undoable batch
    MergeCatalogue(merging::MergeArgs),
    /// Simplification: options per procedure, compliance cost, savings against the targets
    #[command(subcommand)]
    Simplify(simplifying::SimplifyCommand),
    /// Generate a representative catalogue (the shipped one by default, or national scale)
    Generate {
        /// The new catalogue file (must not exist)
        #[arg(long, value_name = "PATH")]
        output: PathBuf,
        /// Procedures in all
        #[arg(long, default_value_t = GeneratorConfig::shipped().procedures)]
        procedures: usize,
        /// Provinces to spread them over: 1 = the shipped province (plain national codes),
        /// 34 = the provinces since the 2025 merger, up to 63 those before it, more for stress
        /// tests (numbered copies)
        #[arg(long, default_value_t = 1)]
        provinces: usize,
        #[arg(long, default_value_t = generator::SHIPPED_SEED)]
        seed: u64,
        /// Also write another province's catalogue to merge with this one (overlapping
        /// procedures, renamed agencies, local codes), and say what a merge must find
        #[arg(long, value_name = "PATH")]
        merge_partner: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum RevisionCommand {
    /// Snapshot the working copy under a new name
    Create {
        name: String,
        /// A note kept with the revision
        #[arg(long, default_value = "")]
        note: String,
        #[command(flatten)]
        catalogue: CatalogueArg,
    },
    /// List the revisions, published ones with their decision
    List {
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn parse_iso_date(text: &str) -> Result<procedure_catalogue::domain::Date, String> {
    let valid = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    procedure_catalogue::domain::parse_date(text)
        .filter(|_| valid)
        .ok_or_else(|| format!("\"{text}\" is not a date; write it as YYYY-MM-DD, e.g. 2017-06-30"))
}

fn parse_verdict(text: &str) -> Result<VerdictKind, String> {
    VerdictKind::parse(text)
        .filter(|kind| *kind != VerdictKind::Merged)
        .ok_or_else(|| {
            format!(
                "\"{text}\" is not a verdict; use dismissed, confirmed, keep, propose_abolition or reopened (merge in the window)"
            )
        })
}

fn parse_other_level(text: &str) -> Result<OtherLevel, String> {
    match text {
        "add" => Ok(OtherLevel::AddSecond),
        "move" => Ok(OtherLevel::Move),
        "skip" => Ok(OtherLevel::Skip),
        _ => Err(format!(
            "\"{text}\" is not a choice; use add (a second entry), move (the existing entry) or skip"
        )),
    }
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::parse(text).ok_or_else(|| {
        format!("\"{text}\" is not a level; use province, district or commune (tinh, huyen, xa)")
    })
}

/// Runs one job and returns what it prints on stdout.
pub fn run(command: Command) -> Result<String> {
    match command {
        Command::Stats {
            catalogue,
            revision,
            json,
        } => stats(&catalogue.catalogue, revision.as_deref(), json),
        Command::Audit {
            catalogue,
            as_of,
            all,
            revision,
            json,
        } => review::audit(
            &catalogue.catalogue,
            as_of.unwrap_or_else(audit::today),
            revision.as_deref(),
            all,
            json,
        ),
        Command::Verdict {
            mut args,
            note,
            catalogue,
        } => {
            let verdict = args.pop().unwrap_or_default();
            let verdict = parse_verdict(&verdict).map_err(anyhow::Error::msg)?;
            review::record_verdicts(&catalogue.catalogue, &args, verdict, &note)
        }
        Command::Revision(RevisionCommand::Create {
            name,
            note,
            catalogue,
        }) => {
            let mut catalogue = Catalogue::open(&catalogue.catalogue)?;
            let revision = catalogue.create_revision(&name, &note)?;
            Ok(format!(
                "created revision \"{}\" of {} procedures\n",
                revision.name, revision.procedures
            ))
        }
        Command::Revision(RevisionCommand::List { catalogue, json }) => {
            revisions::revision_list(&catalogue.catalogue, json)
        }
        Command::Diff {
            old,
            new,
            catalogue,
            json,
            output,
        } => revisions::diff(catalogue.as_deref(), &old, &new, json, output.as_deref()),
        Command::Documents(command) => documents::run(command),
        Command::Verify { catalogue, json } => revisions::verify(&catalogue.catalogue, json),
        Command::Export {
            output,
            catalogue,
            revision,
            annex,
            since,
            json,
        } => {
            let catalogue = Catalogue::open_read_only(&catalogue.catalogue)?;
            let kind = if annex {
                ExportKind::Annex { revision, since }
            } else {
                ExportKind::List { revision }
            };
            let summary = export::export(&catalogue, &kind, &output)?;
            Ok(export_report(&summary, json)?)
        }
        Command::Publish {
            name,
            decision,
            date,
            catalogue,
        } => {
            let mut catalogue = Catalogue::open(&catalogue.catalogue)?;
            let revision = catalogue.publish_revision(&name, &decision, date)?;
            Ok(format!(
                "published revision \"{}\" ({} procedures) by decision {} of {}; it is frozen\n",
                revision.name,
                revision.procedures,
                decision.trim(),
                procedure_catalogue::domain::format_date(date)
            ))
        }
        Command::Import {
            files,
            catalogue,
            create,
            replace,
            level,
            skip_invalid,
            central_level,
            other_level_as,
            unknown_level,
            other_level,
            clear_empty,
            json,
        } => {
            let group_levels = [
                (import::LevelGroup::Central, central_level),
                (import::LevelGroup::Other, other_level_as),
                (import::LevelGroup::Unknown, unknown_level),
            ]
            .into_iter()
            .filter_map(|(group, level)| Some((group, level?)))
            .collect();
            let options = ImportOptions {
                level,
                replace,
                skip_invalid,
                group_levels,
                // The command line cannot ask: an undecided row is left out, and said so.
                other_level: other_level.unwrap_or(OtherLevel::Ask),
                clear_empty,
                ..ImportOptions::default()
            };
            importing::import_files(&files, &catalogue.catalogue, create, &options, json)
        }
        Command::Government {
            model,
            since,
            catalogue,
            json,
        } => restructure::government(&catalogue.catalogue, model.as_deref(), since, json),
        Command::Migrate(command) => restructure::run(command),
        Command::MergeCatalogue(args) => merging::merge(&args),
        Command::Simplify(command) => simplifying::run(command),
        Command::Generate {
            merge_partner: Some(partner),
            output,
            procedures,
            seed,
            ..
        } => merging::generate_pair_files(&output, &partner, procedures, seed),
        Command::Generate {
            output,
            procedures,
            provinces,
            seed,
            merge_partner: None,
        } => generate(
            &output,
            &GeneratorConfig {
                seed,
                procedures,
                provinces,
            },
        ),
    }
}

fn stats(path: &Path, revision: Option<&str>, json: bool) -> Result<String> {
    let catalogue = Catalogue::open_read_only(path)?;
    let (stats, government) = match revision {
        Some(name) => {
            let procedures = catalogue.revision_procedures(name)?;
            (
                CatalogueStats::of(procedures.iter().map(|p| &p.data)),
                catalogue.revision(name)?.government,
            )
        }
        None => (catalogue.stats()?, catalogue.government()?),
    };
    if json {
        let mut value = serde_json::to_value(&stats)?;
        // A two-level catalogue has no district entries: none are listed (while some remain
        // to be moved, they are).
        if !government.holds(Level::District)
            && stats
                .by_level
                .get(Level::District.key())
                .copied()
                .unwrap_or(0)
                == 0
            && let Some(levels) = value["by_level"].as_object_mut()
        {
            levels.remove(Level::District.key());
        }
        value["government"] = serde_json::json!({
            "model": government.key(),
            "since": government.since().map(procedure_catalogue::domain::format_date),
        });
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    Ok(stats_text(path, &stats, government))
}

fn stats_text(path: &Path, stats: &CatalogueStats, government: GovernmentModel) -> String {
    let mut out = String::new();
    let count = |map: &std::collections::BTreeMap<String, u64>, key: &str| {
        map.get(key).copied().unwrap_or(0)
    };
    let _ = writeln!(
        out,
        "{}: {} procedures in the working copy",
        path.display(),
        stats.total
    );
    let _ = writeln!(out, "  government: {}", government.label_vi());
    // The model's levels, and a level it no longer has while entries remain there.
    let levels: Vec<String> = Level::ALL
        .iter()
        .filter(|level| government.holds(**level) || count(&stats.by_level, level.key()) > 0)
        .map(|level| format!("{} {}", level.key(), count(&stats.by_level, level.key())))
        .collect();
    let _ = writeln!(out, "  by level:  {}", levels.join(" · "));
    let tiers: Vec<String> = Tier::ALL
        .iter()
        .map(|tier| {
            format!(
                "{tier} ({}) {}",
                tier.decree42_label().to_lowercase(),
                count(&stats.by_tier, &tier.to_string())
            )
        })
        .collect();
    let _ = writeln!(out, "  by tier:   {}", tiers.join(" · "));
    let statuses: Vec<String> = stats
        .by_status
        .iter()
        .map(|(status, n)| format!("{status} {n}"))
        .collect();
    let _ = writeln!(out, "  by status: {}", statuses.join(" · "));
    let _ = writeln!(out, "  fields:    {}", stats.fields);
    if stats.retired > 0 {
        let _ = writeln!(out, "  retired (kept for history): {}", stats.retired);
    }
    out
}

fn export_report(summary: &ExportSummary, json: bool) -> Result<String> {
    if json {
        return Ok(serde_json::to_string_pretty(summary)? + "\n");
    }
    let what = match summary.kind {
        Exported::Annex => format!(
            "the decision annex of \"{}\" since \"{}\" ({} procedures)",
            summary.source,
            summary.base.as_deref().unwrap_or_default(),
            summary.procedures
        ),
        Exported::Diff => format!(
            "the diff report of \"{}\" against \"{}\" ({} changed entries)",
            summary.source,
            summary.base.as_deref().unwrap_or_default(),
            summary.procedures
        ),
        Exported::List => format!(
            "the list of \"{}\" ({} procedures)",
            summary.source, summary.procedures
        ),
    };
    let mut out = format!("exported {what} to {}\n", summary.output.display());
    if let Some(documents) = &summary.documents_file {
        let _ = writeln!(
            out,
            "  its legal documents (dates, repeals, replacements) to {}: keep it beside the list, import reads it back",
            documents.display()
        );
    }
    for long in &summary.long_cells {
        let how = if long.cells > 1 {
            format!(
                "split over {} cells of the data sheet (import joins them)",
                long.cells
            )
        } else {
            "cut on the printed sheet (whole on the data sheet and in .csv)".to_owned()
        };
        let _ = writeln!(
            out,
            "  {}: {} holds {} characters, more than an Excel cell: {how}",
            long.code, long.column, long.chars
        );
    }
    Ok(out)
}

fn generate(output: &Path, config: &GeneratorConfig) -> Result<String> {
    let generated = generator::generate(config).map_err(anyhow::Error::msg)?;
    generator::write_catalogue(output, &generated)
        .with_context(|| format!("writing {}", output.display()))?;
    let stats = CatalogueStats::of(generated.procedures.iter());
    Ok(format!(
        "{}: generated {} procedures ({} planted defects) with seed {}\n",
        output.display(),
        stats.total,
        generated.planted.len(),
        config.seed
    ))
}
