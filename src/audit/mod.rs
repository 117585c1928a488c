//! The audit: duplicate, similar, obsolete and incomplete entries of the working copy, with
//! the reviewers' verdicts applied. Knows nothing of the window; the CLI and the window ask
//! it for an [`AuditReport`].

pub mod duplicates;
pub mod names;
pub mod rules;

use std::collections::HashMap;

use serde::Serialize;

use crate::distinct::Distinct;
use crate::domain::government::GovernmentModel;
use crate::domain::{Date, LegalDocument, Level, Procedure, ProcedureData, fnv1a};
use crate::store::{AuditEntries, Catalogue, Result, Verdict, VerdictKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// The same procedure entered more than once.
    Duplicate,
    /// Different procedures that overlap: a merge candidate.
    Similar,
    Obsolete,
    Incomplete,
    /// A value present but kept as text: to be written so it can be read (a fee with its
    /// amount, a processing time with its unit).
    Unstructured,
}

impl FindingKind {
    pub const ALL: [FindingKind; 5] = [
        FindingKind::Duplicate,
        FindingKind::Similar,
        FindingKind::Obsolete,
        FindingKind::Incomplete,
        FindingKind::Unstructured,
    ];

    pub fn key(self) -> &'static str {
        match self {
            FindingKind::Duplicate => "duplicate",
            FindingKind::Similar => "similar",
            FindingKind::Obsolete => "obsolete",
            FindingKind::Incomplete => "incomplete",
            FindingKind::Unstructured => "unstructured",
        }
    }
}

/// Which rule raised a finding. Each rule belongs to one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    SameCode,
    SameName,
    SimilarName,
    RepealedBasis,
    CitesRepealed,
    Abolished,
    Superseded,
    NoDossiers,
    Expired,
    /// A district entry in a two-level catalogue: the district level no longer exists.
    #[serde(rename = "district_level_abolished")]
    DistrictAbolished,
    MissingAgency,
    MissingProcessingTime,
    MissingFee,
    MissingLegalBasis,
    TimeAsText,
    FeeAsText,
}

impl Rule {
    pub const ALL: [Rule; 16] = [
        Rule::SameCode,
        Rule::SameName,
        Rule::SimilarName,
        Rule::RepealedBasis,
        Rule::CitesRepealed,
        Rule::Abolished,
        Rule::Superseded,
        Rule::NoDossiers,
        Rule::Expired,
        Rule::DistrictAbolished,
        Rule::MissingAgency,
        Rule::MissingProcessingTime,
        Rule::MissingFee,
        Rule::MissingLegalBasis,
        Rule::TimeAsText,
        Rule::FeeAsText,
    ];

    /// As the JSON output and finding keys name it.
    pub fn key(self) -> &'static str {
        match self {
            Rule::SameCode => "same_code",
            Rule::SameName => "same_name",
            Rule::SimilarName => "similar_name",
            Rule::RepealedBasis => "repealed_basis",
            Rule::CitesRepealed => "cites_repealed",
            Rule::Abolished => "abolished",
            Rule::Superseded => "superseded",
            Rule::NoDossiers => "no_dossiers",
            Rule::Expired => "expired",
            Rule::DistrictAbolished => "district_level_abolished",
            Rule::MissingAgency => "missing_agency",
            Rule::MissingProcessingTime => "missing_processing_time",
            Rule::MissingFee => "missing_fee",
            Rule::MissingLegalBasis => "missing_legal_basis",
            Rule::TimeAsText => "time_as_text",
            Rule::FeeAsText => "fee_as_text",
        }
    }

    pub fn kind(self) -> FindingKind {
        match self {
            Rule::SameCode | Rule::SameName => FindingKind::Duplicate,
            Rule::SimilarName => FindingKind::Similar,
            Rule::RepealedBasis
            | Rule::CitesRepealed
            | Rule::Abolished
            | Rule::Superseded
            | Rule::NoDossiers
            | Rule::Expired
            | Rule::DistrictAbolished => FindingKind::Obsolete,
            Rule::MissingAgency
            | Rule::MissingProcessingTime
            | Rule::MissingFee
            | Rule::MissingLegalBasis => FindingKind::Incomplete,
            Rule::TimeAsText | Rule::FeeAsText => FindingKind::Unstructured,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

/// An entry a finding is about.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Member {
    #[serde(skip)]
    pub procedure_id: i64,
    pub code: String,
    pub level: Level,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// Short stable id for the command line: the first hex digits of the key's hash.
    pub id: String,
    /// What the finding is about, independent of row ids, so that a verdict carries over to
    /// later revisions and re-imports: `duplicate/same_name/1.000001@province+…`.
    pub key: String,
    pub kind: FindingKind,
    pub rule: Rule,
    pub members: Vec<Member>,
    pub reason: String,
    /// Hash of the members' data when found: a verdict holds while it is unchanged.
    pub fingerprint: String,
    /// The reviewer's verdict, when one was given for these members as they are now.
    pub verdict: Option<Verdict>,
}

impl Finding {
    /// Still to be acted on: no verdict, or a verdict that calls for action.
    pub fn is_listed(&self) -> bool {
        self.verdict.as_ref().is_none_or(|v| v.kind.keeps_finding())
    }

    pub fn is_reviewed(&self) -> bool {
        self.verdict.is_some()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AuditReport {
    pub as_of: Date,
    /// The government model of what was audited: in a two-level one every district entry
    /// is a finding.
    pub government: GovernmentModel,
    /// Entries of the working copy looked at.
    pub audited: usize,
    /// Every finding, reviewed or not, sorted by kind, rule, then first entry.
    pub findings: Vec<Finding>,
    /// What no entry of the catalogue holds at all (a list imported without that column):
    /// said once here, not as one finding per entry.
    pub gaps: Vec<Rule>,
}

impl AuditReport {
    /// Findings still listed (a dismissed one is not), in report order.
    pub fn listed(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_listed())
    }

    /// `(reviewed, total)` for one kind.
    pub fn progress(&self, kind: FindingKind) -> (usize, usize) {
        let of_kind = self.findings.iter().filter(|f| f.kind == kind);
        let total = of_kind.clone().count();
        (of_kind.filter(|f| f.is_reviewed()).count(), total)
    }
}

/// Which of the fields the incomplete rules look at some entry holds, gathered part by part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Held {
    entries: bool,
    agency: bool,
    processing_time: bool,
    fee: bool,
    legal_basis: bool,
}

impl Held {
    fn of<'p>(entries: impl IntoIterator<Item = &'p Procedure>) -> Held {
        entries.into_iter().fold(Held::default(), |held, p| Held {
            entries: true,
            agency: held.agency || !p.data.agency.trim().is_empty(),
            processing_time: held.processing_time || !p.data.processing_time.is_empty(),
            fee: held.fee || !p.data.fee.is_empty(),
            legal_basis: held.legal_basis || !p.data.legal_basis.is_empty(),
        })
    }

    fn and(self, other: Held) -> Held {
        Held {
            entries: self.entries || other.entries,
            agency: self.agency || other.agency,
            processing_time: self.processing_time || other.processing_time,
            fee: self.fee || other.fee,
            legal_basis: self.legal_basis || other.legal_basis,
        }
    }

    /// The incomplete rules whose field no entry holds: the catalogue never had that column.
    fn gaps(self) -> Vec<Rule> {
        if !self.entries {
            return Vec::new();
        }
        [
            (Rule::MissingAgency, self.agency),
            (Rule::MissingProcessingTime, self.processing_time),
            (Rule::MissingFee, self.fee),
            (Rule::MissingLegalBasis, self.legal_basis),
        ]
        .into_iter()
        .filter(|(_, held)| !held)
        .map(|(rule, _)| rule)
        .collect()
    }
}

/// Audits entries as of a date (for expiry and repeal), without verdicts: the same search,
/// scope by scope, as [`audit_catalogue`], on entries already in memory. A field no entry
/// holds raises no finding per entry (see [`AuditReport::gaps`]).
pub fn audit(entries: &[Procedure], documents: &[LegalDocument], as_of: Date) -> Vec<Finding> {
    let live: Vec<&Procedure> = entries.iter().filter(|p| p.retired.is_none()).collect();
    let documents: HashMap<&str, &LegalDocument> =
        documents.iter().map(|d| (d.number.as_str(), d)).collect();
    let names: Vec<names::CanonicalName> = crate::parallel::map(&live, |p| {
        names::CanonicalName::of(&p.data.name, p.data.level_or_province())
    });
    let vocabulary = duplicates::Vocabulary::of(&names);
    let scopes = duplicates::scopes(
        live.iter()
            .map(|p| (p.data.code.as_str(), p.data.level_or_province())),
    );
    let found = crate::parallel::map(&scopes, |scope| {
        let members: Vec<&Procedure> = scope.iter().map(|&i| live[i]).collect();
        let member_names: Vec<&names::CanonicalName> = scope.iter().map(|&i| &names[i]).collect();
        audit_scope(
            &members,
            &member_names,
            &|p: &Procedure| p.data.fingerprint(),
            &vocabulary,
            &documents,
            as_of,
            None,
        )
    });
    gather(found).0
}

/// Rules in the order of their keys, as the report has always listed them.
fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (
            a.kind,
            a.rule.key(),
            &a.members[0].level,
            &a.members[0].code,
        )
            .cmp(&(
                b.kind,
                b.rule.key(),
                &b.members[0].level,
                &b.members[0].code,
            ))
    });
}

fn finding(
    rule: Rule,
    entries: &[&Procedure],
    reason: String,
    fingerprint: &dyn Fn(&Procedure) -> u64,
) -> Finding {
    let kind = rule.kind();
    let mut members: Vec<&Procedure> = entries.to_vec();
    members.sort_by(|a, b| {
        (a.data.level_or_province(), &a.data.code).cmp(&(b.data.level_or_province(), &b.data.code))
    });
    let identities: Vec<String> = members
        .iter()
        .map(|p| format!("{}@{}", p.data.code, p.data.level_or_province().key()))
        .collect();
    let key = format!("{}/{rule}/{}", kind.key(), identities.join("+"));
    let fingerprints: Vec<String> = members
        .iter()
        .map(|p| format!("{:016x}", fingerprint(p)))
        .collect();
    Finding {
        id: format!("{:016x}", fnv1a(&key))[..10].to_owned(),
        fingerprint: format!("{:016x}", fnv1a(&fingerprints.join("+"))),
        key,
        kind,
        rule,
        members: members
            .iter()
            .map(|p| Member {
                procedure_id: p.procedure_id,
                code: p.data.code.clone(),
                level: p.data.level_or_province(),
                name: p.data.name.clone(),
            })
            .collect(),
        reason,
        verdict: None,
    }
}

/// Attaches each finding's current verdict: the latest one given for its key, while the
/// members are unchanged since.
pub fn apply_verdicts(findings: &mut [Finding], verdicts: &[Verdict]) {
    let latest: HashMap<&str, &Verdict> = verdicts
        .iter()
        .map(|v| (v.finding_key.as_str(), v))
        .collect();
    for finding in findings {
        finding.verdict = latest
            .get(finding.key.as_str())
            .filter(|v| v.fingerprint == finding.fingerprint && v.kind != VerdictKind::Reopened)
            .map(|v| (*v).clone());
    }
}

/// Audits the working copy of a catalogue, with its reviewers' verdicts applied.
pub fn audit_catalogue(catalogue: &Catalogue, as_of: Date) -> Result<AuditReport> {
    audit_stored(catalogue, None, as_of)
}

/// Audits a revision of the catalogue. Verdicts name entries by code and level, so those
/// given on the working copy hold for a revision with the same entries, and the reverse.
pub fn audit_revision(catalogue: &Catalogue, revision: &str, as_of: Date) -> Result<AuditReport> {
    audit_stored(catalogue, Some(revision), as_of)
}

/// In a two-level catalogue: the rules that suggest where a district entry goes.
struct DistrictCheck {
    rules: crate::two_level::LevelRules,
    since: Date,
}

impl DistrictCheck {
    /// "Cấp huyện không còn từ 01/07/2025: đề xuất chuyển về cấp xã (UBND cấp xã), theo quy
    /// tắc Cơ quan thực hiện chứa «UBND cấp huyện»".
    fn reason(&self, data: &ProcedureData) -> String {
        let mut text = format!(
            "Cấp huyện không còn từ {}: ",
            crate::domain::format_date_vi(self.since)
        );
        let Some(index) = self
            .rules
            .first_match(&data.field, &data.agency, &data.name)
        else {
            text.push_str("chọn chuyển về cấp xã, lên cấp tỉnh hoặc bãi bỏ");
            return text;
        };
        let rule = &self.rules.rules[index];
        match rule.destination.level() {
            Some(level) => text.push_str(&format!(
                "đề xuất chuyển về {}",
                level.label_vi().to_lowercase()
            )),
            None => text.push_str("đề xuất bãi bỏ"),
        }
        if rule.destination.level().is_some() && !rule.agency.is_empty() {
            text.push_str(&format!(" ({})", rule.agency));
        }
        if rule.criterion == crate::two_level::Criterion::Any {
            text.push_str(", theo quy tắc mặc định");
        } else {
            text.push_str(&format!(
                ", theo quy tắc {} chứa «{}»",
                rule.criterion.label_vi(),
                rule.contains
            ));
        }
        text
    }
}

/// What one scope's audit found.
struct ScopeAudit {
    findings: Vec<Finding>,
    held: Held,
}

/// Audits the entries of a catalogue one scope (a level of a province) at a time: all the
/// keys and the words of all the names first, then one pass over the file that hands each
/// scope on as soon as its entries are read, to be searched and dropped, so memory grows
/// with the largest province, not with the catalogue. The file is read on this thread
/// while the other cores search the scopes read before.
fn audit_stored(catalogue: &Catalogue, revision: Option<&str>, as_of: Date) -> Result<AuditReport> {
    // One snapshot: keys, names and entries as they were when the audit began.
    let _snapshot = catalogue.read_snapshot()?;
    let documents = catalogue.legal_documents()?;
    let documents: HashMap<&str, &LegalDocument> =
        documents.iter().map(|d| (d.number.as_str(), d)).collect();
    let mut keys = catalogue.audit_keys(revision)?;
    // Each distinct name made canonical once (a national catalogue repeats its names in
    // every province), counted once per entry, and kept for the scopes' searches: memory
    // for the distinct names, not for every entry.
    let (canonical, name_of_key) = {
        let mut distinct = Distinct::default();
        let numbers: Vec<u32> = keys
            .iter()
            .map(|key| distinct.number((key.name.as_str(), key.level)))
            .collect();
        let canonical = crate::parallel::map(distinct.values(), |(name, level)| {
            names::CanonicalName::of(name, *level)
        });
        (canonical, numbers)
    };
    let vocabulary = duplicates::Vocabulary::of(
        name_of_key
            .iter()
            .map(|&number| &canonical[number as usize]),
    );
    for key in &mut keys {
        key.name = String::new();
    }
    let scopes = duplicates::scopes(keys.iter().map(|key| (key.code.as_str(), key.level)));
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    let (vocabulary, documents) = (&vocabulary, &documents);
    let government = match revision {
        None => catalogue.government()?,
        Some(name) => catalogue.revision(name)?.government,
    };
    let district_check = government.since().map(|since| DistrictCheck {
        // Rules the catalogue keeps but that no longer read (a hand edit) give way to the
        // defaults here; `migrate` names the problem.
        rules: crate::two_level::catalogue_rules(catalogue).unwrap_or_default(),
        since,
    });
    let district = district_check.as_ref();
    let (scopes, names_of) = (&scopes, |scope: usize| -> Vec<&names::CanonicalName> {
        scopes[scope]
            .iter()
            .map(|&key| &canonical[name_of_key[key] as usize])
            .collect()
    });
    let names_of = &names_of;
    // Few scopes wait at a time: each holds a province's entries.
    let (to_workers, from_reader) = std::sync::mpsc::sync_channel::<(usize, AuditEntries)>(workers);
    let from_reader = std::sync::Mutex::new(from_reader);
    let (to_gather, gathered) = std::sync::mpsc::channel::<ScopeAudit>();
    let (found, read) = std::thread::scope(|threads| {
        for _ in 0..workers {
            let (from_reader, to_gather) = (&from_reader, to_gather.clone());
            threads.spawn(move || {
                loop {
                    let next = match from_reader.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => break,
                    };
                    let Ok((scope, entries)) = next else { break };
                    let live: Vec<&Procedure> = entries.procedures.iter().collect();
                    let fingerprint = |p: &Procedure| {
                        entries
                            .fingerprints
                            .get(&p.procedure_id)
                            .copied()
                            .unwrap_or_else(|| p.data.fingerprint())
                    };
                    let audited = audit_scope(
                        &live,
                        &names_of(scope),
                        &fingerprint,
                        vocabulary,
                        documents,
                        as_of,
                        district,
                    );
                    if to_gather.send(audited).is_err() {
                        break;
                    }
                }
            });
        }
        drop(to_gather);
        let read = catalogue.read_audit_groups(revision, &keys, scopes, &mut |scope, entries| {
            to_workers.send((scope, entries)).is_ok()
        });
        drop(to_workers);
        (gathered.iter().collect::<Vec<ScopeAudit>>(), read)
    });
    read?;
    let (mut findings, gaps) = gather(found);
    apply_verdicts(&mut findings, &catalogue.verdicts()?);
    Ok(AuditReport {
        as_of,
        government,
        audited: keys.len(),
        gaps,
        findings,
    })
}

/// The findings of one scope's entries (every rule, gaps left to [`gather`]), given their
/// canonical names and how to fingerprint one.
fn audit_scope(
    live: &[&Procedure],
    names: &[&names::CanonicalName],
    fingerprint: &dyn Fn(&Procedure) -> u64,
    vocabulary: &duplicates::Vocabulary,
    documents: &HashMap<&str, &LegalDocument>,
    as_of: Date,
    district: Option<&DistrictCheck>,
) -> ScopeAudit {
    let matches = duplicates::find_in(live, names, vocabulary);
    let mut found: Vec<(Rule, Vec<&Procedure>, String)> = Vec::new();
    for m in matches.duplicates.into_iter().chain(matches.similar) {
        let members = m.members.iter().map(|&i| live[i]).collect();
        found.push((m.rule, members, m.reason));
    }
    for &entry in live {
        for (rule, reason) in rules::check(&entry.data, documents, as_of) {
            found.push((rule, vec![entry], reason));
        }
        if let Some(check) = district
            && entry.data.level == Some(Level::District)
        {
            found.push((
                Rule::DistrictAbolished,
                vec![entry],
                check.reason(&entry.data),
            ));
        }
    }
    ScopeAudit {
        findings: found
            .into_iter()
            .map(|(rule, members, reason)| finding(rule, &members, reason, fingerprint))
            .collect(),
        held: Held::of(live.iter().copied()),
    }
}

/// Every scope's findings in report order, less the rules of the fields no entry holds; and
/// those rules.
fn gather(found: Vec<ScopeAudit>) -> (Vec<Finding>, Vec<Rule>) {
    let gaps = found
        .iter()
        .fold(Held::default(), |held, scope| held.and(scope.held))
        .gaps();
    let mut findings: Vec<Finding> = found
        .into_iter()
        .flat_map(|scope| scope.findings)
        .filter(|f| !gaps.contains(&f.rule))
        .collect();
    sort_findings(&mut findings);
    (findings, gaps)
}

/// Today's date in UTC: the default "as of" for expiry and repeal.
pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ProcedureData, parse_date};
    use crate::store::{Change, MergeRequest};

    fn data(code: &str, name: &str) -> ProcedureData {
        ProcedureData {
            code: code.into(),
            name: name.into(),
            level: Some(Level::Province),
            agency: "Sở Tư pháp".into(),
            processing_time: crate::domain::ProcessingTime::parse("5 ngày làm việc", None),
            fee: crate::domain::Fee::parse("Miễn phí"),
            legal_basis: vec!["15/2014/QH13".into()],
            ..ProcedureData::default()
        }
    }

    fn catalogue() -> (tempfile::TempDir, Catalogue) {
        let dir = tempfile::tempdir().unwrap();
        let mut catalogue = Catalogue::create(&dir.path().join("c.sqlite")).unwrap();
        catalogue
            .apply_changes(
                "add",
                &[
                    Change::Create(data("1.000001", "Cấp phiếu lý lịch tư pháp")),
                    Change::Create(data("1.900001", "CAP PHIEU LY LICH TU PHAP")),
                    Change::Create(data("1.000002", "Đăng ký khai sinh")),
                ],
            )
            .unwrap();
        (dir, catalogue)
    }

    fn as_of() -> Date {
        parse_date("2026-11-25").unwrap()
    }

    #[test]
    fn a_dismissed_finding_stays_dismissed_until_its_entries_change() {
        let (_dir, mut catalogue) = catalogue();
        let report = audit_catalogue(&catalogue, as_of()).unwrap();
        let duplicates: Vec<&Finding> = report.listed().collect();
        assert_eq!(duplicates.len(), 1, "{duplicates:#?}");
        let finding = duplicates[0].clone();
        assert_eq!(finding.kind, FindingKind::Duplicate);
        assert_eq!(finding.rule, Rule::SameName);
        assert!(finding.reason.contains("thiếu dấu"), "{}", finding.reason);

        catalogue
            .record_verdict(
                &finding.key,
                &finding.fingerprint,
                VerdictKind::Dismissed,
                "",
            )
            .unwrap();
        let report = audit_catalogue(&catalogue, as_of()).unwrap();
        assert_eq!(report.listed().count(), 0);
        assert_eq!(report.progress(FindingKind::Duplicate), (1, 1));
        let verdict = report.findings[0].verdict.as_ref().unwrap();
        assert_eq!(verdict.kind, VerdictKind::Dismissed);
        assert!(!verdict.decided_by.is_empty());

        // Re-running or reopening the file changes nothing; editing an entry brings it back.
        let id = finding.members[1].procedure_id;
        let mut changed = catalogue.procedure(id).unwrap().data;
        changed.processing_time = crate::domain::ProcessingTime::parse("7 ngày làm việc", None);
        catalogue
            .apply_changes(
                "edit",
                &[Change::Update {
                    procedure_id: id,
                    data: changed,
                }],
            )
            .unwrap();
        let report = audit_catalogue(&catalogue, as_of()).unwrap();
        assert_eq!(report.listed().count(), 1);
        assert_eq!(report.progress(FindingKind::Duplicate), (0, 1));
    }

    #[test]
    fn keep_needs_a_reason() {
        let (_dir, mut catalogue) = catalogue();
        let error = catalogue
            .record_verdict("k", "f", VerdictKind::Keep, " ")
            .unwrap_err();
        assert!(error.to_string().contains("reason"), "{error}");
    }

    #[test]
    fn a_merge_retires_the_others_in_one_batch_and_undo_brings_the_finding_back() {
        let (_dir, mut catalogue) = catalogue();
        let report = audit_catalogue(&catalogue, as_of()).unwrap();
        let finding = report.listed().next().unwrap().clone();
        let survivor = finding.members[0].procedure_id;
        let mut merged = catalogue.procedure(survivor).unwrap().data;
        merged.notes = "hợp nhất".into();
        let applied = catalogue
            .merge(&MergeRequest {
                finding_key: finding.key.clone(),
                fingerprint: finding.fingerprint.clone(),
                survivor_id: survivor,
                survivor_base: catalogue.procedure(survivor).unwrap().data,
                survivor: merged,
                retire: vec![finding.members[1].procedure_id],
                note: "cùng thủ tục".into(),
            })
            .unwrap();
        assert_eq!((applied.updated, applied.retired), (1, 1));
        let working = catalogue.procedures().unwrap();
        assert_eq!(working.len(), 2);
        let retired = catalogue
            .procedure(finding.members[1].procedure_id)
            .unwrap();
        assert!(retired.retired.unwrap().reason.contains("1.000001"));
        let report = audit_catalogue(&catalogue, as_of()).unwrap();
        assert_eq!(report.findings.len(), 0);
        assert_eq!(catalogue.verdicts().unwrap()[0].merged_into, "1.000001");

        catalogue.undo().unwrap().unwrap();
        assert!(catalogue.verdicts().unwrap().is_empty());
        let report = audit_catalogue(&catalogue, as_of()).unwrap();
        assert_eq!(report.listed().count(), 1);
    }
}
