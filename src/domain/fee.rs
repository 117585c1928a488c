//! Fees and charges (phí, lệ phí) as the source writes them, and the amounts that can be read
//! from them with certainty. Officers and the national database write amounts every way
//! ("20,000 Việt Nam Đồng", "20.000 đ", "20 000", "1,5 triệu đồng", "Miễn phí"), per channel,
//! per unit ("/hồ sơ"), with notes that may change the amount ("áp dụng mức phí … kể từ
//! ngày …"). An amount is read only when nothing in the cell contradicts it; otherwise the
//! text stays as it is and the reader is told, never a wrong number.

use std::fmt;

use super::channel::{Channel, split_channel};
use super::placeholder::is_placeholder;
use crate::text::fold;

/// What one fee costs.
#[derive(Clone, Debug, PartialEq)]
pub enum Money {
    /// Miễn phí, Không.
    Free,
    /// An amount in đồng.
    Vnd(i64),
    /// An amount in another currency, kept as written ("50 USD").
    Foreign { amount: String, currency: String },
}

/// One fee of a cell: for a channel (or all), with its label ("Lệ phí") and note.
#[derive(Clone, Debug, PartialEq)]
pub struct FeeItem {
    pub channel: Option<Channel>,
    /// "Lệ phí", "Phí thẩm định": what the source calls it, when it says.
    pub label: String,
    pub money: Money,
    /// What the source adds: per unit ("/hồ sơ"), or a description.
    pub note: String,
}

/// Why an amount could not be read with certainty: said in the import's warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uncertain {
    /// Words or figures the reader cannot turn into an amount.
    Unreadable,
    /// "1,5" or "100,00" with no "triệu": a decimal or a thousands mark?
    AmbiguousSeparator,
    /// The note names another amount, a rate or an exemption.
    NoteChangesAmount,
    /// The note limits the amount to dates ("kể từ ngày … đến hết ngày …").
    DatedAmount,
    /// "Miễn phí" but the note says the fee is set elsewhere ("do HĐND tỉnh quyết định").
    FreeButSetElsewhere,
}

impl Uncertain {
    pub fn explain_vi(self) -> &'static str {
        match self {
            Uncertain::Unreadable => "không đọc được số tiền",
            Uncertain::AmbiguousSeparator => {
                "không rõ dấu phẩy/chấm là phần thập phân hay phân cách hàng nghìn"
            }
            Uncertain::NoteChangesAmount => {
                "ghi chú nêu mức thu, tỷ lệ hoặc trường hợp miễn khác với số tiền"
            }
            Uncertain::DatedAmount => "mức thu áp dụng theo thời hạn nêu trong ghi chú",
            Uncertain::FreeButSetElsewhere => {
                "ghi «Miễn phí» nhưng ghi chú cho biết mức thu do cơ quan khác quy định"
            }
        }
    }

    pub fn explain_en(self) -> &'static str {
        match self {
            Uncertain::Unreadable => "no amount can be read",
            Uncertain::AmbiguousSeparator => {
                "the comma or point may be a decimal mark or a thousands mark"
            }
            Uncertain::NoteChangesAmount => "the note names another amount, a rate or exemptions",
            Uncertain::DatedAmount => "the note limits the amount to dates",
            Uncertain::FreeButSetElsewhere => {
                "says free, but the note says the fee is set elsewhere"
            }
        }
    }
}

/// A fee cell: the text as written, and its items when every part of it could be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fee {
    text: String,
    items: Vec<FeeItem>,
    uncertain: Option<Uncertain>,
}

impl Fee {
    /// The text alone, not read: where only the text counts (a publication's seal).
    pub fn as_written(text: String) -> Fee {
        Fee {
            text,
            items: Vec::new(),
            uncertain: None,
        }
    }

    /// Reads a fee cell.
    pub fn parse(text: &str) -> Fee {
        let text = text.trim();
        if is_placeholder(text) {
            return Fee::default();
        }
        let mut items = Vec::new();
        for part in top_level_parts(text) {
            match read_part(part) {
                Ok(Some(item)) => items.push(item),
                Ok(None) => {}
                Err(why) => {
                    return Fee {
                        text: text.to_owned(),
                        items: Vec::new(),
                        uncertain: Some(why),
                    };
                }
            }
        }
        Fee {
            text: text.to_owned(),
            items,
            uncertain: None,
        }
    }

    /// A fee of one amount in đồng (0 is free), as a decision writes it.
    pub fn of_vnd(amount: i64) -> Fee {
        let text = if amount == 0 {
            "Miễn phí".to_owned()
        } else {
            format!("{} đồng", super::group_thousands(amount))
        };
        Fee::parse(&text)
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn items(&self) -> &[FeeItem] {
        &self.items
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Text is there but no amount could be read from it with certainty.
    pub fn is_unstructured(&self) -> bool {
        !self.text.is_empty() && self.items.is_empty()
    }

    /// Why the text could not be read, when it could not.
    pub fn uncertain(&self) -> Option<Uncertain> {
        self.uncertain
    }

    /// The one amount in đồng that every channel pays (0 when free), if there is one: a cell
    /// with fees that differ by channel, several fees, or a foreign currency has none.
    pub fn amount_vnd(&self) -> Option<i64> {
        let mut amount = None;
        let mut labels = std::collections::BTreeSet::new();
        for item in &self.items {
            let value = match item.money {
                Money::Free => 0,
                Money::Vnd(value) => value,
                Money::Foreign { .. } => return None,
            };
            labels.insert((item.channel, item.label.as_str()));
            match amount {
                None => amount = Some(value),
                Some(seen) if seen == value => {}
                Some(_) => return None,
            }
        }
        // Two differently named fees of the same amount are still two fees.
        let named = labels
            .iter()
            .map(|(_, label)| *label)
            .collect::<std::collections::BTreeSet<_>>();
        if named.len() > 1 {
            return None;
        }
        amount
    }

    /// What one execution pays at most in đồng, summing differently named fees of a
    /// channel: for the compliance cost. None when something is not in đồng.
    pub fn total_vnd(&self) -> Option<i64> {
        let mut by_channel: std::collections::BTreeMap<Option<Channel>, i64> =
            std::collections::BTreeMap::new();
        for item in &self.items {
            let value = match item.money {
                Money::Free => 0,
                Money::Vnd(value) => value,
                Money::Foreign { .. } => return None,
            };
            *by_channel.entry(item.channel).or_default() += value;
        }
        by_channel.into_values().max()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Money::Free => f.write_str("Miễn phí"),
            Money::Vnd(amount) => write!(f, "{} đồng", super::group_thousands(*amount)),
            Money::Foreign { amount, currency } => write!(f, "{amount} {currency}"),
        }
    }
}

/// The parts of a cell: its lines, and within a line the fees separated by ";" outside
/// brackets ("Phí thẩm định: 500.000 đồng; Lệ phí: 100.000 đồng").
fn top_level_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for line in text.split('\n') {
        let mut depth = 0i32;
        let mut start = 0;
        for (i, c) in line.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                ';' if depth == 0 => {
                    parts.push(&line[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        parts.push(&line[start..]);
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The main text and the note in brackets after it: "300,000 VNĐ(Phí thẩm định)".
fn split_note(text: &str) -> Result<(&str, &str), Uncertain> {
    let Some(open) = text.find('(') else {
        return Ok((text.trim(), ""));
    };
    let main = text[..open].trim();
    let rest = text[open + 1..].trim_end();
    // The note runs to its matching bracket, which must end the part.
    let mut depth = 1i32;
    for (i, c) in rest.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    let after = rest[i + 1..].trim().trim_end_matches('.');
                    if !after.is_empty() {
                        return Err(Uncertain::Unreadable);
                    }
                    return Ok((main, rest[..i].trim()));
                }
            }
            _ => {}
        }
    }
    // An unclosed bracket (a cut-off note): take it to the end.
    Ok((main, rest.trim()))
}

/// Reads one fee: `Ok(None)` for a channel the source says nothing of.
fn read_part(part: &str) -> Result<Option<FeeItem>, Uncertain> {
    let (channel, rest) = split_channel(part);
    let (main, note) = split_note(rest.trim())?;
    if is_placeholder(main) && is_placeholder(note) {
        return match channel {
            Some(_) => Ok(None),
            None => Err(Uncertain::Unreadable),
        };
    }
    // "Lệ phí: 500.000 đồng/hồ sơ": a label before the amount.
    let (label, main) = match main.split_once(':') {
        Some((label, amount)) if fold(label).contains("phi") => (label.trim(), amount.trim()),
        _ => ("", main),
    };
    let (money, per) = read_money(main)?;
    let note = join_note(per, note);
    check_note(&money, &note)?;
    Ok(Some(FeeItem {
        channel,
        label: label.to_owned(),
        money,
        note,
    }))
}

fn join_note(per: &str, note: &str) -> String {
    match (per.is_empty(), note.is_empty()) {
        (true, _) => note.to_owned(),
        (false, true) => per.to_owned(),
        (false, false) => format!("{per} ({note})"),
    }
}

/// An amount and what follows it per unit ("/hồ sơ").
fn read_money(main: &str) -> Result<(Money, &str), Uncertain> {
    let folded = fold(main);
    let bare = folded.trim().trim_end_matches('.');
    if matches!(
        bare,
        "mien phi" | "mien" | "khong" | "khong thu" | "khong thu phi" | "0" | "0 dong" | "0 d"
    ) {
        return Ok((Money::Free, ""));
    }
    // The amount's figures, as written.
    let end = main
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '\u{a0}')))
        .unwrap_or(main.len());
    let figures = main[..end].trim_end_matches([' ', '\u{a0}', '.', ',']);
    if figures.is_empty() {
        return Err(Uncertain::Unreadable);
    }
    let after = &main[figures.len()..];
    let (words, per) = match after.find('/') {
        Some(slash) => (&after[..slash], after[slash..].trim()),
        None => (after, ""),
    };
    let words = fold(words);
    let words: Vec<&str> = words
        .split(|c: char| c.is_whitespace() || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let (multiplier, currency_words) = match words.first() {
        Some(&("trieu" | "tr")) => (Some(1_000_000.0), &words[1..]),
        Some(&("nghin" | "ngan" | "k")) => (Some(1_000.0), &words[1..]),
        Some(&"ty") => (Some(1_000_000_000.0), &words[1..]),
        _ => (None, &words[..]),
    };
    let currency = currency_words.join(" ");
    let foreign = match currency.as_str() {
        "" | "d" | "dong" | "vnd" | "viet nam dong" | "dong viet nam" => None,
        "usd" | "do la my" | "eur" | "euro" => Some(currency_words.join(" ").to_uppercase()),
        _ => return Err(Uncertain::Unreadable),
    };
    let value = read_figures(figures, multiplier)?;
    if let Some(currency) = foreign {
        return Ok((
            Money::Foreign {
                amount: figures.to_owned(),
                currency,
            },
            per,
        ));
    }
    Ok((Money::Vnd(value), per))
}

/// The figures of an amount: thousands grouped by ",", "." or a space ("12,500,000",
/// "100.000", "20 000"), plain digits, or a decimal before a multiplier ("1,5 triệu").
fn read_figures(figures: &str, multiplier: Option<f64>) -> Result<i64, Uncertain> {
    let groups: Vec<&str> = figures.split(['.', ',', ' ', '\u{a0}']).collect();
    if groups.iter().any(|g| g.is_empty()) {
        return Err(Uncertain::Unreadable);
    }
    let separators: std::collections::BTreeSet<char> = figures
        .chars()
        .filter(|c| matches!(c, '.' | ',' | ' ' | '\u{a0}'))
        .collect();
    let grouped = groups.len() > 1
        && separators.len() == 1
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3);
    let whole: f64 = if groups.len() == 1 {
        figures.parse().map_err(|_| Uncertain::Unreadable)?
    } else if grouped && multiplier.is_none() {
        groups.concat().parse().map_err(|_| Uncertain::Unreadable)?
    } else if groups.len() == 2 && multiplier.is_some() {
        format!("{}.{}", groups[0], groups[1])
            .parse()
            .map_err(|_| Uncertain::Unreadable)?
    } else {
        return Err(Uncertain::AmbiguousSeparator);
    };
    let value = whole * multiplier.unwrap_or(1.0);
    if value.fract() != 0.0 || !(0.0..9e15).contains(&value) {
        return Err(Uncertain::AmbiguousSeparator);
    }
    Ok(value as i64)
}

/// Notes that only say there is nothing: "Miễn phí(Không quy định)".
fn is_empty_note(folded: &str) -> bool {
    matches!(
        folded.trim().trim_end_matches('.').trim(),
        "" | "khong"
            | "khong quy dinh"
            | "khong co"
            | "chua quy dinh"
            | "khong thu"
            | "mien phi"
            | "khong co thong tin"
    )
}

/// Whether the note leaves the amount as it is. A note that only describes the fee, names
/// what it is per, or cites the circular that sets it is fine; one that names another
/// amount, a rate, exemptions, dates or cases changes what is paid.
fn check_note(money: &Money, note: &str) -> Result<(), Uncertain> {
    let folded = fold(note);
    if is_empty_note(&folded) {
        return Ok(());
    }
    if *money == Money::Free {
        // The database's "Miễn phí" with a note saying the fee is set by law or by the
        // province: not known to be free.
        return Err(Uncertain::FreeButSetElsewhere);
    }
    if folded.contains("tu ngay")
        || folded.contains("den het ngay")
        || folded.contains("den ngay")
        || folded.contains("ke tu")
    {
        return Err(Uncertain::DatedAmount);
    }
    // "miễn" (exempt) and "giảm" (reduce) change what is paid; folded they would be
    // confused with "miền" (region) and "giám sát" (supervision).
    let lower = crate::text::nfc(note).to_lowercase();
    if folded.contains('%') || lower.contains("miễn") || lower.contains("giảm") {
        return Err(Uncertain::NoteChangesAmount);
    }
    // Figures left once document numbers, dates and the amount itself are taken out.
    let own = match money {
        Money::Vnd(amount) => Some(*amount),
        _ => None,
    };
    for figure in figures_in(note) {
        match figure {
            Figure::DocumentOrDate => {}
            Figure::Amount(value) if Some(value) == own => {}
            _ => return Err(Uncertain::NoteChangesAmount),
        }
    }
    Ok(())
}

enum Figure {
    DocumentOrDate,
    Amount(i64),
    Other,
}

/// The figures of a note, each classed: part of a document number or a date, an amount
/// (thousands-grouped or plain), or another number.
fn figures_in(note: &str) -> Vec<Figure> {
    let chars: Vec<char> = note.chars().collect();
    let mut figures = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && (chars[i].is_ascii_digit() || matches!(chars[i], '.' | ',' | '/'))
        {
            i += 1;
        }
        let token: String = chars[start..i].iter().collect();
        let token = token.trim_end_matches(['.', ',']);
        let before = if start > 0 { chars[start - 1] } else { ' ' };
        if token.contains('/') || before == '/' || before == '-' {
            figures.push(Figure::DocumentOrDate);
            continue;
        }
        // "ngày 05 tháng 3 năm 2024", "Điều 4", "Mục III": words before a number that make it
        // a date or a reference.
        let prefix: String = chars[start.saturating_sub(8)..start].iter().collect();
        let prefix = fold(&prefix);
        if ["ngay ", "thang ", "nam ", "dieu ", "khoan ", "muc ", "so "]
            .iter()
            .any(|w| prefix.ends_with(w))
        {
            figures.push(Figure::DocumentOrDate);
            continue;
        }
        match read_figures(token, None) {
            Ok(value) if value >= 1_000 => figures.push(Figure::Amount(value)),
            _ => figures.push(Figure::Other),
        }
    }
    figures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amount(text: &str) -> Option<i64> {
        Fee::parse(text).amount_vnd()
    }

    #[test]
    fn amounts_in_every_spelling_are_read_in_full() {
        assert_eq!(amount("20,000 Việt Nam Đồng"), Some(20_000));
        assert_eq!(amount("12,500,000 VNĐ"), Some(12_500_000));
        assert_eq!(amount("1,5 triệu đồng"), Some(1_500_000));
        assert_eq!(amount("100.000đ"), Some(100_000));
        assert_eq!(amount("2.000.000 Việt Nam Đồng"), Some(2_000_000));
        assert_eq!(amount("20 000 đồng"), Some(20_000));
        assert_eq!(amount("70,000 Việt Nam Đồng"), Some(70_000));
        assert_eq!(amount("50000"), Some(50_000));
        assert_eq!(amount("Miễn phí"), Some(0));
        assert_eq!(amount("Không"), Some(0));
        assert_eq!(amount("Lệ phí: 500.000 đồng/hồ sơ"), Some(500_000));
        assert_eq!(amount("2,000,000 VNĐ(đồng/lần)"), Some(2_000_000));
        assert_eq!(
            amount("300,000 VNĐ(Phí thẩm định đối với cơ sở an toàn dịch bệnh)"),
            Some(300_000)
        );
        assert_eq!(
            amount(
                "1,800,000 Việt Nam Đồng(Đăng ký văn bản: 1.800.000 đồng/1 lần (Thông tư số 193/2016/TT-BTC))"
            ),
            Some(1_800_000)
        );
        assert_eq!(
            amount(
                "50,000 Việt Nam Đồng(theo quy định tại Thông tư số 24/2021/TT-BTC ngày 31/3/2021 của Bộ Tài chính)"
            ),
            Some(50_000)
        );
        assert_eq!(
            Fee::parse("20,000 Việt Nam Đồng(/hồ sơ)").items()[0].note,
            "/hồ sơ"
        );
    }

    #[test]
    fn what_cannot_be_read_for_sure_stays_text() {
        for (text, why) in [
            ("1,5 đồng", Uncertain::AmbiguousSeparator),
            ("Theo quy định của Bộ Tài chính", Uncertain::Unreadable),
            (
                "Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định)",
                Uncertain::FreeButSetElsewhere,
            ),
            (
                "100,000 Việt Nam Đồng((áp dụng mức phí 50.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày 31/12/2026))",
                Uncertain::DatedAmount,
            ),
            (
                "2,000,000 VNĐ(Mức phí giảm 50%)",
                Uncertain::NoteChangesAmount,
            ),
            (
                "500,000 VNĐ(Cơ sở có 2 dây chuyền: 800.000 đồng)",
                Uncertain::NoteChangesAmount,
            ),
        ] {
            let fee = Fee::parse(text);
            assert!(fee.is_unstructured(), "{text}");
            assert_eq!(fee.uncertain(), Some(why), "{text}");
            assert_eq!(fee.text(), text);
            assert_eq!(fee.amount_vnd(), None);
        }
        assert!(Fee::parse("Không có thông tin").is_empty());
        assert_eq!(amount("Miễn phí(Không quy định.)"), Some(0));
    }

    #[test]
    fn channels_and_several_fees() {
        let same = Fee::parse(
            "Trực tuyến: 100,000 Việt Nam Đồng\nTrực tiếp: 100,000 Việt Nam Đồng\nDịch vụ bưu chính: Không có thông tin",
        );
        assert_eq!(same.amount_vnd(), Some(100_000));
        let differ = Fee::parse("Trực tuyến: 50,000 VNĐ\nTrực tiếp: 100,000 VNĐ");
        assert!(!differ.is_unstructured());
        assert_eq!(differ.amount_vnd(), None);
        assert_eq!(differ.total_vnd(), Some(100_000));
        let two = Fee::parse("Phí thẩm định: 500.000 đồng; Lệ phí: 100.000 đồng");
        assert_eq!(two.items().len(), 2);
        assert_eq!(two.amount_vnd(), None);
        assert_eq!(two.total_vnd(), Some(600_000));
        let usd = Fee::parse("50 USD(/bản)");
        assert_eq!(usd.amount_vnd(), None);
        assert!(matches!(usd.items()[0].money, Money::Foreign { .. }));
    }

    #[test]
    fn written_fees_read_back_the_same() {
        for amount in [0, 15_000, 1_500_000] {
            let fee = Fee::of_vnd(amount);
            assert_eq!(fee.amount_vnd(), Some(amount), "{}", fee.text());
            assert_eq!(Fee::parse(fee.text()), fee);
        }
    }
}
