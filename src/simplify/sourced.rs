//! A figure with where it comes from: every parameter of the cost model and every target is
//! one, so the report can say why a number is what it is.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sourced {
    pub value: f64,
    pub source: String,
}

impl Sourced {
    pub fn new(value: f64, source: &str) -> Sourced {
        Sourced {
            value,
            source: source.to_owned(),
        }
    }
}

/// Đồng with dots between thousands, as Vietnamese documents print them: 1.250.000.
pub fn format_vnd(amount: i64) -> String {
    crate::domain::group_thousands(amount)
}

/// Hours, days or counts as Vietnamese documents print them: dots between thousands and a
/// decimal comma when not whole: 12, 1,5, 2.017.481,5.
pub fn format_hours(value: f64) -> String {
    let hundredths = (value * 100.0).round() as i64;
    let whole = crate::domain::group_thousands(hundredths / 100);
    let sign = if hundredths < 0 && hundredths / 100 == 0 {
        "-"
    } else {
        ""
    };
    match (hundredths % 100).unsigned_abs() {
        0 => format!("{sign}{whole}"),
        fraction if fraction % 10 == 0 => format!("{sign}{whole},{}", fraction / 10),
        fraction => format!("{sign}{whole},{fraction:02}"),
    }
}

/// A rate in percent with one decimal and a decimal comma: 31,4%.
pub fn format_percent(rate: f64) -> String {
    format!("{:.1}%", rate * 100.0).replace('.', ",")
}

/// A figure as an officer types it: "43.750" (dots between thousands), "1,5" (a decimal
/// comma), "1.5"; `None` when it is no number or below zero.
pub fn parse_figure(text: &str) -> Option<f64> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let normal = if text.contains(',') {
        text.replace('.', "").replace(',', ".")
    } else if text
        .rsplit_once('.')
        .is_some_and(|(_, tail)| tail.len() == 3)
    {
        text.replace('.', "")
    } else {
        text
    };
    normal
        .parse::<f64>()
        .ok()
        .filter(|value| value.is_finite() && *value >= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_print_the_vietnamese_way() {
        assert_eq!(format_vnd(69_720_000), "69.720.000");
        assert_eq!(format_hours(12.0), "12");
        assert_eq!(format_hours(1.5), "1,5");
        assert_eq!(format_hours(0.25), "0,25");
        assert_eq!(format_hours(43_750.0), "43.750");
        assert_eq!(format_hours(2_017_481.5), "2.017.481,5");
        assert_eq!(format_hours(-0.5), "-0,5");
        assert_eq!(format_percent(0.3141), "31,4%");
        // What the window prints in a figure's field reads back as the same figure.
        for value in [0.0, 1.5, 12.0, 1_000.0, 43_750.0, 2_017_481.5, 7_700_000.0] {
            assert_eq!(parse_figure(&format_hours(value)), Some(value));
        }
    }

    #[test]
    fn figures_read_as_officers_type_them() {
        assert_eq!(parse_figure("43.750"), Some(43_750.0));
        assert_eq!(parse_figure("1.250.000"), Some(1_250_000.0));
        assert_eq!(parse_figure("1,5"), Some(1.5));
        assert_eq!(parse_figure("1.5"), Some(1.5));
        assert_eq!(parse_figure(" 30 "), Some(30.0));
        assert_eq!(parse_figure("-2"), None);
        assert_eq!(parse_figure("nhiều"), None);
    }
}
