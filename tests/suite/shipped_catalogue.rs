//! The shipped catalogue: the province's published figures, and rebuilt byte for byte
//! by the generator.

use crate::common::{json, run_in, shipped_catalogue};

#[test]
fn stats_json_prints_the_published_figures() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = crate::common::copy_of_shipped(dir.path());
    let output = run_in(
        dir.path(),
        &[
            "stats",
            "--json",
            "--catalogue",
            catalogue.to_str().unwrap(),
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        crate::common::stderr(&output)
    );
    let stats = json(&output);
    assert_eq!(stats["total"], 1374);
    assert_eq!(stats["by_level"]["province"], 1103);
    assert_eq!(stats["by_level"]["district"], 193);
    assert_eq!(stats["by_level"]["commune"], 78);
    assert_eq!(stats["by_tier"]["1"], 0);
    assert_eq!(stats["by_tier"]["2"], 1349);
    assert_eq!(stats["by_tier"]["3"], 22);
    assert_eq!(stats["by_tier"]["4"], 3);
}

#[test]
fn stats_defaults_to_catalogue_sqlite_in_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    let output = run_in(dir.path(), &["stats"]);
    assert!(
        output.status.success(),
        "{}",
        crate::common::stderr(&output)
    );
    let text = crate::common::stdout(&output);
    assert!(text.contains("1374 procedures"), "{text}");
    assert!(
        text.contains("province 1103 · district 193 · commune 78"),
        "{text}"
    );
}

#[test]
fn the_generator_rebuilds_the_shipped_file_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let output_path = dir.path().join("rebuilt.sqlite");
    let output = run_in(
        dir.path(),
        &["generate", "--output", output_path.to_str().unwrap()],
    );
    assert!(
        output.status.success(),
        "{}",
        crate::common::stderr(&output)
    );
    let rebuilt = std::fs::read(&output_path).unwrap();
    let shipped = std::fs::read(shipped_catalogue()).unwrap();
    assert!(
        rebuilt == shipped,
        "catalogue.sqlite differs from what the generator builds: rebuild it with \
         `cargo run --release -- generate --output catalogue.sqlite` (after removing the old file)"
    );
}

#[test]
fn the_generator_refuses_to_overwrite_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("exists.sqlite");
    std::fs::write(&path, b"keep me").unwrap();
    let output = run_in(
        dir.path(),
        &["generate", "--output", path.to_str().unwrap()],
    );
    assert!(!output.status.success());
    assert!(
        crate::common::stderr(&output).contains("already exists"),
        "{}",
        crate::common::stderr(&output)
    );
    assert_eq!(std::fs::read(&path).unwrap(), b"keep me");
}

#[test]
fn the_shipped_catalogue_carries_legal_documents_and_realistic_fields() {
    let catalogue =
        procedure_catalogue::store::Catalogue::open_read_only(&shipped_catalogue()).unwrap();
    let documents = catalogue.legal_documents().unwrap();
    assert!(documents.len() > 100, "{} documents", documents.len());
    assert!(
        documents
            .iter()
            .any(|d| d.repealed_on.is_some() && !d.replaced_by.is_empty())
    );
    let procedures = catalogue.procedures().unwrap();
    let fields: std::collections::BTreeSet<_> =
        procedures.iter().map(|p| p.data.field.as_str()).collect();
    assert!((30..=60).contains(&fields.len()), "{} fields", fields.len());
    for field in ["Đất đai", "Xây dựng", "Đầu tư", "Hộ tịch", "Chứng thực"] {
        assert!(fields.contains(field), "{field}");
    }
    assert!(
        procedures
            .iter()
            .all(|p| !p.data.name.is_empty() && !p.data.code.is_empty())
    );
}

/// The shipped catalogue holds its history: the 2016 list as published (a sealed revision),
/// then the 2017 review that made today's working copy — which is exactly what the generator
/// makes. Diff, annex and savings report tell the same review, each in its terms; the
/// numbers are the generator's shares of 1,374 (4% abolished, 1% replaced) and what it
/// changed (times, papers, fees, tiers of 295 procedures).
#[test]
fn the_shipped_catalogue_tells_its_2017_review_against_the_2016_publication() {
    use procedure_catalogue::generator::{GeneratorConfig, generate};

    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let c = path.to_str().unwrap();
    let ok = |args: &[&str]| {
        let all = [args, &["--catalogue", c][..]].concat();
        crate::common::ok(dir.path(), &all)
    };

    // The working copy is the generator's, entry for entry.
    let generated = generate(&GeneratorConfig::shipped()).unwrap();
    let expected: std::collections::BTreeMap<_, _> = generated
        .procedures
        .iter()
        .map(|p| ((p.code.clone(), p.level_or_province()), p.fingerprint()))
        .collect();
    assert_eq!(crate::common::content_hashes(&path), expected);

    let revisions = json(&ok(&["revision", "list", "--json"]));
    assert_eq!(revisions["revisions"][0]["name"], "cong-bo-2016");
    assert_eq!(
        revisions["revisions"][0]["published"]["decision"],
        "3126/QĐ-UBND"
    );
    assert!(crate::common::stdout(&ok(&["verify"])).contains("intact"));
    let before = json(&ok(&["stats", "--revision", "cong-bo-2016", "--json"]));
    assert_eq!(before["total"], 1374 + 55);

    let diff = json(&ok(&["diff", "cong-bo-2016", "working", "--json"]));
    let count = |key: &str| diff[key].as_array().unwrap().len();
    assert_eq!(
        (
            count("removed"),
            count("replaced"),
            count("changed"),
            count("added")
        ),
        (55, 14, 295, 0)
    );

    let annex = json(&ok(&[
        "export",
        "--annex",
        "--output",
        "annex.csv",
        "--json",
    ]));
    assert_eq!(annex["base"], "cong-bo-2016");
    assert_eq!(annex["procedures"], 55 + 14 + 295);

    let report = json(&ok(&[
        "simplify",
        "report",
        "cong-bo-2016",
        "working",
        "--json",
    ]));
    let t = &report["totals"];
    assert_eq!(
        (
            t["procedures_before"].as_u64(),
            t["procedures_after"].as_u64()
        ),
        (Some(1429), Some(1374))
    );
    assert_eq!(
        (
            t["abolished"].as_u64(),
            t["merged"].as_u64(),
            t["simplified"].as_u64()
        ),
        (Some(55), Some(14), Some(295))
    );
    // Every measure went down; none reaches the 2025 targets (the 2017 review did not).
    for measure in report["measures"].as_array().unwrap() {
        assert!(measure["reduction"].as_f64().unwrap() > 0.0, "{measure}");
        assert_ne!(measure["met"], true, "{measure}");
    }
    // Each changed entry names the options that changed it, carried out.
    let rows = report["rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .filter(|row| row["outcome"] != "added")
            .all(|row| !row["options"].as_array().unwrap().is_empty())
    );
    let states: Vec<&str> = report["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["state"].as_str().unwrap())
        .collect();
    assert!(states.contains(&"proposed") && states.contains(&"accepted"));
    assert_eq!(
        states.iter().filter(|s| **s == "carried_out").count(),
        rows.iter()
            .map(|row| row["options"].as_array().unwrap().len())
            .sum::<usize>()
    );
}
