//! How two procedure names compare: Vietnamese-aware canonical tokens, the typo test, and
//! the words that make two names different procedures.

use crate::domain::Level;
use crate::text::{fold, nfc};

/// A name reduced for matching: folded (no diacritics, `đ` → `d`, lower case), punctuation
/// gone, a leading "Thủ tục" and a trailing suffix naming the entry's own level removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CanonicalName {
    pub tokens: Vec<String>,
    /// The tokens joined without spaces: equal when only spacing differs, as in PDF copies
    /// that split words ("C ấp l ại").
    pub compact: String,
}

impl CanonicalName {
    pub fn of(name: &str, level: Level) -> CanonicalName {
        let folded = fold(name);
        let spaced: String = folded
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let mut tokens: Vec<String> = spaced.split_whitespace().map(str::to_owned).collect();
        while tokens.len() > 2 && tokens[0] == "thu" && tokens[1] == "tuc" {
            tokens.drain(..2);
        }
        let own_level = level_word(level);
        while tokens.len() > 3
            && tokens[tokens.len() - 2] == "cap"
            && tokens[tokens.len() - 1] == own_level
        {
            tokens.truncate(tokens.len() - 2);
        }
        // The compact form strips the same prefix and suffix from the letters alone, so a
        // PDF copy that also split "cấp tỉnh" into "c ấp t ỉnh" still matches.
        let mut compact: &str = &spaced.split_whitespace().collect::<String>();
        let suffix = format!("cap{own_level}");
        loop {
            if compact.len() > 12 && compact.starts_with("thutuc") {
                compact = &compact["thutuc".len()..];
            } else if compact.len() > suffix.len() + 6 && compact.ends_with(&suffix) {
                compact = &compact[..compact.len() - suffix.len()];
            } else {
                break;
            }
        }
        let compact = compact.to_owned();
        CanonicalName { tokens, compact }
    }
}

fn level_word(level: Level) -> &'static str {
    match level {
        Level::Province => "tinh",
        Level::District => "huyen",
        Level::Commune => "xa",
    }
}

/// Why two names that differ as typed are the same name: the differences a reviewer sees,
/// in the order they were checked. Empty when the names are equal as typed.
pub fn same_name_explanation(a: &str, b: &str, level: Level) -> Vec<&'static str> {
    let mut reasons = Vec::new();
    if a == b {
        return reasons;
    }
    let (a_nfc, b_nfc) = (nfc(a), nfc(b));
    if a_nfc == b_nfc {
        reasons.push("dạng Unicode (tổ hợp / dựng sẵn)");
        return reasons;
    }
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (a_sq, b_sq) = (squeeze(&a_nfc), squeeze(&b_nfc));
    if a_sq != a_nfc || b_sq != b_nfc {
        reasons.push("khoảng trắng thừa");
    }
    if a_sq == b_sq {
        return reasons;
    }
    if a_sq.to_lowercase() == b_sq.to_lowercase() {
        reasons.push("chữ hoa / thường");
        return reasons;
    }
    let letters = |s: &str| -> String {
        s.chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    let (a_letters, b_letters) = (letters(&a_sq), letters(&b_sq));
    if a_letters == b_letters {
        reasons.push("dấu câu");
        return reasons;
    }
    if fold(&a_letters) == fold(&b_letters) {
        reasons.push("thiếu dấu tiếng Việt");
        return reasons;
    }
    let (ca, cb) = (CanonicalName::of(a, level), CanonicalName::of(b, level));
    let plain_a: Vec<String> = fold(&a_letters).split(' ').map(str::to_owned).collect();
    let plain_b: Vec<String> = fold(&b_letters).split(' ').map(str::to_owned).collect();
    let starts_thu_tuc = |t: &[String]| t.len() > 2 && t[0] == "thu" && t[1] == "tuc";
    if starts_thu_tuc(&plain_a) != starts_thu_tuc(&plain_b) {
        reasons.push("tiền tố «Thủ tục»");
    }
    let ends_level = |t: &[String]| t.len() > 3 && t[t.len() - 2] == "cap";
    if ends_level(&plain_a) != ends_level(&plain_b) {
        reasons.push("hậu tố cấp thực hiện");
    }
    if ca.tokens != cb.tokens && ca.compact == cb.compact {
        reasons.push("chữ bị tách rời (sao chép từ PDF)");
    }
    if reasons.is_empty() {
        reasons.push("cách viết");
    }
    reasons
}

/// The tokens in which two equally long names differ, when every difference is a typo:
/// at most two words, each an adjacent-letter swap or a one- or two-letter slip that leaves
/// a word that is not a Vietnamese syllable, or that no other name of the catalogue uses
/// (`frequency` counts the names a word appears in). `None` when some difference is a real
/// word (cấp ↔ cấp lại, nhập ↔ nhận, hạng I ↔ hạng II): those names are different procedures.
pub fn typo_differences<'a>(
    a: &'a CanonicalName,
    b: &'a CanonicalName,
    frequency: &dyn Fn(&str) -> u32,
) -> Option<Vec<(&'a str, &'a str)>> {
    if a.tokens.len() != b.tokens.len() || a.tokens.len() < 3 {
        return None;
    }
    let allowed = (a.tokens.len() / 4).clamp(1, MAX_TYPO_WORDS);
    let mut differing = Vec::new();
    for (x, y) in a.tokens.iter().zip(&b.tokens) {
        if x != y {
            if differing.len() == allowed {
                return None;
            }
            differing.push((x.as_str(), y.as_str()));
        }
    }
    (!differing.is_empty() && differing.iter().all(|(x, y)| is_typo(x, y, frequency)))
        .then_some(differing)
}

/// Names that differ in at most this many words are compared for typos.
pub const MAX_TYPO_WORDS: usize = 2;

fn is_typo(x: &str, y: &str, frequency: &dyn Fn(&str) -> u32) -> bool {
    if x.chars().any(|c| c.is_ascii_digit()) || y.chars().any(|c| c.is_ascii_digit()) {
        return false; // numbers are never typos: "Nghị định 15" ≠ "Nghị định 51"
    }
    if is_adjacent_swap(x, y) {
        return true;
    }
    let longest = x.chars().count().max(y.chars().count());
    let distance = strsim::osa_distance(x, y);
    let limit = if longest >= 7 { 2 } else { 1 };
    if longest < 3 || distance > limit {
        return false;
    }
    // A slip that lands on another real syllable may be a real word ("nhập" vs "nhận"),
    // unless that word appears nowhere else while the other is common.
    let (fx, fy) = (frequency(x), frequency(y));
    let one_off = fx.min(fy) <= 1 && fx.max(fy) >= 3;
    !(is_syllable(x) && is_syllable(y)) || one_off
}

fn is_adjacent_swap(x: &str, y: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
    if a.len() != b.len() || a.len() < 2 {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
    diffs.len() == 2
        && diffs[1] == diffs[0] + 1
        && a[diffs[0]] == b[diffs[1]]
        && a[diffs[1]] == b[diffs[0]]
}

/// Whether a folded word has the shape of a Vietnamese syllable: onset, one to three
/// vowels, coda.
pub fn is_syllable(word: &str) -> bool {
    const ONSETS: [&str; 27] = [
        "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "g", "h",
        "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
    ];
    // Vowel groups once diacritics are folded (ư → u, ơ → o, ê → e …).
    const NUCLEI: [&str; 40] = [
        "a", "e", "i", "o", "u", "y", "ai", "ao", "au", "ay", "eo", "eu", "ia", "ie", "iu", "oa",
        "oe", "oi", "oo", "ua", "ue", "ui", "uo", "uu", "uy", "ya", "ye", "ieu", "oai", "oay",
        "oeo", "uay", "uoi", "uou", "uya", "uye", "uyu", "yeu", "uai", "oao",
    ];
    const CODAS: [&str; 9] = ["ch", "ng", "nh", "c", "m", "n", "p", "t", ""];
    let is_vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    ONSETS.iter().any(|onset| {
        let Some(rest) = word.strip_prefix(onset) else {
            return false;
        };
        let vowels = rest.chars().take_while(|&c| is_vowel(c)).count();
        NUCLEI.contains(&&rest[..vowels]) && CODAS.contains(&&rest[vowels..])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(name: &str) -> CanonicalName {
        CanonicalName::of(name, Level::Province)
    }

    #[test]
    fn the_ways_a_name_is_retyped_give_one_canonical_form() {
        let original = canon("Cấp lại giấy phép kinh doanh vận tải bằng xe ô tô");
        for variant in [
            "Cap lai giay phep kinh doanh van tai bang xe o to",
            "CẤP LẠI GIẤY PHÉP KINH DOANH VẬN TẢI BẰNG XE Ô TÔ",
            "Thủ tục cấp lại giấy phép kinh doanh vận tải bằng xe ô tô",
            "Cấp lại giấy phép kinh doanh vận tải bằng xe ô tô (cấp tỉnh)",
            "Cấp lại giấy phép kinh doanh vận tải, bằng xe ô tô.",
            "  Cấp  lại giấy   phép kinh doanh vận tải bằng xe ô tô ",
            "Ca\u{302}\u{301}p la\u{323}i giấy phép kinh doanh vận tải bằng xe ô tô",
        ] {
            assert_eq!(canon(variant).tokens, original.tokens, "{variant}");
        }
        let broken = canon("C ấp l ại gi ấy phép kinh doanh vận tải bằng xe ô tô");
        assert_ne!(broken.tokens, original.tokens);
        assert_eq!(broken.compact, original.compact);
        let suffixed = canon("Cấp lại giấy phép kinh doanh vận tải bằng xe ô tô cấp tỉnh");
        let broken = canon("C ấp l ại giấy phép kinh doanh vận tải bằng xe ô tô c ấp t ỉnh");
        assert_eq!(broken.compact, suffixed.compact);
        assert_eq!(suffixed.compact, original.compact);
        // Another level's suffix is part of the name.
        assert_ne!(
            canon("Cấp lại giấy phép kinh doanh (cấp xã)").tokens,
            canon("Cấp lại giấy phép kinh doanh").tokens
        );
    }

    #[test]
    fn typos_are_told_from_real_words() {
        // Every word common, as in a real catalogue, except the one-off slips.
        let frequency = |word: &str| {
            if ["bin", "haan"].contains(&word) {
                1
            } else {
                50
            }
        };
        let typo = |a: &str, b: &str| typo_differences(&canon(a), &canon(b), &frequency).is_some();
        assert!(typo(
            "Đăng ký khai sinh lưu động",
            "Đăgn ký khai sinh lưu động"
        ));
        assert!(typo("Cấp giấy phép xây dựng", "Cấp giấy phpé xây dựng"));
        assert!(typo("Thẩm định thiết kế", "Thẩm đinhh thiết kế"));
        assert!(typo(
            "Đăng ký tàu biển tạm thời",
            "Đăng ký tàu bin tạm thời"
        ));
        assert!(typo("Đăng ký có thời hạn", "Đăng ký có thời hạạn"));
        // Decisive words: different procedures.
        assert!(!typo(
            "Cấp giấy phép xây dựng",
            "Cấp lại giấy phép xây dựng"
        ));
        assert!(!typo("Cấp giấy phép nhập khẩu", "Cấp giấy phép xuất khẩu"));
        assert!(!typo(
            "Xác nhận hồ sơ nhập khẩu",
            "Xác nhận hồ sơ nhận khẩu"
        ));
        assert!(!typo(
            "Cấp chứng chỉ hành nghề hạng I",
            "Cấp chứng chỉ hành nghề hạng II"
        ));
        assert!(!typo(
            "Đăng ký theo Nghị định 15",
            "Đăng ký theo Nghị định 51"
        ));
        assert!(!typo(
            "Đăng ký kết hôn trong nước",
            "Đăng ký kết hôn nước ngoài"
        ));
    }

    #[test]
    fn syllables() {
        for word in [
            "nghieng", "cap", "lai", "giay", "quyet", "o", "uy", "khuyen", "truong",
        ] {
            assert!(is_syllable(word), "{word}");
        }
        for word in [
            "dagn", "phpe", "nhpa", "cpa", "xyz", "abcd", "haan", "giiay",
        ] {
            assert!(!is_syllable(word), "{word}");
        }
    }

    #[test]
    fn explanations_name_the_difference() {
        let explain = |a: &str, b: &str| same_name_explanation(a, b, Level::Province);
        assert_eq!(explain("Cấp phép", "CẤP PHÉP"), ["chữ hoa / thường"]);
        assert_eq!(explain("Cấp phép", "Cap phep"), ["thiếu dấu tiếng Việt"]);
        assert_eq!(explain("Cấp phép", "Cấp phép."), ["dấu câu"]);
        assert_eq!(
            explain("Cấp phép", "Ca\u{302}\u{301}p phép"),
            ["dạng Unicode (tổ hợp / dựng sẵn)"]
        );
        assert_eq!(
            explain("Cấp phép xây dựng", "Thủ tục cấp phép xây dựng"),
            ["tiền tố «Thủ tục»"]
        );
        assert_eq!(
            explain("Cấp lại giấy phép", "C ấp l ại giấy phép"),
            ["chữ bị tách rời (sao chép từ PDF)"]
        );
    }
}
