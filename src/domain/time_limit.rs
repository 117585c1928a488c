//! Processing time (thời hạn giải quyết) as the source writes it, and what can be read from
//! it with certainty: an amount with its unit ("30 Ngày" is thirty calendar days, "30 Ngày làm
//! việc" thirty working days; hours, months, "trong ngày"), one per submission channel when
//! the source gives several ("Trực tuyến: 5 Ngày làm việc"). Text that cannot be read is kept
//! as it is, never guessed into a number.

use std::fmt;

use super::channel::{Channel, split_channel};
use super::placeholder::is_placeholder;
use crate::text::fold;

/// The unit a processing time is counted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TimeUnit {
    WorkingDays,
    /// Calendar days: the national database's plain "Ngày".
    Days,
    Hours,
    Weeks,
    Months,
    Years,
    /// "Trong ngày": the same day.
    WithinDay,
}

impl TimeUnit {
    /// As a decision writes it after the amount.
    pub fn label_vi(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "ngày làm việc",
            TimeUnit::Days => "ngày",
            TimeUnit::Hours => "giờ",
            TimeUnit::Weeks => "tuần",
            TimeUnit::Months => "tháng",
            TimeUnit::Years => "năm",
            TimeUnit::WithinDay => "trong ngày",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            TimeUnit::WorkingDays => "working_days",
            TimeUnit::Days => "days",
            TimeUnit::Hours => "hours",
            TimeUnit::Weeks => "weeks",
            TimeUnit::Months => "months",
            TimeUnit::Years => "years",
            TimeUnit::WithinDay => "within_day",
        }
    }

    /// Working days this unit is worth, for comparing and summing times given in different
    /// units: 8 working hours a day, 5 working days in 7, 22 in a month. An estimate, said so
    /// wherever a total uses it.
    pub fn working_days(self, amount: f64) -> f64 {
        match self {
            TimeUnit::WorkingDays => amount,
            TimeUnit::Days => amount * 5.0 / 7.0,
            TimeUnit::Hours => amount / 8.0,
            TimeUnit::Weeks => amount * 5.0,
            TimeUnit::Months => amount * 22.0,
            TimeUnit::Years => amount * 260.0,
            TimeUnit::WithinDay => 0.5,
        }
    }
}

/// One time limit: for one channel (or all), an amount of a unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeLimit {
    pub channel: Option<Channel>,
    pub amount: f64,
    pub unit: TimeUnit,
}

impl fmt::Display for TimeLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(channel) = self.channel {
            write!(f, "{}: ", channel.label_vi())?;
        }
        if self.unit == TimeUnit::WithinDay {
            return f.write_str("Trong ngày");
        }
        write!(
            f,
            "{} {}",
            super::format_amount(self.amount),
            self.unit.label_vi()
        )
    }
}

/// A processing time: the text as written, and the limits read from it. No limits with
/// text present means the text could not be read with certainty.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProcessingTime {
    text: String,
    limits: Vec<TimeLimit>,
}

impl ProcessingTime {
    /// The text alone, not read: where only the text counts (a publication's seal).
    pub fn as_written(text: String) -> ProcessingTime {
        ProcessingTime {
            text,
            limits: Vec::new(),
        }
    }

    /// Reads a processing time. `bare_unit` is the unit of a number written alone — what a
    /// column header says ("Thời hạn giải quyết (ngày làm việc)"); without it a bare number
    /// has no unit and stays text.
    pub fn parse(text: &str, bare_unit: Option<TimeUnit>) -> ProcessingTime {
        let text = text.trim();
        if is_placeholder(text) {
            return ProcessingTime::default();
        }
        let mut limits = Vec::new();
        for line in text
            .split(['\n', ';'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            match read_line(line, bare_unit) {
                Some(Some(limit)) => limits.push(limit),
                // A channel the source says nothing about ("Trực tuyến: Không có thông tin").
                Some(None) => {}
                None => {
                    limits.clear();
                    return ProcessingTime {
                        text: text.to_owned(),
                        limits,
                    };
                }
            }
        }
        // A bare number under a unit-bearing header is written with its unit, so the text
        // says what it means on its own.
        let text = match (limits.as_slice(), bare_unit) {
            ([limit], Some(_)) if is_bare_number(text) => limit.to_string(),
            _ => text.to_owned(),
        };
        ProcessingTime { text, limits }
    }

    /// A time of one amount and unit, for all channels.
    pub fn of(amount: f64, unit: TimeUnit) -> ProcessingTime {
        let limit = TimeLimit {
            channel: None,
            amount,
            unit,
        };
        ProcessingTime {
            text: limit.to_string(),
            limits: vec![limit],
        }
    }

    /// The text as written (what a published list prints).
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn limits(&self) -> &[TimeLimit] {
        &self.limits
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Text is there but no limit could be read from it.
    pub fn is_unstructured(&self) -> bool {
        !self.text.is_empty() && self.limits.is_empty()
    }

    /// The one amount and unit that holds for every channel, if there is one.
    pub fn single(&self) -> Option<(f64, TimeUnit)> {
        let first = self.limits.first()?;
        self.limits
            .iter()
            .all(|l| l.amount == first.amount && l.unit == first.unit)
            .then_some((first.amount, first.unit))
    }

    /// The longest limit in working days (an estimate when units differ): what the
    /// procedure may take at most, for sorting and for the savings report.
    pub fn longest_working_days(&self) -> Option<f64> {
        self.limits
            .iter()
            .map(|l| l.unit.working_days(l.amount))
            .max_by(f64::total_cmp)
    }
}

/// `Some(Some(limit))` for a readable line, `Some(None)` for a channel with nothing said,
/// `None` for a line that cannot be read with certainty.
fn read_line(line: &str, bare_unit: Option<TimeUnit>) -> Option<Option<TimeLimit>> {
    let (channel, rest) = split_channel(line);
    let rest = rest.trim();
    if is_placeholder(rest) {
        return channel.map(|_| None);
    }
    let folded = fold(rest);
    let folded = folded.trim_end_matches(['.', ',']).trim();
    if folded == "trong ngay" || folded == "trong ngay lam viec" {
        return Some(Some(TimeLimit {
            channel,
            amount: 1.0,
            unit: TimeUnit::WithinDay,
        }));
    }
    let number_end = folded
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
        .unwrap_or(folded.len());
    let (number, unit_text) = folded.split_at(number_end);
    let amount = read_amount(number)?;
    let unit_text = unit_text.trim();
    let unit = match unit_text {
        "" => bare_unit?,
        _ => read_unit(unit_text)?,
    };
    Some(Some(TimeLimit {
        channel,
        amount,
        unit,
    }))
}

/// "30", "05", "0,5", "1.5"; a decimal mark is a comma or a point with one or two digits
/// after it (a point before three digits would be a thousands mark: never a time).
fn read_amount(number: &str) -> Option<f64> {
    if number.is_empty() {
        return None;
    }
    let normalised = number.replace(',', ".");
    let (whole, fraction) = normalised.split_once('.').unwrap_or((&normalised, ""));
    if whole.is_empty() || fraction.len() > 2 || fraction.contains('.') {
        return None;
    }
    let amount: f64 = normalised.parse().ok()?;
    (amount.is_finite() && amount >= 0.0).then_some(amount)
}

/// A unit, alone or followed by a short qualifier the source adds ("kể từ ngày nhận đủ hồ
/// sơ"): only the unit words decide.
fn read_unit(text: &str) -> Option<TimeUnit> {
    const UNITS: [(&str, TimeUnit); 8] = [
        ("ngay lam viec", TimeUnit::WorkingDays),
        ("ngay", TimeUnit::Days),
        ("gio lam viec", TimeUnit::Hours),
        ("gio", TimeUnit::Hours),
        ("tuan", TimeUnit::Weeks),
        ("thang", TimeUnit::Months),
        ("nam", TimeUnit::Years),
        ("ngay lv", TimeUnit::WorkingDays),
    ];
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')' | '-'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut best: Option<(usize, TimeUnit)> = None;
    for (spelling, unit) in UNITS {
        let wanted: Vec<&str> = spelling.split(' ').collect();
        if words.len() >= wanted.len()
            && words[..wanted.len()] == wanted[..]
            && best.is_none_or(|(n, _)| wanted.len() > n)
        {
            best = Some((wanted.len(), unit));
        }
    }
    let (used, unit) = best?;
    // What follows the unit must only qualify it ("kể từ …", "(… )"), not change it.
    let rest = words[used..].join(" ");
    let qualifies = rest.is_empty()
        || rest.starts_with("ke tu")
        || rest.starts_with("tinh tu")
        || rest.starts_with("sau khi")
        || rest.starts_with("tu ngay")
        || rest.starts_with("tu khi");
    qualifies.then_some(unit)
}

fn is_bare_number(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(text: &str) -> Vec<(Option<Channel>, f64, TimeUnit)> {
        ProcessingTime::parse(text, None)
            .limits()
            .iter()
            .map(|l| (l.channel, l.amount, l.unit))
            .collect()
    }

    #[test]
    fn units_are_read_as_written_never_assumed() {
        assert_eq!(limits("30 Ngày"), [(None, 30.0, TimeUnit::Days)]);
        assert_eq!(
            limits("30 Ngày làm việc"),
            [(None, 30.0, TimeUnit::WorkingDays)]
        );
        assert_eq!(limits("28 Giờ"), [(None, 28.0, TimeUnit::Hours)]);
        assert_eq!(limits("3 Tháng"), [(None, 3.0, TimeUnit::Months)]);
        assert_eq!(limits("Trong ngày"), [(None, 1.0, TimeUnit::WithinDay)]);
        assert_eq!(
            limits("0,5 ngày làm việc"),
            [(None, 0.5, TimeUnit::WorkingDays)]
        );
        assert_eq!(
            limits("10 ngày làm việc, kể từ ngày nhận đủ hồ sơ theo quy định"),
            [(None, 10.0, TimeUnit::WorkingDays)]
        );
        // A number alone has no unit: kept as text, unless a header gives one.
        let bare = ProcessingTime::parse("1", None);
        assert!(bare.is_unstructured());
        assert_eq!(bare.text(), "1");
        let under_header = ProcessingTime::parse("15", Some(TimeUnit::WorkingDays));
        assert_eq!(under_header.single(), Some((15.0, TimeUnit::WorkingDays)));
        assert_eq!(under_header.text(), "15 ngày làm việc");
    }

    #[test]
    fn each_channel_keeps_its_own_time() {
        let time = ProcessingTime::parse(
            "Trực tuyến: 5 Ngày làm việc\nTrực tiếp: 15 Ngày làm việc\nDịch vụ bưu chính: Không có thông tin",
            None,
        );
        assert_eq!(
            time.limits()
                .iter()
                .map(|l| (l.channel, l.amount))
                .collect::<Vec<_>>(),
            [(Some(Channel::Online), 5.0), (Some(Channel::Direct), 15.0)]
        );
        assert_eq!(time.single(), None);
        assert_eq!(time.longest_working_days(), Some(15.0));
        assert!(time.text().contains("Trực tuyến: 5 Ngày làm việc"));
    }

    #[test]
    fn placeholders_and_prose_are_not_times() {
        assert!(ProcessingTime::parse("Không có thông tin", None).is_empty());
        assert!(ProcessingTime::parse("—", None).is_empty());
        for text in [
            "Theo quy định",
            "- Trường hợp sửa đổi: 5 ngày",
            "15 ngày hoặc 30 ngày",
            "1.000 ngày",
        ] {
            let time = ProcessingTime::parse(text, None);
            assert!(time.is_unstructured(), "{text}");
            assert_eq!(time.text(), text);
        }
    }

    #[test]
    fn written_limits_read_back_the_same() {
        for (amount, unit) in [
            (15.0, TimeUnit::WorkingDays),
            (2.5, TimeUnit::Days),
            (1.0, TimeUnit::WithinDay),
            (8.0, TimeUnit::Hours),
        ] {
            let time = ProcessingTime::of(amount, unit);
            let again = ProcessingTime::parse(time.text(), None);
            assert_eq!(again, time, "{}", time.text());
        }
    }
}
