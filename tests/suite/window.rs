//! The window, driven headless with egui_kittest as an officer would: filter, search, edit,
//! save, undo, redo, reject an invalid value, retire. kittest also fails on any glyph the
//! fonts lack, so every Vietnamese label drawn here is checked.

use std::path::PathBuf;

use crate::common::window::{open, settle, type_into};
use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use procedure_catalogue::domain::{ProcedureField, Tier};
use procedure_catalogue::gui::model::Facet;
use procedure_catalogue::gui::{CatalogueApp, fonts};
use procedure_catalogue::store::Catalogue;

/// Every letter of Vietnamese, lower and upper case, with every tone.
const VIETNAMESE_LETTERS: &str = "aàáảãạ ăằắẳẵặ âầấẩẫậ bcdđ eèéẻẽẹ êềếểễệ ghiìíỉĩị klmn oòóỏõọ ôồốổỗộ ơờớởỡợ pqrst uùúủũụ ưừứửữự vx yỳýỷỹỵ \
AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ BCDĐ EÈÉẺẼẸ ÊỀẾỂỄỆ GHIÌÍỈĨỊ KLMN OÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ PQRST UÙÚỦŨỤ ƯỪỨỬỮỰ VX YỲÝỶỸỴ";

fn shipped_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    (dir, path)
}

/// Selects the first shown row with the keyboard, as an officer would.
fn select_first_row(harness: &mut Harness<'static, CatalogueApp>) -> i64 {
    harness.key_press(Key::Home);
    harness.run();
    harness
        .state()
        .selected()
        .expect("Home selects the first row")
}

fn stored_name(path: &std::path::Path, procedure_id: i64) -> String {
    Catalogue::open(path)
        .unwrap()
        .procedure(procedure_id)
        .unwrap()
        .data
        .name
}

#[test]
fn the_window_lists_the_shipped_catalogue() {
    let (_dir, path) = shipped_copy();
    let harness = open(path);
    assert_eq!(harness.state().view().total(), 1374);
    assert!(harness.state().error().is_none());
    harness.get_by_label("Hiển thị 1374 / 1374 thủ tục");
    harness.get_by_label("Mã TTHC");
    harness.get_by_label("Cấp tỉnh (1103)");
}

#[test]
fn filtering_by_level_shows_the_counts_of_the_other_facets() {
    let (_dir, path) = shipped_copy();
    let mut harness = open(path);
    harness.get_by_label("Cấp xã (78)").click();
    harness.run();
    assert_eq!(harness.state().view().shown_len(), 78);
    harness.get_by_label("Hiển thị 78 / 1374 thủ tục");
    // The field facet now counts commune procedures only.
    let civil_status = harness
        .state()
        .view()
        .facet_counts(Facet::Field)
        .iter()
        .find(|c| c.value == "Hộ tịch")
        .unwrap()
        .clone();
    assert!(civil_status.count > 0 && civil_status.count < 78);
    harness
        .get_by_label(&format!("Hộ tịch ({})", civil_status.count))
        .click();
    harness.run();
    assert_eq!(harness.state().view().shown_len(), civil_status.count);
    // Several levels at once: commune or district.
    harness.get_by_label_contains("Cấp huyện (").click();
    harness.run();
    assert!(harness.state().view().shown_len() > civil_status.count);
    harness.get_by_label("Xóa bộ lọc").click();
    harness.run();
    assert_eq!(harness.state().view().shown_len(), 1374);
}

#[test]
fn a_search_without_diacritics_finds_the_procedure() {
    let (_dir, path) = shipped_copy();
    let mut harness = open(path);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::F);
    harness.run();
    harness
        .get_by_label("Tìm kiếm")
        .type_text("dang ky khai sinh");
    harness.run();
    let shown: Vec<String> = harness
        .state()
        .view()
        .shown_rows()
        .map(|row| row.summary.name.clone())
        .collect();
    assert!(
        shown.iter().any(|name| name == "Đăng ký khai sinh"),
        "{shown:?}"
    );
    assert!(shown.len() < 20, "{} rows", shown.len());
    harness.get_by_label(&format!("Hiển thị {} / 1374 thủ tục", shown.len()));
    harness.get_by_label("Xóa").click();
    harness.run();
    assert_eq!(harness.state().view().shown_len(), 1374);
}

#[test]
fn edit_a_name_and_a_tier_save_undo_and_redo() {
    let (_dir, path) = shipped_copy();
    let mut harness = open(path.clone());
    let procedure_id = select_first_row(&mut harness);
    let old_name = stored_name(&path, procedure_id);

    // Type a new name into the form.
    let name_field = || (Role::MultilineTextInput, "Tên thủ tục");
    harness
        .get_by_role_and_label(name_field().0, name_field().1)
        .focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(name_field().0, name_field().1)
        .type_text("Cấp giấy phép đã sửa");
    harness.run();
    // Choose tier 4 in the tier list.
    harness
        .get_by_role_and_label(Role::ComboBox, "Mức độ DVC")
        .click();
    harness.run();
    harness.get_by_label("4 — Toàn trình").click();
    harness.run();
    harness.get_by_label("● Chưa lưu");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    let stored = Catalogue::open(&path)
        .unwrap()
        .procedure(procedure_id)
        .unwrap()
        .data;
    assert_eq!(stored.name, "Cấp giấy phép đã sửa");
    assert_eq!(stored.tier, Tier::new(4));
    assert_eq!(
        harness
            .state()
            .view()
            .row(procedure_id)
            .unwrap()
            .summary
            .name,
        "Cấp giấy phép đã sửa"
    );

    // Undo (with no text field focused, Ctrl+Z undoes the saved edit).
    harness.key_press(Key::Escape);
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_eq!(stored_name(&path, procedure_id), old_name);
    assert_eq!(
        harness
            .state()
            .view()
            .row(procedure_id)
            .unwrap()
            .summary
            .name,
        old_name
    );
    assert!(
        harness.state().last_action().starts_with("Đã hoàn tác"),
        "{}",
        harness.state().last_action()
    );

    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    settle(&mut harness);
    assert_eq!(stored_name(&path, procedure_id), "Cấp giấy phép đã sửa");
    // Ctrl+Y redoes too: undo, then redo with it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    settle(&mut harness);
    assert_eq!(stored_name(&path, procedure_id), "Cấp giấy phép đã sửa");
}

#[test]
fn undo_survives_a_restart() {
    let (_dir, path) = shipped_copy();
    let procedure_id = {
        let mut harness = open(path.clone());
        let procedure_id = select_first_row(&mut harness);
        harness
            .state_mut()
            .form_mut()
            .unwrap()
            .set_text(ProcedureField::Name, "Tên trước khi khởi động lại");
        harness.run();
        harness.get_by_label("Lưu").click();
        harness.run();
        assert_eq!(
            stored_name(&path, procedure_id),
            "Tên trước khi khởi động lại"
        );
        procedure_id
    };
    let mut harness = open(path.clone());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    settle(&mut harness);
    assert_ne!(
        stored_name(&path, procedure_id),
        "Tên trước khi khởi động lại"
    );
}

#[test]
fn an_invalid_value_is_shown_and_never_saved() {
    let (_dir, path) = shipped_copy();
    let mut harness = open(path.clone());
    let procedure_id = select_first_row(&mut harness);
    let before = Catalogue::open(&path)
        .unwrap()
        .procedure(procedure_id)
        .unwrap()
        .data;
    let dossiers = before.dossiers_last_year.unwrap().to_string();
    let field = harness.get_by_role_and_label(Role::TextInput, "Số hồ sơ năm trước");
    assert_eq!(field.value().as_deref(), Some(dossiers.as_str()));
    field.focus();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "Số hồ sơ năm trước")
        .type_text("mười lăm");
    harness.run();
    harness.get_by_label_contains("\"mười lăm\" không phải một số nguyên");
    harness.get_by_label("Có giá trị không hợp lệ: sửa các ô báo đỏ để lưu");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    settle(&mut harness);
    let after = Catalogue::open(&path)
        .unwrap()
        .procedure(procedure_id)
        .unwrap()
        .data;
    assert_eq!(after, before);
    assert!(harness.state().form().unwrap().validate().is_err());
}

#[test]
fn a_new_procedure_is_added_and_a_procedure_retired_with_a_reason() {
    let (_dir, path) = shipped_copy();
    let mut harness = open(path.clone());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run();
    let form = harness.state_mut().form_mut().unwrap();
    form.set_text(ProcedureField::Code, "1.999999");
    form.set_text(ProcedureField::Name, "Thủ tục mới thêm");
    harness.run();
    harness.get_by_label("Lưu").click();
    settle(&mut harness);
    assert_eq!(harness.state().view().total(), 1375);
    let procedure_id = harness.state().selected().unwrap();

    harness.get_by_label("Bãi bỏ khỏi danh mục…").click();
    harness.run();
    type_into(&mut harness, "Lý do", "Không còn phù hợp");
    harness
        .get_by_role_and_label(Role::Button, "Bãi bỏ")
        .click();
    settle(&mut harness);
    assert_eq!(harness.state().view().total(), 1374);
    let catalogue = Catalogue::open(&path).unwrap();
    let retired = catalogue.procedure(procedure_id).unwrap();
    assert_eq!(retired.retired.unwrap().reason, "Không còn phù hợp");
}

#[test]
fn sorting_by_name_follows_the_vietnamese_alphabet() {
    let (_dir, path) = shipped_copy();
    let mut harness = open(path);
    harness.get_by_label("Tên thủ tục").click();
    harness.run();
    let names: Vec<String> = harness
        .state()
        .view()
        .shown_rows()
        .map(|r| r.summary.name.clone())
        .collect();
    let first_d_bar = names.iter().position(|n| n.starts_with('Đ')).unwrap();
    let last_d = names
        .iter()
        .rposition(|n| n.starts_with('D') || n.starts_with('d'))
        .unwrap_or(0);
    assert!(last_d < first_d_bar, "D sorts before Đ");
    let last_x = names.iter().rposition(|n| n.starts_with('X')).unwrap();
    assert!(
        first_d_bar < last_x,
        "Đ sorts before X, not after Z as bytes would"
    );
}

#[test]
fn a_file_that_is_not_a_catalogue_shows_its_message_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.sqlite");
    std::fs::write(&path, [0x42u8; 4096]).unwrap();
    let harness = open(path.clone());
    let error = harness
        .state()
        .error()
        .expect("an error is shown")
        .to_owned();
    assert!(error.contains("không phải cơ sở dữ liệu SQLite"), "{error}");
    assert!(harness.query_all_by_label(&error).next().is_some());
    harness.get_by_label("Mở danh mục khác…");
    assert_eq!(std::fs::read(&path).unwrap(), vec![0x42u8; 4096]);
}

#[test]
fn every_vietnamese_letter_renders_with_the_bundled_font() {
    let mut harness = Harness::builder()
        .with_context_setup(|ctx| ctx.set_fonts(fonts::definitions()))
        .build_ui(|ui| {
            ui.label(VIETNAMESE_LETTERS);
            ui.heading("Thủ tục hành chính cấp tỉnh, huyện, xã");
            ui.monospace("1.001234 — Đăng ký");
        });
    harness.run();
    harness.get_by_label(VIETNAMESE_LETTERS);
}

#[test]
fn without_the_bundled_font_vietnamese_letters_are_missing() {
    // Proves the check above can fail: egui's own font lacks ủ ụ ấ ỉ ệ.
    let result = std::panic::catch_unwind(|| {
        let mut harness = Harness::builder().build_ui(|ui| {
            ui.label("ủ ụ ấ ỉ ệ");
        });
        harness.run();
    });
    assert!(
        result.is_err(),
        "egui's default font now has every Vietnamese letter"
    );
}

#[test]
fn menus_and_the_about_box_come_from_the_action_table() {
    use procedure_catalogue::gui::command::{ACTIONS, Menu};
    use procedure_catalogue::gui::i18n::Lang;

    let (_dir, path) = shipped_copy();
    let mut harness = open(path);
    for menu in Menu::ALL {
        harness.get_by_label(menu.label(Lang::Vi)).click();
        harness.run();
        for action in ACTIONS
            .iter()
            .filter(|a| a.menu.is_some_and(|(m, _)| m == menu))
        {
            // Undo and Redo say what they would undo after their label; a label may also be
            // on the toolbar.
            assert!(
                harness
                    .query_all_by_label_contains(action.label(Lang::Vi))
                    .next()
                    .is_some(),
                "{} is not in its menu",
                action.label.0
            );
        }
        harness.key_press(Key::Escape);
        harness.run();
    }
    harness.get_by_label("Trợ giúp").click();
    harness.run();
    harness.get_by_label("Giới thiệu và phím tắt").click();
    harness.run();
    // Every action with a key is listed, Import, Export and Quit among them.
    for action in ACTIONS.iter().filter(|a| !a.keys.is_empty()) {
        assert!(
            harness
                .query_all_by_label(action.label(Lang::Vi))
                .next()
                .is_some(),
            "{} is not in the About box",
            action.label.0
        );
    }
    harness.get_by_label("Ctrl+I");
    harness.get_by_label("Ctrl+Q");
}
