//! The order a decision publishes procedures in: by level (province, district, commune), then
//! by field in Vietnamese dictionary order, then by code; numbered (STT) within each field.
//! The list, the annex's parts and the CSV all use it, so every output agrees.

use crate::domain::{Level, ProcedureData, ProcedureField, Status, Tier};
use crate::text::collation_key;

/// Entries of one field at one level.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldSection<T> {
    /// As written in the catalogue; empty when the entries have none.
    pub field: String,
    pub entries: Vec<T>,
}

/// Entries of one level, by field.
#[derive(Clone, Debug, PartialEq)]
pub struct LevelSection<T> {
    pub level: Level,
    pub fields: Vec<FieldSection<T>>,
}

/// Groups items by level and field in the published order. `key` gives (level, field, code).
pub fn group<T>(
    mut items: Vec<T>,
    key: impl Fn(&T) -> (Level, &str, &str),
) -> Vec<LevelSection<T>> {
    // Entries without a field go last in their level, under "other". A catalogue has a few
    // dozen fields: each one's collation key is made once, not once per entry.
    let mut field_keys: std::collections::HashMap<String, std::rc::Rc<Vec<u32>>> =
        std::collections::HashMap::new();
    items.sort_by_cached_key(|item| {
        let (level, field, code) = key(item);
        let field = field.trim();
        let collated = match field_keys.get(field) {
            Some(collated) => collated.clone(),
            None => {
                let collated = std::rc::Rc::new(collation_key(field));
                field_keys.insert(field.to_owned(), collated.clone());
                collated
            }
        };
        (level, field.is_empty(), collated, code.to_owned())
    });
    let mut sections: Vec<LevelSection<T>> = Vec::new();
    for item in items {
        let (level, field, _) = key(&item);
        let field = field.trim().to_owned();
        let level_section = match sections.last_mut() {
            Some(section) if section.level == level => section,
            _ => {
                sections.push(LevelSection {
                    level,
                    fields: Vec::new(),
                });
                let last = sections.len() - 1;
                &mut sections[last]
            }
        };
        match level_section.fields.last_mut() {
            Some(section) if section.field == field => section.entries.push(item),
            _ => level_section.fields.push(FieldSection {
                field,
                entries: vec![item],
            }),
        }
    }
    sections
}

/// Where a procedure goes in the published order: (level, field, code).
pub fn published_key(data: &ProcedureData) -> (Level, &str, &str) {
    (
        data.level_or_province(),
        data.field.as_str(),
        data.code.as_str(),
    )
}

/// The procedures of a list, grouped for publication.
pub fn group_procedures(entries: Vec<ProcedureData>) -> Vec<LevelSection<ProcedureData>> {
    group(entries, published_key)
}

/// "THỦ TỤC HÀNH CHÍNH CẤP TỈNH".
pub fn level_title(level: Level) -> String {
    format!("THỦ TỤC HÀNH CHÍNH {}", level.label_vi().to_uppercase())
}

/// The field heading of entries with no field recorded; import reads it back as no field.
pub const NO_FIELD: &str = "KHÁC (CHƯA GHI LĨNH VỰC)";

/// "LĨNH VỰC HỘ TỊCH", or "LĨNH VỰC KHÁC (CHƯA GHI LĨNH VỰC)" for entries with no field.
pub fn field_title(field: &str) -> String {
    if field.is_empty() {
        format!("LĨNH VỰC {NO_FIELD}")
    } else {
        let upper = field.to_uppercase();
        if upper.starts_with("LĨNH VỰC") {
            upper
        } else {
            format!("LĨNH VỰC {upper}")
        }
    }
}

/// A, B, C … for levels.
pub fn letter(index: usize) -> char {
    (b'A' + (index % 26) as u8) as char
}

/// I, II, III … for fields.
pub fn roman(mut number: usize) -> String {
    const NUMERALS: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut text = String::new();
    for (value, numeral) in NUMERALS {
        while number >= value {
            text.push_str(numeral);
            number -= value;
        }
    }
    text
}

// ---- cells of the annex columns, as a decision writes them ----

/// The processing time as the source wrote it: "15 ngày làm việc", "30 Ngày", one line per
/// channel when they differ. A list prints what the source said, never a number re-read.
pub fn processing_time_text(data: &ProcedureData) -> String {
    data.processing_time.text().to_owned()
}

/// The fee as the source wrote it: "20,000 Việt Nam Đồng(/hồ sơ)", "Miễn phí".
pub fn fee_text(data: &ProcedureData) -> String {
    data.fee.text().to_owned()
}

/// "Toàn trình", "Một phần", or the old scale's "Mức độ 2".
pub fn tier_text(tier: Option<Tier>) -> String {
    match tier.map(Tier::value) {
        None => String::new(),
        Some(4) => "Toàn trình".to_owned(),
        Some(3) => "Một phần".to_owned(),
        Some(value) => format!("Mức độ {value}"),
    }
}

/// A column's value in the words of a decision: a level or status by its Vietnamese name, a
/// tier as `tier_text` writes it; any other value as it is.
pub fn value_vi(column: Option<ProcedureField>, value: &str) -> String {
    match column {
        Some(ProcedureField::Level) => Level::parse(value).map(|l| l.label_vi().to_owned()),
        Some(ProcedureField::Status) => Status::parse(value).map(|s| s.label_vi().to_owned()),
        Some(ProcedureField::Tier) => Tier::parse(value).map(|t| tier_text(Some(t))),
        _ => None,
    }
    .unwrap_or_else(|| value.to_owned())
}

/// One document a line, as cited.
pub fn legal_basis_text(data: &ProcedureData) -> String {
    data.legal_basis.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(code: &str, level: Level, field: &str) -> ProcedureData {
        ProcedureData {
            code: code.into(),
            name: code.into(),
            level: Some(level),
            field: field.into(),
            ..ProcedureData::default()
        }
    }

    #[test]
    fn grouped_by_level_then_field_in_dictionary_order_then_code() {
        let sections = group_procedures(vec![
            entry("1.000003", Level::Commune, "Hộ tịch"),
            entry("1.000002", Level::Province, "Xây dựng"),
            entry("1.000009", Level::Province, "Đất đai"),
            entry("1.000001", Level::Province, "Xây dựng"),
            entry("1.000004", Level::Province, ""),
            entry("1.000005", Level::Province, "Dân tộc"),
        ]);
        type Shape<'a> = Vec<(Level, Vec<(&'a str, Vec<&'a str>)>)>;
        let shape: Shape = sections
            .iter()
            .map(|level| {
                (
                    level.level,
                    level
                        .fields
                        .iter()
                        .map(|f| {
                            (
                                f.field.as_str(),
                                f.entries.iter().map(|e| e.code.as_str()).collect(),
                            )
                        })
                        .collect(),
                )
            })
            .collect();
        assert_eq!(
            shape,
            vec![
                (
                    Level::Province,
                    vec![
                        ("Dân tộc", vec!["1.000005"]),
                        ("Đất đai", vec!["1.000009"]),
                        ("Xây dựng", vec!["1.000001", "1.000002"]),
                        ("", vec!["1.000004"]),
                    ]
                ),
                (Level::Commune, vec![("Hộ tịch", vec!["1.000003"])]),
            ]
        );
    }

    #[test]
    fn cells_read_as_a_decision_writes_them() {
        // Times and fees print as the source wrote them.
        let mut data = entry("1", Level::Province, "");
        data.processing_time = crate::domain::ProcessingTime::parse("30 Ngày", None);
        data.fee = crate::domain::Fee::parse("70,000 Việt Nam Đồng");
        assert_eq!(processing_time_text(&data), "30 Ngày");
        assert_eq!(fee_text(&data), "70,000 Việt Nam Đồng");
        assert_eq!(tier_text(Tier::new(4)), "Toàn trình");
        assert_eq!(roman(14), "XIV");
        assert_eq!(field_title("Hộ tịch"), "LĨNH VỰC HỘ TỊCH");
    }
}
