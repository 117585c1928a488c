//! Which level of government carries a procedure out, as sources say it: the national
//! database's "Cấp thực hiện" ("Cấp bộ, Cấp tỉnh, Cấp xã", "Cơ quan khác"), or, when a list
//! has no such column, the executing agency's name ("Sở Tư pháp", "UBND cấp xã", "Cục Hàng
//! không Việt Nam"). A provincial catalogue holds the local levels; central procedures and
//! those of other bodies are recognised so they are never filed as provincial by default.

use std::collections::BTreeSet;

use super::Level;
use crate::text::fold;

/// How local government is organised, which decides the levels a catalogue publishes:
/// three levels (province, district, commune) until 30 June 2025; two (province, commune)
/// from 1 July 2025, when the district level was abolished (Resolution 202/2025/QH15).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum GovernmentModel {
    #[default]
    ThreeLevel,
    TwoLevel {
        since: super::Date,
    },
}

impl GovernmentModel {
    /// The day the two-level model took effect nationally.
    pub const TWO_LEVEL_START: super::Date = time::macros::date!(2025 - 07 - 01);

    pub fn two_level() -> GovernmentModel {
        GovernmentModel::TwoLevel {
            since: Self::TWO_LEVEL_START,
        }
    }

    /// The levels it has, in published order.
    pub fn levels(self) -> &'static [Level] {
        match self {
            GovernmentModel::ThreeLevel => &Level::ALL,
            GovernmentModel::TwoLevel { .. } => &[Level::Province, Level::Commune],
        }
    }

    pub fn holds(self, level: Level) -> bool {
        self.levels().contains(&level)
    }

    pub fn is_two_level(self) -> bool {
        matches!(self, GovernmentModel::TwoLevel { .. })
    }

    /// `three_level`, or `two_level` for the JSON of the command line.
    pub fn key(self) -> &'static str {
        match self {
            GovernmentModel::ThreeLevel => "three_level",
            GovernmentModel::TwoLevel { .. } => "two_level",
        }
    }

    /// The day it took effect, when it has one.
    pub fn since(self) -> Option<super::Date> {
        match self {
            GovernmentModel::ThreeLevel => None,
            GovernmentModel::TwoLevel { since } => Some(since),
        }
    }

    /// "Chính quyền địa phương 3 cấp" / "… 2 cấp (từ 01/07/2025)".
    pub fn label_vi(self) -> String {
        match self {
            GovernmentModel::ThreeLevel => "Chính quyền địa phương 3 cấp".to_owned(),
            GovernmentModel::TwoLevel { since } => format!(
                "Chính quyền địa phương 2 cấp (từ {})",
                super::format_date_vi(since)
            ),
        }
    }

    /// As stored in a catalogue: `three_level`, `two_level 2025-07-01`.
    pub fn to_stored(self) -> String {
        match self {
            GovernmentModel::ThreeLevel => "three_level".to_owned(),
            GovernmentModel::TwoLevel { since } => {
                format!("two_level {}", super::format_date(since))
            }
        }
    }

    /// Reads [`to_stored`](Self::to_stored)'s text; `None` for anything else.
    pub fn from_stored(text: &str) -> Option<GovernmentModel> {
        let (kind, date) = text.trim().split_once(' ').unwrap_or((text.trim(), ""));
        match kind {
            "three_level" if date.is_empty() => Some(GovernmentModel::ThreeLevel),
            "two_level" => Some(GovernmentModel::TwoLevel {
                since: if date.is_empty() {
                    Self::TWO_LEVEL_START
                } else {
                    super::parse_date(date)?
                },
            }),
            _ => None,
        }
    }
}

/// A level a source names: a local one, or one a provincial catalogue does not hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceLevel {
    Local(Level),
    /// Cấp bộ, cấp trung ương: ministries and their departments.
    Central,
    /// Cơ quan khác: bodies outside the levels of government (registries, ports …).
    Other,
}

impl SourceLevel {
    pub fn label_vi(self) -> &'static str {
        match self {
            SourceLevel::Local(level) => level.label_vi(),
            SourceLevel::Central => "Cấp bộ (trung ương)",
            SourceLevel::Other => "Cơ quan khác",
        }
    }
}

/// Reads a "Cấp thực hiện" cell: one level or a list. `None` when a part is not a level.
pub fn read_levels(text: &str) -> Option<BTreeSet<SourceLevel>> {
    let mut levels = BTreeSet::new();
    for part in text
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let folded = fold(part);
        let bare = folded.strip_prefix("cap ").unwrap_or(&folded);
        let level = match bare {
            "bo" | "trung uong" | "central" | "bo, nganh" => SourceLevel::Central,
            "co quan khac" | "khac" | "other" => SourceLevel::Other,
            _ => SourceLevel::Local(Level::parse(part)?),
        };
        levels.insert(level);
    }
    (!levels.is_empty()).then_some(levels)
}

/// The level an agency's name implies, when it tells.
pub fn agency_level(agency: &str) -> Option<SourceLevel> {
    let folded = fold(agency);
    let name = folded.trim().trim_end_matches('.');
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| name.starts_with(p));
    let has = |parts: &[&str]| parts.iter().any(|p| name.contains(p));
    // Reception desks exist at every level: they do not tell.
    if starts(&["bo phan", "bo phan mot cua", "trung tam phuc vu"]) {
        return None;
    }
    if has(&[
        "cap xa",
        "ubnd xa",
        "uy ban nhan dan xa",
        "uy ban nhan dan phuong",
        "ubnd phuong",
        "xa, phuong",
        "cong chuc tu phap",
        "cap thon",
    ]) {
        return Some(SourceLevel::Local(Level::Commune));
    }
    // "Phòng …" departments belonged to districts until July 2025 and to communes since:
    // the name alone does not tell, so it is not read as either.
    let military = has(&["quan khu", "quan doi", "quoc phong"]);
    if !military
        && has(&[
            "cap huyen",
            "ubnd huyen",
            "uy ban nhan dan huyen",
            "cap quan",
            "quan, huyen",
            "cong an huyen",
            "thi hanh an dan su huyen",
        ])
    {
        return Some(SourceLevel::Local(Level::District));
    }
    // Central before provincial: "Chi cục Hải quan" is a customs branch, not a province's.
    if starts(&[
        "bo ",
        "bo truong",
        "cuc ",
        "tong cuc",
        "vu ",
        "thu tuong",
        "chinh phu",
        "van phong chinh phu",
        "ngan hang nha nuoc",
        "kiem toan nha nuoc",
        "thanh tra chinh phu",
        "uy ban dan toc",
        "uy ban chung khoan",
        "uy ban quan ly von",
        "cang vu",
        "chi cuc hai quan",
        "hai quan",
        "chi cuc hang hai",
        "co quan dang ky tau bien",
        "trung tam dang ky giao dich",
        "dai su quan",
        "co quan dai dien viet nam",
        "cuc truong",
    ]) || (name.starts_with("chi cuc")
        && !name.contains("tinh")
        && has(&[
            " vung",
            "khu vuc",
            "phia bac",
            "phia nam",
            "duong thuy",
            "lam nghiep va kiem lam",
            "chan nuoi va thu y",
        ]))
        || military
        || has(&[
            "- bo ",
            " thuoc bo ",
            "bo nn va mt",
            "trung uong",
            "co quan cap bo",
        ])
    {
        return Some(SourceLevel::Central);
    }
    if has(&[
        "cap tinh",
        "ubnd tinh",
        "uy ban nhan dan tinh",
        "hoi dong nhan dan tinh",
        "van phong dang ky dat dai",
        "cong an tinh",
        "thi hanh an dan su tinh",
        "trung tam hanh chinh cong",
        "ban quan ly khu",
        "trung tam tro giup phap ly",
    ]) || starts(&["so ", "chi cuc ", "van phong so"])
    {
        return Some(SourceLevel::Local(Level::Province));
    }
    None
}

/// The levels an agency cell names: every local level of its agencies (one a line, or
/// separated by ", "); central when it names only central bodies; empty when it does not
/// tell (no agency, or none recognised).
pub fn agency_levels(agency: &str) -> BTreeSet<SourceLevel> {
    let found: BTreeSet<SourceLevel> = agency
        .split('\n')
        .flat_map(|line| {
            // A line names one agency, or several separated by commas; a comma inside a
            // name ("Ủy ban nhân dân xã, phường") leaves fragments that tell nothing.
            std::iter::once(line).chain(line.split(", "))
        })
        .filter_map(agency_level)
        .collect();
    let local: BTreeSet<SourceLevel> = found
        .iter()
        .copied()
        .filter(|l| matches!(l, SourceLevel::Local(_)))
        .collect();
    if local.is_empty() { found } else { local }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn levels(text: &str) -> Vec<SourceLevel> {
        read_levels(text).unwrap().into_iter().collect()
    }

    #[test]
    fn level_lists_are_read_as_the_database_writes_them() {
        assert_eq!(
            levels("Cấp bộ, Cấp tỉnh, Cấp xã"),
            [
                SourceLevel::Local(Level::Province),
                SourceLevel::Local(Level::Commune),
                SourceLevel::Central
            ]
        );
        assert_eq!(levels("Cơ quan khác"), [SourceLevel::Other]);
        assert_eq!(levels("tỉnh"), [SourceLevel::Local(Level::Province)]);
        assert!(read_levels("Cấp thôn").is_none());
    }

    #[test]
    fn agencies_tell_their_level() {
        let local = |l| SourceLevel::Local(l);
        for (agency, level) in [
            ("Sở Tư pháp", Some(local(Level::Province))),
            (
                "Chủ tịch ủy ban nhân dân cấp tỉnh",
                Some(local(Level::Province)),
            ),
            ("Chi cục Kiểm lâm", Some(local(Level::Province))),
            ("Phòng Tư pháp", None),
            ("Phòng thi hành án cấp quân khu", Some(SourceLevel::Central)),
            ("UBND cấp huyện", Some(local(Level::District))),
            ("Công an huyện", Some(local(Level::District))),
            (
                "Ủy ban Nhân dân\u{a0}xã,\u{a0}phường,\u{a0}thị trấn.",
                Some(local(Level::Commune)),
            ),
            ("Bộ Xây dựng", Some(SourceLevel::Central)),
            ("Cục Hàng không Việt Nam", Some(SourceLevel::Central)),
            ("Chi cục Hải quan khu vực", Some(SourceLevel::Central)),
            (
                "Chi cục Chăn nuôi và Thú y vùng",
                Some(SourceLevel::Central),
            ),
            (
                "Cục Chăn nuôi và Thú y - Bộ NN và MT",
                Some(SourceLevel::Central),
            ),
            ("Ngân hàng Nhà nước Việt Nam", Some(SourceLevel::Central)),
            ("Bộ phận một cửa", None),
            ("", None),
        ] {
            assert_eq!(agency_level(agency), level, "{agency}");
        }
    }

    #[test]
    fn a_cell_of_several_agencies_gives_its_local_levels() {
        let local = |l| SourceLevel::Local(l);
        assert_eq!(
            agency_levels("Ủy ban nhân dân cấp xã\nThuế tỉnh, thành phố")
                .into_iter()
                .collect::<Vec<_>>(),
            [local(Level::Commune)]
        );
        assert_eq!(
            agency_levels("Cục Đường sắt Việt Nam, Chủ tịch ủy ban nhân dân cấp tỉnh")
                .into_iter()
                .collect::<Vec<_>>(),
            [local(Level::Province)]
        );
        assert_eq!(
            agency_levels("Bộ Xây dựng, Thủ tướng Chính phủ")
                .into_iter()
                .collect::<Vec<_>>(),
            [SourceLevel::Central]
        );
        assert!(agency_levels("Không có thông tin").is_empty());
    }
}

#[cfg(test)]
mod model_tests {
    use super::*;

    #[test]
    fn a_government_model_reads_back_what_it_stores_and_knows_its_levels() {
        for model in [
            GovernmentModel::ThreeLevel,
            GovernmentModel::two_level(),
            GovernmentModel::TwoLevel {
                since: time::macros::date!(2025 - 08 - 15),
            },
        ] {
            assert_eq!(
                GovernmentModel::from_stored(&model.to_stored()),
                Some(model)
            );
        }
        assert_eq!(
            GovernmentModel::two_level().to_stored(),
            "two_level 2025-07-01"
        );
        assert!(!GovernmentModel::two_level().holds(Level::District));
        assert!(GovernmentModel::ThreeLevel.holds(Level::District));
        assert_eq!(
            GovernmentModel::two_level().label_vi(),
            "Chính quyền địa phương 2 cấp (từ 01/07/2025)"
        );
        assert_eq!(GovernmentModel::from_stored("four_level"), None);
        assert_eq!(GovernmentModel::from_stored("two_level 31/02/2025"), None);
    }
}
