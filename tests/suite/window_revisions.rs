//! The Revisions view, driven headless: create a revision, compare it with the working
//! copy (the same diff the CLI prints), read a change side by side, publish it.

use crate::common::window::{open, type_into, wait};
use egui_kittest::kittest::Queryable;
use procedure_catalogue::diff::ChangeKind;
use procedure_catalogue::gui::Mode;
use procedure_catalogue::store::{Catalogue, Change};

#[test]
fn create_compare_and_publish_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    harness.get_by_label("Phiên bản và so sánh").click();
    harness.run();
    assert_eq!(harness.state().mode(), Mode::Revisions);
    // The shipped catalogue's 2016 publication is listed, sealed.
    harness.get_by_label_contains("cong-bo-2016");

    // Create a revision of the working copy.
    type_into(&mut harness, "Tên", "du-thao-2017");
    harness
        .get_by_label("Tạo phiên bản từ bản đang làm việc")
        .click();
    harness.run();
    let catalogue = Catalogue::open(&path).unwrap();
    assert_eq!(catalogue.revision("du-thao-2017").unwrap().procedures, 1374);
    drop(catalogue);

    // Change the working copy, then compare: the default pair is the revision → working.
    {
        let mut catalogue = Catalogue::open(&path).unwrap();
        catalogue.set_editor("đồng nghiệp");
        let procedure = catalogue.procedures().unwrap().remove(0);
        let mut data = procedure.data.clone();
        data.name = format!("{} đã sửa", data.name);
        catalogue
            .apply_changes(
                "edit",
                &[Change::Update {
                    procedure_id: procedure.procedure_id,
                    data,
                }],
            )
            .unwrap();
    }
    // That write came from another program: the window notices it within a second,
    // reads the table again and says who wrote what.
    crate::common::window::notice_outside_write(&mut harness);
    let said = harness.state().last_action().to_owned();
    assert!(
        said.starts_with("Chương trình khác vừa ghi: edit (đồng nghiệp)"),
        "{said}"
    );
    assert!(
        harness
            .state()
            .view()
            .rows()
            .iter()
            .any(|r| r.summary.name.ends_with("đã sửa"))
    );
    // The default pair is the last publication against the working copy: choose the draft.
    assert_eq!(harness.state().revisions_panel().old, "cong-bo-2016");
    harness
        .get_by_role_and_label(egui::accesskit::Role::ComboBox, "Bản cũ")
        .click();
    harness.run();
    harness
        .query_all_by_label("du-thao-2017")
        .last()
        .unwrap()
        .click();
    harness.run();
    assert_eq!(harness.state().revisions_panel().old, "du-thao-2017");
    harness.get_by_label("So sánh").click();
    harness.step();
    wait(&mut harness, |app| !app.is_comparing());
    let rows: Vec<_> = harness
        .state()
        .revisions_panel()
        .shown_rows()
        .into_iter()
        .cloned()
        .collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].kind, ChangeKind::Changed);
    assert!(rows[0].name.ends_with("đã sửa"));

    // The CLI gives the same diff.
    let output = crate::common::run_in(dir.path(), &["diff", "du-thao-2017", "working", "--json"]);
    let cli: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let window =
        serde_json::to_value(harness.state().revisions_panel().diff.as_ref().unwrap()).unwrap();
    assert_eq!(cli, window);

    // The selected change side by side.
    harness.get_by_label(&rows[0].code).click();
    harness.run();
    harness.get_by_label("Trước");
    harness.get_by_label("Sau");

    // Publish it.
    harness.get_by_label("Công bố…").click();
    harness.run();
    type_into(&mut harness, "Số quyết định", "1234/QĐ-UBND");
    type_into(&mut harness, "Ngày quyết định", "2017-06-30");
    harness.get_by_label("Công bố và khóa").click();
    harness.run();
    let catalogue = Catalogue::open(&path).unwrap();
    let publication = catalogue
        .revision("du-thao-2017")
        .unwrap()
        .published
        .unwrap();
    assert_eq!(publication.decision, "1234/QĐ-UBND");
    assert_eq!(
        procedure_catalogue::domain::format_date(publication.date),
        "2017-06-30"
    );
    harness.get_by_label_contains("Đã công bố 1234/QĐ-UBND");
}
