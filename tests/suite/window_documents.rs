//! The Documents view, File → New catalogue and the layout with long texts, driven headless.
//! Each action is checked in the catalogue file.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use procedure_catalogue::audit::{Rule, audit_catalogue};
use procedure_catalogue::domain::{Level, ProcedureData, parse_date};
use procedure_catalogue::gui::{CatalogueApp, Mode};
use procedure_catalogue::store::{Catalogue, Change};

use crate::common::window::{click_and_settle, menu, open, replace_text, settle, type_into};

const WIDTH: f32 = 1440.0;

fn citing(path: &Path, number: &str) -> usize {
    Catalogue::open_read_only(path)
        .unwrap()
        .procedures()
        .unwrap()
        .iter()
        .filter(|p| p.data.legal_basis.iter().any(|n| n == number))
        .count()
}

fn rule_count(path: &Path, rule: Rule) -> usize {
    let catalogue = Catalogue::open_read_only(path).unwrap();
    audit_catalogue(&catalogue, parse_date("2026-12-01").unwrap())
        .unwrap()
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .count()
}

fn to_documents(harness: &mut Harness<'static, CatalogueApp>) {
    click_and_settle(harness, "Văn bản pháp luật");
    assert_eq!(harness.state().mode(), Mode::Documents);
}

#[test]
fn record_a_repeal_then_re_cite_every_procedure_and_undo_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let obsolete_before =
        rule_count(&path, Rule::CitesRepealed) + rule_count(&path, Rule::RepealedBasis);
    let mut harness = open(path.clone());
    to_documents(&mut harness);
    let documents = harness.state().documents_panel().list().len();
    assert!(documents > 100, "{documents} documents");

    type_into(&mut harness, "Tìm", "01/2016/qh14");
    assert_eq!(harness.state().documents_panel().shown().count(), 1);
    harness.get_by_label("01/2016/QH14").click();
    harness.run();
    let selected = harness.state().documents_panel().selected().unwrap();
    assert_eq!(selected.citing.len(), 20);
    harness.get_by_label("Thủ tục viện dẫn (20)");

    // A repeal and its replacement, typed as officers write dates.
    type_into(&mut harness, "Ngày hết hiệu lực", "01/07/2026");
    type_into(&mut harness, "Được thay bằng", "99/2026/QH15");
    click_and_settle(&mut harness, "Lưu văn bản");
    let stored = Catalogue::open_read_only(&path)
        .unwrap()
        .legal_documents()
        .unwrap()
        .into_iter()
        .find(|d| d.number == "01/2016/QH14")
        .unwrap();
    assert_eq!(stored.repealed_on, parse_date("2026-07-01"));
    assert_eq!(stored.replaced_by, "99/2026/QH15");
    // Every citing procedure is flagged at once.
    let obsolete_after =
        rule_count(&path, Rule::CitesRepealed) + rule_count(&path, Rule::RepealedBasis);
    assert_eq!(obsolete_after - obsolete_before, 20);
    let flagged = harness
        .state()
        .audit_panel()
        .report()
        .unwrap()
        .findings
        .iter()
        .filter(|f| matches!(f.rule, Rule::CitesRepealed | Rule::RepealedBasis))
        .count();
    assert_eq!(flagged, obsolete_after, "the window's audit ran again");

    // Re-cite: the replacement is offered; one batch.
    click_and_settle(&mut harness, "Thay trong 20 thủ tục");
    assert_eq!(citing(&path, "01/2016/QH14"), 0);
    assert_eq!(citing(&path, "99/2026/QH15"), 20);
    assert!(
        harness
            .state()
            .last_action()
            .contains("01/2016/QH14 → 99/2026/QH15"),
        "{}",
        harness.state().last_action()
    );
    let list = harness.state().documents_panel();
    assert_eq!(
        list.selected().unwrap().citing.len(),
        0,
        "the list was read again"
    );

    menu(&mut harness, "Sửa", "Hoàn tác");
    assert_eq!(citing(&path, "01/2016/QH14"), 20);
    assert_eq!(citing(&path, "99/2026/QH15"), 0);
    assert_eq!(
        harness
            .state()
            .documents_panel()
            .selected()
            .unwrap()
            .citing
            .len(),
        20,
        "the view follows the undo"
    );

    // Open a citing procedure in the form.
    let first = harness.state().documents_panel().selected().unwrap().citing[0].clone();
    click_and_settle(&mut harness, &first.code);
    assert_eq!(harness.state().mode(), Mode::Catalogue);
    assert_eq!(harness.state().selected(), Some(first.procedure_id));
}

#[test]
fn a_date_that_cannot_be_read_is_named_and_not_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    to_documents(&mut harness);
    type_into(&mut harness, "Tìm", "01/2016/QH14");
    harness.get_by_label("01/2016/QH14").click();
    harness.run();
    type_into(&mut harness, "Ngày hết hiệu lực", "31/02/2026");
    harness.get_by_label("không phải ngày");
    assert!(
        harness
            .get_by_label("Lưu văn bản")
            .accesskit_node()
            .is_disabled()
    );
    let stored = Catalogue::open_read_only(&path)
        .unwrap()
        .legal_documents()
        .unwrap()
        .into_iter()
        .find(|d| d.number == "01/2016/QH14")
        .unwrap();
    assert_eq!(stored.repealed_on, None);
}

#[test]
fn a_new_catalogue_is_created_and_opened_and_an_existing_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    menu(&mut harness, "Tệp", "Danh mục mới…");
    let new = dir.path().join("tinh-moi.sqlite");
    replace_text(&mut harness, "Đường dẫn tệp .sqlite", new.to_str().unwrap());
    click_and_settle(&mut harness, "Tạo");
    let app = harness.state();
    assert_eq!(app.catalogue().unwrap().path(), new.as_path());
    assert_eq!(app.view().total(), 0);
    assert!(
        app.last_action().starts_with("Đã tạo danh mục"),
        "{}",
        app.last_action()
    );
    assert_eq!(Catalogue::open(&new).unwrap().stats().unwrap().total, 0);

    // The shipped catalogue is not a place to create: refused in Vietnamese, untouched.
    let before = std::fs::read(&path).unwrap();
    menu(&mut harness, "Tệp", "Danh mục mới…");
    replace_text(
        &mut harness,
        "Đường dẫn tệp .sqlite",
        path.to_str().unwrap(),
    );
    click_and_settle(&mut harness, "Tạo");
    harness.get_by_label_contains("tệp đã có. Chọn tên khác");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(harness.state().catalogue().unwrap().path(), new.as_path());
}

#[test]
fn a_long_legal_basis_line_never_hides_the_table_or_the_save_button() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.sqlite");
    let citation = format!(
        "Quyết định của Ủy ban nhân dân tỉnh về việc ban hành quy định {}",
        "chi tiết thi hành một số điều của luật về thủ tục hành chính ".repeat(5)
    )
    .trim_end()
    .to_owned();
    assert!(citation.chars().count() >= 300);
    let entry = |code: &str, basis: Vec<String>| {
        Change::Create(ProcedureData {
            code: code.into(),
            name: format!("Thủ tục {code}"),
            level: Some(Level::Province),
            agency: "Sở Tư pháp".into(),
            legal_basis: basis,
            ..ProcedureData::default()
        })
    };
    {
        let mut catalogue = Catalogue::create(&path).unwrap();
        catalogue
            .apply_changes(
                "seed",
                &[
                    entry("1.000001", vec!["59/2020/QH14".into()]),
                    entry("1.000002", vec!["59/2020/QH14".into()]),
                ],
            )
            .unwrap();
        // As real records come: the long line arrives by an edit (so the history shows it
        // too), with a dossier of tens of thousands of characters and long unbroken words.
        let mut data = catalogue.procedures().unwrap()[0].data.clone();
        data.legal_basis = vec![citation.clone(), "59/2020/QH14".into()];
        data.dossier = "Tờ khai đề nghị cấp giấy phép theo mẫu; ".repeat(1_200);
        data.agency = "Sở_Tư_pháp_tỉnh_".repeat(20);
        data.notes = "x".repeat(400);
        let procedure_id = catalogue.procedures().unwrap()[0].procedure_id;
        catalogue
            .apply_changes("long", &[Change::Update { procedure_id, data }])
            .unwrap();
    }
    let mut harness = open(path.clone());
    let id = harness.state().view().shown_row(0).unwrap().procedure_id();
    harness
        .state_mut()
        .run(procedure_catalogue::gui::Command::Select(id));
    harness.step();
    settle(&mut harness);
    // The long line is shown, wrapped inside the form.
    let line = harness.get_by_label(&citation);
    assert!(line.rect().max.x <= WIDTH, "{:?}", line.rect());
    let save = harness.get_by_role_and_label(Role::Button, "Lưu");
    assert!(
        save.rect().max.x <= WIDTH && save.rect().min.x >= 0.0,
        "{:?}",
        save.rect()
    );
    // The table keeps its width beside the form.
    let header = harness
        .get_by_role_and_label(Role::Button, "Tên thủ tục")
        .rect();
    assert!(header.min.x < save.rect().min.x, "{header:?}");
    assert!(
        save.rect().min.x - header.min.x > 150.0,
        "the table is squeezed: {header:?}"
    );
    harness.get_by_label("Thủ tục 1.000001");

    // Dragging the form's edge across the window cannot take the table's place: the form
    // stops where the table keeps its room (and a remembered size is bounded the same way).
    let heading = harness.get_by_label("Thủ tục").rect();
    let edge = egui::pos2(heading.min.x - 8.0, heading.max.y + 40.0);
    harness.hover_at(edge);
    harness.run();
    harness.drag_at(edge);
    harness.run();
    for x in [edge.x - 200.0, 400.0, 20.0] {
        harness.hover_at(egui::pos2(x, edge.y));
        harness.run();
    }
    harness.drop_at(egui::pos2(20.0, edge.y));
    harness.run();
    let moved = harness.get_by_label("Thủ tục").rect();
    assert!(
        moved.min.x < heading.min.x - 100.0,
        "the drag took: {moved:?}"
    );
    let header = harness
        .get_by_role_and_label(Role::Button, "Tên thủ tục")
        .rect();
    let save = harness.get_by_role_and_label(Role::Button, "Lưu").rect();
    assert!(
        moved.min.x - header.min.x > 150.0,
        "the table is squeezed: {header:?}, form at {moved:?}"
    );
    assert!(save.max.x <= WIDTH, "{save:?}");
}
