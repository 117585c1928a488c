//! Obsolete and incomplete entries: rules that look at one procedure at a time.

use std::collections::HashMap;

use crate::domain::{Date, LegalDocument, ProcedureData, Status, format_date};

use super::Rule;

/// A finding about one entry: `(rule, reason)`.
pub type EntryFinding = (Rule, String);

pub fn check(
    data: &ProcedureData,
    documents: &HashMap<&str, &LegalDocument>,
    as_of: Date,
) -> Vec<EntryFinding> {
    let mut found = Vec::new();
    let decision = || {
        let mut text = String::new();
        if !data.decision_number.is_empty() {
            text.push_str(&format!(" theo Quyết định {}", data.decision_number));
        }
        if let Some(date) = data.decision_date {
            text.push_str(&format!(" ngày {}", format_date(date)));
        }
        text
    };
    let mut ended = false;
    if data.status == Status::Abolished {
        ended = true;
        found.push((
            Rule::Abolished,
            format!(
                "Đã bãi bỏ{} nhưng vẫn còn trong danh mục: rút khỏi danh mục",
                decision()
            ),
        ));
    } else if data.status == Status::Replaced || !data.replaced_by.is_empty() {
        ended = true;
        let by = if data.replaced_by.is_empty() {
            String::new()
        } else {
            format!(" bằng thủ tục {}", data.replaced_by)
        };
        found.push((
            Rule::Superseded,
            format!(
                "Đã bị thay thế{by}{} nhưng vẫn còn trong danh mục",
                decision()
            ),
        ));
    }
    if !ended && let Some(until) = data.effective_until.filter(|until| *until < as_of) {
        found.push((
            Rule::Expired,
            format!("Hết hiệu lực từ {}", format_date(until)),
        ));
    }
    if !data.legal_basis.is_empty() {
        let cited: Vec<&LegalDocument> = data
            .legal_basis
            .iter()
            .filter_map(|number| documents.get(number.as_str()).copied())
            .collect();
        let describe = |doc: &&LegalDocument| {
            let mut text = format!(
                "{} (hết hiệu lực {}",
                doc.number,
                doc.repealed_on.map(format_date).unwrap_or_default()
            );
            if !doc.replaced_by.is_empty() {
                text.push_str(&format!(", thay bằng {}", doc.replaced_by));
            }
            text.push(')');
            text
        };
        let repealed: Vec<String> = cited
            .iter()
            .filter(|doc| doc.repealed_on.is_some_and(|on| on <= as_of))
            .map(describe)
            .collect();
        // Repealed from a day still to come: the basis is to be updated before then.
        let ending: Vec<String> = cited
            .iter()
            .filter(|doc| doc.repealed_on.is_some_and(|on| on > as_of))
            .map(describe)
            .collect();
        // Obsolete only when no valid basis is left (an unknown document counts as valid);
        // otherwise the entry stands but its basis is to be brought up to date.
        if repealed.len() == data.legal_basis.len() {
            found.push((
                Rule::RepealedBasis,
                format!(
                    "Mọi căn cứ pháp lý đã hết hiệu lực: {}",
                    repealed.join("; ")
                ),
            ));
        } else if !repealed.is_empty() || !ending.is_empty() {
            let mut parts = Vec::new();
            if !repealed.is_empty() {
                parts.push(format!("đã hết hiệu lực: {}", repealed.join("; ")));
            }
            if !ending.is_empty() {
                parts.push(format!("sắp hết hiệu lực: {}", ending.join("; ")));
            }
            found.push((
                Rule::CitesRepealed,
                format!(
                    "Viện dẫn văn bản {}. Cập nhật căn cứ pháp lý",
                    parts.join("; văn bản ")
                ),
            ));
        }
    }
    if let (Some(0), Some(0)) = (data.dossiers_last_year, data.dossiers_year_before) {
        found.push((
            Rule::NoDossiers,
            "Không phát sinh hồ sơ năm trước và năm trước nữa: xem xét bãi bỏ".to_owned(),
        ));
    }
    if data.agency.trim().is_empty() {
        found.push((Rule::MissingAgency, "Thiếu cơ quan thực hiện".to_owned()));
    }
    if data.processing_time.is_empty() {
        found.push((
            Rule::MissingProcessingTime,
            "Thiếu thời hạn giải quyết".to_owned(),
        ));
    } else if data.processing_time.is_unstructured() {
        // There, but as text: present, to be written with its unit.
        found.push((
            Rule::TimeAsText,
            format!(
                "Thời hạn giải quyết chưa đọc được số và đơn vị: «{}»",
                data.processing_time.text()
            ),
        ));
    }
    if data.fee.is_empty() {
        found.push((
            Rule::MissingFee,
            "Thiếu thông tin phí, lệ phí (ghi «Miễn phí» nếu không thu)".to_owned(),
        ));
    } else if let Some(why) = data.fee.uncertain() {
        found.push((
            Rule::FeeAsText,
            format!(
                "Phí, lệ phí chưa đọc được số tiền ({}): «{}»",
                why.explain_vi(),
                data.fee.text()
            ),
        ));
    }
    if data.legal_basis.is_empty() {
        found.push((Rule::MissingLegalBasis, "Thiếu căn cứ pháp lý".to_owned()));
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Fee, Level, ProcessingTime, parse_date};

    fn complete() -> ProcedureData {
        ProcedureData {
            code: "1.000001".into(),
            name: "Cấp phép".into(),
            level: Some(Level::Province),
            agency: "Sở Xây dựng".into(),
            processing_time: ProcessingTime::parse("10 ngày làm việc", None),
            fee: Fee::parse("Miễn phí"),
            legal_basis: vec!["50/2014/QH13".into(), "64/2012/NĐ-CP".into()],
            dossiers_last_year: Some(3),
            dossiers_year_before: Some(0),
            ..ProcedureData::default()
        }
    }

    fn rules(data: &ProcedureData, docs: &[LegalDocument]) -> Vec<&'static str> {
        let docs: HashMap<&str, &LegalDocument> =
            docs.iter().map(|d| (d.number.as_str(), d)).collect();
        check(data, &docs, parse_date("2026-11-25").unwrap())
            .into_iter()
            .map(|(rule, _)| rule.key())
            .collect()
    }

    fn repealed(number: &str) -> LegalDocument {
        LegalDocument {
            number: number.into(),
            repealed_on: parse_date("2015-07-01"),
            replaced_by: "59/2015/NĐ-CP".into(),
            ..LegalDocument::default()
        }
    }

    #[test]
    fn a_complete_entry_in_force_raises_nothing() {
        assert!(rules(&complete(), &[]).is_empty());
    }

    #[test]
    fn repealed_basis_is_obsolete_only_when_nothing_valid_is_left() {
        let data = complete();
        // One repealed among valid ones: the entry stands, its basis is to be updated.
        assert_eq!(
            rules(&data, &[repealed("64/2012/NĐ-CP")]),
            ["cites_repealed"]
        );
        // So is one to be repealed, even if it is the whole basis: not obsolete yet.
        let mut later = repealed("64/2012/NĐ-CP");
        later.repealed_on = parse_date("2027-01-01");
        let mut alone = data.clone();
        alone.legal_basis = vec!["64/2012/NĐ-CP".into()];
        assert_eq!(rules(&alone, &[later.clone()]), ["cites_repealed"]);
        let docs: HashMap<&str, &LegalDocument> = [("64/2012/NĐ-CP", &later)].into();
        let reason = &check(&alone, &docs, parse_date("2026-11-25").unwrap())[0].1;
        assert!(
            reason.contains("sắp hết hiệu lực: 64/2012/NĐ-CP (hết hiệu lực 2027-01-01"),
            "{reason}"
        );
        assert_eq!(
            rules(
                &data,
                &[repealed("64/2012/NĐ-CP"), repealed("50/2014/QH13")]
            ),
            ["repealed_basis"]
        );
    }

    #[test]
    fn each_missing_part_is_its_own_rule() {
        let mut data = complete();
        data.agency = " ".into();
        data.processing_time = ProcessingTime::default();
        data.fee = Fee::default();
        data.legal_basis.clear();
        assert_eq!(
            rules(&data, &[]),
            [
                "missing_agency",
                "missing_processing_time",
                "missing_fee",
                "missing_legal_basis"
            ]
        );
        // A value kept as text is present: not missing, but to be structured.
        data.fee = Fee::parse("Theo quy định");
        data.processing_time = ProcessingTime::parse("1", None);
        let found = rules(&data, &[]);
        assert!(!found.contains(&"missing_fee"));
        assert!(found.contains(&"fee_as_text"));
        assert!(found.contains(&"time_as_text"));
    }

    #[test]
    fn status_and_dates() {
        let mut data = complete();
        data.effective_until = parse_date("2020-01-01");
        assert_eq!(rules(&data, &[]), ["expired"]);
        data.status = Status::Abolished;
        assert_eq!(rules(&data, &[]), ["abolished"]);
        data.status = Status::Replaced;
        data.replaced_by = "1.000002".into();
        assert_eq!(rules(&data, &[]), ["superseded"]);
        let mut idle = complete();
        idle.dossiers_last_year = Some(0);
        assert_eq!(rules(&idle, &[]), ["no_dossiers"]);
    }
}
