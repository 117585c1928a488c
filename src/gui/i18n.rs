//! Vietnamese first, English as a switch. Every label of an enum the window shows is
//! here, once per language, so a word is the same wherever it appears.

use serde::{Deserialize, Serialize};

use super::model::{ColumnKey, Facet, Flag};
use crate::audit::{FindingKind, Rule};
use crate::diff::ChangeKind;
use crate::domain::citation::DocumentKind;
use crate::domain::{DocumentStatus, Level, ProcedureField, Status, Tier, format_date_vi};
use crate::progress::Phase;
use crate::store::{LedgerAction, VerdictKind, WORKING};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

/// The text in the chosen language.
pub fn tr(lang: Lang, vi: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

pub fn level_label(lang: Lang, level: Level) -> &'static str {
    match lang {
        Lang::Vi => level.label_vi(),
        Lang::En => match level {
            Level::Province => "Province",
            Level::District => "District",
            Level::Commune => "Commune",
        },
    }
}

pub fn status_label(lang: Lang, status: Status) -> &'static str {
    match lang {
        Lang::Vi => status.label_vi(),
        Lang::En => match status {
            Status::InForce => "In force",
            Status::Amended => "Amended",
            Status::Replaced => "Replaced",
            Status::Abolished => "Abolished",
        },
    }
}

pub fn field_label(lang: Lang, field: ProcedureField) -> &'static str {
    if lang == Lang::Vi {
        return match field {
            ProcedureField::Name => "Tên thủ tục",
            other => other.header_vi(),
        };
    }
    match field {
        ProcedureField::Code => "Code",
        ProcedureField::Name => "Name",
        ProcedureField::Level => "Level",
        ProcedureField::Field => "Field",
        ProcedureField::Agency => "Executing agency",
        ProcedureField::CompetentAuthority => "Competent authority",
        ProcedureField::Issuer => "Issuing body",
        ProcedureField::Tier => "Online tier",
        ProcedureField::ProcessingTime => "Processing time",
        ProcedureField::Fee => "Fees and charges",
        ProcedureField::LegalBasis => "Legal basis",
        ProcedureField::Steps => "Steps",
        ProcedureField::Methods => "Methods",
        ProcedureField::Dossier => "Dossier",
        ProcedureField::Requirements => "Requirements",
        ProcedureField::Result => "Result",
        ProcedureField::Subjects => "Subjects",
        ProcedureField::ProcedureType => "Procedure type",
        ProcedureField::Status => "Status",
        ProcedureField::DecisionNumber => "Publication decision",
        ProcedureField::DecisionDate => "Decision date",
        ProcedureField::EffectiveFrom => "Effective from",
        ProcedureField::EffectiveUntil => "Effective until",
        ProcedureField::ReplacedBy => "Replaced by (code)",
        ProcedureField::DossiersLastYear => "Dossiers last year",
        ProcedureField::DossiersYearBefore => "Dossiers the year before",
        ProcedureField::Notes => "Notes",
        ProcedureField::Provenance => "Provenance (catalogue, revision)",
        ProcedureField::Extra => "Other columns",
    }
}

/// "Toàn trình" / "Một phần" for tiers 4 and 3 (Decree 42/2022), with the old tier number.
pub fn tier_label(tier: Tier) -> String {
    format!("{tier} — {}", tier.decree42_label())
}

pub fn change_kind_label(lang: Lang, kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => tr(lang, "Thêm mới", "Added"),
        ChangeKind::Removed => tr(lang, "Bãi bỏ", "Removed"),
        ChangeKind::Changed => tr(lang, "Sửa đổi", "Changed"),
        ChangeKind::Moved => tr(lang, "Chuyển cấp", "Moved"),
        ChangeKind::Replaced => tr(lang, "Thay thế", "Replaced"),
    }
}

pub fn finding_kind_label(lang: Lang, kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Duplicate => tr(lang, "Trùng lặp", "Duplicates"),
        FindingKind::Similar => tr(
            lang,
            "Gần giống (ứng viên hợp nhất)",
            "Similar (merge candidates)",
        ),
        FindingKind::Obsolete => tr(lang, "Lỗi thời", "Obsolete"),
        FindingKind::Incomplete => tr(lang, "Thiếu thông tin", "Incomplete"),
        FindingKind::Unstructured => tr(lang, "Cần chuẩn hóa", "To structure"),
    }
}

pub fn rule_label(lang: Lang, rule: Rule) -> &'static str {
    match rule {
        Rule::SameCode => tr(lang, "Cùng mã", "Same code"),
        Rule::SameName => tr(lang, "Cùng tên", "Same name"),
        Rule::SimilarName => tr(lang, "Tên gần giống", "Similar names"),
        Rule::RepealedBasis => tr(lang, "Căn cứ hết hiệu lực", "Repealed basis"),
        Rule::CitesRepealed => tr(
            lang,
            "Viện dẫn văn bản hết hiệu lực",
            "Cites a repealed document",
        ),
        Rule::Abolished => tr(lang, "Đã bãi bỏ", "Abolished"),
        Rule::Superseded => tr(lang, "Đã bị thay thế", "Superseded"),
        Rule::NoDossiers => tr(lang, "Không phát sinh hồ sơ", "No dossiers"),
        Rule::Expired => tr(lang, "Hết hiệu lực", "Expired"),
        Rule::DistrictAbolished => tr(
            lang,
            "Cấp huyện không còn (chính quyền 2 cấp)",
            "District level abolished",
        ),
        Rule::MissingAgency => tr(lang, "Thiếu cơ quan thực hiện", "No agency"),
        Rule::MissingProcessingTime => tr(lang, "Thiếu thời hạn giải quyết", "No processing time"),
        Rule::MissingFee => tr(lang, "Thiếu phí, lệ phí", "No fee information"),
        Rule::MissingLegalBasis => tr(lang, "Thiếu căn cứ pháp lý", "No legal basis"),
        Rule::TimeAsText => tr(
            lang,
            "Thời hạn chưa có số và đơn vị",
            "Time without amount and unit",
        ),
        Rule::FeeAsText => tr(lang, "Phí chưa đọc được số tiền", "Fee amount unreadable"),
    }
}

pub fn verdict_label(lang: Lang, kind: VerdictKind) -> &'static str {
    match kind {
        VerdictKind::Dismissed => tr(lang, "Không phải lỗi", "Dismissed"),
        VerdictKind::Confirmed => tr(lang, "Đã xác nhận", "Confirmed"),
        VerdictKind::Merged => tr(lang, "Đã hợp nhất", "Merged"),
        VerdictKind::Keep => tr(lang, "Giữ nguyên", "Kept"),
        VerdictKind::ProposeAbolition => tr(lang, "Đề xuất bãi bỏ", "Proposed for abolition"),
        VerdictKind::Reopened => tr(lang, "Mở lại", "Reopened"),
    }
}

pub fn ledger_action_label(lang: Lang, action: LedgerAction) -> &'static str {
    match action {
        LedgerAction::Create => tr(lang, "tạo mới", "created"),
        LedgerAction::Update => tr(lang, "sửa", "changed"),
        LedgerAction::Retire => tr(lang, "bãi bỏ khỏi danh mục", "retired"),
        LedgerAction::Restore => tr(lang, "khôi phục", "restored"),
    }
}

pub fn flag_label(lang: Lang, flag: Flag) -> &'static str {
    match flag {
        Flag::Incomplete => tr(lang, "Thiếu thông tin", "Incomplete"),
        Flag::ToStructure => tr(lang, "Cần chuẩn hóa phí/thời hạn", "Fee or time as text"),
        Flag::NoDossiers => tr(lang, "Không phát sinh hồ sơ", "No dossiers"),
        Flag::Superseded => tr(lang, "Đã bãi bỏ/thay thế", "Abolished/replaced"),
        Flag::Flagged => tr(lang, "Có phát hiện rà soát", "Flagged by the audit"),
    }
}

/// For the table's narrow flags column.
pub fn flag_short_label(lang: Lang, flag: Flag) -> &'static str {
    match flag {
        Flag::Incomplete => tr(lang, "thiếu", "incomplete"),
        Flag::ToStructure => tr(lang, "chuẩn hóa", "as text"),
        Flag::NoDossiers => tr(lang, "0 hồ sơ", "0 dossiers"),
        Flag::Superseded => tr(lang, "bãi bỏ", "abolished"),
        Flag::Flagged => tr(lang, "rà soát", "audit"),
    }
}

pub fn facet_label(lang: Lang, facet: Facet) -> &'static str {
    match facet {
        Facet::Level => tr(lang, "Cấp thực hiện", "Level"),
        Facet::Tier => tr(lang, "Mức độ dịch vụ công", "Online tier"),
        Facet::Status => tr(lang, "Tình trạng", "Status"),
        Facet::Flag => tr(lang, "Cảnh báo", "Flags"),
        Facet::Field => tr(lang, "Lĩnh vực", "Field"),
        Facet::Agency => tr(lang, "Cơ quan thực hiện", "Agency"),
        Facet::Provenance => tr(lang, "Nguồn", "Provenance"),
    }
}

pub fn column_label(lang: Lang, column: ColumnKey) -> &'static str {
    match column {
        ColumnKey::Code => tr(lang, "Mã TTHC", "Code"),
        ColumnKey::Name => tr(lang, "Tên thủ tục", "Name"),
        ColumnKey::Level => tr(lang, "Cấp", "Level"),
        ColumnKey::Field => tr(lang, "Lĩnh vực", "Field"),
        ColumnKey::Agency => tr(lang, "Cơ quan thực hiện", "Agency"),
        ColumnKey::Tier => tr(lang, "Mức độ", "Tier"),
        ColumnKey::ProcessingTime => tr(lang, "Thời hạn", "Time"),
        ColumnKey::Fee => tr(lang, "Phí, lệ phí", "Fee"),
        ColumnKey::Status => tr(lang, "Tình trạng", "Status"),
        ColumnKey::Flags => tr(lang, "Cảnh báo", "Flags"),
    }
}

/// What a background job is doing, for its progress bar.
pub fn phase_label(lang: Lang, phase: Phase) -> &'static str {
    match phase {
        Phase::Starting => tr(lang, "Đang bắt đầu", "Starting"),
        Phase::ReadingFiles => tr(lang, "Đang đọc tệp", "Reading file"),
        Phase::ReadingRows => tr(lang, "Đang đọc", "Reading"),
        Phase::Planning => tr(lang, "Đang xét dòng", "Planning row"),
        Phase::Writing => tr(lang, "Đang ghi", "Writing"),
        Phase::WaitingForWriter => tr(
            lang,
            "Đang chờ chương trình khác ghi xong",
            "Waiting for another program to finish writing",
        ),
    }
}

/// A side of a diff or export as the officer knows it: "Bản đang làm việc" or the revision.
pub fn side_label(lang: Lang, name: &str) -> String {
    if name == WORKING {
        tr(lang, "Bản đang làm việc", "Working copy").to_owned()
    } else {
        name.to_owned()
    }
}

/// The Vietnamese name is the one the printed list uses.
pub fn document_kind_label(lang: Lang, kind: DocumentKind) -> &'static str {
    if lang == Lang::Vi {
        return kind.label_vi();
    }
    match kind {
        DocumentKind::Law => "Law",
        DocumentKind::Resolution => "Resolution",
        DocumentKind::Ordinance => "Ordinance",
        DocumentKind::Decree => "Decree",
        DocumentKind::Decision => "Decision",
        DocumentKind::Circular => "Circular",
        DocumentKind::Other => "Other",
        DocumentKind::Unnumbered => "No number",
    }
}

pub fn document_status_label(lang: Lang, status: DocumentStatus) -> String {
    match status {
        DocumentStatus::InForce => tr(lang, "Còn hiệu lực", "In force").to_owned(),
        DocumentStatus::RepealedFrom(on) => format!(
            "{} {}",
            tr(lang, "Hết hiệu lực từ", "Repealed from"),
            format_date_vi(on)
        ),
        DocumentStatus::Repealed(on) => format!(
            "{} {}",
            tr(lang, "Hết hiệu lực", "Repealed"),
            format_date_vi(on)
        ),
    }
}
