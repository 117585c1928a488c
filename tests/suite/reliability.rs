//! Reliability: a crash leaves a file SQLite recovers and we accept; two writers never lose
//! an update; one publication of a revision; a forged publication is found; new catalogues
//! appear whole or not at all; a busy file waits, then says so; bad input never crashes.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};

use procedure_catalogue::domain::{Level, ProcedureData, parse_date};
use procedure_catalogue::import::{self, ImportOptions};
use procedure_catalogue::store::{Catalogue, Change, StoreError};

use crate::common::{json, run_in, stderr, stdout};

fn entry(code: &str) -> ProcedureData {
    ProcedureData {
        code: code.into(),
        name: format!("Thủ tục {code}"),
        level: Some(Level::Province),
        agency: "Sở Tư pháp".into(),
        ..ProcedureData::default()
    }
}

fn side(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A catalogue whose last commits are still in its `-wal`, copied as a crash (or a copy of
/// a live file) leaves it: the main file and the log beside it.
fn crashed_copy(dir: &Path) -> (PathBuf, usize) {
    let live = dir.join("live.sqlite");
    let mut catalogue = Catalogue::create(&live).unwrap();
    catalogue
        .connection()
        .execute_batch("PRAGMA wal_autocheckpoint = 0;")
        .unwrap();
    let changes: Vec<Change> = (0..3_000)
        .map(|i| Change::Create(entry(&format!("1.{i:06}"))))
        .collect();
    catalogue.apply_changes("many", &changes).unwrap();
    let copy = dir.join("crashed.sqlite");
    std::fs::copy(&live, &copy).unwrap();
    std::fs::copy(side(&live, "-wal"), side(&copy, "-wal")).unwrap();
    drop(catalogue);
    (copy, changes.len())
}

#[test]
fn a_file_left_with_its_log_by_a_crash_is_accepted_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (copy, count) = crashed_copy(dir.path());
    assert!(std::fs::metadata(side(&copy, "-wal")).unwrap().len() > 0);

    // Killed during a checkpoint: the first page (with the new size) already in the main
    // file, the file not yet grown. The header now promises more than the file holds.
    let final_pages = {
        let probe = dir.path().join("probe.sqlite");
        std::fs::copy(&copy, &probe).unwrap();
        std::fs::copy(side(&copy, "-wal"), side(&probe, "-wal")).unwrap();
        let conn = rusqlite::Connection::open(&probe).unwrap();
        conn.pragma_query_value(None, "page_count", |row| row.get::<_, u32>(0))
            .unwrap()
    };
    let mut bytes = std::fs::read(&copy).unwrap();
    bytes[28..32].copy_from_slice(&final_pages.to_be_bytes());
    let counter: [u8; 4] = bytes[24..28].try_into().unwrap();
    bytes[92..96].copy_from_slice(&counter);
    std::fs::write(&copy, &bytes).unwrap();
    let page_size = u64::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    assert!(
        (bytes.len() as u64) < u64::from(final_pages) * page_size,
        "the header says more than the file holds"
    );

    let output = run_in(
        dir.path(),
        &["stats", "--json", "--catalogue", "crashed.sqlite"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(json(&output)["total"], count);
    // Read through a connection that folds the log back on close: nothing left beside it.
    assert!(!side(&copy, "-wal").exists());
    assert!(!side(&copy, "-shm").exists());

    // Without a log, a file shorter than its header is truncated indeed, and the message
    // says to copy the log with it rather than the main file alone.
    let truncated = dir.path().join("truncated.sqlite");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    let output = run_in(dir.path(), &["stats", "--catalogue", "truncated.sqlite"]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(message.contains("together with its -wal file"), "{message}");
}

#[test]
fn a_read_only_command_leaves_nothing_beside_the_catalogue() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    for args in [
        vec!["stats"],
        vec!["audit", "--json"],
        vec!["revision", "list"],
        vec!["documents", "list"],
    ] {
        let output = run_in(dir.path(), &args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(left, ["catalogue.sqlite"], "{args:?}");
    }
    assert_eq!(
        std::fs::read(&path).unwrap(),
        std::fs::read(crate::common::shipped_catalogue()).unwrap()
    );
}

#[test]
fn an_edit_from_a_stale_read_keeps_the_other_writer_s_change_or_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let mut mine = Catalogue::create(&path).unwrap();
    mine.apply_changes("seed", &[Change::Create(entry("1.000001"))])
        .unwrap();
    let read = mine.procedures().unwrap().remove(0);

    // A colleague changes the agency meanwhile.
    let mut theirs = Catalogue::open(&path).unwrap();
    let mut data = read.data.clone();
    data.agency = "Sở Tư pháp tỉnh".into();
    theirs
        .apply_changes(
            "their edit",
            &[Change::Update {
                procedure_id: read.procedure_id,
                data,
            }],
        )
        .unwrap();

    // I change the fee from what I read: theirs stays, mine is added.
    let mut data = read.data.clone();
    data.fee = procedure_catalogue::domain::Fee::parse("50.000 đồng");
    mine.apply_changes(
        "my edit",
        &[Change::Edit {
            procedure_id: read.procedure_id,
            base: Box::new(read.data.clone()),
            data,
        }],
    )
    .unwrap();
    let now = mine.procedure(read.procedure_id).unwrap().data;
    assert_eq!(now.agency, "Sở Tư pháp tỉnh");
    assert_eq!(now.fee.amount_vnd(), Some(50_000));

    // I change the agency too, from my stale read: refused, nothing written.
    let mut data = read.data.clone();
    data.agency = "Phòng Tư pháp".into();
    data.notes = "ghi chú".into();
    let error = mine
        .apply_changes(
            "my second edit",
            &[Change::Edit {
                procedure_id: read.procedure_id,
                base: Box::new(read.data.clone()),
                data,
            }],
        )
        .unwrap_err();
    let StoreError::Conflicts(conflicts) = &error else {
        panic!("{error}");
    };
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0].theirs, "Sở Tư pháp tỉnh");
    assert_eq!(conflicts[0].mine, "Phòng Tư pháp");
    assert!(error.to_string().contains("1.000001 (province) agency"));
    let now = mine.procedure(read.procedure_id).unwrap().data;
    assert_eq!(
        (now.agency.as_str(), now.notes.as_str()),
        ("Sở Tư pháp tỉnh", "")
    );
    // The ledger names each writer for what each wrote.
    let history = mine.history(read.procedure_id).unwrap();
    let agency_lines = history
        .iter()
        .filter(|line| line.field == Some(procedure_catalogue::domain::ProcedureField::Agency))
        .count();
    assert_eq!(agency_lines, 1);
}

#[test]
fn an_import_planned_before_another_write_keeps_that_write() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let mut catalogue = Catalogue::open(&path).unwrap();
    let first = catalogue.procedures().unwrap().remove(0);
    let list = dir.path().join("list.csv");
    std::fs::write(
        &list,
        format!(
            "Mã số,Tên,Cấp thực hiện,Ghi chú\n{},\"{}\",Cấp tỉnh,ghi chú từ danh sách\n",
            first.data.code, first.data.name
        ),
    )
    .unwrap();
    let plan = import::plan_import(&catalogue, &[list], &ImportOptions::default()).unwrap();
    assert_eq!(plan.updated.len(), 1);

    // Another program changes another column of that entry, and the notes too.
    let mut other = Catalogue::open(&path).unwrap();
    let mut data = first.data.clone();
    data.agency = "Sở Nội vụ".into();
    other
        .apply_changes(
            "other",
            &[Change::Update {
                procedure_id: first.procedure_id,
                data: data.clone(),
            }],
        )
        .unwrap();
    import::apply_import(&mut catalogue, &plan).unwrap();
    let now = catalogue.procedure(first.procedure_id).unwrap().data;
    assert_eq!(now.agency, "Sở Nội vụ", "the other write stays");
    assert_eq!(
        now.notes, "ghi chú từ danh sách",
        "the import's change is made"
    );

    // Planned again, then the other program writes the same column: the import is refused.
    let list = dir.path().join("list2.csv");
    std::fs::write(
        &list,
        format!(
            "Mã số,Tên,Cấp thực hiện,Ghi chú\n{},\"{}\",Cấp tỉnh,ghi chú lần hai\n",
            first.data.code, first.data.name
        ),
    )
    .unwrap();
    let plan = import::plan_import(&catalogue, &[list], &ImportOptions::default()).unwrap();
    data.notes = "ghi chú của đồng nghiệp".into();
    other
        .apply_changes(
            "other again",
            &[Change::Update {
                procedure_id: first.procedure_id,
                data,
            }],
        )
        .unwrap();
    let error = import::apply_import(&mut catalogue, &plan).unwrap_err();
    assert!(error.to_string().contains("collide"), "{error}");
    let now = catalogue.procedure(first.procedure_id).unwrap().data;
    assert_eq!(now.notes, "ghi chú của đồng nghiệp");
}

#[test]
fn of_two_publications_of_one_revision_exactly_one_succeeds() {
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::common::copy_of_shipped(dir.path());
        Catalogue::open(&path)
            .unwrap()
            .create_revision("r1", "")
            .unwrap();
        let barrier = Arc::new(Barrier::new(2));
        let publishers: Vec<_> = ["1/QĐ-UBND", "2/QĐ-UBND"]
            .into_iter()
            .map(|decision| {
                let (path, barrier) = (path.clone(), Arc::clone(&barrier));
                std::thread::spawn(move || {
                    let mut catalogue = Catalogue::open(&path).unwrap();
                    barrier.wait();
                    catalogue
                        .publish_revision("r1", decision, parse_date("2017-06-30").unwrap())
                        .map(|_| decision)
                })
            })
            .collect();
        let results: Vec<_> = publishers.into_iter().map(|t| t.join().unwrap()).collect();
        let won: Vec<&str> = results
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .copied()
            .collect();
        assert_eq!(won.len(), 1, "round {round}: {results:?}");
        let lost = results.iter().find_map(|r| r.as_ref().err()).unwrap();
        let StoreError::AlreadyPublished { decision, .. } = lost else {
            panic!("round {round}: {lost}");
        };
        assert_eq!(decision, won[0], "the loser is told the winner's decision");
        let stored = Catalogue::open_read_only(&path)
            .unwrap()
            .revision("r1")
            .unwrap()
            .published
            .unwrap();
        assert_eq!(stored.decision, won[0]);
    }
}

#[test]
fn a_forged_publication_is_refused_or_found() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    for args in [
        vec!["revision", "create", "r1"],
        vec![
            "publish",
            "r1",
            "--decision",
            "1/QĐ-UBND",
            "--date",
            "2017-06-30",
        ],
    ] {
        let output = run_in(dir.path(), &args);
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let output = run_in(dir.path(), &["verify"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("r1                       intact"));

    let conn = rusqlite::Connection::open(&path).unwrap();
    // REPLACE deletes without firing delete triggers: refused all the same.
    for forge in [
        "INSERT OR REPLACE INTO revision (revision_id, name, created_at, created_by)
         SELECT revision_id, name, created_at, created_by FROM revision WHERE name = 'r1'",
        "INSERT OR REPLACE INTO procedure_version
         SELECT * FROM procedure_version LIMIT 1",
        "UPDATE revision SET published_decision = '9/QĐ-UBND' WHERE name = 'r1'",
        "DELETE FROM revision_entry WHERE revision_id = (SELECT revision_id FROM revision WHERE name = 'r1')",
    ] {
        let error = conn.execute_batch(forge).unwrap_err();
        assert!(
            error.to_string().contains("frozen") || error.to_string().contains("never changed"),
            "{forge}: {error}"
        );
    }
    // With the triggers dropped, a version's name is changed: the seal finds it. (A version
    // r1 alone holds: the shipped 2016 publication shares the unchanged ones.)
    conn.execute_batch(
        "DROP TRIGGER procedure_version_no_update;
         UPDATE procedure_version SET name = 'Tên giả mạo'
         WHERE version_id = (
             SELECT min(e.version_id) FROM revision_entry e JOIN revision r USING (revision_id)
             WHERE r.name = 'r1' AND e.version_id NOT IN (
                 SELECT f.version_id FROM revision_entry f JOIN revision p USING (revision_id)
                 WHERE p.name <> 'r1'));",
    )
    .unwrap();
    drop(conn);
    let output = run_in(dir.path(), &["verify"]);
    assert!(!output.status.success());
    assert!(stdout(&output).contains("r1                       broken"));
    assert!(stderr(&output).contains("seal broken on r1"));
    let listed = stdout(&run_in(dir.path(), &["revision", "list"]));
    assert!(listed.contains("SEAL BROKEN"), "{listed}");
    for args in [
        vec!["export", "--revision", "r1", "--output", "list.xlsx"],
        vec!["diff", "r1", "working"],
        vec!["stats", "--revision", "r1"],
    ] {
        let output = run_in(dir.path(), &args);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains("seal broken"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
    assert!(!dir.path().join("list.xlsx").exists());
    // Opened to write, the dropped trigger is back.
    let output = run_in(dir.path(), &["revision", "create", "r2"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let back: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'trigger'
                            AND name = 'procedure_version_no_update')",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert!(back);
}

#[test]
fn a_catalogue_killed_while_being_made_leaves_nothing_and_can_be_made_again() {
    let dir = tempfile::tempdir().unwrap();
    for delay_ms in [50u64, 400, 1_500] {
        let target = dir.path().join("national.sqlite");
        let mut child = crate::common::binary()
            .current_dir(dir.path())
            .args([
                "generate",
                "--output",
                "national.sqlite",
                "--procedures",
                "60000",
                "--provinces",
                "63",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Either nothing where the catalogue goes, or the whole catalogue.
        if target.exists() {
            let stats = json(&run_in(
                dir.path(),
                &["stats", "--json", "--catalogue", "national.sqlite"],
            ));
            assert_eq!(stats["total"], 60_000, "killed after {delay_ms} ms");
            std::fs::remove_file(&target).unwrap();
        }
    }
    let output = run_in(
        dir.path(),
        &[
            "generate",
            "--output",
            "national.sqlite",
            "--procedures",
            "2000",
            "--provinces",
            "3",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["national.sqlite"], "no staging file left");
}

#[test]
fn a_busy_catalogue_waits_then_says_another_program_is_writing() {
    let dir = tempfile::tempdir().unwrap();
    let path = crate::common::copy_of_shipped(dir.path());
    let holder = rusqlite::Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE;").unwrap();
    let mut catalogue = Catalogue::open(&path).unwrap();
    catalogue
        .set_write_wait(std::time::Duration::from_millis(300))
        .unwrap();
    let started = std::time::Instant::now();
    let error = catalogue.create_revision("r1", "").unwrap_err();
    assert!(started.elapsed() >= std::time::Duration::from_millis(250));
    assert!(matches!(error, StoreError::Busy { .. }), "{error}");
    assert!(error.to_string().contains("another program is writing"));

    // Released while the second writer waits: it goes through.
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(200));
        holder.execute_batch("COMMIT;").unwrap();
    });
    catalogue
        .set_write_wait(std::time::Duration::from_secs(5))
        .unwrap();
    catalogue.create_revision("r1", "").unwrap();
    release.join().unwrap();
}

#[test]
fn bad_input_never_crashes_and_is_named() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    // One value at the last cell of a sheet (XFD1048576).
    let sparse = dir.path().join("sparse.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "Mã số").unwrap();
    sheet.write_string(0, 1, "Tên").unwrap();
    sheet.write_string(1, 0, "1.999999").unwrap();
    sheet.write_string(1, 1, "Thủ tục thử").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    workbook.save(&sparse).unwrap();
    let unclosed = dir.path().join("unclosed.csv");
    std::fs::write(
        &unclosed,
        "Mã số,Tên,Cấp thực hiện\n1.999998,\"Tên chưa đóng,Cấp tỉnh\n1.999997,Tên,Cấp tỉnh\n",
    )
    .unwrap();
    let folder = dir.path().join("a-folder.csv");
    std::fs::create_dir(&folder).unwrap();
    let before = std::fs::read(dir.path().join("catalogue.sqlite")).unwrap();
    for (args, expect) in [
        (
            vec!["import", "sparse.xlsx", "--level", "tinh"],
            "cell XFD1048576",
        ),
        (
            vec!["import", "unclosed.csv"],
            "line 2: a quoted cell opened here is never closed",
        ),
        (vec!["import", "a-folder.csv"], "a folder, not a list"),
        (vec!["import", "missing.csv"], "no such file to import"),
        (
            vec!["generate", "--output", "g.sqlite", "--provinces", "0"],
            "--provinces 0",
        ),
        (
            vec![
                "generate",
                "--output",
                "g.sqlite",
                "--procedures",
                "999999999999",
            ],
            "--procedures 999999999999",
        ),
    ] {
        let output = run_in(dir.path(), &args);
        assert!(!output.status.success(), "{args:?}");
        let message = stderr(&output);
        assert!(!message.contains("panicked"), "{args:?}: {message}");
        assert!(message.contains(expect), "{args:?}: {message}");
        assert_eq!(message.trim_end().lines().count(), 1, "{args:?}: {message}");
    }
    assert_eq!(
        std::fs::read(dir.path().join("catalogue.sqlite")).unwrap(),
        before
    );
    assert!(!dir.path().join("g.sqlite").exists());

    // Control characters never reach the catalogue; a code holding one is refused by row.
    let nul = dir.path().join("nul.csv");
    std::fs::write(
        &nul,
        "Mã số,Tên,Cấp thực hiện\n1.999996,Tên\u{0} có NUL,Cấp tỉnh\n1.99\u{0}9995,Tên,Cấp tỉnh\n",
    )
    .unwrap();
    let output = run_in(dir.path(), &["import", "nul.csv", "--skip-invalid"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("row 3: 1.99\\09995: the code holds a control character"));
    let catalogue = Catalogue::open_read_only(&dir.path().join("catalogue.sqlite")).unwrap();
    let added = catalogue
        .procedures()
        .unwrap()
        .into_iter()
        .find(|p| p.data.code == "1.999996")
        .unwrap();
    assert_eq!(added.data.name, "Tên có NUL");
}

#[cfg(unix)]
#[test]
fn a_pipe_is_not_read_as_a_catalogue_or_a_list() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    for name in ["pipe.sqlite", "pipe.csv"] {
        let status = std::process::Command::new("mkfifo")
            .arg(dir.path().join(name))
            .status();
        if !status.is_ok_and(|s| s.success()) {
            return;
        }
    }
    for args in [
        vec!["stats", "--catalogue", "pipe.sqlite"],
        vec!["import", "pipe.csv"],
    ] {
        let output = run_in(dir.path(), &args);
        assert!(!output.status.success(), "{args:?}");
        assert!(
            stderr(&output).contains("not a regular file"),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}
