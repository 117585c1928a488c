//! The window, driven headless with egui_kittest: it lists the catalogue, searches without
//! diacritics, and renders every Vietnamese letter with the bundled font (kittest panics on
//! a missing glyph).

#![cfg(feature = "gui")]

mod common;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use procedure_catalogue::gui::{CatalogueApp, fonts};

/// Every letter of Vietnamese, lower and upper case, with every tone.
const VIETNAMESE_LETTERS: &str = "aàáảãạ ăằắẳẵặ âầấẩẫậ bcdđ eèéẻẽẹ êềếểễệ ghiìíỉĩị klmn oòóỏõọ ôồốổỗộ ơờớởỡợ pqrst uùúủũụ ưừứửữự vx yỳýỷỹỵ \
AÀÁẢÃẠ ĂẰẮẲẴẶ ÂẦẤẨẪẬ BCDĐ EÈÉẺẼẸ ÊỀẾỂỄỆ GHIÌÍỈĨỊ KLMN OÒÓỎÕỌ ÔỒỐỔỖỘ ƠỜỚỞỠỢ PQRST UÙÚỦŨỤ ƯỪỨỬỮỰ VX YỲÝỶỸỴ";

fn app_harness(path: std::path::PathBuf) -> Harness<'static, CatalogueApp> {
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_eframe(move |cc| CatalogueApp::new(&cc.egui_ctx, path))
}

#[test]
fn the_window_lists_the_shipped_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_of_shipped(dir.path());
    let mut harness = app_harness(path);
    harness.run();
    assert_eq!(harness.state().total_rows(), 1374);
    assert!(harness.state().error().is_none());
    harness.get_by_label("Hiển thị 1374 / 1374 thủ tục");
    harness.get_by_label("Mã TTHC");
}

#[test]
fn a_search_without_diacritics_finds_the_procedure() {
    let dir = tempfile::tempdir().unwrap();
    let path = common::copy_of_shipped(dir.path());
    let mut harness = app_harness(path);
    harness.run();
    harness.get_by_role(Role::TextInput).focus();
    harness.run();
    harness
        .get_by_role(Role::TextInput)
        .type_text("dang ky khai sinh");
    harness.run();
    let shown: Vec<String> = harness
        .state()
        .shown_rows()
        .map(|row| row.name.clone())
        .collect();
    assert!(!shown.is_empty(), "nothing found");
    assert!(shown.len() < 1374);
    assert!(
        shown.iter().any(|name| name == "Đăng ký khai sinh"),
        "{shown:?}"
    );
    for name in &shown {
        let folded = procedure_catalogue::text::fold(name);
        assert!(
            folded.contains("dang ky") || folded.contains("khai sinh"),
            "{name}"
        );
    }
    harness.get_by_label(&format!("Hiển thị {} / 1374 thủ tục", shown.len()));

    // "Xóa" clears the search.
    harness.get_by_label("Xóa").click();
    harness.run();
    assert_eq!(harness.state().shown_rows().count(), 1374);
}

#[test]
fn a_file_that_is_not_a_catalogue_shows_its_message_in_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.sqlite");
    std::fs::write(&path, [0x42u8; 4096]).unwrap();
    let mut harness = app_harness(path.clone());
    harness.run();
    let error = harness
        .state()
        .error()
        .expect("an error is shown")
        .to_owned();
    assert!(error.contains("not a SQLite database"), "{error}");
    harness.get_by_label(&error);
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
