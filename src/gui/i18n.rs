//! Vietnamese first, English as a switch.

use serde::{Deserialize, Serialize};

use crate::domain::{Level, ProcedureField, Status};

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
            ProcedureField::ProcessingDays => "Thời hạn giải quyết (ngày)",
            ProcedureField::Fee => "Phí, lệ phí (đồng)",
            other => other.header_vi(),
        };
    }
    match field {
        ProcedureField::Code => "Code",
        ProcedureField::Name => "Name",
        ProcedureField::Level => "Level",
        ProcedureField::Field => "Field",
        ProcedureField::Agency => "Executing agency",
        ProcedureField::Issuer => "Issuing body",
        ProcedureField::Tier => "Online tier",
        ProcedureField::ProcessingDays => "Processing time (working days)",
        ProcedureField::Fee => "Fees (VND)",
        ProcedureField::FeeNote => "Fee note",
        ProcedureField::LegalBasis => "Legal basis",
        ProcedureField::Steps => "Steps",
        ProcedureField::Methods => "Methods",
        ProcedureField::Dossier => "Dossier",
        ProcedureField::Requirements => "Requirements",
        ProcedureField::Result => "Result",
        ProcedureField::Subjects => "Subjects",
        ProcedureField::Status => "Status",
        ProcedureField::DecisionNumber => "Publication decision",
        ProcedureField::DecisionDate => "Decision date",
        ProcedureField::EffectiveFrom => "Effective from",
        ProcedureField::EffectiveUntil => "Effective until",
        ProcedureField::ReplacedBy => "Replaced by (code)",
        ProcedureField::DossiersLastYear => "Dossiers last year",
        ProcedureField::DossiersYearBefore => "Dossiers the year before",
        ProcedureField::Notes => "Notes",
    }
}
