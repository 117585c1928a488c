//! What the dashboard shows of the working copy: counts by level, tier and online kind, and
//! field; how processing times are spread; the procedures whose yearly compliance cost is
//! highest (where simplifying pays most); and the savings since the last publication against
//! the targets. Computed on a reading thread, never in a frame.

use std::collections::BTreeMap;

use serde::Serialize;

use super::cost::OnlineKind;
use super::savings::{MeasureSummary, measure_all};
use crate::domain::Level;
use crate::store::{Catalogue, Result};

/// Bounds of the processing-time buckets, in working days (each bucket up to its bound).
pub const TIME_BUCKETS: [f64; 8] = [1.0, 3.0, 5.0, 10.0, 15.0, 20.0, 30.0, 60.0];

/// A procedure among the costliest a year.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Costly {
    pub code: String,
    pub level: Level,
    pub name: String,
    pub cost_per_year: i64,
    pub cost_per_execution: i64,
}

/// The savings since the last publication, as the dashboard shows them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SinceBaseline {
    /// The published revision compared with.
    pub baseline: String,
    pub measures: Vec<MeasureSummary>,
    pub abolished: u64,
    pub simplified: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Overview {
    pub total: u64,
    pub by_level: Vec<(Level, u64)>,
    /// Tier 1–4, then 0 for entries without one.
    pub by_tier: Vec<(u8, u64)>,
    pub by_kind: Vec<(OnlineKind, u64)>,
    /// Fields by count, largest first (equal counts by name).
    pub by_field: Vec<(String, u64)>,
    /// Entries per [`TIME_BUCKETS`] bucket, then one more for longer times.
    pub time_buckets: Vec<u64>,
    /// Entries whose processing time gives no number of days.
    pub time_unread: u64,
    pub costliest: Vec<Costly>,
    pub cost_per_year: i64,
    pub since: Option<SinceBaseline>,
}

/// How many of the costliest are listed.
pub const COSTLIEST: usize = 10;

pub fn overview(catalogue: &Catalogue) -> Result<Overview> {
    let mut pool = crate::store::MeasureRows::default();
    let working = catalogue.measure_rows(None, &mut pool)?;
    let model = super::cost_model(catalogue)?;
    // The pool holds the working copy only: its measures are the entries' in order.
    let measures = measure_all(&model, &pool);
    let rows = &pool.rows;

    let mut by_level: BTreeMap<Level, u64> = BTreeMap::new();
    let mut by_tier: BTreeMap<u8, u64> = BTreeMap::new();
    let mut by_kind: BTreeMap<OnlineKind, u64> = BTreeMap::new();
    let mut by_field: BTreeMap<&str, u64> = BTreeMap::new();
    let mut time_buckets = vec![0; TIME_BUCKETS.len() + 1];
    let mut time_unread = 0;
    let mut cost_per_year = 0;
    for (row, measure) in rows.iter().zip(&measures) {
        *by_level.entry(row.level).or_default() += 1;
        *by_tier.entry(row.tier.unwrap_or(0)).or_default() += 1;
        *by_kind.entry(measure.online).or_default() += 1;
        *by_field.entry(pool.text(row.field)).or_default() += 1;
        match measure.processing_days {
            Some(days) => {
                let bucket = TIME_BUCKETS
                    .iter()
                    .position(|bound| days <= *bound)
                    .unwrap_or(TIME_BUCKETS.len());
                time_buckets[bucket] += 1;
            }
            None => time_unread += 1,
        }
        cost_per_year += measure.cost_per_year;
    }
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| {
        measures[b]
            .cost_per_year
            .cmp(&measures[a].cost_per_year)
            .then_with(|| {
                (pool.text(rows[a].code), rows[a].level)
                    .cmp(&(pool.text(rows[b].code), rows[b].level))
            })
    });
    let costliest = order
        .into_iter()
        .take(COSTLIEST)
        .filter(|&index| measures[index].cost_per_year > 0)
        .map(|index| Costly {
            code: pool.text(rows[index].code).to_owned(),
            level: rows[index].level,
            name: pool.text(rows[index].name).to_owned(),
            cost_per_year: measures[index].cost_per_year,
            cost_per_execution: measures[index].cost_per_execution,
        })
        .collect();
    let mut fields: Vec<(String, u64)> = by_field
        .into_iter()
        .map(|(field, count)| (field.to_owned(), count))
        .collect();
    fields.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));

    let total = rows.len() as u64;
    let since = match catalogue.last_published_revision()? {
        Some(revision) => {
            // The working copy's rows read above serve the report too.
            let working = super::WorkingRead {
                rows: pool,
                entries: working,
                measures,
            };
            let report = super::savings_to_working(catalogue, &revision.name, working)?;
            Some(SinceBaseline {
                baseline: revision.name,
                measures: report.measures,
                abolished: report.totals.abolished + report.totals.merged,
                simplified: report.totals.simplified,
            })
        }
        None => None,
    };
    Ok(Overview {
        total,
        by_level: by_level.into_iter().collect(),
        by_tier: by_tier.into_iter().collect(),
        by_kind: by_kind.into_iter().collect(),
        by_field: fields,
        time_buckets,
        time_unread,
        costliest,
        cost_per_year,
        since,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Fee, ProcedureData, ProcessingTime, Tier};
    use crate::store::Change;

    #[test]
    fn the_overview_counts_buckets_and_ranks_the_costliest() {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        let entry = |code: &str, level: Level, days: &str, tier: u8, dossiers: u32| {
            Change::Create(ProcedureData {
                code: code.into(),
                name: format!("Thủ tục {code}"),
                level: Some(level),
                field: if tier == 4 {
                    "Hộ tịch"
                } else {
                    "Đất đai"
                }
                .into(),
                processing_time: ProcessingTime::parse(days, None),
                fee: Fee::parse("Miễn phí"),
                dossier: "Tờ khai (01 bản chính)".into(),
                tier: Tier::new(tier),
                dossiers_last_year: Some(dossiers),
                ..ProcedureData::default()
            })
        };
        catalogue
            .apply_changes(
                "bốn thủ tục",
                &[
                    entry("1.000001", Level::Province, "2 ngày làm việc", 2, 10),
                    entry("1.000002", Level::Province, "12 ngày làm việc", 3, 100),
                    entry("1.000003", Level::Commune, "90 ngày", 4, 1000),
                    entry("1.000004", Level::Commune, "theo quy định", 2, 0),
                ],
            )
            .unwrap();
        let overview = overview(&catalogue).unwrap();
        assert_eq!(overview.total, 4);
        assert_eq!(
            overview.by_level,
            [(Level::Province, 2), (Level::Commune, 2)]
        );
        assert_eq!(overview.by_tier, [(2, 2), (3, 1), (4, 1)]);
        assert_eq!(
            overview.by_kind,
            [
                (OnlineKind::Information, 2),
                (OnlineKind::Partial, 1),
                (OnlineKind::Whole, 1)
            ]
        );
        assert_eq!(
            overview.by_field,
            [("Đất đai".to_owned(), 3), ("Hộ tịch".to_owned(), 1)]
        );
        // 2 days → "≤ 3", 12 → "≤ 15", 90 calendar days → beyond 60; one unread.
        assert_eq!(overview.time_buckets, [0, 1, 0, 0, 1, 0, 0, 0, 1]);
        assert_eq!(overview.time_unread, 1);
        // Yearly: 1000 × 1 h × 43.750 (toàn trình) = 43.750.000; 100 × (1 + 4 + 1) h = 26.250.000;
        // 10 × (1 + 8 + 1) h × 43.750 = 4.375.000; the fourth received none.
        let costliest: Vec<(&str, i64)> = overview
            .costliest
            .iter()
            .map(|c| (c.code.as_str(), c.cost_per_year))
            .collect();
        assert_eq!(
            costliest,
            [
                ("1.000003", 43_750_000),
                ("1.000002", 26_250_000),
                ("1.000001", 4_375_000)
            ]
        );
        assert!(overview.since.is_none());
        catalogue.create_revision("cong-bo", "").unwrap();
        catalogue
            .publish_revision("cong-bo", "1/QĐ-UBND", time::macros::date!(2017 - 06 - 30))
            .unwrap();
        let since = overview_since(&catalogue);
        assert_eq!(since.baseline, "cong-bo");
        assert_eq!((since.abolished, since.simplified), (0, 0));
    }

    fn overview_since(catalogue: &Catalogue) -> SinceBaseline {
        overview(catalogue).unwrap().since.unwrap()
    }
}
