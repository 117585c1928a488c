//! A mutation fuzzer for the importers: CSV and XLSX seeds (typed lists, our own export,
//! annex-style sections, legal-document lists) mutated byte- and token-wise — for a workbook,
//! inside its sheet and shared-string XML, re-zipped — then read and planned against a small
//! catalogue. Every execution must end in a plan or an error; a panic fails the test.
//!
//! In CI a bounded run (`FUZZ_EXECS`, default 4,000). The long run for a release:
//! `FUZZ_EXECS=1000000 cargo test --release --test suite fuzz -- --nocapture`.

use std::io::{Cursor, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::Instant;

use procedure_catalogue::domain::{Level, ProcedureData};
use procedure_catalogue::import::{self, ImportOptions, read_tables_from};
use procedure_catalogue::progress::Progress;
use procedure_catalogue::store::{Catalogue, Change};

/// A small deterministic generator (xorshift): the same run every time for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Pieces that reach the importer's corners when spliced in.
const TOKENS: &[&[u8]] = &[
    b"\"",
    b"\"\"",
    b",",
    b";",
    b"\t",
    b"\n",
    b"\r\n",
    b"\0",
    b"\xc2\xa0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"Cap tinh",
    "Cấp tỉnh".as_bytes(),
    "Cấp bộ, Cấp tỉnh, Cấp xã".as_bytes(),
    "Cơ quan khác".as_bytes(),
    "Mã số".as_bytes(),
    "Tên thủ tục".as_bytes(),
    "Phí, lệ phí".as_bytes(),
    "Thời hạn giải quyết".as_bytes(),
    "Căn cứ pháp lý".as_bytes(),
    "Không có thông tin".as_bytes(),
    "A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH".as_bytes(),
    "I. LĨNH VỰC HỘ TỊCH".as_bytes(),
    "1,5 triệu đồng".as_bytes(),
    "20.000.000.000.000.000.000 VNĐ".as_bytes(),
    "30 Ngày làm việc".as_bytes(),
    "Trực tuyến: 5 Ngày".as_bytes(),
    "99999999999999999999".as_bytes(),
    "-1".as_bytes(),
    "59/2020/QH14".as_bytes(),
    "=SUM(A1:A9)".as_bytes(),
    b"<c r=\"XFD1048576\" t=\"s\"><v>0</v></c>",
    b"<c r=\"A1\" t=\"inlineStr\"><is><t>x</t></is></c>",
    b"<row r=\"1048576\">",
    b"</row>",
    b"<v>1e308</v>",
    b"<si><t>",
    b"&amp;",
    b"&#0;",
    b"]]>",
];

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, others: &[Vec<u8>]) {
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => {
                let token = TOKENS[rng.below(TOKENS.len())];
                let at = rng.below(len + 1);
                bytes.splice(at..at, token.iter().copied());
            }
            2 if len > 0 => {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(64)).min(len);
                bytes.drain(at..end);
            }
            3 if len > 0 => {
                let at = rng.below(len);
                let end = (at + 1 + rng.below(256)).min(len);
                let copy: Vec<u8> = bytes[at..end].to_vec();
                let to = rng.below(len + 1);
                bytes.splice(to..to, copy);
            }
            4 if !others.is_empty() => {
                let other = &others[rng.below(others.len())];
                if !other.is_empty() {
                    let at = rng.below(other.len());
                    let end = (at + 1 + rng.below(512)).min(other.len());
                    let to = rng.below(len + 1);
                    bytes.splice(to..to, other[at..end].iter().copied());
                }
            }
            5 if len > 0 => {
                let at = rng.below(len);
                bytes.truncate(at);
            }
            _ if len > 0 => {
                let i = rng.below(len);
                bytes[i] = rng.next() as u8;
            }
            _ => {}
        }
    }
}

/// The parts of a workbook: (name, bytes).
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a seed workbook");
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).expect("a part");
            let mut content = Vec::new();
            file.read_to_end(&mut content).expect("part bytes");
            (file.name().expect("a part name").into_owned(), content)
        })
        .collect()
}

fn zip_parts(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in parts {
        writer.start_file(name, options).expect("start a part");
        writer.write_all(content).expect("write a part");
    }
    writer.finish().expect("finish the workbook").into_inner()
}

struct Seeds {
    csv: Vec<Vec<u8>>,
    xlsx: Vec<Vec<(String, Vec<u8>)>>,
}

fn seeds(dir: &Path) -> Seeds {
    let mut csv: Vec<Vec<u8>> = vec![
        "Mã số,Tên,Cấp thực hiện,Lĩnh vực,Cơ quan thực hiện,Thời hạn giải quyết,Phí, lệ phí,Căn cứ pháp lý\n\
         1.000001,Cấp phép,Cấp tỉnh,Hộ tịch,Sở Tư pháp,30 Ngày,\"20,000 Việt Nam Đồng\",\"Luật Hộ tịch 60/2014/QH13\nNghị định 123/2015/NĐ-CP\"\n\
         1.000002,\"Đăng ký, khai sinh\",\"Cấp tỉnh, Cấp xã\",Hộ tịch,UBND cấp xã,Trong ngày,Miễn phí,Không có thông tin\n"
            .as_bytes()
            .to_vec(),
        "STT;Mã TTHC;Tên TTHC;Mức độ\nA. THỦ TỤC HÀNH CHÍNH CẤP TỈNH\nI. LĨNH VỰC ĐẤT ĐAI\n1;1.000003;Giao đất;4\n2;1.000004;Thu hồi đất;Toàn trình\n"
            .as_bytes()
            .to_vec(),
        "Số ký hiệu,Trích yếu,Ngày ban hành,Ngày hết hiệu lực,Văn bản thay thế\n64/2012/NĐ-CP,Nghị định cấp phép,01/01/2012,01/07/2015,59/2015/NĐ-CP\n"
            .as_bytes()
            .to_vec(),
    ];
    // Our own export, both kinds, of a small catalogue: exact data, continuation columns.
    let small = dir.join("seed.sqlite");
    let mut catalogue = Catalogue::create(&small).expect("seed catalogue");
    let changes: Vec<Change> = (0..12)
        .map(|i| {
            Change::Create(ProcedureData {
                code: format!("1.{:06}", 100 + i),
                name: format!("Thủ tục số {i}"),
                level: Some(Level::ALL[i % 3]),
                fee: procedure_catalogue::domain::Fee::parse("50.000 đồng/hồ sơ"),
                legal_basis: vec!["59/2020/QH14".into()],
                ..ProcedureData::default()
            })
        })
        .collect();
    catalogue
        .apply_changes("seed", &changes)
        .expect("seed rows");
    let exported_csv = dir.join("seed.csv");
    let exported_xlsx = dir.join("seed.xlsx");
    for output in [&exported_csv, &exported_xlsx] {
        procedure_catalogue::export::export(
            &catalogue,
            &procedure_catalogue::export::ExportKind::List { revision: None },
            output,
        )
        .expect("seed export");
    }
    csv.push(std::fs::read(&exported_csv).expect("seed csv"));
    let mut xlsx = vec![unzip(&std::fs::read(&exported_xlsx).expect("seed xlsx"))];
    // A typed workbook as an officer makes one.
    let typed = dir.join("typed.xlsx");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let rows = [
        [
            "Mã số",
            "Tên",
            "Cấp thực hiện",
            "Phí, lệ phí",
            "Thời hạn giải quyết",
        ],
        [
            "1.000010",
            "Cấp giấy phép",
            "Cấp bộ, Cấp tỉnh",
            "1,5 triệu đồng",
            "15 Ngày làm việc",
        ],
        [
            "1.000011",
            "Gia hạn giấy phép",
            "Cơ quan khác",
            "Miễn phí",
            "Trực tiếp: 5 Ngày",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            sheet
                .write_string(r as u32, c as u16, *text)
                .expect("seed cell");
        }
    }
    sheet.write_number(3, 0, 1.000012).expect("seed number");
    workbook.save(&typed).expect("seed workbook");
    xlsx.push(unzip(&std::fs::read(&typed).expect("typed xlsx")));
    Seeds { csv, xlsx }
}

/// Figures of a run.
#[derive(Debug, Default)]
pub struct Figures {
    pub executions: u64,
    pub planned: u64,
    pub refused: u64,
    /// Panics of the XLSX reader, contained and refused with a message.
    pub contained: u64,
    /// Panics that escaped: each is a defect.
    pub panics: u64,
}

pub fn run(executions: u64, seed: u64) -> Figures {
    // Contained panics of the XLSX reader print nothing, as in the binary.
    procedure_catalogue::panic_guard::install_hook();
    let contained_before = procedure_catalogue::panic_guard::contained();
    let dir = tempfile::tempdir().expect("temporary folder");
    let seeds = seeds(dir.path());
    let catalogue = Catalogue::open(&dir.path().join("seed.sqlite")).expect("catalogue");
    let mut rng = Rng(seed | 1);
    let mut figures = Figures::default();
    let csv_path = PathBuf::from("fuzz.csv");
    let xlsx_path = PathBuf::from("fuzz.xlsx");
    let xml_parts: Vec<Vec<u8>> = seeds
        .xlsx
        .iter()
        .flatten()
        .filter(|(name, _)| name.ends_with(".xml"))
        .map(|(_, bytes)| bytes.clone())
        .collect();
    for _ in 0..executions {
        let (path, bytes) = if rng.below(10) < 7 {
            let mut bytes = seeds.csv[rng.below(seeds.csv.len())].clone();
            mutate(&mut rng, &mut bytes, &seeds.csv);
            (&csv_path, bytes)
        } else {
            let mut parts = seeds.xlsx[rng.below(seeds.xlsx.len())].clone();
            // Mostly the sheets and the shared strings; now and then any part, or the zip.
            let targets: Vec<usize> = (0..parts.len())
                .filter(|&i| {
                    let name = &parts[i].0;
                    name.contains("worksheets/") || name.ends_with("sharedStrings.xml")
                })
                .collect();
            let target = if targets.is_empty() || rng.below(10) == 0 {
                rng.below(parts.len())
            } else {
                targets[rng.below(targets.len())]
            };
            mutate(&mut rng, &mut parts[target].1, &xml_parts);
            let mut bytes = zip_parts(&parts);
            if rng.below(20) == 0 {
                mutate(&mut rng, &mut bytes, &[]);
            }
            (&xlsx_path, bytes)
        };
        figures.executions += 1;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let tables = read_tables_from(path, &bytes)?;
            import::plan_tables(
                &catalogue,
                vec![(path.clone(), tables)],
                &ImportOptions::default(),
                &Progress::default(),
            )
        }));
        match outcome {
            Ok(Ok(_)) => figures.planned += 1,
            Ok(Err(_)) => figures.refused += 1,
            Err(_) => {
                figures.panics += 1;
                let keep = std::env::temp_dir().join(format!(
                    "fuzz-panic-{}.{}",
                    figures.panics,
                    path.extension().and_then(|e| e.to_str()).unwrap_or("bin")
                ));
                let _ = std::fs::write(&keep, &bytes);
                eprintln!("panic; input kept at {}", keep.display());
            }
        }
    }
    figures.contained = procedure_catalogue::panic_guard::contained() - contained_before;
    figures
}

#[test]
fn the_importers_never_panic_on_mutated_lists() {
    let executions: u64 = std::env::var("FUZZ_EXECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(4_000);
    let started = Instant::now();
    let figures = run(executions, 0x2026_1201);
    println!(
        "fuzz: {} executions in {:.1} s — {} planned, {} refused with a message (of which {} stopped the XLSX reader, contained), {} panics",
        figures.executions,
        started.elapsed().as_secs_f64(),
        figures.planned,
        figures.refused,
        figures.contained,
        figures.panics
    );
    assert_eq!(figures.panics, 0, "{figures:?}");
    // The mutations reach both outcomes: not every input is refused at the door.
    assert!(figures.planned > executions / 20, "{figures:?}");
    assert!(figures.refused > 0, "{figures:?}");
}
