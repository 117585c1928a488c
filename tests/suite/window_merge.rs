//! The merge review screen driven headless: the other province's file typed, the review
//! read, a whole field taken from the other side, one added entry left out, merged, undone.

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable;
use procedure_catalogue::domain::ProcedureField;
use procedure_catalogue::generator::pair::generate_pair;
use procedure_catalogue::generator::write_named_catalogue;
use procedure_catalogue::gui::Mode;
use procedure_catalogue::merge_catalogue::Side;
use procedure_catalogue::store::Catalogue;

use crate::common::content_hashes;
use crate::common::window::{click_and_settle, open, settle, type_into};

#[test]
fn review_choose_merge_and_undo_in_the_merge_view() {
    let dir = tempfile::tempdir().unwrap();
    let pair = generate_pair(300, 5).unwrap();
    let here = dir.path().join("thai-nguyen.sqlite");
    let there = dir.path().join("bac-kan.sqlite");
    write_named_catalogue(&here, &pair.here, Some("Thái Nguyên")).unwrap();
    write_named_catalogue(&there, &pair.there, Some("Bắc Kạn")).unwrap();
    let planted = pair.planted;
    let before = content_hashes(&here);

    let mut harness = open(here.clone());
    click_and_settle(&mut harness, "Gộp tỉnh");
    assert_eq!(harness.state().mode(), Mode::Merge);
    assert_eq!(harness.state().merge_panel().name, "Thái Nguyên");
    type_into(
        &mut harness,
        "Tệp danh mục tỉnh khác (.sqlite, .xlsx, .csv)",
        there.to_str().unwrap(),
    );
    click_and_settle(&mut harness, "Xem trước ▶");
    let counts = harness.state().merge_panel().plan().unwrap().counts();
    assert_eq!(counts.matched_by_code, planted.matched_by_code);
    assert_eq!(counts.matched_by_name, planted.matched_by_name);
    assert_eq!(counts.conflicting, planted.conflicting);
    assert_eq!(counts.gaps_filled, planted.gaps_filled);
    assert_eq!(counts.only_here, planted.only_here);
    assert_eq!(counts.only_there, planted.only_there);
    harness.get_by_label(&format!(
        "Khác nhau ({})",
        planted.conflicting + planted.gaps_filled
    ));

    // Their fees, for every pair at once.
    click_and_settle(&mut harness, "Lấy bên kia — Phí, lệ phí");
    let plan = harness.state().merge_panel().plan().unwrap();
    let fees: Vec<_> = plan
        .matched
        .iter()
        .flat_map(|p| &p.differences)
        .filter(|d| d.field == ProcedureField::Fee)
        .collect();
    assert!(!fees.is_empty());
    assert!(fees.iter().all(|d| d.chosen == Side::There));
    let fee_pair = plan
        .matched
        .iter()
        .find(|p| p.differences.iter().any(|d| d.field == ProcedureField::Fee))
        .unwrap()
        .clone();

    // Leave out the first entry only the other has.
    click_and_settle(
        &mut harness,
        &format!("Chỉ bên kia ({})", planted.only_there),
    );
    let first = harness.state().merge_panel().plan().unwrap().only_there[0].clone();
    harness
        .get_by_role_and_label(Role::CheckBox, &first.original_code)
        .click();
    harness.run();
    assert_eq!(
        harness
            .state()
            .merge_panel()
            .plan()
            .unwrap()
            .counts()
            .included,
        planted.only_there - 1
    );

    let apply = format!(
        "Gộp vào danh mục ({} thêm, {} ghép)",
        planted.only_there - 1,
        planted.matched_by_code + planted.matched_by_name
    );
    click_and_settle(&mut harness, &apply);
    let catalogue = Catalogue::open_read_only(&here).unwrap();
    let entries = catalogue.procedures().unwrap();
    assert_eq!(entries.len(), before.len() + planted.only_there - 1);
    assert!(
        !entries
            .iter()
            .any(|p| p.data.provenance == "Bắc Kạn (bản làm việc)"
                && p.data.extra.get("Mã TTHC (Bắc Kạn)") == Some(&first.original_code))
    );
    let merged = entries
        .iter()
        .find(|p| p.procedure_id == fee_pair.here_id)
        .unwrap();
    assert_eq!(merged.data.fee.text(), fee_pair.there.fee.text());
    assert_eq!(
        merged.data.provenance,
        "Thái Nguyên (bản làm việc); Bắc Kạn (bản làm việc)"
    );
    drop(catalogue);
    harness.get_by_label_contains("Đã gộp: gộp danh mục Bắc Kạn vào Thái Nguyên");
    assert_eq!(
        harness.state().view().total(),
        entries.len(),
        "the table follows"
    );

    // The provenance facet appears in the Catalogue view.
    click_and_settle(&mut harness, "Danh mục");
    harness.get_by_label("Nguồn");

    harness.get_by_label("Sửa").click();
    harness.run();
    harness.get_by_label_contains("Hoàn tác «").click();
    harness.step();
    settle(&mut harness);
    assert_eq!(content_hashes(&here), before);
}
