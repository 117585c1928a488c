//! The audit from the command line, as CLI.md specifies it: on the shipped catalogue it finds
//! exactly the defects the generator planted, and a reviewer's verdict is remembered.

use std::collections::BTreeSet;

use crate::common::{json, ok, run_in, stderr};
use procedure_catalogue::generator::{GeneratorConfig, generate};
use procedure_catalogue::text::fold;

/// (kind, rule, sorted members as code@level) of a JSON finding.
fn identity(finding: &serde_json::Value) -> (String, String, Vec<String>) {
    let mut members: Vec<String> = finding["procedures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}@{}",
                p["code"].as_str().unwrap(),
                p["level"].as_str().unwrap()
            )
        })
        .collect();
    members.sort();
    (
        finding["kind"].as_str().unwrap().to_owned(),
        finding["rule"].as_str().unwrap().to_owned(),
        members,
    )
}

#[test]
fn the_audit_finds_every_planted_defect_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    let report = json(&ok(
        dir.path(),
        &["audit", "--json", "--as-of", "2026-11-25"],
    ));
    let found: BTreeSet<(String, String, Vec<String>)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] != "similar")
        .map(identity)
        .collect();
    let planted: BTreeSet<(String, String, Vec<String>)> = generate(&GeneratorConfig::shipped())
        .unwrap()
        .planted
        .iter()
        .map(|defect| {
            let mut members: Vec<String> = defect
                .procedures
                .iter()
                .map(|(code, level)| format!("{code}@{}", level.key()))
                .collect();
            members.sort();
            (
                defect.rule.kind().key().to_owned(),
                defect.rule.key().to_owned(),
                members,
            )
        })
        .collect();
    assert_eq!(planted.len(), 84);
    let missed: Vec<_> = planted.difference(&found).collect();
    let extra: Vec<_> = found.difference(&planted).collect();
    assert!(missed.is_empty(), "missed: {missed:#?}");
    assert!(extra.is_empty(), "not planted: {extra:#?}");
    assert_eq!(report["summary"]["duplicate"]["found"], 32);
    // Every finding has the keys CLI.md names.
    for finding in report["findings"].as_array().unwrap() {
        for key in ["kind", "rule", "procedures", "reason"] {
            assert!(!finding[key].is_null(), "{key} missing in {finding}");
        }
        assert!(
            !finding["procedures"][0]["name"]
                .as_str()
                .unwrap()
                .is_empty()
        );
    }
    // Decisive words keep different procedures apart: no duplicate pairs "cấp" with "cấp lại".
    for finding in report["findings"].as_array().unwrap() {
        if finding["kind"] == "duplicate" {
            let names: Vec<&str> = finding["procedures"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            let relisted = names
                .iter()
                .filter(|n| fold(n).replace(' ', "").contains("caplai"))
                .count();
            assert!(relisted == 0 || relisted == names.len(), "{names:?}");
        }
    }
}

#[test]
fn a_dismissed_finding_is_not_listed_again_and_the_file_remembers_who() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let before = json(&ok(dir.path(), &["audit", "--json"]));
    let first = &before["findings"][0];
    assert_eq!(first["kind"], "duplicate");
    let id = first["id"].as_str().unwrap();
    let said = ok(
        dir.path(),
        &["verdict", id, "dismissed", "--note", "khác cơ quan"],
    );
    assert!(crate::common::stdout(&said).contains("dismissed"));

    let after = json(&ok(dir.path(), &["audit", "--json"]));
    let listed = |report: &serde_json::Value| report["findings"].as_array().unwrap().len();
    assert_eq!(listed(&after), listed(&before) - 1);
    assert!(
        after["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["id"] != id)
    );
    assert_eq!(after["summary"]["duplicate"]["reviewed"], 1);
    let all = json(&ok(dir.path(), &["audit", "--json", "--all"]));
    let dismissed = all["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap();
    assert_eq!(dismissed["verdict"]["verdict"], "dismissed");
    assert_eq!(dismissed["verdict"]["decided_by"], "test-officer");
    assert_eq!(dismissed["verdict"]["note"], "khác cơ quan");

    // A revision taken now: the verdict holds there too, and in the working copy later.
    ok(dir.path(), &["revision", "create", "r1"]);
    let revision = json(&ok(dir.path(), &["audit", "--json", "--revision", "r1"]));
    assert_eq!(listed(&revision), listed(&after));
    let again = json(&ok(dir.path(), &["audit", "--json"]));
    assert_eq!(listed(&again), listed(&after));
    drop(path);
}

#[test]
fn bad_verdicts_get_one_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    let unknown = run_in(dir.path(), &["verdict", "0000000000", "dismissed"]);
    assert!(!unknown.status.success());
    assert!(
        stderr(&unknown).contains("no finding 0000000000"),
        "{}",
        stderr(&unknown)
    );
    let report = json(&ok(dir.path(), &["audit", "--json"]));
    let id = report["findings"][0]["id"].as_str().unwrap();
    let keep = run_in(dir.path(), &["verdict", id, "keep"]);
    assert!(!keep.status.success());
    assert!(
        stderr(&keep).contains("needs a reason"),
        "{}",
        stderr(&keep)
    );
    let wrong = run_in(dir.path(), &["verdict", id, "maybe"]);
    assert!(
        stderr(&wrong).contains("is not a verdict"),
        "{}",
        stderr(&wrong)
    );
    assert!(!wrong.status.success());
}

#[test]
fn imported_status_dossiers_legal_basis_and_a_document_list_feed_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("list.csv"),
        "Mã TTHC;Tên thủ tục;Cấp thực hiện;Cơ quan thực hiện;Thời hạn giải quyết (ngày làm việc);Phí, lệ phí;Căn cứ pháp lý;Tình trạng;Số hồ sơ;Số hồ sơ hai năm trước\n\
         1.000001;Cấp giấy phép khai thác cát;tỉnh;Sở Nông nghiệp;10;Không;\"64/2012/NĐ-CP\n10/2012/TT-BXD\";còn hiệu lực;5;7\n\
         1.000002;Cấp phép bến thủy nội địa;tỉnh;Sở Xây dựng;10;Không;59/2015/NĐ-CP;đã bãi bỏ;3;4\n\
         1.000003;Đăng ký tàu cá;tỉnh;Sở Nông nghiệp;5;Không;59/2015/NĐ-CP;còn hiệu lực;0;0\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("documents.csv"),
        "Số ký hiệu,Trích yếu,Ngày ban hành,Ngày hiệu lực,Ngày hết hiệu lực,Văn bản thay thế\n\
         64/2012/NĐ-CP,Về cấp giấy phép xây dựng,04/09/2012,20/10/2012,01/07/2015,59/2015/NĐ-CP\n\
         10/2012/TT-BXD,Hướng dẫn cấp phép,20/12/2012,05/02/2013,01/07/2015,\n\
         59/2015/NĐ-CP,Về quản lý dự án đầu tư xây dựng,18/06/2015,05/08/2015,,\n",
    )
    .unwrap();
    let imported = json(&ok(
        dir.path(),
        &["import", "list.csv", "documents.csv", "--create", "--json"],
    ));
    assert_eq!(imported["added"], 3);
    assert_eq!(imported["documents"]["added"], 3);
    assert_eq!(imported["files"][1]["document_list"], true);

    let report = json(&ok(
        dir.path(),
        &["audit", "--json", "--as-of", "2026-11-25"],
    ));
    let rules: BTreeSet<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["procedures"][0]["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("repealed_basis", "1.000001"),
        ("abolished", "1.000002"),
        ("no_dossiers", "1.000003"),
    ]
    .iter()
    .map(|(rule, code)| (rule.to_string(), code.to_string()))
    .collect();
    assert_eq!(rules, expected);
    let repealed = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "repealed_basis")
        .unwrap();
    let reason = repealed["reason"].as_str().unwrap();
    assert!(
        reason.contains("64/2012/NĐ-CP (hết hiệu lực 2015-07-01, thay bằng 59/2015/NĐ-CP)"),
        "{reason}"
    );

    // Importing the same document list again changes nothing.
    let again = json(&ok(dir.path(), &["import", "documents.csv", "--json"]));
    assert_eq!(again["documents"]["unchanged"], 3);
}

#[test]
fn a_verdict_for_a_whole_rule_and_a_list_that_never_had_a_column() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    let said = run_in(
        dir.path(),
        &[
            "verdict",
            "rule:missing_fee",
            "dismissed",
            "--note",
            "miễn phí",
        ],
    );
    assert!(said.status.success(), "{}", stderr(&said));
    assert!(crate::common::stdout(&said).contains("4 findings, one transaction"));
    let report = json(&run_in(dir.path(), &["audit", "--json"]));
    assert_eq!(report["summary"]["incomplete"]["listed"], 12);
    assert_eq!(report["summary"]["incomplete"]["reviewed"], 4);

    // A list with no fee, time or legal-basis column: said once, not once per procedure.
    std::fs::write(
        dir.path().join("short.csv"),
        "Mã số,Tên,Cấp,Cơ quan thực hiện\n9.000001,Một,tỉnh,Sở Tư pháp\n9.000002,Hai,xã,UBND cấp xã\n",
    )
    .unwrap();
    let created = run_in(
        dir.path(),
        &[
            "import",
            "short.csv",
            "--create",
            "--catalogue",
            "short.sqlite",
        ],
    );
    assert!(created.status.success(), "{}", stderr(&created));
    let report = json(&run_in(
        dir.path(),
        &["audit", "--json", "--catalogue", "short.sqlite"],
    ));
    assert_eq!(report["summary"]["incomplete"]["found"], 0, "{report}");
    assert_eq!(
        report["gaps"],
        serde_json::json!([
            "missing_processing_time",
            "missing_fee",
            "missing_legal_basis"
        ])
    );
}
