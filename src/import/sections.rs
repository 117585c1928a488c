//! Section rows of a list laid out as a decision annex: "A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH",
//! "I. LĨNH VỰC HỘ TỊCH". They are not procedures: they give the level and the field of the
//! rows under them, as this application's own published list and provinces' annexes write them.

use crate::domain::Level;
use crate::text::fold;

/// What a section row says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SectionHeading {
    Level(Level),
    /// The field as written (an all-capitals heading comes back in sentence case).
    Field(String),
}

/// "A.", "II.", "1)", "Phần I." … at the start of a heading.
fn is_enumerator(word: &str) -> bool {
    let bare = word.trim_end_matches(['.', ')', ':']);
    if bare.is_empty() || bare.len() == word.len() && !word.chars().all(|c| c.is_ascii_digit()) {
        return false;
    }
    let folded = bare.to_ascii_lowercase();
    folded.len() == 1 && folded.chars().all(|c| c.is_ascii_alphabetic())
        || folded.chars().all(|c| "ivxlcdm".contains(c))
        || folded.chars().all(|c| c.is_ascii_digit())
}

/// The heading without its enumerator ("Phần", "A.", "II."), as written.
fn strip_enumerator(text: &str) -> &str {
    let mut rest = text.trim();
    loop {
        let Some((first, tail)) = rest.split_once(char::is_whitespace) else {
            return rest;
        };
        if fold(first) == "phan" || is_enumerator(first) {
            rest = tail.trim_start();
        } else {
            return rest;
        }
    }
}

/// "AN TOÀN THỰC PHẨM" → "An toàn thực phẩm"; mixed-case text is kept as it is.
fn sentence_case(text: &str) -> String {
    if text.chars().any(char::is_lowercase) {
        return text.to_owned();
    }
    let lower = text.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Reads a section heading; `None` for any other text.
pub fn section_heading(text: &str) -> Option<SectionHeading> {
    let heading = strip_enumerator(text);
    let folded = fold(heading);
    if let Some(rest) = folded
        .strip_prefix("thu tuc hanh chinh ")
        .or_else(|| folded.strip_prefix("tthc "))
        .or_else(|| folded.starts_with("cap ").then_some(folded.as_str()))
    {
        let level = match rest.trim_end_matches(['.', ':']) {
            "cap tinh" | "thuoc tham quyen giai quyet cap tinh" => Level::Province,
            "cap huyen" | "thuoc tham quyen giai quyet cap huyen" => Level::District,
            "cap xa" | "thuoc tham quyen giai quyet cap xa" => Level::Commune,
            _ => return None,
        };
        return Some(SectionHeading::Level(level));
    }
    if folded.starts_with("linh vuc ") {
        // Skip the two words "Lĩnh vực" as written, keep the rest.
        let mut words = heading.splitn(3, char::is_whitespace);
        let field = words.nth(2).unwrap_or_default().trim();
        if fold(field) == fold(crate::export::NO_FIELD) {
            return Some(SectionHeading::Field(String::new()));
        }
        if !field.is_empty() {
            return Some(SectionHeading::Field(sentence_case(field)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_of_annexes_are_read() {
        assert_eq!(
            section_heading("A. THỦ TỤC HÀNH CHÍNH CẤP TỈNH"),
            Some(SectionHeading::Level(Level::Province))
        );
        assert_eq!(
            section_heading("Phần II. Thủ tục hành chính cấp huyện"),
            Some(SectionHeading::Level(Level::District))
        );
        assert_eq!(
            section_heading("C. TTHC cấp xã"),
            Some(SectionHeading::Level(Level::Commune))
        );
        assert_eq!(
            section_heading("I. LĨNH VỰC AN TOÀN THỰC PHẨM VÀ DINH DƯỠNG"),
            Some(SectionHeading::Field(
                "An toàn thực phẩm và dinh dưỡng".into()
            ))
        );
        assert_eq!(
            section_heading("XIV. Lĩnh vực Hộ tịch"),
            Some(SectionHeading::Field("Hộ tịch".into()))
        );
        // What the export writes for entries with no field.
        assert_eq!(
            section_heading(&format!("III. {}", crate::export::field_title(""))),
            Some(SectionHeading::Field(String::new()))
        );
    }

    #[test]
    fn procedures_and_titles_are_not_headings() {
        for text in [
            "Cấp giấy phép xây dựng",
            "DANH MỤC THỦ TỤC HÀNH CHÍNH",
            "1.000123",
            "Lĩnh vực",
            "Cấp lại giấy phép",
            "Thủ tục hành chính cấp giấy phép",
        ] {
            assert_eq!(section_heading(text), None, "{text}");
        }
    }
}
