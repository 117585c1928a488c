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
    let mut push = |ch: char, folded: &mut String| {
        if !ch.is_ascii() && is_combining_mark(ch) {
            return;
        }
        if ch.is_whitespace() {
            pending_space = !folded.is_empty();
            return;
        }
        if pending_space {
            folded.push(' ');
            pending_space = false;
        }
        match ch {
            'đ' | 'Đ' => folded.push('d'),
            _ if ch.is_ascii() => folded.push(ch.to_ascii_lowercase()),
            _ => folded.extend(ch.to_lowercase()),
        }
    };
    // Each character decomposed on its own, not the text put in NFD: the marks NFD would
    // reorder are dropped anyway, and this is several times faster (every cell of an
    // import, every name of an audit, every row of the window is folded).
    for ch in text.chars() {
        if ch.is_ascii() {
            push(ch, &mut folded);
        } else {
            unicode_normalization::char::decompose_canonical(ch, |part| push(part, &mut folded));
        }
    }
    folded
}

/// Trims and collapses inner whitespace runs (line breaks kept as one `\n`), drops control
/// characters (a NUL from a damaged file is never stored), then NFC. Used on every imported
/// cell so that stray spaces from PDF copies do not count as a change.
pub fn clean_cell(text: &str) -> String {
    let visible: String;
    let text = if text.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        visible = text
            .chars()
            .filter(|c| !c.is_control() || c.is_whitespace())
            .collect();
        &visible
    } else {
        text
    };
    let lines: Vec<String> = text
        .lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect();
    nfc(&lines.join("\n"))
}

/// Vietnamese alphabet order of the base letters: a ă â b c d đ e ê g h i k l m n o ô ơ p q r
/// s t u ư v x y. Letters outside it (f j w z, digits, punctuation) sort by code point after
/// the space but around them, which keeps codes like `1.001234` in numeric order.
const ALPHABET: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxy";

/// Tone of a syllable's vowel, in dictionary order: none, huyền, sắc, hỏi, ngã, nặng.
fn tone_rank(mark: char) -> Option<u8> {
    match mark {
        '\u{300}' => Some(1), // huyền
        '\u{301}' => Some(2), // sắc
        '\u{309}' => Some(3), // hỏi
        '\u{303}' => Some(4), // ngã
        '\u{323}' => Some(5), // nặng
        _ => None,
    }
}

/// A letter without its tone, and the tone's rank: 'ấ' → ('â', 2). Allocation-free:
/// sorting 120,000 names computes this for every letter.
fn split_tone(ch: char) -> (char, u8) {
    if ch.is_ascii() {
        return (ch, 0);
    }
    let mut parts = [ch; 4];
    let mut count = 0;
    let mut tone = 0;
    unicode_normalization::char::decompose_canonical(ch, |part| match tone_rank(part) {
        Some(rank) => tone = rank,
        None if count < parts.len() => {
            parts[count] = part;
            count += 1;
        }
        None => {}
    });
    let letter = parts[1..count.max(1)]
        .iter()
        .fold(parts[0], |letter, &mark| {
            unicode_normalization::char::compose(letter, mark).unwrap_or(letter)
        });
    (letter, tone)
}

/// A key that sorts Vietnamese text in dictionary order: letters first (a < ă < â < b …
/// < đ …), then tones, then case — not in byte order, where "Đ" would follow "Z".
pub fn collation_key(text: &str) -> Vec<u32> {
    let mut primary = Vec::with_capacity(text.len() * 3 + 2);
    let mut secondary = Vec::with_capacity(text.len());
    let mut tertiary = Vec::with_capacity(text.len());
    for ch in text.nfc() {
        let lower = ch.to_lowercase().next().unwrap_or(ch);
        let (letter, tone) = split_tone(lower);
        primary.push(match ALPHABET.chars().position(|c| c == letter) {
            // Letters after digits and punctuation, in the Vietnamese alphabet's order.
            Some(position) => 0x1_0000 + position as u32,
            None if letter.is_alphabetic() => 0x2_0000 + u32::from(letter),
            None => u32::from(letter),
        });
        secondary.push(u32::from(tone));
        tertiary.push(u32::from(lower != ch));
    }
    primary.push(0);
    primary.extend(secondary);
    primary.push(0);
    primary.extend(tertiary);
    primary
}

/// Where `needle_folded` (already folded) occurs in `haystack`, as a byte range of the
/// original text: for highlighting a diacritics-free search in the displayed name.
pub fn find_folded(haystack: &str, needle_folded: &str) -> Option<std::ops::Range<usize>> {
    if needle_folded.is_empty() {
        return None;
    }
    // Fold char by char, remembering which original char each folded byte came from.
    let mut folded = String::with_capacity(haystack.len());
    let mut origin: Vec<(usize, usize)> = Vec::with_capacity(haystack.len());
    let mut pending_space: Option<(usize, usize)> = None;
    for (start, ch) in haystack.char_indices() {
        let end = start + ch.len_utf8();
        if ch.is_whitespace() {
            if !folded.is_empty() {
                pending_space.get_or_insert((start, end));
            }
            continue;
        }
        if let Some(space) = pending_space.take() {
            folded.push(' ');
            origin.push(space);
        }
        let piece = fold(ch.encode_utf8(&mut [0; 4]));
        origin.extend(std::iter::repeat_n((start, end), piece.len()));
        folded.push_str(&piece);
    }
    let at = folded.find(needle_folded)?;
    let first = origin.get(at)?;
    let last = origin.get(at + needle_folded.len() - 1)?;
    Some(first.0..last.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fold as first written: the whole text in NFD.
    fn fold_by_nfd(text: &str) -> String {
        let mut folded = String::new();
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

    #[test]
    fn folding_character_by_character_is_folding_the_nfd_text() {
        let mut samples: Vec<String> = (0x20u32..0x2000)
            .chain(0x1E00..0x1F00)
            .filter_map(char::from_u32)
            .map(|c| format!("a{c}\u{301}b {c}"))
            .collect();
        samples.push("  Ủy ban nhân dân  cấp\txã\u{323}\u{302} ĐĂNG ".to_owned());
        samples.push("Thủ tục".nfd().collect());
        for text in &samples {
            assert_eq!(fold(text), fold_by_nfd(text), "{text:?}");
        }
    }

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
    fn collation_follows_the_vietnamese_alphabet() {
        let mut words = vec![
            "Đăng ký",
            "Cấp",
            "Bãi bỏ",
            "Ăn",
            "An",
            "Âm",
            "Dân",
            "Xã",
            "Ân",
            "Ơn",
            "Ông",
            "Ưu",
            "Uy",
            "Á",
            "À",
            "Ả",
            "Ã",
            "Ạ",
            "a",
            "A",
        ];
        words.sort_by_key(|w| collation_key(w));
        assert_eq!(
            words,
            [
                "a",
                "A",
                "À",
                "Á",
                "Ả",
                "Ã",
                "Ạ",
                "An",
                "Ăn",
                "Âm",
                "Ân",
                "Bãi bỏ",
                "Cấp",
                "Dân",
                "Đăng ký",
                "Ông",
                "Ơn",
                "Uy",
                "Ưu",
                "Xã"
            ]
        );
        // Codes stay in numeric order.
        let mut codes = vec!["2.000815", "1.001234", "1.000001"];
        codes.sort_by_key(|c| collation_key(c));
        assert_eq!(codes, ["1.000001", "1.001234", "2.000815"]);
    }

    #[test]
    fn a_folded_search_is_found_in_the_original_text() {
        let name = "Đăng ký khai sinh";
        let range = find_folded(name, "dang ky").unwrap();
        assert_eq!(&name[range], "Đăng ký");
        let range = find_folded(name, "khai").unwrap();
        assert_eq!(&name[range], "khai");
        assert!(find_folded(name, "ket hon").is_none());
        let spaced = "Cấp  lại";
        assert_eq!(&spaced[find_folded(spaced, "cap lai").unwrap()], "Cấp  lại");
    }

    #[test]
    fn clean_cell_keeps_line_breaks_and_drops_runs_of_spaces() {
        assert_eq!(
            clean_cell("  Ủy ban nhân dân   cấp xã \n\n Thuế tỉnh "),
            "Ủy ban nhân dân cấp xã\nThuế tỉnh"
        );
        assert_eq!(clean_cell("   "), "");
        assert_eq!(clean_cell("Tên\u{0} B\u{7}"), "Tên B");
        assert_eq!(clean_cell("\u{a0}"), "");
    }
}
