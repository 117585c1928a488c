//! Formula injection: a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return is
//! run as a formula by spreadsheets that open a CSV file. As OWASP advises, such a cell is
//! written with a leading `'`, which shows it as text. To stay lossless, a cell that already
//! starts with `'` before one of those characters gains one more, and reading drops one.

use std::borrow::Cow;

fn is_trigger(ch: char) -> bool {
    matches!(ch, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether the text, after any leading `'`, starts with a formula trigger.
fn needs_quote(text: &str) -> bool {
    text.trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(is_trigger)
}

/// The cell as written to a CSV file.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The cell as it was before [`neutralise`].
pub fn restore(text: &str) -> Cow<'_, str> {
    match text.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => Cow::Borrowed(rest),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triggers_are_quoted_and_restored() {
        for text in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\r=1",
            "'=1",
            "''-x",
        ] {
            let written = neutralise(text);
            assert!(written.starts_with('\''), "{text:?} → {written:?}");
            assert_eq!(restore(&written), text);
        }
    }

    #[test]
    fn plain_text_is_untouched() {
        for text in ["Cấp giấy phép", "1.000123", "'quoted'", "", "a=b", "50%"] {
            assert_eq!(neutralise(text), text);
            assert_eq!(restore(text), text);
        }
    }
}
