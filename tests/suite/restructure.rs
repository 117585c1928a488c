//! The 2025 restructuring on the shipped catalogue: two levels, the district procedures
//! moved by the level rules, the diff and the annex, and undo back to three levels.

use procedure_catalogue::domain::government::GovernmentModel;
use procedure_catalogue::export::{AnnexPart, decision_annex};
use procedure_catalogue::store::Catalogue;

use crate::common::{content_hashes, copy_of_shipped, json, ok, run_in, stderr, stdout};

fn rule_count(audit: &serde_json::Value, rule: &str) -> usize {
    audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .count()
}

#[test]
fn two_levels_then_the_default_rules_move_every_district_procedure_and_undo_restores_three() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_shipped(dir.path());
    let before = content_hashes(&path);
    // The three-level catalogue as published, to diff and annex against.
    ok(dir.path(), &["revision", "create", "ba-cap"]);
    ok(
        dir.path(),
        &[
            "publish",
            "ba-cap",
            "--decision",
            "1/QĐ-UBND",
            "--date",
            "2025-06-30",
        ],
    );

    let government = json(&ok(dir.path(), &["government", "two-level", "--json"]));
    assert_eq!(government["model"], "two_level");
    assert_eq!(government["since"], "2025-07-01");
    assert_eq!(government["changed"], true);
    let audit = json(&ok(dir.path(), &["audit", "--json"]));
    assert_eq!(audit["government"], "two_level");
    assert_eq!(rule_count(&audit, "district_level_abolished"), 193);
    let finding = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "district_level_abolished")
        .unwrap();
    assert_eq!(finding["kind"], "obsolete");
    assert!(
        finding["reason"]
            .as_str()
            .unwrap()
            .contains("đề xuất chuyển về"),
        "{finding}"
    );

    let preview = json(&ok(
        dir.path(),
        &["migrate", "two-level", "--dry-run", "--json"],
    ));
    assert_eq!(preview["dry_run"], true);
    assert_eq!(preview["district"], 193);
    assert_eq!(content_hashes(&path), before, "a dry run writes nothing");

    let migrated = json(&ok(dir.path(), &["migrate", "two-level", "--json"]));
    let counts = &migrated["counts"];
    let total: u64 = ["to_commune", "to_province", "merged", "abolished"]
        .iter()
        .map(|k| counts[k].as_u64().unwrap())
        .sum();
    assert_eq!(
        total, 193,
        "every district procedure accounted for: {counts}"
    );
    assert_eq!(migrated["rows"].as_array().unwrap().len(), 193);
    // The shipped district inspectorate's procedures go to the province's; the rest to the
    // communes (no district code stands at another level in the shipped catalogue).
    assert_eq!(counts["to_province"], 4, "{counts}");
    assert_eq!(counts["to_commune"], 189, "{counts}");
    assert_eq!(migrated["conflicts"], 0);
    let by_field_total: u64 = migrated["by_field"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            ["to_commune", "to_province", "merged", "abolished"]
                .iter()
                .map(|k| f[k].as_u64().unwrap())
                .sum::<u64>()
        })
        .sum();
    assert_eq!(by_field_total, 193);

    let stats = json(&ok(dir.path(), &["stats", "--json"]));
    assert_eq!(stats["total"], 1374);
    assert_eq!(stats["by_level"]["province"], 1103 + 4);
    assert_eq!(stats["by_level"]["commune"], 78 + 189);
    assert!(stats["by_level"].get("district").is_none(), "{stats}");
    assert_eq!(stats["government"]["model"], "two_level");
    let audit = json(&ok(dir.path(), &["audit", "--json"]));
    assert_eq!(rule_count(&audit, "district_level_abolished"), 0);

    // The diff shows the moves; the annex prints them as amended, level and agency changed.
    let diff = json(&ok(dir.path(), &["diff", "ba-cap", "working", "--json"]));
    assert_eq!(
        diff["moved"].as_array().unwrap().len(),
        193,
        "{}",
        diff["summary"]
    );
    assert_eq!(diff["added"].as_array().unwrap().len(), 0);
    assert_eq!(diff["removed"].as_array().unwrap().len(), 0);
    let moved = &diff["moved"][0];
    assert_eq!(moved["from_level"], "district");
    assert_eq!(moved["fields"], serde_json::json!(["agency"]), "{moved}");
    {
        let catalogue = Catalogue::open_read_only(&path).unwrap();
        let annex = decision_annex(&catalogue, "ba-cap", "working").unwrap();
        assert_eq!(annex.count(AnnexPart::Amended), 193);
        assert_eq!(annex.count(AnnexPart::Abolished), 0);
        // As the decision prints a move: the levels by their names.
        let (_, levels) = &annex.parts[0];
        let moved = &levels[0].fields[0].entries[0];
        let text = moved.changes_text();
        assert!(text.contains("Cấp thực hiện: Cấp huyện → Cấp"), "{text}");
        assert!(!text.contains("district"), "{text}");
    }
    // The printed list has no district section.
    ok(dir.path(), &["export", "--output", "list.xlsx"]);
    let list = std::fs::read(dir.path().join("list.xlsx")).unwrap();
    let sheet = xlsx_text(&list);
    assert!(sheet.contains("cấp tỉnh: 1107; cấp xã: 267)"), "count line");
    assert!(!sheet.contains("CẤP HUYỆN"));

    // Two batches: the switch, then the move. Undone, the catalogue is three-level again,
    // every entry as it was.
    let mut catalogue = Catalogue::open(&path).unwrap();
    let undone = catalogue.undo().unwrap().unwrap();
    assert_eq!(undone.procedure_ids.len(), 193);
    assert_eq!(
        catalogue.government().unwrap(),
        GovernmentModel::two_level()
    );
    let undone = catalogue.undo().unwrap().unwrap();
    assert_eq!(undone.settings, ["government"]);
    assert_eq!(catalogue.government().unwrap(), GovernmentModel::ThreeLevel);
    drop(catalogue);
    assert_eq!(content_hashes(&path), before);
}

#[test]
fn migrating_a_three_level_catalogue_switches_it_in_the_same_batch_one_undo_restores_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_shipped(dir.path());
    let before = content_hashes(&path);
    let out = stdout(&ok(dir.path(), &["migrate", "two-level"]));
    assert!(out.contains("193 district procedures"), "{out}");
    let mut catalogue = Catalogue::open(&path).unwrap();
    assert!(catalogue.government().unwrap().is_two_level());
    let undone = catalogue.undo().unwrap().unwrap();
    assert_eq!(undone.settings, ["government"]);
    assert_eq!(catalogue.government().unwrap(), GovernmentModel::ThreeLevel);
    drop(catalogue);
    assert_eq!(content_hashes(&path), before);
    // Redo does it again, exactly.
    let mut catalogue = Catalogue::open(&path).unwrap();
    catalogue.redo().unwrap().unwrap();
    assert_eq!(catalogue.stats().unwrap().by_level["district"], 0);
}

#[test]
fn a_code_already_at_the_target_level_is_merged_and_overrides_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let path = copy_of_shipped(dir.path());
    // Plant the same procedure at commune level for two district ones: one with the very
    // code, one with the province's local form of it.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let codes: Vec<String> = conn
        .prepare("SELECT code FROM procedure WHERE level = 'district' AND agency LIKE 'UBND%' ORDER BY code LIMIT 3")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    conn.execute(
        "INSERT INTO procedure (code, name, level) VALUES (?1, 'Cùng thủ tục ở cấp xã', 'commune')",
        [&codes[0]],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO procedure (code, name, level) VALUES (?1 || '.000.00.00.H55', 'Bản địa phương ở cấp xã', 'commune')",
        [&codes[1]],
    )
    .unwrap();
    drop(conn);

    let plan = json(&ok(
        dir.path(),
        &["migrate", "two-level", "--dry-run", "--json"],
    ));
    assert_eq!(plan["conflicts"], 2);
    assert_eq!(plan["counts"]["merged"], 2);
    let row = |code: &str| {
        plan["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(row(&codes[0])["outcome"], "merge");
    assert_eq!(row(&codes[0])["into"]["code"], codes[0].as_str());
    assert_eq!(
        row(&codes[1])["into"]["code"],
        format!("{}.000.00.00.H55", codes[1])
    );

    // A move onto the very code at commune level cannot be written: refused, named.
    let choose = format!("{}=commune", codes[0]);
    let refused = run_in(dir.path(), &["migrate", "two-level", "--choose", &choose]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(
        message.contains(&codes[0]) && message.contains("gộp"),
        "{message}"
    );
    // The local form may move beside it; the third is abolished by hand.
    let move_local = format!("{}=commune", codes[1]);
    let abolish = format!("{}=abolish", codes[2]);
    let applied = json(&ok(
        dir.path(),
        &[
            "migrate",
            "two-level",
            "--json",
            "--choose",
            &move_local,
            "--choose",
            &abolish,
        ],
    ));
    assert_eq!(applied["overridden"], 2);
    assert_eq!(applied["counts"]["merged"], 1);
    assert_eq!(applied["counts"]["abolished"], 1);
    let catalogue = Catalogue::open_read_only(&path).unwrap();
    let stats = catalogue.stats().unwrap();
    assert_eq!(stats.by_level["district"], 0);
    // Merged and abolished entries are retired with their reason, kept for history.
    assert_eq!(stats.total, 1374 + 2 - 2);
    let retired: Vec<(String, String)> = catalogue
        .all_procedures()
        .unwrap()
        .into_iter()
        .filter_map(|p| Some((p.data.code, p.retired?.reason)))
        .filter(|(code, _)| *code == codes[0] || *code == codes[2])
        .collect();
    assert_eq!(retired.len(), 2, "{retired:?}");
    assert!(
        retired
            .iter()
            .any(|(_, reason)| reason.contains("gộp vào thủ tục"))
    );
    assert!(retired.iter().any(|(_, reason)| reason.contains("bãi bỏ")));
}

#[test]
fn a_rules_file_the_officer_wrote_moves_by_field_and_a_bad_row_is_named() {
    let dir = tempfile::tempdir().unwrap();
    copy_of_shipped(dir.path());
    std::fs::write(
        dir.path().join("rules.csv"),
        "Theo,Chứa,Chuyển về,Cơ quan thực hiện mới,Ghi chú\n\
         Lĩnh vực,Đất đai,Cấp tỉnh,Văn phòng đăng ký đất đai,Đất đai lên tỉnh\n\
         Mọi thủ tục,,Cấp xã,UBND cấp xã,\n",
    )
    .unwrap();
    let plan = json(&ok(
        dir.path(),
        &[
            "migrate",
            "two-level",
            "--rules",
            "rules.csv",
            "--dry-run",
            "--json",
        ],
    ));
    let land = plan["by_field"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "Đất đai")
        .unwrap();
    assert_eq!(land["to_province"], 14);
    assert_eq!(plan["counts"]["to_province"], 14);
    let row = plan["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["field"] == "Đất đai")
        .unwrap();
    assert_eq!(row["agency_after"], "Văn phòng đăng ký đất đai");
    assert_eq!(row["rule"], "Lĩnh vực chứa «Đất đai»");

    std::fs::write(
        dir.path().join("bad.csv"),
        "Theo,Chứa,Chuyển về\nLĩnh vực,Đất đai,Cấp huyện\n",
    )
    .unwrap();
    let refused = run_in(dir.path(), &["migrate", "two-level", "--rules", "bad.csv"]);
    assert!(!refused.status.success());
    let message = stderr(&refused);
    assert!(
        message.contains("bad.csv") && message.contains("line 2"),
        "{message}"
    );
    // `migrate rules` prints what the catalogue uses, which reads back as rules.
    let printed = stdout(&ok(dir.path(), &["migrate", "rules"]));
    assert!(printed.starts_with("Theo,Chứa,Chuyển về"), "{printed}");
}

/// The shared strings of a workbook (every text cell), enough to look for a heading.
fn xlsx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    for name in ["xl/sharedStrings.xml", "xl/worksheets/sheet1.xml"] {
        if let Ok(mut file) = archive.by_name(name) {
            std::io::Read::read_to_string(&mut file, &mut text).unwrap();
        }
    }
    text
}
