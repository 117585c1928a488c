//! Duplicate and similar entries: the same procedure entered twice at one level, and
//! different procedures whose names differ in a decisive word (merge candidates).
//!
//! Entries are compared only within a scope — one level of one province — so that a national
//! catalogue, where every province lists "Đăng ký khai sinh", raises nothing. Inside a scope:
//! equal national codes, then equal canonical names (a hash lookup), then near names found by
//! prefix filtering on rare words, so no pair of unrelated names is ever compared.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Rule;
use super::names::{CanonicalName, MAX_TYPO_WORDS, same_name_explanation, typo_differences};
use crate::domain::{Level, Procedure, ProcedureData, national_code};
use crate::text::fold;

/// Two names are "similar" when they share this share of their words (of the longer).
const SIMILAR_OVERLAP: f64 = 0.8;

/// A pair or group the duplicate search found, by index into the audited entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// `SameCode`, `SameName` or, for a similar pair, `SimilarName`.
    pub rule: Rule,
    pub members: Vec<usize>,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    pub duplicates: Vec<Match>,
    pub similar: Vec<Match>,
}

/// Whether two entries named alike are told apart by what they hold: another executing
/// agency, or two of another field, legal basis, processing time or fee, each compared only
/// where both have it. The same national code is the same procedure whatever its entries say.
fn told_apart(a: &ProcedureData, b: &ProcedureData) -> bool {
    if national_code(&a.code) == national_code(&b.code) {
        return false;
    }
    // One wording inside the other ("Sở Tư pháp", "Sở Tư pháp tỉnh Thái Nguyên") is the same.
    let differs = |x: &str, y: &str| {
        let (x, y) = (fold(x), fold(y));
        !x.is_empty() && !y.is_empty() && !x.contains(&y) && !y.contains(&x)
    };
    let disjoint = !a.legal_basis.is_empty()
        && !b.legal_basis.is_empty()
        && a.legal_basis.iter().all(|n| !b.legal_basis.contains(n));
    let times = (
        a.processing_time.longest_working_days(),
        b.processing_time.longest_working_days(),
    );
    let fees = (a.fee.amount_vnd(), b.fee.amount_vnd());
    let differences = [
        differs(&a.agency, &b.agency),
        differs(&a.field, &b.field),
        disjoint,
        matches!(times, (Some(x), Some(y)) if x != y),
        matches!(fees, (Some(x), Some(y)) if x != y),
    ]
    .into_iter()
    .filter(|d| *d)
    .count();
    // Another executing agency alone tells two publications apart (a ministry's pilot and
    // the provinces' own); any two other differences do too.
    differs(&a.agency, &b.agency) || differences >= 2
}

/// The province a code belongs to: the `H55` of `1.015027.000.00.00.H55`, or `""`.
pub(crate) fn province_suffix(code: &str) -> &str {
    let national = national_code(code);
    if national.len() == code.len() {
        return "";
    }
    code.rsplit('.').next().unwrap_or("")
}

/// The scope entries are compared within: their level, and in a national compilation their
/// province. One province's catalogue mixes bare national codes with its own local forms: one
/// scope per level. A national compilation holds many provinces: each its own.
///
/// `entries` gives each entry's code and level; returns the entries of each scope by index,
/// scopes in the order of their level and province, entries in the order given.
pub fn scopes<'a>(entries: impl Iterator<Item = (&'a str, Level)> + Clone) -> Vec<Vec<usize>> {
    let suffixes: BTreeSet<&str> = entries
        .clone()
        .map(|(code, _)| province_suffix(code))
        .filter(|s| !s.is_empty())
        .collect();
    let multi_province = suffixes.len() > 1;
    let mut scopes: BTreeMap<(Level, &str), Vec<usize>> = BTreeMap::new();
    for (index, (code, level)) in entries.enumerate() {
        let suffix = if multi_province {
            province_suffix(code)
        } else {
            ""
        };
        scopes.entry((level, suffix)).or_default().push(index);
    }
    scopes.into_values().collect()
}

/// Duplicates and similar entries among the entries of one scope (see [`scopes`]), by index
/// into `entries`, given their canonical names (`names[i]` is `entries[i]`'s);
/// `vocabulary` holds the words of the whole catalogue's names (which words are rare is a
/// property of the catalogue, not of one province).
pub fn find_in(
    entries: &[&Procedure],
    names: &[&CanonicalName],
    vocabulary: &Vocabulary,
) -> Matches {
    debug_assert!(
        entries.iter().zip(names).all(|(p, name)| {
            **name == CanonicalName::of(&p.data.name, p.data.level_or_province())
        }),
        "canonical names of other entries"
    );
    let words = Words::of(vocabulary, names);
    find_in_scope(entries, names, &words)
}

/// Every word of a catalogue's names as a number, in the order first met, with how many
/// names use it. Built from every name, in the catalogue's order, before any scope is
/// searched; then only read.
#[derive(Debug, Default)]
pub struct Vocabulary {
    numbers: HashMap<String, u32>,
    counts: Vec<u32>,
}

impl Vocabulary {
    /// The words of `names`, each name counted once.
    pub fn of<'n>(names: impl IntoIterator<Item = &'n CanonicalName>) -> Vocabulary {
        let mut vocabulary = Vocabulary::default();
        for name in names {
            vocabulary.add(name);
        }
        vocabulary
    }

    /// Counts the words of one more name.
    pub fn add(&mut self, name: &CanonicalName) {
        let mut own: Vec<u32> = name
            .tokens
            .iter()
            .map(|token| match self.numbers.get(token.as_str()) {
                Some(&number) => number,
                None => {
                    let number = self.counts.len() as u32;
                    self.numbers.insert(token.clone(), number);
                    self.counts.push(0);
                    number
                }
            })
            .collect();
        own.sort_unstable();
        own.dedup();
        for number in own {
            self.counts[number as usize] += 1;
        }
    }

    fn frequency(&self, word: &str) -> u32 {
        self.numbers
            .get(word)
            .map_or(0, |&number| self.counts[number as usize])
    }
}

/// The words of one scope's names, numbered by the catalogue's [`Vocabulary`].
struct Words<'v> {
    vocabulary: &'v Vocabulary,
    /// Per entry: its distinct words, rarest first (ties by number), for prefix filtering.
    by_rarity: Vec<Vec<u32>>,
    /// Per entry: its distinct words in ascending number, for counting shared words.
    sorted: Vec<Vec<u32>>,
}

impl<'v> Words<'v> {
    fn of(vocabulary: &'v Vocabulary, names: &[&CanonicalName]) -> Words<'v> {
        let sorted: Vec<Vec<u32>> = names
            .iter()
            .map(|name| {
                // Every name was counted into the vocabulary (read in one snapshot).
                let mut own: Vec<u32> = name
                    .tokens
                    .iter()
                    .filter_map(|token| vocabulary.numbers.get(token.as_str()).copied())
                    .collect();
                own.sort_unstable();
                own.dedup();
                own
            })
            .collect();
        let counts = &vocabulary.counts;
        let by_rarity = sorted
            .iter()
            .map(|own| {
                let mut rare = own.clone();
                rare.sort_unstable_by_key(|&id| (counts[id as usize], id));
                rare
            })
            .collect();
        Words {
            vocabulary,
            by_rarity,
            sorted,
        }
    }
}

/// How many of a name's rarest words two names must share one of, so that no pair within
/// the typo or the similarity limit is missed: with at most k words not shared, one of the
/// k + 1 rarest is shared.
fn prefix_len(words: usize) -> usize {
    let typo = MAX_TYPO_WORDS.min((words / 4).max(1)) + 1;
    let similar = words + 1 - ((words as f64) * SIMILAR_OVERLAP).ceil() as usize;
    typo.max(similar).min(words)
}

fn find_in_scope(entries: &[&Procedure], names: &[&CanonicalName], words: &Words<'_>) -> Matches {
    let mut matches = Matches::default();
    // Entries by the rare words of their names; a mark per entry (the last entry that
    // listed it as a candidate); groups of duplicates and of similar names.
    let mut index: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut mark = vec![usize::MAX; entries.len()];
    let mut clusters = UnionFind::new(entries.len());
    let mut families = UnionFind::new(entries.len());
    // Which words the entry being searched has: stamped with its number + 1.
    let mut has_word = vec![0_u32; words.vocabulary.counts.len()];
    let mut edges: Vec<(usize, usize, Rule, String)> = Vec::new();

    let mut by_code: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for i in 0..entries.len() {
        by_code
            .entry(national_code(&entries[i].data.code))
            .or_default()
            .push(i);
        if !names[i].compact.is_empty() {
            by_name.entry(&names[i].compact).or_default().push(i);
        }
    }
    let mut code_groups: Vec<&Vec<usize>> = by_code.values().filter(|g| g.len() > 1).collect();
    code_groups.sort();
    for group in code_groups {
        for &other in &group[1..] {
            if clusters.union(group[0], other) {
                let reason = format!(
                    "Cùng mã thủ tục {} ({} và {})",
                    national_code(&entries[group[0]].data.code),
                    entries[group[0]].data.code,
                    entries[other].data.code
                );
                edges.push((group[0], other, Rule::SameCode, reason));
            }
        }
    }
    let mut name_groups: Vec<&Vec<usize>> = by_name.values().filter(|g| g.len() > 1).collect();
    name_groups.sort();
    let mut similar_pairs = Vec::new();
    for group in name_groups {
        for &other in &group[1..] {
            // Named alike, but told apart by what they hold: different procedures.
            if told_apart(&entries[group[0]].data, &entries[other].data) {
                similar_pairs.push((group[0], other));
                continue;
            }
            if clusters.union(group[0], other) {
                let level = entries[other].data.level_or_province();
                let how = same_name_explanation(
                    &entries[group[0]].data.name,
                    &entries[other].data.name,
                    level,
                );
                let reason = if how.is_empty() {
                    "Trùng tên".to_owned()
                } else {
                    format!("Cùng tên, chỉ khác: {}", how.join(", "))
                };
                edges.push((group[0], other, Rule::SameName, reason));
            }
        }
    }

    // Near names: candidates share a word among their rarest few.
    let frequency = |word: &str| words.vocabulary.frequency(word);
    let mut candidates = Vec::new();
    for i in 0..entries.len() {
        for &word in &words.sorted[i] {
            has_word[word as usize] = i as u32 + 1;
        }
        let rare = &words.by_rarity[i];
        let prefix = &rare[..prefix_len(rare.len())];
        candidates.clear();
        for token in prefix {
            if let Some(seen) = index.get(token) {
                for &j in seen {
                    if mark[j] != i {
                        mark[j] = i;
                        candidates.push(j);
                    }
                }
            }
        }
        for token in prefix {
            index.entry(*token).or_default().push(i);
        }
        candidates.sort_unstable();
        for &j in &candidates {
            if clusters.find(i) == clusters.find(j) {
                continue;
            }
            let (a, b) = (&names[j], &names[i]);
            if let Some(typos) = typo_differences(a, b, &frequency)
                .filter(|_| !told_apart(&entries[j].data, &entries[i].data))
            {
                clusters.union(i, j);
                let words: Vec<String> = typos
                    .iter()
                    .map(|(x, y)| format!("«{x}» / «{y}»"))
                    .collect();
                let reason = format!("Cùng tên, khác một lỗi gõ: {}", words.join(", "));
                edges.push((j, i, Rule::SameName, reason));
                continue;
            }
            let (x, y) = (words.sorted[i].len(), words.sorted[j].len());
            let (longer, shorter) = (x.max(y), x.min(y));
            // Sizes alone can rule the pair out before counting shared words.
            let needed = SIMILAR_OVERLAP * longer as f64;
            let shared = || {
                words.sorted[j]
                    .iter()
                    .filter(|&&word| has_word[word as usize] == i as u32 + 1)
                    .count()
            };
            if longer >= 4 && shorter as f64 >= needed && shared() as f64 >= needed {
                similar_pairs.push((j, i));
            }
        }
    }

    // Duplicate clusters: one finding per group of entries linked by any duplicate rule.
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..entries.len() {
        groups.entry(clusters.find(i)).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort();
    for members in groups {
        let in_group: Vec<&(usize, usize, Rule, String)> = edges
            .iter()
            .filter(|(a, _, _, _)| members.binary_search(a).is_ok())
            .collect();
        let rule = if in_group
            .iter()
            .any(|(_, _, rule, _)| *rule == Rule::SameCode)
        {
            Rule::SameCode
        } else {
            Rule::SameName
        };
        let mut reasons: Vec<&str> = in_group.iter().map(|(_, _, _, r)| r.as_str()).collect();
        reasons.dedup();
        matches.duplicates.push(Match {
            rule,
            members,
            reason: reasons.join("; "),
        });
    }
    // Similar names: families of entries linked by similar pairs (the same permit issued,
    // re-issued, extended …), one merge-candidate finding each.
    for &(a, b) in &similar_pairs {
        if clusters.find(a) != clusters.find(b) {
            families.union(a, b);
        }
    }
    let mut grouped: HashMap<usize, Vec<usize>> = HashMap::new();
    for &(a, b) in &similar_pairs {
        if clusters.find(a) != clusters.find(b) {
            let root = families.find(a);
            grouped.entry(root).or_default().extend([a, b]);
        }
    }
    let mut grouped: Vec<Vec<usize>> = grouped
        .into_values()
        .map(|mut members| {
            members.sort_unstable();
            members.dedup();
            // One entry per duplicate group: its copies are already a duplicate finding.
            let mut seen = BTreeSet::new();
            members.retain(|&m| seen.insert(clusters.find(m)));
            members
        })
        .filter(|members| members.len() > 1)
        .collect();
    grouped.sort();
    for members in grouped {
        let common: Vec<&String> = names[members[0]]
            .tokens
            .iter()
            .filter(|t| members.iter().all(|&m| names[m].tokens.contains(t)))
            .collect();
        let mut variants: Vec<String> = members
            .iter()
            .map(|&m| {
                let own: Vec<&str> = names[m]
                    .tokens
                    .iter()
                    .filter(|t| !common.contains(t))
                    .map(String::as_str)
                    .collect();
                if own.is_empty() {
                    "—".to_owned()
                } else {
                    own.join(" ")
                }
            })
            .collect();
        variants.sort();
        variants.dedup();
        matches.similar.push(Match {
            rule: Rule::SimilarName,
            members,
            reason: format!(
                "Tên gần giống, khác ở từ quyết định ({}): thủ tục khác nhau, có thể xem xét hợp nhất",
                variants
                    .iter()
                    .map(|v| format!("«{v}»"))
                    .collect::<Vec<_>>()
                    .join(" / ")
            ),
        });
    }
    matches
}

/// Groups of entries.
struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the groups of `a` and `b`; `false` when they were one group already.
    fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        // The smaller index leads, so groups come out the same on every run.
        let (root, child) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[child] = root;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ProcedureData;

    fn entry(id: i64, code: &str, name: &str, level: Level) -> Procedure {
        Procedure {
            procedure_id: id,
            data: ProcedureData {
                code: code.into(),
                name: name.into(),
                level: Some(level),
                ..ProcedureData::default()
            },
            retired: None,
        }
    }

    /// Every scope of `entries` searched, matches by index into `entries`.
    fn run(entries: &[Procedure]) -> Matches {
        let names: Vec<CanonicalName> = entries
            .iter()
            .map(|p| CanonicalName::of(&p.data.name, p.data.level_or_province()))
            .collect();
        let vocabulary = Vocabulary::of(&names);
        let mut matches = Matches::default();
        for scope in scopes(
            entries
                .iter()
                .map(|p| (p.data.code.as_str(), p.data.level_or_province())),
        ) {
            let members: Vec<&Procedure> = scope.iter().map(|&i| &entries[i]).collect();
            let member_names: Vec<&CanonicalName> = scope.iter().map(|&i| &names[i]).collect();
            let mut found = find_in(&members, &member_names, &vocabulary);
            for m in found.duplicates.iter_mut().chain(&mut found.similar) {
                for member in &mut m.members {
                    *member = scope[*member];
                }
            }
            matches.duplicates.extend(found.duplicates);
            matches.similar.extend(found.similar);
        }
        matches
    }

    #[test]
    fn same_code_in_local_form_and_same_name_retyped_are_duplicates() {
        let entries = [
            entry(1, "1.015027", "Cấp giấy phép xây dựng", Level::Province),
            entry(
                2,
                "1.015027.000.00.00.H55",
                "Cấp phép xây dựng mới",
                Level::Province,
            ),
            entry(3, "1.900001", "CẤP GIẤY PHÉP XÂY DỰNG", Level::Province),
            entry(4, "1.000002", "Đăng ký khai sinh lưu động", Level::Province),
            entry(5, "1.900002", "Đăgn ký khai sinh lưu động", Level::Province),
            // Same name at another level: not a duplicate.
            entry(6, "2.000002", "Đăng ký khai sinh lưu động", Level::Commune),
        ];
        let found = run(&entries);
        assert_eq!(found.duplicates.len(), 2, "{found:#?}");
        assert_eq!(found.duplicates[0].rule, Rule::SameCode);
        assert_eq!(found.duplicates[0].members, [0, 1, 2]);
        assert_eq!(found.duplicates[1].rule, Rule::SameName);
        assert_eq!(found.duplicates[1].members, [3, 4]);
        assert!(
            found.duplicates[1].reason.contains("lỗi gõ"),
            "{}",
            found.duplicates[1].reason
        );
    }

    #[test]
    fn decisive_words_make_similar_not_duplicate() {
        let entries = [
            entry(
                1,
                "1.000001",
                "Cấp giấy phép hoạt động dịch vụ việc làm",
                Level::Province,
            ),
            entry(
                2,
                "1.000002",
                "Cấp lại giấy phép hoạt động dịch vụ việc làm",
                Level::Province,
            ),
            entry(
                3,
                "1.000003",
                "Gia hạn giấy phép hoạt động dịch vụ việc làm",
                Level::Province,
            ),
            entry(4, "1.000004", "Đăng ký khai tử", Level::Province),
        ];
        let found = run(&entries);
        assert!(found.duplicates.is_empty(), "{found:#?}");
        assert!(!found.similar.is_empty());
        assert!(found.similar.iter().all(|m| !m.members.contains(&3)));
        assert_eq!(found.similar.len(), 1);
        assert_eq!(found.similar[0].members, [0, 1, 2]);
        assert!(
            found.similar[0].reason.contains("«cap lai»"),
            "{:?}",
            found.similar
        );
    }

    #[test]
    fn provinces_of_a_national_catalogue_are_separate_scopes() {
        let entries = [
            entry(
                1,
                "1.000001.000.00.00.H01",
                "Đăng ký khai sinh",
                Level::Commune,
            ),
            entry(
                2,
                "1.000001.000.00.00.H02",
                "Đăng ký khai sinh",
                Level::Commune,
            ),
            entry(
                3,
                "1.900001.000.00.00.H02",
                "Dang ky khai sinh",
                Level::Commune,
            ),
        ];
        let found = run(&entries);
        assert_eq!(found.duplicates.len(), 1);
        assert_eq!(found.duplicates[0].members, [1, 2]);
    }
}
