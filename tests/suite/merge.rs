//! Merging two provinces' catalogues from the command line: a generated pair is matched as
//! the generator planted it; each kind of conflict; provenance; undo.

use std::path::{Path, PathBuf};

use procedure_catalogue::domain::Level;
use procedure_catalogue::generator::pair::{MergePlanted, generate_pair};
use procedure_catalogue::generator::write_named_catalogue;
use procedure_catalogue::store::Catalogue;

use crate::common::{content_hashes, json, ok, run_in, stderr, stdout};

/// Thái Nguyên's catalogue and Bắc Kạn's, as `generate --merge-partner` writes them.
fn pair(dir: &Path, procedures: usize) -> (PathBuf, PathBuf, MergePlanted) {
    let pair = generate_pair(procedures, 11).unwrap();
    let here = dir.join("thai-nguyen.sqlite");
    let there = dir.join("bac-kan.sqlite");
    write_named_catalogue(&here, &pair.here, Some("Thái Nguyên")).unwrap();
    write_named_catalogue(&there, &pair.there, Some("Bắc Kạn")).unwrap();
    (here, there, pair.planted)
}

fn count(value: &serde_json::Value, key: &str) -> usize {
    value["counts"][key].as_u64().unwrap() as usize
}

#[test]
fn a_generated_pair_is_matched_as_planted_and_the_merge_is_one_batch_with_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let (here, _, planted) = pair(dir.path(), 800);
    let before = content_hashes(&here);
    let there_bytes = std::fs::read(dir.path().join("bac-kan.sqlite")).unwrap();
    let catalogue = ["--catalogue", "thai-nguyen.sqlite"];
    let args = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut args = vec!["merge-catalogue", "bac-kan.sqlite"];
        args.extend(catalogue);
        args.extend(extra);
        args
    };
    let plan = json(&ok(dir.path(), &args(&["--dry-run", "--json"])));
    assert_eq!(count(&plan, "matched_by_code"), planted.matched_by_code);
    assert_eq!(count(&plan, "matched_by_name"), planted.matched_by_name);
    assert_eq!(count(&plan, "conflicting"), planted.conflicting);
    assert_eq!(count(&plan, "gaps_filled"), planted.gaps_filled);
    assert_eq!(count(&plan, "only_here"), planted.only_here);
    assert_eq!(count(&plan, "only_there"), planted.only_there);
    assert_eq!(plan["here"], "Thái Nguyên (bản làm việc)");
    assert_eq!(plan["there"], "Bắc Kạn (bản làm việc)");
    assert_eq!(content_hashes(&here), before, "a dry run writes nothing");

    let merged = json(&ok(dir.path(), &args(&["--json", "--take-theirs", "fee"])));
    assert!(merged["batch"].is_i64());
    let catalogue = Catalogue::open_read_only(&here).unwrap();
    let entries = catalogue.procedures().unwrap();
    assert_eq!(
        entries.len(),
        planted.matched_by_code + planted.matched_by_name + planted.only_here + planted.only_there
    );
    let by_source = |source: &str| {
        entries
            .iter()
            .filter(|p| p.data.provenance == source)
            .count()
    };
    assert_eq!(
        by_source("Thái Nguyên (bản làm việc); Bắc Kạn (bản làm việc)"),
        planted.matched_by_code + planted.matched_by_name
    );
    assert_eq!(by_source("Thái Nguyên (bản làm việc)"), planted.only_here);
    assert_eq!(by_source("Bắc Kạn (bản làm việc)"), planted.only_there);
    // Every fee that differed is Bắc Kạn's now; processing times stay Thái Nguyên's.
    for pair in merged["differing"].as_array().unwrap() {
        let code = pair["code"].as_str().unwrap();
        let level = Level::parse(pair["level"].as_str().unwrap()).unwrap();
        let entry = entries
            .iter()
            .find(|p| p.data.code == code && p.data.level == Some(level))
            .unwrap();
        for field in pair["fields"].as_array().unwrap() {
            let stored = match field["field"].as_str().unwrap() {
                "fee" => entry.data.fee.text().to_owned(),
                "processing_days" => entry.data.processing_time.text().to_owned(),
                other => panic!("unexpected difference {other}"),
            };
            // Their fees were taken; a value missing here is filled from there.
            let side = if field["field"] == "fee" || field["fills"] == true {
                "there"
            } else {
                "here"
            };
            assert_eq!(stored, field[side].as_str().unwrap(), "{pair}");
        }
    }
    // The data sheet carries the provenance; the other file is as it was.
    ok(
        dir.path(),
        &[
            "export",
            "--catalogue",
            "thai-nguyen.sqlite",
            "--output",
            "gop.csv",
        ],
    );
    let csv = std::fs::read_to_string(dir.path().join("gop.csv")).unwrap();
    assert!(csv.lines().next().unwrap().contains(",provenance,"));
    assert!(csv.contains("Thái Nguyên (bản làm việc); Bắc Kạn (bản làm việc)"));
    assert_eq!(
        std::fs::read(dir.path().join("bac-kan.sqlite")).unwrap(),
        there_bytes
    );
    drop(catalogue);

    // One undo takes the whole merge back.
    let mut catalogue = Catalogue::open(&here).unwrap();
    catalogue.undo().unwrap().unwrap();
    drop(catalogue);
    assert_eq!(content_hashes(&here), before);
}

#[test]
fn each_kind_of_conflict_is_told_and_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let (here, there, _) = pair(dir.path(), 300);
    let conn = rusqlite::Connection::open(&there).unwrap();
    // A field that differs, besides the planted fees and times.
    let (code, national): (String, String) = conn
        .query_row(
            "SELECT code, substr(code, 1, 8) FROM procedure WHERE level = 'province' AND code LIKE '1.%' ORDER BY code LIMIT 1",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    conn.execute(
        "UPDATE procedure SET result = 'Giấy phép (bản điện tử)' WHERE code = ?1",
        [&code],
    )
    .unwrap();
    drop(conn);

    let run = |extra: &[&str]| {
        let mut args = vec![
            "merge-catalogue",
            "bac-kan.sqlite",
            "--catalogue",
            "thai-nguyen.sqlite",
            "--dry-run",
            "--json",
        ];
        args.extend(extra);
        json(&ok(dir.path(), &args))
    };
    let plan = run(&[]);
    let pair = plan["differing"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["code"] == national.as_str())
        .unwrap()
        .clone();
    // Local codes: matched across suffixes, this catalogue's form kept.
    assert_eq!(pair["there_code"], code.as_str());
    assert_eq!(pair["by"], "code");
    assert!(
        pair["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "result" && f["there"] == "Giấy phép (bản điện tử)"),
        "{pair}"
    );
    assert!(plan["differences_by_field"]["result"].as_u64().unwrap() >= 1);
    assert!(
        count(&plan, "matched_by_name") > 0,
        "codes that differ, names that match"
    );
    assert!(count(&plan, "codes_reconciled") > 0);

    // Renamed departments: the default map makes "Sở Tài chính" and "Sở Kế hoạch và Đầu tư"
    // one agency; without it they differ.
    assert!(
        plan["differences_by_field"].get("agency").is_none(),
        "{plan}"
    );
    std::fs::write(dir.path().join("empty-map.csv"), "Cơ quan cũ,Cơ quan mới\n").unwrap();
    let unmapped = run(&["--agency-map", "empty-map.csv"]);
    assert!(unmapped["differences_by_field"]["agency"].as_u64().unwrap() > 0);
    assert_eq!(count(&unmapped, "agencies_renamed"), 0);

    // A bad map is named with its line.
    std::fs::write(
        dir.path().join("bad-map.csv"),
        "Cơ quan cũ,Cơ quan mới\nSở Ngoại vụ,\n",
    )
    .unwrap();
    let refused = run_in(
        dir.path(),
        &[
            "merge-catalogue",
            "bac-kan.sqlite",
            "--catalogue",
            "thai-nguyen.sqlite",
            "--agency-map",
            "bad-map.csv",
        ],
    );
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("bad-map.csv: line 2"),
        "{}",
        stderr(&refused)
    );

    // The same procedure twice in the other catalogue: the second cannot be added.
    let conn = rusqlite::Connection::open(&there).unwrap();
    let only_there: String = plan["only_there"][0]["original_code"]
        .as_str()
        .unwrap()
        .to_owned();
    conn.execute(
        "INSERT INTO procedure (code, name, level, field)
         SELECT substr(code, 1, 8), name || ' (bản nhập lại)', level, field FROM procedure WHERE code = ?1",
        [&only_there],
    )
    .unwrap();
    drop(conn);
    let twice = run(&[]);
    let problems: Vec<&serde_json::Value> = twice["only_there"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| !o["problem"].is_null())
        .collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["include"], false);
    assert_eq!(count(&twice, "included"), count(&twice, "only_there") - 1);

    // Merging a file into itself is refused.
    let refused = run_in(
        dir.path(),
        &[
            "merge-catalogue",
            "thai-nguyen.sqlite",
            "--catalogue",
            "thai-nguyen.sqlite",
        ],
    );
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("this is the catalogue being merged into"));
    let _ = here;
}

#[test]
fn the_other_province_s_published_list_merges_like_its_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let (_, _, planted) = pair(dir.path(), 300);
    ok(
        dir.path(),
        &[
            "export",
            "--catalogue",
            "bac-kan.sqlite",
            "--output",
            "bac-kan.xlsx",
        ],
    );
    let from_list = json(&ok(
        dir.path(),
        &[
            "merge-catalogue",
            "bac-kan.xlsx",
            "--catalogue",
            "thai-nguyen.sqlite",
            "--dry-run",
            "--json",
        ],
    ));
    assert_eq!(
        count(&from_list, "matched_by_code"),
        planted.matched_by_code
    );
    assert_eq!(
        count(&from_list, "matched_by_name"),
        planted.matched_by_name
    );
    assert_eq!(count(&from_list, "only_there"), planted.only_there);
    assert_eq!(count(&from_list, "conflicting"), planted.conflicting);
    assert_eq!(count(&from_list, "gaps_filled"), planted.gaps_filled);
    assert_eq!(from_list["there"], "bac-kan (bac-kan.xlsx)");
    let text = stdout(&ok(
        dir.path(),
        &[
            "merge-catalogue",
            "bac-kan.xlsx",
            "--catalogue",
            "thai-nguyen.sqlite",
            "--dry-run",
        ],
    ));
    assert!(text.contains("dry run: nothing written"), "{text}");
}

#[test]
fn a_published_revision_of_the_other_catalogue_merges_and_is_named_in_provenance() {
    let dir = tempfile::tempdir().unwrap();
    let (here, _, planted) = pair(dir.path(), 300);
    let there = ["--catalogue", "bac-kan.sqlite"];
    ok(
        dir.path(),
        &["revision", "create", "cong-bo-2024", there[0], there[1]],
    );
    ok(
        dir.path(),
        &[
            "publish",
            "cong-bo-2024",
            "--decision",
            "88/QĐ-UBND",
            "--date",
            "2024-12-30",
            there[0],
            there[1],
        ],
    );
    // After the publication Bắc Kạn's working copy gains a procedure the merge must not take.
    let conn = rusqlite::Connection::open(dir.path().join("bac-kan.sqlite")).unwrap();
    conn.execute(
        "INSERT INTO procedure (code, name, level) VALUES ('2.999999', 'Thủ tục sau công bố', 'province')",
        [],
    )
    .unwrap();
    drop(conn);
    let merged = json(&ok(
        dir.path(),
        &[
            "merge-catalogue",
            "bac-kan.sqlite",
            "--other-revision",
            "cong-bo-2024",
            "--catalogue",
            "thai-nguyen.sqlite",
            "--json",
        ],
    ));
    assert_eq!(merged["there"], "Bắc Kạn (cong-bo-2024, 88/QĐ-UBND)");
    assert_eq!(count(&merged, "only_there"), planted.only_there);
    let entries = Catalogue::open_read_only(&here)
        .unwrap()
        .procedures()
        .unwrap();
    assert!(!entries.iter().any(|p| p.data.code == "2.999999"));
    assert!(
        entries.iter().any(|p| p.data.provenance
            == "Thái Nguyên (bản làm việc); Bắc Kạn (cong-bo-2024, 88/QĐ-UBND)")
    );
    let missing = run_in(
        dir.path(),
        &[
            "merge-catalogue",
            "bac-kan.sqlite",
            "--other-revision",
            "khong-co",
            "--catalogue",
            "thai-nguyen.sqlite",
        ],
    );
    assert!(!missing.status.success());
    assert!(
        stderr(&missing).contains("khong-co"),
        "{}",
        stderr(&missing)
    );
}
