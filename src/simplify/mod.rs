//! Simplification: the options proposed for each procedure, the dossier as data, the
//! compliance cost of Circular 02/2017/TT-VPCP, and the savings between two sides of the
//! catalogue set against the government's targets.

pub mod cost;
pub mod dossier;
pub mod options;
pub mod overview;
pub mod savings;
pub mod sourced;
pub mod targets;

use crate::store::{Catalogue, Result, SideSource};

use cost::{COST_MODEL, CostModel};
use options::{OPTION_PREFIX, SimplificationOption, read_options};
use savings::{SavingsInput, SavingsReport};
use targets::{TARGETS, Targets};

/// The catalogue's cost model (its defaults where a parameter was never set).
pub fn cost_model(catalogue: &Catalogue) -> Result<CostModel> {
    Ok(CostModel::from_setting(
        catalogue.setting(COST_MODEL)?.as_deref(),
    ))
}

/// The catalogue's targets (their defaults where never set).
pub fn targets(catalogue: &Catalogue) -> Result<Targets> {
    Ok(Targets::from_setting(
        catalogue.setting(TARGETS)?.as_deref(),
    ))
}

/// The working copy's options, by procedure then number.
pub fn options(catalogue: &Catalogue) -> Result<Vec<SimplificationOption>> {
    Ok(read_options(&catalogue.settings_under(OPTION_PREFIX)?).0)
}

/// The options of one entry, by number (read by its key range, not the whole list).
pub fn options_of(
    catalogue: &Catalogue,
    code: &str,
    level: crate::domain::Level,
) -> Result<Vec<SimplificationOption>> {
    let prefix = format!("{OPTION_PREFIX}{code}@{}/", level.key());
    Ok(read_options(&catalogue.settings_under(&prefix)?).0)
}

/// The savings between two sides named as the CLI names them (`working`, a revision, a
/// catalogue file), with this catalogue's cost model and targets for both. A published
/// side's seal is checked on another connection while the rows are read; a broken one fails
/// the report.
pub fn savings(catalogue: &Catalogue, old: &str, new: &str) -> Result<SavingsReport> {
    read_checked_and_report(catalogue, old, new, None)
}

/// The working copy's entries read and measured already: the dashboard's, for its own
/// figures, before it asks for the savings since the last publication.
pub(crate) struct WorkingRead {
    /// Holds the working copy's entries only.
    pub rows: MeasureRows,
    /// Their indexes in `rows`.
    pub entries: Vec<u32>,
    /// Each of `rows` measured.
    pub measures: Vec<savings::Measures>,
}

/// [`savings`] from `old` to the working copy, read and measured already.
pub(crate) fn savings_to_working(
    catalogue: &Catalogue,
    old: &str,
    working: WorkingRead,
) -> Result<SavingsReport> {
    read_checked_and_report(catalogue, old, crate::store::WORKING, Some(working))
}

/// [`savings`], the working copy perhaps read already.
fn read_checked_and_report(
    catalogue: &Catalogue,
    old: &str,
    new: &str,
    working: Option<WorkingRead>,
) -> Result<SavingsReport> {
    let old_source = catalogue.side_source_unchecked(old)?;
    let new_source = catalogue.side_source_unchecked(new)?;
    let mut revisions: Vec<String> = [&old_source, &new_source]
        .into_iter()
        .filter_map(|source| match source {
            SideSource::Revision(name) => Some(name.clone()),
            _ => None,
        })
        .collect();
    revisions.dedup();
    let path = catalogue.path().to_owned();
    std::thread::scope(|scope| {
        let sealed = scope.spawn(move || -> Result<()> {
            if revisions.is_empty() {
                return Ok(());
            }
            let checker = Catalogue::open_read_only(&path)?;
            revisions
                .iter()
                .try_for_each(|name| checker.ensure_sealed(name))
        });
        let report = read_and_report(catalogue, (old, &old_source), (new, &new_source), working);
        match sealed.join() {
            Ok(sealed) => sealed.and(report),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

/// The report from the two sides' rows (their seals checked by the caller).
fn read_and_report(
    catalogue: &Catalogue,
    (old, old_source): (&str, &SideSource),
    (new, new_source): (&str, &SideSource),
    working: Option<WorkingRead>,
) -> Result<SavingsReport> {
    let (mut rows, mut working, known) = match working {
        Some(read) => (read.rows, Some(read.entries), read.measures),
        None => (MeasureRows::default(), None, Vec::new()),
    };
    // Two revisions: each version read once (they share every entry that did not change).
    let (old_side, new_side) =
        if let (SideSource::Revision(a), SideSource::Revision(b)) = (old_source, new_source) {
            let mut sides = catalogue
                .revision_measure_rows_unchecked(&[a, b], &mut rows)?
                .into_iter();
            let old_side = sides.next().unwrap_or_default();
            (old_side, sides.next().unwrap_or_default())
        } else {
            let mut side = |source: &SideSource| match (source, &mut working) {
                (SideSource::Working, working @ Some(_)) => Ok(working.take().unwrap_or_default()),
                _ => side_rows(catalogue, source, &mut rows),
            };
            (side(old_source)?, side(new_source)?)
        };
    let (options, replacements) = match new_source {
        SideSource::File(path) => {
            let other = Catalogue::open_read_only(path)?;
            (
                read_options(&other.settings_under(OPTION_PREFIX)?).0,
                other.replacements()?,
            )
        }
        SideSource::Working => (options(catalogue)?, catalogue.replacements()?),
        // A revision keeps the options it was taken with; what was retired into another
        // entry is known from the working copy's history.
        SideSource::Revision(name) => (
            read_options(&catalogue.revision_settings_under(name, OPTION_PREFIX)?).0,
            catalogue.replacements()?,
        ),
    };
    let model = cost_model(catalogue)?;
    Ok(savings::report(&SavingsInput {
        measures: &savings::measure_rest(&model, &rows, known),
        rows: &rows,
        old_name: old.to_owned(),
        new_name: new.to_owned(),
        old: &old_side,
        new: &new_side,
        replacements: &replacements,
        options: &options,
        model: &model,
        targets: &targets(catalogue)?,
    }))
}

/// A side's rows added to `rows`, their indexes there; a revision's seal is the caller's to
/// check.
fn side_rows(
    catalogue: &Catalogue,
    source: &SideSource,
    rows: &mut MeasureRows,
) -> Result<Vec<u32>> {
    match source {
        SideSource::Working => catalogue.measure_rows(None, rows),
        SideSource::Revision(name) => Ok(catalogue
            .revision_measure_rows_unchecked(&[name], rows)?
            .pop()
            .unwrap_or_default()),
        SideSource::File(path) => Catalogue::open_read_only(path)?.measure_rows(None, rows),
    }
}

use crate::domain::{Level, Procedure};
use crate::store::{AppliedBatch, Change, MeasureRows, StoreError};
use options::{OptionError, OptionState, next_number};

/// Why an option could not be recorded or applied.
#[derive(Debug, thiserror::Error)]
pub enum SimplifyError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Option(#[from] OptionError),
    #[error("no procedure \"{0}\" in the working copy; name it CODE@LEVEL, e.g. 1.000123@province")]
    NoProcedure(String),
    #[error(
        "code {0} stands at more than one level; name it CODE@LEVEL (province, district, commune)"
    )]
    AmbiguousProcedure(String),
    #[error("no option number {0} in the catalogue (`simplify options` lists them)")]
    NoOption(u32),
}

/// The working entry named `code@level` (or a bare code standing at one level only).
pub fn find_procedure(
    catalogue: &Catalogue,
    key: &str,
) -> std::result::Result<Procedure, SimplifyError> {
    let (code, level) = match key.split_once('@') {
        Some((code, level)) => (
            code.trim(),
            Some(
                Level::parse(level.trim())
                    .ok_or_else(|| SimplifyError::NoProcedure(key.to_owned()))?,
            ),
        ),
        None => (key.trim(), None),
    };
    let mut found = catalogue.procedures_with_code(code, level)?;
    match found.len() {
        0 => Err(SimplifyError::NoProcedure(key.to_owned())),
        1 => Ok(found.remove(0)),
        _ => Err(SimplifyError::AmbiguousProcedure(code.to_owned())),
    }
}

/// Records a new option (its number, who and when filled in) as one undoable batch.
pub fn record_option(
    catalogue: &mut Catalogue,
    mut option: SimplificationOption,
) -> std::result::Result<SimplificationOption, SimplifyError> {
    let key = format!("{}@{}", option.code, option.level.key());
    find_procedure(catalogue, &key)?;
    option.check()?;
    option.number = next_number(&options(catalogue)?);
    option.recorded_by = catalogue.editor().to_owned();
    option.recorded_at = crate::store::now_rfc3339();
    let summary = format!(
        "phương án số {} cho {}: {}",
        option.number,
        option.code,
        option.kind.label_vi()
    );
    catalogue.apply_changes(&summary, &[option.record()])?;
    Ok(option)
}

/// The option numbered `number`.
pub fn find_option(
    catalogue: &Catalogue,
    number: u32,
) -> std::result::Result<SimplificationOption, SimplifyError> {
    options(catalogue)?
        .into_iter()
        .find(|option| option.number == number)
        .ok_or(SimplifyError::NoOption(number))
}

/// Carries out option `number` on its procedure: its edits and its new state, one batch.
pub fn apply_option(
    catalogue: &mut Catalogue,
    number: u32,
) -> std::result::Result<AppliedBatch, SimplifyError> {
    let option = find_option(catalogue, number)?;
    let procedure = find_procedure(
        catalogue,
        &format!("{}@{}", option.code, option.level.key()),
    )?;
    let changes = option.apply(&procedure)?;
    let summary = format!(
        "áp dụng phương án số {} cho {}: {}",
        option.number,
        option.code,
        option.kind.label_vi()
    );
    Ok(catalogue.apply_changes(&summary, &changes)?)
}

/// Sets option `number`'s state (accepted, rejected …) as one batch.
pub fn set_option_state(
    catalogue: &mut Catalogue,
    number: u32,
    state: OptionState,
) -> std::result::Result<AppliedBatch, SimplifyError> {
    let mut option = find_option(catalogue, number)?;
    option.state = state;
    let summary = format!("phương án số {}: {}", option.number, state.label_vi());
    Ok(catalogue.apply_changes(&summary, &[option.record()])?)
}

/// The options a "propose abolition" verdict on `findings` records: one "abolish" option per
/// entry that has none yet (a rejected one does not count), proposed, with the finding's
/// reason and the reviewer's note; with the summary of their batch.
pub fn abolition_options<'a>(
    catalogue: &Catalogue,
    findings: impl IntoIterator<Item = &'a crate::audit::Finding>,
    note: &str,
) -> Result<(String, Vec<Change>)> {
    let existing = options(catalogue)?;
    let mut number = next_number(&existing);
    let mut changes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for finding in findings {
        for member in &finding.members {
            let has_one = existing.iter().any(|option| {
                option.code == member.code
                    && option.level == member.level
                    && option.kind == options::OptionKind::Abolish
                    && option.state != OptionState::Rejected
            });
            if has_one || !seen.insert((member.code.clone(), member.level)) {
                continue;
            }
            let reason = match note.trim() {
                "" => finding.reason.clone(),
                note => format!("{} ({note})", finding.reason),
            };
            let option = SimplificationOption {
                number,
                code: member.code.clone(),
                level: member.level,
                kind: options::OptionKind::Abolish,
                proposal: options::Proposal::default(),
                reason,
                legal_change: String::new(),
                proposer: String::new(),
                state: OptionState::Proposed,
                recorded_by: catalogue.editor().to_owned(),
                recorded_at: crate::store::now_rfc3339(),
            };
            number += 1;
            changes.push(option.record());
        }
    }
    let summary = format!("đề xuất bãi bỏ: {} phương án đơn giản hóa", changes.len());
    Ok((summary, changes))
}

/// The change that sets the cost model (undoable like any setting).
pub fn set_cost_model(model: &CostModel) -> Change {
    Change::Setting {
        key: COST_MODEL.to_owned(),
        value: Some(model.to_setting()),
    }
}

/// The change that sets the targets.
pub fn set_targets(targets: &Targets) -> Change {
    Change::Setting {
        key: TARGETS.to_owned(),
        value: Some(targets.to_setting()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Fee, ProcedureData, Tier};
    use options::{OptionKind, Proposal};

    // One argument per column of the hand-worked table below.
    #[allow(clippy::too_many_arguments)]
    fn entry(
        code: &str,
        level: Level,
        field: &str,
        time: &str,
        fee: &str,
        dossier: &str,
        tier: u8,
        dossiers: u32,
    ) -> Change {
        Change::Create(ProcedureData {
            code: code.into(),
            name: format!("Thủ tục {code}"),
            level: Some(level),
            field: field.into(),
            processing_time: crate::domain::ProcessingTime::parse(time, None),
            fee: Fee::parse(fee),
            dossier: dossier.into(),
            tier: Tier::new(tier),
            dossiers_last_year: Some(dossiers),
            ..ProcedureData::default()
        })
    }

    fn option(
        code: &str,
        level: Level,
        kind: OptionKind,
        proposal: Proposal,
    ) -> SimplificationOption {
        SimplificationOption {
            number: 0,
            code: code.into(),
            level,
            kind,
            proposal,
            reason: format!("lý do {}", kind.key()),
            legal_change: String::new(),
            proposer: "Sở Tư pháp".into(),
            state: OptionState::Proposed,
            recorded_by: String::new(),
            recorded_at: String::new(),
        }
    }

    /// Five procedures, options recorded and applied, every total worked out by hand with the
    /// default parameters (43.750 đ/giờ, 1 giờ/thành phần, 4 giờ/lần đến, 2/1/0 lần by online
    /// kind, 1 giờ nhận kết quả, 2.000 đ/bản sao):
    /// - A 1.000001 province: 20 days, fee 100.000, 3 papers (1 copy), tier 2, 100 dossiers:
    ///   (3 + 8 + 1) h = 525.000 + 100.000 + 2.000 = 627.000/lần, 62.700.000/năm. Cut to 12
    ///   days and "Bản vẽ" dropped: (2 + 8 + 1) h = 481.250 + 102.000 = 583.250, 58.325.000.
    /// - B 1.000002 province: 15 days, fee 50.000, 1 paper, tier 3, 40 dossiers:
    ///   (1 + 4 + 1) h = 262.500 + 50.000 = 312.500, 12.500.000. Raised to toàn trình and made
    ///   free: 1 h = 43.750, 1.750.000.
    /// - C 1.000003 district: 5 days, free, 2 papers (1 copy), tier 2, 0 dossiers:
    ///   (2 + 8 + 1) h = 481.250 + 2.000 = 483.250, 0/năm. Abolished.
    /// - D 1.000004 district: 3 days, free, 1 paper, tier 2, 10 dossiers: 10 h = 437.500,
    ///   4.375.000. Merged into 1.000002.
    /// - E 1.000005 commune: 1 day, free, 1 paper, tier 2, 5 dossiers: 437.500, 2.187.500.
    #[test]
    fn options_applied_give_the_savings_worked_out_by_hand() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        let a_dossier = "Đơn (01 bản chính); Bản sao sổ đỏ (01 bản sao); Bản vẽ (01 bản chính)";
        catalogue
            .apply_changes(
                "năm thủ tục",
                &[
                    entry(
                        "1.000001",
                        Level::Province,
                        "Đất đai",
                        "20 ngày làm việc",
                        "Lệ phí: 100.000 đồng",
                        a_dossier,
                        2,
                        100,
                    ),
                    entry(
                        "1.000002",
                        Level::Province,
                        "Đất đai",
                        "15 ngày làm việc",
                        "Lệ phí: 50.000 đồng",
                        "Tờ khai (01 bản chính)",
                        3,
                        40,
                    ),
                    entry(
                        "1.000003",
                        Level::District,
                        "Hộ tịch",
                        "5 ngày làm việc",
                        "Miễn phí",
                        "Tờ khai (01 bản chính); Giấy tờ tùy thân (01 bản sao)",
                        2,
                        0,
                    ),
                    entry(
                        "1.000004",
                        Level::District,
                        "Hộ tịch",
                        "3 ngày làm việc",
                        "Miễn phí",
                        "Tờ khai (01 bản chính)",
                        2,
                        10,
                    ),
                    entry(
                        "1.000005",
                        Level::Commune,
                        "Chứng thực",
                        "1 ngày làm việc",
                        "Miễn phí",
                        "Đơn (01 bản chính)",
                        2,
                        5,
                    ),
                ],
            )
            .unwrap();
        catalogue.create_revision("truoc", "").unwrap();

        let drawing = dossier::Dossier::parse(a_dossier).cases[0].components[2]
            .span
            .clone();
        let recorded = [
            option(
                "1.000001",
                Level::Province,
                OptionKind::CutTime,
                Proposal {
                    processing_time: Some("12 ngày làm việc".into()),
                    ..Proposal::default()
                },
            ),
            option(
                "1.000001",
                Level::Province,
                OptionKind::DropPapers,
                Proposal {
                    dossier: Some(dossier::without_component(a_dossier, &drawing)),
                    ..Proposal::default()
                },
            ),
            option(
                "1.000002",
                Level::Province,
                OptionKind::RaiseOnline,
                Proposal::default(),
            ),
            option(
                "1.000002",
                Level::Province,
                OptionKind::LowerFee,
                Proposal {
                    fee: Some("Miễn phí".into()),
                    ..Proposal::default()
                },
            ),
            option(
                "1.000003",
                Level::District,
                OptionKind::Abolish,
                Proposal::default(),
            ),
            option(
                "1.000004",
                Level::District,
                OptionKind::MergeInto,
                Proposal {
                    into: Some("1.000002".into()),
                    ..Proposal::default()
                },
            ),
        ]
        .map(|option| record_option(&mut catalogue, option).unwrap());
        assert_eq!(recorded.map(|o| o.number), [1, 2, 3, 4, 5, 6]);
        // Recorded, not yet applied: nothing saved.
        let nothing = savings(&catalogue, "truoc", "working").unwrap();
        assert_eq!(nothing.rows.len(), 0);
        assert_eq!(nothing.options.len(), 6);

        for number in 1..=6 {
            apply_option(&mut catalogue, number).unwrap();
        }
        assert!(
            options(&catalogue)
                .unwrap()
                .iter()
                .all(|o| o.state == OptionState::CarriedOut)
        );
        assert!(matches!(
            apply_option(&mut catalogue, 1),
            Err(SimplifyError::Option(OptionError::AlreadyCarriedOut(1)))
        ));

        let report = savings(&catalogue, "truoc", "working").unwrap();
        let t = &report.totals;
        assert_eq!((t.procedures_before, t.procedures_after), (5, 3));
        assert_eq!(
            (t.abolished, t.merged, t.simplified, t.added, t.moved),
            (1, 1, 2, 0, 0)
        );
        assert_eq!((t.days_before, t.days_after), (44.0, 28.0));
        assert_eq!((t.papers_before, t.papers_after), (8, 4));
        assert_eq!((t.fees_before, t.fees_after), (150_000, 100_000));
        assert_eq!(
            (t.cost_per_execution_before, t.cost_per_execution_after),
            (2_297_750, 1_064_500)
        );
        assert_eq!(
            (t.cost_per_year_before, t.cost_per_year_after),
            (81_762_500, 62_262_500)
        );
        assert_eq!(
            t.online_before,
            BTreeMapOf::from([
                (cost::OnlineKind::Information, 4),
                (cost::OnlineKind::Partial, 1)
            ])
        );
        assert_eq!(
            t.online_after,
            BTreeMapOf::from([
                (cost::OnlineKind::Information, 2),
                (cost::OnlineKind::Whole, 1)
            ])
        );

        let measure = |key: &str| report.measures.iter().find(|m| m.measure == key).unwrap();
        // 2 of 5 procedures fewer: 40% against 20%.
        assert_eq!(
            (measure("procedures").rate, measure("procedures").met),
            (0.4, Some(true))
        );
        // 16 of 44 days: 36,4% against 30%.
        assert!((measure("processing_days").rate - 16.0 / 44.0).abs() < 1e-12);
        assert_eq!(measure("processing_days").met, Some(true));
        // 19.500.000 of 81.762.500 a year: 23,8% against 30%, not met.
        let yearly = measure("compliance_cost_per_year");
        assert_eq!(yearly.reduction, 19_500_000.0);
        assert_eq!(yearly.met, Some(false));
        assert_eq!(yearly.target, Some(30.0));
        assert!(
            yearly
                .target_source
                .as_deref()
                .unwrap()
                .contains("66/NQ-CP")
        );
        assert_eq!(measure("fees").target, None);

        // By level: the district lost both its entries, one abolished, one merged.
        let district = report
            .by_level
            .iter()
            .find(|g| g.key.level == Level::District)
            .unwrap();
        assert_eq!(
            (
                district.tally.procedures_before,
                district.tally.procedures_after,
                district.tally.abolished,
                district.tally.merged
            ),
            (2, 0, 1, 1)
        );
        let land = report
            .by_field
            .iter()
            .find(|g| g.key.field == "Đất đai")
            .unwrap();
        assert_eq!(
            (
                land.tally.cost_per_year_before,
                land.tally.cost_per_year_after
            ),
            (75_200_000, 60_075_000)
        );

        // One row per procedure that changed, each with its options described.
        let outcomes: Vec<(&str, savings::Outcome)> = report
            .rows
            .iter()
            .map(|r| (r.code.as_str(), r.outcome))
            .collect();
        assert_eq!(
            outcomes,
            [
                ("1.000001", savings::Outcome::Simplified),
                ("1.000002", savings::Outcome::Simplified),
                ("1.000003", savings::Outcome::Abolished),
                ("1.000004", savings::Outcome::Merged),
            ]
        );
        assert_eq!(report.rows[3].into, "1.000002");
        assert_eq!(report.rows[0].options.len(), 2);
        assert_eq!(
            report.rows[0].cost_per_year_saved(),
            62_700_000 - 58_325_000
        );

        // The revision kept the options as they were then: proposed.
        let kept = read_options(
            &catalogue
                .revision_settings_under("truoc", OPTION_PREFIX)
                .unwrap(),
        )
        .0;
        assert!(kept.is_empty(), "options came after the revision");
        catalogue.create_revision("sau", "").unwrap();
        let kept = read_options(
            &catalogue
                .revision_settings_under("sau", OPTION_PREFIX)
                .unwrap(),
        )
        .0;
        assert_eq!(kept.len(), 6);
        assert_eq!(
            savings(&catalogue, "truoc", "sau").unwrap().totals,
            report.totals
        );

        // Undo of the last application (the merge) brings D back and its option proposed.
        catalogue.undo().unwrap().unwrap();
        assert_eq!(
            find_option(&catalogue, 6).unwrap().state,
            OptionState::Proposed
        );
        let after_undo = savings(&catalogue, "truoc", "working").unwrap();
        assert_eq!(
            (after_undo.totals.procedures_after, after_undo.totals.merged),
            (4, 0)
        );
    }

    type BTreeMapOf = std::collections::BTreeMap<cost::OnlineKind, u64>;
}
