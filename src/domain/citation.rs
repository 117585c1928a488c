//! Citations of legal documents as procedure lists write them, one a line: "Nghị định
//! 123/2015/NĐ-CP", "Luật Hộ tịch số 60/2014/QH13", "Quyết định số 24/2024/QĐ-UBND ngày …",
//! or, as the national database writes them, the title followed by the number ("Thông tư
//! hướng dẫn … 02/2017/TT-VPCP"). Each becomes a document number (one document per number
//! across the catalogue), its kind and its title; a line with no number is kept whole and
//! marked as such.

use crate::text::fold;

/// What kind of legal document a number names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DocumentKind {
    /// Luật, Bộ luật (…/QHnn).
    Law,
    /// Nghị quyết (…/NQ-…).
    Resolution,
    /// Pháp lệnh.
    Ordinance,
    /// Nghị định (…/NĐ-CP).
    Decree,
    /// Quyết định (…/QĐ-…).
    Decision,
    /// Thông tư (…/TT-…), Thông tư liên tịch (…/TTLT-…).
    Circular,
    /// A numbered document of another kind (Chỉ thị, Công văn …).
    Other,
    /// A citation with no document number: its text is kept whole.
    Unnumbered,
}

impl DocumentKind {
    pub const ALL: [DocumentKind; 8] = [
        DocumentKind::Law,
        DocumentKind::Resolution,
        DocumentKind::Ordinance,
        DocumentKind::Decree,
        DocumentKind::Decision,
        DocumentKind::Circular,
        DocumentKind::Other,
        DocumentKind::Unnumbered,
    ];

    pub fn key(self) -> &'static str {
        match self {
            DocumentKind::Law => "law",
            DocumentKind::Resolution => "resolution",
            DocumentKind::Ordinance => "ordinance",
            DocumentKind::Decree => "decree",
            DocumentKind::Decision => "decision",
            DocumentKind::Circular => "circular",
            DocumentKind::Other => "other",
            DocumentKind::Unnumbered => "unnumbered",
        }
    }

    pub fn parse(key: &str) -> Option<DocumentKind> {
        DocumentKind::ALL.into_iter().find(|kind| kind.key() == key)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            DocumentKind::Law => "Luật",
            DocumentKind::Resolution => "Nghị quyết",
            DocumentKind::Ordinance => "Pháp lệnh",
            DocumentKind::Decree => "Nghị định",
            DocumentKind::Decision => "Quyết định",
            DocumentKind::Circular => "Thông tư",
            DocumentKind::Other => "Văn bản khác",
            DocumentKind::Unnumbered => "Chưa có số hiệu",
        }
    }

    /// The kind a number's issuer part implies: `QH13` a law, `NĐ-CP` a decree …
    fn of_number(number: &str) -> DocumentKind {
        let suffix = number.rsplit('/').next().unwrap_or_default();
        let head = fold(suffix.split('-').next().unwrap_or_default());
        match head.as_str() {
            h if h.starts_with("qh") => DocumentKind::Law,
            "nq" | "nqlt" => DocumentKind::Resolution,
            "pl" => DocumentKind::Ordinance,
            "nd" => DocumentKind::Decree,
            "qd" => DocumentKind::Decision,
            "tt" | "ttlt" => DocumentKind::Circular,
            _ => DocumentKind::Other,
        }
    }

    /// The kind a title's first words name, when the number does not tell.
    fn of_title(title: &str) -> Option<DocumentKind> {
        let folded = fold(title);
        [
            ("bo luat", DocumentKind::Law),
            ("luat", DocumentKind::Law),
            ("nghi quyet", DocumentKind::Resolution),
            ("phap lenh", DocumentKind::Ordinance),
            ("nghi dinh", DocumentKind::Decree),
            ("quyet dinh", DocumentKind::Decision),
            ("thong tu", DocumentKind::Circular),
        ]
        .into_iter()
        .find(|(word, _)| folded.starts_with(word))
        .map(|(_, kind)| kind)
    }
}

/// One citation read from a line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Citation {
    /// The document number (`123/2015/NĐ-CP`), or the whole line when it holds none.
    pub number: String,
    pub kind: DocumentKind,
    /// The title as cited, without the number the source repeats after it; empty when the
    /// line was the number alone.
    pub title: String,
}

/// Every document number in a text, in order, as written (NFC, no inner spaces).
pub fn document_numbers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        if let Some(end) = number_at(text, i) {
            found.push((i, end));
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// The end of a document number starting at byte `start`: digits, an optional year, then
/// an issuer of capitals (`QH13`, `NĐ-CP`, `QĐ-UBND`, `TTLT-BTC-BTP`).
fn number_at(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start..];
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 5 || rest.as_bytes().get(digits) != Some(&b'/') {
        return None;
    }
    let mut end = start + digits + 1;
    // An optional year: four digits and a slash.
    let after = &text[end..];
    let year = after.bytes().take_while(u8::is_ascii_digit).count();
    if year == 4 && after.as_bytes().get(4) == Some(&b'/') {
        end += 5;
    } else if year > 0 {
        return None;
    }
    // The issuer: capital letters (Đ too) and digits, in parts joined by hyphens.
    let issuer: String = text[end..]
        .chars()
        .take_while(|c| c.is_uppercase() || c.is_ascii_digit() || *c == '-')
        .collect();
    let issuer = issuer.trim_end_matches('-');
    if !issuer.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    Some(end + issuer.len())
}

/// A title that already names its number may end with the start of the citation the source
/// appended ("… của Bộ trưởng Bộ Tư phápThông tư số" before "03/2023/TT-BTP"): that
/// dangling "Thông tư số" is cut.
fn without_dangling_kind<'a>(title: &'a str, number: &str) -> &'a str {
    if !fold(title).contains(&fold(number)) {
        return title;
    }
    let mut rest = title.trim_end();
    if let Some(stripped) = rest.strip_suffix("số") {
        rest = stripped.trim_end();
    }
    let kinds = [
        "Nghị quyết liên tịch",
        "Thông tư liên tịch",
        "Bộ luật",
        "Luật",
        "Nghị quyết",
        "Pháp lệnh",
        "Nghị định",
        "Quyết định",
        "Thông tư",
    ];
    match kinds.iter().find_map(|kind| rest.strip_suffix(kind)) {
        Some(stripped) if !stripped.trim().is_empty() => stripped.trim_end(),
        _ => title,
    }
}

/// Reads one line of a legal basis; `None` for an empty line or a placeholder.
pub fn read_citation(line: &str) -> Option<Citation> {
    let line = crate::text::nfc(line.trim());
    let line = line.trim().trim_end_matches([';', ',']).trim();
    if super::placeholder::is_placeholder(line) {
        return None;
    }
    let numbers = document_numbers(line);
    let Some(&(start, end)) = numbers.last() else {
        return Some(Citation {
            number: line.to_owned(),
            kind: DocumentKind::Unnumbered,
            title: line.to_owned(),
        });
    };
    let number = line[start..end].to_owned();
    // The national database writes "title number": the number at the end is the document's
    // own; a title that also mentions its number keeps it.
    let title = if end == line.len() {
        line[..start]
            .trim()
            .trim_end_matches([',', '-', ':'])
            .trim()
    } else {
        line
    };
    let title = if title.is_empty() || fold(title) == fold(&number) {
        String::new()
    } else {
        without_dangling_kind(title, &number).to_owned()
    };
    let kind = match DocumentKind::of_number(&number) {
        DocumentKind::Other => DocumentKind::of_title(&title).unwrap_or(DocumentKind::Other),
        kind => kind,
    };
    Some(Citation {
        number,
        kind,
        title,
    })
}

/// Reads every line of a legal-basis cell, one citation a line; the same number twice is
/// cited once. A `;` separates citations only in a single line where every part names
/// exactly one number ("59/2020/QH14; 01/2021/NĐ-CP"): inside a title, which may mention
/// other documents, it is part of the title.
pub fn read_citations(text: &str) -> Vec<Citation> {
    let parts: Vec<&str> = text.split(';').collect();
    let lines: Vec<&str> = if !text.contains('\n')
        && parts.len() > 1
        && parts
            .iter()
            .filter(|p| !p.trim().is_empty())
            .all(|p| document_numbers(p).len() == 1)
    {
        parts
    } else {
        text.split('\n').collect()
    };
    let mut citations: Vec<Citation> = Vec::new();
    for citation in lines.into_iter().filter_map(read_citation) {
        if !citations.iter().any(|c| c.number == citation.number) {
            citations.push(citation);
        }
    }
    citations
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(line: &str) -> (String, DocumentKind, String) {
        let c = read_citation(line).unwrap();
        (c.number, c.kind, c.title)
    }

    #[test]
    fn the_number_at_the_end_is_the_document() {
        assert_eq!(
            read("Nghị định 156/2018/NĐ-CP 156/2018/NĐ-CP"),
            (
                "156/2018/NĐ-CP".into(),
                DocumentKind::Decree,
                "Nghị định 156/2018/NĐ-CP".into()
            )
        );
        assert_eq!(
            read("Luật An toàn thực phẩm 55/2010/QH12"),
            (
                "55/2010/QH12".into(),
                DocumentKind::Law,
                "Luật An toàn thực phẩm".into()
            )
        );
        assert_eq!(
            read("Sửa đổi, bổ sung một số điều của Nghị định số 06/2022/NĐ-CP ngày 07 tháng 01 năm 2022 119/2025/NĐ-CP").0,
            "119/2025/NĐ-CP"
        );
        assert_eq!(read("02/2017/TT-VPCP").2, "");
        assert_eq!(read("Quyết định số 1234/QĐ-UBND").0, "1234/QĐ-UBND");
        assert_eq!(read("Thông tư 02/2017/TT-VPCP").1, DocumentKind::Circular);
        assert_eq!(
            read("Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư phápThông tư số 03/2023/TT-BTP").2,
            "Thông tư số 03/2023/TT-BTP ngày 02/8/2023 của Bộ trưởng Bộ Tư pháp"
        );
        // A title that does not name its number keeps its words.
        assert_eq!(
            read("Quy định chi tiết Luật 59/2020/QH14").2,
            "Quy định chi tiết Luật"
        );
        // The number's own kind wins over a title that names another document (as the
        // source wrote this line): a joint resolution, not a law.
        assert_eq!(
            read("Luật Hòa giải ở cơ sở 01/2014/NQLT-CP-UBT").1,
            DocumentKind::Resolution
        );
    }

    #[test]
    fn a_semicolon_inside_a_title_does_not_split_it() {
        let one = read_citations(
            "Thông tư số 33/2019/TT-BTC sửa đổi Thông tư số 34/2017/TT-BTC; Thông tư số 196/2016/TT-BTC quy định phí 33/2019/TT-BTC",
        );
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].number, "33/2019/TT-BTC");
        let cited = read_citations(
            "Thông tư số 33/2019/TT-BTC sửa đổi Thông tư số 34/2017/TT-BTC; Thông tư số 196/2016/TT-BTC 33/2019/TT-BTC\nLuật 08/2017/QH14 08/2017/QH14",
        );
        assert_eq!(
            cited.iter().map(|c| c.number.as_str()).collect::<Vec<_>>(),
            ["33/2019/TT-BTC", "08/2017/QH14"]
        );
    }

    #[test]
    fn lines_without_a_number_are_kept_and_marked() {
        let c = read_citation("Luật Thú y 2015").unwrap();
        assert_eq!(c.kind, DocumentKind::Unnumbered);
        assert_eq!(c.number, "Luật Thú y 2015");
        assert!(read_citation("Không có thông tin").is_none());
        // Legacy lists of bare numbers separated by ";" still read.
        let cited = read_citations("59/2020/QH14; 01/2021/NĐ-CP");
        assert_eq!(cited.len(), 2);
        assert_eq!(cited[1].kind, DocumentKind::Decree);
    }
}
