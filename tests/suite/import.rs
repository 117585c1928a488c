//! `import`: the national database's real Excel lists, CSV files, updates, replacement,
//! skipping bad rows, and the edit ledger.

use std::path::Path;

use crate::common::{json, run_in, stderr};
use procedure_catalogue::domain::{Level, ProcedureField, TimeUnit};
use procedure_catalogue::store::{Catalogue, LedgerAction};

fn import_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["import", "--json"];
    all.extend_from_slice(args);
    let output = run_in(dir, &all);
    assert!(
        output.status.success(),
        "import {args:?} failed: {}",
        stderr(&output)
    );
    json(&output)
}

#[test]
fn each_real_list_imports_into_a_new_catalogue_with_every_row_accounted_for() {
    let Some(realdata) = crate::common::realdata_dir() else {
        eprintln!("skipped: ../shared/realdata/ is not beside the repository");
        return;
    };
    for (file, rows) in [
        ("danh-sach-tthc-BoTuPhap.xlsx", 271),
        ("danh-sach-tthc-BoXayDung.xlsx", 525),
        ("danh-sach-tthc-NongNghiepvaMoiTruong.xlsx", 537),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let input = realdata.join(file);
        let before = std::fs::read(&input).unwrap();
        let catalogue = dir.path().join("new.sqlite");
        // Without a level column, rows whose agency does not tell the level are asked for:
        // the command line cannot ask, so it refuses and says how to answer.
        let refused = run_in(
            dir.path(),
            &[
                "import",
                input.to_str().unwrap(),
                "--create",
                "--catalogue",
                catalogue.to_str().unwrap(),
            ],
        );
        assert!(!refused.status.success(), "{file}");
        assert!(
            stderr(&refused).contains("do not say their level"),
            "{file}"
        );
        assert!(!catalogue.exists(), "{file}: no half-made catalogue");
        let report = import_json(
            dir.path(),
            &[
                input.to_str().unwrap(),
                "--create",
                "--skip-invalid",
                "--catalogue",
                catalogue.to_str().unwrap(),
            ],
        );
        assert_eq!(report["rows_read"], rows, "{file}");
        assert_eq!(report["rows_accounted"], rows, "{file}");
        // Every row: entries added (a row naming two levels adds two), central procedures
        // left out with their reason, or held for a level.
        let skipped = report["skipped"].as_array().unwrap();
        let unknown = report["level_unknown"].as_array().unwrap();
        let mut rows_added: std::collections::BTreeSet<u64> = std::collections::BTreeSet::new();
        let catalogue_now = Catalogue::open_read_only(&catalogue).unwrap();
        let entries = catalogue_now.procedures().unwrap();
        assert_eq!(report["added"], entries.len(), "{file}");
        drop(catalogue_now);
        for row in skipped.iter().chain(unknown) {
            assert!(!row["reason"].as_str().unwrap().is_empty(), "{row}");
            rows_added.insert(row["row"].as_u64().unwrap());
        }
        assert!(skipped.iter().all(|r| r["group"] == "central"), "{file}");
        assert_eq!(report["rejected"].as_array().unwrap().len(), 0, "{file}");
        assert_eq!(report["files"][0]["header_row"], 2, "{file}");
        assert_eq!(
            std::fs::read(&input).unwrap(),
            before,
            "{file} was modified"
        );
        // Importing the same list again changes nothing.
        let again = import_json(
            dir.path(),
            &[
                input.to_str().unwrap(),
                "--skip-invalid",
                "--catalogue",
                catalogue.to_str().unwrap(),
            ],
        );
        assert_eq!(again["unchanged"], report["added"], "{file}");
        assert_eq!(again["added"], 0, "{file}");
    }
}

/// The levels the national database gives each code, from the full list beside the lists.
fn database_levels(realdata: &Path) -> std::collections::HashMap<String, Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut workbook: Xlsx<_> = open_workbook(realdata.join("full/full-list.xlsx")).unwrap();
    let range = workbook.worksheet_range("Danh sách TTHC").unwrap();
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().unwrap().iter().map(|c| c.to_string()).collect();
    let code = header.iter().position(|h| h == "Mã số").unwrap();
    let level = header.iter().position(|h| h == "Cấp thực hiện").unwrap();
    rows.map(|row| {
        let levels = row[level]
            .to_string()
            .split(',')
            .map(|l| match l.trim() {
                "Cấp tỉnh" => "province",
                "Cấp huyện" => "district",
                "Cấp xã" => "commune",
                "Cấp bộ" => "central",
                _ => "other",
            })
            .map(str::to_owned)
            .collect();
        (row[code].to_string(), levels)
    })
    .collect()
}

#[test]
fn levels_inferred_from_the_agency_agree_with_the_database() {
    let Some(realdata) = crate::common::realdata_dir() else {
        eprintln!("skipped: ../shared/realdata/ is not beside the repository");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let catalogue_path = dir.path().join("all.sqlite");
    let files: Vec<String> = [
        "danh-sach-tthc-BoTuPhap.xlsx",
        "danh-sach-tthc-BoXayDung.xlsx",
        "danh-sach-tthc-NongNghiepvaMoiTruong.xlsx",
    ]
    .iter()
    .map(|f| realdata.join(f).to_string_lossy().into_owned())
    .collect();
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend([
        "--create",
        "--skip-invalid",
        "--catalogue",
        catalogue_path.to_str().unwrap(),
    ]);
    let report = import_json(dir.path(), &args);
    assert_eq!(report["rows_read"], 271 + 525 + 537);
    assert_eq!(report["rows_accounted"], 271 + 525 + 537);
    let truth = database_levels(&realdata);
    let catalogue = Catalogue::open(&catalogue_path).unwrap();
    let procedures = catalogue.procedures().unwrap();
    let right = procedures
        .iter()
        .filter(|p| truth[&p.data.code].contains(&p.data.level_or_province().key().to_owned()))
        .count();
    // The national lists' agencies sometimes contradict the database's own level column
    // (a ministry's agency on a provincial procedure): the rest must agree.
    assert!(
        right * 100 >= procedures.len() * 95,
        "{right} of {} entries at a level the database gives",
        procedures.len()
    );
    // Central procedures are left out, with their reason; those the database files at a
    // local level only (its own agency column says a ministry) are very few.
    let skipped = report["skipped"].as_array().unwrap();
    let local_only = skipped
        .iter()
        .filter(|row| {
            let levels = &truth[row["code"].as_str().unwrap()];
            !levels.iter().any(|l| l == "central" || l == "other")
        })
        .count();
    assert!(
        local_only * 100 <= skipped.len() * 2,
        "{local_only} of {} left out are local only in the database",
        skipped.len()
    );
    // "Ủy ban nhân dân cấp xã" heads many agency lists.
    let commune = procedures
        .iter()
        .filter(|p| p.data.level == Some(Level::Commune))
        .count();
    assert!(commune >= 100, "{commune} commune procedures");
    let multi_agency = procedures
        .iter()
        .find(|p| p.data.agency.contains('\n'))
        .expect("several agencies are kept, one a line");
    assert!(!multi_agency.data.agency.starts_with(' '));
}

const LIST: &str = "\u{feff}STT;Mã TTHC;Tên TTHC;Cấp thực hiện;Lĩnh vực;Cơ quan thực hiện;Mức độ DVC;Thời hạn giải quyết;Phí, lệ phí;Căn cứ pháp lý;Tình trạng;Số hồ sơ\n\
1;1.900001;Cấp giấy phép thử nghiệm;Cấp tỉnh;Xây dựng;Sở Xây dựng;Toàn trình;15 ngày làm việc;50.000 đồng;\"50/2014/QH13; 59/2015/NĐ-CP\";Còn hiệu lực;12\n\
2;1.900002;Đăng ký thử nghiệm;xã;Hộ tịch;UBND cấp xã;2;Trong ngày;Miễn phí;60/2014/QH13;;0\n";

#[test]
fn a_csv_with_every_column_imports_into_the_shipped_catalogue_and_records_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue_path = crate::common::copy_of_shipped(dir.path());
    let list = dir.path().join("list.csv");
    std::fs::write(&list, LIST).unwrap();
    let report = import_json(dir.path(), &[list.to_str().unwrap()]);
    assert_eq!(report["added"], 2);
    assert_eq!(report["level_inferred"], 0);

    let catalogue = Catalogue::open(&catalogue_path).unwrap();
    let procedures = catalogue.procedures().unwrap();
    let added = procedures
        .iter()
        .find(|p| p.data.code == "1.900001")
        .unwrap();
    assert_eq!(added.data.tier.map(|t| t.value()), Some(4));
    assert_eq!(
        added.data.processing_time.single(),
        Some((15.0, TimeUnit::WorkingDays))
    );
    assert_eq!(added.data.fee.amount_vnd(), Some(50_000));
    assert_eq!(added.data.legal_basis, ["50/2014/QH13", "59/2015/NĐ-CP"]);
    assert_eq!(added.data.dossiers_last_year, Some(12));
    let commune = procedures
        .iter()
        .find(|p| p.data.code == "1.900002")
        .unwrap();
    assert_eq!(commune.data.level, Some(Level::Commune));
    assert_eq!(
        commune.data.processing_time.single(),
        Some((1.0, TimeUnit::WithinDay))
    );
    assert_eq!(commune.data.fee.amount_vnd(), Some(0));

    let history = catalogue.history(added.procedure_id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, LedgerAction::Create);
    assert_eq!(history[0].editor, "test-officer");
    assert!(history[0].summary.contains("list.csv"));
}

#[test]
fn a_second_import_updates_only_what_changed_and_the_ledger_shows_old_and_new() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue_path = crate::common::copy_of_shipped(dir.path());
    let list = dir.path().join("list.csv");
    std::fs::write(&list, LIST).unwrap();
    import_json(dir.path(), &[list.to_str().unwrap()]);
    std::fs::write(&list, LIST.replace("15 ngày làm việc", "10 ngày làm việc")).unwrap();
    let report = import_json(dir.path(), &[list.to_str().unwrap()]);
    assert_eq!(report["updated"], 1);
    assert_eq!(report["unchanged"], 1);

    let catalogue = Catalogue::open(&catalogue_path).unwrap();
    let procedure = catalogue
        .procedures()
        .unwrap()
        .into_iter()
        .find(|p| p.data.code == "1.900001")
        .unwrap();
    assert_eq!(
        procedure.data.processing_time.single(),
        Some((10.0, TimeUnit::WorkingDays))
    );
    let history = catalogue.history(procedure.procedure_id).unwrap();
    let update = history
        .iter()
        .find(|e| e.action == LedgerAction::Update)
        .unwrap();
    assert_eq!(update.field, Some(ProcedureField::ProcessingTime));
    assert_eq!(update.old_value.as_deref(), Some("15 ngày làm việc"));
    assert_eq!(update.new_value.as_deref(), Some("10 ngày làm việc"));
}

#[test]
fn skip_invalid_imports_the_good_rows_and_reports_the_others() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "Mã số,Tên,Cấp\n1.900001,Cấp A,tỉnh\n,Không mã,tỉnh\n1.900001,Cấp A lặp,tỉnh\n1.900001,Cấp A ở xã,xã\n").unwrap();
    let report = import_json(dir.path(), &[list.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(
        report["added"], 2,
        "the same code at another level is another entry"
    );
    let rejected = report["rejected"].as_array().unwrap();
    assert_eq!(rejected.len(), 2);
    assert_eq!(rejected[0]["row"], 3);
    assert_eq!(rejected[1]["row"], 4);
    let output = run_in(dir.path(), &["stats", "--json"]);
    assert_eq!(json(&output)["total"], 1376);
}

#[test]
fn replace_retires_what_is_not_in_the_list_without_erasing_it() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue_path = crate::common::copy_of_shipped(dir.path());
    // The shipped catalogue keeps the entries its 2017 review retired.
    let retired_before = json(&run_in(dir.path(), &["stats", "--json"]))["retired"]
        .as_u64()
        .unwrap();
    assert!(retired_before > 0);
    let list = dir.path().join("list.csv");
    std::fs::write(&list, LIST).unwrap();
    let report = import_json(dir.path(), &[list.to_str().unwrap(), "--replace"]);
    assert_eq!(report["retired"], 1374);
    let output = run_in(dir.path(), &["stats", "--json"]);
    let stats = json(&output);
    assert_eq!(stats["total"], 2);
    assert_eq!(stats["retired"], 1374 + retired_before);
    let catalogue = Catalogue::open(&catalogue_path).unwrap();
    assert_eq!(
        catalogue.all_procedures().unwrap().len() as u64,
        1376 + retired_before
    );
}

#[test]
fn a_level_given_on_the_command_line_applies_to_rows_without_one() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("c.sqlite");
    let list = dir.path().join("list.csv");
    std::fs::write(
        &list,
        "Mã số,Tên,Cơ quan thực hiện\n1.900001,Cấp A,Sở Tư pháp\n",
    )
    .unwrap();
    let report = import_json(
        dir.path(),
        &[
            list.to_str().unwrap(),
            "--create",
            "--level",
            "huyen",
            "--catalogue",
            catalogue.to_str().unwrap(),
        ],
    );
    assert_eq!(report["added"], 1);
    let output = run_in(
        dir.path(),
        &[
            "stats",
            "--json",
            "--catalogue",
            catalogue.to_str().unwrap(),
        ],
    );
    assert_eq!(json(&output)["by_level"]["district"], 1);

    let output = run_in(
        dir.path(),
        &[
            "import",
            list.to_str().unwrap(),
            "--level",
            "trung-uong",
            "--catalogue",
            catalogue.to_str().unwrap(),
        ],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not a level"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_failed_create_leaves_no_catalogue_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("new.sqlite");
    let list = dir.path().join("list.csv");
    std::fs::write(&list, "Mã số,Tên,Cấp\n,Không mã,tỉnh\n").unwrap();
    let output = run_in(
        dir.path(),
        &[
            "import",
            list.to_str().unwrap(),
            "--create",
            "--catalogue",
            catalogue.to_str().unwrap(),
        ],
    );
    assert!(!output.status.success());
    assert!(!catalogue.exists());

    let output = run_in(dir.path(), &["import", list.to_str().unwrap(), "--create"]);
    assert!(!output.status.success());
    assert!(!dir.path().join("catalogue.sqlite").exists());
}

#[test]
fn create_refuses_an_existing_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = crate::common::copy_of_shipped(dir.path());
    let before = std::fs::read(&catalogue).unwrap();
    let list = dir.path().join("list.csv");
    std::fs::write(&list, LIST).unwrap();
    let output = run_in(dir.path(), &["import", list.to_str().unwrap(), "--create"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("already exists"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read(&catalogue).unwrap(), before);
}

#[test]
fn a_fee_that_cannot_be_read_is_kept_as_written_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue_path = dir.path().join("c.sqlite");
    let list = dir.path().join("list.csv");
    std::fs::write(
        &list,
        "Mã số,Tên,Cấp,Phí lệ phí\n1.900001,Cấp A,tỉnh,theo quy định\n",
    )
    .unwrap();
    let report = import_json(
        dir.path(),
        &[
            list.to_str().unwrap(),
            "--create",
            "--catalogue",
            catalogue_path.to_str().unwrap(),
        ],
    );
    assert_eq!(report["added"], 1);
    assert_eq!(report["warnings"].as_array().unwrap().len(), 1);
    let catalogue = Catalogue::open(&catalogue_path).unwrap();
    let procedure = &catalogue.procedures().unwrap()[0];
    assert_eq!(procedure.data.fee.amount_vnd(), None);
    assert_eq!(procedure.data.fee.text(), "theo quy định");
    assert!(procedure.data.fee.is_unstructured());
}

#[test]
fn planning_reports_progress_and_a_chosen_level_wins_over_inference() {
    use procedure_catalogue::import::{ImportOptions, LevelSource, plan_import_with_progress};
    use procedure_catalogue::progress::{Phase, Progress};

    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("list.csv");
    std::fs::write(
        &list,
        "Mã số,Tên,Cơ quan thực hiện\n9.1,Một,UBND cấp xã\n9.2,Hai,Sở Y tế\n\n9.3,Ba,UBND cấp huyện\n",
    )
    .unwrap();
    let catalogue = Catalogue::create(&dir.path().join("new.sqlite")).unwrap();
    let mut options = ImportOptions::default();
    options
        .level_overrides
        .insert(("list.csv".to_owned(), 3), Level::District);
    let progress = Progress::default();
    assert_eq!(progress.fraction(), None);
    let plan = plan_import_with_progress(&catalogue, &[list], &options, &progress).unwrap();
    assert_eq!(progress.phase(), Phase::Planning);
    assert_eq!(progress.fraction(), Some(1.0));
    // The header and three rows; the blank line is not a row.
    assert_eq!(progress.steps(), (4, 4));
    let levels: Vec<(usize, Level, LevelSource)> = plan
        .added
        .iter()
        .map(|a| (a.row, a.data.level.unwrap(), a.level_source))
        .collect();
    assert_eq!(
        levels,
        [
            (2, Level::Commune, LevelSource::Inferred),
            (3, Level::District, LevelSource::Chosen),
            (5, Level::District, LevelSource::Inferred),
        ]
    );
    assert_eq!((plan.levels.inferred, plan.levels.chosen), (2, 1));

    // Writing counts its changes too, up to all of them.
    let mut catalogue = catalogue;
    let written = Progress::default();
    procedure_catalogue::import::apply_import_with_progress(&mut catalogue, &plan, &written)
        .unwrap();
    assert_eq!((written.phase(), written.steps()), (Phase::Writing, (3, 3)));
    assert_eq!(procedure_catalogue::import::planned_changes(&plan), 3);
    assert_eq!(catalogue.stats().unwrap().total, 3);
}

#[test]
fn a_list_laid_out_as_an_annex_takes_level_and_field_from_its_section_rows() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("phu-luc.csv");
    std::fs::write(
        &list,
        "DANH MỤC THỦ TỤC HÀNH CHÍNH,,,\n\
         STT,Mã TTHC,Tên thủ tục hành chính,Cơ quan thực hiện\n\
         A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH,,,\n\
         I. LĨNH VỰC HỘ TỊCH,,,\n\
         1,9.000001,Đăng ký khai sinh có yếu tố nước ngoài,UBND cấp xã\n\
         II. Lĩnh vực Chứng thực,,,\n\
         1,9.000002,Chứng thực bản sao từ bản chính,Sở Tư pháp\n\
         B. THỦ TỤC HÀNH CHÍNH CẤP XÃ,,,\n\
         I. LĨNH VỰC HỘ TỊCH,,,\n\
         1,9.000003,Đăng ký khai sinh,UBND cấp xã\n",
    )
    .unwrap();
    let report = import_json(dir.path(), &["phu-luc.csv", "--create"]);
    assert_eq!(report["added"], 3, "{report}");
    assert_eq!(report["sections"], 5, "{report}");
    assert_eq!(report["rejected"].as_array().unwrap().len(), 0, "{report}");
    assert_eq!(report["rows_read"], 8, "{report}");
    let catalogue = Catalogue::open_read_only(&dir.path().join("catalogue.sqlite")).unwrap();
    let entries: Vec<(String, Option<Level>, String)> = catalogue
        .procedures()
        .unwrap()
        .into_iter()
        .map(|p| (p.data.code, p.data.level, p.data.field))
        .collect();
    assert_eq!(
        entries,
        [
            (
                "9.000001".to_owned(),
                Some(Level::Province),
                "Hộ tịch".to_owned()
            ),
            (
                "9.000002".to_owned(),
                Some(Level::Province),
                "Chứng thực".to_owned()
            ),
            (
                "9.000003".to_owned(),
                Some(Level::Commune),
                "Hộ tịch".to_owned()
            ),
        ]
    );
}

/// An import into a new catalogue writes each entry while the rows after it are planned.
/// What it writes must be what planning first and writing after writes: the same entries
/// (content hashes), legal-basis links, documents and ledger, past several hand-overs to
/// the writer and with a rejected row among them.
#[test]
fn importing_into_a_new_catalogue_while_planning_writes_what_plan_then_apply_writes() {
    use procedure_catalogue::export::{ExportKind, export};
    use procedure_catalogue::generator::{GeneratorConfig, generate, write_catalogue};
    use procedure_catalogue::import::{
        ImportError, ImportOptions, apply_import, import_into_new, plan_import,
    };

    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("source.sqlite");
    write_catalogue(
        &source,
        &generate(&GeneratorConfig::national(3_000, 3, 11)).unwrap(),
    )
    .unwrap();
    let list = dir.path().join("list.csv");
    export(
        &Catalogue::open_read_only(&source).unwrap(),
        &ExportKind::List { revision: None },
        &list,
    )
    .unwrap();
    // One row in the middle loses its name: rejected.
    let mut records: Vec<csv::StringRecord> = csv::Reader::from_path(&list)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    let header = csv::Reader::from_path(&list)
        .unwrap()
        .headers()
        .unwrap()
        .clone();
    let name = header.iter().position(|h| h == "name").unwrap();
    records[1_500] = records[1_500]
        .iter()
        .enumerate()
        .map(|(i, cell)| if i == name { "" } else { cell })
        .collect();
    let mut writer = csv::Writer::from_path(&list).unwrap();
    writer.write_record(&header).unwrap();
    for record in &records {
        writer.write_record(record).unwrap();
    }
    writer.flush().unwrap();

    let state = |catalogue: &Catalogue| {
        let conn = catalogue.connection();
        let rows = |sql: &str| -> Vec<String> {
            conn.prepare(sql)
                .unwrap()
                .query_map([], |row| row.get::<_, String>(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        (
            rows("SELECT code || ' ' || level || ' ' || content_hash FROM procedure ORDER BY 1"),
            rows(
                "SELECT p.code || ' ' || p.level || ' ' || l.position || ' ' || l.document_number
                  FROM procedure_legal_basis l JOIN procedure p USING (procedure_id) ORDER BY 1",
            ),
            rows(
                "SELECT number || ' ' || title || ' ' || coalesce(repealed_on, '') FROM legal_document ORDER BY 1",
            ),
            rows(
                "SELECT p.code || ' ' || p.level || ' ' || e.action || ' ' || b.summary
                  FROM edit_ledger e JOIN procedure p USING (procedure_id)
                  JOIN edit_batch b USING (batch_id) ORDER BY 1",
            ),
        )
    };

    // Without --skip-invalid: refused, and the new file is never made.
    let refused = dir.path().join("refused.sqlite");
    let mut staged = Catalogue::create_staged(&refused).unwrap();
    let error = import_into_new(
        staged.catalogue(),
        std::slice::from_ref(&list),
        &ImportOptions::default(),
        &Default::default(),
    )
    .unwrap_err();
    assert!(
        matches!(&error, ImportError::Rejected(rows) if rows.len() == 1),
        "{error}"
    );
    drop(staged);
    assert!(!refused.exists());

    let options = ImportOptions {
        skip_invalid: true,
        ..ImportOptions::default()
    };
    let streamed_path = dir.path().join("streamed.sqlite");
    let mut staged = Catalogue::create_staged(&streamed_path).unwrap();
    let (plan, applied) = import_into_new(
        staged.catalogue(),
        std::slice::from_ref(&list),
        &options,
        &Default::default(),
    )
    .unwrap();
    let streamed = staged.finish().unwrap();
    assert!(plan.added.is_empty(), "handed to the writer, not kept");
    assert_eq!(plan.rejected.len(), 1);
    assert_eq!(plan.added_count(), applied.created.len());
    assert!(plan.added_count() > 2_900, "{}", plan.added_count());

    let mut planned_first = Catalogue::create(&dir.path().join("two-step.sqlite")).unwrap();
    let two_step = plan_import(&planned_first, std::slice::from_ref(&list), &options).unwrap();
    assert_eq!(two_step.added_by_level(), plan.added_by_level());
    assert_eq!(two_step.accounted_rows(), plan.accounted_rows());
    apply_import(&mut planned_first, &two_step).unwrap();

    assert_eq!(state(&streamed), state(&planned_first));
    // Its indexes were made after the rows: the file holds every one, and is sound.
    let indexes = |catalogue: &Catalogue| -> Vec<String> {
        let conn = catalogue.connection();
        conn.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY 1")
            .unwrap()
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(indexes(&streamed), indexes(&planned_first));
    let check: String = streamed
        .connection()
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}
