//! The dossier (thành phần hồ sơ) as data: its components, each with how many originals and
//! copies it asks for, read from the text as the national database prints it (its table run
//! together: "Tên giấy tờMẫu đơn, tờ khaiSố lượng", then each paper with its form file and
//! "1 bản chính,1 bản sao") or as an officer types it ("Đơn đề nghị (01 bản chính); …").
//! Always derived from the text, so the components never drift from it; dropping one edits
//! the text ([`without_component`]).

use std::ops::Range;

use serde::Serialize;

use crate::text::fold;

/// The national database's table header, before each case's components.
const TABLE_HEADER: &str = "Tên giấy tờMẫu đơn, tờ khaiSố lượng";

/// Extensions of the form files the national database glues after a paper's name.
const FORM_FILES: [&str; 6] = [".docx", ".doc", ".pdf", ".xlsx", ".xls", ".rar"];

/// Words a form file's name starts with ("Mẫu số 29.docx", "PHỤ LỤC VIII.docx", "TK1.doc").
const FORM_STARTS: [&str; 6] = ["mau", "phu luc", "to khai", "bieu mau", "pl", "tk"];

/// One paper of the dossier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Component {
    pub name: String,
    /// The form file named beside it ("Mẫu số 03.docx"), when there is one.
    pub form: String,
    pub originals: u32,
    pub copies: u32,
    /// Whether the text says how many: "0 bản chính" or no count at all is read as one paper
    /// whose number is not stated.
    pub count_stated: bool,
    /// Where it stands in the dossier text (to drop it).
    #[serde(skip)]
    pub span: Range<usize>,
}

/// One case of a procedure (a.1) "Về cấp …", a.2) "Về cấp lại …"), with its papers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DossierCase {
    pub title: String,
    pub components: Vec<Component>,
}

/// The dossier read from its text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Dossier {
    pub cases: Vec<DossierCase>,
    /// Số bộ hồ sơ, when the text states it ("01 hồ sơ", "(01) bộ hồ sơ").
    pub sets: Option<u32>,
}

impl Dossier {
    pub fn parse(text: &str) -> Dossier {
        if text.contains(TABLE_HEADER) {
            parse_table(text)
        } else {
            parse_typed(text)
        }
    }

    /// The case the cost is counted for: the one with the most papers (what an applicant
    /// in the heaviest case prepares), the first of equals.
    pub fn costed_case(&self) -> Option<&DossierCase> {
        self.cases
            .iter()
            .filter(|case| !case.components.is_empty())
            .fold(None, |best: Option<&DossierCase>, case| match best {
                Some(best) if best.components.len() >= case.components.len() => Some(best),
                _ => Some(case),
            })
    }

    /// Papers and copies of the [costed case](Self::costed_case).
    pub fn costed_counts(&self) -> (u32, u32) {
        self.costed_case().map_or((0, 0), |case| {
            (
                case.components.len() as u32,
                case.components.iter().map(|c| c.copies).sum(),
            )
        })
    }

    /// Every paper of every case, in order.
    pub fn components(&self) -> impl Iterator<Item = &Component> {
        self.cases.iter().flat_map(|case| case.components.iter())
    }
}

/// The dossier text without the papers at `indexes` (of [`Dossier::components`]' order);
/// `None` when one is not there.
pub fn without_papers(text: &str, indexes: &[usize]) -> Option<String> {
    let dossier = Dossier::parse(text);
    let papers: Vec<&Component> = dossier.components().collect();
    let mut indexes = indexes.to_vec();
    indexes.sort_unstable();
    indexes.dedup();
    // From the last, so that earlier spans stay where they are.
    let mut result = text.to_owned();
    for index in indexes.into_iter().rev() {
        result = without_component(&result, &papers.get(index)?.span);
    }
    Some(result)
}

/// The dossier text without one paper (by its span), separators tidied.
pub fn without_component(text: &str, span: &Range<usize>) -> String {
    let (before, after) = (&text[..span.start], &text[span.end..]);
    let before = before.trim_end_matches([' ', ';']);
    let after = after.trim_start_matches([' ', ';', '\n']);
    match (before.is_empty(), after.is_empty()) {
        (true, _) => after.to_owned(),
        (_, true) => before.trim_end().to_owned(),
        _ if text.contains(TABLE_HEADER) => format!("{before}{after}"),
        _ if before.ends_with('\n') => format!("{before}{after}"),
        _ => format!("{before}; {after}"),
    }
}

/// The national database's run-together table(s).
fn parse_table(text: &str) -> Dossier {
    let mut dossier = Dossier::default();
    let mut starts: Vec<usize> = text.match_indices(TABLE_HEADER).map(|(at, _)| at).collect();
    starts.push(text.len());
    let mut title = clean_title(&text[..starts[0]]);
    for pair in starts.windows(2) {
        let body_start = pair[0] + TABLE_HEADER.len();
        let body = &text[body_start..pair[1]];
        let mut components = Vec::new();
        let mut from = 0;
        for (count_start, count_end, originals, copies) in counts(body) {
            let raw = &body[from..count_start];
            let (name, form) = split_form(raw);
            let name = name.trim().trim_start_matches(['-', '+', '•', ' ']).trim();
            // A row that says how many sets to file ("(01) bộ hồ sơ (bản giấy) …") is no paper.
            if let Some(sets) = sets_in(name) {
                dossier.sets = Some(sets);
            } else if !name.is_empty() {
                components.push(Component {
                    name: name.to_owned(),
                    form: form.trim().to_owned(),
                    originals,
                    copies,
                    count_stated: originals + copies > 0,
                    span: body_start + from..body_start + count_end,
                });
            }
            from = count_end;
        }
        // What follows the last count is the next case's title, or a closing note.
        let rest = &body[from..];
        dossier.cases.push(DossierCase {
            title: std::mem::take(&mut title),
            components,
        });
        if let Some(sets) = sets_in(rest) {
            dossier.sets = Some(sets);
        } else {
            title = clean_title(rest);
        }
    }
    dossier
}

/// The counts in a table body: (start, end, originals, copies) of each "N bản chính",
/// "N bản chính,M bản sao" or "N bản sao".
fn counts(body: &str) -> Vec<(usize, usize, u32, u32)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some((word_at, word)) = next_count_word(body, at) {
        let Some((digits_at, number)) = number_before(body, word_at) else {
            at = word_at + word.len();
            continue;
        };
        let mut end = word_at + word.len();
        let (mut originals, mut copies) = if word == "bản chính" {
            (number, 0)
        } else {
            (0, number)
        };
        // "1 bản chính,1 bản sao": the copies belong to the same paper.
        if word == "bản chính" {
            let tail = &body[end..];
            let trimmed = tail.trim_start_matches([',', ' ']);
            let digits = trimmed.len()
                - trimmed
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            if digits > 0 && trimmed[digits..].trim_start().starts_with("bản sao") {
                copies = trimmed[..digits].parse().unwrap_or(0);
                let after_digits = &trimmed[digits..];
                let spaces = after_digits.len() - after_digits.trim_start().len();
                end += (tail.len() - trimmed.len()) + digits + spaces + "bản sao".len();
            }
        } else {
            originals = 0;
        }
        found.push((digits_at, end, originals, copies));
        at = end;
    }
    found
}

fn next_count_word(body: &str, from: usize) -> Option<(usize, &'static str)> {
    let original = body[from..]
        .find("bản chính")
        .map(|at| (from + at, "bản chính"));
    let copy = body[from..]
        .find("bản sao")
        .map(|at| (from + at, "bản sao"));
    match (original, copy) {
        (Some(a), Some(b)) => Some(if a.0 <= b.0 { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// The number written right before `word_at` ("1 bản chính"), and where its digits start.
/// A count glued to the paper's text ("… ngày 01/01/20261 bản chính") keeps its last digit:
/// a dossier asks for a handful of papers, not thousands.
fn number_before(body: &str, word_at: usize) -> Option<(usize, u32)> {
    let before = body[..word_at].strip_suffix(' ')?;
    let digits_at = before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let digits = &before[digits_at..];
    if digits.is_empty() {
        return None;
    }
    if digits.len() > 1 && !digits.starts_with('0') {
        let last = digits.len() - 1;
        return Some((digits_at + last, digits[last..].parse().ok()?));
    }
    Some((digits_at, digits.parse().ok()?))
}

/// Splits a paper's text from the form file(s) glued after it ("Tờ khai theo Mẫu số
/// 29Mẫu số 29.docx" → "Tờ khai theo Mẫu số 29", "Mẫu số 29.docx"). Without a recognisable
/// start of the file name the text stays whole.
fn split_form(raw: &str) -> (&str, &str) {
    let trimmed = raw.trim_end();
    let mut end = trimmed.len();
    let mut form_start = None;
    while let Some(extension_at) = ends_with_form_file(&trimmed[..end]) {
        match form_name_start(&trimmed[..extension_at]) {
            Some(start) if start > 0 => {
                form_start = Some(start);
                end = start;
            }
            _ => break,
        }
    }
    match form_start {
        Some(start) => (&raw[..start], &raw[start..]),
        None => (raw, ""),
    }
}

fn ends_with_form_file(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    FORM_FILES
        .iter()
        .find(|extension| {
            bytes.len() >= extension.len()
                && bytes[bytes.len() - extension.len()..].eq_ignore_ascii_case(extension.as_bytes())
        })
        .map(|extension| text.len() - extension.len())
}

/// Where the form file's name starts: the last place within 120 bytes before its
/// extension where one of [`FORM_STARTS`] begins a word; else the first place the name was
/// glued to it ("…nuôi;1.nxinnhnconnui.doc", "…TTgGiấy đề nghị.pdf", "…CP).Nidung.docx": a
/// lower-case letter, ";", ")" or "." followed by a capital or a digit with no space between).
fn form_name_start(text: &str) -> Option<usize> {
    let window_start = text.len().saturating_sub(120);
    let (mut marker, mut glued) = (None, None);
    let mut previous: Option<char> = None;
    for (at, ch) in text.char_indices().filter(|(at, _)| *at >= window_start) {
        let before = previous.replace(ch);
        if !ch.is_alphanumeric() {
            continue;
        }
        let head: String = text[at..].chars().take(8).collect();
        let folded = fold(&head);
        if ch.is_alphabetic() && FORM_STARTS.iter().any(|start| folded.starts_with(start)) {
            marker = Some(at);
        }
        let starts_name = ch.is_uppercase() || ch.is_ascii_digit();
        if glued.is_none()
            && starts_name
            && before.is_some_and(|c| c.is_lowercase() || matches!(c, ';' | ')' | '.'))
        {
            glued = Some(at);
        }
    }
    marker.filter(|&at| at > 0).or(glued)
}

fn clean_title(text: &str) -> String {
    let title = text.trim().trim_matches(['-', ' ', ':']);
    let folded = fold(title);
    if folded.is_empty() || folded.ends_with("thanh phan ho so") {
        return String::new();
    }
    title.to_owned()
}

/// "(01) bộ hồ sơ", "01 hồ sơ", "Số lượng hồ sơ: 01 bộ" → the number of sets.
fn sets_in(text: &str) -> Option<u32> {
    let folded = fold(text);
    let folded = folded.trim_matches(['(', ')', '-', ' ', '.', ';']);
    let folded = folded
        .strip_prefix("so luong ho so")
        .map_or(folded, |rest| rest.trim_start_matches([':', ' ']));
    let digits: String = folded
        .trim_start_matches('(')
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = folded.trim_start_matches('(')[digits.len()..]
        .trim_start_matches(')')
        .trim();
    let about_sets =
        rest.starts_with("bo ho so") || rest.starts_with("ho so") || rest.starts_with("bo");
    if digits.is_empty() || !about_sets {
        return None;
    }
    digits.parse().ok()
}

/// A dossier typed as lines or "; "-separated parts, each count in brackets.
fn parse_typed(text: &str) -> Dossier {
    let mut dossier = Dossier::default();
    let mut case = DossierCase::default();
    for part in parts(text) {
        let raw = &text[part.clone()];
        let item = raw
            .trim()
            .trim_start_matches(['-', '+', '•', '*', ' '])
            .trim_start();
        let item = strip_numbering(item);
        if item.is_empty() {
            continue;
        }
        if let Some(sets) = sets_in(item) {
            dossier.sets = Some(sets);
            continue;
        }
        if item.ends_with(':') {
            // A heading: "Thành phần hồ sơ gồm:", or a case "a) Trường hợp cấp lại:".
            if !case.components.is_empty() {
                dossier.cases.push(std::mem::take(&mut case));
            }
            case.title = clean_title(item);
            continue;
        }
        let (name, originals, copies) = typed_count(item);
        case.components.push(Component {
            name: name.to_owned(),
            form: String::new(),
            originals,
            copies,
            count_stated: originals + copies > 0,
            span: part,
        });
    }
    if !case.components.is_empty() || !case.title.is_empty() {
        dossier.cases.push(case);
    }
    dossier
}

/// Byte ranges of the parts: split on line breaks and on ";" outside brackets.
fn parts(text: &str) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0_i32, 0);
    for (at, ch) in text.char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth = (depth - 1).max(0),
            ';' | '\n' if ch == '\n' || depth == 0 => {
                parts.push(start..at);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(start..text.len());
    parts
}

/// "a) ", "1. ", "2) " before an item.
fn strip_numbering(item: &str) -> &str {
    let marker_len = item
        .char_indices()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '.')
        .last()
        .map(|(at, c)| at + c.len_utf8());
    if let Some(len) = marker_len
        && len <= 4
        && let Some(rest) = item[len..].strip_prefix(") ").or_else(|| {
            item[..len]
                .ends_with('.')
                .then(|| item[len..].strip_prefix(' '))
                .flatten()
        })
    {
        return rest.trim_start();
    }
    item
}

/// The paper's name and its count from "(01 bản chính)", "(02 bản sao có chứng thực)",
/// "(01 bản chính và 01 bản sao)" at its end.
fn typed_count(item: &str) -> (&str, u32, u32) {
    let Some(open) = item.rfind('(') else {
        return (item, 0, 0);
    };
    let inside = fold(item[open + 1..].trim_end_matches(')'));
    let (mut originals, mut copies) = (0, 0);
    let words: Vec<&str> = inside.split_whitespace().collect();
    for (index, word) in words.iter().enumerate() {
        let Ok(number) = word.parse::<u32>() else {
            continue;
        };
        match (words.get(index + 1), words.get(index + 2)) {
            (Some(&"ban"), Some(&"chinh")) => originals += number,
            (Some(&"ban"), Some(&"sao")) => copies += number,
            _ => {}
        }
    }
    if originals + copies == 0 {
        return (item, 0, 0);
    }
    (item[..open].trim_end(), originals, copies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_national_table_run_together_splits_into_papers_forms_counts_and_cases() {
        let text = "a.1) Về cấp chứng chỉ hạng IITên giấy tờMẫu đơn, tờ khaiSố lượng\
                    Đơn đề nghị cấp chứng chỉ theo Mẫu số 01Mẫu số 01.docx1 bản chính\
                    Bản sao văn bằng do cơ sở đào tạo cấp0 bản chính,1 bản sao\
                    Ảnh màu cỡ 4x6 chụp ngày 01/01/20262 bản chính\
                    a.2) Về cấp lạiTên giấy tờMẫu đơn, tờ khaiSố lượng\
                    Đơn đề nghị cấp lạimau so 12 (1).doc1 bản chính(01) bộ hồ sơ";
        let dossier = Dossier::parse(text);
        assert_eq!(dossier.cases.len(), 2);
        let first = &dossier.cases[0];
        assert_eq!(first.title, "a.1) Về cấp chứng chỉ hạng II");
        let papers: Vec<(&str, &str, u32, u32)> = first
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.form.as_str(), c.originals, c.copies))
            .collect();
        assert_eq!(
            papers,
            [
                (
                    "Đơn đề nghị cấp chứng chỉ theo Mẫu số 01",
                    "Mẫu số 01.docx",
                    1,
                    0
                ),
                ("Bản sao văn bằng do cơ sở đào tạo cấp", "", 0, 1),
                ("Ảnh màu cỡ 4x6 chụp ngày 01/01/2026", "", 2, 0),
            ]
        );
        let second = &dossier.cases[1];
        assert_eq!(second.title, "a.2) Về cấp lại");
        assert_eq!(second.components[0].name, "Đơn đề nghị cấp lại");
        assert_eq!(second.components[0].form, "mau so 12 (1).doc");
        assert_eq!(dossier.sets, Some(1));
        assert_eq!(dossier.costed_case().unwrap().title, first.title);
        // A paper dropped: the others and the cases stay.
        let dropped = without_component(text, &first.components[1].span);
        let again = Dossier::parse(&dropped);
        assert_eq!(again.cases[0].components.len(), 2);
        assert_eq!(
            again.cases[0].components[1].name,
            "Ảnh màu cỡ 4x6 chụp ngày 01/01/2026"
        );
        assert_eq!(again.cases[1].components.len(), 1);
    }

    #[test]
    fn a_typed_dossier_splits_on_semicolons_and_lines_with_counts_in_brackets() {
        let text = "Đơn đề nghị theo mẫu (01 bản chính); giấy tờ chứng minh đủ điều kiện \
                    (01 bản sao có chứng thực); 01 hồ sơ";
        let dossier = Dossier::parse(text);
        let case = dossier.costed_case().unwrap();
        let papers: Vec<(&str, u32, u32)> = case
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.originals, c.copies))
            .collect();
        assert_eq!(
            papers,
            [
                ("Đơn đề nghị theo mẫu", 1, 0),
                ("giấy tờ chứng minh đủ điều kiện", 0, 1)
            ]
        );
        assert_eq!(dossier.sets, Some(1));
        let dropped = without_component(text, &case.components[0].span);
        assert_eq!(
            dropped,
            "giấy tờ chứng minh đủ điều kiện (01 bản sao có chứng thực); 01 hồ sơ"
        );

        let lines = "Thành phần hồ sơ gồm:\n- Tờ khai (01 bản chính và 01 bản sao)\n\
                     - Giấy chứng minh nhân dân\na) Bản vẽ thiết kế (02 bản chính)";
        let dossier = Dossier::parse(lines);
        let papers: Vec<(&str, u32, u32, bool)> = dossier
            .components()
            .map(|c| (c.name.as_str(), c.originals, c.copies, c.count_stated))
            .collect();
        assert_eq!(
            papers,
            [
                ("Tờ khai", 1, 1, true),
                ("Giấy chứng minh nhân dân", 0, 0, false),
                ("Bản vẽ thiết kế", 2, 0, true)
            ]
        );
        assert_eq!(Dossier::parse("").cases.len(), 0);
    }
}
