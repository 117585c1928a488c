//! The audit's quality and speed. Run: `cargo bench --bench audit`.
//!
//! Quality: a labelled set built from the real lists in `../shared/realdata/`. Every real
//! procedure is kept (distinct codes of the national database: real near-identical names are
//! the hard negatives); copies of a sample are injected, each retyped one way a duplicate
//! arises, with a new code (or the same code in its local form). Precision and recall of the
//! duplicate findings are counted over pairs: a finding of n entries is n·(n−1)/2 pairs.
//! Real pairs the lists themselves hold with the same wording (equal ignoring case, spaces and
//! punctuation) are reported apart: whether they are one procedure the lists do not say.
//!
//! Speed: the audit of a generated 120,000-procedure catalogue (63 provinces), with the
//! recall of the duplicates the generator planted there.

/// The binary's allocator (see Cargo.toml), so that the figures are the application's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use procedure_catalogue::audit::{self, FindingKind};
use procedure_catalogue::domain::{Level, Procedure, parse_date};
use procedure_catalogue::generator::{GeneratorConfig, generate, write_catalogue};
use procedure_catalogue::import::{ImportOptions, LevelGroup, apply_import, plan_import};
use procedure_catalogue::store::{Catalogue, Change};
use procedure_catalogue::text::fold;
use unicode_normalization::UnicodeNormalization;

/// Ways a duplicate is retyped. Written here, apart from the generator, so the audit is not
/// only measured against the generator's own idea of a duplicate.
const VARIATIONS: &[&str] = &[
    "local_code",
    "no_diacritics",
    "upper_case",
    "lower_case",
    "decomposed_unicode",
    "thu_tuc_prefix",
    "level_suffix",
    "trailing_punctuation",
    "comma_spacing",
    "extra_spaces",
    "broken_spacing",
    "typo_swap",
    "typo_drop",
    "typo_double",
    "no_diacritics_upper",
    "prefix_and_suffix",
];

fn main() {
    quality();
    speed();
}

/// A small deterministic generator (xorshift), so every run measures the same set.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn quality() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        println!("quality: skipped, {} is not there", dir.display());
        return;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    files.sort();
    let temp = tempfile::tempdir().expect("temporary folder");
    let mut catalogue = Catalogue::create(&temp.path().join("real.sqlite")).expect("create");
    for file in &files {
        // Every real entry is kept, as the province's own, whatever the list says of its
        // level: central ones and those whose agency tells nothing are the hard negatives too.
        let options = ImportOptions {
            group_levels: LevelGroup::ALL
                .into_iter()
                .map(|group| (group, Level::Province))
                .collect(),
            ..ImportOptions::default()
        };
        let plan =
            plan_import(&catalogue, std::slice::from_ref(file), &options).expect("read real list");
        // The lists overlap (a procedure of two ministries): the first file's row counts.
        let mut plan = plan;
        plan.updated.clear();
        apply_import(&mut catalogue, &plan).expect("import real list");
    }
    let real = catalogue.procedures().expect("read");
    println!(
        "quality: {} real procedures from {} lists in {}",
        real.len(),
        files.len(),
        dir.display()
    );

    // Inject one retyped copy of every fourth real procedure, variations in turn.
    let mut rng = Rng(0x5eed_2026);
    let mut changes = Vec::new();
    let mut injected: Vec<(String, Level, String, &str)> = Vec::new(); // (orig, level, copy, how)
    let mut used: HashSet<(String, Level)> = real
        .iter()
        .map(|p| (p.data.code.clone(), p.data.level_or_province()))
        .collect();
    for (n, original) in real.iter().step_by(4).enumerate() {
        let how = VARIATIONS[n % VARIATIONS.len()];
        let level = original.data.level_or_province();
        let mut copy = original.data.clone();
        if how == "local_code" {
            copy.code = format!("{}.000.00.00.H55", original.data.code);
        } else {
            copy.name = retype(&mut rng, &original.data.name, how, level);
            copy.code = format!("9.{:06}", 100_000 + n);
        }
        if copy.name == original.data.name && how != "local_code" {
            continue; // nothing to retype (e.g. a name with no letter to swap)
        }
        if !used.insert((copy.code.clone(), level)) {
            continue;
        }
        injected.push((original.data.code.clone(), level, copy.code.clone(), how));
        changes.push(Change::Create(copy));
    }
    catalogue.apply_changes("inject", &changes).expect("inject");
    let all = catalogue.procedures().expect("read");

    let started = Instant::now();
    let findings = audit::audit(&all, &[], parse_date("2026-11-25").expect("date"));
    let took = started.elapsed();

    let key = |code: &str, level: Level| format!("{code}@{}", level.key());
    let pair = |a: String, b: String| if a < b { (a, b) } else { (b, a) };
    let positives: BTreeMap<(String, String), &str> = injected
        .iter()
        .map(|(orig, level, copy, how)| (pair(key(orig, *level), key(copy, *level)), *how))
        .collect();
    // Real pairs with the same wording (ignoring case, spaces, punctuation and a level
    // suffix): by CLI.md's definition duplicates, yet the lists give them distinct codes.
    // Set apart, and counted against precision in the strict figure.
    let wording = |p: &Procedure| -> String {
        let letters: String = p
            .data
            .name
            .nfc()
            .flat_map(char::to_lowercase)
            .filter(|c| c.is_alphanumeric())
            .collect();
        let own = format!(
            "cấp{}",
            p.data
                .level_or_province()
                .label_vi()
                .to_lowercase()
                .trim_start_matches("cấp ")
                .trim()
        );
        letters
            .strip_suffix(&own)
            .map(str::to_owned)
            .unwrap_or(letters)
    };
    let mut by_wording: BTreeMap<(Level, String), Vec<String>> = BTreeMap::new();
    for p in &real {
        by_wording
            .entry((p.data.level_or_province(), wording(p)))
            .or_default()
            .push(key(&p.data.code, p.data.level_or_province()));
    }
    let mut same_wording: BTreeSet<(String, String)> = BTreeSet::new();
    for codes in by_wording.values() {
        for i in 0..codes.len() {
            for j in i + 1..codes.len() {
                same_wording.insert(pair(codes[i].clone(), codes[j].clone()));
            }
        }
    }
    let code_of: BTreeMap<String, String> = injected
        .iter()
        .map(|(orig, level, copy, _)| (key(copy, *level), key(orig, *level)))
        .collect();

    let mut predicted: BTreeSet<(String, String)> = BTreeSet::new();
    for finding in findings.iter().filter(|f| f.kind == FindingKind::Duplicate) {
        let members: Vec<String> = finding
            .members
            .iter()
            .map(|m| key(&m.code, m.level))
            .collect();
        for i in 0..members.len() {
            for j in i + 1..members.len() {
                predicted.insert(pair(members[i].clone(), members[j].clone()));
            }
        }
    }
    // A copy of an entry of a same-wording pair duplicates both: count it with them.
    let excused = |(a, b): &(String, String)| {
        let real_a = code_of.get(a).unwrap_or(a).clone();
        let real_b = code_of.get(b).unwrap_or(b).clone();
        same_wording.contains(&pair(real_a, real_b))
    };
    let true_positive = predicted
        .iter()
        .filter(|p| positives.contains_key(*p))
        .count();
    let set_apart = predicted
        .iter()
        .filter(|p| !positives.contains_key(*p) && excused(p))
        .count();
    let false_positive: Vec<&(String, String)> = predicted
        .iter()
        .filter(|p| !positives.contains_key(*p) && !excused(p))
        .collect();
    let precision = true_positive as f64 / (true_positive + false_positive.len()).max(1) as f64;
    let strict =
        true_positive as f64 / (true_positive + false_positive.len() + set_apart).max(1) as f64;
    let recall = true_positive as f64 / positives.len().max(1) as f64;

    // Hard negatives: real pairs of one level whose names share most words.
    let mut hard_negatives = 0;
    let mut hard_negatives_flagged = 0;
    let tokens: Vec<BTreeSet<String>> = real
        .iter()
        .map(|p| fold(&p.data.name).split(' ').map(str::to_owned).collect())
        .collect();
    for i in 0..real.len() {
        for j in i + 1..real.len() {
            if real[i].data.level != real[j].data.level {
                continue;
            }
            let shared = tokens[i].intersection(&tokens[j]).count();
            let longer = tokens[i].len().max(tokens[j].len());
            let p = pair(
                key(&real[i].data.code, real[i].data.level_or_province()),
                key(&real[j].data.code, real[j].data.level_or_province()),
            );
            if shared as f64 >= 0.75 * longer as f64 && !same_wording.contains(&p) {
                hard_negatives += 1;
                if predicted.contains(&p) {
                    hard_negatives_flagged += 1;
                }
            }
        }
    }

    println!(
        "  injected duplicates {}, real same-wording pairs set apart {} (flagged {set_apart})",
        positives.len(),
        same_wording.len()
    );
    println!(
        "  hard negatives (real pairs sharing ≥ 75% of their words) {hard_negatives}, flagged as duplicate {hard_negatives_flagged}"
    );
    println!(
        "  duplicate pairs predicted {}: true {true_positive}, false {}",
        predicted.len(),
        false_positive.len()
    );
    println!("  PRECISION {precision:.3}   RECALL {recall:.3}   (audit {took:.2?})");
    println!("  strict precision, the set-apart pairs counted as false: {strict:.3}");
    let mut by_how: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for (p, how) in &positives {
        let entry = by_how.entry(how).or_default();
        entry.1 += 1;
        if predicted.contains(p) {
            entry.0 += 1;
        }
    }
    println!("  recall by variation:");
    for (how, (found, total)) in &by_how {
        println!("    {how:<22} {found:>3} / {total:<3}");
    }
    let name = |k: &String| {
        all.iter()
            .find(|p| &key(&p.data.code, p.data.level_or_province()) == k)
            .map(|p| p.data.name.clone())
            .unwrap_or_default()
    };
    for (a, b) in false_positive.iter().take(10) {
        println!("  false: {a} «{}» ~ {b} «{}»", name(a), name(b));
    }
    let missed: Vec<_> = positives
        .iter()
        .filter(|(p, _)| !predicted.contains(*p))
        .take(8)
        .collect();
    for ((a, b), how) in missed {
        println!("  missed ({how}): «{}» ~ «{}»", name(a), name(b));
    }
}

fn retype(rng: &mut Rng, name: &str, how: &str, level: Level) -> String {
    let strip = |s: &str| -> String {
        s.nfd()
            .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
            .map(|c| match c {
                'đ' => 'd',
                'Đ' => 'D',
                c => c,
            })
            .collect()
    };
    let suffix = format!(" ({})", level.label_vi().to_lowercase());
    // A letter inside a word: index of a char with letters on both sides.
    let mut inner = |chars: &[char]| -> Option<usize> {
        let spots: Vec<usize> = (1..chars.len().saturating_sub(1))
            .filter(|&i| {
                chars[i - 1].is_alphabetic()
                    && chars[i].is_alphabetic()
                    && chars[i + 1].is_alphabetic()
            })
            .collect();
        (!spots.is_empty()).then(|| spots[rng.below(spots.len())])
    };
    let mut chars: Vec<char> = name.chars().collect();
    match how {
        "no_diacritics" => strip(name),
        "upper_case" => name.to_uppercase(),
        "lower_case" => name.to_lowercase(),
        "decomposed_unicode" => name.nfd().collect(),
        "thu_tuc_prefix" => format!("Thủ tục {name}"),
        "level_suffix" => format!("{name}{suffix}"),
        "trailing_punctuation" => format!("{name};"),
        "comma_spacing" => name.replace(", ", " , ").replacen(" ", " - ", 1),
        "extra_spaces" => name.replace(' ', "   "),
        "broken_spacing" => name
            .split(' ')
            .map(|w| {
                let mut cs = w.chars();
                match (cs.next(), w.chars().count()) {
                    (Some(first), n) if n > 2 => format!("{first} {}", cs.as_str()),
                    _ => w.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join(" "),
        "typo_swap" => {
            if let Some(i) = inner(&chars) {
                chars.swap(i, i + 1);
            }
            chars.into_iter().collect()
        }
        "typo_drop" => {
            if let Some(i) = inner(&chars) {
                chars.remove(i);
            }
            chars.into_iter().collect()
        }
        "typo_double" => {
            if let Some(i) = inner(&chars) {
                chars.insert(i, chars[i]);
            }
            chars.into_iter().collect()
        }
        "no_diacritics_upper" => strip(name).to_uppercase(),
        "prefix_and_suffix" => format!("THỦ TỤC {}{suffix}", name.to_lowercase()),
        _ => name.to_owned(),
    }
}

fn speed() {
    const PROCEDURES: usize = 120_000;
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("national.sqlite");
    let generated = generate(&GeneratorConfig::national(PROCEDURES, 63, 11)).expect("generate");
    write_catalogue(&path, &generated).expect("write");
    let catalogue = Catalogue::open_read_only(&path).expect("open");
    let as_of = parse_date("2026-11-25").expect("date");

    let mut runs = Vec::new();
    let mut report = None;
    for _ in 0..3 {
        let started = Instant::now();
        let entries = catalogue.procedures().expect("read");
        let documents = catalogue.legal_documents().expect("read");
        let loaded = started.elapsed();
        let findings = audit::audit(&entries, &documents, as_of);
        let total = started.elapsed();
        runs.push((loaded, total - loaded, total));
        report = Some(findings);
    }
    let findings = report.expect("ran");
    println!("\nspeed: audit of {PROCEDURES} procedures in 63 provinces");
    for (n, (loaded, audited, total)) in runs.iter().enumerate() {
        println!(
            "  run {}: read {loaded:.2?} + audit {audited:.2?} = {total:.2?}",
            n + 1
        );
    }
    let count = |kind| findings.iter().filter(|f| f.kind == kind).count();
    println!(
        "  findings: {} duplicate, {} similar, {} obsolete, {} incomplete",
        count(FindingKind::Duplicate),
        count(FindingKind::Similar),
        count(FindingKind::Obsolete),
        count(FindingKind::Incomplete)
    );
    let found: HashSet<Vec<(String, Level)>> = findings
        .iter()
        .map(|f| {
            let mut members: Vec<(String, Level)> = f
                .members
                .iter()
                .map(|m| (m.code.clone(), m.level))
                .collect();
            members.sort();
            members
        })
        .collect();
    let mut per_kind: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for defect in &generated.planted {
        let mut members = defect.procedures.clone();
        members.sort();
        let entry = per_kind.entry(defect.rule.kind().key()).or_default();
        entry.1 += 1;
        if found.contains(&members) {
            entry.0 += 1;
        }
    }
    for (kind, (hit, total)) in per_kind {
        println!("  planted {kind}: {hit} / {total} found");
    }
}
