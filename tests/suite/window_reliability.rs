//! The window beside another program writing the same file: a Save that collides is
//! resolved field by field, never a silent revert; a write waits visibly for the other
//! program, and the window keeps drawing.

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use procedure_catalogue::gui::Command;
use procedure_catalogue::store::{Catalogue, Change};

use crate::common::window::{open, replace_text, settle, wait};

#[test]
fn a_save_that_collides_with_another_program_s_change_asks_field_by_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    harness.key_press(Key::Home);
    harness.run();
    let procedure_id = harness.state().selected().unwrap();

    // The officer types a new field and a new issuer…
    replace_text(&mut harness, "Lĩnh vực", "lĩnh vực của tôi");
    replace_text(&mut harness, "Cơ quan ban hành", "Bộ Tư pháp (của tôi)");

    // …while a colleague's program changes the field and the fee of the same procedure.
    {
        let mut other = Catalogue::open(&path).unwrap();
        other.set_editor("đồng nghiệp");
        let mut data = other.procedure(procedure_id).unwrap().data;
        data.field = "lĩnh vực của đồng nghiệp".into();
        data.fee = procedure_catalogue::domain::Fee::parse("100.000 đồng");
        other
            .apply_changes("their edit", &[Change::Update { procedure_id, data }])
            .unwrap();
    }
    // The window notices the other program's write and reads the table again; the form,
    // being typed in, stays as it is.
    crate::common::window::notice_outside_write(&mut harness);
    assert!(
        harness
            .state()
            .last_action()
            .starts_with("Chương trình khác vừa ghi: their edit (đồng nghiệp)")
    );
    assert_eq!(
        harness
            .state()
            .form()
            .unwrap()
            .text(procedure_catalogue::domain::ProcedureField::Field),
        "lĩnh vực của tôi"
    );
    harness.state_mut().run(Command::Save);
    harness.run();
    // Nothing written yet; the dialog shows the field changed on both sides.
    harness.get_by_label("Thủ tục này vừa được sửa ở nơi khác");
    let stored = Catalogue::open_read_only(&path)
        .unwrap()
        .procedure(procedure_id)
        .unwrap()
        .data;
    assert_eq!(stored.field, "lĩnh vực của đồng nghiệp");
    harness.get_by_role_and_label(Role::RadioButton, "lĩnh vực của đồng nghiệp");
    // Keep mine for the field (the default), save.
    harness.get_by_label("Lưu với các lựa chọn này").click();
    harness.run();
    settle(&mut harness);
    let stored = Catalogue::open_read_only(&path)
        .unwrap()
        .procedure(procedure_id)
        .unwrap()
        .data;
    assert_eq!(stored.field, "lĩnh vực của tôi");
    assert_eq!(stored.issuer, "Bộ Tư pháp (của tôi)");
    assert_eq!(stored.fee.amount_vnd(), Some(100_000), "their fee is kept");
    assert!(harness.state().last_action().starts_with("Đã lưu"));
}

#[test]
fn an_undo_waits_visibly_while_another_program_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    harness.key_press(Key::Home);
    harness.run();
    replace_text(&mut harness, "Cơ quan ban hành", "Bộ Tư pháp (để hoàn tác)");
    harness.state_mut().run(Command::Save);
    harness.run();
    settle(&mut harness);

    // Another program holds the write lock.
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE;").unwrap();
    harness.state_mut().run(Command::Undo);
    for _ in 0..40 {
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.get_by_label_contains("Đang chờ chương trình khác ghi xong");
    assert!(harness.state().is_writing(), "still waiting, and drawing");
    holder.execute_batch("COMMIT;").unwrap();
    wait(&mut harness, |app| !app.is_writing());
    assert!(
        harness.state().last_action().starts_with("Đã hoàn tác"),
        "{}",
        harness.state().last_action()
    );
}

#[test]
fn a_forged_publication_is_flagged_when_the_window_opens_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    {
        let mut catalogue = Catalogue::open(&path).unwrap();
        catalogue.create_revision("2017", "").unwrap();
        catalogue
            .publish_revision(
                "2017",
                "1234/QĐ-UBND",
                procedure_catalogue::domain::parse_date("2017-06-30").unwrap(),
            )
            .unwrap();
    }
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TRIGGER procedure_version_no_update;
         UPDATE procedure_version SET fee = '1 đồng'
         WHERE version_id = (SELECT max(version_id) FROM procedure_version);",
    )
    .unwrap();
    drop(conn);
    let mut harness = open(path);
    let said = harness.state().last_action().to_owned();
    assert!(said.starts_with("Niêm phong bị phá"), "{said}");
    assert!(said.ends_with("2017"), "{said}");
    harness.get_by_label("Phiên bản và so sánh").click();
    harness.run();
    harness.get_by_label("Niêm phong bị phá");
}
