//! Agency renames applied when two catalogues are merged: the departments merged in 2025
//! ("Sở Kế hoạch và Đầu tư" → "Sở Tài chính" …) make the same procedure read differently in
//! two provinces' lists. Each line of an agency cell is compared whole (any case, with or
//! without diacritics) with the old names; the officer edits the map in the window or as a
//! CSV file `Cơ quan cũ | Cơ quan mới`.

use std::collections::HashMap;

use crate::text::fold;

/// Old name → new name, in the order given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgencyMap {
    pub renames: Vec<(String, String)>,
}

impl Default for AgencyMap {
    /// The provincial departments merged from 1 March 2025 (Decree 45/2025/NĐ-CP on the
    /// organisation of provincial departments).
    fn default() -> Self {
        let pairs = [
            ("Sở Kế hoạch và Đầu tư", "Sở Tài chính"),
            ("Sở Lao động - Thương binh và Xã hội", "Sở Nội vụ"),
            (
                "Sở Tài nguyên và Môi trường",
                "Sở Nông nghiệp và Môi trường",
            ),
            (
                "Sở Nông nghiệp và Phát triển nông thôn",
                "Sở Nông nghiệp và Môi trường",
            ),
            ("Sở Giao thông vận tải", "Sở Xây dựng"),
            ("Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"),
        ];
        AgencyMap {
            renames: pairs
                .iter()
                .map(|(old, new)| ((*old).to_owned(), (*new).to_owned()))
                .collect(),
        }
    }
}

/// A map file that cannot be read: which line, why.
pub type AgencyMapError = crate::table_file::TableError;

const HEADERS: [&str; 2] = ["Cơ quan cũ", "Cơ quan mới"];

/// An [`AgencyMap`] ready to apply: folded old names to new ones.
pub struct Renamer<'a> {
    by_old: HashMap<String, &'a str>,
}

impl AgencyMap {
    pub fn renamer(&self) -> Renamer<'_> {
        Renamer {
            by_old: self
                .renames
                .iter()
                .filter(|(old, new)| !old.trim().is_empty() && !new.trim().is_empty())
                .map(|(old, new)| (fold(old.trim()), new.trim()))
                .collect(),
        }
    }

    pub fn to_csv(&self) -> String {
        crate::table_file::write(
            &HEADERS,
            self.renames
                .iter()
                .map(|(old, new)| vec![old.as_str(), new.as_str()]),
        )
    }

    /// Reads a map as [`to_csv`](Self::to_csv) writes it, or typed in a spreadsheet (a BOM,
    /// `;` separators); a row with one name only is an error naming its line.
    pub fn read_csv(text: &str) -> Result<AgencyMap, AgencyMapError> {
        let mut renames = Vec::new();
        for row in crate::table_file::read(text, &HEADERS, 2)? {
            let (from, to) = (row.cell(0), row.cell(1));
            if from.is_empty() || to.is_empty() {
                return Err(AgencyMapError {
                    line: row.line,
                    problem: "a rename needs both the old and the new name".to_owned(),
                });
            }
            renames.push((from.to_owned(), to.to_owned()));
        }
        Ok(AgencyMap { renames })
    }
}

impl Renamer<'_> {
    /// The agency cell with each line renamed; `None` when no line is renamed.
    pub fn rename(&self, agency: &str) -> Option<String> {
        if self.by_old.is_empty() {
            return None;
        }
        let mut changed = false;
        let lines: Vec<&str> = agency
            .split('\n')
            .map(|line| match self.by_old.get(&fold(line.trim())) {
                Some(new) => {
                    changed = true;
                    *new
                }
                None => line,
            })
            .collect();
        changed.then(|| lines.join("\n"))
    }

    /// The agency as the merged catalogue writes it.
    pub fn renamed(&self, agency: &str) -> String {
        self.rename(agency).unwrap_or_else(|| agency.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_line_of_an_agency_is_renamed_whole_ignoring_case_and_diacritics() {
        let map = AgencyMap::default();
        let renamer = map.renamer();
        assert_eq!(
            renamer.rename("so ke hoach va dau tu").as_deref(),
            Some("Sở Tài chính")
        );
        assert_eq!(
            renamer
                .rename("Sở Kế hoạch và Đầu tư\nUBND cấp tỉnh")
                .as_deref(),
            Some("Sở Tài chính\nUBND cấp tỉnh")
        );
        // A line that only contains an old name is another agency.
        assert_eq!(
            renamer.rename("Phòng Kế hoạch - Sở Kế hoạch và Đầu tư"),
            None
        );
        assert_eq!(renamer.renamed("Sở Tư pháp"), "Sở Tư pháp");
    }

    #[test]
    fn a_map_reads_back_what_it_writes_and_a_half_row_is_named() {
        let map = AgencyMap::default();
        assert_eq!(AgencyMap::read_csv(&map.to_csv()).unwrap(), map);
        let typed = "\u{feff}Cơ quan cũ;Cơ quan mới\nSở Ngoại vụ;Sở Nội vụ\n;\n";
        assert_eq!(AgencyMap::read_csv(typed).unwrap().renames.len(), 1);
        let error = AgencyMap::read_csv("Cơ quan cũ,Cơ quan mới\nSở Ngoại vụ,\n").unwrap_err();
        assert_eq!(error.line, 2);
        assert_eq!(AgencyMap::read_csv("Tên,Mã\n").unwrap_err().line, 1);
    }
}
