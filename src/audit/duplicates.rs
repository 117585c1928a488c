//! Duplicate and similar entries: the same procedure entered twice at one level, and
//! different procedures whose names differ in a decisive word (merge candidates).
//!
//! Entries are compared only within a scope — one level of one province — so that a national
//! catalogue, where every province lists "Đăng ký khai sinh", raises nothing. Inside a scope:
//! equal national codes, then equal canonical names (a hash lookup), then near names found by
//! prefix filtering on rare words, so no pair of unrelated names is ever compared.

use std::collections::{BTreeSet, HashMap};

use super::names::{CanonicalName, same_name_explanation, typo_differences};
use crate::domain::{Level, Procedure, national_code};

/// Two names are "similar" when they share this share of their words (of the longer).
const SIMILAR_OVERLAP: f64 = 0.8;

/// A pair or group the duplicate search found, by index into the audited entries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// `same_code`, `same_name` or, for a similar pair, `similar_name`.
    pub rule: &'static str,
    pub members: Vec<usize>,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Matches {
    pub duplicates: Vec<Match>,
    pub similar: Vec<Match>,
}

/// The province a code belongs to: the `H55` of `1.015027.000.00.00.H55`, or `""`.
fn province_suffix(code: &str) -> &str {
    let national = national_code(code);
    if national.len() == code.len() {
        return "";
    }
    code.rsplit('.').next().unwrap_or("")
}

pub fn find(entries: &[&Procedure]) -> Matches {
    // One province's catalogue mixes bare national codes with its own local forms: one
    // scope. A national compilation holds many provinces: each its own.
    let suffixes: BTreeSet<&str> = entries
        .iter()
        .map(|p| province_suffix(&p.data.code))
        .filter(|s| !s.is_empty())
        .collect();
    let multi_province = suffixes.len() > 1;
    let mut scopes: HashMap<(Level, &str), Vec<usize>> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let suffix = if multi_province {
            province_suffix(&entry.data.code)
        } else {
            ""
        };
        scopes
            .entry((entry.data.level_or_province(), suffix))
            .or_default()
            .push(index);
    }
    let names: Vec<CanonicalName> = entries
        .iter()
        .map(|p| CanonicalName::of(&p.data.name, p.data.level_or_province()))
        .collect();
    // Word rarity over the whole catalogue orders each name's words for prefix filtering.
    let mut frequency: HashMap<&str, u32> = HashMap::new();
    for name in &names {
        let unique: BTreeSet<&str> = name.tokens.iter().map(String::as_str).collect();
        for token in unique {
            *frequency.entry(token).or_default() += 1;
        }
    }
    let mut scope_keys: Vec<&(Level, &str)> = scopes.keys().collect();
    scope_keys.sort();
    let mut matches = Matches::default();
    for key in scope_keys {
        find_in_scope(entries, &names, &frequency, &scopes[key], &mut matches);
    }
    matches
}

fn find_in_scope(
    entries: &[&Procedure],
    names: &[CanonicalName],
    frequency: &HashMap<&str, u32>,
    scope: &[usize],
    matches: &mut Matches,
) {
    let mut clusters = UnionFind::new(entries.len());
    let mut edges: Vec<(usize, usize, &'static str, String)> = Vec::new();

    let mut by_code: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in scope {
        by_code
            .entry(national_code(&entries[i].data.code))
            .or_default()
            .push(i);
        if !names[i].compact.is_empty() {
            by_name.entry(&names[i].compact).or_default().push(i);
        }
    }
    for group in by_code.values().filter(|g| g.len() > 1) {
        for &other in &group[1..] {
            if clusters.union(group[0], other) {
                let reason = format!(
                    "Cùng mã thủ tục {} ({} và {})",
                    national_code(&entries[group[0]].data.code),
                    entries[group[0]].data.code,
                    entries[other].data.code
                );
                edges.push((group[0], other, "same_code", reason));
            }
        }
    }
    for group in by_name.values().filter(|g| g.len() > 1) {
        for &other in &group[1..] {
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
                edges.push((group[0], other, "same_name", reason));
            }
        }
    }

    // Near names: candidates share a word among their rarest few.
    let sorted_tokens: HashMap<usize, Vec<&str>> = scope
        .iter()
        .map(|&i| {
            let mut tokens: Vec<&str> = names[i]
                .tokens
                .iter()
                .map(String::as_str)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            tokens.sort_by_key(|t| (frequency.get(t).copied().unwrap_or(0), *t));
            (i, tokens)
        })
        .collect();
    let prefix_len = |n: usize| {
        let similar = n + 1 - ((n as f64) * SIMILAR_OVERLAP).ceil() as usize;
        similar.max(3).min(n)
    };
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut similar_pairs = Vec::new();
    for &i in scope {
        let tokens = &sorted_tokens[&i];
        let prefix = &tokens[..prefix_len(tokens.len())];
        let mut candidates: BTreeSet<usize> = BTreeSet::new();
        for token in prefix {
            if let Some(seen) = index.get(token) {
                candidates.extend(seen.iter().copied());
            }
        }
        for token in prefix {
            index.entry(token).or_default().push(i);
        }
        for j in candidates {
            if clusters.find(i) == clusters.find(j) {
                continue;
            }
            let (a, b) = (&names[j], &names[i]);
            if let Some(typos) = typo_differences(a, b) {
                clusters.union(i, j);
                let words: Vec<String> = typos
                    .iter()
                    .map(|(x, y)| format!("«{x}» / «{y}»"))
                    .collect();
                let reason = format!("Cùng tên, khác một lỗi gõ: {}", words.join(", "));
                edges.push((j, i, "same_name", reason));
                continue;
            }
            let overlap = sorted_tokens[&i]
                .iter()
                .filter(|t| sorted_tokens[&j].contains(t))
                .count();
            let longer = sorted_tokens[&i].len().max(sorted_tokens[&j].len());
            if longer >= 4 && overlap as f64 >= SIMILAR_OVERLAP * longer as f64 {
                similar_pairs.push((j, i));
            }
        }
    }

    // Duplicate clusters: one finding per group of entries linked by any duplicate rule.
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for &i in scope {
        groups.entry(clusters.find(i)).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for group in &mut groups {
        group.sort_unstable();
    }
    groups.sort();
    for members in groups {
        let in_group: Vec<&(usize, usize, &str, String)> = edges
            .iter()
            .filter(|(a, _, _, _)| members.binary_search(a).is_ok())
            .collect();
        let rule = if in_group.iter().any(|(_, _, rule, _)| *rule == "same_code") {
            "same_code"
        } else {
            "same_name"
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
    let mut families = UnionFind::new(entries.len());
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
            rule: "similar_name",
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
}

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

    fn run(entries: &[Procedure]) -> Matches {
        find(&entries.iter().collect::<Vec<_>>())
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
        assert_eq!(found.duplicates[0].rule, "same_code");
        assert_eq!(found.duplicates[0].members, [0, 1, 2]);
        assert_eq!(found.duplicates[1].rule, "same_name");
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
