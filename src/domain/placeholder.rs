//! Words that stand for nothing: the national database writes "Không có thông tin" where it
//! has no value, officers write "Đang cập nhật" or a dash. Such a cell is an empty value.

use crate::text::fold;

/// Letters (and digits) of the longest placeholder, with room to spare.
const LONGEST_PLACEHOLDER: usize = 24;

/// Whether the text says only that there is no value.
pub fn is_placeholder(text: &str) -> bool {
    // The longest placeholder has 15 letters: a text with more is a value, known without
    // folding it (every imported cell passes here).
    let letters = text
        .chars()
        .filter(|&c| {
            if c.is_ascii() {
                c.is_ascii_alphanumeric()
            } else {
                // Neither a mark (U+0300–036F: the only ones Vietnamese uses) nor a dash
                // or other general punctuation (U+2000–206F); cheaper than asking Unicode.
                !matches!(c, '\u{300}'..='\u{36f}' | '\u{2000}'..='\u{206f}') && !c.is_whitespace()
            }
        })
        .take(LONGEST_PLACEHOLDER + 1)
        .count();
    if letters > LONGEST_PLACEHOLDER {
        return false;
    }
    let folded = fold(text);
    let bare = folded.trim().trim_matches(|c: char| {
        c.is_ascii_punctuation() || c.is_whitespace() || c == '—' || c == '–'
    });
    matches!(
        bare,
        "" | "khong co thong tin"
            | "chua co thong tin"
            | "dang cap nhat"
            | "chua cap nhat"
            | "khong xac dinh"
            | "n/a"
            | "na"
            | "null"
            | "none"
    )
}

/// The text, or empty when it is a placeholder.
pub fn unless_placeholder(text: &str) -> &str {
    if is_placeholder(text) { "" } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_recognised_in_any_spelling() {
        for text in [
            "Không có thông tin",
            "KHÔNG CÓ THÔNG TIN.",
            "—",
            "-",
            " ",
            "Đang cập nhật",
            "N/A",
        ] {
            assert!(is_placeholder(text), "{text}");
        }
        for text in ["Không", "Miễn phí", "Sở Tư pháp", "0"] {
            assert!(!is_placeholder(text), "{text}");
        }
    }
}
