//! Revisions, diff and publication from the command line, as CLI.md specifies them.

use crate::common::{json, ok, run_in, stderr, stdout};

#[test]
fn create_list_diff_and_publish() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    ok(
        dir.path(),
        &[
            "revision",
            "create",
            "2017-draft",
            "--note",
            "trước rà soát",
        ],
    );

    // Edit the working copy: rename one, move one to another level, replace one by a new code.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "UPDATE procedure SET name = 'Cấp lại giấy phép (đã sửa)', tier = 3 WHERE code = '1.001000' AND level = 'province';
         UPDATE procedure SET level = 'commune' WHERE code = '1.501000' AND level = 'district';
         UPDATE procedure SET retired_at = '2017-07-01', status = 'replaced', replaced_by = '1.777777'
           WHERE code = '1.001007' AND level = 'province';
         INSERT INTO procedure (code, name, level) VALUES ('1.777777', 'Cấp giấy phép (thay thế)', 'province');
         INSERT INTO procedure (code, name, level) VALUES ('1.888888', 'Thủ tục công bố mới', 'province');",
    )
    .unwrap();
    drop(conn);

    let list = json(&ok(dir.path(), &["revision", "list", "--json"]));
    let revisions = list["revisions"].as_array().unwrap();
    // The shipped 2016 publication, then the draft.
    let names: Vec<&str> = revisions
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["cong-bo-2016", "2017-draft"]);
    assert_eq!(revisions[0]["published"]["decision"], "3126/QĐ-UBND");
    assert!(revisions[1]["published"].is_null());
    assert!(revisions[1]["created"].as_str().unwrap().starts_with("20"));

    let diff = json(&ok(
        dir.path(),
        &["diff", "2017-draft", "working", "--json"],
    ));
    assert_eq!(diff["added"].as_array().unwrap().len(), 1, "{diff}");
    assert_eq!(diff["added"][0]["code"], "1.888888");
    assert_eq!(diff["removed"].as_array().unwrap().len(), 0, "{diff}");
    let changed = diff["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(changed[0]["code"], "1.001000");
    assert_eq!(changed[0]["fields"], serde_json::json!(["name", "tier"]));
    assert_eq!(diff["moved"][0]["code"], "1.501000");
    assert_eq!(diff["moved"][0]["to_level"], "commune");
    assert_eq!(diff["replaced"][0]["old_code"], "1.001007");
    assert_eq!(diff["replaced"][0]["new_code"], "1.777777");
    // The summary's counts before and after are the two sides' own counts.
    let before = json(&ok(
        dir.path(),
        &["stats", "--revision", "2017-draft", "--json"],
    ));
    let after = json(&ok(dir.path(), &["stats", "--json"]));
    for key in ["total", "by_level", "by_tier", "by_status", "fields"] {
        assert_eq!(diff["summary"]["before"][key], before[key], "before {key}");
        assert_eq!(diff["summary"]["after"][key], after[key], "after {key}");
    }

    // Another catalogue file as a side: the shipped one.
    let shipped = crate::common::shipped_catalogue();
    let diff = json(&ok(
        dir.path(),
        &["diff", shipped.to_str().unwrap(), "working", "--json"],
    ));
    assert_eq!(diff["added"].as_array().unwrap().len(), 1);

    ok(
        dir.path(),
        &[
            "publish",
            "2017-draft",
            "--decision",
            "1234/QĐ-UBND",
            "--date",
            "2017-06-30",
        ],
    );
    let list = json(&ok(dir.path(), &["revision", "list", "--json"]));
    assert_eq!(
        list["revisions"][1]["published"]["decision"],
        "1234/QĐ-UBND"
    );
    assert_eq!(list["revisions"][1]["published"]["date"], "2017-06-30");

    let stats = json(&ok(
        dir.path(),
        &["stats", "--revision", "2017-draft", "--json"],
    ));
    assert_eq!(stats["total"], 1374);
    assert_eq!(stats["by_level"]["district"], 193);
    let stats = json(&ok(dir.path(), &["stats", "--json"]));
    assert_eq!(stats["total"], 1375);

    // Publishing again is refused with the decision that froze it.
    let output = run_in(
        dir.path(),
        &[
            "publish",
            "2017-draft",
            "--decision",
            "9/QĐ-UBND",
            "--date",
            "2017-07-01",
        ],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("1234/QĐ-UBND"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_published_revision_survives_plain_sql_and_the_sqlite3_shell() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    ok(dir.path(), &["revision", "create", "r1"]);
    ok(
        dir.path(),
        &[
            "publish",
            "r1",
            "--decision",
            "1234/QĐ-UBND",
            "--date",
            "2017-06-30",
        ],
    );
    let before = json(&ok(dir.path(), &["diff", "r1", "working", "--json"]));
    let snapshot = || json(&ok(dir.path(), &["stats", "--revision", "r1", "--json"]));
    let stats_before = snapshot();

    let statements = [
        "UPDATE procedure_version SET name = 'hacked';",
        "DELETE FROM revision_entry;",
        "UPDATE revision SET published_at = NULL;",
        "DELETE FROM revision;",
    ];
    let conn = rusqlite::Connection::open(&path).unwrap();
    for sql in statements {
        let error = conn.execute_batch(sql).unwrap_err().to_string();
        assert!(
            error.contains("frozen") || error.contains("never changed"),
            "{sql}: {error}"
        );
    }
    drop(conn);
    // The sqlite3 shell, as an officer with the database file might try.
    match std::process::Command::new("sqlite3")
        .arg("--version")
        .output()
    {
        Ok(_) => {
            for sql in statements {
                let output = std::process::Command::new("sqlite3")
                    .arg(&path)
                    .arg(sql)
                    .output()
                    .unwrap();
                assert!(!output.status.success(), "sqlite3 ran {sql}");
                assert!(
                    String::from_utf8_lossy(&output.stderr).contains("frozen")
                        || String::from_utf8_lossy(&output.stderr).contains("never changed")
                );
            }
        }
        Err(_) => eprintln!("skipped the sqlite3 shell part: sqlite3 is not installed"),
    }
    assert_eq!(snapshot(), stats_before);
    assert_eq!(
        json(&ok(dir.path(), &["diff", "r1", "working", "--json"])),
        before
    );
}

#[test]
fn bad_revision_commands_get_one_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    ok(dir.path(), &["revision", "create", "r1"]);
    for (args, expect) in [
        (vec!["revision", "create", "r1"], "exists already"),
        (
            vec!["revision", "create", "working"],
            "cannot name a revision",
        ),
        (
            vec!["diff", "nope", "working"],
            "no revision named \"nope\"",
        ),
        (
            vec![
                "publish",
                "nope",
                "--decision",
                "1/QĐ-UBND",
                "--date",
                "2017-06-30",
            ],
            "no revision named",
        ),
        (vec!["stats", "--revision", "nope"], "no revision named"),
    ] {
        let output = run_in(dir.path(), &args);
        assert!(!output.status.success(), "{args:?}");
        let message = stderr(&output);
        assert!(message.contains(expect), "{args:?}: {message}");
        assert_eq!(message.trim_end().lines().count(), 1, "{args:?}: {message}");
    }
    let output = run_in(
        dir.path(),
        &[
            "publish",
            "r1",
            "--decision",
            "1/QĐ-UBND",
            "--date",
            "30/06/2017",
        ],
    );
    assert!(!output.status.success());
    assert!(stderr(&output).contains("YYYY-MM-DD"));
}

#[test]
fn two_catalogue_files_are_compared_without_naming_a_catalogue() {
    // No catalogue.sqlite in the folder: the two files are the two sides.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.sqlite");
    std::fs::copy(crate::common::shipped_catalogue(), &old).unwrap();
    let new = dir.path().join("new.sqlite");
    std::fs::copy(&old, &new).unwrap();
    ok(
        dir.path(),
        &[
            "documents",
            "recite",
            "01/2016/QH14",
            "99/2026/NĐ-CP",
            "--catalogue",
            "new.sqlite",
        ],
    );
    let diff = json(&ok(
        dir.path(),
        &["diff", "old.sqlite", "new.sqlite", "--json"],
    ));
    let changed = diff["changed"].as_array().unwrap();
    assert_eq!(changed.len(), 20, "{diff}");
    assert!(
        changed
            .iter()
            .all(|c| c["fields"] == serde_json::json!(["legal_basis"]))
    );
    let text = stdout(&ok(dir.path(), &["diff", "old.sqlite", "new.sqlite"]));
    // A list value reads on one line.
    assert!(text.contains("legal_basis: 01/2016/QH14; "), "{text}");
    // The old side is never written.
    assert_eq!(
        std::fs::read(&old).unwrap(),
        std::fs::read(crate::common::shipped_catalogue()).unwrap()
    );
}

#[test]
fn a_repeal_flags_every_citing_procedure_and_re_citing_is_one_batch() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    let listed = json(&ok(dir.path(), &["documents", "list", "--json"]));
    let documents = listed["documents"].as_array().unwrap();
    let law = documents
        .iter()
        .find(|d| d["number"] == "01/2016/QH14")
        .unwrap();
    assert_eq!(law["kind"], "law");
    assert_eq!(law["status"], "in_force");
    let citing = law["citing"].as_array().unwrap().len();
    assert_eq!(citing, 20);
    // Sorted by number, for a deterministic list.
    let numbers: Vec<&str> = documents
        .iter()
        .map(|d| d["number"].as_str().unwrap())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted);

    let audit_rules = |dir: &std::path::Path| -> Vec<String> {
        json(&ok(dir, &["audit", "--as-of", "2026-12-01", "--json"]))["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_owned())
            .collect()
    };
    let count = |rules: &[String], rule: &str| rules.iter().filter(|r| *r == rule).count();
    let before = audit_rules(dir.path());
    let out = stdout(&ok(
        dir.path(),
        &[
            "documents",
            "repeal",
            "01/2016/QH14",
            "--date",
            "2026-07-01",
            "--replaced-by",
            "99/2026/QH15",
        ],
    ));
    assert!(out.contains("20 procedures cite it"), "{out}");
    let after = audit_rules(dir.path());
    // Every citing procedure is flagged: obsolete when nothing valid is left, else to update.
    let flagged = count(&after, "cites_repealed") + count(&after, "repealed_basis")
        - count(&before, "cites_repealed")
        - count(&before, "repealed_basis");
    assert_eq!(flagged, citing);

    let out = stdout(&ok(
        dir.path(),
        &["documents", "recite", "01/2016/QH14", "99/2026/QH15"],
    ));
    assert!(out.starts_with("20 procedures now cite"), "{out}");
    let after_recite = audit_rules(dir.path());
    assert_eq!(
        count(&after_recite, "cites_repealed"),
        count(&before, "cites_repealed")
    );
    let listed = json(&ok(
        dir.path(),
        &["documents", "list", "--repealed", "--json"],
    ));
    let law = listed["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["number"] == "01/2016/QH14")
        .unwrap()
        .clone();
    assert_eq!(law["status"], "repealed");
    assert_eq!(law["replaced_by"], "99/2026/QH15");
    assert!(law["citing"].as_array().unwrap().is_empty());
    let new = listed["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["number"] == "99/2026/QH15");
    assert!(!new, "--repealed lists only repealed documents");

    // Bad input: one line, nothing written.
    for (args, expect) in [
        (
            vec!["documents", "repeal", "nope", "--date", "2026-01-01"],
            "no legal document numbered \"nope\"",
        ),
        (
            vec!["documents", "recite", "01/2016/QH14", " "],
            "give the number of the document that replaces it",
        ),
        (
            vec!["documents", "repeal", "01/2016/QH14", "--date", "1/7/2026"],
            "is not a date",
        ),
    ] {
        let output = run_in(dir.path(), &args);
        assert!(!output.status.success(), "{args:?}");
        let message = stderr(&output);
        assert!(message.contains(expect), "{args:?}: {message}");
    }
}
