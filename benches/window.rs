//! The window on a national-scale catalogue (120,000 procedures, 63 provinces):
//! time to first frame, time to apply a search keystroke (filter + facet counts, in the
//! order already sorted), CPU time per frame while scrolling, frames while the two-level move
//! and a merge are previewed, and frames while an import
//! of the whole catalogue is previewed in the background.
//!
//! Run: `cargo bench --bench window` (builds the catalogue in a temporary folder first).

/// The binary's allocator (see Cargo.toml), so that the figures are the application's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::time::{Duration, Instant};

use egui_kittest::Harness;
use procedure_catalogue::generator::{GeneratorConfig, generate, write_catalogue};
use procedure_catalogue::gui::command::MergeCommand;
use procedure_catalogue::gui::model::{CatalogueView, ColumnKey, Facet, RowView};
use procedure_catalogue::gui::views::merge::MergeTab;
use procedure_catalogue::gui::{CatalogueApp, Command, Mode};

const PROCEDURES: usize = 120_000;
const PROVINCES: usize = 63;

fn summary(label: &str, samples: &mut [Duration]) {
    samples.sort();
    let total: Duration = samples.iter().sum();
    let mean = total / samples.len() as u32;
    let p95 = samples[(samples.len() * 95 / 100).min(samples.len() - 1)];
    let max = samples[samples.len() - 1];
    println!(
        "{label:<44} n={:<4} mean {:>8.2} ms  p95 {:>8.2} ms  max {:>8.2} ms",
        samples.len(),
        mean.as_secs_f64() * 1e3,
        p95.as_secs_f64() * 1e3,
        max.as_secs_f64() * 1e3
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, path] = args.as_slice()
        && flag == "--generate"
    {
        let generated =
            generate(&GeneratorConfig::national(PROCEDURES, PROVINCES, 1)).expect("generate");
        write_catalogue(std::path::Path::new(path), &generated).expect("write");
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("national.sqlite");
    let started = Instant::now();
    // In a child process, so that this one's peak memory is the window's own.
    let status = std::process::Command::new(std::env::current_exe().expect("this bench"))
        .args(["--generate", &path.display().to_string()])
        .status()
        .expect("generate");
    assert!(status.success(), "generating the catalogue failed");
    println!(
        "generated {PROCEDURES} procedures in {PROVINCES} provinces: {:.1} s, {:.0} MB",
        started.elapsed().as_secs_f64(),
        std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
    );

    // Where opening spends its time.
    let started = Instant::now();
    let catalogue = procedure_catalogue::store::Catalogue::open_read_only(&path).expect("open");
    let procedures = catalogue.procedure_summaries(&mut |_, _| {}).expect("read");
    let read = started.elapsed();
    let started = Instant::now();
    let rows: Vec<RowView> = RowView::all(procedures);
    let prepared = started.elapsed();
    let started = Instant::now();
    let view = CatalogueView::new(rows);
    let indexed = started.elapsed();
    assert_eq!(view.total(), PROCEDURES);
    println!(
        "open: read rows {:>7.1} ms, prepare rows {:>7.1} ms, index + sort {:>7.1} ms",
        read.as_secs_f64() * 1e3,
        prepared.as_secs_f64() * 1e3,
        indexed.as_secs_f64() * 1e3
    );
    drop((catalogue, view));

    // Time to first frame with the catalogue shown.
    let started = Instant::now();
    let app_path = path.clone();
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .with_max_steps(1)
        .build_eframe(move |cc| CatalogueApp::new(cc, app_path));
    let window_up = started.elapsed();
    while harness.state().is_loading() {
        std::thread::sleep(Duration::from_millis(1));
        harness.step();
    }
    harness.step();
    let first_frame = started.elapsed();
    assert_eq!(harness.state().view().total(), PROCEDURES);
    println!(
        "first frame (window) {:>8.1} ms; first frame with {PROCEDURES} rows shown {:>8.1} ms",
        window_up.as_secs_f64() * 1e3,
        first_frame.as_secs_f64() * 1e3
    );
    // The audit starts once the file is open, off the UI thread; measure after it, so the
    // figures below are the window's own.
    while harness.state().is_auditing() {
        std::thread::sleep(Duration::from_millis(5));
        harness.step();
    }
    println!(
        "audit in the background done {:>8.1} ms after the window opened",
        started.elapsed().as_secs_f64() * 1e3
    );
    let file_mib = std::fs::metadata(&path).map_or(0.0, |m| m.len() as f64) / 1048576.0;
    if let Some(peak) = peak_mib() {
        println!(
            "peak memory with the table and the audit: {peak:.0} MiB ({:.2}× the {file_mib:.0} MiB file)",
            peak / file_mib
        );
    }

    // Keystrokes: typing a search letter by letter, then deleting it.
    let query = "dang ky khai sinh";
    let mut typing = Vec::new();
    for _ in 0..5 {
        for end in 1..=query.len() {
            let started = Instant::now();
            harness.state_mut().view_mut().set_search(&query[..end]);
            typing.push(started.elapsed());
        }
        let started = Instant::now();
        harness.state_mut().view_mut().set_search("");
        typing.push(started.elapsed());
    }
    summary("search keystroke (filter + facet counts)", &mut typing);

    let mut facet = Vec::new();
    for _ in 0..10 {
        let started = Instant::now();
        harness
            .state_mut()
            .view_mut()
            .toggle_facet(Facet::Level, "commune");
        facet.push(started.elapsed());
        let started = Instant::now();
        harness
            .state_mut()
            .view_mut()
            .toggle_facet(Facet::Level, "commune");
        facet.push(started.elapsed());
    }
    summary("facet click (filter + facet counts)", &mut facet);

    // The first click on each header (the name order is prepared while opening), then the
    // same header again (the order reversed).
    let mut sorts = Vec::new();
    for column in ColumnKey::ALL {
        let started = Instant::now();
        harness.state_mut().view_mut().sort_by(column);
        let first = started.elapsed();
        let started = Instant::now();
        harness.state_mut().view_mut().sort_by(column);
        sorts.push(format!(
            "{column:?} {:.0}/{:.0}",
            first.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64() * 1e3
        ));
    }
    println!(
        "sort by a column, first click/second click (ms): {}",
        sorts.join(", ")
    );

    // Frames while scrolling the table with the mouse wheel.
    harness.hover_at(egui::pos2(700.0, 400.0));
    harness.step();
    let mut frames = scroll_frames(&mut harness, 200);
    summary("frame while scrolling (CPU, layout)", &mut frames);

    // The same with a search typed (matches highlighted in the visible rows).
    harness.state_mut().view_mut().set_search("giay phep");
    let mut frames = scroll_frames(&mut harness, 100);
    summary("frame while scrolling, search highlighted", &mut frames);
    harness.state_mut().view_mut().set_search("");

    // The two-level view: frames while every district procedure's move is planned off the
    // UI thread, then with its rows listed.
    harness.state_mut().run(Command::SetMode(Mode::TwoLevel));
    let started = Instant::now();
    let mut frames = Vec::new();
    while harness.state().two_level_panel().busy {
        let frame = Instant::now();
        harness.step();
        frames.push(frame.elapsed());
        std::thread::sleep(Duration::from_millis(16));
    }
    let district = harness
        .state()
        .two_level_panel()
        .plan()
        .map_or(0, |plan| plan.rows.len());
    println!(
        "two-level preview of {district} district procedures ready {:>8.1} ms after the view opened",
        started.elapsed().as_secs_f64() * 1e3
    );
    summary("frame while the two-level move is planned", &mut frames);
    let mut frames = Vec::new();
    for _ in 0..50 {
        let frame = Instant::now();
        harness.step();
        frames.push(frame.elapsed());
    }
    summary("frame with the two-level preview shown", &mut frames);

    // The merge view: the same catalogue merged with a copy of itself (every entry matched),
    // frames while it is read and matched, then with the 120,000 matched pairs listed.
    let copy = dir.path().join("other.sqlite");
    std::fs::copy(&path, &copy).expect("copy");
    harness.state_mut().run(Command::SetMode(Mode::Merge));
    harness.state_mut().run(Command::Merge(MergeCommand::Plan {
        path: copy,
        revision: String::new(),
        agencies: Default::default(),
        name: String::new(),
    }));
    let started = Instant::now();
    let mut frames = Vec::new();
    while harness.state().merge_panel().busy {
        let frame = Instant::now();
        harness.step();
        frames.push(frame.elapsed());
        std::thread::sleep(Duration::from_millis(16));
    }
    let matched = harness
        .state()
        .merge_panel()
        .plan()
        .map_or(0, |plan| plan.matched.len());
    println!(
        "merge review of {PROCEDURES} against {PROCEDURES} ({matched} matched) ready {:>8.1} ms after it was asked for",
        started.elapsed().as_secs_f64() * 1e3
    );
    summary("frame while the merge is read and matched", &mut frames);
    harness
        .state_mut()
        .run(Command::Merge(MergeCommand::ShowTab(MergeTab::Identical)));
    let mut frames = Vec::new();
    for _ in 0..50 {
        let frame = Instant::now();
        harness.step();
        frames.push(frame.elapsed());
    }
    summary("frame with the matched pairs listed", &mut frames);
    if let Some(peak) = peak_mib() {
        println!("peak memory after the two-level and merge previews: {peak:.0} MiB");
    }
    // The dashboard and the savings view: frames while each is computed off the UI thread
    // (the generated history gives both a 2016 publication to measure from), then shown.
    for (mode, label) in [
        (Mode::Dashboard, "dashboard"),
        (Mode::Simplify, "savings view"),
    ] {
        harness.state_mut().run(Command::SetMode(mode));
        let started = Instant::now();
        let mut frames = Vec::new();
        while !harness.state().is_idle() {
            let frame = Instant::now();
            harness.step();
            frames.push(frame.elapsed());
            std::thread::sleep(Duration::from_millis(16));
        }
        println!(
            "{label} of {PROCEDURES} procedures ready {:>8.1} ms after the view opened",
            started.elapsed().as_secs_f64() * 1e3
        );
        summary(&format!("frame while the {label} is computed"), &mut frames);
        let mut frames = Vec::new();
        for _ in 0..50 {
            let frame = Instant::now();
            harness.step();
            frames.push(frame.elapsed());
        }
        summary(&format!("frame with the {label} shown"), &mut frames);
    }
    harness.state_mut().run(Command::SetMode(Mode::Catalogue));

    // File → Import… of the whole catalogue exported as .xlsx: frames while the preview is
    // read and planned off the UI thread, then while its 120,000 rows are listed.
    let list = dir.path().join("list.xlsx");
    {
        let catalogue = procedure_catalogue::store::Catalogue::open_read_only(&path).expect("open");
        let kind = procedure_catalogue::export::ExportKind::List { revision: None };
        procedure_catalogue::export::export(&catalogue, &kind, &list).expect("export");
    }
    harness.state_mut().run(Command::ShowImport);
    harness.step();
    let dialog = harness
        .state_mut()
        .import_dialog_mut()
        .expect("the import dialog");
    dialog.paths = list.display().to_string();
    let preview = dialog.preview().expect("a file to preview");
    harness.state_mut().run(preview);
    let started = Instant::now();
    let mut frames = Vec::new();
    while harness.state().is_writing() {
        let frame = Instant::now();
        harness.step();
        frames.push(frame.elapsed());
        std::thread::sleep(Duration::from_millis(16));
    }
    let planned = started.elapsed();
    let plan = harness
        .state()
        .import_dialog()
        .and_then(|d| d.plan.as_ref())
        .expect("a preview");
    assert_eq!(plan.unchanged.len(), PROCEDURES);
    println!(
        "import preview of {PROCEDURES} rows (.xlsx) ready {:>8.1} ms after it was asked for",
        planned.as_secs_f64() * 1e3
    );
    summary("frame while the preview is planned", &mut frames);
    let mut frames = Vec::new();
    for _ in 0..50 {
        let frame = Instant::now();
        harness.step();
        frames.push(frame.elapsed());
    }
    summary("frame with the preview of 120,000 rows shown", &mut frames);
}

/// This process's peak resident memory, where the system says it.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time of each of `count` frames, one wheel notch down before each.
fn scroll_frames(harness: &mut Harness<'_, CatalogueApp>, count: usize) -> Vec<Duration> {
    (0..count)
        .map(|_| {
            harness.event(egui::Event::MouseWheel {
                unit: egui::MouseWheelUnit::Line,
                delta: egui::vec2(0.0, -12.0),
                phase: egui::TouchPhase::Move,
                modifiers: egui::Modifiers::NONE,
                source: egui::MouseWheelSource::Wheel,
            });
            let started = Instant::now();
            harness.step();
            started.elapsed()
        })
        .collect()
}
