//! What a procedure is: the types every other module speaks. No I/O here.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::fold;

/// A calendar date, stored and exported as `YYYY-MM-DD`.
pub type Date = time::Date;

const ISO_DATE: &[time::format_description::FormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

pub fn format_date(date: Date) -> String {
    // Formatting a valid Date with a fixed description cannot fail; the fallback keeps it total.
    date.format(ISO_DATE).unwrap_or_default()
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
    pub issuer: String,
    pub tier: Option<Tier>,
    pub processing_days: Option<f64>,
    /// Fees and charges in VND; `Some(0)` is free of charge, `None` not recorded.
    pub fee_vnd: Option<i64>,
    /// Fee wording as published ("50.000 đồng/giấy phép"), when the amount alone is not enough.
    pub fee_note: String,
    /// Numbers of the legal documents the procedure rests on, in citation order.
    pub legal_basis: Vec<String>,
    pub steps: String,
    pub methods: String,
    pub dossier: String,
    pub requirements: String,
    pub result: String,
    pub subjects: String,
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
}

impl ProcedureData {
    /// Every field as text in one string: equal exactly when the data is equal. The base of
    /// content hashes (revisions share versions by it; audit verdicts remember it).
    pub fn canonical_text(&self) -> String {
        ProcedureField::ALL
            .iter()
            .map(|field| field.value_text(self))
            .collect::<Vec<_>>()
            .join("\u{1f}")
    }

    /// A content hash of [`canonical_text`](Self::canonical_text).
    pub fn fingerprint(&self) -> u64 {
        fnv1a(&self.canonical_text())
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
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
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
    /// `59/2020/QH14`, `01/2021/NĐ-CP` …
    pub number: String,
    pub title: String,
    pub issued_on: Option<Date>,
    pub effective_on: Option<Date>,
    pub repealed_on: Option<Date>,
    /// Number of the document that replaced this one, if any.
    pub replaced_by: String,
}

/// Why a value cannot go into a field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: \"{value}\" is not {expected}")]
pub struct FieldError {
    pub field: &'static str,
    pub value: String,
    pub expected: &'static str,
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
    Issuer,
    Tier,
    ProcessingDays,
    Fee,
    FeeNote,
    LegalBasis,
    Steps,
    Methods,
    Dossier,
    Requirements,
    Result,
    Subjects,
    Status,
    DecisionNumber,
    DecisionDate,
    EffectiveFrom,
    EffectiveUntil,
    ReplacedBy,
    DossiersLastYear,
    DossiersYearBefore,
    Notes,
}

impl ProcedureField {
    /// In export column order.
    pub const ALL: [ProcedureField; 26] = [
        ProcedureField::Code,
        ProcedureField::Name,
        ProcedureField::Level,
        ProcedureField::Field,
        ProcedureField::Agency,
        ProcedureField::Issuer,
        ProcedureField::Tier,
        ProcedureField::ProcessingDays,
        ProcedureField::Fee,
        ProcedureField::FeeNote,
        ProcedureField::LegalBasis,
        ProcedureField::Steps,
        ProcedureField::Methods,
        ProcedureField::Dossier,
        ProcedureField::Requirements,
        ProcedureField::Result,
        ProcedureField::Subjects,
        ProcedureField::Status,
        ProcedureField::DecisionNumber,
        ProcedureField::DecisionDate,
        ProcedureField::EffectiveFrom,
        ProcedureField::EffectiveUntil,
        ProcedureField::ReplacedBy,
        ProcedureField::DossiersLastYear,
        ProcedureField::DossiersYearBefore,
        ProcedureField::Notes,
    ];

    /// Column key in exports, JSON and the edit ledger.
    pub fn key(self) -> &'static str {
        match self {
            ProcedureField::Code => "code",
            ProcedureField::Name => "name",
            ProcedureField::Level => "level",
            ProcedureField::Field => "field",
            ProcedureField::Agency => "agency",
            ProcedureField::Issuer => "issuer",
            ProcedureField::Tier => "tier",
            ProcedureField::ProcessingDays => "processing_days",
            ProcedureField::Fee => "fee",
            ProcedureField::FeeNote => "fee_note",
            ProcedureField::LegalBasis => "legal_basis",
            ProcedureField::Steps => "steps",
            ProcedureField::Methods => "methods",
            ProcedureField::Dossier => "dossier",
            ProcedureField::Requirements => "requirements",
            ProcedureField::Result => "result",
            ProcedureField::Subjects => "subjects",
            ProcedureField::Status => "status",
            ProcedureField::DecisionNumber => "decision_number",
            ProcedureField::DecisionDate => "decision_date",
            ProcedureField::EffectiveFrom => "effective_from",
            ProcedureField::EffectiveUntil => "effective_until",
            ProcedureField::ReplacedBy => "replaced_by",
            ProcedureField::DossiersLastYear => "dossiers_last_year",
            ProcedureField::DossiersYearBefore => "dossiers_year_before",
            ProcedureField::Notes => "notes",
        }
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
            ProcedureField::Issuer => "Cơ quan ban hành",
            ProcedureField::Tier => "Mức độ DVC",
            ProcedureField::ProcessingDays => "Thời hạn giải quyết (ngày làm việc)",
            ProcedureField::Fee => "Phí, lệ phí (đồng)",
            ProcedureField::FeeNote => "Ghi chú phí, lệ phí",
            ProcedureField::LegalBasis => "Căn cứ pháp lý",
            ProcedureField::Steps => "Trình tự thực hiện",
            ProcedureField::Methods => "Cách thức thực hiện",
            ProcedureField::Dossier => "Thành phần hồ sơ",
            ProcedureField::Requirements => "Yêu cầu, điều kiện",
            ProcedureField::Result => "Kết quả thực hiện",
            ProcedureField::Subjects => "Đối tượng thực hiện",
            ProcedureField::Status => "Tình trạng",
            ProcedureField::DecisionNumber => "Quyết định công bố",
            ProcedureField::DecisionDate => "Ngày quyết định",
            ProcedureField::EffectiveFrom => "Ngày có hiệu lực",
            ProcedureField::EffectiveUntil => "Ngày hết hiệu lực",
            ProcedureField::ReplacedBy => "Mã TTHC thay thế",
            ProcedureField::DossiersLastYear => "Số hồ sơ năm trước",
            ProcedureField::DossiersYearBefore => "Số hồ sơ hai năm trước",
            ProcedureField::Notes => "Ghi chú",
        }
    }

    /// The field's value as one cell of text: what the ledger records and exports write.
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
            ProcedureField::Issuer => data.issuer.clone(),
            ProcedureField::Tier => opt(data.tier),
            ProcedureField::ProcessingDays => opt(data.processing_days),
            ProcedureField::Fee => opt(data.fee_vnd),
            ProcedureField::FeeNote => data.fee_note.clone(),
            ProcedureField::LegalBasis => data.legal_basis.join("; "),
            ProcedureField::Steps => data.steps.clone(),
            ProcedureField::Methods => data.methods.clone(),
            ProcedureField::Dossier => data.dossier.clone(),
            ProcedureField::Requirements => data.requirements.clone(),
            ProcedureField::Result => data.result.clone(),
            ProcedureField::Subjects => data.subjects.clone(),
            ProcedureField::Status => data.status.key().to_owned(),
            ProcedureField::DecisionNumber => data.decision_number.clone(),
            ProcedureField::DecisionDate => opt(data.decision_date.map(format_date)),
            ProcedureField::EffectiveFrom => opt(data.effective_from.map(format_date)),
            ProcedureField::EffectiveUntil => opt(data.effective_until.map(format_date)),
            ProcedureField::ReplacedBy => data.replaced_by.clone(),
            ProcedureField::DossiersLastYear => opt(data.dossiers_last_year),
            ProcedureField::DossiersYearBefore => opt(data.dossiers_year_before),
            ProcedureField::Notes => data.notes.clone(),
        }
    }

    /// Sets the field from one cell of text (already cleaned); the inverse of [`value_text`],
    /// also accepting the spellings found in officers' spreadsheets.
    ///
    /// [`value_text`]: ProcedureField::value_text
    pub fn set_from_text(self, data: &mut ProcedureData, text: &str) -> Result<(), FieldError> {
        self.set_exact(data, text.trim())
    }

    /// Sets the field from text taken as it is, spaces included: what this application's own
    /// export wrote (`value_text`) reads back to the same value.
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
                    Some(Level::parse(text).ok_or_else(|| error("a level (tỉnh, huyện or xã)"))?)
                }
            }
            ProcedureField::Field => data.field = text.to_owned(),
            ProcedureField::Agency => data.agency = text.to_owned(),
            ProcedureField::Issuer => data.issuer = text.to_owned(),
            ProcedureField::Tier => {
                data.tier = if text.is_empty() {
                    None
                } else {
                    Some(Tier::parse(text).ok_or_else(|| error("a tier from 1 to 4"))?)
                }
            }
            ProcedureField::ProcessingDays => {
                data.processing_days =
                    parse_days(text).map_err(|()| error("a number of working days"))?
            }
            ProcedureField::Fee => {
                data.fee_vnd = parse_vnd(text).map_err(|()| error("an amount in VND"))?
            }
            ProcedureField::FeeNote => data.fee_note = text.to_owned(),
            ProcedureField::LegalBasis => data.legal_basis = split_legal_basis(text),
            ProcedureField::Steps => data.steps = text.to_owned(),
            ProcedureField::Methods => data.methods = text.to_owned(),
            ProcedureField::Dossier => data.dossier = text.to_owned(),
            ProcedureField::Requirements => data.requirements = text.to_owned(),
            ProcedureField::Result => data.result = text.to_owned(),
            ProcedureField::Subjects => data.subjects = text.to_owned(),
            ProcedureField::Status => {
                data.status = Status::parse(text)
                    .ok_or_else(|| error("a status (còn hiệu lực, sửa đổi, thay thế, bãi bỏ)"))?
            }
            ProcedureField::DecisionNumber => data.decision_number = text.to_owned(),
            ProcedureField::DecisionDate => {
                data.decision_date = parse_optional_date(text).map_err(|()| error("a date"))?
            }
            ProcedureField::EffectiveFrom => {
                data.effective_from = parse_optional_date(text).map_err(|()| error("a date"))?
            }
            ProcedureField::EffectiveUntil => {
                data.effective_until = parse_optional_date(text).map_err(|()| error("a date"))?
            }
            ProcedureField::ReplacedBy => data.replaced_by = text.to_owned(),
            ProcedureField::DossiersLastYear => {
                data.dossiers_last_year = parse_count(text).map_err(|()| error("a whole number"))?
            }
            ProcedureField::DossiersYearBefore => {
                data.dossiers_year_before =
                    parse_count(text).map_err(|()| error("a whole number"))?
            }
            ProcedureField::Notes => data.notes = text.to_owned(),
        }
        Ok(())
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

/// `15`, `15 ngày`, `0,5`, `Trong ngày` (= 0.5).
fn parse_days(text: &str) -> Result<Option<f64>, ()> {
    let folded = fold(text);
    if folded.is_empty() {
        return Ok(None);
    }
    if folded == "trong ngay" {
        return Ok(Some(0.5));
    }
    let number = folded
        .trim_end_matches("ngay lam viec")
        .trim_end_matches("ngay")
        .trim()
        .replace(',', ".");
    match number.parse::<f64>() {
        Ok(days) if days.is_finite() && days >= 0.0 => Ok(Some(days)),
        _ => Err(()),
    }
}

/// `50000`, `50.000`, `50.000 đồng`, `Miễn phí` / `Không` (= 0).
fn parse_vnd(text: &str) -> Result<Option<i64>, ()> {
    let folded = fold(text);
    if folded.is_empty() {
        return Ok(None);
    }
    if matches!(folded.as_str(), "mien phi" | "khong" | "khong co" | "0") {
        return Ok(Some(0));
    }
    let digits = folded
        .trim_end_matches("vnd")
        .trim_end_matches("dong")
        .trim()
        .replace(['.', ' '], "");
    // A spreadsheet may hand over 50000 as the float "50000.0"; a comma is a decimal point there.
    let digits = digits.split(',').next().unwrap_or_default();
    digits
        .parse::<i64>()
        .ok()
        .filter(|v| *v >= 0)
        .map(Some)
        .ok_or(())
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

/// Document numbers separated by `;` or new lines, trimmed, empty ones dropped.
pub fn split_legal_basis(text: &str) -> Vec<String> {
    text.split([';', '\n'])
        .map(str::trim)
        .filter(|number| !number.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
            issuer: "Bộ Xây dựng".into(),
            tier: Tier::new(3),
            processing_days: Some(12.5),
            fee_vnd: Some(150_000),
            fee_note: "150.000 đồng/giấy phép".into(),
            legal_basis: vec!["50/2014/QH13".into(), "15/2021/NĐ-CP".into()],
            steps: "Bước 1".into(),
            methods: "Trực tiếp".into(),
            dossier: "Đơn".into(),
            requirements: "Không".into(),
            result: "Giấy phép".into(),
            subjects: "Tổ chức, cá nhân".into(),
            status: Status::Replaced,
            decision_number: "1234/QĐ-UBND".into(),
            decision_date: parse_date("2017-06-30"),
            effective_from: parse_date("01/07/2017"),
            effective_until: parse_date("2020-12-31"),
            replaced_by: "1.009999".into(),
            dossiers_last_year: Some(0),
            dossiers_year_before: Some(17),
            notes: "ghi chú".into(),
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
        assert_eq!(data.fee_vnd, Some(50_000));
        ProcedureField::Fee
            .set_from_text(&mut data, "Miễn phí")
            .unwrap();
        assert_eq!(data.fee_vnd, Some(0));
        ProcedureField::ProcessingDays
            .set_from_text(&mut data, "15 ngày làm việc")
            .unwrap();
        assert_eq!(data.processing_days, Some(15.0));
        ProcedureField::Status
            .set_from_text(&mut data, "Đã bãi bỏ")
            .unwrap();
        assert_eq!(data.status, Status::Abolished);
        let error = ProcedureField::Tier
            .set_from_text(&mut data, "7")
            .unwrap_err();
        assert_eq!(error.field, "tier");
        assert!(ProcedureField::Fee.set_from_text(&mut data, "-5").is_err());
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
