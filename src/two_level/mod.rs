//! The move to two-level local government (1 July 2025): every district procedure goes to
//! the commune or the province, is merged into the same procedure already there, or is
//! abolished. [`plan`] proposes, by the [`LevelRules`], where each goes; the officer overrides
//! any row; [`MigrationPlan::changes`] is the one batch that does it all, with the catalogue's
//! switch to the two-level model, so one undo restores the three-level catalogue.

pub mod rules;

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::Serialize;

pub use rules::{Criterion, Destination, LevelRule, LevelRules, RulesError};

use crate::audit::duplicates::province_suffix;
use crate::domain::government::GovernmentModel;
use crate::domain::{Level, Procedure, ProcedureData, national_code};
use crate::store::{AppliedBatch, Catalogue, Change, StoreError};

/// Key of the setting that keeps a catalogue's own rules (as CSV text).
pub const RULES_SETTING: &str = "two_level_rules";

/// What becomes of one district entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    /// To another level, carried out there by `agency`.
    Move { level: Level, agency: String },
    /// Into the same procedure already at the target level: the district entry is retired.
    Merge { into: i64 },
    /// Retired: the procedure no longer exists.
    Abolish,
}

impl Outcome {
    pub fn key(&self) -> &'static str {
        match self {
            Outcome::Move {
                level: Level::Province,
                ..
            } => "to_province",
            Outcome::Move { .. } => "to_commune",
            Outcome::Merge { .. } => "merge",
            Outcome::Abolish => "abolish",
        }
    }

    pub fn label_vi(&self) -> &'static str {
        match self {
            Outcome::Move {
                level: Level::Province,
                ..
            } => "Chuyển lên cấp tỉnh",
            Outcome::Move { .. } => "Chuyển về cấp xã",
            Outcome::Merge { .. } => "Gộp vào thủ tục đã có",
            Outcome::Abolish => "Bãi bỏ",
        }
    }
}

/// The entry already at the target level with the same national code (in the same province).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Counterpart {
    #[serde(skip)]
    pub procedure_id: i64,
    pub code: String,
    pub level: Level,
    pub name: String,
}

/// One district entry and what becomes of it.
#[derive(Clone, Debug, PartialEq)]
pub struct MigrationRow {
    pub procedure_id: i64,
    /// The entry as read: the base of its edit, so a change made meanwhile by someone else
    /// is a conflict, not overwritten.
    pub data: ProcedureData,
    /// The rule that proposed it (index into the rules), `None` when no rule matched.
    pub rule: Option<usize>,
    pub proposed: Outcome,
    /// The same procedure at each other level, when there is one.
    pub counterparts: Vec<Counterpart>,
    /// What the officer chose; the proposal unless overridden.
    pub chosen: Outcome,
}

impl MigrationRow {
    pub fn is_overridden(&self) -> bool {
        self.chosen != self.proposed
    }

    /// The counterpart at `level`, if any.
    pub fn counterpart_at(&self, level: Level) -> Option<&Counterpart> {
        self.counterparts.iter().find(|c| c.level == level)
    }

    /// Whether the chosen outcome can be written: a move onto a code already at that level
    /// cannot (the catalogue holds a code once per level), nor a merge into nothing.
    pub fn problem(&self) -> Option<String> {
        match &self.chosen {
            Outcome::Move { level, .. } => self
                .counterpart_at(*level)
                .filter(|c| c.code == self.data.code)
                .map(|c| {
                    format!(
                        "{} đã có ở {}: gộp vào thủ tục đó hoặc bãi bỏ",
                        c.code,
                        c.level.label_vi().to_lowercase()
                    )
                }),
            Outcome::Merge { into } => (!self.counterparts.iter().any(|c| c.procedure_id == *into))
                .then(|| "không có thủ tục cùng mã ở cấp đích để gộp vào".to_owned()),
            Outcome::Abolish => None,
        }
    }

    /// Every outcome the officer may choose for this row.
    pub fn choices(&self, rules: &LevelRules) -> Vec<Outcome> {
        let agency_for = |level: Level| {
            rules
                .rules
                .iter()
                .find(|r| r.destination.level() == Some(level) && !r.agency.is_empty())
                .map(|r| r.agency.clone())
                .unwrap_or_else(|| self.data.agency.clone())
        };
        let mut choices = Vec::new();
        for level in [Level::Commune, Level::Province] {
            let outcome = match &self.proposed {
                Outcome::Move { level: l, agency } if *l == level => Outcome::Move {
                    level,
                    agency: agency.clone(),
                },
                _ => Outcome::Move {
                    level,
                    agency: agency_for(level),
                },
            };
            choices.push(outcome);
        }
        choices.extend(self.counterparts.iter().map(|c| Outcome::Merge {
            into: c.procedure_id,
        }));
        choices.push(Outcome::Abolish);
        choices
    }
}

/// How many district entries go each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeCounts {
    pub to_commune: usize,
    pub to_province: usize,
    pub merged: usize,
    pub abolished: usize,
}

impl OutcomeCounts {
    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Move {
                level: Level::Province,
                ..
            } => self.to_province += 1,
            Outcome::Move { .. } => self.to_commune += 1,
            Outcome::Merge { .. } => self.merged += 1,
            Outcome::Abolish => self.abolished += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.to_commune + self.to_province + self.merged + self.abolished
    }
}

/// Every district entry of the working copy and what becomes of it, sorted by field, then
/// code.
#[derive(Clone, Debug, PartialEq)]
pub struct MigrationPlan {
    /// The model before: the plan switches a three-level catalogue to two levels.
    pub model_before: GovernmentModel,
    pub rules: LevelRules,
    pub rows: Vec<MigrationRow>,
}

/// A plan that cannot be written: which rows and why.
#[derive(Debug)]
pub enum MigrationError {
    Rows(Vec<(String, String)>),
    Rules(RulesError),
    Store(StoreError),
}

impl fmt::Display for MigrationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MigrationError::Rows(rows) => {
                write!(
                    f,
                    "{} district procedures cannot go where chosen:",
                    rows.len()
                )?;
                for (code, problem) in rows.iter().take(10) {
                    write!(f, "\n  {code}: {problem}")?;
                }
                if rows.len() > 10 {
                    write!(f, "\n  … and {} more", rows.len() - 10)?;
                }
                Ok(())
            }
            MigrationError::Rules(error) => write!(f, "the level rules cannot be read: {error}"),
            MigrationError::Store(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for MigrationError {}

impl From<StoreError> for MigrationError {
    fn from(error: StoreError) -> Self {
        MigrationError::Store(error)
    }
}

impl MigrationPlan {
    pub fn counts(&self) -> OutcomeCounts {
        let mut counts = OutcomeCounts::default();
        for row in &self.rows {
            counts.add(&row.chosen);
        }
        counts
    }

    /// Counts per field, fields in order.
    pub fn by_field(&self) -> BTreeMap<&str, OutcomeCounts> {
        let mut fields: BTreeMap<&str, OutcomeCounts> = BTreeMap::new();
        for row in &self.rows {
            fields
                .entry(row.data.field.as_str())
                .or_default()
                .add(&row.chosen);
        }
        fields
    }

    /// Rows with the same procedure already at another level.
    pub fn conflicts(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| !r.counterparts.is_empty())
            .count()
    }

    pub fn overridden(&self) -> usize {
        self.rows.iter().filter(|r| r.is_overridden()).count()
    }

    /// Chooses `outcome` for the entry `procedure_id` (the proposal again undoes an
    /// override). Returns whether the entry is in the plan.
    pub fn choose(&mut self, procedure_id: i64, outcome: Outcome) -> bool {
        match self
            .rows
            .iter_mut()
            .find(|r| r.procedure_id == procedure_id)
        {
            Some(row) => {
                row.chosen = outcome;
                true
            }
            None => false,
        }
    }

    /// The summary of its batch in the ledger.
    pub fn summary(&self) -> String {
        let counts = self.counts();
        format!(
            "chuyển sang chính quyền 2 cấp: {} thủ tục cấp huyện ({} về cấp xã, {} lên cấp tỉnh, {} gộp, {} bãi bỏ)",
            counts.total(),
            counts.to_commune,
            counts.to_province,
            counts.merged,
            counts.abolished
        )
    }

    /// The one batch that carries the plan out: each entry moved (its level and agency
    /// edited), merged or abolished (retired, with the reason), and the catalogue switched to
    /// two levels (kept as it is when already two-level). Refused, naming the rows, when a
    /// chosen outcome cannot be written.
    pub fn changes(&self) -> Result<Vec<Change>, MigrationError> {
        let problems: Vec<(String, String)> = self
            .rows
            .iter()
            .filter_map(|row| row.problem().map(|p| (row.data.code.clone(), p)))
            .collect();
        if !problems.is_empty() {
            return Err(MigrationError::Rows(problems));
        }
        let since = match self.model_before {
            GovernmentModel::TwoLevel { since } => since,
            GovernmentModel::ThreeLevel => GovernmentModel::TWO_LEVEL_START,
        };
        let mut changes = vec![Change::government(GovernmentModel::TwoLevel { since })];
        for row in &self.rows {
            changes.push(match &row.chosen {
                Outcome::Move { level, agency } => {
                    let mut data = row.data.clone();
                    data.level = Some(*level);
                    if !agency.trim().is_empty() {
                        data.agency = agency.trim().to_owned();
                    }
                    Change::Edit {
                        procedure_id: row.procedure_id,
                        base: Box::new(row.data.clone()),
                        data,
                    }
                }
                Outcome::Merge { into } => {
                    let target = row
                        .counterparts
                        .iter()
                        .find(|c| c.procedure_id == *into)
                        .map(|c| format!("{} ({})", c.code, c.level.label_vi().to_lowercase()))
                        .unwrap_or_default();
                    Change::Retire {
                        procedure_id: row.procedure_id,
                        reason: format!("Chính quyền địa phương 2 cấp: gộp vào thủ tục {target}"),
                        decision_number: String::new(),
                    }
                }
                Outcome::Abolish => Change::Retire {
                    procedure_id: row.procedure_id,
                    reason: "Chính quyền địa phương 2 cấp: bãi bỏ thủ tục cấp huyện".to_owned(),
                    decision_number: String::new(),
                },
            });
        }
        Ok(changes)
    }
}

/// Proposes where each district entry of `entries` goes. `others` are the entries at the
/// other levels: a district entry whose national code (in the same province, in a national
/// compilation) is already at its target level is proposed for a merge into it.
pub fn plan(
    model_before: GovernmentModel,
    rules: LevelRules,
    district: Vec<Procedure>,
    others: &[Counterpart],
) -> MigrationPlan {
    let multi_province = {
        let mut suffixes = others
            .iter()
            .map(|other| other.code.as_str())
            .chain(district.iter().map(|p| p.data.code.as_str()))
            .map(province_suffix)
            .filter(|s| !s.is_empty());
        suffixes
            .next()
            .is_some_and(|first| suffixes.any(|s| s != first))
    };
    let key = |code: &str| -> (String, String) {
        let suffix = if multi_province {
            province_suffix(code)
        } else {
            ""
        };
        (national_code(code).to_owned(), suffix.to_owned())
    };
    let mut by_key: HashMap<(String, String), Vec<&Counterpart>> = HashMap::new();
    for other in others.iter().filter(|o| o.level != Level::District) {
        by_key.entry(key(&other.code)).or_default().push(other);
    }
    let mut rows: Vec<MigrationRow> = district
        .into_iter()
        .map(|procedure| {
            let data = procedure.data;
            let mut counterparts: Vec<Counterpart> = by_key
                .get(&key(&data.code))
                .into_iter()
                .flatten()
                .map(|other| (*other).clone())
                .collect();
            // The exact code first, then by level and code: the first is the one merged into.
            counterparts.sort_by(|a, b| {
                (a.code != data.code, a.level, &a.code).cmp(&(
                    b.code != data.code,
                    b.level,
                    &b.code,
                ))
            });
            let rule = rules.first_match(&data.field, &data.agency, &data.name);
            let destination = rule.map_or(Destination::Commune, |i| rules.rules[i].destination);
            let proposed = match destination.level() {
                None => Outcome::Abolish,
                Some(level) => match counterparts.iter().find(|c| c.level == level) {
                    Some(counterpart) => Outcome::Merge {
                        into: counterpart.procedure_id,
                    },
                    None => Outcome::Move {
                        level,
                        agency: rule
                            .map(|i| rules.rules[i].agency.clone())
                            .filter(|a| !a.trim().is_empty())
                            .unwrap_or_else(|| data.agency.clone()),
                    },
                },
            };
            MigrationRow {
                procedure_id: procedure.procedure_id,
                rule,
                chosen: proposed.clone(),
                proposed,
                counterparts,
                data,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.data.field, &a.data.code, a.procedure_id).cmp(&(
            &b.data.field,
            &b.data.code,
            b.procedure_id,
        ))
    });
    MigrationPlan {
        model_before,
        rules,
        rows,
    }
}

/// The rules a catalogue keeps, or the defaults when it keeps none.
pub fn catalogue_rules(catalogue: &Catalogue) -> Result<LevelRules, MigrationError> {
    match catalogue.setting(RULES_SETTING)? {
        Some(text) => LevelRules::read_csv(&text).map_err(MigrationError::Rules),
        None => Ok(LevelRules::default()),
    }
}

/// The change that keeps `rules` in the catalogue (the defaults are not stored).
pub fn rules_change(rules: &LevelRules) -> Change {
    Change::Setting {
        key: RULES_SETTING.to_owned(),
        value: (*rules != LevelRules::default()).then(|| rules.to_csv()),
    }
}

/// Plans the move of the working copy's district entries with `rules`.
pub fn plan_catalogue(
    catalogue: &Catalogue,
    rules: LevelRules,
) -> Result<MigrationPlan, MigrationError> {
    let _snapshot = catalogue.read_snapshot()?;
    let model = catalogue.government()?;
    let district = catalogue.procedures_at(Level::District)?;
    let others: Vec<Counterpart> = catalogue
        .audit_keys(None)?
        .into_iter()
        .filter(|key| key.level != Level::District)
        .map(|key| Counterpart {
            procedure_id: key.procedure_id,
            code: key.code,
            level: key.level,
            name: key.name,
        })
        .collect();
    Ok(plan(model, rules, district, &others))
}

/// Writes the plan as one undoable batch (with `rules`, when they are not the catalogue's
/// yet, so the next plan starts from them).
pub fn apply(
    catalogue: &mut Catalogue,
    plan: &MigrationPlan,
) -> Result<AppliedBatch, MigrationError> {
    let mut changes = plan.changes()?;
    changes.push(rules_change(&plan.rules));
    let applied = catalogue.apply_changes(&plan.summary(), &changes)?;
    Ok(applied)
}

/// One row of the plan as the command line's JSON shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowReport {
    pub code: String,
    pub name: String,
    pub field: String,
    pub agency: String,
    /// `to_commune`, `to_province`, `merge`, `abolish`.
    pub outcome: &'static str,
    /// The level it goes to (none when abolished).
    pub level: Option<Level>,
    /// The agency there, for a move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agency_after: Option<String>,
    /// The entry it is merged into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub into: Option<Counterpart>,
    /// The rule that proposed it, as text (`Cơ quan thực hiện chứa «UBND cấp huyện»`).
    pub rule: String,
    pub overridden: bool,
}

/// Counts of one field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldReport {
    pub field: String,
    #[serde(flatten)]
    pub counts: OutcomeCounts,
}

/// The plan as the command line's JSON shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PlanReport {
    pub model_before: &'static str,
    pub model_after: &'static str,
    pub district: usize,
    pub counts: OutcomeCounts,
    pub conflicts: usize,
    pub overridden: usize,
    pub by_field: Vec<FieldReport>,
    pub rows: Vec<RowReport>,
}

impl LevelRule {
    /// `Cơ quan thực hiện chứa «UBND cấp huyện»`, or `Mọi thủ tục`.
    pub fn describe_vi(&self) -> String {
        match self.criterion {
            Criterion::Any => self.criterion.label_vi().to_owned(),
            criterion => format!("{} chứa «{}»", criterion.label_vi(), self.contains),
        }
    }
}

impl MigrationPlan {
    pub fn report(&self) -> PlanReport {
        PlanReport {
            model_before: self.model_before.key(),
            model_after: GovernmentModel::two_level().key(),
            district: self.rows.len(),
            counts: self.counts(),
            conflicts: self.conflicts(),
            overridden: self.overridden(),
            by_field: self
                .by_field()
                .into_iter()
                .map(|(field, counts)| FieldReport {
                    field: field.to_owned(),
                    counts,
                })
                .collect(),
            rows: self
                .rows
                .iter()
                .map(|row| {
                    let (level, agency_after, into) = match &row.chosen {
                        Outcome::Move { level, agency } => {
                            (Some(*level), Some(agency.clone()), None)
                        }
                        Outcome::Merge { into } => {
                            let counterpart =
                                row.counterparts.iter().find(|c| c.procedure_id == *into);
                            (counterpart.map(|c| c.level), None, counterpart.cloned())
                        }
                        Outcome::Abolish => (None, None, None),
                    };
                    RowReport {
                        code: row.data.code.clone(),
                        name: row.data.name.clone(),
                        field: row.data.field.clone(),
                        agency: row.data.agency.clone(),
                        outcome: row.chosen.key(),
                        level,
                        agency_after,
                        into,
                        rule: row
                            .rule
                            .map(|i| self.rules.rules[i].describe_vi())
                            .unwrap_or_default(),
                        overridden: row.is_overridden(),
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn district(id: i64, code: &str, agency: &str) -> Procedure {
        Procedure {
            procedure_id: id,
            data: ProcedureData {
                code: code.into(),
                name: format!("Thủ tục {code}"),
                level: Some(Level::District),
                field: "Hộ tịch".into(),
                agency: agency.into(),
                ..ProcedureData::default()
            },
            retired: None,
        }
    }

    fn at(id: i64, code: &str, level: Level) -> Counterpart {
        Counterpart {
            procedure_id: id,
            code: code.into(),
            level,
            name: String::new(),
        }
    }

    #[test]
    fn in_a_national_compilation_only_the_same_province_s_code_is_a_counterpart() {
        let plan = plan(
            GovernmentModel::ThreeLevel,
            LevelRules::default(),
            vec![
                district(1, "1.000001.000.00.00.H01", "UBND cấp huyện"),
                district(2, "1.000002.000.00.00.H01", "Thanh tra huyện"),
            ],
            &[
                // Another province's commune entry of the same procedure: not this one's.
                at(10, "1.000001.000.00.00.H02", Level::Commune),
                at(11, "1.000001.000.00.00.H01", Level::Commune),
                // At the province, where rule 1 does not send it: a counterpart, no merge.
                at(12, "1.000002.000.00.00.H01", Level::Commune),
            ],
        );
        let first = &plan.rows[0];
        assert_eq!(first.counterparts.len(), 1);
        assert_eq!(first.proposed, Outcome::Merge { into: 11 });
        let second = &plan.rows[1];
        assert_eq!(
            second.proposed,
            Outcome::Move {
                level: Level::Province,
                agency: "Thanh tra tỉnh".into()
            }
        );
        assert_eq!(second.counterparts.len(), 1);
        assert_eq!(plan.counts().merged, 1);
        assert_eq!(plan.counts().to_province, 1);
    }

    #[test]
    fn a_move_onto_the_same_code_is_refused_and_the_batch_switches_the_model_first() {
        let mut plan = plan(
            GovernmentModel::ThreeLevel,
            LevelRules::default(),
            vec![district(1, "1.000001", "UBND cấp huyện")],
            &[at(11, "1.000001", Level::Commune)],
        );
        let moved = plan.rows[0].choices(&plan.rules)[0].clone();
        assert!(plan.choose(1, moved));
        assert!(!plan.choose(99, Outcome::Abolish), "not in the plan");
        let Err(MigrationError::Rows(rows)) = plan.changes() else {
            panic!("a move onto the same code must be refused");
        };
        assert_eq!(rows[0].0, "1.000001");
        plan.choose(1, Outcome::Abolish);
        let changes = plan.changes().unwrap();
        assert_eq!(changes[0], Change::government(GovernmentModel::two_level()));
        assert!(matches!(
            changes[1],
            Change::Retire {
                procedure_id: 1,
                ..
            }
        ));
        assert_eq!(plan.overridden(), 1);
    }
}
