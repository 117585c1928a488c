//! The savings of a simplification between two sides of a catalogue (a published revision
//! and the working copy, two revisions, or two files): per procedure and in total, by level
//! and by field — procedures before and after (abolished, merged, simplified), processing
//! days, dossier papers, fees, compliance cost per execution and per year, online services by
//! kind — each as amounts and a rate, set against its target.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasherDefault;

use serde::Serialize;

use super::cost::{CostInput, CostModel, OnlineKind, PARAMETERS};
use super::dossier::Dossier;
use super::options::SimplificationOption;
use super::targets::Targets;
use crate::distinct::{Distinct, QuickHasher, QuickMap};
use crate::domain::{Fee, Level, ProcessingTime, Tier};
use crate::store::{MeasureRow, MeasureRows};
use crate::text::collation_key;

/// What one entry measures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Measures {
    /// The longest processing time in working days (`None`: not readable).
    pub processing_days: Option<f64>,
    /// Fees and charges of one execution (`None`: not readable).
    pub fee_vnd: Option<i64>,
    pub papers: u32,
    pub copies: u32,
    pub online: OnlineKind,
    pub cost_per_execution: i64,
    pub cost_per_year: i64,
}

/// What became of a procedure between the sides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Abolished,
    /// Retired into another procedure (replaced or merged).
    Merged,
    Simplified,
    /// Moved to another level (the two-level reform, a hand-down), simplified or not.
    Moved,
    Added,
}

impl Outcome {
    pub fn label_vi(self) -> &'static str {
        match self {
            Outcome::Abolished => "Bãi bỏ",
            Outcome::Merged => "Gộp, thay thế",
            Outcome::Simplified => "Đơn giản hóa",
            Outcome::Moved => "Chuyển cấp",
            Outcome::Added => "Công bố mới",
        }
    }
}

/// One procedure the report lists.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SavingsRow {
    pub code: String,
    pub level: Level,
    /// The level after, when it moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_level: Option<Level>,
    pub name: String,
    pub field: String,
    pub outcome: Outcome,
    /// For a merged entry: the code it went into.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub into: String,
    pub before: Option<Measures>,
    pub after: Option<Measures>,
    /// The options recorded for it, described.
    pub options: Vec<String>,
    /// The reasons of those options.
    pub reasons: Vec<String>,
}

impl SavingsRow {
    /// Yearly compliance cost saved (negative: it grew).
    pub fn cost_per_year_saved(&self) -> i64 {
        self.before.map_or(0, |m| m.cost_per_year) - self.after.map_or(0, |m| m.cost_per_year)
    }

    pub fn days_saved(&self) -> f64 {
        self.before.and_then(|m| m.processing_days).unwrap_or(0.0)
            - self.after.and_then(|m| m.processing_days).unwrap_or(0.0)
    }
}

/// Sums over a group of entries, before and after.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Tally {
    pub procedures_before: u64,
    pub procedures_after: u64,
    pub abolished: u64,
    pub merged: u64,
    pub simplified: u64,
    pub moved: u64,
    pub added: u64,
    pub days_before: f64,
    pub days_after: f64,
    /// The days summed in hundredths, exactly: the same total whatever the order of the
    /// entries (a sum of fractions of days in floating point is not).
    #[serde(skip)]
    centidays_before: i64,
    #[serde(skip)]
    centidays_after: i64,
    pub papers_before: u64,
    pub papers_after: u64,
    pub fees_before: i64,
    pub fees_after: i64,
    pub cost_per_execution_before: i64,
    pub cost_per_execution_after: i64,
    pub cost_per_year_before: i64,
    pub cost_per_year_after: i64,
    /// Entries by online kind, before and after.
    pub online_before: BTreeMap<OnlineKind, u64>,
    pub online_after: BTreeMap<OnlineKind, u64>,
}

/// Processing days in hundredths of a day.
fn centidays(days: Option<f64>) -> i64 {
    (days.unwrap_or(0.0) * 100.0).round() as i64
}

impl Tally {
    fn add_before(&mut self, measures: &Measures) {
        self.procedures_before += 1;
        self.centidays_before += centidays(measures.processing_days);
        self.days_before = self.centidays_before as f64 / 100.0;
        self.papers_before += u64::from(measures.papers);
        self.fees_before += measures.fee_vnd.unwrap_or(0);
        self.cost_per_execution_before += measures.cost_per_execution;
        self.cost_per_year_before += measures.cost_per_year;
        *self.online_before.entry(measures.online).or_default() += 1;
    }

    fn add_after(&mut self, measures: &Measures) {
        self.procedures_after += 1;
        self.centidays_after += centidays(measures.processing_days);
        self.days_after = self.centidays_after as f64 / 100.0;
        self.papers_after += u64::from(measures.papers);
        self.fees_after += measures.fee_vnd.unwrap_or(0);
        self.cost_per_execution_after += measures.cost_per_execution;
        self.cost_per_year_after += measures.cost_per_year;
        *self.online_after.entry(measures.online).or_default() += 1;
    }

    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Abolished => self.abolished += 1,
            Outcome::Merged => self.merged += 1,
            Outcome::Simplified => self.simplified += 1,
            Outcome::Moved => self.moved += 1,
            Outcome::Added => self.added += 1,
        }
    }

    /// Each measure with its reduction and rate, and its target where there is one.
    pub fn measures(&self, targets: &Targets) -> Vec<MeasureSummary> {
        let target =
            |sourced: &super::sourced::Sourced| Some((sourced.value, sourced.source.clone()));
        vec![
            MeasureSummary::new(
                "procedures",
                "Số thủ tục hành chính",
                "thủ tục",
                self.procedures_before as f64,
                self.procedures_after as f64,
                target(&targets.procedures),
            ),
            MeasureSummary::new(
                "processing_days",
                "Tổng thời gian giải quyết",
                "ngày làm việc",
                self.days_before,
                self.days_after,
                target(&targets.processing_days),
            ),
            MeasureSummary::new(
                "dossier_components",
                "Tổng số thành phần hồ sơ",
                "thành phần",
                self.papers_before as f64,
                self.papers_after as f64,
                None,
            ),
            MeasureSummary::new(
                "fees",
                "Tổng phí, lệ phí một lần thực hiện",
                "đồng",
                self.fees_before as f64,
                self.fees_after as f64,
                None,
            ),
            MeasureSummary::new(
                "compliance_cost_per_execution",
                "Chi phí tuân thủ một lần thực hiện (tổng)",
                "đồng",
                self.cost_per_execution_before as f64,
                self.cost_per_execution_after as f64,
                target(&targets.compliance_cost),
            ),
            MeasureSummary::new(
                "compliance_cost_per_year",
                "Chi phí tuân thủ một năm",
                "đồng",
                self.cost_per_year_before as f64,
                self.cost_per_year_after as f64,
                target(&targets.compliance_cost),
            ),
        ]
    }
}

/// One measure before and after, its reduction and whether it meets its target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeasureSummary {
    pub measure: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub before: f64,
    pub after: f64,
    pub reduction: f64,
    /// The reduction over the amount before (0 when there was nothing before).
    pub rate: f64,
    /// The least reduction asked for, in percent.
    pub target: Option<f64>,
    pub target_source: Option<String>,
    pub met: Option<bool>,
}

impl MeasureSummary {
    fn new(
        measure: &'static str,
        label: &'static str,
        unit: &'static str,
        before: f64,
        after: f64,
        target: Option<(f64, String)>,
    ) -> MeasureSummary {
        let reduction = before - after;
        let rate = if before > 0.0 {
            reduction / before
        } else {
            0.0
        };
        // Rates compared in tenths of a percent, as printed: 30,0% meets 30%.
        let met = target
            .as_ref()
            .map(|(percent, _)| (rate * 1000.0).round() >= (percent * 10.0).round());
        MeasureSummary {
            measure,
            label,
            unit,
            before,
            after,
            reduction,
            rate,
            target: target.as_ref().map(|(percent, _)| *percent),
            target_source: target.map(|(_, source)| source),
            met,
        }
    }
}

/// A cost model parameter as the report states it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatedParameter {
    pub key: &'static str,
    pub label: &'static str,
    pub value: f64,
    pub unit: &'static str,
    pub source: String,
}

/// A group's tally with its measures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupSavings<K> {
    #[serde(flatten)]
    pub key: K,
    pub tally: Tally,
    pub measures: Vec<MeasureSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct LevelKey {
    pub level: Level,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FieldKey {
    pub field: String,
}

/// An option as the report lists it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ListedOption {
    pub number: u32,
    pub code: String,
    pub level: Level,
    pub kind: &'static str,
    pub state: &'static str,
    pub description: String,
    pub reason: String,
    pub legal_change: String,
    pub proposer: String,
}

/// The whole report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SavingsReport {
    pub old: String,
    pub new: String,
    pub totals: Tally,
    pub measures: Vec<MeasureSummary>,
    pub by_level: Vec<GroupSavings<LevelKey>>,
    pub by_field: Vec<GroupSavings<FieldKey>>,
    pub parameters: Vec<StatedParameter>,
    pub rows: Vec<SavingsRow>,
    pub options: Vec<ListedOption>,
}

/// The two sides' entries and what is known beside them.
pub struct SavingsInput<'a> {
    /// Every stored entry of both sides, once, with their texts.
    pub rows: &'a MeasureRows,
    /// Each of `rows` measured ([`measure_all`]).
    pub measures: &'a [Measures],
    pub old_name: String,
    pub new_name: String,
    /// Each side's entries: indexes into `rows`.
    pub old: &'a [u32],
    pub new: &'a [u32],
    /// (old code, level) → the code that replaced it, from the new side's retirements.
    pub replacements: &'a HashMap<(String, Level), String>,
    /// The new side's options.
    pub options: &'a [SimplificationOption],
    pub model: &'a CostModel,
    pub targets: &'a Targets,
}

/// What is read of a text once for all the entries that share it.
struct Read {
    days: Vec<Option<f64>>,
    fees: Vec<(Option<i64>, bool)>,
    papers: Vec<(u32, u32)>,
}

/// Every row measured, in order: each distinct processing time, fee and dossier text read
/// once, on every core (a national catalogue repeats them), then each entry's cost from
/// those and its own tier and dossiers.
pub fn measure_all(model: &CostModel, rows: &MeasureRows) -> Vec<Measures> {
    measure_rest(model, rows, Vec::new())
}

/// [`measure_all`] of the rows after the first `measured.len()`, whose measures are known
/// (the dashboard's working copy, before the publication's rows join it): all of them.
pub fn measure_rest(
    model: &CostModel,
    rows: &MeasureRows,
    mut measured: Vec<Measures>,
) -> Vec<Measures> {
    let rest = rows.rows.get(measured.len()..).unwrap_or_default();
    let (mut times, mut fees, mut dossiers) = (
        Distinct::default(),
        Distinct::default(),
        Distinct::default(),
    );
    let which: Vec<(u32, u32, u32)> = rest
        .iter()
        .map(|row| {
            (
                times.number(row.processing_time),
                fees.number(row.fee),
                dossiers.number(row.dossier),
            )
        })
        .collect();
    let text = |number: &u32| rows.text(*number);
    let read = Read {
        days: crate::parallel::map(times.values(), |time| {
            ProcessingTime::parse(text(time), None).longest_working_days()
        }),
        fees: crate::parallel::map(fees.values(), |fee| {
            let fee = Fee::parse(text(fee));
            (fee.total_vnd(), !fee.is_empty())
        }),
        papers: crate::parallel::map(dossiers.values(), |dossier| {
            Dossier::parse(text(dossier)).costed_counts()
        }),
    };
    let new = rest.iter().zip(which).map(|(row, (time, fee, dossier))| {
        let (fee_vnd, fee_stated) = read.fees[fee as usize];
        let (papers, copies) = read.papers[dossier as usize];
        let tier = row.tier.and_then(Tier::new);
        let cost = model.figures(&CostInput {
            papers,
            copies,
            tier,
            fee_vnd,
            fee_stated,
            executions: row.dossiers_last_year,
        });
        Measures {
            processing_days: read.days[time as usize],
            fee_vnd,
            papers,
            copies,
            online: cost.kind,
            cost_per_execution: cost.per_execution,
            cost_per_year: cost.per_year,
        }
    });
    measured.extend(new);
    measured
}

/// Whether `after` is simpler than `before` in any measure.
fn simpler(before: &Measures, after: &Measures) -> bool {
    let less = |a: Option<f64>, b: Option<f64>| matches!((a, b), (Some(a), Some(b)) if b < a);
    less(before.processing_days, after.processing_days)
        || less(
            before.fee_vnd.map(|fee| fee as f64),
            after.fee_vnd.map(|fee| fee as f64),
        )
        || after.papers < before.papers
        || after.online > before.online
        || after.cost_per_execution < before.cost_per_execution
}

pub fn report(input: &SavingsInput<'_>) -> SavingsReport {
    let (pool, measured) = (input.rows, input.measures);
    let entry = |index: u32| (&pool.rows[index as usize], measured[index as usize]);
    let text = |number: u32| pool.text(number);

    // Keys are the code's number in the texts: equal codes, equal numbers.
    let new_index: QuickMap<(u32, Level), usize> = input
        .new
        .iter()
        .enumerate()
        .map(|(index, &row)| {
            let (row, _) = entry(row);
            ((row.code, row.level), index)
        })
        .collect();
    let old_keys: HashSet<(u32, Level), BuildHasherDefault<QuickHasher>> = input
        .old
        .iter()
        .map(|&row| {
            let (row, _) = entry(row);
            (row.code, row.level)
        })
        .collect();
    // A code on one level only before and another only after: the entry moved. Only the
    // entries new at their level can be where one moved to.
    let mut new_by_code: QuickMap<u32, Vec<usize>> = QuickMap::default();
    for (index, &row) in input.new.iter().enumerate() {
        let (row, _) = entry(row);
        if !old_keys.contains(&(row.code, row.level)) {
            new_by_code.entry(row.code).or_default().push(index);
        }
    }

    let options_by_key = options_by_key(input.options);
    let mut totals = Tally::default();
    let mut by_level: BTreeMap<Level, Tally> = BTreeMap::new();
    let mut by_field: QuickMap<u32, Tally> = QuickMap::default();
    let mut rows = Vec::new();
    let mut matched_new = vec![false; input.new.len()];
    let listed = |old: &MeasureRow, outcome, before, after, into, new_level| {
        let code = text(old.code);
        let (options, reasons) = described(&options_by_key, code, &[Some(old.level), new_level]);
        SavingsRow {
            code: code.to_owned(),
            level: old.level,
            new_level,
            name: text(old.name).to_owned(),
            field: text(old.field).to_owned(),
            outcome,
            into,
            before,
            after,
            options,
            reasons,
        }
    };

    for &old_row in input.old {
        let (old, before) = entry(old_row);
        let counterpart = new_index.get(&(old.code, old.level)).copied().or_else(|| {
            new_by_code.get(&old.code).and_then(|candidates| {
                candidates
                    .iter()
                    .copied()
                    .find(|&index| !matched_new[index])
            })
        });
        for tally in [
            &mut totals,
            by_level.entry(old.level).or_default(),
            by_field.entry(old.field).or_default(),
        ] {
            tally.add_before(&before);
        }
        let (outcome, after, into, new_level) = match counterpart {
            Some(new_index) => {
                matched_new[new_index] = true;
                let (new, after) = entry(input.new[new_index]);
                let moved = new.level != old.level;
                let outcome = if moved {
                    Some(Outcome::Moved)
                } else if old.content.is_some() && old.content == new.content {
                    None
                } else if simpler(&before, &after) {
                    Some(Outcome::Simplified)
                } else {
                    None
                };
                (
                    outcome,
                    Some(after),
                    String::new(),
                    moved.then_some(new.level),
                )
            }
            None => match input
                .replacements
                .get(&(text(old.code).to_owned(), old.level))
            {
                Some(into) => (Some(Outcome::Merged), None, into.clone(), None),
                None => (Some(Outcome::Abolished), None, String::new(), None),
            },
        };
        let Some(outcome) = outcome else {
            continue;
        };
        for tally in [
            &mut totals,
            by_level.entry(old.level).or_default(),
            by_field.entry(old.field).or_default(),
        ] {
            tally.count(outcome);
        }
        rows.push(listed(old, outcome, Some(before), after, into, new_level));
    }

    for (index, &new_row) in input.new.iter().enumerate() {
        let (new, after) = entry(new_row);
        for tally in [
            &mut totals,
            by_level.entry(new.level).or_default(),
            by_field.entry(new.field).or_default(),
        ] {
            tally.add_after(&after);
            if !matched_new[index] {
                tally.count(Outcome::Added);
            }
        }
        if !matched_new[index] {
            rows.push(listed(
                new,
                Outcome::Added,
                None,
                Some(after),
                String::new(),
                None,
            ));
        }
    }
    let by_field = sorted_fields(
        by_field
            .into_iter()
            .map(|(field, tally)| (text(field).to_owned(), tally))
            .collect(),
    );
    // Published order: level, then field as Vietnamese sorts it, then code.
    let field_rank: QuickMap<&str, usize> = by_field
        .iter()
        .enumerate()
        .map(|(rank, (field, _))| (field.as_str(), rank))
        .collect();
    let mut keyed: Vec<((Level, usize), SavingsRow)> = rows
        .into_iter()
        .map(|row| {
            // Every listed entry's field was tallied: it has a rank.
            let rank = field_rank.get(row.field.as_str()).copied();
            ((row.level, rank.unwrap_or(usize::MAX)), row)
        })
        .collect();
    keyed.sort_by(|(a_key, a), (b_key, b)| a_key.cmp(b_key).then_with(|| a.code.cmp(&b.code)));
    let rows = keyed.into_iter().map(|(_, row)| row).collect();

    let targets = input.targets;
    let group = |tally: Tally| (tally.measures(targets), tally);
    SavingsReport {
        old: input.old_name.clone(),
        new: input.new_name.clone(),
        measures: totals.measures(targets),
        totals,
        by_level: by_level
            .into_iter()
            .map(|(level, tally)| {
                let (measures, tally) = group(tally);
                GroupSavings {
                    key: LevelKey { level },
                    tally,
                    measures,
                }
            })
            .collect(),
        by_field: by_field
            .into_iter()
            .map(|(field, tally)| {
                let (measures, tally) = group(tally);
                GroupSavings {
                    key: FieldKey { field },
                    tally,
                    measures,
                }
            })
            .collect(),
        parameters: stated_parameters(input.model),
        rows,
        options: input
            .options
            .iter()
            .zip(options_by_key.descriptions)
            .map(|(option, description)| ListedOption {
                number: option.number,
                code: option.code.clone(),
                level: option.level,
                kind: option.kind.key(),
                state: option.state.key(),
                description,
                reason: option.reason.clone(),
                legal_change: option.legal_change.clone(),
                proposer: option.proposer.clone(),
            })
            .collect(),
    }
}

/// Fields as Vietnamese sorts them ("Đất đai" after "Dược phẩm", not after "Y tế"); fields
/// the collation does not tell apart, by their text.
fn sorted_fields(mut fields: Vec<(String, Tally)>) -> Vec<(String, Tally)> {
    fields.sort_by_cached_key(|(field, _)| (collation_key(field), field.clone()));
    fields
}

/// The cost model's parameters as the report states them, in the window's order.
pub fn stated_parameters(model: &CostModel) -> Vec<StatedParameter> {
    PARAMETERS
        .iter()
        .filter_map(|info| {
            let parameter = model.parameter(info.key)?;
            Some(StatedParameter {
                key: info.key,
                label: info.label_vi,
                value: parameter.value,
                unit: info.unit_vi,
                source: parameter.source.clone(),
            })
        })
        .collect()
}

/// The options of each (code, level), as indexes into the options, and every option's
/// description (written once: a national review records tens of thousands).
struct OptionsByKey<'a> {
    options: &'a [SimplificationOption],
    descriptions: Vec<String>,
    by_key: QuickMap<(&'a str, Level), Vec<usize>>,
}

fn options_by_key(options: &[SimplificationOption]) -> OptionsByKey<'_> {
    let mut by_key: QuickMap<(&str, Level), Vec<usize>> = QuickMap::default();
    for (index, option) in options.iter().enumerate() {
        by_key
            .entry((option.code.as_str(), option.level))
            .or_default()
            .push(index);
    }
    OptionsByKey {
        options,
        descriptions: options.iter().map(SimplificationOption::describe).collect(),
        by_key,
    }
}

/// The options recorded for `code` at any of `levels`, described, and their reasons.
fn described(
    options: &OptionsByKey<'_>,
    code: &str,
    levels: &[Option<Level>],
) -> (Vec<String>, Vec<String>) {
    let mut seen: Vec<usize> = Vec::new();
    for level in levels.iter().flatten() {
        for &index in options.by_key.get(&(code, *level)).into_iter().flatten() {
            if !seen
                .iter()
                .any(|&known| options.options[known].number == options.options[index].number)
            {
                seen.push(index);
            }
        }
    }
    (
        seen.iter()
            .map(|&index| options.descriptions[index].clone())
            .collect(),
        seen.iter()
            .map(|&index| options.options[index].reason.clone())
            .filter(|reason| !reason.is_empty())
            .collect(),
    )
}
