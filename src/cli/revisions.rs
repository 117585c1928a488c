//! `revision list`, `verify` and `diff`: revisions with their seals, and what changed.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};

use procedure_catalogue::diff::ChangeKind;
use procedure_catalogue::export;
use procedure_catalogue::store::{Catalogue, SealState, WORKING};

use super::DEFAULT_CATALOGUE;

pub(super) fn revision_list(path: &Path, json: bool) -> Result<String> {
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
pub(super) fn verify(path: &Path, json: bool) -> Result<String> {
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

/// Which catalogue two sides are read from, and the OLD side's name in it: two files and no
/// `--catalogue` read the OLD file, its working copy the older side (`diff FILE working`
/// still compares with ./catalogue.sqlite).
pub(super) fn catalogue_of_sides<'a>(
    path: Option<&'a Path>,
    old: &'a str,
    new: &str,
) -> (&'a Path, &'a str) {
    let is_file = |side: &str| side != WORKING && Path::new(side).is_file();
    let two_files = path.is_none() && is_file(old) && is_file(new);
    match path {
        Some(path) => (path, old),
        None if two_files => (Path::new(old), WORKING),
        None => (Path::new(DEFAULT_CATALOGUE), old),
    }
}

pub(super) fn diff(
    path: Option<&Path>,
    old: &str,
    new: &str,
    json: bool,
    output: Option<&Path>,
) -> Result<String> {
    let (path, old_side) = catalogue_of_sides(path, old, new);
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
