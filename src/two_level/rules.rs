//! The rules that propose where each district procedure goes when the district level is
//! abolished: the first rule whose text is found in the entry's field, agency or name (any
//! case, with or without diacritics) says the target level (or abolition) and the agency
//! that carries it out there. The officer edits them in the window, or as a CSV file with
//! the columns `Theo | Chứa | Chuyển về | Cơ quan thực hiện mới | Ghi chú`; a catalogue keeps
//! its own copy (a setting), so the edits stay with it.

use crate::domain::Level;
use crate::text::fold;

/// What part of an entry a rule looks in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Criterion {
    Agency,
    Field,
    Name,
    /// Every entry: the last rule, where the rest go.
    Any,
}

impl Criterion {
    pub const ALL: [Criterion; 4] = [
        Criterion::Agency,
        Criterion::Field,
        Criterion::Name,
        Criterion::Any,
    ];

    pub fn label_vi(self) -> &'static str {
        match self {
            Criterion::Agency => "Cơ quan thực hiện",
            Criterion::Field => "Lĩnh vực",
            Criterion::Name => "Tên thủ tục",
            Criterion::Any => "Mọi thủ tục",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Criterion::Agency => "agency",
            Criterion::Field => "field",
            Criterion::Name => "name",
            Criterion::Any => "any",
        }
    }

    fn parse(text: &str) -> Option<Criterion> {
        let folded = fold(text);
        Criterion::ALL.into_iter().find(|c| {
            folded == c.key()
                || folded == fold(c.label_vi())
                || (folded == "co quan" && *c == Criterion::Agency)
        })
    }
}

/// Where a rule sends the entries it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Destination {
    Commune,
    Province,
    Abolish,
}

impl Destination {
    pub const ALL: [Destination; 3] = [
        Destination::Commune,
        Destination::Province,
        Destination::Abolish,
    ];

    pub fn level(self) -> Option<Level> {
        match self {
            Destination::Commune => Some(Level::Commune),
            Destination::Province => Some(Level::Province),
            Destination::Abolish => None,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Destination::Commune => "commune",
            Destination::Province => "province",
            Destination::Abolish => "abolish",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Destination::Commune => "Cấp xã",
            Destination::Province => "Cấp tỉnh",
            Destination::Abolish => "Bãi bỏ",
        }
    }

    fn parse(text: &str) -> Option<Destination> {
        let folded = fold(text);
        if matches!(folded.as_str(), "abolish" | "bai bo") {
            return Some(Destination::Abolish);
        }
        match Level::parse(text)? {
            Level::Commune => Some(Destination::Commune),
            Level::Province => Some(Destination::Province),
            Level::District => None,
        }
    }
}

/// One rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelRule {
    pub criterion: Criterion,
    /// The text looked for (ignored for [`Criterion::Any`]).
    pub contains: String,
    pub destination: Destination,
    /// The agency there; empty keeps the entry's own.
    pub agency: String,
    pub note: String,
}

impl LevelRule {
    fn new(
        criterion: Criterion,
        contains: &str,
        destination: Destination,
        agency: &str,
        note: &str,
    ) -> LevelRule {
        LevelRule {
            criterion,
            contains: contains.to_owned(),
            destination,
            agency: agency.to_owned(),
            note: note.to_owned(),
        }
    }
}

/// A rules file that cannot be read: where and why.
pub type RulesError = crate::table_file::TableError;

const HEADERS: [&str; 5] = [
    "Theo",
    "Chứa",
    "Chuyển về",
    "Cơ quan thực hiện mới",
    "Ghi chú",
];

/// The rules in order: the first that matches decides.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelRules {
    pub rules: Vec<LevelRule>,
}

impl Default for LevelRules {
    /// What most provinces did in July 2025: the district People's Committee's and its
    /// offices' procedures go to the commune, the district inspectorate's to the province's
    /// inspectorate (district inspectorates were dissolved). Listed first so they win; the
    /// officer adds the province's own exceptions above the last rule.
    fn default() -> Self {
        use Criterion::{Agency, Any};
        use Destination::{Commune, Province};
        LevelRules {
            rules: vec![
                LevelRule::new(
                    Agency,
                    "Thanh tra huyện",
                    Province,
                    "Thanh tra tỉnh",
                    "Thanh tra cấp huyện giải thể, nhiệm vụ chuyển về Thanh tra tỉnh",
                ),
                LevelRule::new(
                    Agency,
                    "Chủ tịch UBND cấp huyện",
                    Commune,
                    "Chủ tịch UBND cấp xã",
                    "Thẩm quyền của Chủ tịch UBND cấp huyện chuyển cho Chủ tịch UBND cấp xã",
                ),
                LevelRule::new(
                    Agency,
                    "UBND cấp huyện",
                    Commune,
                    "UBND cấp xã",
                    "Thẩm quyền của UBND cấp huyện chuyển cho UBND cấp xã",
                ),
                LevelRule::new(
                    Agency,
                    "Phòng",
                    Commune,
                    "UBND cấp xã",
                    "Phòng chuyên môn cấp huyện: nhiệm vụ chuyển về UBND cấp xã",
                ),
                LevelRule::new(
                    Any,
                    "",
                    Commune,
                    "UBND cấp xã",
                    "Mặc định: thủ tục cấp huyện chuyển về cấp xã",
                ),
            ],
        }
    }
}

impl LevelRules {
    /// The index of the first rule matching an entry, given its field, agency and name.
    pub fn first_match(&self, field: &str, agency: &str, name: &str) -> Option<usize> {
        // Folded once per entry, not once per rule.
        let (field, agency, name) = (fold(field), fold(agency), fold(name));
        self.rules.iter().position(|rule| {
            let needle = fold(&rule.contains);
            let haystack = match rule.criterion {
                Criterion::Any => return true,
                Criterion::Agency => &agency,
                Criterion::Field => &field,
                Criterion::Name => &name,
            };
            !needle.is_empty() && haystack.contains(&needle)
        })
    }

    /// The rules as CSV text (UTF-8, a header row), as [`read_csv`](Self::read_csv) reads.
    pub fn to_csv(&self) -> String {
        crate::table_file::write(
            &HEADERS,
            self.rules.iter().map(|rule| {
                vec![
                    rule.criterion.label_vi(),
                    rule.contains.as_str(),
                    rule.destination.label_vi(),
                    rule.agency.as_str(),
                    rule.note.as_str(),
                ]
            }),
        )
    }

    /// Reads rules written by [`to_csv`](Self::to_csv) or by hand in a spreadsheet (a BOM,
    /// `;` as separator and English words `agency`/`commune` are accepted). A row that is not
    /// a rule is an error naming its line: a rule silently skipped would move procedures the
    /// officer meant to keep apart.
    pub fn read_csv(text: &str) -> Result<LevelRules, RulesError> {
        let mut rules = Vec::new();
        for row in crate::table_file::read(text, &HEADERS, 3)? {
            let line = row.line;
            let criterion = Criterion::parse(row.cell(0)).ok_or_else(|| RulesError {
                line,
                problem: format!(
                    "\"{}\" is not one of: {}",
                    row.cell(0),
                    Criterion::ALL.map(Criterion::label_vi).join(", ")
                ),
            })?;
            let destination = Destination::parse(row.cell(2)).ok_or_else(|| RulesError {
                line,
                problem: format!(
                    "\"{}\" is not one of: {}",
                    row.cell(2),
                    Destination::ALL.map(Destination::label_vi).join(", ")
                ),
            })?;
            if row.cell(1).is_empty() && criterion != Criterion::Any {
                return Err(RulesError {
                    line,
                    problem: format!(
                        "the rule on \"{}\" has no text to look for",
                        criterion.label_vi()
                    ),
                });
            }
            rules.push(LevelRule {
                criterion,
                contains: row.cell(1).to_owned(),
                destination,
                agency: row.cell(3).to_owned(),
                note: row.cell(4).to_owned(),
            });
        }
        if rules.is_empty() {
            return Err(RulesError {
                line: 0,
                problem: "the rules file holds no rule".to_owned(),
            });
        }
        Ok(LevelRules { rules })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_rule_decides_ignoring_case_and_diacritics() {
        let rules = LevelRules::default();
        let destination = |agency: &str| {
            let index = rules
                .first_match("Hộ tịch", agency, "Đăng ký khai sinh")
                .unwrap();
            (
                rules.rules[index].destination,
                rules.rules[index].agency.clone(),
            )
        };
        assert_eq!(
            destination("Chủ tịch UBND cấp huyện"),
            (Destination::Commune, "Chủ tịch UBND cấp xã".to_owned())
        );
        assert_eq!(
            destination("ubnd cap huyen"),
            (Destination::Commune, "UBND cấp xã".to_owned())
        );
        assert_eq!(
            destination("Thanh tra huyện"),
            (Destination::Province, "Thanh tra tỉnh".to_owned())
        );
        // Nothing named: the last rule, every entry.
        assert_eq!(
            destination(""),
            (Destination::Commune, "UBND cấp xã".to_owned())
        );
    }

    #[test]
    fn rules_read_back_what_they_write_and_a_bad_row_is_named() {
        let rules = LevelRules::default();
        assert_eq!(LevelRules::read_csv(&rules.to_csv()).unwrap(), rules);
        // As a spreadsheet saves it: a BOM, semicolons, English words.
        let typed = "\u{feff}Theo;Chứa;Chuyển về\nfield;Đất đai;province\nany;;commune\n";
        let read = LevelRules::read_csv(typed).unwrap();
        assert_eq!(read.rules.len(), 2);
        assert_eq!(read.rules[0].criterion, Criterion::Field);
        assert_eq!(read.rules[0].destination, Destination::Province);
        assert_eq!(read.rules[0].agency, "");
        let error =
            LevelRules::read_csv("Theo,Chứa,Chuyển về\nLĩnh vực,Đất đai,cấp huyện\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(error.problem.contains("cấp huyện"), "{error}");
        let error = LevelRules::read_csv("Theo,Chứa,Chuyển về\nLĩnh vực,,Cấp xã\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert!(LevelRules::read_csv("Mã,Tên\n1,2\n").unwrap_err().line == 1);
        assert_eq!(
            LevelRules::read_csv("Theo,Chứa,Chuyển về\n")
                .unwrap_err()
                .line,
            0
        );
    }
}
