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
