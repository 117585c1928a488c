//! `merge-catalogue`: another province's catalogue merged into this one (the 2025 mergers),
//! and `generate --merge-partner`, two catalogues to merge with what a merge must find.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;

use procedure_catalogue::domain::ProcedureField;
use procedure_catalogue::generator::{self, pair::generate_pair};
use procedure_catalogue::merge_catalogue::{self, AgencyMap, MergePlan, Side};
use procedure_catalogue::progress::Progress;
use procedure_catalogue::store::Catalogue;

use super::CatalogueArg;

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The other province's catalogue (.sqlite) or its published list (.xlsx, .csv)
    #[arg(value_name = "OTHER")]
    other: PathBuf,
    /// Merge this revision of the other catalogue instead of its working copy (a .sqlite
    /// OTHER; provenance names it, and its decision when published)
    #[arg(long, value_name = "NAME")]
    other_revision: Option<String>,
    #[command(flatten)]
    catalogue: CatalogueArg,
    /// Agency renames (CSV: Cơ quan cũ | Cơ quan mới); default: the 2025 department mergers
    #[arg(long, value_name = "FILE")]
    agency_map: Option<PathBuf>,
    /// Take the other catalogue's value of this field in every pair that differs (a column
    /// key: fee, processing_days, agency …); repeat for more fields
    #[arg(long = "take-theirs", value_name = "FIELD")]
    take_theirs: Vec<String>,
    /// Do not add the procedures only the other catalogue has
    #[arg(long)]
    skip_only_there: bool,
    /// The name provenance gives this catalogue (kept in it); default: its name, else its
    /// file's
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// Show the plan without writing it
    #[arg(long)]
    dry_run: bool,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

pub(super) fn merge(args: &MergeArgs) -> Result<String> {
    let path = &args.catalogue.catalogue;
    let agencies = match &args.agency_map {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading the agency map {}", file.display()))?;
            AgencyMap::read_csv(&text).map_err(|error| {
                anyhow::anyhow!(
                    "{}: {error}; the header row is Cơ quan cũ,Cơ quan mới",
                    file.display()
                )
            })?
        }
        None => AgencyMap::default(),
    };
    let mut catalogue = if args.dry_run {
        Catalogue::open_read_only(path)?
    } else {
        Catalogue::open(path)?
    };
    let mut plan = merge_catalogue::plan_from(
        &catalogue,
        &args.other,
        args.other_revision.as_deref(),
        agencies,
        &Progress::default(),
    )?;
    if let Some(name) = &args.name {
        plan.here.name = name.trim().to_owned();
    }
    for key in &args.take_theirs {
        let Some(field) = ProcedureField::from_key(key.trim()) else {
            bail!(
                "--take-theirs {key}: not a column key; use one of {}",
                merge_catalogue::COMPARED
                    .map(ProcedureField::key)
                    .join(", ")
            );
        };
        plan.choose_for_field(field, Side::There);
    }
    if args.skip_only_there {
        for index in 0..plan.only_there.len() {
            plan.include(index, false);
        }
    }
    let batch = if args.dry_run {
        None
    } else {
        merge_catalogue::apply(&mut catalogue, &plan)?.batch_id
    };
    if args.json {
        let mut value = serde_json::to_value(plan.report())?;
        value["dry_run"] = args.dry_run.into();
        value["batch"] = batch.into();
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    Ok(merge_text(path, &plan, args.dry_run))
}

fn merge_text(path: &Path, plan: &MergePlan, dry_run: bool) -> String {
    let counts = plan.counts();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: merging {} into {}",
        path.display(),
        plan.there.label(),
        plan.here.label()
    );
    let _ = writeln!(
        out,
        "  matched {} ({} by code, {} by name), {} of them differ, {} gain values they lacked; only here {}; only there {} ({} to add)",
        counts.matched,
        counts.matched_by_code,
        counts.matched_by_name,
        counts.conflicting,
        counts.gaps_filled,
        counts.only_here,
        counts.only_there,
        counts.included
    );
    let _ = writeln!(
        out,
        "  codes put in this catalogue's form: {}; agencies renamed: {}; legal documents added: {}",
        counts.codes_reconciled,
        counts.agencies_renamed,
        plan.documents.len()
    );
    if plan.left_out > 0 {
        let _ = writeln!(
            out,
            "  {} rows of the other list are not local procedures and were left out",
            plan.left_out
        );
    }
    let by_field = plan.differences_by_field();
    if !by_field.is_empty() {
        let fields: Vec<String> = by_field
            .iter()
            .map(|(field, n)| format!("{} {n}", field.key()))
            .collect();
        let _ = writeln!(out, "  differing fields: {}", fields.join(", "));
    }
    if dry_run {
        let _ = writeln!(out, "dry run: nothing written");
    } else {
        let _ = writeln!(
            out,
            "written as one batch; every entry names where it came from (provenance); undo in the window takes it back"
        );
    }
    out
}

/// `generate --merge-partner`: this catalogue and the other province's.
pub(super) fn generate_pair_files(
    output: &Path,
    partner: &Path,
    procedures: usize,
    seed: u64,
) -> Result<String> {
    for path in [output, partner] {
        if path.exists() {
            bail!(
                "{}: the file exists; give a new path (the generator never writes over a file)",
                path.display()
            );
        }
    }
    let pair = generate_pair(procedures, seed).map_err(anyhow::Error::msg)?;
    generator::write_named_catalogue(output, &pair.here, Some("Thái Nguyên"))
        .with_context(|| format!("writing {}", output.display()))?;
    generator::write_named_catalogue(partner, &pair.there, Some("Bắc Kạn"))
        .with_context(|| format!("writing {}", partner.display()))?;
    let p = pair.planted;
    Ok(format!(
        "{}: {} procedures (Thái Nguyên); {}: {} procedures (Bắc Kạn)\n  planted: {} matched by code ({} with a different fee or processing time, {} with one only there), {} by name, {} only here, {} only there, {} agencies already renamed there\n",
        output.display(),
        pair.here.procedures.len(),
        partner.display(),
        pair.there.procedures.len(),
        p.matched_by_code,
        p.conflicting,
        p.gaps_filled,
        p.matched_by_name,
        p.only_here,
        p.only_there,
        p.renamed_there
    ))
}
