//! Compliance cost (chi phí tuân thủ) by the method of Circular 02/2017/TT-VPCP: for one
//! execution, the hours an applicant spends (preparing each paper, each visit by the online
//! kind, waiting to collect) × the income per hour, plus fees and charges, plus what copies
//! and post cost; per year × the executions (dossiers received last year, else a default).
//! Every parameter has its source, kept in the catalogue and printed beside the result.

use serde::{Deserialize, Serialize};

use super::dossier::Dossier;
use super::sourced::{Sourced, format_hours, format_vnd};
use crate::domain::{ProcedureData, Tier};

/// Setting key of the cost model (JSON; a parameter not in it takes its default).
pub const COST_MODEL: &str = "cost_model";

/// The parameters of the cost model, each with where its figure comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CostModel {
    /// Average income per hour (đồng).
    pub income_per_hour: Sourced,
    /// Hours to prepare one paper of the dossier.
    pub hours_per_paper: Sourced,
    /// Hours for one visit to the office (travel, queue, submit).
    pub hours_per_visit: Sourced,
    /// Visits of one execution when the service only gives information and forms (tiers 1–2).
    pub visits_information: Sourced,
    /// Visits of one execution as a "một phần" online service (tier 3).
    pub visits_partial: Sourced,
    /// Visits of one execution as a "toàn trình" online service (tier 4).
    pub visits_whole: Sourced,
    /// Hours waiting for and collecting the result in person (not for "toàn trình").
    pub hours_collecting: Sourced,
    /// What one copy costs (copying and certifying), đồng.
    pub cost_per_copy: Sourced,
    /// Post for a result sent home ("toàn trình"), đồng.
    pub post_per_result: Sourced,
    /// Executions a year for a procedure whose dossiers of last year are not known.
    pub default_executions: Sourced,
}

impl Default for CostModel {
    fn default() -> CostModel {
        let estimate = "Ước tính của cơ quan rà soát theo Thông tư 02/2017/TT-VPCP (Phụ lục I)";
        CostModel {
            income_per_hour: Sourced::new(
                43_750.0,
                "Thu nhập bình quân tháng của lao động năm 2024 (Tổng cục Thống kê): \
                 7.700.000 đồng ÷ 22 ngày ÷ 8 giờ",
            ),
            hours_per_paper: Sourced::new(1.0, estimate),
            hours_per_visit: Sourced::new(4.0, estimate),
            visits_information: Sourced::new(
                2.0,
                "Nộp hồ sơ và nhận kết quả trực tiếp (dịch vụ chỉ cung cấp thông tin)",
            ),
            visits_partial: Sourced::new(
                1.0,
                "Nộp trực tuyến, nhận kết quả trực tiếp (dịch vụ công trực tuyến một phần, \
                 Nghị định 42/2022/NĐ-CP)",
            ),
            visits_whole: Sourced::new(
                0.0,
                "Toàn trình: không đến cơ quan (Nghị định 42/2022/NĐ-CP)",
            ),
            hours_collecting: Sourced::new(1.0, estimate),
            cost_per_copy: Sourced::new(
                2_000.0,
                "Lệ phí chứng thực bản sao 2.000 đồng/trang (Thông tư 226/2016/TT-BTC)",
            ),
            post_per_result: Sourced::new(0.0, "Không tính: kết quả trả qua môi trường điện tử"),
            default_executions: Sourced::new(
                0.0,
                "Không có số hồ sơ năm trước: không tính chi phí cả năm",
            ),
        }
    }
}

/// A parameter's key, its name in the window and the report, and its unit.
pub struct ParameterInfo {
    pub key: &'static str,
    pub label_vi: &'static str,
    pub unit_vi: &'static str,
}

/// The parameters in the order the window and the report list them.
pub const PARAMETERS: [ParameterInfo; 10] = [
    ParameterInfo {
        key: "income_per_hour",
        label_vi: "Thu nhập bình quân một giờ",
        unit_vi: "đồng/giờ",
    },
    ParameterInfo {
        key: "hours_per_paper",
        label_vi: "Thời gian chuẩn bị một thành phần hồ sơ",
        unit_vi: "giờ",
    },
    ParameterInfo {
        key: "hours_per_visit",
        label_vi: "Thời gian một lần đến cơ quan (đi lại, nộp)",
        unit_vi: "giờ",
    },
    ParameterInfo {
        key: "visits_information",
        label_vi: "Số lần đến cơ quan — chỉ cung cấp thông tin",
        unit_vi: "lần",
    },
    ParameterInfo {
        key: "visits_partial",
        label_vi: "Số lần đến cơ quan — trực tuyến một phần",
        unit_vi: "lần",
    },
    ParameterInfo {
        key: "visits_whole",
        label_vi: "Số lần đến cơ quan — trực tuyến toàn trình",
        unit_vi: "lần",
    },
    ParameterInfo {
        key: "hours_collecting",
        label_vi: "Thời gian chờ, nhận kết quả trực tiếp",
        unit_vi: "giờ",
    },
    ParameterInfo {
        key: "cost_per_copy",
        label_vi: "Chi phí một bản sao (sao, chứng thực)",
        unit_vi: "đồng",
    },
    ParameterInfo {
        key: "post_per_result",
        label_vi: "Cước gửi kết quả (toàn trình)",
        unit_vi: "đồng",
    },
    ParameterInfo {
        key: "default_executions",
        label_vi: "Số lần thực hiện/năm khi chưa có số hồ sơ",
        unit_vi: "lần/năm",
    },
];

impl CostModel {
    /// Reads the stored JSON; `None` or an unreadable value is the defaults (the window says
    /// which: [`CostModel::from_setting`] is only for values this application wrote).
    pub fn from_setting(value: Option<&str>) -> CostModel {
        value
            .and_then(|json| serde_json::from_str(json).ok())
            .unwrap_or_default()
    }

    pub fn to_setting(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn parameter(&self, key: &str) -> Option<&Sourced> {
        Some(match key {
            "income_per_hour" => &self.income_per_hour,
            "hours_per_paper" => &self.hours_per_paper,
            "hours_per_visit" => &self.hours_per_visit,
            "visits_information" => &self.visits_information,
            "visits_partial" => &self.visits_partial,
            "visits_whole" => &self.visits_whole,
            "hours_collecting" => &self.hours_collecting,
            "cost_per_copy" => &self.cost_per_copy,
            "post_per_result" => &self.post_per_result,
            "default_executions" => &self.default_executions,
            _ => return None,
        })
    }

    pub fn parameter_mut(&mut self, key: &str) -> Option<&mut Sourced> {
        Some(match key {
            "income_per_hour" => &mut self.income_per_hour,
            "hours_per_paper" => &mut self.hours_per_paper,
            "hours_per_visit" => &mut self.hours_per_visit,
            "visits_information" => &mut self.visits_information,
            "visits_partial" => &mut self.visits_partial,
            "visits_whole" => &mut self.visits_whole,
            "hours_collecting" => &mut self.hours_collecting,
            "cost_per_copy" => &mut self.cost_per_copy,
            "post_per_result" => &mut self.post_per_result,
            "default_executions" => &mut self.default_executions,
            _ => return None,
        })
    }

    /// The cost of one entry, with the arithmetic that gives it.
    pub fn cost(&self, procedure: &ProcedureData) -> ComplianceCost {
        let (papers, copies) = Dossier::parse(&procedure.dossier).costed_counts();
        self.cost_of(&CostInput {
            papers,
            copies,
            tier: procedure.tier,
            fee_vnd: procedure.fee.total_vnd(),
            fee_stated: !procedure.fee.is_empty(),
            executions: procedure.dossiers_last_year,
        })
    }

    /// The figures alone, without the arithmetic's text (a whole catalogue is costed so).
    pub fn figures(&self, input: &CostInput) -> CostFigures {
        let kind = OnlineKind::of(input.tier);
        let visits = match kind {
            OnlineKind::Information => self.visits_information.value,
            OnlineKind::Partial => self.visits_partial.value,
            OnlineKind::Whole => self.visits_whole.value,
        };
        let preparing = f64::from(input.papers) * self.hours_per_paper.value;
        let travelling = visits * self.hours_per_visit.value;
        let collecting = if kind == OnlineKind::Whole {
            0.0
        } else {
            self.hours_collecting.value
        };
        let hours = preparing + travelling + collecting;
        let time_cost = (hours * self.income_per_hour.value).round() as i64;
        let fee = input.fee_vnd.unwrap_or(0);
        let copies_cost = (f64::from(input.copies) * self.cost_per_copy.value).round() as i64;
        let post = if kind == OnlineKind::Whole {
            self.post_per_result.value.round() as i64
        } else {
            0
        };
        let per_execution = time_cost + fee + copies_cost + post;
        let (executions, executions_stated) = match input.executions {
            Some(count) => (u64::from(count), true),
            None => (self.default_executions.value.max(0.0).round() as u64, false),
        };
        CostFigures {
            kind,
            visits,
            preparing,
            travelling,
            collecting,
            hours,
            time_cost,
            fee,
            copies_cost,
            post,
            per_execution,
            executions,
            executions_stated,
            per_year: per_execution.saturating_mul(executions as i64),
        }
    }

    pub fn cost_of(&self, input: &CostInput) -> ComplianceCost {
        let f = self.figures(input);
        let income = self.income_per_hour.value;

        let mut lines = vec![
            CostLine::hours(
                "Chuẩn bị hồ sơ",
                format!(
                    "{} thành phần × {} giờ",
                    input.papers,
                    format_hours(self.hours_per_paper.value)
                ),
                f.preparing,
            ),
            CostLine::hours(
                "Đến cơ quan",
                format!(
                    "{} lần ({}) × {} giờ",
                    format_hours(f.visits),
                    if input.tier.is_none() {
                        "chưa ghi mức độ: tính như chỉ cung cấp thông tin"
                    } else {
                        f.kind.label_vi()
                    },
                    format_hours(self.hours_per_visit.value)
                ),
                f.travelling,
            ),
            CostLine::hours(
                "Chờ, nhận kết quả",
                if f.kind == OnlineKind::Whole {
                    "toàn trình: nhận kết quả điện tử".to_owned()
                } else {
                    "chờ và nhận kết quả trực tiếp".to_owned()
                },
                f.collecting,
            ),
            CostLine::money(
                "Thời gian quy ra tiền",
                format!(
                    "{} giờ × {} đồng/giờ",
                    format_hours(f.hours),
                    format_vnd(income.round() as i64)
                ),
                f.time_cost,
            ),
            CostLine::money(
                "Phí, lệ phí",
                match (input.fee_vnd, input.fee_stated) {
                    (Some(_), _) => "theo mức phí, lệ phí ghi trong thủ tục".to_owned(),
                    (None, true) => "không đọc được số tiền: tính 0 đồng".to_owned(),
                    (None, false) => "không ghi: tính 0 đồng".to_owned(),
                },
                f.fee,
            ),
            CostLine::money(
                "Bản sao",
                format!(
                    "{} bản × {} đồng",
                    input.copies,
                    format_vnd(self.cost_per_copy.value.round() as i64)
                ),
                f.copies_cost,
            ),
        ];
        if f.kind == OnlineKind::Whole {
            lines.push(CostLine::money(
                "Gửi kết quả",
                "cước bưu chính".to_owned(),
                f.post,
            ));
        }
        lines.push(CostLine::money(
            "Một lần thực hiện",
            format!(
                "{} + {} + {}{}",
                format_vnd(f.time_cost),
                format_vnd(f.fee),
                format_vnd(f.copies_cost),
                if f.kind == OnlineKind::Whole {
                    format!(" + {}", format_vnd(f.post))
                } else {
                    String::new()
                }
            ),
            f.per_execution,
        ));
        lines.push(CostLine::money(
            "Một năm",
            format!(
                "{} đồng × {} lần{}",
                format_vnd(f.per_execution),
                f.executions,
                if f.executions_stated {
                    " (số hồ sơ năm trước)"
                } else {
                    " (mặc định: chưa có số hồ sơ)"
                }
            ),
            f.per_year,
        ));
        ComplianceCost {
            hours: f.hours,
            per_execution: f.per_execution,
            per_year: f.per_year,
            executions: f.executions,
            executions_stated: f.executions_stated,
            lines,
        }
    }
}

/// The cost of one entry, each step's figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CostFigures {
    pub kind: OnlineKind,
    pub visits: f64,
    pub preparing: f64,
    pub travelling: f64,
    pub collecting: f64,
    pub hours: f64,
    pub time_cost: i64,
    pub fee: i64,
    pub copies_cost: i64,
    pub post: i64,
    pub per_execution: i64,
    pub executions: u64,
    pub executions_stated: bool,
    pub per_year: i64,
}

/// What the cost of one entry is computed from.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CostInput {
    pub papers: u32,
    pub copies: u32,
    pub tier: Option<Tier>,
    /// Fees and charges of one execution (`None`: not readable).
    pub fee_vnd: Option<i64>,
    pub fee_stated: bool,
    /// Dossiers received last year.
    pub executions: Option<u32>,
}

/// The online kind of Decree 42/2022 that sets how many visits an execution takes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnlineKind {
    /// Tiers 1–2 (or none): information and forms only, everything in person.
    #[default]
    Information,
    /// Tier 3: "một phần".
    Partial,
    /// Tier 4: "toàn trình".
    Whole,
}

impl OnlineKind {
    pub const ALL: [OnlineKind; 3] = [
        OnlineKind::Information,
        OnlineKind::Partial,
        OnlineKind::Whole,
    ];

    pub fn of(tier: Option<Tier>) -> OnlineKind {
        match tier.map(Tier::value) {
            Some(4) => OnlineKind::Whole,
            Some(3) => OnlineKind::Partial,
            _ => OnlineKind::Information,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            OnlineKind::Information => "information",
            OnlineKind::Partial => "partial",
            OnlineKind::Whole => "whole",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            OnlineKind::Information => "chỉ cung cấp thông tin",
            OnlineKind::Partial => "trực tuyến một phần",
            OnlineKind::Whole => "trực tuyến toàn trình",
        }
    }
}

/// One step of the arithmetic, as the window and the report print it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CostLine {
    pub label: &'static str,
    pub arithmetic: String,
    /// Hours for a time line, đồng for a money line.
    pub amount: f64,
    pub unit: &'static str,
}

impl CostLine {
    fn hours(label: &'static str, arithmetic: String, hours: f64) -> CostLine {
        CostLine {
            label,
            arithmetic,
            amount: hours,
            unit: "giờ",
        }
    }

    fn money(label: &'static str, arithmetic: String, amount: i64) -> CostLine {
        CostLine {
            label,
            arithmetic,
            amount: amount as f64,
            unit: "đồng",
        }
    }

    /// "Chuẩn bị hồ sơ: 3 thành phần × 1 giờ = 3 giờ".
    pub fn text(&self) -> String {
        let amount = if self.unit == "đồng" {
            format_vnd(self.amount as i64)
        } else {
            format_hours(self.amount)
        };
        format!(
            "{}: {} = {} {}",
            self.label, self.arithmetic, amount, self.unit
        )
    }
}

/// The cost of one entry and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComplianceCost {
    pub hours: f64,
    pub per_execution: i64,
    pub per_year: i64,
    pub executions: u64,
    /// Whether the executions are the entry's dossiers of last year (else the default).
    pub executions_stated: bool,
    pub lines: Vec<CostLine>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Fee, ProcedureData};

    /// Worked by hand with the default parameters:
    /// - a dossier of 3 papers, one of them asked as 1 original + 1 copy, another as 2 copies
    ///   → preparing 3 × 1 h = 3 h;
    /// - tier 2 (information only) → 2 visits × 4 h = 8 h; collecting 1 h;
    /// - 3 + 8 + 1 = 12 h × 43,750 đ = 525,000 đ;
    /// - fee "Lệ phí: 50.000 đồng" → 50,000 đ; copies 1 + 2 = 3 × 2,000 đ = 6,000 đ;
    /// - one execution 525,000 + 50,000 + 6,000 = 581,000 đ;
    /// - 120 dossiers last year → 581,000 × 120 = 69,720,000 đ a year.
    ///
    /// At tier 4 the same entry: 3 h × 43,750 = 131,250 + 50,000 + 6,000 = 187,250 đ.
    #[test]
    fn the_cost_of_a_hand_worked_procedure_matches_the_arithmetic() {
        let mut procedure = ProcedureData {
            code: "1.000001".into(),
            dossier: "Tờ khai (01 bản chính); Bản sao giấy phép (01 bản chính và 01 bản sao); \
                      Bản vẽ (02 bản sao); 01 hồ sơ"
                .into(),
            fee: Fee::parse("Lệ phí: 50.000 đồng"),
            tier: Tier::new(2),
            dossiers_last_year: Some(120),
            ..ProcedureData::default()
        };
        let model = CostModel::default();
        let cost = model.cost(&procedure);
        assert_eq!(cost.hours, 12.0);
        assert_eq!(cost.per_execution, 581_000);
        assert_eq!(cost.per_year, 69_720_000);
        let texts: Vec<String> = cost.lines.iter().map(CostLine::text).collect();
        assert_eq!(texts[0], "Chuẩn bị hồ sơ: 3 thành phần × 1 giờ = 3 giờ");
        assert_eq!(
            texts[3],
            "Thời gian quy ra tiền: 12 giờ × 43.750 đồng/giờ = 525.000 đồng"
        );
        assert_eq!(
            texts.last().unwrap(),
            "Một năm: 581.000 đồng × 120 lần (số hồ sơ năm trước) = 69.720.000 đồng"
        );

        procedure.tier = Tier::new(4);
        assert_eq!(model.cost(&procedure).per_execution, 187_250);

        // Parameters come from the stored setting; one left out keeps its default.
        let stored = r#"{"income_per_hour": {"value": 50000, "source": "Sở Nội vụ 2026"}}"#;
        let model = CostModel::from_setting(Some(stored));
        assert_eq!(model.income_per_hour.source, "Sở Nội vụ 2026");
        assert_eq!(model.hours_per_visit, CostModel::default().hours_per_visit);
        procedure.tier = Tier::new(2);
        assert_eq!(model.cost(&procedure).per_execution, 12 * 50_000 + 56_000);
    }
}
