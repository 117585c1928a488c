//! The full records of three ministries, as the officer's full-field list holds them,
//! imported and compared record by record with the national database's own JSON: every fee
//! amount, time with its unit, level, agency and legal-basis number the catalogue holds
//! must be what the source says. A value that could not be read is allowed only as text,
//! with a warning; a wrong number is never allowed.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::common::{json, run_in, stderr};
use procedure_catalogue::domain::channel::Channel;
use procedure_catalogue::domain::fee::Money;
use procedure_catalogue::domain::{Level, TimeUnit};
use procedure_catalogue::store::Catalogue;

fn full_dir() -> Option<PathBuf> {
    let dir = crate::common::realdata_dir()?.join("full");
    dir.is_dir().then_some(dir)
}

/// One row of the source's "Hình thức nộp | Thời gian | Phí, lệ phí | Mô tả" table.
#[derive(Debug)]
struct SourceChannel {
    channel: Channel,
    /// (amount, unit); the unit is None when the source gives a bare number.
    time: Option<(f64, Option<TimeUnit>)>,
    /// None: no information; Some(None): not in đồng; Some(Some(x)): x đồng (0 free).
    fee: Option<Option<i64>>,
}

const CHANNELS: [(&str, Channel); 3] = [
    ("Trực tiếp", Channel::Direct),
    ("Trực tuyến", Channel::Online),
    ("Dịch vụ bưu chính", Channel::Post),
];

const UNITS: [(&str, TimeUnit); 6] = [
    ("Ngày làm việc", TimeUnit::WorkingDays),
    ("Ngày", TimeUnit::Days),
    ("Giờ", TimeUnit::Hours),
    ("Tháng", TimeUnit::Months),
    ("Năm", TimeUnit::Years),
    ("Tuần", TimeUnit::Weeks),
];

/// Reads the flattened table the database publishes: a channel's name, then straight after
/// it the time ("15 Ngày làm việc", "1", "Không có thông tin"), then the fee ("Miễn phí",
/// "20,000 Việt Nam Đồng", "Không có thông tin"), then a description up to the next channel.
/// Written apart from the application's own readers, so the comparison is not circular.
fn source_channels(text: &str) -> Vec<SourceChannel> {
    let body = text
        .strip_prefix("Hình thức nộpThời gianPhí, lệ phíMô tả")
        .unwrap_or(text);
    let mut starts: Vec<(usize, Channel, usize)> = Vec::new();
    for (name, channel) in CHANNELS {
        let mut from = 0;
        while let Some(found) = body[from..].find(name) {
            let at = from + found;
            let after = &body[at + name.len()..];
            // A channel cell is followed at once by the time: a digit or "Không có".
            if after.starts_with(|c: char| c.is_ascii_digit()) || after.starts_with("Không có") {
                starts.push((at, channel, at + name.len()));
            }
            from = at + name.len();
        }
    }
    starts.sort();
    starts
        .iter()
        .map(|&(_, channel, start)| {
            let rest = &body[start..];
            let (time, rest) = if let Some(rest) = rest.strip_prefix("Không có thông tin") {
                (None, rest)
            } else {
                let digits: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',')
                    .collect();
                let amount: f64 = digits.replace(',', ".").parse().unwrap_or(f64::NAN);
                let after = rest[digits.len()..].trim_start();
                let unit = UNITS
                    .iter()
                    .find(|(word, _)| after.starts_with(word))
                    .map(|(word, unit)| (*unit, word.len()));
                let rest = match unit {
                    Some((_, len)) => &after[len..],
                    None => &rest[digits.len()..],
                };
                (Some((amount, unit.map(|(u, _)| u))), rest)
            };
            let fee = if rest.starts_with("Miễn phí") {
                Some(Some(0))
            } else if rest.starts_with("Không có thông tin") {
                None
            } else {
                let figures: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_digit() || *c == ',')
                    .collect();
                let currency = rest[figures.len()..].trim_start();
                if currency.starts_with("Việt Nam Đồng") || currency.starts_with("VNĐ") {
                    Some(figures.replace(',', "").parse().ok())
                } else {
                    Some(None)
                }
            };
            SourceChannel { channel, time, fee }
        })
        .collect()
}

fn source_levels(text: &str) -> BTreeSet<Level> {
    text.split(',')
        .filter_map(|part| match part.trim() {
            "Cấp tỉnh" => Some(Level::Province),
            "Cấp huyện" => Some(Level::District),
            "Cấp xã" => Some(Level::Commune),
            _ => None,
        })
        .collect()
}

fn tidy(text: &str) -> String {
    let text = text.trim();
    if text == "Không có thông tin" {
        return String::new();
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn records(dir: &Path) -> HashMap<String, serde_json::Value> {
    std::fs::read_to_string(dir.join("records.jsonl"))
        .unwrap()
        .lines()
        .map(|line| {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            (record["ma_thu_tuc"].as_str().unwrap().to_owned(), record)
        })
        .collect()
}

#[test]
fn the_full_list_imports_with_every_record_accounted_for_and_no_wrong_value() {
    let Some(full) = full_dir() else {
        eprintln!("skipped: ../shared/realdata/full/ is not beside the repository");
        return;
    };
    let sources = records(&full);
    let dir = tempfile::tempdir().unwrap();
    let catalogue_path = dir.path().join("full.sqlite");
    let output = run_in(
        dir.path(),
        &[
            "import",
            full.join("full-list.xlsx").to_str().unwrap(),
            "--create",
            "--json",
            "--catalogue",
            catalogue_path.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let report = json(&output);

    // Every record: entries at the local levels it names, or left out with a reason.
    assert_eq!(report["rows_read"], sources.len());
    assert_eq!(report["rows_accounted"], sources.len());
    let catalogue = Catalogue::open_read_only(&catalogue_path).unwrap();
    let entries = catalogue.procedures().unwrap();
    let skipped: BTreeSet<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["code"].as_str().unwrap())
        .collect();
    let mut entry_codes: HashMap<&str, BTreeSet<Level>> = HashMap::new();
    for entry in &entries {
        entry_codes
            .entry(entry.data.code.as_str())
            .or_default()
            .insert(entry.data.level_or_province());
    }
    for (code, record) in &sources {
        let levels = source_levels(record["cap_thuc_hien"].as_str().unwrap());
        if levels.is_empty() {
            assert!(
                skipped.contains(code.as_str()),
                "{code}: not local, yet not left out"
            );
            assert!(
                !entry_codes.contains_key(code.as_str()),
                "{code}: filed though central"
            );
        } else {
            assert_eq!(
                entry_codes.get(code.as_str()),
                Some(&levels),
                "{code}: levels"
            );
        }
    }
    let warned: BTreeSet<(u64, String)> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["row"].as_u64().unwrap(),
                w["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let warned_code = |code: &str, what: &str| {
        warned
            .iter()
            .any(|(_, m)| m.starts_with(&format!("{code}: {what}")))
    };

    let (mut fees_read, mut fees_text, mut times_read, mut times_text, mut numbers) =
        (0, 0, 0, 0, 0);
    for entry in &entries {
        let data = &entry.data;
        let code = data.code.as_str();
        let record = &sources[code];
        let channels = source_channels(record["cach_thuc_thuc_hien"].as_str().unwrap());

        // Fees: every amount read is the source's, channel by channel.
        if data.fee.is_unstructured() {
            fees_text += 1;
            assert!(
                warned_code(code, "fee"),
                "{code}: fee kept as text without a warning"
            );
        }
        for item in data.fee.items() {
            let value = match item.money {
                Money::Free => Some(0),
                Money::Vnd(value) => Some(value),
                Money::Foreign { .. } => None,
            };
            // A channel may have several fees (a licence fee and an examination fee): the
            // amount read is one of its channel's, and for no channel, one of every channel's.
            let mut by_channel: HashMap<Channel, Vec<Option<i64>>> = HashMap::new();
            for c in &channels {
                if let Some(fee) = c.fee {
                    by_channel.entry(c.channel).or_default().push(fee);
                }
            }
            let ok = match item.channel {
                Some(channel) => by_channel.get(&channel).is_some_and(|f| f.contains(&value)),
                None => !by_channel.is_empty() && by_channel.values().all(|f| f.contains(&value)),
            };
            assert!(
                ok,
                "{code}: fee {value:?} for {:?}, the source says {by_channel:?}",
                item.channel
            );
        }
        if let Some(amount) = data.fee.amount_vnd() {
            fees_read += 1;
            assert!(
                channels
                    .iter()
                    .filter_map(|c| c.fee)
                    .all(|f| f == Some(amount)),
                "{code}: amount {amount}"
            );
        }

        // Processing times: every limit read is one the source gives, with its unit.
        if data.processing_time.is_unstructured() {
            times_text += 1;
            assert!(
                warned_code(code, "processing time"),
                "{code}: time kept as text without a warning"
            );
        } else if !data.processing_time.is_empty() {
            times_read += 1;
        }
        for limit in data.processing_time.limits() {
            let said: Vec<(f64, Option<TimeUnit>)> = channels
                .iter()
                .filter(|c| limit.channel.is_none_or(|wanted| wanted == c.channel))
                .filter_map(|c| c.time)
                .collect();
            let matches = |(amount, unit): &(f64, Option<TimeUnit>)| {
                *amount == limit.amount && *unit == Some(limit.unit)
            };
            let ok = match limit.channel {
                // One time for every channel: every channel says it.
                None => !said.is_empty() && said.iter().all(matches),
                Some(_) => said.iter().any(matches),
            };
            assert!(ok, "{code}: time {limit}, the source says {said:?}");
        }

        // The executing agency as the source writes it ("Không có thông tin" is none).
        assert_eq!(
            tidy(&data.agency),
            tidy(record["co_quan_thuc_hien"].as_str().unwrap()),
            "{code}: agency"
        );

        // Legal-basis numbers: each one is in the source's legal-basis table.
        let basis = record["can_cu_phap_ly"].as_str().unwrap();
        for number in &data.legal_basis {
            let document = catalogue
                .legal_documents()
                .unwrap()
                .into_iter()
                .find(|d| &d.number == number);
            let unnumbered = document.and_then(|d| d.kind).is_some_and(|k| {
                k == procedure_catalogue::domain::citation::DocumentKind::Unnumbered
            });
            if !unnumbered {
                numbers += 1;
                assert!(
                    basis.contains(number.as_str()),
                    "{code}: {number} is not in the source"
                );
            }
        }
    }
    // Most values are read, not merely kept: the figures for the record. The rest are kept as
    // written, with a warning: a "Miễn phí" whose note says the province sets the fee, a time
    // the source gives without its unit ("1").
    eprintln!(
        "{} entries: fees read {fees_read}, as text {fees_text}; times read {times_read}, as text {times_text}; {numbers} document numbers",
        entries.len()
    );
    assert!(fees_read * 10 >= entries.len() * 6, "{fees_read} fees read");
    assert!(
        times_read * 10 >= entries.len() * 8,
        "{times_read} times read"
    );
    // One document per number across the catalogue, each classed by kind.
    let documents = catalogue.legal_documents().unwrap();
    let distinct: BTreeSet<&str> = documents.iter().map(|d| d.number.as_str()).collect();
    assert_eq!(distinct.len(), documents.len());
    assert!(documents.iter().all(|d| d.kind.is_some()));
    assert!(documents.iter().all(|d| !d.number.contains('\n')));
    assert!(
        documents
            .iter()
            .filter(
                |d| d.kind != Some(procedure_catalogue::domain::citation::DocumentKind::Unnumbered)
            )
            .all(|d| d.number.chars().count() <= 40),
        "a number is a number, not a title"
    );
}

/// The rows of a sheet as text.
fn sheet(path: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx, open_workbook};
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|row| row.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn the_printed_list_of_real_records_says_what_the_source_says() {
    let Some(full) = full_dir() else {
        eprintln!("skipped: ../shared/realdata/full/ is not beside the repository");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let ok = |args: &[&str]| {
        let output = run_in(dir.path(), args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    };
    ok(&[
        "import",
        full.join("full-list.xlsx").to_str().unwrap(),
        "--create",
    ]);
    ok(&["export", "--output", "list.xlsx"]);
    let catalogue = Catalogue::open_read_only(&dir.path().join("catalogue.sqlite")).unwrap();
    let entries: HashMap<(String, Level), procedure_catalogue::domain::ProcedureData> = catalogue
        .procedures()
        .unwrap()
        .into_iter()
        .map(|p| ((p.data.code.clone(), p.data.level_or_province()), p.data))
        .collect();
    let rows = sheet(&dir.path().join("list.xlsx"), "Danh mục TTHC");
    let header = &rows[3];
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (code, time, fee, basis) = (
        column("Mã TTHC"),
        column("Thời hạn giải quyết"),
        column("Phí, lệ phí"),
        column("Căn cứ pháp lý"),
    );
    let mut level = None;
    let mut printed = 0;
    let mut sections = Vec::new();
    for row in &rows[4..] {
        if row[0].contains("THỦ TỤC HÀNH CHÍNH CẤP") {
            sections.push(row[0].clone());
            level = Some(if row[0].contains("CẤP TỈNH") {
                Level::Province
            } else if row[0].contains("CẤP HUYỆN") {
                Level::District
            } else {
                Level::Commune
            });
            continue;
        }
        if row[0].parse::<f64>().is_err() {
            continue;
        }
        printed += 1;
        let key = (row[code].clone(), level.unwrap());
        // Every printed entry is a stored one of that level: no central procedure sits
        // under a provincial section.
        let data = entries
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?} printed under the wrong section"));
        // Times and fees as the source wrote them, not numbers re-read.
        assert_eq!(row[time], data.processing_time.text(), "{key:?}");
        assert_eq!(row[fee], data.fee.text(), "{key:?}");
        assert_eq!(row[basis], data.legal_basis.join("\n"), "{key:?}");
    }
    assert_eq!(printed, entries.len());
    assert_eq!(
        sections,
        [
            "A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH",
            "B. THỦ TỤC HÀNH CHÍNH CẤP XÃ"
        ]
    );
    // "30 Ngày" stays calendar days on paper; "Ngày làm việc" working days.
    assert!(rows.iter().any(|r| r[time] == "30 Ngày"));
    assert!(rows.iter().any(|r| r[fee].contains("Việt Nam Đồng")));
}

#[test]
fn a_short_list_imported_over_a_full_catalogue_clears_nothing_and_adds_no_second_level() {
    let Some(full) = full_dir() else {
        eprintln!("skipped: ../shared/realdata/full/ is not beside the repository");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let output = run_in(dir.path(), args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        json(&output)
    };
    run(&[
        "import",
        full.join("full-list.xlsx").to_str().unwrap(),
        "--create",
        "--json",
    ]);
    let path = dir.path().join("catalogue.sqlite");
    let before: HashMap<(String, Level), procedure_catalogue::domain::ProcedureData> =
        Catalogue::open_read_only(&path)
            .unwrap()
            .procedures()
            .unwrap()
            .into_iter()
            .map(|p| ((p.data.code.clone(), p.data.level_or_province()), p.data))
            .collect();
    // The ministries' 5-column lists: no level column, agencies that often say nothing.
    let lists: Vec<String> = [
        "danh-sach-tthc-BoTuPhap.xlsx",
        "danh-sach-tthc-BoXayDung.xlsx",
        "danh-sach-tthc-NongNghiepvaMoiTruong.xlsx",
    ]
    .iter()
    .map(|f| full.join("..").join(f).to_string_lossy().into_owned())
    .collect();
    let mut args: Vec<&str> = vec!["import", "--json", "--skip-invalid"];
    args.extend(lists.iter().map(String::as_str));
    let report = run(&args);
    let after: HashMap<(String, Level), procedure_catalogue::domain::ProcedureData> =
        Catalogue::open_read_only(&path)
            .unwrap()
            .procedures()
            .unwrap()
            .into_iter()
            .map(|p| ((p.data.code.clone(), p.data.level_or_province()), p.data))
            .collect();
    // No stored agency, time, fee or legal basis was emptied by an empty cell.
    let mut cleared = Vec::new();
    for (key, old) in &before {
        let new = &after[key];
        for (what, was, now) in [
            ("agency", old.agency.is_empty(), new.agency.is_empty()),
            (
                "time",
                old.processing_time.is_empty(),
                new.processing_time.is_empty(),
            ),
            ("fee", old.fee.is_empty(), new.fee.is_empty()),
            (
                "basis",
                old.legal_basis.is_empty(),
                new.legal_basis.is_empty(),
            ),
        ] {
            if !was && now {
                cleared.push((key.clone(), what));
            }
        }
    }
    assert!(cleared.is_empty(), "cleared: {cleared:?}");
    // A code the catalogue holds at one level is not added at another on the agency's say:
    // such rows wait for the officer's decision.
    let codes_before: BTreeSet<&str> = before.keys().map(|(c, _)| c.as_str()).collect();
    let second_levels: Vec<&(String, Level)> = after
        .keys()
        .filter(|key| !before.contains_key(*key) && codes_before.contains(key.0.as_str()))
        .collect();
    assert!(second_levels.is_empty(), "{second_levels:?}");
    assert!(!report["other_level"].as_array().unwrap().is_empty());
    assert!(
        report["other_level"]
            .as_array()
            .unwrap()
            .iter()
            .all(|row| row["choice"] == "ask")
    );
}

/// Whether the source record gives no value: empty, or "Không có thông tin".
fn says_nothing(text: &str) -> bool {
    let text = text.trim();
    text.is_empty() || text == "Không có thông tin"
}

#[test]
fn the_audit_of_real_records_is_right_against_the_source() {
    use procedure_catalogue::audit::{FindingKind, Rule, audit_catalogue};
    use procedure_catalogue::store::Change;

    let Some(full) = full_dir() else {
        eprintln!("skipped: ../shared/realdata/full/ is not beside the repository");
        return;
    };
    let sources = records(&full);
    let dir = tempfile::tempdir().unwrap();
    let output = run_in(
        dir.path(),
        &[
            "import",
            full.join("full-list.xlsx").to_str().unwrap(),
            "--create",
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let path = dir.path().join("catalogue.sqlite");
    let as_of = procedure_catalogue::domain::parse_date("2026-12-01").unwrap();

    // Incomplete findings: each one's value is missing in the source record too.
    let catalogue = Catalogue::open(&path).unwrap();
    let report = audit_catalogue(&catalogue, as_of).unwrap();
    let mut judged = 0;
    for finding in report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Incomplete)
    {
        let record = &sources[&finding.members[0].code];
        let methods = record["cach_thuc_thuc_hien"].as_str().unwrap();
        let channels = source_channels(methods);
        let right = match finding.rule {
            Rule::MissingAgency => says_nothing(record["co_quan_thuc_hien"].as_str().unwrap()),
            Rule::MissingLegalBasis => says_nothing(
                record["can_cu_phap_ly"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("Tên văn bản pháp lýMã văn bản"),
            ),
            Rule::MissingProcessingTime => channels.iter().all(|c| c.time.is_none()),
            Rule::MissingFee => channels.iter().all(|c| c.fee.is_none()),
            other => panic!("{other}: not an incomplete rule"),
        };
        assert!(
            right,
            "{}: {} though the source has it",
            finding.members[0].code, finding.rule
        );
        judged += 1;
    }
    eprintln!("incomplete findings judged against the source: {judged} of {judged} right");
    assert!(judged > 100);
    // Entries named alike but held by different agencies are different publications, never
    // duplicates; what is left is what the source itself repeats.
    let natural = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Duplicate)
        .count();

    // Twenty real entries entered again as officers retype them: every copy is found, and
    // nothing else is called a duplicate.
    let originals: Vec<_> = catalogue
        .procedures()
        .unwrap()
        .into_iter()
        .filter(|p| !p.data.name.starts_with("Thủ tục"))
        .step_by(37)
        .take(20)
        .collect();
    let copies: Vec<Change> = originals
        .iter()
        .enumerate()
        .map(|(n, p)| {
            let mut data = p.data.clone();
            match n % 4 {
                0 => data.code = format!("{}.000.00.00.H55", data.code),
                1 => data.name = format!("Thủ tục {}", data.name.to_lowercase()),
                2 => data.name = format!("{}.", data.name.to_uppercase()),
                _ => {
                    data.code = format!("9.{:06}", 900_000 + n);
                    data.name = data.name.replace(' ', "  ");
                }
            }
            if n % 4 != 0 && n % 4 != 3 {
                data.code = format!("9.{:06}", 900_000 + n);
            }
            Change::Create(data)
        })
        .collect();
    drop(catalogue);
    let mut catalogue = Catalogue::open(&path).unwrap();
    catalogue.apply_changes("retyped copies", &copies).unwrap();
    let report = audit_catalogue(&catalogue, as_of).unwrap();
    let duplicates: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.kind == FindingKind::Duplicate)
        .collect();
    let original_codes: BTreeSet<&str> = originals.iter().map(|p| p.data.code.as_str()).collect();
    let found = duplicates
        .iter()
        .filter(|f| {
            f.members
                .iter()
                .any(|m| original_codes.contains(m.code.as_str()))
        })
        .count();
    assert_eq!(found, originals.len(), "every copy found");
    assert_eq!(
        duplicates.len(),
        originals.len() + natural,
        "no other duplicate"
    );
    eprintln!(
        "duplicates: {found} of {} copies found; {natural} found among the real records",
        originals.len()
    );
}
