//! Export from the command line: the published list (CSV, XLSX) reads back into the same
//! catalogue, formulas never run, the annex and the diff report say what changed.

use std::path::Path;

use crate::common::{json, ok, run_in, stderr, stdout};
use calamine::{Data, Reader, Xlsx, open_workbook};
use procedure_catalogue::domain::{Level, ProcedureData, Status};
use procedure_catalogue::import::{SectionHeading, section_heading};
use procedure_catalogue::store::{Catalogue, Change};
use procedure_catalogue::text::fold;

/// (code, level, content hash) of every working entry, and every legal document.
fn contents(path: &Path) -> (Vec<(String, String, String)>, Vec<String>) {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut entries = conn
        .prepare(
            "SELECT code, level, content_hash FROM procedure WHERE retired_at IS NULL ORDER BY 1, 2",
        )
        .unwrap();
    let entries = entries
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let catalogue = Catalogue::open_read_only(path).unwrap();
    let documents = catalogue
        .legal_documents()
        .unwrap()
        .iter()
        .map(|d| format!("{d:?}"))
        .collect();
    (entries, documents)
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    Data::Float(f) => f.to_string(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect()
}

#[test]
fn what_export_writes_import_reads_back_to_the_same_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    for output in ["list.xlsx", "list.csv"] {
        let exported = ok(dir.path(), &["export", "--output", output]);
        assert!(
            stdout(&exported).contains("1374 procedures"),
            "{}",
            stdout(&exported)
        );
        let copy = format!("{output}.sqlite");
        ok(
            dir.path(),
            &["import", output, "--create", "--catalogue", &copy],
        );
        let diff = json(&ok(dir.path(), &["diff", "working", &copy, "--json"]));
        for kind in ["added", "removed", "changed", "moved", "replaced"] {
            assert_eq!(diff["summary"][kind], 0, "{output}: {kind}: {diff}");
        }
        // Byte for byte: the planted NFD name and doubled spaces come back as they were.
        // The workbook also carries the legal documents (their repeal dates, replacements).
        let (entries, documents) = contents(&path);
        let (entries_back, documents_back) = contents(&dir.path().join(&copy));
        assert!(entries == entries_back, "{output}: the entries differ");
        // The documents (repeal dates, replacements) too: the workbook's third sheet, the
        // CSV's sidecar file.
        assert!(
            documents == documents_back,
            "{output}: the documents differ"
        );
        if output.ends_with(".csv") {
            assert!(
                stdout(&exported).contains("list.documents.csv"),
                "{}",
                stdout(&exported)
            );
        }
        // And the import of an unchanged export changes nothing.
        let again = json(&ok(dir.path(), &["import", output, "--json"]));
        assert_eq!(again["unchanged"], 1374, "{output}: {again}");
    }
}

/// Every finding as (rule, members' code@level), sorted: what an officer would review.
fn findings(path: &Path) -> Vec<(String, Vec<String>)> {
    let catalogue = Catalogue::open_read_only(path).unwrap();
    let entries = catalogue.procedures().unwrap();
    let documents = catalogue.legal_documents().unwrap();
    let as_of = procedure_catalogue::domain::parse_date("2026-12-01").unwrap();
    let mut found: Vec<(String, Vec<String>)> =
        procedure_catalogue::audit::audit(&entries, &documents, as_of)
            .into_iter()
            .map(|finding| {
                let mut members: Vec<String> = finding
                    .members
                    .iter()
                    .map(|m| format!("{}@{}", m.code, m.level.key()))
                    .collect();
                members.sort();
                (finding.rule.key().to_owned(), members)
            })
            .collect();
    found.sort();
    found
}

#[test]
fn a_national_catalogue_through_csv_comes_back_with_every_finding() {
    // Before the documents' sidecar, a CSV round trip lost the repeal dates and with them a
    // third of the obsolete findings.
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("national.sqlite");
    let generated = procedure_catalogue::generator::generate(
        &procedure_catalogue::generator::GeneratorConfig::national(12_000, 6, 5),
    )
    .unwrap();
    procedure_catalogue::generator::write_catalogue(&original, &generated).unwrap();
    ok(
        dir.path(),
        &[
            "export",
            "--catalogue",
            "national.sqlite",
            "--output",
            "n.csv",
        ],
    );
    ok(
        dir.path(),
        &["import", "n.csv", "--create", "--catalogue", "back.sqlite"],
    );
    let before = findings(&original);
    let after = findings(&dir.path().join("back.sqlite"));
    let obsolete = before
        .iter()
        .filter(|(rule, _)| rule.contains("repealed"))
        .count();
    assert!(
        obsolete > 50,
        "the generated catalogue plants repealed bases: {obsolete}"
    );
    assert_eq!(before.len(), after.len());
    assert!(before == after, "the findings differ after the round trip");
    assert_eq!(
        contents(&original),
        contents(&dir.path().join("back.sqlite"))
    );
    // The catalogue's audit reads entries without their long texts and takes fingerprints
    // from the stored hashes: it finds what the audit of whole entries finds, fingerprints
    // (which verdicts hold by) included.
    let catalogue = Catalogue::open_read_only(&original).unwrap();
    let as_of = procedure_catalogue::domain::parse_date("2026-12-01").unwrap();
    let lean = procedure_catalogue::audit::audit_catalogue(&catalogue, as_of).unwrap();
    let whole = procedure_catalogue::audit::audit(
        &catalogue.procedures().unwrap(),
        &catalogue.legal_documents().unwrap(),
        as_of,
    );
    assert_eq!(lean.findings.len(), whole.len());
    assert!(
        lean.findings == whole,
        "the lean audit differs from the whole one"
    );
}

#[test]
fn a_cell_that_looks_like_a_formula_never_becomes_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let payloads = [
        "=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")",
        "+84 912 345 678",
        "-2+3",
        "@SUM(A1:A9)",
        "'=already quoted",
    ];
    let code;
    {
        let mut catalogue = Catalogue::open(&path).unwrap();
        let first = catalogue.procedures().unwrap().remove(0);
        code = first.data.code.clone();
        let data = ProcedureData {
            name: payloads[0].to_owned(),
            agency: payloads[1].to_owned(),
            fee: procedure_catalogue::domain::Fee::parse(payloads[2]),
            notes: payloads[3].to_owned(),
            subjects: payloads[4].to_owned(),
            ..first.data.clone()
        };
        catalogue
            .apply_changes(
                "injection",
                &[Change::Update {
                    procedure_id: first.procedure_id,
                    data,
                }],
            )
            .unwrap();
    }
    ok(dir.path(), &["export", "--output", "list.csv"]);
    ok(dir.path(), &["export", "--output", "list.xlsx"]);

    // CSV: each such cell starts with a quote, so no spreadsheet evaluates it.
    let text = std::fs::read_to_string(dir.path().join("list.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[1] == code.as_str())
        .unwrap();
    for cell in row.iter() {
        let first = cell.chars().next();
        assert!(
            !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
            "CSV cell {cell:?} would run as a formula"
        );
    }
    assert_eq!(&row[2], format!("'{}", payloads[0]));
    assert_eq!(&row[17], format!("'{}", payloads[4]).as_str());

    // XLSX: the text is in string cells and the workbook holds no formula at all.
    let xlsx = dir.path().join("list.xlsx");
    let mut workbook: Xlsx<_> = open_workbook(&xlsx).unwrap();
    for name in workbook.sheet_names() {
        let formulas = workbook.worksheet_formula(&name).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "sheet {name} holds a formula"
        );
    }
    let data = sheet(&xlsx, "Dữ liệu đầy đủ");
    let row = data.iter().find(|r| r[1] == code).unwrap();
    assert_eq!(row[2], payloads[0]);
    let list = sheet(&xlsx, "Danh mục TTHC");
    assert!(list.iter().any(|r| r[2] == payloads[0]));

    // Both read back to the very values.
    for output in ["list.csv", "list.xlsx"] {
        let copy = format!("{output}.sqlite");
        ok(
            dir.path(),
            &["import", output, "--create", "--catalogue", &copy],
        );
        let catalogue = Catalogue::open_read_only(&dir.path().join(&copy)).unwrap();
        let back = catalogue
            .procedures()
            .unwrap()
            .into_iter()
            .find(|p| p.data.code == code)
            .unwrap()
            .data;
        assert_eq!(
            [
                back.name,
                back.agency,
                back.fee.text().to_owned(),
                back.notes,
                back.subjects
            ],
            payloads.map(str::to_owned),
            "{output}"
        );
    }
}

#[test]
fn the_published_list_is_laid_out_as_an_annex() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    ok(dir.path(), &["revision", "create", "2026"]);
    ok(
        dir.path(),
        &[
            "publish",
            "2026",
            "--decision",
            "1234/QĐ-UBND",
            "--date",
            "2026-03-15",
        ],
    );
    ok(
        dir.path(),
        &["export", "--output", "published.xlsx", "--revision", "2026"],
    );
    let rows = sheet(&dir.path().join("published.xlsx"), "Danh mục TTHC");
    assert_eq!(rows[0][0], "DANH MỤC THỦ TỤC HÀNH CHÍNH");
    assert!(
        rows[1][0].contains("Quyết định số 1234/QĐ-UBND ngày 15 tháng 3 năm 2026"),
        "{}",
        rows[1][0]
    );
    assert!(rows[1][0].contains("cấp tỉnh: 1103; cấp huyện: 193; cấp xã: 78"));
    assert_eq!(
        rows[3],
        [
            "STT",
            "Mã TTHC",
            "Tên thủ tục hành chính",
            "Thời hạn giải quyết",
            "Địa điểm thực hiện / Cơ quan thực hiện",
            "Phí, lệ phí",
            "Căn cứ pháp lý",
            "Mức độ DVC"
        ]
    );
    // Section rows: levels in order, fields under each; numbers restart in every field.
    let levels: Vec<&str> = rows
        .iter()
        .map(|r| r[0].as_str())
        .filter(|c| c.contains("THỦ TỤC HÀNH CHÍNH CẤP"))
        .collect();
    assert_eq!(
        levels,
        [
            "A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH",
            "B. THỦ TỤC HÀNH CHÍNH CẤP HUYỆN",
            "C. THỦ TỤC HÀNH CHÍNH CẤP XÃ"
        ]
    );
    let mut entries = 0;
    let mut expected_number = 1.0;
    for row in &rows[4..] {
        if row[0].starts_with("I") || row[0].starts_with('V') || row[0].starts_with('X') {
            assert!(row[0].contains(". LĨNH VỰC "), "{}", row[0]);
            expected_number = 1.0;
        } else if let Ok(number) = row[0].parse::<f64>() {
            assert_eq!(number, expected_number, "{row:?}");
            expected_number += 1.0;
            entries += 1;
        }
    }
    assert_eq!(entries, 1374);
    let fields = rows.iter().filter(|r| r[0].contains(". LĨNH VỰC ")).count();
    assert!(fields > 30, "{fields} field sections");

    // The import reads those section rows back as each entry's level and field.
    let catalogue = Catalogue::open_read_only(&dir.path().join("catalogue.sqlite")).unwrap();
    let stored: std::collections::HashMap<String, (Level, String)> = catalogue
        .procedures()
        .unwrap()
        .into_iter()
        .map(|p| {
            let level = p.data.level_or_province();
            (
                format!("{}@{level}", p.data.code),
                (level, fold(&p.data.field)),
            )
        })
        .collect();
    let (mut level, mut field) = (None, None);
    for row in &rows[4..] {
        match section_heading(&row[0]) {
            Some(SectionHeading::Level(l)) => (level, field) = (Some(l), None),
            Some(SectionHeading::Field(f)) => field = Some(fold(&f)),
            None => {
                let level = level.expect("a level section above every entry");
                let key = format!("{}@{level}", row[1]);
                assert_eq!(
                    stored[&key],
                    (level, field.clone().expect("a field section")),
                    "{row:?}"
                );
            }
        }
    }
}

fn create(catalogue: &mut Catalogue, code: &str, name: &str, like: &ProcedureData) -> i64 {
    let data = ProcedureData {
        code: code.to_owned(),
        name: name.to_owned(),
        decision_number: "99/QĐ-UBND".to_owned(),
        ..like.clone()
    };
    catalogue
        .apply_changes("create", &[Change::Create(data)])
        .unwrap()
        .created[0]
}

#[test]
fn the_annex_lists_new_amended_replaced_and_abolished_procedures() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    // A catalogue never published has nothing to annex against (the shipped one has 2016's).
    Catalogue::create(&dir.path().join("empty.sqlite")).unwrap();
    let failed = run_in(
        dir.path(),
        &[
            "export",
            "--annex",
            "--output",
            "annex.xlsx",
            "--catalogue",
            "empty.sqlite",
        ],
    );
    assert!(!failed.status.success());
    assert!(
        stderr(&failed).contains("no published revision"),
        "{}",
        stderr(&failed)
    );
    assert!(!dir.path().join("annex.xlsx").exists());

    ok(dir.path(), &["revision", "create", "2025"]);
    ok(
        dir.path(),
        &[
            "publish",
            "2025",
            "--decision",
            "100/QĐ-UBND",
            "--date",
            "2025-06-01",
        ],
    );
    let (amended_code, replaced_code, abolished_code);
    {
        let mut catalogue = Catalogue::open(&path).unwrap();
        let procedures = catalogue.procedures().unwrap();
        let (a, r, b) = (&procedures[10], &procedures[20], &procedures[30]);
        amended_code = a.data.code.clone();
        replaced_code = r.data.code.clone();
        abolished_code = b.data.code.clone();
        let amended = ProcedureData {
            fee: procedure_catalogue::domain::Fee::of_vnd(75_000),
            processing_time: procedure_catalogue::domain::ProcessingTime::of(
                3.0,
                procedure_catalogue::domain::TimeUnit::WorkingDays,
            ),
            ..a.data.clone()
        };
        catalogue
            .apply_changes(
                "amend",
                &[Change::Update {
                    procedure_id: a.procedure_id,
                    data: amended,
                }],
            )
            .unwrap();
        create(&mut catalogue, "9.000001", "Thủ tục mới hoàn toàn", &a.data);
        create(&mut catalogue, "9.000002", "Thủ tục thay thế", &r.data);
        let replaced = ProcedureData {
            status: Status::Replaced,
            replaced_by: "9.000002".to_owned(),
            ..r.data.clone()
        };
        catalogue
            .apply_changes(
                "replace",
                &[
                    Change::Update {
                        procedure_id: r.procedure_id,
                        data: replaced,
                    },
                    Change::Retire {
                        procedure_id: r.procedure_id,
                        reason: "thay thế".into(),
                        decision_number: "200/QĐ-UBND".into(),
                    },
                ],
            )
            .unwrap();
        catalogue
            .apply_changes(
                "abolish",
                &[Change::Retire {
                    procedure_id: b.procedure_id,
                    reason: "bãi bỏ".into(),
                    decision_number: "201/QĐ-UBND".into(),
                }],
            )
            .unwrap();
    }
    let out = ok(
        dir.path(),
        &["export", "--annex", "--output", "annex.csv", "--json"],
    );
    let summary = json(&out);
    assert_eq!(summary["base"], "2025");
    assert_eq!(summary["procedures"], 4);
    let text = std::fs::read_to_string(dir.path().join("annex.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let parts: Vec<(&str, &str)> = rows.iter().map(|r| (&r[0], &r[4])).collect();
    assert_eq!(
        parts,
        [
            ("new", "9.000001"),
            ("amended", amended_code.as_str()),
            ("replaced", "9.000002"),
            ("abolished", abolished_code.as_str())
        ]
    );
    let amended = &rows[1];
    assert!(
        amended[8].contains("Thời hạn giải quyết: "),
        "{}",
        &amended[8]
    );
    assert!(amended[8].contains("→ 75.000 đồng"), "{}", &amended[8]);
    assert_eq!(
        (&rows[2][6], &rows[2][9]),
        (replaced_code.as_str(), "200/QĐ-UBND")
    );
    assert_eq!(&rows[3][9], "201/QĐ-UBND");

    ok(dir.path(), &["export", "--annex", "--output", "annex.xlsx"]);
    let xlsx = dir.path().join("annex.xlsx");
    let workbook: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["Mới ban hành", "Sửa đổi, bổ sung", "Thay thế", "Bãi bỏ"]
    );
    let replaced = sheet(&xlsx, "Thay thế");
    assert_eq!(
        replaced[0][0],
        "3. DANH MỤC THỦ TỤC HÀNH CHÍNH ĐƯỢC THAY THẾ"
    );
    assert!(replaced[1][0].contains("\"2025\""));
    let entry = replaced.iter().find(|r| r[1] == replaced_code).unwrap();
    assert_eq!(
        (entry[3].as_str(), entry[6].as_str()),
        ("9.000002", "200/QĐ-UBND")
    );
    let abolished = sheet(&xlsx, "Bãi bỏ");
    assert!(
        abolished
            .iter()
            .any(|r| r[1] == abolished_code && r[4] == "201/QĐ-UBND")
    );

    // The diff report: one row per change, old → new.
    ok(
        dir.path(),
        &["diff", "2025", "working", "--output", "report.xlsx"],
    );
    let changes = sheet(&dir.path().join("report.xlsx"), "Thay đổi");
    let fee = changes
        .iter()
        .find(|r| r[1] == amended_code && r[5] == "Phí, lệ phí")
        .unwrap();
    assert_eq!(fee[0], "Sửa đổi");
    assert_eq!(fee[7], "75.000 đồng");
    assert!(
        changes
            .iter()
            .any(|r| r[0] == "Thêm mới" && r[1] == "9.000001")
    );
    assert!(
        changes
            .iter()
            .any(|r| r[0] == "Thay thế" && r[1] == "9.000002")
    );
    assert!(
        changes
            .iter()
            .any(|r| r[0] == "Bỏ khỏi danh mục" && r[1] == abolished_code)
    );
}

#[test]
fn bad_outputs_get_one_message_and_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let before = std::fs::read(&path).unwrap();
    for (args, expected) in [
        (
            vec!["export", "--output", "list.pdf"],
            "Give a path ending in .csv or .xlsx",
        ),
        (
            vec!["export", "--output", "missing/folder/list.xlsx"],
            "cannot write the file",
        ),
        (
            vec!["export", "--output", "a.xlsx", "--revision", "nope"],
            "nope",
        ),
        (
            vec!["diff", "working", "working", "--output", "r.txt"],
            ".csv or .xlsx",
        ),
    ] {
        let output = run_in(dir.path(), &args);
        assert!(!output.status.success(), "{args:?}");
        let message = stderr(&output);
        assert!(message.contains(expected), "{args:?}: {message}");
        assert_eq!(message.trim().lines().count(), 1, "{message}");
        assert!(!message.contains("panicked"));
    }
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("catalogue.sqlite"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_field_longer_than_an_excel_cell_is_split_on_the_data_sheet_and_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    // Two long fields of two procedures: 50,000 and 40,000 characters, as the national
    // database's dossiers run.
    let (dossier, steps) = (
        "Thành phần hồ sơ gồm đơn đề nghị. ".repeat(1_500),
        "Bước một, tiếp nhận. ".repeat(1_905),
    );
    let (first_code, second_code);
    {
        let mut catalogue = Catalogue::open(&path).unwrap();
        let procedures = catalogue.procedures().unwrap();
        let (first, second) = (&procedures[0], &procedures[1]);
        first_code = first.data.code.clone();
        second_code = second.data.code.clone();
        catalogue
            .apply_changes(
                "long",
                &[
                    Change::Update {
                        procedure_id: first.procedure_id,
                        data: ProcedureData {
                            dossier: dossier.clone(),
                            ..first.data.clone()
                        },
                    },
                    Change::Update {
                        procedure_id: second.procedure_id,
                        data: ProcedureData {
                            steps: steps.clone(),
                            ..second.data.clone()
                        },
                    },
                ],
            )
            .unwrap();
    }
    assert!(dossier.chars().count() > 32_767 && steps.chars().count() > 32_767);
    // One export lists every long value at once; nothing is refused.
    let summary = json(&ok(
        dir.path(),
        &["export", "--output", "list.xlsx", "--json"],
    ));
    let long = summary["long_cells"].as_array().unwrap();
    let named: Vec<(&str, &str, u64)> = long
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap(),
                c["column"].as_str().unwrap(),
                c["cells"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        named.contains(&(first_code.as_str(), "dossier", 2)),
        "{named:?}"
    );
    assert!(
        named.contains(&(second_code.as_str(), "steps", 2)),
        "{named:?}"
    );
    // Imported back into a new catalogue, the two values are whole again.
    ok(
        dir.path(),
        &[
            "import",
            "list.xlsx",
            "--create",
            "--catalogue",
            "copy.sqlite",
        ],
    );
    let copy = Catalogue::open_read_only(&dir.path().join("copy.sqlite")).unwrap();
    let back: Vec<ProcedureData> = copy
        .procedures()
        .unwrap()
        .into_iter()
        .map(|p| p.data)
        .collect();
    let find = |code: &str| back.iter().find(|d| d.code == code).unwrap();
    assert_eq!(find(&first_code).dossier, dossier);
    assert_eq!(find(&second_code).steps, steps);
    let (entries, _) = contents(&path);
    let (entries_back, _) = contents(&dir.path().join("copy.sqlite"));
    assert!(entries == entries_back, "the round trip changed an entry");
}
