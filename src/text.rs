//! Vietnamese-aware text normalisation, shared by import (header matching),
//! search and the audit. Stored text is only ever NFC-normalised; folding is
//! for matching.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Canonical composed form: what the store keeps, so that the same name typed
/// composed or decomposed compares equal.
pub fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// Folds text for matching: diacritics removed, `đ` → `d`, lower case, every
/// run of whitespace one space, trimmed. "  Đăng  ký\tKINH doanh" → "dang ky kinh doanh".
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfd() {
        if is_combining_mark(ch) {
            continue;
        }
        if ch.is_whitespace() {
            pending_space = !folded.is_empty();
            continue;
        }
        if pending_space {
            folded.push(' ');
            pending_space = false;
        }
        match ch {
            'đ' | 'Đ' => folded.push('d'),
            _ => folded.extend(ch.to_lowercase()),
        }
    }
    folded
}

/// Trims and collapses inner whitespace runs (line breaks kept as one `\n`),
/// then NFC. Used on every imported cell so that stray spaces from PDF copies
/// do not count as a change.
pub fn clean_cell(text: &str) -> String {
    let lines: Vec<String> = text
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    nfc(&lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_tones_and_maps_d_bar() {
        assert_eq!(fold("Đăng ký kinh doanh"), "dang ky kinh doanh");
        assert_eq!(fold("  ĐĂNG\tKÝ  "), "dang ky");
        assert_eq!(fold("Cấp lại"), "cap lai");
        assert_eq!(fold("Ủy ban nhân dân cấp  xã"), "uy ban nhan dan cap xa");
    }

    #[test]
    fn fold_treats_composed_and_decomposed_alike() {
        let composed = "Thủ tục";
        let decomposed: String = composed.nfd().collect();
        assert_ne!(composed, decomposed);
        assert_eq!(fold(composed), fold(&decomposed));
        assert_eq!(nfc(&decomposed), composed);
    }

    #[test]
    fn clean_cell_keeps_line_breaks_and_drops_runs_of_spaces() {
        assert_eq!(
            clean_cell("  Ủy ban nhân dân   cấp xã \n\n Thuế tỉnh "),
            "Ủy ban nhân dân cấp xã\nThuế tỉnh"
        );
        assert_eq!(clean_cell("   "), "");
    }
}
