//! `import`: the national database's real Excel lists, CSV files, updates, replacement,
//! skipping bad rows, and the edit ledger.

use std::path::Path;

use crate::common::{json, run_in, stderr};
use procedure_catalogue::domain::{Level, ProcedureField};
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
        let report = import_json(
            dir.path(),
            &[
                input.to_str().unwrap(),
                "--create",
                "--catalogue",
                catalogue.to_str().unwrap(),
            ],
        );
        assert_eq!(report["rows_read"], rows, "{file}");
        assert_eq!(report["added"], rows, "{file}");
        assert_eq!(report["rejected"].as_array().unwrap().len(), 0, "{file}");
        assert_eq!(report["files"][0]["header_row"], 2, "{file}");
        assert_eq!(report["level_inferred"], rows, "{file}: no level column");
        assert_eq!(
            std::fs::read(&input).unwrap(),
            before,
            "{file} was modified"
        );

        let output = run_in(
            dir.path(),
            &[
                "stats",
                "--json",
                "--catalogue",
                catalogue.to_str().unwrap(),
            ],
        );
        let stats = json(&output);
        assert_eq!(stats["total"], rows, "{file}");

        // Importing the same list again changes nothing.
        let again = import_json(
            dir.path(),
            &[
                input.to_str().unwrap(),
                "--catalogue",
                catalogue.to_str().unwrap(),
            ],
        );
        assert_eq!(again["unchanged"], rows, "{file}");
        assert_eq!(again["added"], 0, "{file}");
    }
}

#[test]
fn real_list_levels_are_inferred_from_the_agency() {
    let Some(realdata) = crate::common::realdata_dir() else {
        eprintln!("skipped: ../shared/realdata/ is not beside the repository");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let catalogue_path = dir.path().join("new.sqlite");
    import_json(
        dir.path(),
        &[
            realdata
                .join("danh-sach-tthc-BoTuPhap.xlsx")
                .to_str()
                .unwrap(),
            "--create",
            "--catalogue",
            catalogue_path.to_str().unwrap(),
        ],
    );
    let catalogue = Catalogue::open(&catalogue_path).unwrap();
    let procedures = catalogue.procedures().unwrap();
    let commune = procedures
        .iter()
        .filter(|p| p.data.level == Some(Level::Commune))
        .count();
    // "Ủy ban nhân dân cấp xã" (36) and "Chủ tịch UBND cấp xã" (3) head their agency lists.
    assert!(commune >= 39, "{commune} commune procedures");
    let multi_agency = procedures
        .iter()
        .find(|p| p.data.agency.contains('\n'))
        .expect("several agencies are kept, one a line");
    assert!(!multi_agency.data.agency.starts_with(' '));
    assert!(
        procedures
            .iter()
            .all(|p| p.data.issuer == "Bộ Tư pháp" || !p.data.issuer.is_empty())
    );
}

#[test]
fn all_real_lists_import_together_in_one_transaction() {
    let Some(realdata) = crate::common::realdata_dir() else {
        eprintln!("skipped: ../shared/realdata/ is not beside the repository");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let catalogue = dir.path().join("all.sqlite");
    let files: Vec<String> = [
        "danh-sach-tthc-BoTuPhap.xlsx",
        "danh-sach-tthc-BoXayDung.xlsx",
        "danh-sach-tthc-NongNghiepvaMoiTruong.xlsx",
    ]
    .iter()
    .map(|f| realdata.join(f).to_string_lossy().into_owned())
    .collect();
    let mut args: Vec<&str> = files.iter().map(String::as_str).collect();
    args.extend(["--create", "--catalogue", catalogue.to_str().unwrap()]);
    let report = import_json(dir.path(), &args);
    assert_eq!(report["rows_read"], 271 + 525 + 537);
    let accounted = report["added"].as_u64().unwrap()
        + report["updated"].as_u64().unwrap()
        + report["unchanged"].as_u64().unwrap()
        + report["rejected"].as_array().unwrap().len() as u64;
    assert_eq!(accounted, 271 + 525 + 537);
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
    assert_eq!(added.data.processing_days, Some(15.0));
    assert_eq!(added.data.fee_vnd, Some(50_000));
    assert_eq!(added.data.legal_basis, ["50/2014/QH13", "59/2015/NĐ-CP"]);
    assert_eq!(added.data.dossiers_last_year, Some(12));
    let commune = procedures
        .iter()
        .find(|p| p.data.code == "1.900002")
        .unwrap();
    assert_eq!(commune.data.level, Some(Level::Commune));
    assert_eq!(commune.data.processing_days, Some(0.5));
    assert_eq!(commune.data.fee_vnd, Some(0));

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
    std::fs::write(&list, LIST.replace("15 ngày làm việc", "10")).unwrap();
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
    assert_eq!(procedure.data.processing_days, Some(10.0));
    let history = catalogue.history(procedure.procedure_id).unwrap();
    let update = history
        .iter()
        .find(|e| e.action == LedgerAction::Update)
        .unwrap();
    assert_eq!(update.field, Some(ProcedureField::ProcessingDays));
    assert_eq!(update.old_value.as_deref(), Some("15"));
    assert_eq!(update.new_value.as_deref(), Some("10"));
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
    let list = dir.path().join("list.csv");
    std::fs::write(&list, LIST).unwrap();
    let report = import_json(dir.path(), &[list.to_str().unwrap(), "--replace"]);
    assert_eq!(report["retired"], 1374);
    let output = run_in(dir.path(), &["stats", "--json"]);
    let stats = json(&output);
    assert_eq!(stats["total"], 2);
    assert_eq!(stats["retired"], 1374);
    let catalogue = Catalogue::open(&catalogue_path).unwrap();
    assert_eq!(catalogue.all_procedures().unwrap().len(), 1376);
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
fn unreadable_optional_values_are_kept_in_the_notes_not_lost() {
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
    assert_eq!(procedure.data.fee_vnd, None);
    assert!(
        procedure.data.notes.contains("theo quy định"),
        "{}",
        procedure.data.notes
    );
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
