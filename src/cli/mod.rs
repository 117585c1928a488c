//! The headless jobs: the same core the window uses, for scripting and tests.
//! Each job returns its output; `main` prints it, or the one error message.

mod documents;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};

use procedure_catalogue::audit::{self, AuditReport, Finding, FindingKind};
use procedure_catalogue::diff::ChangeKind;
use procedure_catalogue::domain::{Level, Tier};
use procedure_catalogue::export::{self, ExportKind, ExportSummary, Exported};
use procedure_catalogue::generator::{self, GeneratorConfig};
use procedure_catalogue::import::{self, ImportOptions, ImportPlan, OtherLevel};
use procedure_catalogue::store::{Catalogue, CatalogueStats, SealState, VerdictKind, WORKING};

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
    /// Generate a representative catalogue (the shipped one by default, or national scale)
    Generate {
        /// The new catalogue file (must not exist)
        #[arg(long, value_name = "PATH")]
        output: PathBuf,
        /// Procedures in all
        #[arg(long, default_value_t = GeneratorConfig::shipped().procedures)]
        procedures: usize,
        /// Provinces to spread them over (1 = the shipped province, plain national codes)
        #[arg(long, default_value_t = 1)]
        provinces: usize,
        #[arg(long, default_value_t = generator::SHIPPED_SEED)]
        seed: u64,
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
        } => audit(
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
            record_verdicts(&catalogue.catalogue, &args, verdict, &note)
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
            revision_list(&catalogue.catalogue, json)
        }
        Command::Diff {
            old,
            new,
            catalogue,
            json,
            output,
        } => diff(catalogue.as_deref(), &old, &new, json, output.as_deref()),
        Command::Documents(command) => documents::run(command),
        Command::Verify { catalogue, json } => verify(&catalogue.catalogue, json),
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
            import_files(&files, &catalogue.catalogue, create, &options, json)
        }
        Command::Generate {
            output,
            procedures,
            provinces,
            seed,
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
    let stats = match revision {
        Some(name) => {
            let procedures = catalogue.revision_procedures(name)?;
            CatalogueStats::of(procedures.iter().map(|p| &p.data))
        }
        None => catalogue.stats()?,
    };
    if json {
        return Ok(serde_json::to_string_pretty(&stats)? + "\n");
    }
    Ok(stats_text(path, &stats))
}

fn stats_text(path: &Path, stats: &CatalogueStats) -> String {
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
    let levels: Vec<String> = Level::ALL
        .iter()
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

fn audit(
    path: &Path,
    as_of: procedure_catalogue::domain::Date,
    revision: Option<&str>,
    all: bool,
    json: bool,
) -> Result<String> {
    let catalogue = Catalogue::open_read_only(path)?;
    let report = match revision {
        Some(name) => audit::audit_revision(&catalogue, name, as_of)?,
        None => audit::audit_catalogue(&catalogue, as_of)?,
    };
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| all || f.is_listed())
        .collect();
    if json {
        return Ok(serde_json::to_string_pretty(&audit_json(&report, &shown))? + "\n");
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} procedures audited as of {}",
        path.display(),
        report.audited,
        procedure_catalogue::domain::format_date(as_of)
    );
    for kind in FindingKind::ALL {
        let (reviewed, total) = report.progress(kind);
        let listed: Vec<&&Finding> = shown.iter().filter(|f| f.kind == kind).collect();
        let _ = writeln!(
            out,
            "\n{} — {} listed ({total} found, {reviewed} reviewed)",
            kind.key().to_uppercase(),
            listed.len()
        );
        for finding in listed {
            let verdict = finding
                .verdict
                .as_ref()
                .map(|v| format!("  [{}]", v.kind.key()))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  {}  {}{verdict}  {}",
                finding.id, finding.rule, finding.reason
            );
            for member in &finding.members {
                let _ = writeln!(
                    out,
                    "      {} ({}) {}",
                    member.code,
                    member.level.key(),
                    member.name
                );
            }
        }
    }
    for rule in &report.gaps {
        let _ = writeln!(
            out,
            "\nNo procedure of the catalogue holds {} at all (the list imported had no such column): no finding per procedure for it",
            match rule {
                audit::Rule::MissingAgency => "an executing agency",
                audit::Rule::MissingProcessingTime => "a processing time",
                audit::Rule::MissingFee => "a fee",
                _ => "a legal basis",
            }
        );
    }
    let _ = writeln!(
        out,
        "\nRecord a verdict with `verdict ID [ID…] dismissed|confirmed|keep|propose_abolition --note …` (an ID may be rule:RULE or kind:KIND)"
    );
    Ok(out)
}

fn audit_json(report: &AuditReport, shown: &[&Finding]) -> serde_json::Value {
    let summary: serde_json::Map<String, serde_json::Value> = FindingKind::ALL
        .iter()
        .map(|&kind| {
            let (reviewed, total) = report.progress(kind);
            let listed = report.listed().filter(|f| f.kind == kind).count();
            (
                kind.key().to_owned(),
                serde_json::json!({"found": total, "reviewed": reviewed, "listed": listed}),
            )
        })
        .collect();
    let findings: Vec<serde_json::Value> = shown
        .iter()
        .map(|f| {
            serde_json::json!({
                "id": f.id,
                "kind": f.kind,
                "rule": f.rule,
                "procedures": f.members,
                "reason": f.reason,
                "verdict": f.verdict,
            })
        })
        .collect();
    serde_json::json!({
        "as_of": procedure_catalogue::domain::format_date(report.as_of),
        "audited": report.audited,
        "summary": summary,
        "gaps": report.gaps.iter().map(|r| r.key()).collect::<Vec<_>>(),
        "findings": findings,
    })
}

fn record_verdicts(path: &Path, ids: &[String], kind: VerdictKind, note: &str) -> Result<String> {
    let mut catalogue = Catalogue::open(path)?;
    let report = audit::audit_catalogue(&catalogue, audit::today())?;
    let mut chosen: Vec<&Finding> = Vec::new();
    for id in ids {
        let id = id.trim();
        let matched: Vec<&Finding> = if let Some(rule) = id.strip_prefix("rule:") {
            report.listed().filter(|f| f.rule.key() == rule).collect()
        } else if let Some(kind) = id.strip_prefix("kind:") {
            report.listed().filter(|f| f.kind.key() == kind).collect()
        } else {
            report.findings.iter().filter(|f| f.id == id).collect()
        };
        if matched.is_empty() {
            bail!(
                "{}: no finding {id} in the current audit. Run `audit --all` for the ids (or give rule:RULE, kind:KIND); a finding goes away when its procedures change",
                path.display()
            );
        }
        for finding in matched {
            if !chosen.iter().any(|f| f.key == finding.key) {
                chosen.push(finding);
            }
        }
    }
    let pairs: Vec<(String, String)> = chosen
        .iter()
        .map(|f| (f.key.clone(), f.fingerprint.clone()))
        .collect();
    catalogue.record_verdicts(&pairs, kind, note)?;
    let mut out = String::new();
    for finding in &chosen {
        let _ = writeln!(
            out,
            "{}: {} — {} ({})",
            finding.id,
            kind.key(),
            finding.reason,
            finding
                .members
                .iter()
                .map(|m| m.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    if chosen.len() > 1 {
        let _ = writeln!(out, "{} findings, one transaction", chosen.len());
    }
    Ok(out)
}

fn revision_list(path: &Path, json: bool) -> Result<String> {
    let catalogue = Catalogue::open_read_only(path)?;
    let revisions = catalogue.revisions()?;
    let seals: Vec<SealState> = revisions
        .iter()
        .map(|r| catalogue.seal_state(&r.name))
        .collect::<Result<_, _>>()?;
    if json {
        let list: Vec<serde_json::Value> = revisions
            .iter()
            .zip(&seals)
            .map(|(r, seal)| {
                serde_json::json!({
                    "name": r.name,
                    "created": r.created_at,
                    "created_by": r.created_by,
                    "note": r.note,
                    "procedures": r.procedures,
                    "published": r.published.as_ref().map(|p| serde_json::json!({
                        "decision": p.decision,
                        "date": procedure_catalogue::domain::format_date(p.date),
                        "published_at": p.published_at,
                        "published_by": p.published_by,
                    })),
                    "seal": seal.key(),
                })
            })
            .collect();
        return Ok(serde_json::to_string_pretty(&serde_json::json!({ "revisions": list }))? + "\n");
    }
    if revisions.is_empty() {
        return Ok(format!(
            "{}: no revisions yet. Create one with `revision create NAME`\n",
            path.display()
        ));
    }
    let mut out = String::new();
    for (r, seal) in revisions.iter().zip(&seals) {
        let published = match &r.published {
            Some(p) => format!(
                "published by {} of {}, {}",
                p.decision,
                procedure_catalogue::domain::format_date(p.date),
                match seal {
                    SealState::Broken => "SEAL BROKEN: changed outside the application",
                    _ => "seal intact",
                }
            ),
            None => "draft".to_owned(),
        };
        let _ = writeln!(
            out,
            "{:<24} {:>7} procedures  created {} by {}  {published}",
            r.name, r.procedures, r.created_at, r.created_by
        );
    }
    Ok(out)
}

/// Every revision's seal; an error (exit status 1) when one is broken, after listing all.
fn verify(path: &Path, json: bool) -> Result<String> {
    let catalogue = Catalogue::open_read_only(path)?;
    let seals = catalogue.verify_seals()?;
    let broken: Vec<&str> = seals
        .iter()
        .filter(|(_, s)| *s == SealState::Broken)
        .map(|(name, _)| name.as_str())
        .collect();
    let out = if json {
        let list: Vec<serde_json::Value> = seals
            .iter()
            .map(|(name, seal)| serde_json::json!({ "name": name, "seal": seal.key() }))
            .collect();
        serde_json::to_string_pretty(&serde_json::json!({ "revisions": list }))? + "\n"
    } else {
        let mut out = String::new();
        for (name, seal) in &seals {
            let _ = writeln!(out, "{name:<24} {}", seal.key());
        }
        let published = seals.iter().filter(|(_, s)| *s != SealState::Draft).count();
        let _ = writeln!(
            out,
            "{published} published revisions checked, {} broken",
            broken.len()
        );
        out
    };
    if broken.is_empty() {
        Ok(out)
    } else {
        print!("{out}");
        bail!(
            "seal broken on {}: changed outside the application. Restore the catalogue from a backup",
            broken.join(", ")
        )
    }
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

fn diff(
    path: Option<&Path>,
    old: &str,
    new: &str,
    json: bool,
    output: Option<&Path>,
) -> Result<String> {
    // Two files and no --catalogue: the OLD file is the catalogue, its working copy the
    // older side. (`diff FILE working` still compares with ./catalogue.sqlite.)
    let is_file = |side: &str| side != WORKING && Path::new(side).is_file();
    let two_files = path.is_none() && is_file(old) && is_file(new);
    let (path, old_side) = match path {
        Some(path) => (path, old),
        None if two_files => (Path::new(old), WORKING),
        None => (Path::new(DEFAULT_CATALOGUE), old),
    };
    let catalogue = Catalogue::open_read_only(path)?;
    catalogue
        .side_source(old_side)
        .with_context(|| format!("OLD side \"{old}\""))?;
    catalogue
        .side_source(new)
        .with_context(|| format!("NEW side \"{new}\""))?;
    let format = output.map(export::OutputFormat::of).transpose()?;
    let diff = procedure_catalogue::diff::diff_catalogue(&catalogue, old_side, new)?;
    let mut out = String::new();
    if let (Some(output), Some(format)) = (output, format) {
        let summary = export::write_diff_report(&diff, old, new, format, output)?;
        if !json {
            let _ = writeln!(
                out,
                "wrote the diff report ({} changed entries) to {}",
                summary.procedures,
                output.display()
            );
        }
    }
    if json {
        return Ok(serde_json::to_string_pretty(&diff)? + "\n");
    }
    let s = &diff.summary;
    let _ = writeln!(
        out,
        "{old} → {new}: {} added, {} removed, {} changed, {} moved, {} replaced",
        s.added, s.removed, s.changed, s.moved, s.replaced
    );
    let _ = writeln!(
        out,
        "  before: {} procedures, after: {}",
        s.before.total, s.after.total
    );
    let mark = |kind: ChangeKind| kind.mark();
    for e in &diff.added {
        let _ = writeln!(
            out,
            "{} {} [{}] {}",
            mark(ChangeKind::Added),
            e.code,
            e.level,
            e.name
        );
    }
    for e in &diff.removed {
        let _ = writeln!(
            out,
            "{} {} [{}] {}",
            mark(ChangeKind::Removed),
            e.code,
            e.level,
            e.name
        );
    }
    for e in &diff.moved {
        let _ = writeln!(
            out,
            "{} {} {} → {} {}",
            mark(ChangeKind::Moved),
            e.code,
            e.from_level,
            e.to_level,
            e.name
        );
    }
    for e in &diff.replaced {
        let _ = writeln!(
            out,
            "{} {} → {} [{}] {}",
            mark(ChangeKind::Replaced),
            e.old_code,
            e.new_code,
            e.level,
            e.new_name
        );
    }
    for e in &diff.changed {
        let _ = writeln!(
            out,
            "{} {} [{}] {}",
            mark(ChangeKind::Changed),
            e.code,
            e.level,
            e.name
        );
        // One line per change: a value of several lines (the legal basis) is joined by "; ".
        let one_line = |text: &str| text.lines().collect::<Vec<_>>().join("; ");
        for change in &e.changes {
            let _ = writeln!(
                out,
                "      {}: {} → {}",
                change.field.key(),
                one_line(&change.old),
                one_line(&change.new)
            );
        }
    }
    Ok(out)
}

fn import_files(
    files: &[PathBuf],
    path: &Path,
    create: bool,
    options: &ImportOptions,
    json: bool,
) -> Result<String> {
    // Read and check every input before a catalogue file is created or changed.
    for file in files {
        import::check_input(file)?;
    }
    if create {
        if path.exists() {
            bail!(
                "{}: already exists, so --create will not overwrite it. Drop --create to import into it, or choose a new path",
                path.display()
            );
        }
        // Built beside its place and renamed into it whole: a failure or a kill midway
        // leaves no half-made catalogue where the officer expects one.
        let mut staged = Catalogue::create_staged(path)?;
        let plan = plan_and_apply(staged.catalogue(), files, options)?;
        staged.finish()?;
        return Ok(import_report(&plan, path, json));
    }
    let mut catalogue = Catalogue::open(path)?;
    let plan = plan_and_apply(&mut catalogue, files, options)?;
    Ok(import_report(&plan, path, json))
}

fn plan_and_apply(
    catalogue: &mut Catalogue,
    files: &[PathBuf],
    options: &ImportOptions,
) -> Result<ImportPlan> {
    let plan = import::plan_import(catalogue, files, options)?;
    import::apply_import(catalogue, &plan)?;
    Ok(plan)
}

fn import_report(plan: &ImportPlan, catalogue: &Path, json: bool) -> String {
    let level_inferred = plan.levels.inferred;
    let row_of = |file: &str, row: usize| serde_json::json!({"file": file, "row": row});
    let skipped = |rows: &[import::SkippedRow]| -> Vec<serde_json::Value> {
        rows.iter()
            .map(|r| {
                serde_json::json!({
                    "file": r.file, "row": r.row, "code": r.code, "name": r.name,
                    "group": r.group.key(), "reason": r.reason.to_string(),
                })
            })
            .collect()
    };
    if json {
        let by_level: serde_json::Map<String, serde_json::Value> = plan
            .added_by_level()
            .into_iter()
            .map(|(level, count)| (level.key().to_owned(), count.into()))
            .collect();
        let value = serde_json::json!({
            "catalogue": catalogue.display().to_string(),
            "files": plan.files.iter().map(|file| serde_json::json!({
                "path": file.path.display().to_string(),
                "sheet": file.sheet,
                "header_row": file.header_row,
                "columns": file.columns.iter().map(|c| c.key()).collect::<Vec<_>>(),
                "kept_columns": file.kept_columns,
                "document_list": file.document_list,
                "rows_read": file.rows_read,
            })).collect::<Vec<_>>(),
            "rows_read": plan.rows_read,
            "rows_accounted": plan.accounted_rows(),
            "added": plan.added.len(),
            "added_by_level": by_level,
            "updated": plan.updated.len(),
            "updates": plan.updated.iter().map(|u| serde_json::json!({
                "file": u.file, "row": u.row, "code": u.data.code,
                "level": u.data.level_or_province().key(),
                "changes": u.changes.iter().map(|c| serde_json::json!({
                    "field": c.field.key(), "old": c.old, "new": c.new,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "unchanged": plan.unchanged.len(),
            "rejected": plan.rejected,
            "skipped": skipped(&plan.skipped),
            "level_unknown": skipped(&plan.level_unknown),
            "other_level": plan.other_level.iter().map(|r| serde_json::json!({
                "file": r.file, "row": r.row, "code": r.data.code, "level": r.level.key(),
                "existing_levels": r.existing.iter().map(|(l, _)| l.key()).collect::<Vec<_>>(),
                "choice": r.choice,
            })).collect::<Vec<_>>(),
            "retired": plan.retired.len(),
            "level_inferred": level_inferred,
            "sections": plan.sections.len(),
            "section_rows": plan.sections.iter().map(|(f, r)| row_of(f, *r)).collect::<Vec<_>>(),
            "documents": {
                "added": plan.documents_added.len(),
                "updated": plan.documents_updated.len(),
                "unchanged": plan.documents_unchanged,
            },
            "warnings": plan.warnings,
        });
        return serde_json::to_string_pretty(&value).unwrap_or_default() + "\n";
    }
    let mut out = String::new();
    for file in &plan.files {
        let sheet = file
            .sheet
            .as_ref()
            .map(|sheet| format!(", sheet \"{sheet}\""))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}{sheet}: header on row {}, {} rows{}",
            file.path.display(),
            file.header_row,
            file.rows_read,
            if file.document_list {
                " (a list of legal documents)"
            } else {
                ""
            }
        );
        if !file.kept_columns.is_empty() {
            let _ = writeln!(
                out,
                "  columns kept with each procedure (no field of their own): {}",
                file.kept_columns.join(", ")
            );
        }
    }
    let by_level: Vec<String> = plan
        .added_by_level()
        .into_iter()
        .map(|(level, count)| format!("{count} {}", level.key()))
        .collect();
    let _ = writeln!(
        out,
        "into {}: {} added{}, {} updated, {} unchanged, {} rejected; {} of {} rows accounted for",
        catalogue.display(),
        plan.added.len(),
        if by_level.is_empty() {
            String::new()
        } else {
            format!(" ({})", by_level.join(", "))
        },
        plan.updated.len(),
        plan.unchanged.len(),
        plan.rejected.len(),
        plan.accounted_rows(),
        plan.rows_read
    );
    for rejection in &plan.rejected {
        let _ = writeln!(
            out,
            "  rejected {}, row {}: {}",
            rejection.file, rejection.row, rejection.problem
        );
    }
    for (group, count) in plan.skipped_by_group() {
        let what = match group {
            import::LevelGroup::Central => "central procedures (Cấp bộ / a ministry's agency)",
            import::LevelGroup::Other => "procedures of other bodies (Cơ quan khác)",
            import::LevelGroup::Unknown => "rows of unknown level",
        };
        let _ = writeln!(
            out,
            "{count} {what} left out of the provincial catalogue; give --central-level or --other-level-as to file them at a level"
        );
    }
    if !plan.level_unknown.is_empty() {
        let _ = writeln!(
            out,
            "{} rows do not say their level and were not imported (give --level, or --unknown-level LEVEL)",
            plan.level_unknown.len()
        );
    }
    let undecided = plan.undecided();
    if undecided > 0 {
        let _ = writeln!(
            out,
            "{undecided} rows name a code the catalogue holds at another level and were not imported; decide with --other-level add|move|skip"
        );
    }
    if plan.files.iter().any(|file| file.document_list) || !plan.documents_added.is_empty() {
        let _ = writeln!(
            out,
            "legal documents: {} added, {} updated, {} unchanged",
            plan.documents_added.len(),
            plan.documents_updated.len(),
            plan.documents_unchanged
        );
    }
    if !plan.retired.is_empty() {
        let _ = writeln!(
            out,
            "{} entries not in the imported set were retired from the working copy (kept in history)",
            plan.retired.len()
        );
    }
    if !plan.sections.is_empty() {
        let _ = writeln!(
            out,
            "{} section headings (level, field) gave {} rows their level",
            plan.sections.len(),
            plan.levels.from_section
        );
    }
    if level_inferred > 0 {
        let _ = writeln!(
            out,
            "level inferred from the agency for {level_inferred} rows (no level column; give --level to set it)"
        );
    }
    for warning in &plan.warnings {
        let _ = writeln!(
            out,
            "  note {}, row {}: {}",
            warning.file, warning.row, warning.notice
        );
    }
    out
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
