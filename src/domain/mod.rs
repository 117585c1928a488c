//! What a procedure is: the types every other module speaks. No I/O here.
//! Values read from sources with their units and certainty live in their own rooms:
//! `time_limit` (processing time), `fee` (fees and charges), `citation` (legal documents
//! cited), `government` (levels as sources name them), `channel`, `placeholder`.

pub mod channel;
pub mod citation;
pub mod fee;
pub mod government;
pub mod placeholder;
pub mod time_limit;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

pub use fee::Fee;
pub use time_limit::{ProcessingTime, TimeUnit};

use crate::text::fold;

/// A calendar date, stored and exported as `YYYY-MM-DD`.
pub type Date = time::Date;

const ISO_DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

pub fn format_date(date: Date) -> String {
    // Formatting a valid Date with a fixed description cannot fail; the fallback keeps it total.
    date.format(ISO_DATE).unwrap_or_default()
}

const DAY_FIRST: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[day]/[month]/[year]");

/// `30/06/2017`, as Vietnamese documents write dates.
pub fn format_date_vi(date: Date) -> String {
    date.format(DAY_FIRST).unwrap_or_default()
}

/// Reads `2017-06-30`, `30/06/2017`, `30-06-2017` or `30.6.2017` (Vietnamese day-first order).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let parts: Vec<&str> = text.split(['-', '/', '.']).map(str::trim).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    let year: i32 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    let day: u8 = day.parse().ok()?;
    if !(1900..=2200).contains(&year) {
        return None;
    }
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// A number as Vietnamese writes it: "15", "2,5".
pub fn format_amount(amount: f64) -> String {
    amount.to_string().replace('.', ",")
}

/// An amount of VND grouped the Vietnamese way: 1000000 → "1.000.000".
pub fn group_thousands(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if amount < 0 {
        grouped.push('-');
    }
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    grouped
}

/// Level of local government that carries a procedure out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Province,
    District,
    Commune,
}

impl Level {
    /// In published order: province, district, commune.
    pub const ALL: [Level; 3] = [Level::Province, Level::District, Level::Commune];

    pub fn key(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::District => "district",
            Level::Commune => "commune",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Level::Province => "Cấp tỉnh",
            Level::District => "Cấp huyện",
            Level::Commune => "Cấp xã",
        }
    }

    /// Accepts `province`/`tinh`/`Cấp tỉnh`, `district`/`huyện`, `commune`/`xã`, any case,
    /// with or without diacritics.
    pub fn parse(text: &str) -> Option<Level> {
        // As stored: no folding (every entry read from a catalogue comes this way).
        match text {
            "province" => return Some(Level::Province),
            "district" => return Some(Level::District),
            "commune" => return Some(Level::Commune),
            _ => {}
        }
        let folded = fold(text);
        let bare = folded.strip_prefix("cap ").unwrap_or(&folded);
        match bare {
            "province" | "tinh" | "1" => Some(Level::Province),
            "district" | "huyen" | "2" => Some(Level::District),
            "commune" | "xa" | "3" => Some(Level::Commune),
            _ => None,
        }
    }

    /// The level an agency's name implies: "… cấp xã" → commune, "… cấp huyện" → district,
    /// anything else province. Only the first listed agency counts: the national lists put
    /// the agency that receives the dossier first.
    pub fn infer_from_agency(agency: &str) -> Level {
        let first = agency.lines().next().unwrap_or_default();
        let folded = fold(first);
        if folded.contains("cap xa")
            || folded.contains("ubnd xa")
            || folded.contains("uy ban nhan dan xa")
        {
            Level::Commune
        } else if folded.contains("cap huyen") {
            Level::District
        } else {
            Level::Province
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Online public service tier under Decree 43/2011 (1–4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tier(u8);

impl Tier {
    pub const ALL: [Tier; 4] = [Tier(1), Tier(2), Tier(3), Tier(4)];

    pub fn new(value: u8) -> Option<Tier> {
        (1..=4).contains(&value).then_some(Tier(value))
    }

    pub fn value(self) -> u8 {
        self.0
    }

    /// Decree 42/2022's name for the tier: "Toàn trình" (≈ tier 4), "Một phần" (≈ tier 3);
    /// tiers 1 and 2 are not online services under Decree 42, they only give information
    /// and forms ("Cung cấp thông tin").
    pub fn decree42_label(self) -> &'static str {
        match self.0 {
            4 => "Toàn trình",
            3 => "Một phần",
            _ => "Cung cấp thông tin",
        }
    }

    /// Accepts `1`–`4`, `Mức độ 3`, `3.0`, `Toàn trình` (= 4) and `Một phần` (= 3).
    pub fn parse(text: &str) -> Option<Tier> {
        let folded = fold(text);
        let bare = folded
            .strip_prefix("muc do")
            .or_else(|| folded.strip_prefix("muc"))
            .unwrap_or(&folded)
            .trim();
        match bare {
            "toan trinh" => return Some(Tier(4)),
            "mot phan" => return Some(Tier(3)),
            _ => {}
        }
        let number: f64 = bare.parse().ok()?;
        if number.fract() != 0.0 {
            return None;
        }
        Tier::new(number as u8)
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Where a procedure stands after the publication decisions that touched it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    InForce,
    Amended,
    Replaced,
    Abolished,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::InForce,
        Status::Amended,
        Status::Replaced,
        Status::Abolished,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::InForce => "in_force",
            Status::Amended => "amended",
            Status::Replaced => "replaced",
            Status::Abolished => "abolished",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Status::InForce => "Còn hiệu lực",
            Status::Amended => "Sửa đổi, bổ sung",
            Status::Replaced => "Bị thay thế",
            Status::Abolished => "Đã bãi bỏ",
        }
    }

    /// Accepts the keys and the Vietnamese wordings of the national database
    /// ("còn hiệu lực", "đã bãi bỏ", "bị thay thế", "sửa đổi, bổ sung" …).
    pub fn parse(text: &str) -> Option<Status> {
        // As stored: no folding (every entry read from a catalogue comes this way).
        if let Some(status) = Status::ALL.into_iter().find(|status| status.key() == text) {
            return Some(status);
        }
        let folded = fold(text).replace(['_', ','], " ");
        let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
        let status = match folded.as_str() {
            "" | "in force" | "con hieu luc" | "hieu luc" | "dang ap dung" | "cong bo moi" => {
                Status::InForce
            }
            "amended" | "sua doi" | "sua doi bo sung" | "bo sung" => Status::Amended,
            "replaced" | "thay the" | "bi thay the" | "da bi thay the" => Status::Replaced,
            "abolished" | "bai bo" | "da bai bo" | "bi bai bo" | "het hieu luc" => {
                Status::Abolished
            }
            _ => return None,
        };
        Some(status)
    }
}

/// Every field of a procedure as an officer edits it. Identity is `code` + `level`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProcedureData {
    pub code: String,
    pub name: String,
    pub level: Option<Level>,
    pub field: String,
    pub agency: String,
    /// Cơ quan có thẩm quyền: who decides, when not the executing agency.
    pub competent_authority: String,
    pub issuer: String,
    pub tier: Option<Tier>,
    /// As the source writes it, with what could be read from it.
    pub processing_time: ProcessingTime,
    /// Fees and charges as the source writes them, with the amounts read from them.
    pub fee: Fee,
    /// Numbers of the legal documents the procedure rests on, in citation order (the whole
    /// citation when it has no number).
    pub legal_basis: Vec<String>,
    pub steps: String,
    pub methods: String,
    pub dossier: String,
    pub requirements: String,
    pub result: String,
    pub subjects: String,
    /// Loại thủ tục, as the national database classes it.
    pub procedure_type: String,
    pub status: Status,
    /// The publication decision that last changed the status (`1234/QĐ-UBND`).
    pub decision_number: String,
    pub decision_date: Option<Date>,
    pub effective_from: Option<Date>,
    pub effective_until: Option<Date>,
    /// For a replaced procedure: the code that replaced it.
    pub replaced_by: String,
    pub dossiers_last_year: Option<u32>,
    pub dossiers_year_before: Option<u32>,
    pub notes: String,
    /// Where the entry came from: the catalogues (and revisions) it was taken from, "; "
    /// between them ("Thái Nguyên (1234/QĐ-UBND); Bắc Kạn (bản làm việc)"), written when
    /// catalogues are merged. Empty for an entry that has only ever been in this catalogue.
    pub provenance: String,
    /// Columns of an imported list this application has no field for, by header: kept,
    /// never dropped.
    pub extra: BTreeMap<String, String>,
}

impl ProcedureData {
    /// Every field as text in one string: equal exactly when the data is equal. The base of
    /// content hashes (revisions share versions by it; audit verdicts remember it).
    pub fn canonical_text(&self) -> String {
        ProcedureField::ALL
            .iter()
            .filter(|field| field.is_hashed(self))
            .map(|field| field.value_text(self))
            .collect::<Vec<_>>()
            .join("\u{1f}")
    }

    /// Hands [`canonical_text`](Self::canonical_text) to `write` piece by piece, without
    /// building it (a publication's seal hashes every entry so).
    pub fn write_canonical_text(&self, mut write: impl FnMut(&str)) {
        for (index, field) in ProcedureField::ALL
            .iter()
            .filter(|field| field.is_hashed(self))
            .enumerate()
        {
            if index > 0 {
                write("\u{1f}");
            }
            field.with_text(self, &mut write);
        }
    }

    /// A content hash of [`canonical_text`](Self::canonical_text), hashed field by field
    /// without building the text (every entry an import writes is hashed).
    pub fn fingerprint(&self) -> u64 {
        let mut hash = FNV_OFFSET;
        for (index, field) in ProcedureField::ALL
            .iter()
            .filter(|field| field.is_hashed(self))
            .enumerate()
        {
            if index > 0 {
                hash = fnv1a_extend(hash, "\u{1f}");
            }
            hash = field.with_text(self, |text| fnv1a_extend(hash, text));
        }
        hash
    }

    /// The level, for a procedure known to be valid (the store never holds one without).
    pub fn level_or_province(&self) -> Level {
        self.level.unwrap_or(Level::Province)
    }

    /// The national part of the code: `1.015027` of `1.015027.000.00.00.H55`.
    pub fn national_code(&self) -> &str {
        national_code(&self.code)
    }
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms (std's hasher is not), so a
/// hash stored in a file today still matches tomorrow.
pub fn fnv1a(text: &str) -> u64 {
    fnv1a_extend(FNV_OFFSET, text)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Goes on hashing `text` after what `hash` holds: `fnv1a(a + b)` is
/// `fnv1a_extend(fnv1a(a), b)`.
fn fnv1a_extend(mut hash: u64, text: &str) -> u64 {
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// `1.015027.000.00.00.H55` → `1.015027`; any other code is returned whole.
pub fn national_code(code: &str) -> &str {
    let mut parts = code.splitn(3, '.');
    match (parts.next(), parts.next()) {
        (Some(head), Some(tail))
            if head.len() == 1
                && tail.len() >= 6
                && tail[..6].bytes().all(|b| b.is_ascii_digit())
                && head.bytes().all(|b| b.is_ascii_digit()) =>
        {
            &code[..head.len() + 1 + 6]
        }
        _ => code,
    }
}

/// A procedure as stored: its row id, its data, and whether it was retired from the
/// working copy (kept for history, never erased).
#[derive(Clone, Debug, PartialEq)]
pub struct Procedure {
    pub procedure_id: i64,
    pub data: ProcedureData,
    pub retired: Option<Retirement>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Retirement {
    pub retired_at: String,
    pub reason: String,
    pub decision_number: String,
}

/// A legal document a procedure rests on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LegalDocument {
    /// `59/2020/QH14`, `01/2021/NĐ-CP` …; for a citation without a number, its text.
    pub number: String,
    /// Law, decree, circular …; `None` when not known (a document listed by hand).
    pub kind: Option<citation::DocumentKind>,
    pub title: String,
    pub issued_on: Option<Date>,
    pub effective_on: Option<Date>,
    pub repealed_on: Option<Date>,
    /// Number of the document that replaced this one, if any.
    pub replaced_by: String,
}

/// Whether a document is still a valid basis on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DocumentStatus {
    InForce,
    /// Repealed from a day still to come.
    RepealedFrom(Date),
    Repealed(Date),
}

impl DocumentStatus {
    pub fn key(self) -> &'static str {
        match self {
            DocumentStatus::InForce => "in_force",
            DocumentStatus::RepealedFrom(_) => "to_be_repealed",
            DocumentStatus::Repealed(_) => "repealed",
        }
    }
}

impl LegalDocument {
    /// As the audit judges it: repealed from its repeal date on.
    pub fn status(&self, as_of: Date) -> DocumentStatus {
        match self.repealed_on {
            Some(on) if on <= as_of => DocumentStatus::Repealed(on),
            Some(on) => DocumentStatus::RepealedFrom(on),
            None => DocumentStatus::InForce,
        }
    }
}

/// What a field's text should have been.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Level,
    Tier,
    Status,
    Date,
    Count,
    /// The kept columns, as this application's export writes them.
    KeptColumns,
}

impl Expected {
    pub fn describe_en(self) -> &'static str {
        match self {
            Expected::Level => "a level (tỉnh, huyện or xã)",
            Expected::Tier => "a tier from 1 to 4",
            Expected::Status => "a status (còn hiệu lực, sửa đổi, thay thế, bãi bỏ)",
            Expected::Date => "a date",
            Expected::Count => "a whole number",
            Expected::KeptColumns => "columns as this application writes them",
        }
    }
}

/// Why a value cannot go into a field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: \"{value}\" is not {}", expected.describe_en())]
pub struct FieldError {
    pub field: &'static str,
    pub value: String,
    pub expected: Expected,
}

/// The fields of a procedure as columns: one table that the ledger, import, export
/// and diff all read, so a field added here appears everywhere.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProcedureField {
    Code,
    Name,
    Level,
    Field,
    Agency,
    CompetentAuthority,
    Issuer,
    Tier,
    ProcessingTime,
    Fee,
    LegalBasis,
    Steps,
    Methods,
    Dossier,
    Requirements,
    Result,
    Subjects,
    ProcedureType,
    Status,
    DecisionNumber,
    DecisionDate,
    EffectiveFrom,
    EffectiveUntil,
    ReplacedBy,
    DossiersLastYear,
    DossiersYearBefore,
    Notes,
    Provenance,
    Extra,
}

impl ProcedureField {
    /// In export column order.
    pub const ALL: [ProcedureField; 29] = [
        ProcedureField::Code,
        ProcedureField::Name,
        ProcedureField::Level,
        ProcedureField::Field,
        ProcedureField::Agency,
        ProcedureField::CompetentAuthority,
        ProcedureField::Issuer,
        ProcedureField::Tier,
        ProcedureField::ProcessingTime,
        ProcedureField::Fee,
        ProcedureField::LegalBasis,
        ProcedureField::Steps,
        ProcedureField::Methods,
        ProcedureField::Dossier,
        ProcedureField::Requirements,
        ProcedureField::Result,
        ProcedureField::Subjects,
        ProcedureField::ProcedureType,
        ProcedureField::Status,
        ProcedureField::DecisionNumber,
        ProcedureField::DecisionDate,
        ProcedureField::EffectiveFrom,
        ProcedureField::EffectiveUntil,
        ProcedureField::ReplacedBy,
        ProcedureField::DossiersLastYear,
        ProcedureField::DossiersYearBefore,
        ProcedureField::Notes,
        ProcedureField::Provenance,
        ProcedureField::Extra,
    ];

    /// Column key in exports, JSON and the edit ledger.
    pub fn key(self) -> &'static str {
        match self {
            ProcedureField::Code => "code",
            ProcedureField::Name => "name",
            ProcedureField::Level => "level",
            ProcedureField::Field => "field",
            ProcedureField::Agency => "agency",
            ProcedureField::CompetentAuthority => "competent_authority",
            ProcedureField::Issuer => "issuer",
            ProcedureField::Tier => "tier",
            // The key CLI.md names; the value is the time with its unit ("30 ngày").
            ProcedureField::ProcessingTime => "processing_days",
            ProcedureField::Fee => "fee",
            ProcedureField::LegalBasis => "legal_basis",
            ProcedureField::Steps => "steps",
            ProcedureField::Methods => "methods",
            ProcedureField::Dossier => "dossier",
            ProcedureField::Requirements => "requirements",
            ProcedureField::Result => "result",
            ProcedureField::Subjects => "subjects",
            ProcedureField::ProcedureType => "procedure_type",
            ProcedureField::Status => "status",
            ProcedureField::DecisionNumber => "decision_number",
            ProcedureField::DecisionDate => "decision_date",
            ProcedureField::EffectiveFrom => "effective_from",
            ProcedureField::EffectiveUntil => "effective_until",
            ProcedureField::ReplacedBy => "replaced_by",
            ProcedureField::DossiersLastYear => "dossiers_last_year",
            ProcedureField::DossiersYearBefore => "dossiers_year_before",
            ProcedureField::Notes => "notes",
            ProcedureField::Provenance => "provenance",
            ProcedureField::Extra => "extra",
        }
    }

    /// Whether the field is part of an entry's content hash: every field, except one added
    /// after hashes were first stored while it is empty, so that the hashes (and the seals
    /// of published revisions, and reviewers' verdicts) of entries without it never change.
    fn is_hashed(self, data: &ProcedureData) -> bool {
        self != ProcedureField::Provenance || !data.provenance.is_empty()
    }

    pub fn from_key(key: &str) -> Option<ProcedureField> {
        ProcedureField::ALL
            .into_iter()
            .find(|field| field.key() == key)
    }

    /// Vietnamese column header, as the export writes it and the import reads it.
    pub fn header_vi(self) -> &'static str {
        match self {
            ProcedureField::Code => "Mã TTHC",
            ProcedureField::Name => "Tên TTHC",
            ProcedureField::Level => "Cấp thực hiện",
            ProcedureField::Field => "Lĩnh vực",
            ProcedureField::Agency => "Cơ quan thực hiện",
            ProcedureField::CompetentAuthority => "Cơ quan có thẩm quyền",
            ProcedureField::Issuer => "Cơ quan ban hành",
            ProcedureField::Tier => "Mức độ DVC",
            ProcedureField::ProcessingTime => "Thời hạn giải quyết",
            ProcedureField::Fee => "Phí, lệ phí",
            ProcedureField::LegalBasis => "Căn cứ pháp lý",
            ProcedureField::Steps => "Trình tự thực hiện",
            ProcedureField::Methods => "Cách thức thực hiện",
            ProcedureField::Dossier => "Thành phần hồ sơ",
            ProcedureField::Requirements => "Yêu cầu, điều kiện",
            ProcedureField::Result => "Kết quả thực hiện",
            ProcedureField::Subjects => "Đối tượng thực hiện",
            ProcedureField::ProcedureType => "Loại thủ tục",
            ProcedureField::Status => "Tình trạng",
            ProcedureField::DecisionNumber => "Quyết định công bố",
            ProcedureField::DecisionDate => "Ngày quyết định",
            ProcedureField::EffectiveFrom => "Ngày có hiệu lực",
            ProcedureField::EffectiveUntil => "Ngày hết hiệu lực",
            ProcedureField::ReplacedBy => "Mã TTHC thay thế",
            ProcedureField::DossiersLastYear => "Số hồ sơ năm trước",
            ProcedureField::DossiersYearBefore => "Số hồ sơ hai năm trước",
            ProcedureField::Notes => "Ghi chú",
            ProcedureField::Provenance => "Nguồn (danh mục, phiên bản)",
            ProcedureField::Extra => "Thông tin khác",
        }
    }

    /// The field's value as one cell of text: what the ledger records and exports write.
    /// Calls `with` on the field's text, borrowed where the entry holds it as such.
    pub fn with_text<T>(self, data: &ProcedureData, with: impl FnOnce(&str) -> T) -> T {
        match self {
            ProcedureField::Code => with(&data.code),
            ProcedureField::Name => with(&data.name),
            ProcedureField::Field => with(&data.field),
            ProcedureField::Agency => with(&data.agency),
            ProcedureField::CompetentAuthority => with(&data.competent_authority),
            ProcedureField::Issuer => with(&data.issuer),
            ProcedureField::ProcessingTime => with(data.processing_time.text()),
            ProcedureField::Fee => with(data.fee.text()),
            ProcedureField::Steps => with(&data.steps),
            ProcedureField::Methods => with(&data.methods),
            ProcedureField::Dossier => with(&data.dossier),
            ProcedureField::Requirements => with(&data.requirements),
            ProcedureField::Result => with(&data.result),
            ProcedureField::Subjects => with(&data.subjects),
            ProcedureField::ProcedureType => with(&data.procedure_type),
            ProcedureField::Status => with(data.status.key()),
            ProcedureField::DecisionNumber => with(&data.decision_number),
            ProcedureField::ReplacedBy => with(&data.replaced_by),
            ProcedureField::Notes => with(&data.notes),
            ProcedureField::Provenance => with(&data.provenance),
            other => with(&other.value_text(data)),
        }
    }

    pub fn value_text(self, data: &ProcedureData) -> String {
        fn opt<T: ToString>(value: Option<T>) -> String {
            value.map(|v| v.to_string()).unwrap_or_default()
        }
        match self {
            ProcedureField::Code => data.code.clone(),
            ProcedureField::Name => data.name.clone(),
            ProcedureField::Level => opt(data.level),
            ProcedureField::Field => data.field.clone(),
            ProcedureField::Agency => data.agency.clone(),
            ProcedureField::CompetentAuthority => data.competent_authority.clone(),
            ProcedureField::Issuer => data.issuer.clone(),
            ProcedureField::Tier => opt(data.tier),
            ProcedureField::ProcessingTime => data.processing_time.text().to_owned(),
            ProcedureField::Fee => data.fee.text().to_owned(),
            ProcedureField::LegalBasis => join_legal_basis(&data.legal_basis),
            ProcedureField::Steps => data.steps.clone(),
            ProcedureField::Methods => data.methods.clone(),
            ProcedureField::Dossier => data.dossier.clone(),
            ProcedureField::Requirements => data.requirements.clone(),
            ProcedureField::Result => data.result.clone(),
            ProcedureField::Subjects => data.subjects.clone(),
            ProcedureField::ProcedureType => data.procedure_type.clone(),
            ProcedureField::Status => data.status.key().to_owned(),
            ProcedureField::DecisionNumber => data.decision_number.clone(),
            ProcedureField::DecisionDate => opt(data.decision_date.map(format_date)),
            ProcedureField::EffectiveFrom => opt(data.effective_from.map(format_date)),
            ProcedureField::EffectiveUntil => opt(data.effective_until.map(format_date)),
            ProcedureField::ReplacedBy => data.replaced_by.clone(),
            ProcedureField::DossiersLastYear => opt(data.dossiers_last_year),
            ProcedureField::DossiersYearBefore => opt(data.dossiers_year_before),
            ProcedureField::Notes => data.notes.clone(),
            ProcedureField::Provenance => data.provenance.clone(),
            ProcedureField::Extra => extra_text(&data.extra),
        }
    }

    /// Sets the field from one cell of text (already cleaned); the inverse of [`value_text`],
    /// also accepting the spellings found in officers' spreadsheets.
    ///
    /// [`value_text`]: ProcedureField::value_text
    pub fn set_from_text(self, data: &mut ProcedureData, text: &str) -> Result<(), FieldError> {
        if self == ProcedureField::LegalBasis {
            // Citations as lists write them: each line's document number, or the line.
            data.legal_basis = citation::read_citations(text)
                .into_iter()
                .map(|c| c.number)
                .collect();
            return Ok(());
        }
        let text = text.trim();
        if placeholder::is_placeholder(text) && self.takes_placeholders() {
            return self.set_exact(data, "");
        }
        self.set_exact(data, text)
    }

    /// Fields where "Không có thông tin" and its kin mean an empty value. The code and name
    /// stay as written: a row whose name is a placeholder is rejected, not emptied.
    fn takes_placeholders(self) -> bool {
        !matches!(self, ProcedureField::Code | ProcedureField::Name)
    }

    /// Sets the field from text taken as it is, spaces included: what this application's own
    /// export wrote (`value_text`) reads back to the same value. A processing time or a fee
    /// that cannot be read is kept as text (the value says so), never refused.
    pub fn set_exact(self, data: &mut ProcedureData, text: &str) -> Result<(), FieldError> {
        let error = |expected| FieldError {
            field: self.key(),
            value: text.to_owned(),
            expected,
        };
        match self {
            ProcedureField::Code => data.code = text.to_owned(),
            ProcedureField::Name => data.name = text.to_owned(),
            ProcedureField::Level => {
                data.level = if text.is_empty() {
                    None
                } else {
                    Some(Level::parse(text).ok_or_else(|| error(Expected::Level))?)
                }
            }
            ProcedureField::Field => data.field = text.to_owned(),
            ProcedureField::Agency => data.agency = text.to_owned(),
            ProcedureField::CompetentAuthority => data.competent_authority = text.to_owned(),
            ProcedureField::Issuer => data.issuer = text.to_owned(),
            ProcedureField::Tier => {
                data.tier = if text.is_empty() {
                    None
                } else {
                    Some(Tier::parse(text).ok_or_else(|| error(Expected::Tier))?)
                }
            }
            ProcedureField::ProcessingTime => {
                data.processing_time = ProcessingTime::parse(text, None);
            }
            ProcedureField::Fee => data.fee = Fee::parse(text),
            ProcedureField::LegalBasis => data.legal_basis = split_legal_basis(text),
            ProcedureField::Steps => data.steps = text.to_owned(),
            ProcedureField::Methods => data.methods = text.to_owned(),
            ProcedureField::Dossier => data.dossier = text.to_owned(),
            ProcedureField::Requirements => data.requirements = text.to_owned(),
            ProcedureField::Result => data.result = text.to_owned(),
            ProcedureField::Subjects => data.subjects = text.to_owned(),
            ProcedureField::ProcedureType => data.procedure_type = text.to_owned(),
            ProcedureField::Status => {
                data.status = Status::parse(text).ok_or_else(|| error(Expected::Status))?
            }
            ProcedureField::DecisionNumber => data.decision_number = text.to_owned(),
            ProcedureField::DecisionDate => {
                data.decision_date =
                    parse_optional_date(text).map_err(|()| error(Expected::Date))?
            }
            ProcedureField::EffectiveFrom => {
                data.effective_from =
                    parse_optional_date(text).map_err(|()| error(Expected::Date))?
            }
            ProcedureField::EffectiveUntil => {
                data.effective_until =
                    parse_optional_date(text).map_err(|()| error(Expected::Date))?
            }
            ProcedureField::ReplacedBy => data.replaced_by = text.to_owned(),
            ProcedureField::DossiersLastYear => {
                data.dossiers_last_year = parse_count(text).map_err(|()| error(Expected::Count))?
            }
            ProcedureField::DossiersYearBefore => {
                data.dossiers_year_before =
                    parse_count(text).map_err(|()| error(Expected::Count))?
            }
            ProcedureField::Notes => data.notes = text.to_owned(),
            ProcedureField::Provenance => data.provenance = text.to_owned(),
            ProcedureField::Extra => {
                data.extra = parse_extra(text).ok_or_else(|| error(Expected::KeptColumns))?
            }
        }
        Ok(())
    }

    /// Copies this field's value from one procedure to another, as it is (no text round
    /// trip): a field-level write of an officer's change.
    pub fn copy(self, from: &ProcedureData, to: &mut ProcedureData) {
        match self {
            ProcedureField::Code => to.code.clone_from(&from.code),
            ProcedureField::Name => to.name.clone_from(&from.name),
            ProcedureField::Level => to.level = from.level,
            ProcedureField::Field => to.field.clone_from(&from.field),
            ProcedureField::Agency => to.agency.clone_from(&from.agency),
            ProcedureField::CompetentAuthority => {
                to.competent_authority.clone_from(&from.competent_authority)
            }
            ProcedureField::Issuer => to.issuer.clone_from(&from.issuer),
            ProcedureField::Tier => to.tier = from.tier,
            ProcedureField::ProcessingTime => to.processing_time.clone_from(&from.processing_time),
            ProcedureField::Fee => to.fee.clone_from(&from.fee),
            ProcedureField::LegalBasis => to.legal_basis.clone_from(&from.legal_basis),
            ProcedureField::Steps => to.steps.clone_from(&from.steps),
            ProcedureField::Methods => to.methods.clone_from(&from.methods),
            ProcedureField::Dossier => to.dossier.clone_from(&from.dossier),
            ProcedureField::Requirements => to.requirements.clone_from(&from.requirements),
            ProcedureField::Result => to.result.clone_from(&from.result),
            ProcedureField::Subjects => to.subjects.clone_from(&from.subjects),
            ProcedureField::ProcedureType => to.procedure_type.clone_from(&from.procedure_type),
            ProcedureField::Status => to.status = from.status,
            ProcedureField::DecisionNumber => to.decision_number.clone_from(&from.decision_number),
            ProcedureField::DecisionDate => to.decision_date = from.decision_date,
            ProcedureField::EffectiveFrom => to.effective_from = from.effective_from,
            ProcedureField::EffectiveUntil => to.effective_until = from.effective_until,
            ProcedureField::ReplacedBy => to.replaced_by.clone_from(&from.replaced_by),
            ProcedureField::DossiersLastYear => to.dossiers_last_year = from.dossiers_last_year,
            ProcedureField::DossiersYearBefore => {
                to.dossiers_year_before = from.dossiers_year_before
            }
            ProcedureField::Notes => to.notes.clone_from(&from.notes),
            ProcedureField::Provenance => to.provenance.clone_from(&from.provenance),
            ProcedureField::Extra => to.extra.clone_from(&from.extra),
        }
    }

    /// The fields whose values differ between two versions of a procedure.
    pub fn changed_between(old: &ProcedureData, new: &ProcedureData) -> Vec<ProcedureField> {
        ProcedureField::ALL
            .into_iter()
            .filter(|field| field.value_text(old) != field.value_text(new))
            .collect()
    }
}

fn parse_optional_date(text: &str) -> Result<Option<Date>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    parse_date(text).map(Some).ok_or(())
}

/// Kept columns as one cell: a JSON object, keys sorted, so it reads back exactly.
fn extra_text(extra: &BTreeMap<String, String>) -> String {
    if extra.is_empty() {
        return String::new();
    }
    serde_json::to_string(extra).unwrap_or_default()
}

/// The inverse of `extra_text`.
fn parse_extra(text: &str) -> Option<BTreeMap<String, String>> {
    if text.trim().is_empty() {
        return Some(BTreeMap::new());
    }
    serde_json::from_str(text).ok()
}

fn parse_count(text: &str) -> Result<Option<u32>, ()> {
    if text.is_empty() {
        return Ok(None);
    }
    let number: f64 = text.replace(',', ".").parse().map_err(|_| ())?;
    if number < 0.0 || number.fract() != 0.0 || number > f64::from(u32::MAX) {
        return Err(());
    }
    Ok(Some(number as u32))
}

/// Document numbers (or whole citations), one a line, trimmed, empty ones dropped.
pub fn split_legal_basis(text: &str) -> Vec<String> {
    text.split('\n')
        .map(str::trim)
        .filter(|number| !number.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The legal basis as one text, one document a line: a citation kept whole (it has no
/// number) may hold a ";", never a line break.
pub fn join_legal_basis(basis: &[String]) -> String {
    basis.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_is_the_hash_of_the_canonical_text() {
        let generated =
            crate::generator::generate(&crate::generator::GeneratorConfig::shipped()).unwrap();
        for data in generated.procedures.iter().take(300) {
            assert_eq!(data.fingerprint(), fnv1a(&data.canonical_text()));
            // The seal's piecewise text is the same text.
            let mut pieces = String::new();
            data.write_canonical_text(|piece| pieces.push_str(piece));
            assert_eq!(pieces, data.canonical_text());
        }
        let empty = ProcedureData::default();
        assert_eq!(empty.fingerprint(), fnv1a(&empty.canonical_text()));
        // Provenance counts once it is written, and leaves the hash of an entry without it
        // as it always was (stored hashes, seals and verdicts stay valid).
        let mut merged = generated.procedures[0].clone();
        let before = merged.fingerprint();
        assert_eq!(
            merged.canonical_text().matches('\u{1f}').count(),
            ProcedureField::ALL.len() - 2
        );
        merged.provenance = "Bắc Kạn (bản làm việc)".into();
        assert_ne!(merged.fingerprint(), before);
        assert_eq!(merged.fingerprint(), fnv1a(&merged.canonical_text()));
    }

    #[test]
    fn levels_parse_in_every_spelling() {
        for text in ["province", "Tỉnh", "tinh", "Cấp tỉnh", "CAP TINH"] {
            assert_eq!(Level::parse(text), Some(Level::Province), "{text}");
        }
        assert_eq!(Level::parse("huyện"), Some(Level::District));
        assert_eq!(Level::parse("Cấp xã"), Some(Level::Commune));
        assert_eq!(Level::parse("trung ương"), None);
    }

    #[test]
    fn level_is_inferred_from_the_first_agency() {
        assert_eq!(
            Level::infer_from_agency("Ủy ban nhân dân cấp xã\nThuế tỉnh, thành phố"),
            Level::Commune
        );
        assert_eq!(Level::infer_from_agency("UBND cấp  xã"), Level::Commune);
        assert_eq!(Level::infer_from_agency("UBND cấp huyện"), Level::District);
        assert_eq!(Level::infer_from_agency("Sở Tư pháp"), Level::Province);
        assert_eq!(Level::infer_from_agency(""), Level::Province);
    }

    #[test]
    fn tiers_parse_numbers_and_decree_42_names() {
        assert_eq!(Tier::parse("2"), Tier::new(2));
        assert_eq!(Tier::parse("Mức độ 3"), Tier::new(3));
        assert_eq!(Tier::parse("4.0"), Tier::new(4));
        assert_eq!(Tier::parse("Toàn trình"), Tier::new(4));
        assert_eq!(Tier::parse("một phần"), Tier::new(3));
        assert_eq!(Tier::parse("5"), None);
        assert_eq!(Tier::parse("2.5"), None);
        assert_eq!(Tier::new(4).map(Tier::decree42_label), Some("Toàn trình"));
        assert_eq!(Tier::new(3).map(Tier::decree42_label), Some("Một phần"));
        assert_eq!(
            Tier::new(2).map(Tier::decree42_label),
            Some("Cung cấp thông tin")
        );
    }

    #[test]
    fn national_code_strips_the_local_suffix() {
        assert_eq!(national_code("1.015027.000.00.00.H55"), "1.015027");
        assert_eq!(national_code("1.015027"), "1.015027");
        assert_eq!(national_code("ABC"), "ABC");
        assert_eq!(national_code("1.01"), "1.01");
    }

    #[test]
    fn every_field_round_trips_through_text() {
        let data = ProcedureData {
            code: "1.001234".into(),
            name: "Cấp giấy phép xây dựng".into(),
            level: Some(Level::District),
            field: "Xây dựng".into(),
            agency: "UBND cấp huyện".into(),
            competent_authority: "Chủ tịch UBND cấp huyện".into(),
            issuer: "Bộ Xây dựng".into(),
            tier: Tier::new(3),
            processing_time: ProcessingTime::parse(
                "Trực tuyến: 5 Ngày làm việc\nTrực tiếp: 12,5 Ngày làm việc",
                None,
            ),
            fee: Fee::parse("150.000 đồng/giấy phép"),
            legal_basis: vec![
                "50/2014/QH13".into(),
                "15/2021/NĐ-CP".into(),
                "Luật Thú y 2015; bản hợp nhất".into(),
            ],
            steps: "Bước 1".into(),
            methods: "Trực tiếp".into(),
            dossier: "Đơn".into(),
            requirements: "Không".into(),
            result: "Giấy phép".into(),
            subjects: "Tổ chức, cá nhân".into(),
            procedure_type: "TTHC được giao luật quy định chi tiết".into(),
            status: Status::Replaced,
            decision_number: "1234/QĐ-UBND".into(),
            decision_date: parse_date("2017-06-30"),
            effective_from: parse_date("01/07/2017"),
            effective_until: parse_date("2020-12-31"),
            replaced_by: "1.009999".into(),
            dossiers_last_year: Some(0),
            dossiers_year_before: Some(17),
            notes: "ghi chú".into(),
            provenance: "Thái Nguyên (1234/QĐ-UBND); Bắc Kạn (bản làm việc)".into(),
            extra: BTreeMap::from([("Ý kiến".to_owned(), "đồng ý; \"rút gọn\"".to_owned())]),
        };
        let mut copy = ProcedureData::default();
        for field in ProcedureField::ALL {
            field
                .set_from_text(&mut copy, &field.value_text(&data))
                .unwrap();
        }
        assert_eq!(copy, data);
        assert!(ProcedureField::changed_between(&data, &copy).is_empty());
    }

    #[test]
    fn spreadsheet_spellings_are_read() {
        let mut data = ProcedureData::default();
        ProcedureField::Fee
            .set_from_text(&mut data, "50.000 đồng")
            .unwrap();
        assert_eq!(data.fee.amount_vnd(), Some(50_000));
        ProcedureField::Fee
            .set_from_text(&mut data, "Miễn phí")
            .unwrap();
        assert_eq!(data.fee.amount_vnd(), Some(0));
        ProcedureField::ProcessingTime
            .set_from_text(&mut data, "15 ngày làm việc")
            .unwrap();
        assert_eq!(
            data.processing_time.single(),
            Some((15.0, TimeUnit::WorkingDays))
        );
        ProcedureField::Status
            .set_from_text(&mut data, "Đã bãi bỏ")
            .unwrap();
        assert_eq!(data.status, Status::Abolished);
        let error = ProcedureField::Tier
            .set_from_text(&mut data, "7")
            .unwrap_err();
        assert_eq!(error.field, "tier");
        // A fee that cannot be read is kept as text, never refused nor guessed.
        ProcedureField::Fee.set_from_text(&mut data, "-5").unwrap();
        assert!(data.fee.is_unstructured());
        ProcedureField::Agency
            .set_from_text(&mut data, "Không có thông tin")
            .unwrap();
        assert_eq!(data.agency, "");
        ProcedureField::LegalBasis
            .set_from_text(&mut data, "59/2020/QH14;\n01/2021/NĐ-CP ; ")
            .unwrap();
        assert_eq!(data.legal_basis, ["59/2020/QH14", "01/2021/NĐ-CP"]);
    }

    #[test]
    fn amounts_group_by_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(50_000), "50.000");
        assert_eq!(group_thousands(1_000_000), "1.000.000");
        assert_eq!(group_thousands(-1_500), "-1.500");
    }

    #[test]
    fn dates_read_both_orders() {
        assert_eq!(parse_date("30/06/2017"), parse_date("2017-06-30"));
        assert!(parse_date("31/02/2017").is_none());
        assert!(parse_date("hôm qua").is_none());
    }
}
