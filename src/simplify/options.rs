//! Simplification options (phương án đơn giản hóa): what is proposed for one procedure, why,
//! which legal text must change, who proposes it, and how far it got. Each is kept as a
//! setting of the catalogue (`option/<code>@<level>/<number>`, JSON), so recording, changing
//! and applying one is a ledger batch that undo covers, and a revision keeps the options it
//! was taken with.

use serde::{Deserialize, Serialize};

use crate::domain::{Level, Procedure, ProcedureData, ProcessingTime, Status, Tier};
use crate::store::Change;

/// Prefix of the settings that hold options.
pub const OPTION_PREFIX: &str = "option/";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptionKind {
    Abolish,
    MergeInto,
    CutTime,
    DropPapers,
    LowerFee,
    RemoveRequirement,
    HandDown,
    RaiseOnline,
}

impl OptionKind {
    pub const ALL: [OptionKind; 8] = [
        OptionKind::Abolish,
        OptionKind::MergeInto,
        OptionKind::CutTime,
        OptionKind::DropPapers,
        OptionKind::LowerFee,
        OptionKind::RemoveRequirement,
        OptionKind::HandDown,
        OptionKind::RaiseOnline,
    ];

    pub fn key(self) -> &'static str {
        match self {
            OptionKind::Abolish => "abolish",
            OptionKind::MergeInto => "merge_into",
            OptionKind::CutTime => "cut_time",
            OptionKind::DropPapers => "drop_papers",
            OptionKind::LowerFee => "lower_fee",
            OptionKind::RemoveRequirement => "remove_requirement",
            OptionKind::HandDown => "hand_down",
            OptionKind::RaiseOnline => "raise_online",
        }
    }

    pub fn parse(key: &str) -> Option<OptionKind> {
        let key = key.replace('-', "_");
        OptionKind::ALL.into_iter().find(|kind| kind.key() == key)
    }

    /// What the option does, in English (messages of the core).
    pub fn label_en(self) -> &'static str {
        match self {
            OptionKind::Abolish => "abolish the procedure",
            OptionKind::MergeInto => "merge it into another",
            OptionKind::CutTime => "cut the processing time",
            OptionKind::DropPapers => "drop dossier papers",
            OptionKind::LowerFee => "lower or drop the fee",
            OptionKind::RemoveRequirement => "remove a requirement",
            OptionKind::HandDown => "hand it down to another level",
            OptionKind::RaiseOnline => "raise it to a whole-process online service",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            OptionKind::Abolish => "Bãi bỏ thủ tục",
            OptionKind::MergeInto => "Gộp vào thủ tục khác",
            OptionKind::CutTime => "Cắt giảm thời gian giải quyết",
            OptionKind::DropPapers => "Bỏ, gộp thành phần hồ sơ",
            OptionKind::LowerFee => "Giảm, bỏ phí, lệ phí",
            OptionKind::RemoveRequirement => "Bỏ yêu cầu, điều kiện",
            OptionKind::HandDown => "Phân cấp, chuyển cấp thực hiện",
            OptionKind::RaiseOnline => "Nâng lên dịch vụ công trực tuyến toàn trình",
        }
    }
}

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum OptionState {
    #[default]
    Proposed,
    Accepted,
    Rejected,
    CarriedOut,
}

impl OptionState {
    pub const ALL: [OptionState; 4] = [
        OptionState::Proposed,
        OptionState::Accepted,
        OptionState::Rejected,
        OptionState::CarriedOut,
    ];

    pub fn key(self) -> &'static str {
        match self {
            OptionState::Proposed => "proposed",
            OptionState::Accepted => "accepted",
            OptionState::Rejected => "rejected",
            OptionState::CarriedOut => "carried_out",
        }
    }

    pub fn parse(key: &str) -> Option<OptionState> {
        let key = key.replace('-', "_");
        OptionState::ALL
            .into_iter()
            .find(|state| state.key() == key)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            OptionState::Proposed => "Đề xuất",
            OptionState::Accepted => "Được chấp thuận",
            OptionState::Rejected => "Không chấp thuận",
            OptionState::CarriedOut => "Đã thực hiện",
        }
    }
}

/// What the option changes in the entry (each `None`: left as it is).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Proposal {
    /// The processing time as it will be written ("10 ngày làm việc").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub processing_time: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fee: Option<String>,
    /// The dossier text without the papers dropped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dossier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirements: Option<String>,
    /// The dossier and the requirements as they were when the option was written: a text
    /// changed since is not overwritten by a proposal made on the old one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dossier_was: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirements_was: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<u8>,
    /// For a merge: the code of the procedure this one goes into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub into: Option<String>,
}

/// One option for one procedure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimplificationOption {
    /// Its number, unique in the catalogue.
    pub number: u32,
    pub code: String,
    pub level: Level,
    pub kind: OptionKind,
    #[serde(default)]
    pub proposal: Proposal,
    #[serde(default)]
    pub reason: String,
    /// The legal text that must change (điều, khoản, văn bản).
    #[serde(default)]
    pub legal_change: String,
    /// The agency proposing it.
    #[serde(default)]
    pub proposer: String,
    #[serde(default)]
    pub state: OptionState,
    #[serde(default)]
    pub recorded_by: String,
    #[serde(default)]
    pub recorded_at: String,
}

/// Why an option cannot be recorded or applied (in English, the core's wording; the window
/// says it in Vietnamese).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OptionError {
    #[error("an option to {0} must say {1}")]
    Incomplete(&'static str, &'static str),
    #[error("option {0} was already carried out")]
    AlreadyCarriedOut(u32),
    #[error("option {0} was rejected; set it to accepted or proposed before carrying it out")]
    Rejected(u32),
    #[error("\"{0}\" is not a processing time; write it like \"10 ngày làm việc\"")]
    UnreadableTime(String),
    #[error(
        "option {0} was written on another {1} than the procedure has now; record the option again on the current text"
    )]
    Outdated(u32, &'static str),
}

impl SimplificationOption {
    /// The setting key that holds it: sorted by procedure, then number.
    pub fn key(&self) -> String {
        format!(
            "{OPTION_PREFIX}{}@{}/{:06}",
            self.code,
            self.level.key(),
            self.number
        )
    }

    /// The change that records (or re-records) it.
    pub fn record(&self) -> Change {
        Change::Setting {
            key: self.key(),
            value: serde_json::to_string(self).ok(),
        }
    }

    /// The change that removes it.
    pub fn remove(&self) -> Change {
        Change::Setting {
            key: self.key(),
            value: None,
        }
    }

    pub fn from_setting(value: &str) -> Option<SimplificationOption> {
        serde_json::from_str(value).ok()
    }

    /// A short description of what it changes: "Thời hạn: 10 ngày làm việc".
    pub fn describe(&self) -> String {
        let proposal = &self.proposal;
        let mut parts = Vec::new();
        if let Some(time) = &proposal.processing_time {
            parts.push(format!("thời hạn: {time}"));
        }
        if let Some(fee) = &proposal.fee {
            parts.push(format!(
                "phí, lệ phí: {}",
                if fee.is_empty() { "bỏ" } else { fee }
            ));
        }
        if proposal.dossier.is_some() {
            parts.push("thành phần hồ sơ rút gọn".to_owned());
        }
        if proposal.requirements.is_some() {
            parts.push("yêu cầu, điều kiện rút gọn".to_owned());
        }
        if let Some(level) = proposal.level {
            parts.push(format!("chuyển về {}", level.label_vi().to_lowercase()));
        }
        if let Some(agency) = &proposal.agency {
            parts.push(format!("cơ quan thực hiện: {agency}"));
        }
        if let Some(tier) = proposal.tier.and_then(Tier::new) {
            parts.push(format!("mức {}: {}", tier.value(), tier.decree42_label()));
        }
        if let Some(into) = &proposal.into {
            parts.push(format!("gộp vào {into}"));
        }
        if parts.is_empty() {
            self.kind.label_vi().to_owned()
        } else {
            format!("{} — {}", self.kind.label_vi(), parts.join("; "))
        }
    }

    /// Whether it says what it changes (an option to cut time must say the new time …).
    pub fn check(&self) -> Result<(), OptionError> {
        let proposal = &self.proposal;
        let missing = match self.kind {
            OptionKind::Abolish | OptionKind::RaiseOnline => None,
            OptionKind::MergeInto => proposal
                .into
                .as_deref()
                .is_none_or(|into| into.trim().is_empty())
                .then_some("the code it goes into (--into)"),
            OptionKind::CutTime => match &proposal.processing_time {
                None => Some("the new processing time (--time)"),
                Some(text) => {
                    if ProcessingTime::parse(text, None)
                        .longest_working_days()
                        .is_none()
                    {
                        return Err(OptionError::UnreadableTime(text.clone()));
                    }
                    None
                }
            },
            OptionKind::DropPapers => proposal
                .dossier
                .is_none()
                .then_some("which papers go (--drop N)"),
            OptionKind::LowerFee => proposal.fee.is_none().then_some("the new fee (--fee)"),
            OptionKind::RemoveRequirement => proposal
                .requirements
                .is_none()
                .then_some("the requirements that remain (--requirements)"),
            OptionKind::HandDown => (proposal.level.is_none() && proposal.agency.is_none())
                .then_some("the new level or agency (--to-level, --agency)"),
        };
        match missing {
            Some(what) => Err(OptionError::Incomplete(self.kind.label_en(), what)),
            None => Ok(()),
        }
    }

    /// The changes that carry it out on `procedure` (as the officer read it), the option
    /// marked carried out in the same batch.
    pub fn apply(&self, procedure: &Procedure) -> Result<Vec<Change>, OptionError> {
        self.check()?;
        match self.state {
            OptionState::CarriedOut => return Err(OptionError::AlreadyCarriedOut(self.number)),
            OptionState::Rejected => return Err(OptionError::Rejected(self.number)),
            OptionState::Proposed | OptionState::Accepted => {}
        }
        let base = &procedure.data;
        let mut data: ProcedureData = base.clone();
        let proposal = &self.proposal;
        // A text proposal made on an older text would undo what changed since.
        if proposal
            .dossier_was
            .as_ref()
            .is_some_and(|was| *was != base.dossier)
        {
            return Err(OptionError::Outdated(self.number, "dossier"));
        }
        if proposal
            .requirements_was
            .as_ref()
            .is_some_and(|was| *was != base.requirements)
        {
            return Err(OptionError::Outdated(self.number, "requirements"));
        }
        let mut changes = Vec::new();
        let reason = if self.reason.trim().is_empty() {
            format!("phương án đơn giản hóa số {}", self.number)
        } else {
            format!(
                "phương án đơn giản hóa số {}: {}",
                self.number,
                self.reason.trim()
            )
        };
        match self.kind {
            OptionKind::Abolish | OptionKind::MergeInto => {
                if let Some(into) = &proposal.into {
                    data.status = Status::Replaced;
                    data.replaced_by = into.trim().to_owned();
                    changes.push(edit(procedure, data));
                }
                let reason = match &proposal.into {
                    Some(into) => format!("Gộp vào {} ({reason})", into.trim()),
                    None => format!("Bãi bỏ ({reason})"),
                };
                changes.push(Change::Retire {
                    procedure_id: procedure.procedure_id,
                    reason,
                    decision_number: String::new(),
                });
            }
            _ => {
                if let Some(time) = &proposal.processing_time {
                    data.processing_time = ProcessingTime::parse(time, None);
                }
                if let Some(fee) = &proposal.fee {
                    data.fee = crate::domain::Fee::parse(fee);
                }
                if let Some(dossier) = &proposal.dossier {
                    data.dossier = dossier.clone();
                }
                if let Some(requirements) = &proposal.requirements {
                    data.requirements = requirements.clone();
                }
                if let Some(level) = proposal.level {
                    data.level = Some(level);
                }
                if let Some(agency) = &proposal.agency {
                    data.agency = agency.clone();
                }
                if self.kind == OptionKind::RaiseOnline {
                    data.tier = Tier::new(proposal.tier.unwrap_or(4));
                } else if let Some(tier) = proposal.tier.and_then(Tier::new) {
                    data.tier = Some(tier);
                }
                changes.push(edit(procedure, data));
            }
        }
        let mut done = self.clone();
        done.state = OptionState::CarriedOut;
        // A level moved: the option follows the entry to its new key.
        if let Some(level) = proposal.level
            && level != self.level
        {
            changes.push(self.remove());
            done.level = level;
        }
        changes.push(done.record());
        Ok(changes)
    }
}

fn edit(procedure: &Procedure, data: ProcedureData) -> Change {
    Change::Edit {
        procedure_id: procedure.procedure_id,
        base: Box::new(procedure.data.clone()),
        data,
    }
}

/// Reads options from settings (key, JSON), sorted by key; unreadable values are skipped and
/// counted.
pub fn read_options(settings: &[(String, String)]) -> (Vec<SimplificationOption>, usize) {
    let mut unreadable = 0;
    let mut options: Vec<SimplificationOption> = settings
        .iter()
        .filter(|(key, _)| key.starts_with(OPTION_PREFIX))
        .filter_map(|(_, value)| {
            let option = SimplificationOption::from_setting(value);
            if option.is_none() {
                unreadable += 1;
            }
            option
        })
        .collect();
    options.sort_by(|a, b| (&a.code, a.level, a.number).cmp(&(&b.code, b.level, b.number)));
    (options, unreadable)
}

/// The number a new option takes.
pub fn next_number(options: &[SimplificationOption]) -> u32 {
    options
        .iter()
        .map(|option| option.number)
        .max()
        .unwrap_or(0)
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn procedure() -> Procedure {
        Procedure {
            procedure_id: 7,
            data: ProcedureData {
                code: "1.000001".into(),
                name: "Cấp phép".into(),
                level: Some(Level::District),
                processing_time: ProcessingTime::parse("20 ngày làm việc", None),
                ..ProcedureData::default()
            },
            retired: None,
        }
    }

    fn option(kind: OptionKind, proposal: Proposal) -> SimplificationOption {
        SimplificationOption {
            number: 3,
            code: "1.000001".into(),
            level: Level::District,
            kind,
            proposal,
            reason: "thủ tục ít phát sinh".into(),
            legal_change: "Điều 5 Quyết định 12/2016/QĐ-UBND".into(),
            proposer: "Sở Tư pháp".into(),
            state: OptionState::Proposed,
            recorded_by: String::new(),
            recorded_at: String::new(),
        }
    }

    #[test]
    fn an_option_says_what_it_changes_and_applies_as_edits_with_its_state_in_one_batch() {
        let cut = option(
            OptionKind::CutTime,
            Proposal {
                processing_time: Some("12 ngày làm việc".into()),
                ..Proposal::default()
            },
        );
        assert_eq!(cut.key(), "option/1.000001@district/000003");
        let changes = cut.apply(&procedure()).unwrap();
        assert_eq!(changes.len(), 2);
        let Change::Edit { data, .. } = &changes[0] else {
            panic!("an edit first: {changes:?}")
        };
        assert_eq!(data.processing_time.longest_working_days(), Some(12.0));
        let Change::Setting {
            value: Some(json), ..
        } = &changes[1]
        else {
            panic!("then the option: {changes:?}")
        };
        let done = SimplificationOption::from_setting(json).unwrap();
        assert_eq!(done.state, OptionState::CarriedOut);
        assert_eq!(
            done.apply(&procedure()),
            Err(OptionError::AlreadyCarriedOut(3))
        );

        // Incomplete options are refused with what they lack.
        let bare = option(OptionKind::CutTime, Proposal::default());
        assert!(matches!(bare.check(), Err(OptionError::Incomplete(..))));
        let unreadable = option(
            OptionKind::CutTime,
            Proposal {
                processing_time: Some("sớm".into()),
                ..Proposal::default()
            },
        );
        assert!(matches!(
            unreadable.check(),
            Err(OptionError::UnreadableTime(_))
        ));

        // A merge marks the entry replaced by its target, then retires it.
        let merge = option(
            OptionKind::MergeInto,
            Proposal {
                into: Some("1.000002".into()),
                ..Proposal::default()
            },
        );
        let changes = merge.apply(&procedure()).unwrap();
        assert!(matches!(&changes[0], Change::Edit { data, .. } if data.replaced_by == "1.000002"));
        assert!(
            matches!(&changes[1], Change::Retire { reason, .. } if reason.starts_with("Gộp vào 1.000002"))
        );

        // Handed down to the commune: the option moves with the entry's key.
        let down = option(
            OptionKind::HandDown,
            Proposal {
                level: Some(Level::Commune),
                agency: Some("UBND cấp xã".into()),
                ..Proposal::default()
            },
        );
        let changes = down.apply(&procedure()).unwrap();
        assert!(matches!(&changes[1], Change::Setting { key, value: None } if key == &down.key()));
        assert!(
            matches!(&changes[2], Change::Setting { key, .. } if key == "option/1.000001@commune/000003")
        );
    }

    #[test]
    fn a_text_proposal_made_on_an_older_text_is_refused_not_applied_over_it() {
        let mut procedure = procedure();
        procedure.data.dossier = "Tờ khai (01 bản chính); Bản sao (01 bản sao)".into();
        let drop = option(
            OptionKind::DropPapers,
            Proposal {
                dossier: Some("Tờ khai (01 bản chính)".into()),
                dossier_was: Some(procedure.data.dossier.clone()),
                ..Proposal::default()
            },
        );
        assert!(drop.apply(&procedure).is_ok());
        // A colleague added a paper since: carrying out the old proposal would drop it too.
        procedure.data.dossier.push_str("; Ảnh (02 bản chính)");
        assert_eq!(
            drop.apply(&procedure),
            Err(OptionError::Outdated(3, "dossier"))
        );
    }

    #[test]
    fn options_read_back_sorted_and_bad_values_are_counted() {
        let a = option(OptionKind::Abolish, Proposal::default());
        let mut b = a.clone();
        b.number = 1;
        let settings = vec![
            (a.key(), serde_json::to_string(&a).unwrap()),
            ("option/x".to_owned(), "{".to_owned()),
            (b.key(), serde_json::to_string(&b).unwrap()),
            ("cost_model".to_owned(), "{}".to_owned()),
        ];
        let (options, unreadable) = read_options(&settings);
        assert_eq!(options.iter().map(|o| o.number).collect::<Vec<_>>(), [1, 3]);
        assert_eq!(unreadable, 1);
        assert_eq!(next_number(&options), 4);
        assert_eq!(OptionKind::parse("cut-time"), Some(OptionKind::CutTime));
    }
}
