//! The history behind a generated working copy: the list as the 2016 decision published it,
//! and the 2017 total review that made the working copy of today — procedures abolished
//! (unused, duplicated, or resting on repealed law), old codes replaced by new ones,
//! processing times cut, papers dropped, fees lowered, services raised online — each through
//! a simplification option, carried out; and options proposed for the next round. Derived
//! deterministically from the working copy, which it reproduces exactly: the figures of the
//! working copy stay what they are.

use std::collections::HashSet;

use super::rng::Rng;
use crate::domain::{Fee, Level, ProcedureData, ProcessingTime, Tier, group_thousands};
use crate::simplify::options::{OptionKind, OptionState, Proposal, SimplificationOption};

/// The 2016 publication.
pub const PUBLISHED_REVISION: &str = "cong-bo-2016";
pub const PUBLISHED_DECISION: &str = "3126/QĐ-UBND";
pub const PUBLISHED_DATE: &str = "2016-12-30";
pub const PUBLISHED_AT: &str = "2016-12-30T00:00:00Z";
/// The decision that carried out the 2017 review.
pub const REVIEW_DECISION: &str = "1050/QĐ-UBND";

/// What became of an entry of the 2016 list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    /// It is the working copy's entry at this index (changed or not).
    Kept(usize),
    /// Abolished in 2017 by option `option` (a number).
    Abolished { option: u32, reason: String },
    /// Replaced in 2017 by the working copy's entry at this index.
    Replaced { by: usize, option: u32 },
}

pub struct History {
    /// The 2016 list, in the order it is written.
    pub published: Vec<ProcedureData>,
    pub fates: Vec<Fate>,
    /// Working entries new in 2017 (each replaced an old code), by index.
    pub added: Vec<usize>,
    /// Every option, by number: those carried out in 2017, then those proposed since.
    pub options: Vec<SimplificationOption>,
}

/// Shares of the working copy, in thousandths, that the review touched.
const ABOLISHED: usize = 40;
const REPLACED: usize = 10;
const TIME_CUT: usize = 120;
const PAPER_DROPPED: usize = 60;
const FEE_LOWERED: usize = 30;
const PROPOSED: usize = 20;

/// The paper the 2017 review dropped from dossiers: the civil-status data is in the national
/// population database.
const DROPPED_PAPER: &str = "bản sao sổ hộ khẩu (01 bản sao có chứng thực)";

fn share(total: usize, per_thousand: usize) -> usize {
    (total * per_thousand).div_ceil(1000)
}

/// `days` (working days) the 2016 list gave a procedure now done in `now` days.
fn days_before(now: f64) -> f64 {
    (now + (now / 2.0).max(2.0)).round()
}

fn option(
    number: u32,
    data: &ProcedureData,
    kind: OptionKind,
    proposal: Proposal,
    reason: &str,
) -> SimplificationOption {
    let basis = data.legal_basis.first().cloned().unwrap_or_default();
    SimplificationOption {
        number,
        code: data.code.clone(),
        level: data.level_or_province(),
        kind,
        proposal,
        reason: reason.to_owned(),
        legal_change: if basis.is_empty() {
            String::new()
        } else {
            format!("Sửa đổi quy định tương ứng tại {basis}")
        },
        proposer: data.agency.lines().next().unwrap_or_default().to_owned(),
        state: OptionState::CarriedOut,
        recorded_by: "Văn phòng UBND tỉnh".to_owned(),
        recorded_at: "2017-03-15T00:00:00Z".to_owned(),
    }
}

/// A national code no entry of `used` has.
fn fresh_code(used: &mut HashSet<String>, next: &mut u32, suffix: &str) -> String {
    loop {
        let code = format!("1.{:06}{suffix}", 900_000 + *next);
        *next += 1;
        if used.insert(code.clone()) {
            return code;
        }
    }
}

/// The history of `working` (the generated entries; `protected` are planted defects, left
/// as they are so the audit still finds them).
pub fn derive(
    working: &[ProcedureData],
    protected: &HashSet<(String, Level)>,
    seed: u64,
) -> History {
    let mut rng = Rng::new(seed ^ 0x2016_2017);
    let total = working.len();
    let mut candidates: Vec<usize> = (0..total)
        .filter(|&index| {
            let data = &working[index];
            !protected.contains(&(data.code.clone(), data.level_or_province()))
        })
        .collect();
    rng.shuffle(&mut candidates);
    let take = |count: usize,
                fits: &dyn Fn(&ProcedureData) -> bool,
                taken: &mut HashSet<usize>|
     -> Vec<usize> {
        let chosen: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|index| !taken.contains(index) && fits(&working[*index]))
            .take(count)
            .collect();
        taken.extend(&chosen);
        chosen
    };
    let mut taken = HashSet::new();
    let replaced = take(share(total, REPLACED), &|_| true, &mut taken);
    let days_of = |data: &ProcedureData| data.processing_time.single().map(|(amount, _)| amount);
    let cut = take(
        share(total, TIME_CUT),
        &|data| {
            days_of(data).is_some_and(|days| days >= 3.0)
                && data.processing_time.limits().len() == 1
        },
        &mut taken,
    );
    let dropped = take(
        share(total, PAPER_DROPPED),
        &|data| data.dossier.ends_with("hồ sơ"),
        &mut taken,
    );
    let lowered = take(
        share(total, FEE_LOWERED),
        &|data| data.fee.amount_vnd().is_some_and(|fee| fee > 0),
        &mut taken,
    );
    // Raised online in 2017: a third of today's tier-3 services were tier 2, every tier-4 one
    // was tier 3.
    let mut raised: Vec<usize> = (0..total)
        .filter(|&i| working[i].tier == Tier::new(4))
        .collect();
    let partial: Vec<usize> = (0..total)
        .filter(|&i| working[i].tier == Tier::new(3))
        .collect();
    raised.extend(partial.iter().copied().take(partial.len() / 3));
    raised.retain(|index| !replaced.contains(index));
    let proposed = take(
        share(total, PROPOSED),
        &|data| data.tier == Tier::new(2),
        &mut taken,
    );

    let mut used: HashSet<String> = working.iter().map(|data| data.code.clone()).collect();
    let mut next_code = 0;
    let mut options = Vec::new();
    let mut number = 0u32;
    let mut next_number = || {
        number += 1;
        number
    };

    // Each kept entry as 2016 published it.
    let mut before: Vec<ProcedureData> = working.to_vec();
    for &index in &cut {
        let data = &working[index];
        let Some((now, unit)) = data.processing_time.single() else {
            continue;
        };
        let then = days_before(now);
        before[index].processing_time = ProcessingTime::of(then, unit);
        let proposal = Proposal {
            processing_time: Some(data.processing_time.text().to_owned()),
            ..Proposal::default()
        };
        let reason = format!(
            "Rút ngắn thời gian thẩm định từ {then} xuống {now} ngày nhờ liên thông điện tử"
        );
        options.push((
            index,
            option(0, data, OptionKind::CutTime, proposal, &reason),
        ));
    }
    for &index in &dropped {
        let data = &working[index];
        let (papers, sets) = data
            .dossier
            .rsplit_once("; ")
            .unwrap_or((&data.dossier, ""));
        before[index].dossier = format!("{papers}; {DROPPED_PAPER}; {sets}");
        let proposal = Proposal {
            dossier: Some(data.dossier.clone()),
            dossier_was: Some(before[index].dossier.clone()),
            ..Proposal::default()
        };
        let reason = "Bỏ bản sao sổ hộ khẩu: khai thác Cơ sở dữ liệu quốc gia về dân cư";
        options.push((
            index,
            option(0, data, OptionKind::DropPapers, proposal, reason),
        ));
    }
    for &index in &lowered {
        let data = &working[index];
        let Some(fee) = data.fee.amount_vnd() else {
            continue;
        };
        let then = fee * 2;
        before[index].fee = Fee::parse(&format!("Lệ phí: {} đồng/hồ sơ", group_thousands(then)));
        let proposal = Proposal {
            fee: Some(data.fee.text().to_owned()),
            ..Proposal::default()
        };
        let reason = "Giảm 50% lệ phí theo Nghị quyết của HĐND tỉnh";
        options.push((
            index,
            option(0, data, OptionKind::LowerFee, proposal, reason),
        ));
    }
    for &index in &raised {
        let data = &working[index];
        let Some(tier) = data.tier else {
            continue;
        };
        before[index].tier = Tier::new(tier.value() - 1);
        let proposal = Proposal {
            tier: Some(tier.value()),
            ..Proposal::default()
        };
        let reason = "Cung cấp dịch vụ công trực tuyến trên Cổng dịch vụ công của tỉnh";
        options.push((
            index,
            option(0, data, OptionKind::RaiseOnline, proposal, reason),
        ));
    }
    // Options in the order of the working copy, then numbered.
    options.sort_by_key(|(index, option)| (*index, option.kind));
    let mut numbered: Vec<SimplificationOption> = options
        .into_iter()
        .map(|(_, mut option)| {
            option.number = next_number();
            option
        })
        .collect();

    let mut published = Vec::with_capacity(total);
    let mut fates = Vec::with_capacity(total);
    let replaced_set: HashSet<usize> = replaced.iter().copied().collect();
    let abolished_count = share(total, ABOLISHED);
    // Abolished entries stand after the entry they resemble, spread over the list.
    let mut abolish_after: Vec<usize> = candidates.iter().copied().take(abolished_count).collect();
    abolish_after.sort_unstable();
    let mut abolish_iter = abolish_after.into_iter().peekable();
    let mut abolition = 0usize;
    for (index, data) in before.into_iter().enumerate() {
        if replaced_set.contains(&index) {
            // The old entry: another code, the same procedure, replaced by today's.
            let suffix = data
                .code
                .find(".H")
                .map_or("", |at| &data.code[at..])
                .to_owned();
            let mut old = data.clone();
            old.code = fresh_code(&mut used, &mut next_code, &suffix);
            if let Some(tier) = old.tier.filter(|tier| tier.value() > 2) {
                old.tier = Tier::new(tier.value() - 1);
            }
            let option_number = next_number();
            let mut replace = option(
                option_number,
                &old,
                OptionKind::MergeInto,
                Proposal {
                    into: Some(working[index].code.clone()),
                    ..Proposal::default()
                },
                "Thay thế bằng thủ tục được công bố mới theo văn bản quy phạm pháp luật mới",
            );
            replace.recorded_at = "2017-03-15T00:00:00Z".to_owned();
            numbered.push(replace);
            published.push(old);
            fates.push(Fate::Replaced {
                by: index,
                option: option_number,
            });
        } else {
            published.push(data.clone());
            fates.push(Fate::Kept(index));
        }
        while abolish_iter.peek() == Some(&index) {
            abolish_iter.next();
            let original = &working[index];
            let mut gone = original.clone();
            let suffix = gone
                .code
                .find(".H")
                .map_or("", |at| &gone.code[at..])
                .to_owned();
            gone.code = fresh_code(&mut used, &mut next_code, &suffix);
            let reason = match abolition % 3 {
                0 => {
                    gone.dossiers_last_year = Some(0);
                    gone.dossiers_year_before = Some(0);
                    gone.name = format!("{} (theo quy định cũ)", original.name);
                    "Không phát sinh hồ sơ trong 3 năm".to_owned()
                }
                1 => format!("Trùng lặp với thủ tục {}", original.code),
                _ => {
                    gone.name = format!("{} (theo quy định cũ)", original.name);
                    "Căn cứ pháp lý đã bị bãi bỏ".to_owned()
                }
            };
            abolition += 1;
            let option_number = next_number();
            numbered.push(option(
                option_number,
                &gone,
                OptionKind::Abolish,
                Proposal::default(),
                &reason,
            ));
            published.push(gone);
            fates.push(Fate::Abolished {
                option: option_number,
                reason,
            });
        }
    }
    // Proposed since, for the next round: services to raise online, not yet decided.
    for (count, &index) in proposed.iter().enumerate() {
        let data = &working[index];
        let mut proposal_option = option(
            next_number(),
            data,
            OptionKind::RaiseOnline,
            Proposal {
                tier: Some(4),
                ..Proposal::default()
            },
            "Thủ tục có số hồ sơ lớn: đề xuất cung cấp trực tuyến toàn trình",
        );
        proposal_option.state = if count % 2 == 0 {
            OptionState::Proposed
        } else {
            OptionState::Accepted
        };
        proposal_option.recorded_at = "2024-09-01T00:00:00Z".to_owned();
        numbered.push(proposal_option);
    }
    numbered.sort_by_key(|option| option.number);
    History {
        published,
        fates,
        added: replaced,
        options: numbered,
    }
}
