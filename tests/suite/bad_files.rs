//! Files that are not catalogues, and input files that cannot be imported: each gives a
//! non-zero exit, one clear message (what, where, what to do), no panic, and unchanged bytes.

use std::path::{Path, PathBuf};

use crate::common::{run_in, stderr};

struct BadCatalogue {
    name: &'static str,
    path: PathBuf,
    /// A phrase the message must hold.
    expect: &'static str,
}

fn make_bad_catalogues(dir: &Path) -> Vec<BadCatalogue> {
    let shipped = std::fs::read(crate::common::shipped_catalogue()).unwrap();
    let mut bad = Vec::new();
    let mut add = |name: &'static str, bytes: &[u8], expect: &'static str| {
        let path = dir.join(format!("{name}.sqlite"));
        std::fs::write(&path, bytes).unwrap();
        bad.push(BadCatalogue { name, path, expect });
    };
    add("empty", b"", "empty");
    add("garbage", &[0x5a; 8192], "not a SQLite database");
    add(
        "text",
        "Danh sách thủ tục hành chính\n".repeat(200).as_bytes(),
        "not a SQLite database",
    );
    add("truncated", &shipped[..shipped.len() / 2], "truncated");
    add("header-only", &shipped[..100], "truncated");
    let mut damaged = shipped.clone();
    // Overwrite the schema page's cells: the header stays valid, the content does not.
    for byte in &mut damaged[100..4096] {
        *byte = 0xff;
    }
    add("damaged", &damaged, "damaged");

    let foreign = dir.join("foreign.sqlite");
    let conn = rusqlite::Connection::open(&foreign).unwrap();
    conn.execute_batch("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT); INSERT INTO photos (path) VALUES ('a.jpg');")
        .unwrap();
    drop(conn);
    bad.push(BadCatalogue {
        name: "foreign",
        path: foreign,
        expect: "another application",
    });

    let blank = dir.join("blank.sqlite");
    let conn = rusqlite::Connection::open(&blank).unwrap();
    conn.execute_batch("PRAGMA user_version = 0; VACUUM;")
        .unwrap();
    drop(conn);
    if std::fs::metadata(&blank).unwrap().len() > 0 {
        bad.push(BadCatalogue {
            name: "blank",
            path: blank,
            expect: "another application",
        });
    }

    let newer = dir.join("newer.sqlite");
    std::fs::write(&newer, &shipped).unwrap();
    let conn = rusqlite::Connection::open(&newer).unwrap();
    conn.execute_batch("PRAGMA journal_mode = DELETE; PRAGMA user_version = 99;")
        .unwrap();
    drop(conn);
    bad.push(BadCatalogue {
        name: "newer",
        path: newer,
        expect: "newer version",
    });
    bad
}

fn assert_one_clear_message(output: &std::process::Output, expect: &str, name: &str) {
    assert!(
        !output.status.success(),
        "{name}: exit status {:?}",
        output.status
    );
    let message = stderr(output);
    assert!(!message.contains("panicked"), "{name}: {message}");
    assert!(
        message.to_lowercase().contains(&expect.to_lowercase()),
        "{name}: expected \"{expect}\" in: {message}"
    );
    assert_eq!(
        message.trim_end().lines().count(),
        1,
        "{name}: one line, got: {message}"
    );
    assert!(message.starts_with("error: "), "{name}: {message}");
}

#[test]
fn a_file_that_is_not_a_catalogue_is_refused_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("list.csv");
    std::fs::write(&csv, "Mã số,Tên,Cấp\n1.000001,Đăng ký khai sinh,xã\n").unwrap();
    for bad in make_bad_catalogues(dir.path()) {
        let before = std::fs::read(&bad.path).unwrap();
        let path = bad.path.to_str().unwrap();
        for args in [
            vec!["stats", "--catalogue", path],
            vec!["stats", "--json", "--catalogue", path],
            vec!["import", csv.to_str().unwrap(), "--catalogue", path],
        ] {
            let output = run_in(dir.path(), &args);
            assert_one_clear_message(&output, bad.expect, bad.name);
            assert!(
                stderr(&output).contains(&format!("{}.sqlite", bad.name)),
                "names the file: {}",
                stderr(&output)
            );
            assert_eq!(
                std::fs::read(&bad.path).unwrap(),
                before,
                "{}: bytes changed by {args:?}",
                bad.name
            );
        }
    }
}

#[test]
fn a_read_only_catalogue_is_not_written_but_can_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = crate::common::copy_of_shipped(dir.path());
    let mut permissions = std::fs::metadata(&catalogue).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&catalogue, permissions).unwrap();
    let before = std::fs::read(&catalogue).unwrap();
    let csv = dir.path().join("list.csv");
    std::fs::write(&csv, "Mã số,Tên,Cấp\n1.000001,Đăng ký khai sinh,xã\n").unwrap();

    let output = run_in(dir.path(), &["import", csv.to_str().unwrap()]);
    assert_one_clear_message(&output, "read-only", "read-only");
    assert_eq!(std::fs::read(&catalogue).unwrap(), before);

    // Reading needs no write access.
    let output = run_in(dir.path(), &["stats", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read(&catalogue).unwrap(), before);
}

#[test]
fn a_missing_catalogue_or_folder_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let output = run_in(dir.path(), &["stats"]);
    assert_one_clear_message(&output, "no such catalogue file", "missing");
    assert!(
        stderr(&output).contains("--create"),
        "says what to do: {}",
        stderr(&output)
    );
    assert!(
        !dir.path().join("catalogue.sqlite").exists(),
        "stats must not create a file"
    );

    let output = run_in(
        dir.path(),
        &["stats", "--catalogue", dir.path().to_str().unwrap()],
    );
    assert_one_clear_message(&output, "is a folder", "folder");
}

#[test]
fn bad_import_files_are_refused_with_their_place_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let catalogue = crate::common::copy_of_shipped(dir.path());
    let catalogue_before = std::fs::read(&catalogue).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("not-utf8.csv", b"M\xe3 s\xf4,T\xean\n1.000001,C\xe1p\n".to_vec(), "line 1"),
        ("no-header.csv", "a,b,c\n1,2,3\n".as_bytes().to_vec(), "no header row"),
        ("empty.csv", Vec::new(), "no header row"),
        ("fake.xlsx", b"this is not a zip archive".to_vec(), "not a readable excel workbook"),
        ("list.pdf", b"%PDF-1.4".to_vec(), "give a .csv or .xlsx"),
        (
            "bad-rows.csv",
            "Mã số,Tên,Cấp,Mức độ\n1.900001,Cấp phép A,tỉnh,2\n,Không có mã,tỉnh,2\n1.900003,,tỉnh,2\n1.900004,Cấp phép D,cấp thôn,2\n1.900005,Cấp phép E,tỉnh,7\n1.900001,Cấp phép A lặp,tỉnh,2\n"
                .as_bytes()
                .to_vec(),
            "5 row(s) cannot be imported",
        ),
    ];
    for (name, bytes, expect) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).unwrap();
        let output = run_in(dir.path(), &["import", path.to_str().unwrap()]);
        assert!(!output.status.success(), "{name}");
        let message = stderr(&output);
        assert!(!message.contains("panicked"), "{name}: {message}");
        assert!(
            message.to_lowercase().contains(&expect.to_lowercase()),
            "{name}: expected \"{expect}\" in: {message}"
        );
        assert!(message.contains(name), "{name}: names the file: {message}");
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "{name}: input changed"
        );
        assert_eq!(
            std::fs::read(&catalogue).unwrap(),
            catalogue_before,
            "{name}: catalogue changed"
        );
    }
}

#[test]
fn rejected_rows_are_listed_with_row_numbers_and_reasons() {
    let dir = tempfile::tempdir().unwrap();
    crate::common::copy_of_shipped(dir.path());
    let path = dir.path().join("bad-rows.csv");
    std::fs::write(
        &path,
        "Mã số,Tên,Cấp,Mức độ\n1.900001,Cấp phép A,tỉnh,2\n,Không có mã,tỉnh,2\n1.900003,,tỉnh,2\n1.900004,Cấp phép D,cấp thôn,2\n1.900005,Cấp phép E,tỉnh,7\n1.900001,Cấp phép A lặp,tỉnh,2\n",
    )
    .unwrap();
    let output = run_in(dir.path(), &["import", path.to_str().unwrap()]);
    let message = stderr(&output);
    for expected in [
        "row 3: no code",
        "row 4: 1.900003: no name",
        "row 5: 1.900004: unknown level \"cấp thôn\"",
        "row 6: 1.900005: unknown tier \"7\"",
        "row 7: 1.900001 at province level is already on row 2",
        "--skip-invalid",
    ] {
        assert!(
            message.contains(expected),
            "expected \"{expected}\" in: {message}"
        );
    }
}
