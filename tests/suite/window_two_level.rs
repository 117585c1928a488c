//! The two-level view driven headless: switch the model, preview the move of every
//! district procedure, override a row, apply, undo. Each step is checked in the file.

use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use procedure_catalogue::domain::government::GovernmentModel;
use procedure_catalogue::gui::Mode;
use procedure_catalogue::store::Catalogue;
use procedure_catalogue::two_level::Outcome;

use crate::common::content_hashes;
use crate::common::window::{click_and_settle, menu, open};

fn government(path: &Path) -> GovernmentModel {
    Catalogue::open_read_only(path)
        .unwrap()
        .government()
        .unwrap()
}

#[test]
fn switch_preview_override_apply_and_undo_in_the_two_level_view() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let before = content_hashes(&path);
    let mut harness = open(path.clone());
    click_and_settle(&mut harness, "Chính quyền 2 cấp");
    assert_eq!(harness.state().mode(), Mode::TwoLevel);
    // Entering the view previews with the catalogue's rules.
    let plan = harness.state().two_level_panel().plan().unwrap();
    assert_eq!(plan.rows.len(), 193);
    assert_eq!(plan.counts().to_province, 4);
    harness.get_by_label("193 thủ tục cấp huyện");

    // The model alone: the audit lists every district entry.
    click_and_settle(&mut harness, "Chuyển sang 2 cấp (chưa chuyển thủ tục)");
    assert!(government(&path).is_two_level());
    let district_findings = harness
        .state()
        .audit_panel()
        .report()
        .unwrap()
        .findings
        .iter()
        .filter(|f| f.rule == procedure_catalogue::audit::Rule::DistrictAbolished)
        .count();
    assert_eq!(district_findings, 193);
    harness.get_by_label_contains("Danh mục đã thay đổi");

    // Preview again, list one field, abolish one of its procedures by hand.
    click_and_settle(&mut harness, "Xem trước ▶");
    harness.get_by_label("Thanh tra").click();
    harness.run();
    assert_eq!(harness.state().two_level_panel().shown_rows(), 4);
    let target = harness
        .state()
        .two_level_panel()
        .plan()
        .unwrap()
        .rows
        .iter()
        .find(|r| r.data.field == "Thanh tra")
        .unwrap()
        .clone();
    // Each row's outcome is named by its code.
    harness
        .get_by_role_and_label(Role::ComboBox, &target.data.code)
        .click();
    harness.run();
    harness.get_by_label("Bãi bỏ").click();
    harness.run();
    let plan = harness.state().two_level_panel().plan().unwrap();
    assert_eq!(plan.overridden(), 1);
    let chosen = &plan
        .rows
        .iter()
        .find(|r| r.procedure_id == target.procedure_id)
        .unwrap()
        .chosen;
    assert_eq!(*chosen, Outcome::Abolish);
    assert_eq!(plan.counts().abolished, 1);

    click_and_settle(&mut harness, "Áp dụng (193 thủ tục, hoàn tác được)");
    let catalogue = Catalogue::open_read_only(&path).unwrap();
    let stats = catalogue.stats().unwrap();
    assert_eq!(stats.by_level["district"], 0);
    assert_eq!(stats.total, 1374 - 1);
    let retired = catalogue
        .procedure(target.procedure_id)
        .unwrap()
        .retired
        .unwrap();
    assert!(retired.reason.contains("bãi bỏ"), "{}", retired.reason);
    drop(catalogue);
    assert!(
        harness
            .state()
            .last_action()
            .contains("193 thủ tục cấp huyện"),
        "{}",
        harness.state().last_action()
    );
    assert_eq!(
        harness.state().view().total(),
        1374 - 1,
        "the table follows"
    );
    harness.get_by_label_contains("Đã áp dụng: chuyển sang chính quyền 2 cấp");

    // Undo the move, then the switch: the three-level catalogue exactly.
    menu(&mut harness, "Sửa", "Hoàn tác «");
    assert_eq!(content_hashes(&path), before);
    assert!(government(&path).is_two_level());
    menu(&mut harness, "Sửa", "Hoàn tác «");
    assert_eq!(government(&path), GovernmentModel::ThreeLevel);
    assert_eq!(
        harness.state().two_level_panel().government,
        GovernmentModel::ThreeLevel,
        "the view follows the undo"
    );
    assert_eq!(harness.state().view().total(), 1374);
}

#[test]
fn edited_rules_are_kept_in_the_catalogue_and_drive_the_preview() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    click_and_settle(&mut harness, "Chính quyền 2 cấp");
    click_and_settle(&mut harness, "+ Thêm quy tắc");
    // The new rule comes first, so it wins: on a field, to the province.
    let rules = &harness.state().two_level_panel().rules;
    assert_eq!(rules.rules.len(), 6);
    let index = 0;
    let field = harness
        .get_all_by_role_and_label(Role::TextInput, "chứa")
        .nth(index)
        .unwrap();
    field.focus();
    harness.run();
    harness
        .get_all_by_role_and_label(Role::TextInput, "chứa")
        .nth(index)
        .unwrap()
        .type_text("Đất đai");
    harness.run();
    assert_eq!(
        harness.state().two_level_panel().rules.rules[index].contains,
        "Đất đai"
    );
    click_and_settle(&mut harness, "Lưu quy tắc");
    let kept = {
        let catalogue = Catalogue::open_read_only(&path).unwrap();
        procedure_catalogue::two_level::catalogue_rules(&catalogue).unwrap()
    };
    assert_eq!(kept.rules[index].contains, "Đất đai");
    click_and_settle(&mut harness, "Xem trước ▶");
    let plan = harness.state().two_level_panel().plan().unwrap();
    assert_eq!(plan.counts().to_province, 4 + 14);
}
