//! Simplification from the command line: options recorded and carried out on a copy of the
//! shipped catalogue, the savings report's JSON, text and workbook agreeing with each other,
//! bad input refused with one message, and the dossier parser on the real records.

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{copy_of_shipped, json, ok, run_in, stderr, stdout};
use procedure_catalogue::simplify::dossier::Dossier;

fn measure<'a>(report: &'a serde_json::Value, key: &str) -> &'a serde_json::Value {
    report["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["measure"] == key)
        .unwrap_or_else(|| panic!("no measure {key}"))
}

#[test]
fn options_recorded_and_carried_out_show_in_a_report_whose_json_text_and_workbook_agree() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = copy_of_shipped(dir.path());
    let c = catalogue.to_str().unwrap();
    let with_catalogue = |args: &[&str]| -> Vec<String> {
        args.iter()
            .chain(&["--catalogue", c])
            .map(|a| a.to_string())
            .collect()
    };
    let okc = |args: &[&str]| {
        let all = with_catalogue(args);
        ok(
            dir.path(),
            &all.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    };
    let runc = |args: &[&str]| {
        let all = with_catalogue(args);
        run_in(
            dir.path(),
            &all.iter().map(String::as_str).collect::<Vec<_>>(),
        )
    };
    okc(&["revision", "create", "truoc"]);

    // What the first entry costs, before.
    let cost = json(&okc(&["simplify", "cost", "1.001000@province", "--json"]));
    let before = cost["cost"]["per_year"].as_i64().unwrap();
    assert_eq!(
        cost["dossier"]["cases"][0]["components"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The shipped catalogue's options (its 2017 review) come first: numbers follow them.
    let shipped = json(&okc(&["simplify", "options", "--json"]))["options"]
        .as_array()
        .unwrap()
        .len();
    let number = |output: std::process::Output| json(&output)["number"].to_string();
    let cut = number(okc(&[
        "simplify",
        "option",
        "1.001000@province",
        "cut_time",
        "--time",
        "7 ngày làm việc",
        "--reason",
        "Rút ngắn thời gian thẩm định",
        "--legal-change",
        "Điều 102 Luật Xây dựng",
        "--proposer",
        "Sở Xây dựng",
        "--json",
    ]));
    assert_eq!(cut, (shipped + 1).to_string());
    let drop = number(okc(&[
        "simplify",
        "option",
        "1.001000@province",
        "drop_papers",
        "--drop",
        "2",
        "--json",
    ]));
    let abolish = number(okc(&[
        "simplify",
        "option",
        "1.001014@province",
        "abolish",
        "--reason",
        "Không phát sinh hồ sơ",
        "--json",
    ]));
    let raise = number(okc(&[
        "simplify",
        "option",
        "1.001007@province",
        "raise_online",
        "--apply",
        "--json",
    ]));
    // Recorded, one rejected: it cannot be carried out.
    okc(&["simplify", "state", &abolish, "rejected"]);
    let refused = runc(&["simplify", "apply", &abolish]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains(&format!("option {abolish} was rejected")),
        "{}",
        stderr(&refused)
    );
    okc(&["simplify", "state", &abolish, "accepted"]);
    for number in [&cut, &drop, &abolish] {
        okc(&["simplify", "apply", number]);
    }
    let options = json(&okc(&["simplify", "options", "--json"]));
    let mine: Vec<&serde_json::Value> = options["options"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| [&cut, &drop, &abolish, &raise].contains(&&o["number"].to_string()))
        .collect();
    assert_eq!(mine.len(), 4);
    assert!(mine.iter().all(|o| o["state"] == "carried_out"));

    let after = json(&okc(&["simplify", "cost", "1.001000@province", "--json"]));
    // 7 days, one paper fewer: one hour less, one copy less (43.750 + 2.000 đồng a time).
    assert_eq!(
        after["dossier"]["cases"][0]["components"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let executions = after["cost"]["executions"].as_i64().unwrap();
    assert_eq!(
        before - after["cost"]["per_year"].as_i64().unwrap(),
        45_750 * executions
    );

    let report_path = dir.path().join("tiet-kiem.xlsx");
    let report = json(&okc(&[
        "simplify",
        "report",
        "truoc",
        "working",
        "--json",
        "--output",
        report_path.to_str().unwrap(),
    ]));
    let totals = &report["totals"];
    assert_eq!(totals["procedures_before"], 1374);
    assert_eq!(totals["procedures_after"], 1373);
    assert_eq!(
        (totals["abolished"].as_i64(), totals["simplified"].as_i64()),
        (Some(1), Some(2))
    );
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    let first = rows.iter().find(|r| r["code"] == "1.001000").unwrap();
    assert_eq!(first["before"]["processing_days"], 10.0);
    assert_eq!(first["after"]["processing_days"], 7.0);
    assert_eq!(first["options"].as_array().unwrap().len(), 2);
    let days = measure(&report, "processing_days");
    assert_eq!(days["reduction"], 3.0 + 25.0);
    assert_eq!(days["target"], 30.0);
    assert!(days["target_source"].as_str().unwrap().contains("66/NQ-CP"));
    assert_eq!(days["met"], false);
    let yearly = measure(&report, "compliance_cost_per_year");
    assert_eq!(
        yearly["before"].as_f64().unwrap() - yearly["after"].as_f64().unwrap(),
        yearly["reduction"].as_f64().unwrap()
    );
    // Sums by level add up to the totals.
    let by_level: i64 = report["by_level"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["tally"]["cost_per_year_after"].as_i64().unwrap())
        .sum();
    assert_eq!(by_level, totals["cost_per_year_after"].as_i64().unwrap());

    // The text says the same figures.
    let text = stdout(&okc(&["simplify", "report", "truoc", "working"]));
    assert!(text.contains("1.374 → 1.373"), "{text}");
    assert!(
        text.contains("abolished 1 · merged 0 · simplified 2"),
        "{text}"
    );

    // The workbook's summary holds the JSON's figures, row by row.
    let mut workbook: Xlsx<_> = open_workbook(&report_path).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["Tổng hợp", "Chi tiết", "Phương án"]
    );
    let summary = workbook.worksheet_range("Tổng hợp").unwrap();
    let cells: Vec<Vec<Data>> = summary.rows().map(|r| r.to_vec()).collect();
    for measure in report["measures"].as_array().unwrap() {
        let label = format!(
            "{} ({})",
            measure["label"].as_str().unwrap(),
            measure["unit"].as_str().unwrap()
        );
        let row = cells
            .iter()
            .find(|row| row.first() == Some(&Data::String(label.clone())))
            .unwrap_or_else(|| panic!("no row {label}"));
        assert_eq!(
            row[1],
            Data::Float(measure["before"].as_f64().unwrap().round()),
            "{label}"
        );
        assert_eq!(
            row[2],
            Data::Float(measure["after"].as_f64().unwrap().round()),
            "{label}"
        );
        assert_eq!(
            row[4],
            Data::Float(measure["rate"].as_f64().unwrap()),
            "{label}"
        );
    }
    let details = workbook.worksheet_range("Chi tiết").unwrap();
    let codes: Vec<String> = details
        .rows()
        .filter_map(|r| match &r[1] {
            Data::String(code) if code.starts_with("1.") => Some(code.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(codes, ["1.001000", "1.001007", "1.001014"]);
}

#[test]
fn bad_options_parameters_and_sides_get_one_clear_message_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = copy_of_shipped(dir.path());
    let c = catalogue.to_str().unwrap();
    let hashes = crate::common::content_hashes(&catalogue);
    let refused = |args: &[&str], says: &str| {
        let output = run_in(dir.path(), &[args, &["--catalogue", c][..]].concat());
        assert!(!output.status.success(), "{args:?} succeeded");
        let message = stderr(&output);
        assert!(message.contains(says), "{args:?}: {message}");
        // One message (clap adds its pointer to --help after a bad argument).
        let lines = message
            .trim()
            .lines()
            .filter(|line| !line.is_empty() && !line.starts_with("For more information"));
        assert_eq!(lines.count(), 1, "{message}");
    };
    refused(
        &["simplify", "option", "1.001000@province", "cut_time"],
        "must say the new processing time",
    );
    refused(
        &[
            "simplify",
            "option",
            "1.001000@province",
            "cut_time",
            "--time",
            "sớm",
        ],
        "is not a processing time",
    );
    refused(
        &["simplify", "option", "9.999999", "abolish"],
        "no procedure \"9.999999\"",
    );
    refused(
        &[
            "simplify",
            "option",
            "1.001000@province",
            "drop_papers",
            "--drop",
            "9",
        ],
        "has 2 papers",
    );
    refused(
        &["simplify", "option", "1.001000", "shorten"],
        "is not an option kind",
    );
    refused(&["simplify", "apply", "99999"], "no option number 99999");
    refused(
        &["simplify", "parameters", "--set", "income_per_hour=nhiều"],
        "is not a number",
    );
    refused(
        &["simplify", "parameters", "--set", "wage=1"],
        "\"wage\" is not a parameter",
    );
    refused(&["simplify", "report", "khong-co", "working"], "khong-co");
    assert_eq!(crate::common::content_hashes(&catalogue), hashes);

    // A parameter set with its source: the cost follows, and the report states it.
    ok(
        dir.path(),
        &[
            "simplify",
            "parameters",
            "--set",
            "income_per_hour=50.000",
            "--source",
            "income_per_hour=Cục Thống kê 2025",
            "--catalogue",
            c,
        ],
    );
    let cost = json(&ok(
        dir.path(),
        &[
            "simplify",
            "cost",
            "1.001000@province",
            "--json",
            "--catalogue",
            c,
        ],
    ));
    let income = cost["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["key"] == "income_per_hour")
        .unwrap();
    assert_eq!(
        (income["value"].as_f64(), income["source"].as_str()),
        (Some(50_000.0), Some("Cục Thống kê 2025"))
    );
    // 11 hours × 50.000 + 1.000.000 fee + 2.000 copy.
    assert_eq!(cost["cost"]["per_execution"], 11 * 50_000 + 1_002_000);
    ok(
        dir.path(),
        &[
            "simplify",
            "targets",
            "--set",
            "compliance_cost=25",
            "--catalogue",
            c,
        ],
    );
    let targets = json(&ok(
        dir.path(),
        &["simplify", "targets", "--json", "--catalogue", c],
    ));
    assert_eq!(targets["compliance_cost"]["value"], 25.0);
}

/// The real records' dossiers: the national database's table run together. Record 0 (worked
/// through by hand: twelve papers, each "1 bản chính", and among them a row "(01) bộ hồ sơ
/// (bản giấy) … 0 bản chính" that says how many sets to file, not a paper), record 5
/// (three papers whose count is "0 bản chính": not stated) and record 100 (three papers of
/// "1 bản chính,1 bản sao", the second's name ending in a date glued to its count).
#[test]
fn the_real_records_dossiers_split_into_papers_with_their_counts() {
    let Some(realdata) = crate::common::realdata_dir() else {
        eprintln!("skipped: ../shared/realdata/ is not beside the repository");
        return;
    };
    let text = std::fs::read_to_string(realdata.join("full/records.jsonl")).unwrap();
    let dossiers: Vec<String> = text
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            record["thanh_phan_ho_so"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    let first = Dossier::parse(&dossiers[0]);
    let papers: Vec<_> = first.components().collect();
    assert_eq!(papers.len(), 12);
    assert!(papers.iter().all(|p| (p.originals, p.copies) == (1, 0)));
    assert!(
        papers[0]
            .name
            .starts_with("Đề án sắp xếp, đổi mới của công ty nông, lâm nghiệp")
    );
    assert!(
        papers[9]
            .name
            .starts_with("Dự thảo tờ trình Thủ tướng Chính phủ")
    );
    assert_eq!(
        papers[10].name,
        "Đề án của các công ty nông, lâm nghiệp trực thuộc"
    );
    assert_eq!(papers[11].name, "Phương án");
    assert_eq!(first.sets, Some(1));

    let fifth = Dossier::parse(&dossiers[5]);
    assert_eq!(fifth.components().count(), 3);
    assert!(fifth.components().all(|p| !p.count_stated));

    let hundredth = Dossier::parse(&dossiers[100]);
    let counts: Vec<(u32, u32)> = hundredth
        .components()
        .map(|p| (p.originals, p.copies))
        .collect();
    assert_eq!(counts, [(1, 1); 3]);
    assert!(
        hundredth
            .components()
            .nth(1)
            .unwrap()
            .name
            .ends_with("ngày 01/01/2026")
    );

    // Across all 1,333: every dossier with a count has papers; no paper keeps the table's
    // header or a count in its name; form files are split off all but a few (31 of 7,261:
    // a file name glued lower case to lower case, "…theo quy địnhvăn bản đề nghị.docx",
    // stays in the name).
    let (mut papers, mut with_file) = (0, 0);
    for (index, text) in dossiers.iter().enumerate() {
        let dossier = Dossier::parse(text);
        if text.contains(" bản chính") || text.contains(" bản sao") {
            assert!(
                dossier.components().count() > 0,
                "record {index}: {text:.200}"
            );
        }
        for paper in dossier.components() {
            papers += 1;
            assert!(!paper.name.contains("Tên giấy tờMẫu đơn"), "record {index}");
            // A count left in the name: "…1 bản chính" (a name may say "01 (một) bản chính").
            let count_left = paper
                .name
                .strip_suffix(" bản chính")
                .is_some_and(|rest| rest.ends_with(|c: char| c.is_ascii_digit()));
            assert!(!count_left, "record {index}: {}", paper.name);
            let lower = paper.name.to_lowercase();
            if [".doc", ".docx", ".pdf"].iter().any(|e| lower.ends_with(e)) {
                with_file += 1;
            }
        }
    }
    assert!(papers > 7000, "{papers} papers");
    assert!(
        with_file * 100 < papers,
        "{with_file} of {papers} names keep a form file"
    );
}

/// "Propose abolition" on the audit's findings records an "abolish" option per entry, in the
/// verdict's transaction, once: the same verdict again adds none.
#[test]
fn a_proposed_abolition_becomes_an_option_once() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = copy_of_shipped(dir.path());
    let c = catalogue.to_str().unwrap();
    let audit = json(&ok(dir.path(), &["audit", "--json", "--catalogue", c]));
    let unused: Vec<&serde_json::Value> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "no_dossiers")
        .collect();
    assert_eq!(unused.len(), 12);
    ok(
        dir.path(),
        &[
            "verdict",
            "rule:no_dossiers",
            "propose_abolition",
            "--note",
            "Sở Tư pháp đề nghị",
            "--catalogue",
            c,
        ],
    );
    // The verdict's options: abolitions proposed (the shipped catalogue's own options are
    // its 2017 review's, carried out, and its proposals for the next round, all online).
    let proposed = |value: serde_json::Value| -> Vec<serde_json::Value> {
        value["options"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["kind"] == "abolish" && o["state"] == "proposed")
            .cloned()
            .collect()
    };
    let list = || {
        json(&ok(
            dir.path(),
            &["simplify", "options", "--json", "--catalogue", c],
        ))
    };
    let options = proposed(list());
    assert_eq!(options.len(), 12);
    for (option, finding) in options.iter().zip({
        let mut sorted = unused.clone();
        sorted.sort_by_key(|f| f["procedures"][0]["code"].as_str().unwrap().to_owned());
        sorted
    }) {
        assert_eq!(option["kind"], "abolish");
        assert_eq!(option["state"], "proposed");
        assert_eq!(option["code"], finding["procedures"][0]["code"]);
        assert_eq!(
            option["reason"].as_str().unwrap(),
            format!(
                "{} (Sở Tư pháp đề nghị)",
                finding["reason"].as_str().unwrap()
            )
        );
    }
    // The findings stay listed (marked), and a second verdict records no second option.
    ok(
        dir.path(),
        &[
            "verdict",
            "rule:no_dossiers",
            "propose_abolition",
            "--catalogue",
            c,
        ],
    );
    assert_eq!(proposed(list()).len(), 12);
}

/// A report never reads a forged publication as if it were sealed: its seal is checked
/// (on another connection, while the rows are read) and a broken one fails the report.
#[test]
fn a_report_against_a_forged_publication_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = copy_of_shipped(dir.path());
    let c = catalogue.to_str().unwrap();
    let conn = rusqlite::Connection::open(&catalogue).unwrap();
    conn.execute_batch(
        "DROP TRIGGER procedure_version_no_update;
         UPDATE procedure_version SET fee = 'Miễn phí'
         WHERE version_id = (SELECT min(version_id) FROM procedure_version);",
    )
    .unwrap();
    drop(conn);
    let output = run_in(
        dir.path(),
        &[
            "simplify",
            "report",
            "cong-bo-2016",
            "working",
            "--catalogue",
            c,
        ],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("seal broken"),
        "{}",
        stderr(&output)
    );
}

/// The 2025 move to two levels in the savings report: every district entry moved (to the
/// commune or the province), none abolished or added; the procedures are as many after.
#[test]
fn a_move_to_two_levels_is_reported_as_moved() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = copy_of_shipped(dir.path());
    let c = catalogue.to_str().unwrap();
    ok(
        dir.path(),
        &["revision", "create", "ba-cap", "--catalogue", c],
    );
    ok(dir.path(), &["migrate", "two-level", "--catalogue", c]);
    let report = json(&ok(
        dir.path(),
        &[
            "simplify",
            "report",
            "ba-cap",
            "working",
            "--json",
            "--catalogue",
            c,
        ],
    ));
    let t = &report["totals"];
    assert_eq!(t["moved"], 193);
    assert_eq!(
        (t["abolished"].as_u64(), t["added"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(t["procedures_before"], t["procedures_after"]);
    let moved = report["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|row| row["outcome"] == "moved")
        .count();
    assert_eq!(moved, 193);
    assert!(
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|row| row["outcome"] == "moved")
            .all(|row| row["level"] == "district" && row["new_level"] != "district")
    );
}
