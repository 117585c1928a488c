//! Simplification in the window, headless: an option recorded in the form, carried out and
//! undone (each step checked in the file); the dashboard's targets and a bar that filters the
//! table; the Simplification view's savings and its parameters kept and undone.

use std::path::Path;

use egui_kittest::kittest::Queryable;
use procedure_catalogue::domain::Level;
use procedure_catalogue::gui::Mode;
use procedure_catalogue::simplify::{self, options::OptionState};
use procedure_catalogue::store::Catalogue;

use crate::common::content_hashes;
use crate::common::window::{click_and_settle, menu, open, replace_text, type_into};

fn days_of(path: &Path, code: &str) -> Option<f64> {
    let catalogue = Catalogue::open_read_only(path).unwrap();
    let found = catalogue
        .procedures_with_code(code, Some(Level::Province))
        .unwrap();
    found
        .first()
        .and_then(|p| p.data.processing_time.longest_working_days())
}

/// The options of 1.001000, the procedure the form test works on.
fn options_in(path: &Path) -> Vec<simplify::options::SimplificationOption> {
    let catalogue = Catalogue::open_read_only(path).unwrap();
    simplify::options_of(&catalogue, "1.001000", Level::Province).unwrap()
}

#[test]
fn record_an_option_in_the_form_carry_it_out_and_undo_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let before = content_hashes(&path);
    let mut harness = open(path.clone());
    click_and_settle(&mut harness, "1.001000");
    assert_eq!(days_of(&path, "1.001000"), Some(10.0));

    // The section's header says the cost; inside, why.
    click_and_settle(&mut harness, "Đơn giản hóa — 1.483.250 đ/lần · 0 phương án");
    click_and_settle(&mut harness, "Vì sao con số này");
    harness
        .get_by_label("Một năm: 1.483.250 đồng × 384 lần (số hồ sơ năm trước) = 569.568.000 đồng");
    // Closed again: the new option's fields stay within the window.
    click_and_settle(&mut harness, "Vì sao con số này");

    click_and_settle(&mut harness, "Thêm phương án");
    replace_text(&mut harness, "Thời hạn mới", "6 ngày làm việc");
    type_into(&mut harness, "Lý do", "Liên thông thẩm định");
    type_into(&mut harness, "Cơ quan đề xuất", "Sở Xây dựng");
    click_and_settle(&mut harness, "Ghi phương án");
    let options = options_in(&path);
    assert_eq!(options.len(), 1);
    assert_eq!(
        (options[0].state, options[0].reason.as_str()),
        (OptionState::Proposed, "Liên thông thẩm định")
    );
    // Numbered after the shipped catalogue's own options.
    let number = options[0].number;
    assert!(number > 1);
    assert_eq!(
        days_of(&path, "1.001000"),
        Some(10.0),
        "recorded, not carried out"
    );

    click_and_settle(&mut harness, &format!("Áp dụng phương án {number}"));
    assert_eq!(days_of(&path, "1.001000"), Some(6.0));
    assert_eq!(options_in(&path)[0].state, OptionState::CarriedOut);
    // The table and the form show the new time.
    let form = harness.state().form().unwrap();
    assert_eq!(
        form.original().processing_time.longest_working_days(),
        Some(6.0)
    );

    // Undo the application: the time and the option's state come back; undo the record:
    // no option, every entry as it was.
    menu(&mut harness, "Sửa", "Hoàn tác");
    assert_eq!(days_of(&path, "1.001000"), Some(10.0));
    assert_eq!(options_in(&path)[0].state, OptionState::Proposed);
    let section = harness
        .state()
        .form()
        .unwrap()
        .simplification
        .as_ref()
        .unwrap();
    assert_eq!(section.options()[0].state, OptionState::Proposed);
    menu(&mut harness, "Sửa", "Hoàn tác");
    assert!(options_in(&path).is_empty());
    assert_eq!(content_hashes(&path), before);
}

#[test]
fn the_dashboard_shows_the_targets_and_a_click_on_a_bar_filters_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    {
        // The shipped 2016 publication to measure from; one more procedure abolished.
        let mut catalogue = Catalogue::open(&path).unwrap();
        let procedure = simplify::find_procedure(&catalogue, "1.001014@province").unwrap();
        let option = simplify::options::SimplificationOption {
            number: 0,
            code: procedure.data.code.clone(),
            level: Level::Province,
            kind: simplify::options::OptionKind::Abolish,
            proposal: Default::default(),
            reason: "Không phát sinh hồ sơ".into(),
            legal_change: String::new(),
            proposer: String::new(),
            state: OptionState::Accepted,
            recorded_by: String::new(),
            recorded_at: String::new(),
        };
        let option = simplify::record_option(&mut catalogue, option).unwrap();
        simplify::apply_option(&mut catalogue, option.number).unwrap();
    }
    let mut harness = open(path.clone());
    click_and_settle(&mut harness, "Tổng quan");
    assert_eq!(harness.state().mode(), Mode::Dashboard);
    let overview = harness.state().dashboard_panel().overview().unwrap();
    assert_eq!(overview.total, 1373);
    let since = overview.since.clone().unwrap();
    let report = simplify::savings(
        &Catalogue::open_read_only(&path).unwrap(),
        "cong-bo-2016",
        "working",
    )
    .unwrap();
    assert_eq!(since.baseline, "cong-bo-2016");
    assert_eq!(
        since.abolished,
        report.totals.abolished + report.totals.merged
    );
    assert_eq!(since.measures, report.measures);
    // Every target is on screen with its rate, as the report computes it.
    for measure in since.measures.iter().filter(|m| m.target.is_some()) {
        harness.get_by_label_contains(&format!(
            "{} / mục tiêu {}%",
            simplify::sourced::format_percent(measure.rate),
            measure.target.unwrap()
        ));
    }
    assert_eq!(
        harness
            .query_all_by_label_contains("/ mục tiêu 30%")
            .count(),
        3
    );

    // A bar is a button: the district bar filters the table to the district's entries.
    click_and_settle(&mut harness, "Cấp huyện: 193");
    assert_eq!(harness.state().mode(), Mode::Catalogue);
    assert_eq!(harness.state().view().shown_len(), 193);
    click_and_settle(&mut harness, "Tổng quan");
    click_and_settle(&mut harness, "Một phần (mức 3): 22");
    assert_eq!(harness.state().view().shown_len(), 22);
    assert!(
        harness
            .state()
            .view()
            .shown_rows()
            .all(|row| row.summary.tier.map(|t| t.value()) == Some(3))
    );
}

#[test]
fn the_savings_view_computes_against_the_publication_and_keeps_parameters_undoably() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut harness = open(path.clone());
    click_and_settle(&mut harness, "Đơn giản hóa");
    // By default, the last publication (2016) against the working copy: the 2017 review.
    let report = harness.state().simplify_panel().report().unwrap();
    assert_eq!(
        (report.old.as_str(), report.new.as_str()),
        ("cong-bo-2016", "working")
    );
    let t = &report.totals;
    assert_eq!(
        report.rows.len() as u64,
        t.abolished + t.merged + t.simplified + t.moved + t.added
    );
    assert!(t.abolished > 0 && t.simplified > 0 && t.merged > 0);
    // The window's figures are the command line's, to the last digit: the same text.
    let cli = crate::common::stdout(&crate::common::ok(
        dir.path(),
        &[
            "simplify",
            "report",
            "cong-bo-2016",
            "working",
            "--json",
            "--catalogue",
            path.to_str().unwrap(),
        ],
    ));
    assert_eq!(serde_json::to_string_pretty(report).unwrap() + "\n", cli);

    click_and_settle(&mut harness, "Tham số và mục tiêu");
    replace_text(&mut harness, "Thu nhập bình quân một giờ", "50.000");
    click_and_settle(&mut harness, "Lưu tham số và mục tiêu");
    let model = simplify::cost_model(&Catalogue::open_read_only(&path).unwrap()).unwrap();
    assert_eq!(model.income_per_hour.value, 50_000.0);
    menu(&mut harness, "Sửa", "Hoàn tác");
    let model = simplify::cost_model(&Catalogue::open_read_only(&path).unwrap()).unwrap();
    assert_eq!(model.income_per_hour.value, 43_750.0);
}
