//! The Audit view, driven headless: dismiss a finding, merge a duplicate, filter the
//! table to flagged entries. Each action is checked in the catalogue file.

use crate::common::window::{open, type_into, wait};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use procedure_catalogue::audit::FindingKind;
use procedure_catalogue::gui::{CatalogueApp, Mode};
use procedure_catalogue::store::{Catalogue, VerdictKind};

fn to_audit(harness: &mut Harness<'static, CatalogueApp>) {
    harness.get_by_label_contains("Rà soát (").click();
    harness.run();
    assert_eq!(harness.state().mode(), Mode::Audit);
}

/// A copy of the shipped catalogue open in the Audit view.
fn audit_view() -> (
    tempfile::TempDir,
    std::path::PathBuf,
    Harness<'static, CatalogueApp>,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    to_audit(&mut harness);
    (dir, path, harness)
}

fn selected(harness: &Harness<'static, CatalogueApp>) -> procedure_catalogue::audit::Finding {
    harness
        .state()
        .audit_panel()
        .selected_finding()
        .expect("a finding is selected")
        .clone()
}

fn listed(app: &CatalogueApp, kind: FindingKind) -> usize {
    app.audit_panel()
        .report()
        .unwrap()
        .listed()
        .filter(|f| f.kind == kind)
        .count()
}

#[test]
fn dismiss_a_duplicate_in_the_window() {
    let (_dir, path, mut harness) = audit_view();
    assert_eq!(listed(harness.state(), FindingKind::Duplicate), 32);
    let first = selected(&harness);
    assert_eq!(first.kind, FindingKind::Duplicate);
    // Its entries side by side.
    harness.get_by_label(&format!("Mở trong biểu mẫu {}", first.members[1].code));

    type_into(&mut harness, "Ghi chú / lý do", "khác cơ quan");
    harness.get_by_label("Không phải trùng lặp").click();
    harness.run();

    assert_eq!(listed(harness.state(), FindingKind::Duplicate), 31);
    let next = harness.state().audit_panel().selected_finding().unwrap();
    assert_ne!(next.key, first.key, "the next finding is selected");
    harness.get_by_label_contains("1/32 đã xem xét");
    let catalogue = Catalogue::open(&path).unwrap();
    let verdicts = catalogue.verdicts().unwrap();
    assert_eq!(verdicts.len(), 1);
    assert_eq!(verdicts[0].finding_key, first.key);
    assert_eq!(verdicts[0].kind, VerdictKind::Dismissed);
    assert_eq!(verdicts[0].note, "khác cơ quan");
    drop(catalogue);

    // A fresh window on the same file does not list it again.
    let mut again = open(path);
    to_audit(&mut again);
    assert_eq!(listed(again.state(), FindingKind::Duplicate), 31);
}

#[test]
fn merge_a_duplicate_in_the_window() {
    let (_dir, path, mut harness) = audit_view();
    let finding = selected(&harness);
    let members = harness.state().audit_panel().members().to_vec();
    assert_eq!(members.len(), 2);
    let other = &members[1].data;
    let other_dossiers = other.dossiers_last_year.unwrap();

    harness.get_by_label("Hợp nhất…").click();
    harness.run();
    // Keep the first entry, but take the other's dossier count.
    harness
        .get_by_label(&format!("{}: {other_dossiers}", other.code))
        .click();
    harness.run();
    type_into(&mut harness, "Lý do", "nhập hai lần");
    harness.get_by_label("Hợp nhất").click();
    harness.step();
    wait(&mut harness, |app| app.is_idle());

    let catalogue = Catalogue::open(&path).unwrap();
    let survivor = catalogue.procedure(members[0].procedure_id).unwrap();
    assert!(survivor.retired.is_none());
    assert_eq!(survivor.data.dossiers_last_year, Some(other_dossiers));
    let retired = catalogue.procedure(members[1].procedure_id).unwrap();
    let retirement = retired.retired.unwrap();
    assert!(
        retirement.reason.contains(&survivor.data.code),
        "{}",
        retirement.reason
    );
    assert!(retirement.reason.contains("nhập hai lần"));
    assert_eq!(catalogue.stats().unwrap().total, 1373);
    let verdicts = catalogue.verdicts().unwrap();
    assert_eq!(verdicts[0].kind, VerdictKind::Merged);
    assert_eq!(verdicts[0].finding_key, finding.key);
    drop(catalogue);

    let app = harness.state();
    assert_eq!(app.view().total(), 1373);
    assert_eq!(listed(app, FindingKind::Duplicate), 31);
    assert!(
        app.audit_panel()
            .report()
            .unwrap()
            .findings
            .iter()
            .all(|f| f.key != finding.key)
    );

    // Ctrl+Z in the Audit view undoes the merge: both entries back, the finding listed again.
    harness.key_press(egui::Key::Escape);
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.step();
    wait(&mut harness, |app| app.is_idle());
    let app = harness.state();
    assert_eq!(app.view().total(), 1374);
    assert_eq!(listed(app, FindingKind::Duplicate), 32);
    let catalogue = Catalogue::open(&path).unwrap();
    assert!(
        catalogue
            .procedure(members[1].procedure_id)
            .unwrap()
            .retired
            .is_none()
    );
    assert!(catalogue.verdicts().unwrap().is_empty());
}

#[test]
fn the_table_filters_to_flagged_entries_and_a_finding_opens_in_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path);
    // 32 duplicate pairs, 36 obsolete and 16 incomplete entries: 32·2 + 36 + 16.
    harness.get_by_label("Có phát hiện rà soát (116)").click();
    harness.run();
    assert_eq!(harness.state().view().shown_len(), 116);

    to_audit(&mut harness);
    harness.get_by_label_contains("Lỗi thời (36)").click();
    harness.run();
    let finding = selected(&harness);
    assert_eq!(finding.kind, FindingKind::Obsolete);
    harness
        .get_by_label(&format!("Mở trong biểu mẫu {}", finding.members[0].code))
        .click();
    harness.run();
    let app = harness.state();
    assert_eq!(app.mode(), Mode::Catalogue);
    assert_eq!(app.selected(), Some(finding.members[0].procedure_id));
}

#[test]
fn one_verdict_for_a_whole_group_in_one_transaction() {
    let (_dir, path, mut harness) = audit_view();
    harness
        .get_by_label_contains("Thiếu thông tin (16)")
        .click();
    harness.run();
    assert_eq!(listed(harness.state(), FindingKind::Incomplete), 16);
    harness.get_by_label("Chọn cả nhóm (16)").click();
    harness.run();
    assert_eq!(harness.state().audit_panel().ticked().len(), 16);
    harness.get_by_label("Kết luận cho 16 phát hiện đã chọn");
    type_into(
        &mut harness,
        "Ghi chú / lý do",
        "đã bổ sung theo văn bản gốc",
    );
    harness.get_by_label("Không phải lỗi (16)").click();
    harness.run();
    wait(&mut harness, |app| app.is_idle());
    assert_eq!(listed(harness.state(), FindingKind::Incomplete), 0);
    assert!(harness.state().audit_panel().ticked().is_empty());
    let catalogue = Catalogue::open(&path).unwrap();
    let verdicts = catalogue.verdicts().unwrap();
    assert_eq!(verdicts.len(), 16);
    assert!(verdicts.iter().all(|v| v.kind == VerdictKind::Dismissed));
    assert!(
        verdicts
            .iter()
            .all(|v| v.note == "đã bổ sung theo văn bản gốc")
    );
    // One transaction: one time for all of them.
    let times: std::collections::BTreeSet<&str> =
        verdicts.iter().map(|v| v.decided_at.as_str()).collect();
    assert!(times.len() <= 2, "{times:?}");
}

/// *Propose abolition* on an obsolete finding records an abolish option for its entry, with
/// the finding's reason and the note, in the verdict's transaction; one undo sets both aside.
#[test]
fn propose_abolition_records_an_option_for_the_simplification() {
    use procedure_catalogue::simplify::{self, options::OptionKind};

    let (_dir, path, mut harness) = audit_view();
    harness.get_by_label_contains("Lỗi thời (36)").click();
    harness.run();
    let finding = selected(&harness);
    let member = finding.members[0].clone();
    type_into(&mut harness, "Ghi chú / lý do", "Sở Tư pháp thống nhất");
    harness.get_by_label("Đề xuất bãi bỏ").click();
    harness.run();
    wait(&mut harness, |app| app.is_idle());
    let options = {
        let catalogue = Catalogue::open_read_only(&path).unwrap();
        simplify::options_of(&catalogue, &member.code, member.level).unwrap()
    };
    assert_eq!(options.len(), 1);
    assert_eq!(options[0].kind, OptionKind::Abolish);
    assert_eq!(
        options[0].reason,
        format!("{} (Sở Tư pháp thống nhất)", finding.reason)
    );
    let catalogue = Catalogue::open_read_only(&path).unwrap();
    assert!(
        catalogue
            .verdicts()
            .unwrap()
            .iter()
            .any(|v| v.kind == VerdictKind::ProposeAbolition)
    );
    drop(catalogue);
    crate::common::window::menu(&mut harness, "Sửa", "Hoàn tác");
    let catalogue = Catalogue::open_read_only(&path).unwrap();
    assert!(
        simplify::options_of(&catalogue, &member.code, member.level)
            .unwrap()
            .is_empty()
    );
    assert!(catalogue.verdicts().unwrap().is_empty());
}
