//! `audit` and `verdict`: findings as text or JSON, and reviewers' verdicts.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Result, bail};

use procedure_catalogue::audit::{self, AuditReport, Finding, FindingKind};
use procedure_catalogue::simplify;
use procedure_catalogue::store::{Catalogue, VerdictKind};

pub(super) fn audit(
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
        let json = AuditJson {
            report: &report,
            shown: &shown,
        };
        return Ok(serde_json::to_string_pretty(&json)? + "\n");
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

/// The audit as JSON. Keys in alphabetical order, as a `serde_json` map writes them; each
/// finding made into JSON only as it is written, so that a national audit's 27,000 findings
/// are never held as a JSON tree.
struct AuditJson<'a> {
    report: &'a AuditReport,
    shown: &'a [&'a Finding],
}

impl serde::Serialize for AuditJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let report = self.report;
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
        let mut map = serializer.serialize_map(Some(6))?;
        map.serialize_entry(
            "as_of",
            &procedure_catalogue::domain::format_date(report.as_of),
        )?;
        map.serialize_entry("audited", &report.audited)?;
        map.serialize_entry("government", report.government.key())?;
        map.serialize_entry("findings", &FindingsJson(self.shown))?;
        map.serialize_entry(
            "gaps",
            &report.gaps.iter().map(|r| r.key()).collect::<Vec<_>>(),
        )?;
        map.serialize_entry("summary", &summary)?;
        map.end()
    }
}

struct FindingsJson<'a>(&'a [&'a Finding]);

impl serde::Serialize for FindingsJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(|f| {
            serde_json::json!({
                "id": f.id,
                "kind": f.kind,
                "rule": f.rule,
                "procedures": f.members,
                "reason": f.reason,
                "verdict": f.verdict,
            })
        }))
    }
}

pub(super) fn record_verdicts(
    path: &Path,
    ids: &[String],
    kind: VerdictKind,
    note: &str,
) -> Result<String> {
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
    // A proposed abolition is an option of the simplification, recorded with the verdict.
    let (summary, options) = if kind == VerdictKind::ProposeAbolition {
        simplify::abolition_options(&catalogue, chosen.iter().copied(), note)?
    } else {
        (String::new(), Vec::new())
    };
    catalogue.record_verdicts_with(&pairs, kind, note, &summary, &options)?;
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
