//! File → Import… and File → Export… driven headless: the preview accounts for every row
//! before anything is written, a row's level can be changed, the import is one transaction;
//! exports land where the officer typed.

use std::path::Path;

use crate::common::window::{open, replace_text, settle, type_into, wait};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{Queryable, by};
use procedure_catalogue::domain::{Level, ProcedureField};
use procedure_catalogue::gui::CatalogueApp;
use procedure_catalogue::import::ImportPlan;
use procedure_catalogue::store::Catalogue;

const PATH_FIELD: &str = "Tệp .xlsx hoặc .csv (nhiều tệp cách nhau bằng ;)";

fn open_import(harness: &mut Harness<'static, CatalogueApp>, files: &str) {
    harness.get_by_label("Tệp").click();
    harness.run();
    harness.get_by_label_contains("Nhập danh sách…").click();
    harness.run();
    assert!(harness.state().import_dialog().is_some());
    type_into(harness, PATH_FIELD, files);
    preview(harness);
}

fn preview(harness: &mut Harness<'static, CatalogueApp>) {
    harness.get_by_label("Xem trước").click();
    harness.step();
    wait(harness, |app| {
        app.import_dialog()
            .is_some_and(|d| d.plan.is_some() || d.error.is_some())
            && !app.is_writing()
    });
}

/// Procedures in the working copy, as the file holds them.
fn total(path: &Path) -> u64 {
    let catalogue = Catalogue::open_read_only(path).expect("the catalogue opens");
    catalogue.stats().expect("stats").total
}

/// The plan the preview shows.
fn plan_of(harness: &Harness<'static, CatalogueApp>) -> ImportPlan {
    let dialog = harness.state().import_dialog().expect("the import dialog");
    dialog.plan.clone().expect("a preview")
}

fn csv(dir: &Path, catalogue: &Path) -> std::path::PathBuf {
    let stored = Catalogue::open_read_only(catalogue)
        .unwrap()
        .procedures()
        .unwrap();
    let (first, second) = (&stored[0].data, &stored[1].data);
    let fee =
        |data: &procedure_catalogue::domain::ProcedureData| ProcedureField::Fee.value_text(data);
    let mut writer = csv::Writer::from_writer(Vec::new());
    let first_fee = (first.fee.amount_vnd().unwrap_or(0) + 5_000).to_string();
    for row in [
        ["Mã số", "Tên", "Cơ quan thực hiện", "Phí, lệ phí (đồng)"],
        ["9.100001", "Thủ tục thử nghiệm cấp xã", "UBND cấp xã", "0"],
        [&first.code, &first.name, &first.agency, &first_fee],
        [&second.code, &second.name, &second.agency, &fee(second)],
        ["9.100003", "", "Sở Tư pháp", "0"],
        [
            "9.100002",
            "Thủ tục thử nghiệm thứ hai",
            "Sở Tư pháp",
            "10000",
        ],
    ] {
        writer.write_record(row).unwrap();
    }
    let text = writer.into_inner().unwrap();
    let path = dir.join("danh-sach.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn preview_change_a_level_then_import_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let list = csv(dir.path(), &path);
    let mut harness = open(path.clone());
    open_import(&mut harness, &list.display().to_string());

    let plan = plan_of(&harness);
    assert_eq!(plan.rows_read, 5);
    assert_eq!(plan.accounted_rows(), 5);
    let added: Vec<usize> = plan.added.iter().map(|a| a.row).collect();
    let updated: Vec<usize> = plan.updated.iter().map(|u| u.row).collect();
    assert_eq!((added, updated), (vec![2, 6], vec![3]));
    assert_eq!(plan.unchanged, [("danh-sach.csv".to_owned(), 4)]);
    assert_eq!(plan.rejected.len(), 1);
    assert_eq!(plan.rejected[0].row, 5);
    assert!(matches!(
        &plan.rejected[0].problem,
        procedure_catalogue::import::notes::RowProblem::NoName { .. }
    ));
    // Levels inferred from the agency: "UBND cấp xã" is a commune's.
    assert_eq!(plan.added[0].data.level, Some(Level::Commune));
    assert_eq!(plan.added[1].data.level, Some(Level::Province));
    // The preview opens on the rejected rows, said in the window's language, and nothing
    // can be written yet.
    harness.get_by_label("Bị từ chối (1)");
    harness.get_by_label_contains("không có tên (Tên): thủ tục nào cũng cần tên");
    assert!(
        !harness
            .state()
            .import_dialog()
            .unwrap()
            .can_import(Default::default())
    );
    assert_eq!(total(&path), 1374);

    // Row 6's level, inferred as province, is really a district's.
    harness.get_by_label("Thêm mới (2)").click();
    harness.run();
    harness
        .get(by().role(Role::ComboBox).value("Cấp tỉnh (đoán)"))
        .click();
    harness.run();
    harness.get_by_label("Cấp huyện").click();
    harness.step();
    wait(&mut harness, |app| {
        app.import_dialog()
            .is_some_and(|d| d.plan.as_ref().is_some_and(|p| p.levels.chosen == 1))
            && !app.is_writing()
    });
    let plan = plan_of(&harness);
    assert_eq!(plan.added[1].data.level, Some(Level::District));
    harness.get(by().role(Role::ComboBox).value("Cấp huyện (đã chọn)"));

    // Skip the rejected row; the changed option asks for a new preview first.
    harness
        .get_by_label("Bỏ qua các dòng bị từ chối hoặc chưa rõ cấp, nhập các dòng còn lại")
        .click();
    harness.run();
    assert!(
        !harness
            .state()
            .import_dialog()
            .unwrap()
            .can_import(Default::default())
    );
    harness.get_by_label("Tùy chọn đã đổi: bấm Xem trước lại");
    preview(&mut harness);
    assert!(
        harness
            .state()
            .import_dialog()
            .unwrap()
            .can_import(Default::default())
    );
    harness.get_by_label("Nhập vào danh mục (3)").click();
    harness.step();
    wait(&mut harness, |app| {
        app.import_dialog().is_none() && !app.is_loading()
    });
    settle(&mut harness);

    assert_eq!(harness.state().view().total(), 1376);
    assert!(
        harness
            .state()
            .last_action()
            .starts_with("Đã nhập: 2 thêm mới, 1 cập nhật"),
        "{}",
        harness.state().last_action()
    );
    let catalogue = Catalogue::open_read_only(&path).unwrap();
    let procedures = catalogue.procedures().unwrap();
    let find = |code: &str| procedures.iter().find(|p| p.data.code == code).unwrap();
    assert_eq!(find("9.100001").data.level, Some(Level::Commune));
    assert_eq!(find("9.100002").data.level, Some(Level::District));
    assert!(procedures.iter().all(|p| p.data.code != "9.100003"));
    // One batch, undone as one.
    assert!(
        catalogue
            .undo_summary()
            .unwrap()
            .unwrap()
            .contains("danh-sach.csv")
    );
    drop(catalogue);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    crate::common::window::settle(&mut harness);
    assert_eq!(total(&path), 1374);
    assert_eq!(harness.state().view().total(), 1374);
}

#[test]
fn every_row_of_the_real_lists_is_accounted_for() {
    let Some(realdata) = crate::common::realdata_dir() else {
        eprintln!("../shared/realdata is not here; skipped");
        return;
    };
    let mut files: Vec<String> = std::fs::read_dir(&realdata)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 3);
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    open_import(&mut harness, &files.join("; "));
    let dialog = harness.state().import_dialog().unwrap();
    assert!(dialog.error.is_none(), "{:?}", dialog.error);
    let plan = dialog.plan.clone().unwrap();
    assert_eq!(plan.files.len(), 3);
    assert!(plan.rows_read > 1000, "{}", plan.rows_read);
    assert_eq!(plan.accounted_rows(), plan.rows_read);
    // Central procedures are left out and rows that do not say their level are asked for:
    // nothing can be written until a level is chosen for them.
    assert!(!plan.skipped.is_empty() && !plan.level_unknown.is_empty());
    assert!(
        !harness
            .state()
            .import_dialog()
            .unwrap()
            .can_import(Default::default())
    );
    let unknown = plan.level_unknown.len();
    harness
        .get_by_label(&format!("Dòng chưa rõ cấp: {unknown}"))
        .click();
    harness.run();
    // The open list's item: the last node of that name.
    harness
        .query_all_by_label("Cấp tỉnh")
        .last()
        .expect("the list of levels")
        .click();
    harness.step();
    wait(&mut harness, |app| {
        app.import_dialog()
            .and_then(|d| d.plan.as_ref())
            .is_some_and(|p| p.level_unknown.is_empty())
            && !app.is_writing()
    });
    let plan = plan_of(&harness);
    assert_eq!(plan.accounted_rows(), plan.rows_read);
    assert_eq!(plan.levels.from_group, unknown);
    let writes = plan.added.len() + plan.updated.len();
    harness
        .get_by_label(&format!("Nhập vào danh mục ({writes})"))
        .click();
    harness.step();
    wait(&mut harness, |app| {
        app.import_dialog().is_none() && !app.is_loading()
    });
    settle(&mut harness);
    assert_eq!(harness.state().view().total(), 1374 + plan.added.len());
}

#[test]
fn export_the_list_and_an_annex_from_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    harness.get_by_label("Tệp").click();
    harness.run();
    harness.get_by_label_contains("Xuất…").click();
    harness.run();
    let target = dir.path().join("danh muc.xlsx");
    replace_text(&mut harness, "Lưu vào tệp", &target.display().to_string());
    harness.get_by_label("Xuất").click();
    harness.step();
    wait(&mut harness, |app| {
        app.export_dialog().is_some() && !app.is_exporting()
    });
    let dialog = harness.state().export_dialog().unwrap();
    assert!(dialog.error.is_none(), "{:?}", dialog.error);
    assert!(dialog.done.as_ref().unwrap().contains("1374"));
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&target).unwrap();
    use calamine::Reader;
    let data = workbook.worksheet_range("Dữ liệu đầy đủ").unwrap();
    assert_eq!(data.height(), 1375);

    // The annex against the shipped 2016 publication: the 2017 review, abolished entries
    // with the decision that abolished them.
    harness.get_by_label("Phụ lục quyết định").click();
    harness.run();
    harness.get_by_label("Xuất").click();
    harness.step();
    wait(&mut harness, |app| {
        app.export_dialog().is_some() && !app.is_exporting()
    });
    let dialog = harness.state().export_dialog().unwrap();
    assert!(dialog.error.is_none(), "{:?}", dialog.error);
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&target).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        ["Sửa đổi, bổ sung", "Thay thế", "Bãi bỏ"]
    );
    let abolished = workbook.worksheet_range("Bãi bỏ").unwrap();
    assert!(
        abolished
            .cells()
            .any(|(_, _, cell)| cell.to_string().contains("1050/QĐ-UBND"))
    );
    harness.get_by_label("Đóng").click();
    harness.run();
    assert!(harness.state().export_dialog().is_none());

    // From a diff on screen: the annex of the working copy against the published revision.
    {
        let mut catalogue = Catalogue::open(&path).unwrap();
        catalogue.create_revision("2025", "").unwrap();
        catalogue
            .publish_revision(
                "2025",
                "1/QĐ-UBND",
                procedure_catalogue::domain::parse_date("2025-01-02").unwrap(),
            )
            .unwrap();
    }
    crate::common::window::notice_outside_write(&mut harness);
    harness.get_by_label("Phiên bản và so sánh").click();
    harness.run();
    harness.get_by_label("So sánh").click();
    harness.step();
    wait(&mut harness, |app| !app.is_comparing());
    harness.get_by_label("Xuất phụ lục quyết định…").click();
    harness.run();
    let dialog = harness.state().export_dialog().unwrap();
    assert_eq!(dialog.since, "2025");
    assert!(
        dialog.path.ends_with("phu-luc-quyet-dinh.xlsx"),
        "{}",
        dialog.path
    );
    let annex = std::path::PathBuf::from(&dialog.path);
    harness.get_by_label("Xuất").click();
    harness.step();
    wait(&mut harness, |app| {
        app.export_dialog().is_some() && !app.is_exporting()
    });
    assert!(harness.state().export_dialog().unwrap().error.is_none());
    let workbook: calamine::Xlsx<_> = calamine::open_workbook(&annex).unwrap();
    // Nothing changed since the publication: the annex says so.
    assert_eq!(workbook.sheet_names(), ["Phụ lục"]);
}
