//! The government's targets for a simplification, as settings with their sources: never a
//! constant in the report's code.

use serde::{Deserialize, Serialize};

use super::sourced::Sourced;

/// Setting key of the targets (JSON; a target not in it takes its default).
pub const TARGETS: &str = "simplification_targets";

/// Each target is the least reduction asked for, in percent.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Targets {
    pub processing_days: Sourced,
    pub compliance_cost: Sourced,
    pub procedures: Sourced,
}

impl Default for Targets {
    fn default() -> Targets {
        let resolution_66 = "Nghị quyết 66/NQ-CP ngày 26/3/2025: cắt giảm ít nhất 30% thời gian \
                             giải quyết và 30% chi phí tuân thủ";
        Targets {
            processing_days: Sourced::new(30.0, resolution_66),
            compliance_cost: Sourced::new(30.0, resolution_66),
            procedures: Sourced::new(
                20.0,
                "Nghị quyết 68/NQ-CP ngày 12/5/2020 (chương trình cắt giảm, đơn giản hóa \
                 2020–2025): ít nhất 20%",
            ),
        }
    }
}

impl Targets {
    pub fn from_setting(value: Option<&str>) -> Targets {
        value
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }

    pub fn to_setting(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
