//! Diff of two national-scale catalogues (120,000 procedures each, a few thousand changes)
//! against SQLite's own `sqldiff` (Debian package `sqlite3-tools`) on the same two files.
//! Prints both times and their ratio. Run: `cargo bench --bench diff`.

use std::process::Command;
use std::time::Instant;

use procedure_catalogue::diff::diff_catalogue;
use procedure_catalogue::generator::{GeneratorConfig, generate, write_catalogue};
use procedure_catalogue::store::{Catalogue, Change};

const PROCEDURES: usize = 120_000;
const CHANGED: usize = 3_000;
const RETIRED: usize = 300;
const ADDED: usize = 300;

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let old_path = dir.path().join("old.sqlite");
    let new_path = dir.path().join("new.sqlite");
    let generated = generate(&GeneratorConfig::national(PROCEDURES, 63, 7)).expect("generate");
    write_catalogue(&old_path, &generated).expect("write");
    std::fs::copy(&old_path, &new_path).expect("copy");

    // A few thousand changes of every kind, in one transaction.
    let mut catalogue = Catalogue::open(&new_path).expect("open");
    let procedures = catalogue.procedures().expect("read");
    let step = procedures.len() / (CHANGED + RETIRED);
    let mut changes = Vec::new();
    for (n, procedure) in procedures.iter().step_by(step).enumerate() {
        if n < CHANGED {
            let mut data = procedure.data.clone();
            match n % 3 {
                0 => data.name.push_str(" (sửa đổi)"),
                1 => {
                    data.fee = procedure_catalogue::domain::Fee::of_vnd(
                        data.fee.amount_vnd().unwrap_or(0) + 10_000,
                    )
                }
                _ => {
                    let days = data.processing_time.longest_working_days().unwrap_or(10.0);
                    data.processing_time = procedure_catalogue::domain::ProcessingTime::of(
                        days + 1.0,
                        procedure_catalogue::domain::TimeUnit::WorkingDays,
                    )
                }
            }
            changes.push(Change::Update {
                procedure_id: procedure.procedure_id,
                data,
            });
        } else if n < CHANGED + RETIRED {
            changes.push(Change::Retire {
                procedure_id: procedure.procedure_id,
                reason: "bãi bỏ".into(),
                decision_number: "1/QĐ-UBND".into(),
            });
        }
    }
    for (n, procedure) in procedures.iter().take(ADDED).enumerate() {
        let mut data = procedure.data.clone();
        data.code = format!("9.{n:06}");
        changes.push(Change::Create(data));
    }
    catalogue
        .apply_changes("bench edits", &changes)
        .expect("edit");
    drop(catalogue);
    let megabytes =
        |p: &std::path::Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!(
        "two catalogues of {PROCEDURES} procedures ({:.0} MB, {:.0} MB); {} changes applied",
        megabytes(&old_path),
        megabytes(&new_path),
        changes.len()
    );

    let mut ours = Vec::new();
    let mut summary = String::new();
    for _ in 0..3 {
        let started = Instant::now();
        let catalogue = Catalogue::open_read_only(&new_path).expect("open");
        let diff = diff_catalogue(
            &catalogue,
            old_path.to_str().expect("utf-8 path"),
            "working",
        )
        .expect("diff");
        ours.push(started.elapsed().as_secs_f64());
        summary = format!(
            "{} added, {} removed, {} changed ({} field changes)",
            diff.summary.added,
            diff.summary.removed,
            diff.summary.changed,
            diff.changed.iter().map(|c| c.changes.len()).sum::<usize>()
        );
    }
    let ours = ours.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "procedure-catalogue diff: {:>8.3} s (best of 3) — {summary}",
        ours
    );

    let mut theirs = Vec::new();
    let mut lines = 0;
    for _ in 0..3 {
        let started = Instant::now();
        let output = match Command::new("sqldiff")
            .arg(&old_path)
            .arg(&new_path)
            .output()
        {
            Ok(output) => output,
            Err(error) => {
                println!("sqldiff not run ({error}): install Debian's sqlite3-tools to compare");
                return;
            }
        };
        theirs.push(started.elapsed().as_secs_f64());
        lines = output.stdout.iter().filter(|&&b| b == b'\n').count();
    }
    let theirs = theirs.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "sqldiff (row-level SQL):   {:>8.3} s (best of 3) — {lines} SQL statements",
        theirs
    );
    println!(
        "ratio sqldiff / ours: {:.2}× ({})",
        theirs / ours,
        if ours < theirs {
            "faster than sqldiff"
        } else {
            "slower than sqldiff"
        }
    );
}
