//! Two provinces' catalogues to merge, with what a merge must find planted and counted: the
//! same procedures under the same national code (the other with its own `.H06` suffix),
//! some with a different fee or processing time (conflicts), some under another code with
//! the same name, agencies already renamed after the 2025 department mergers, and
//! procedures only one side has.

use std::collections::HashSet;

use super::{Generated, GeneratorConfig, generate};
use crate::audit::names::CanonicalName;
use crate::domain::{Fee, Level, ProcedureData, ProcessingTime, TimeUnit, national_code};

/// Old department names the default agency map renames, and their new names.
const RENAMED: [(&str, &str); 2] = [
    ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
    ("Sở Giao thông vận tải", "Sở Xây dựng"),
];

/// What the generator planted, which a merge must find.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MergePlanted {
    pub matched_by_code: usize,
    pub matched_by_name: usize,
    /// Pairs matched by code whose fee or processing time differs.
    pub conflicting: usize,
    /// Pairs matched by code where only the other has a fee or processing time (one
    /// planted missing here): a gap the merge fills, not a conflict.
    pub gaps_filled: usize,
    pub only_here: usize,
    pub only_there: usize,
    /// Entries of the other catalogue written with a department's new name where this
    /// one has the old name.
    pub renamed_there: usize,
}

pub struct GeneratedPair {
    pub here: Generated,
    pub there: Generated,
    pub planted: MergePlanted,
}

/// The other province's local suffix (Bắc Kạn's place in the list of 63).
const THERE_SUFFIX: &str = ".000.00.00.H06";

/// How many procedures one generated province holds at most (its vocabulary's names).
const PER_PROVINCE: usize = 1_400;

/// `procedures` entries here, about as many there; deterministic for a seed. Up to about
/// 1,270 here, one province's plain national codes; more spread over provinces, each with
/// its suffix (for benchmarks).
pub fn generate_pair(procedures: usize, seed: u64) -> Result<GeneratedPair, String> {
    let extra = procedures / 10;
    let base = generate(&GeneratorConfig {
        seed,
        procedures: procedures + extra,
        provinces: (procedures + extra).div_ceil(PER_PROVINCE),
    })?;
    let many = base.procedures.len() > PER_PROVINCE;
    // Every eleventh entry (up to `extra`) is the other's own: both sides hold every level.
    let (mut here_entries, mut extras) = (Vec::new(), Vec::new());
    for (index, mut data) in base.procedures.into_iter().enumerate() {
        if many {
            // One province as big as many: each entry its own national code, as in one
            // province's catalogue (the generated provinces repeat theirs).
            data.code = format!("{}.{:06}", 1 + index / 1_000_000, index % 1_000_000);
        }
        if index % 11 == 10 && extras.len() < extra {
            extras.push(data);
        } else {
            here_entries.push(data);
        }
    }
    let here_names: HashSet<(String, Level)> = here_entries.iter().map(name_key).collect();
    let here_codes: HashSet<(String, Level)> = here_entries
        .iter()
        .map(|d| (national_code(&d.code).to_owned(), d.level_or_province()))
        .collect();
    let mut planted = MergePlanted::default();
    let mut there_entries = Vec::new();
    // A procedure entered twice here (a planted duplicate under the national code and a
    // local one) has one code there: its second copy would be the same entry.
    let mut there_identities: HashSet<(String, Level)> = HashSet::new();
    for (index, data) in here_entries.iter().enumerate() {
        let mut copy = data.clone();
        copy.code = match index % 10 {
            0..=5 => format!("{}{THERE_SUFFIX}", national_code(&data.code)),
            // The same procedure, numbered differently there.
            6 => format!("9.{index:06}{THERE_SUFFIX}"),
            _ => {
                planted.only_here += 1;
                continue;
            }
        };
        if !there_identities.insert((copy.code.clone(), copy.level_or_province())) {
            planted.only_here += 1;
            continue;
        }
        if index % 10 == 6 {
            planted.matched_by_name += 1;
            there_entries.push(copy);
            continue;
        }
        match index % 10 {
            0 => copy.fee = Fee::parse(&format!("{}.000 đồng", 10 * (1 + index % 7) + 5)),
            1 => {
                copy.processing_time =
                    ProcessingTime::of((index % 13 + 61) as f64, TimeUnit::WorkingDays)
            }
            _ => {}
        }
        let changed = |mine: &str, theirs: &str| mine != theirs;
        let fee = changed(data.fee.text(), copy.fee.text());
        let time = changed(data.processing_time.text(), copy.processing_time.text());
        let empty_here = (fee && data.fee.is_empty()) || (time && data.processing_time.is_empty());
        if fee || time {
            if empty_here {
                planted.gaps_filled += 1;
            } else {
                planted.conflicting += 1;
            }
        }
        if let Some((_, new)) = RENAMED.iter().find(|(old, _)| *old == data.agency) {
            copy.agency = (*new).to_owned();
            planted.renamed_there += 1;
        }
        planted.matched_by_code += 1;
        there_entries.push(copy);
    }
    // Procedures only the other has: none that shares a code or a name with one here.
    let mut there_names: HashSet<(String, Level)> = HashSet::new();
    for mut data in extras {
        let key = name_key(&data);
        let code = (
            national_code(&data.code).to_owned(),
            data.level_or_province(),
        );
        if here_names.contains(&key) || here_codes.contains(&code) || !there_names.insert(key) {
            continue;
        }
        data.code = format!("{}{THERE_SUFFIX}", national_code(&data.code));
        if !there_identities.insert((data.code.clone(), data.level_or_province())) {
            continue;
        }
        planted.only_there += 1;
        there_entries.push(data);
    }
    let documents = base.documents;
    Ok(GeneratedPair {
        here: Generated {
            procedures: here_entries,
            documents: documents.clone(),
            planted: Vec::new(),
        },
        there: Generated {
            procedures: there_entries,
            documents,
            planted: Vec::new(),
        },
        planted,
    })
}

fn name_key(data: &ProcedureData) -> (String, Level) {
    let level = data.level_or_province();
    (CanonicalName::of(&data.name, level).compact, level)
}
