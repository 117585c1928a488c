//! Export and import at national scale: the published list of 120,000 procedures written
//! as .xlsx and .csv, each read back (plan) and written into a new catalogue (apply), and
//! a decision annex against a published revision. Prints each time and checks the round
//! trip. Run: `cargo bench --bench exchange`.

/// The binary's allocator (see Cargo.toml), so that the figures are the application's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;
use std::time::Instant;

use procedure_catalogue::diff::diff_catalogue;
use procedure_catalogue::export::{ExportKind, export};
use procedure_catalogue::generator::{GeneratorConfig, generate, write_catalogue};
use procedure_catalogue::import::{ImportOptions, apply_import, plan_import};
use procedure_catalogue::store::{Catalogue, Change};

const PROCEDURES: usize = 120_000;

fn timed<T>(what: &str, work: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = work();
    println!("{what:<46} {:>7.2} s", start.elapsed().as_secs_f64());
    result
}

fn megabytes(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("national.sqlite");
    let generated = generate(&GeneratorConfig::national(PROCEDURES, 63, 7)).expect("generate");
    write_catalogue(&path, &generated).expect("write");
    println!(
        "catalogue: {PROCEDURES} procedures, {:.0} MB",
        megabytes(&path)
    );

    let catalogue = Catalogue::open_read_only(&path).expect("open");
    for extension in ["xlsx", "csv"] {
        let output = dir.path().join(format!("list.{extension}"));
        let kind = ExportKind::List { revision: None };
        let summary = timed(&format!("export the list to .{extension}"), || {
            export(&catalogue, &kind, &output).expect("export")
        });
        println!(
            "  {} procedures, {:.1} MB",
            summary.procedures,
            megabytes(&output)
        );
        let copy_path = dir.path().join(format!("copy-{extension}.sqlite"));
        let mut copy = Catalogue::create(&copy_path).expect("create");
        let plan = timed(&format!("import .{extension}: read and plan"), || {
            plan_import(
                &copy,
                std::slice::from_ref(&output),
                &ImportOptions::default(),
            )
            .expect("plan")
        });
        assert_eq!(plan.added.len(), PROCEDURES);
        assert_eq!(plan.accounted_rows(), plan.rows_read);
        timed(
            &format!("import .{extension}: write (one transaction)"),
            || apply_import(&mut copy, &plan).expect("apply"),
        );
        drop(copy);
        let diff = timed("diff the copy with the original", || {
            diff_catalogue(&catalogue, "working", &copy_path.display().to_string()).expect("diff")
        });
        let s = &diff.summary;
        assert_eq!(
            (s.added, s.removed, s.changed, s.moved, s.replaced),
            (0, 0, 0, 0, 0),
            "the round trip through .{extension} changed the catalogue"
        );
        println!("  round trip: identical");
    }
    drop(catalogue);

    // An annex: publish, change a few thousand entries, export what a decision publishes.
    let mut catalogue = Catalogue::open(&path).expect("open");
    catalogue.create_revision("2025", "").expect("revision");
    catalogue
        .publish_revision(
            "2025",
            "1/QĐ-UBND",
            procedure_catalogue::domain::parse_date("2025-01-02").expect("date"),
        )
        .expect("publish");
    let procedures = catalogue.procedures().expect("read");
    let changes: Vec<Change> = procedures
        .iter()
        .step_by(40)
        .enumerate()
        .map(|(n, procedure)| {
            if n % 10 == 0 {
                Change::Retire {
                    procedure_id: procedure.procedure_id,
                    reason: "bãi bỏ".into(),
                    decision_number: "2/QĐ-UBND".into(),
                }
            } else {
                let mut data = procedure.data.clone();
                data.fee = procedure_catalogue::domain::Fee::of_vnd(
                    data.fee.amount_vnd().unwrap_or(0) + 10_000,
                );
                Change::Update {
                    procedure_id: procedure.procedure_id,
                    data,
                }
            }
        })
        .collect();
    catalogue.apply_changes("bench", &changes).expect("edit");
    let output = dir.path().join("annex.xlsx");
    let kind = ExportKind::Annex {
        revision: None,
        since: None,
    };
    let summary = timed("export the annex (.xlsx)", || {
        export(&catalogue, &kind, &output).expect("annex")
    });
    println!(
        "  {} entries ({} changes made), {:.1} MB",
        summary.procedures,
        changes.len(),
        megabytes(&output)
    );
    assert_eq!(summary.procedures, changes.len());
}
