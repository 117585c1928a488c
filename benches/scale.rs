//! National scale against peers, in one run: each job of a 120,000-procedure catalogue
//! (import, audit, export .xlsx and .csv, diff, the two-level preview, the review of a merge
//! of two catalogues of half the size, the savings report between two revisions, the
//! dashboard's figures) timed beside the program an officer or an
//! engineer would otherwise use on the same files, with its peak memory.
//!
//! Run: `cargo bench --bench scale` (`SCALE_PROCEDURES=360000 SCALE_PROVINCES=189` for a
//! bigger catalogue). Peers, each optional (a missing one is said and skipped): `sqlite3`
//! (`.import` of the same CSV into a new file; `-csv` of the procedure table), `sqldiff
//! --primarykey` (Debian `sqlite3-tools`) on the same pair of files, and a key-collision
//! fingerprint of the names in Python (what OpenRefine's clustering does; `python3`).
//!
//! Each job runs in a child process of this bench, so that its peak memory (Linux: private
//! resident memory, sampled) is its own; pairs run in turn, ours then the peer, three times, and the median of the
//! pairs' ratios is printed, which holds when the machine's speed drifts.

/// The binary's allocator (see Cargo.toml), so that the figures are the application's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use procedure_catalogue::diff::diff_catalogue;
use procedure_catalogue::export::{ExportKind, export};
use procedure_catalogue::generator::{GeneratorConfig, generate, write_catalogue};
use procedure_catalogue::import::{ImportOptions, import_into_new};
use procedure_catalogue::store::{Catalogue, Change};

const ROUNDS: usize = 3;

/// The key-collision peer: names folded (case, tones, đ, punctuation), their distinct words
/// sorted, grouped by province and level; groups of two or more are printed as a count.
const KEY_COLLISION: &str = r#"
import re, sqlite3, sys, unicodedata
from collections import defaultdict
def key(name):
    text = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(sorted(set(re.sub(r"[^\w\s]", " ", text).split())))
groups = defaultdict(int)
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT code, level, name FROM procedure WHERE retired_at IS NULL")
for code, level, name in rows:
    groups[(code.rsplit(".", 1)[-1] if ".H" in code else "", level, key(name))] += 1
print(sum(1 for n in groups.values() if n > 1))
"#;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--job") {
        let job = &args[at + 1];
        let dir = PathBuf::from(&args[at + 2]);
        let sampler = PrivatePeak::start();
        let started = Instant::now();
        let said = run_job(job, &dir);
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "{seconds:.3} {} {said}",
            sampler.stop().map_or("-".to_owned(), |m| format!("{m:.0}"))
        );
        return;
    }
    let procedures = env_number("SCALE_PROCEDURES", 120_000);
    let provinces = env_number("SCALE_PROVINCES", 63);
    let dir = tempfile::tempdir().expect("temporary folder");
    let dir = dir.path();
    let started = Instant::now();
    prepare(dir, procedures, provinces);
    println!(
        "{procedures} procedures in {provinces} provinces: catalogue {:.0} MB, list.csv {:.0} MB, prepared in {:.0} s",
        megabytes(&dir.join("national.sqlite")),
        megabytes(&dir.join("list.csv")),
        started.elapsed().as_secs_f64()
    );
    println!(
        "{:<14} {:>9} {:>9} {:>9}  {:<34} {:>9} {:>7}",
        "job", "ours s", "peak MiB", "per row", "peer", "peer s", "ratio"
    );
    let db = |name: &str| dir.join(name).display().to_string();
    let pairs: Vec<(&str, Option<Vec<String>>, &str)> = vec![
        (
            "import-csv",
            which("sqlite3").map(|s| {
                vec![
                    s,
                    db("peer-import.sqlite"),
                    format!(".import --csv {} t", db("list.csv")),
                ]
            }),
            "sqlite3 .import (new file)",
        ),
        (
            "audit",
            which("python3")
                .map(|p| vec![p, "-c".into(), KEY_COLLISION.into(), db("national.sqlite")]),
            "key-collision fingerprint (Python)",
        ),
        ("export-xlsx", None, "(memory goal: 200 MiB)"),
        (
            "export-csv",
            which("sqlite3").map(|s| {
                vec![
                    s,
                    "-csv".into(),
                    db("national.sqlite"),
                    "SELECT * FROM procedure".into(),
                ]
            }),
            "sqlite3 -csv",
        ),
        (
            "diff",
            which("sqldiff").map(|s| {
                vec![
                    s,
                    "--primarykey".into(),
                    db("national.sqlite"),
                    db("changed.sqlite"),
                ]
            }),
            "sqldiff --primarykey",
        ),
        ("migrate-plan", None, "(goal: 2 s)"),
        ("merge-plan", None, "(goal: 5 s, two halves)"),
        ("savings", None, "(goal: 1 s, two revisions)"),
        ("overview", None, "(the dashboard, off the UI thread)"),
    ];
    for (job, peer, peer_name) in pairs {
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        let mut peak = 0.0f64;
        let mut said = String::new();
        for _ in 0..ROUNDS {
            clean(dir);
            let (seconds, mib, line) = child(job, dir);
            ours.push(seconds);
            peak = peak.max(mib.unwrap_or(0.0));
            said = line;
            if let Some(command) = &peer {
                let started = Instant::now();
                let output = Command::new(&command[0])
                    .args(&command[1..])
                    .output()
                    .expect("peer");
                assert!(output.status.success(), "{peer_name} failed");
                theirs.push(started.elapsed().as_secs_f64());
            }
        }
        let ratio = (!theirs.is_empty()).then(|| {
            median(
                ours.iter()
                    .zip(&theirs)
                    .map(|(a, b)| a / b)
                    .collect::<Vec<_>>(),
            )
        });
        let ours = median(ours);
        println!(
            "{job:<14} {ours:>9.2} {peak:>9.0} {:>7.1}µs  {:<34} {:>9} {:>7}  {said}",
            ours / procedures as f64 * 1e6,
            if peer.is_some() { peer_name } else { "-" },
            if theirs.is_empty() {
                peer_name.to_owned()
            } else {
                format!("{:.2}", median(theirs))
            },
            ratio.map_or("-".to_owned(), |r| format!("{r:.2}×")),
        );
    }
}

/// The catalogue, its list as CSV (the import's input) and a changed copy (the diff's).
fn prepare(dir: &Path, procedures: usize, provinces: usize) {
    let path = dir.join("national.sqlite");
    let generated =
        generate(&GeneratorConfig::national(procedures, provinces, 7)).expect("generate");
    write_catalogue(&path, &generated).expect("write");
    drop(generated);
    let catalogue = Catalogue::open_read_only(&path).expect("open");
    export(
        &catalogue,
        &ExportKind::List { revision: None },
        &dir.join("list.csv"),
    )
    .expect("export");
    drop(catalogue);
    // The working copy after its generated review, as a second revision: the savings job
    // compares two revisions of 120,000 procedures.
    let mut catalogue = Catalogue::open(&path).expect("open");
    catalogue
        .create_revision("sau-ra-soat", "")
        .expect("revision");
    drop(catalogue);
    // 3,000 changed, 300 retired, 300 added: what a year of amendments brings.
    let changed = dir.join("changed.sqlite");
    std::fs::copy(&path, &changed).expect("copy");
    let mut catalogue = Catalogue::open(&changed).expect("open");
    let entries = catalogue.procedures().expect("read");
    let step = entries.len() / 3_300;
    let mut changes = Vec::new();
    for (n, entry) in entries.iter().step_by(step).take(3_300).enumerate() {
        if n < 3_000 {
            let mut data = entry.data.clone();
            data.name.push_str(" (sửa đổi)");
            changes.push(Change::Update {
                procedure_id: entry.procedure_id,
                data,
            });
        } else {
            changes.push(Change::Retire {
                procedure_id: entry.procedure_id,
                reason: "bãi bỏ".into(),
                decision_number: "1/QĐ-UBND".into(),
            });
        }
    }
    for (n, entry) in entries.iter().take(300).enumerate() {
        let mut data = entry.data.clone();
        data.code = format!("9.{n:06}");
        changes.push(Change::Create(data));
    }
    catalogue
        .apply_changes("bench edits", &changes)
        .expect("edit");
    drop(catalogue);
    // Two provinces' catalogues of half the size each, to merge.
    let pair = procedure_catalogue::generator::pair::generate_pair(procedures / 2, 7)
        .expect("generate a pair");
    procedure_catalogue::generator::write_named_catalogue(
        &dir.join("merge-here.sqlite"),
        &pair.here,
        Some("Thái Nguyên"),
    )
    .expect("write");
    procedure_catalogue::generator::write_named_catalogue(
        &dir.join("merge-there.sqlite"),
        &pair.there,
        Some("Bắc Kạn"),
    )
    .expect("write");
}

/// One job, in this (child) process; returns what it found, for the line.
fn run_job(job: &str, dir: &Path) -> String {
    let national = dir.join("national.sqlite");
    match job {
        "import-csv" => {
            // What `import --create` does.
            let mut staged = Catalogue::create_staged(&dir.join("imported.sqlite")).expect("new");
            let (plan, _) = import_into_new(
                staged.catalogue(),
                &[dir.join("list.csv")],
                &ImportOptions::default(),
                &Default::default(),
            )
            .expect("import");
            staged.finish().expect("finish");
            format!("{} added", plan.added_count())
        }
        "audit" => {
            let catalogue = Catalogue::open_read_only(&national).expect("open");
            let report = procedure_catalogue::audit::audit_catalogue(
                &catalogue,
                procedure_catalogue::audit::today(),
            )
            .expect("audit");
            format!("{} findings", report.findings.len())
        }
        "export-xlsx" | "export-csv" => {
            let catalogue = Catalogue::open_read_only(&national).expect("open");
            let output = dir.join(if job == "export-xlsx" {
                "out.xlsx"
            } else {
                "out.csv"
            });
            let summary =
                export(&catalogue, &ExportKind::List { revision: None }, &output).expect("export");
            format!("{} rows, {:.0} MB", summary.procedures, megabytes(&output))
        }
        "diff" => {
            let catalogue = Catalogue::open_read_only(&national).expect("open");
            let changed = dir.join("changed.sqlite");
            let diff = diff_catalogue(&catalogue, "working", &changed.display().to_string())
                .expect("diff");
            let s = &diff.summary;
            format!(
                "{} added, {} removed, {} changed",
                s.added, s.removed, s.changed
            )
        }
        "migrate-plan" => {
            // The two-level preview: where each district procedure goes, by the default rules.
            let catalogue = Catalogue::open_read_only(&national).expect("open");
            let plan = procedure_catalogue::two_level::plan_catalogue(
                &catalogue,
                procedure_catalogue::two_level::LevelRules::default(),
            )
            .expect("plan");
            let counts = plan.counts();
            format!(
                "{} district: {} to commune, {} to province, {} merged",
                counts.total(),
                counts.to_commune,
                counts.to_province,
                counts.merged
            )
        }
        "merge-plan" => {
            // The merge review of two provinces' catalogues of half the size each: the
            // other read, both matched, every pair compared.
            let catalogue =
                Catalogue::open_read_only(&dir.join("merge-here.sqlite")).expect("open");
            // As the command line and the window run it: the other read beside this one.
            let plan = procedure_catalogue::merge_catalogue::plan_from(
                &catalogue,
                &dir.join("merge-there.sqlite"),
                None,
                Default::default(),
                &Default::default(),
            )
            .expect("plan");
            let counts = plan.counts();
            format!(
                "{} matched ({} differ), {} only here, {} only there",
                counts.matched, counts.conflicting, counts.only_here, counts.only_there
            )
        }
        "savings" => {
            // The savings report between the generated 2016 publication and the revision
            // taken after the review: both sides read, measured and compared.
            let catalogue = Catalogue::open_read_only(&national).expect("open");
            let report = procedure_catalogue::simplify::savings(
                &catalogue,
                procedure_catalogue::generator::history::PUBLISHED_REVISION,
                "sau-ra-soat",
            )
            .expect("savings");
            let t = &report.totals;
            format!(
                "{} → {}: {} abolished, {} simplified, cost a year −{:.1}%",
                t.procedures_before,
                t.procedures_after,
                t.abolished,
                t.simplified,
                report
                    .measures
                    .iter()
                    .find(|m| m.measure == "compliance_cost_per_year")
                    .map_or(0.0, |m| m.rate * 100.0)
            )
        }
        "overview" => {
            let catalogue = Catalogue::open_read_only(&national).expect("open");
            let overview =
                procedure_catalogue::simplify::overview::overview(&catalogue).expect("overview");
            format!(
                "{} procedures, {} fields, savings since {}",
                overview.total,
                overview.by_field.len(),
                overview.since.map_or("-".to_owned(), |s| s.baseline)
            )
        }
        other => panic!("no job {other}"),
    }
}

/// Runs a job in a child process: (seconds of work, peak MiB, what it said).
fn child(job: &str, dir: &Path) -> (f64, Option<f64>, String) {
    let output = Command::new(std::env::current_exe().expect("this bench"))
        .args(["--job", job, &dir.display().to_string()])
        .output()
        .expect("child");
    assert!(
        output.status.success(),
        "{job}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default().to_owned();
    let mut parts = line.splitn(3, ' ');
    let seconds = parts
        .next()
        .and_then(|s| s.parse().ok())
        .unwrap_or(f64::NAN);
    let mib = parts.next().and_then(|s| s.parse().ok());
    (seconds, mib, parts.next().unwrap_or_default().to_owned())
}

/// Leaves only the inputs, so that every round writes new files.
fn clean(dir: &Path) {
    for name in [
        "imported.sqlite",
        "peer-import.sqlite",
        "out.xlsx",
        "out.csv",
        "out.documents.csv",
    ] {
        let _ = std::fs::remove_file(dir.join(name));
    }
}

/// This process's peak private memory (resident, less the pages of files it maps: jobs read
/// the catalogue through a memory map, whose pages are the system's file cache), sampled
/// every 2 ms where the system says it (Linux: `/proc/self/statm`).
struct PrivatePeak {
    peak: std::sync::Arc<std::sync::atomic::AtomicU64>,
    done: std::sync::mpsc::Sender<()>,
    sampler: std::thread::JoinHandle<()>,
}

impl PrivatePeak {
    fn start() -> PrivatePeak {
        use std::sync::atomic::Ordering;
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (done, stop) = std::sync::mpsc::channel::<()>();
        let seen = peak.clone();
        let sampler = std::thread::spawn(move || {
            loop {
                if let Some(bytes) = private_bytes() {
                    seen.fetch_max(bytes, Ordering::Relaxed);
                }
                match stop.recv_timeout(std::time::Duration::from_millis(2)) {
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                    _ => return,
                }
            }
        });
        PrivatePeak {
            peak,
            done,
            sampler,
        }
    }

    /// The peak in MiB (`None` where the system does not say).
    fn stop(self) -> Option<f64> {
        let last = private_bytes();
        let _ = self.done.send(());
        let _ = self.sampler.join();
        let peak = self
            .peak
            .load(std::sync::atomic::Ordering::Relaxed)
            .max(last?);
        Some(peak as f64 / (1024.0 * 1024.0))
    }
}

/// Resident bytes that are not a file's (statm: resident − shared pages).
fn private_bytes() -> Option<u64> {
    const PAGE: u64 = 4096;
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let mut fields = statm.split_whitespace().skip(1);
    let resident: u64 = fields.next()?.parse().ok()?;
    let shared: u64 = fields.next()?.parse().ok()?;
    Some(resident.saturating_sub(shared) * PAGE)
}

fn which(program: &str) -> Option<String> {
    let found = Command::new(program)
        .arg(if program == "python3" {
            "--version"
        } else {
            "-version"
        })
        .output()
        .is_ok();
    if !found {
        println!("{program}: not found, its comparison is skipped");
    }
    found.then(|| program.to_owned())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn megabytes(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}
