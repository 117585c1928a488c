//! Merging another province's catalogue into this one (the 2025 mergers of provinces): its
//! entries are matched to this catalogue's by national code and level, then by name (the
//! audit's canonical name, at the same level); agencies are renamed by an [`AgencyMap`] on
//! both sides before they are compared; local codes (`.Hnn`) take this catalogue's form.
//! [`plan`] says what is matched (identical or with conflicting fields), only here and only
//! there; the officer chooses per field or per group; [`MergePlan::changes`] is one batch
//! that keeps, in each entry's provenance, the catalogues it came from.

pub mod agencies;
pub mod other;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use serde::Serialize;

pub use agencies::{AgencyMap, AgencyMapError};
pub use other::{OtherCatalogue, Source, read_other};

use crate::audit::duplicates::province_suffix;
use crate::audit::names::CanonicalName;
use crate::domain::{Level, Procedure, ProcedureData, ProcedureField, national_code};
use crate::store::{Catalogue, Change, StoreError};
use crate::text::nfc;

/// Fields compared between two matched entries. The publication data (decision, dates) is
/// each province's own and the merged entry keeps this catalogue's; the dossier counts are
/// added up (one province now receives both provinces' dossiers); the code is reconciled.
pub const COMPARED: [ProcedureField; 19] = [
    ProcedureField::Name,
    ProcedureField::Field,
    ProcedureField::Agency,
    ProcedureField::CompetentAuthority,
    ProcedureField::Issuer,
    ProcedureField::Tier,
    ProcedureField::ProcessingTime,
    ProcedureField::Fee,
    ProcedureField::LegalBasis,
    ProcedureField::Steps,
    ProcedureField::Methods,
    ProcedureField::Dossier,
    ProcedureField::Requirements,
    ProcedureField::Result,
    ProcedureField::Subjects,
    ProcedureField::ProcedureType,
    ProcedureField::Status,
    ProcedureField::ReplacedBy,
    ProcedureField::EffectiveUntil,
];

/// Which catalogue a value is taken from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Here,
    There,
}

/// How a pair was matched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The same national code at the same level (local suffixes may differ).
    Code,
    /// Different codes, the same name at the same level.
    Name,
}

/// A field whose values differ between two matched entries, and whose value is kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldDifference {
    #[serde(serialize_with = "field_key")]
    pub field: ProcedureField,
    pub here: String,
    pub there: String,
    pub chosen: Side,
    /// This catalogue has no value where the other has one: taking theirs fills a gap and
    /// is chosen unless the officer says otherwise. Not a conflict.
    pub fills: bool,
}

fn field_key<S: serde::Serializer>(field: &ProcedureField, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(field.key())
}

/// An entry of this catalogue and the same procedure in the other.
#[derive(Clone, Debug, PartialEq)]
pub struct MatchedPair {
    pub here_id: i64,
    /// As read: the base of its edit.
    pub here: ProcedureData,
    /// As the other catalogue has it, its agency renamed by the map.
    pub there: ProcedureData,
    pub by: MatchedBy,
    pub differences: Vec<FieldDifference>,
}

impl MatchedPair {
    /// Some field differs, or the other fills one this catalogue leaves empty.
    pub fn differs(&self) -> bool {
        !self.differences.is_empty()
    }

    /// Some field holds a value on each side, and they differ.
    pub fn is_conflicting(&self) -> bool {
        self.differences.iter().any(|d| !d.fills)
    }
}

/// An entry only the other catalogue has.
#[derive(Clone, Debug, PartialEq)]
pub struct OnlyThere {
    /// As it will be added: this catalogue's code form, the agency renamed.
    pub data: ProcedureData,
    /// Its code in the other catalogue.
    pub original_code: String,
    pub include: bool,
    /// Why it cannot be added (its code and level twice in the other catalogue).
    pub problem: Option<String>,
}

/// What the merge would do, and the officer's choices.
#[derive(Clone, Debug, PartialEq)]
pub struct MergePlan {
    pub here: Source,
    pub there: Source,
    pub agencies: AgencyMap,
    pub matched: Vec<MatchedPair>,
    /// Entries only this catalogue has: ids and data as read.
    pub only_here: Vec<(i64, ProcedureData)>,
    pub only_there: Vec<OnlyThere>,
    /// The other catalogue's legal documents this one does not know.
    pub documents: Vec<crate::domain::LegalDocument>,
    /// Rows of the other's list that were not procedures of a local level (left out).
    pub left_out: usize,
    /// Entries of each catalogue whose agency the map renames.
    pub here_agencies_renamed: usize,
    pub there_agencies_renamed: usize,
}

/// The counts a merge is reviewed by.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MergeCounts {
    pub matched: usize,
    pub matched_by_code: usize,
    pub matched_by_name: usize,
    /// Matched pairs that differ at all (a conflict or a gap the other fills).
    pub differing: usize,
    /// Matched pairs with at least one field whose two values differ.
    pub conflicting: usize,
    /// Matched pairs with a field only the other catalogue fills (taken unless refused).
    pub gaps_filled: usize,
    pub only_here: usize,
    pub only_there: usize,
    /// Only-there entries to be added.
    pub included: usize,
    /// Entries (both sides) whose code's local form changes: matched ones keep this
    /// catalogue's code, added ones take its suffix.
    pub codes_reconciled: usize,
    /// Entries of either catalogue whose agency the map renames.
    pub agencies_renamed: usize,
}

#[derive(Debug)]
pub enum MergeError {
    Store(StoreError),
    Import(crate::import::ImportError),
    /// The other file is this catalogue.
    SameFile(std::path::PathBuf),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Store(error) => write!(f, "{error}"),
            MergeError::Import(error) => write!(f, "{error}"),
            MergeError::SameFile(path) => write!(
                f,
                "{}: this is the catalogue being merged into; choose the other province's file",
                path.display()
            ),
        }
    }
}

impl std::error::Error for MergeError {}

impl From<StoreError> for MergeError {
    fn from(error: StoreError) -> Self {
        MergeError::Store(error)
    }
}

impl From<crate::import::ImportError> for MergeError {
    fn from(error: crate::import::ImportError) -> Self {
        MergeError::Import(error)
    }
}

/// Text compared without the differences no reader sees: Unicode form, runs of spaces.
fn comparable(text: &str) -> String {
    nfc(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The agencies a cell names, folded and sorted: "Sở Tư Pháp\nUBND cấp tỉnh" and "UBND cấp
/// tỉnh, Sở Tư pháp" name the same two.
fn agency_key(text: &str) -> Vec<String> {
    let mut parts: Vec<String> = text
        .split(['\n', ',', ';'])
        .map(|part| crate::text::fold(part.trim()))
        .filter(|part| !part.is_empty())
        .collect();
    parts.sort();
    parts.dedup();
    parts
}

/// The local suffix this catalogue writes its codes with (`H55`): the most common one, when
/// most codes carry one; `None` when most are bare national codes.
fn dominant_suffix(entries: &[Procedure]) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for entry in entries {
        *counts.entry(province_suffix(&entry.data.code)).or_default() += 1;
    }
    let bare = counts.remove("").unwrap_or(0);
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .filter(|(_, n)| *n > bare)
        .map(|(suffix, _)| suffix.to_owned())
}

/// A code in this catalogue's form: the other province's suffix replaced by this one's; a
/// bare national code when this catalogue writes no suffix.
fn reconcile_code(code: &str, suffix: Option<&str>) -> String {
    let national = national_code(code);
    if national.len() == code.len() {
        return code.to_owned();
    }
    match suffix {
        Some(suffix) => {
            let cut = code.rfind('.').unwrap_or(code.len());
            format!("{}.{suffix}", &code[..cut])
        }
        None => national.to_owned(),
    }
}

/// Adds `source` to an entry's provenance, once.
fn with_source(provenance: &str, source: &str) -> String {
    let mut sources: Vec<&str> = provenance
        .split("; ")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !sources.contains(&source) {
        sources.push(source);
    }
    sources.join("; ")
}

/// The compared fields whose values differ, this catalogue's agency renamed first.
fn differences(
    here: &ProcedureData,
    there: &ProcedureData,
    renamer: &agencies::Renamer<'_>,
) -> Vec<FieldDifference> {
    COMPARED
        .iter()
        .filter_map(|&field| {
            let mine = if field == ProcedureField::Agency {
                renamer.renamed(&here.agency)
            } else {
                field.value_text(here)
            };
            let theirs = field.value_text(there);
            // Equal as stored is the common case: normalised only when not. A value the
            // other list does not have (a 5-column list has no fees) is no difference.
            let same = match field {
                // Agencies listed one a line or after commas, in any case, are the same.
                ProcedureField::Agency | ProcedureField::CompetentAuthority => {
                    agency_key(&mine) == agency_key(&theirs)
                }
                _ => comparable(&mine) == comparable(&theirs),
            };
            let differ = mine != theirs && !theirs.trim().is_empty() && !same;
            let fills = mine.trim().is_empty();
            differ.then_some(FieldDifference {
                field,
                here: mine,
                there: theirs,
                chosen: if fills { Side::There } else { Side::Here },
                fills,
            })
        })
        .collect()
}

/// Plans the merge of `other` into this catalogue's working copy `here`.
pub fn plan(
    here_source: Source,
    here: Vec<Procedure>,
    other: OtherCatalogue,
    agencies: AgencyMap,
    known_documents: &HashSet<String>,
) -> MergePlan {
    let renamer = agencies.renamer();
    let suffix = dominant_suffix(&here);
    let here_agencies_renamed = here
        .iter()
        .filter(|p| renamer.rename(&p.data.agency).is_some())
        .count();
    let mut by_code: HashMap<(&str, Level), Vec<usize>> = HashMap::new();
    let mut by_name: HashMap<(String, Level), Vec<usize>> = HashMap::new();
    // Every name made canonical on all cores: a national-size catalogue has many.
    let names = crate::parallel::map(&here, |p| {
        CanonicalName::of(&p.data.name, p.data.level_or_province()).compact
    });
    for ((index, entry), name) in here.iter().enumerate().zip(names) {
        let level = entry.data.level_or_province();
        by_code
            .entry((national_code(&entry.data.code), level))
            .or_default()
            .push(index);
        by_name.entry((name, level)).or_default().push(index);
    }
    let mut taken = vec![false; here.len()];
    let mut pairs: Vec<(usize, ProcedureData, MatchedBy)> = Vec::new();
    let mut unmatched: Vec<ProcedureData> = Vec::new();
    let mut there_agencies_renamed = 0;
    // By code first, over the whole other catalogue, so that a name match never takes an
    // entry a code match would have.
    for mut data in other.entries {
        if let Some(renamed) = renamer.rename(&data.agency) {
            data.agency = renamed;
            there_agencies_renamed += 1;
        }
        let level = data.level_or_province();
        let candidates = by_code
            .get(&(national_code(&data.code), level))
            .map(Vec::as_slice)
            .unwrap_or_default();
        // The very code first, then the same name, then the first free one: a procedure
        // entered twice here (national and local code) pairs with its own spelling.
        let name = (candidates.len() > 1).then(|| CanonicalName::of(&data.name, level).compact);
        let found = candidates
            .iter()
            .copied()
            .filter(|&i| !taken[i])
            .min_by_key(|&i| {
                (
                    here[i].data.code != data.code,
                    name.as_ref().is_some_and(|name| {
                        CanonicalName::of(&here[i].data.name, level).compact != *name
                    }),
                )
            });
        match found {
            Some(index) => {
                taken[index] = true;
                pairs.push((index, data, MatchedBy::Code));
            }
            None => unmatched.push(data),
        }
    }
    let mut still: Vec<ProcedureData> = Vec::new();
    for data in unmatched {
        let level = data.level_or_province();
        let key = (CanonicalName::of(&data.name, level).compact, level);
        // Of the entries with this name, the one most like it: the name as typed, then the
        // same field, then the same agency (a name can stand twice at one level).
        let found = by_name.get(&key).and_then(|candidates| {
            let typed = comparable(&data.name);
            candidates
                .iter()
                .copied()
                .filter(|&i| !taken[i])
                .min_by_key(|&i| {
                    let candidate = &here[i].data;
                    (
                        comparable(&candidate.name) != typed,
                        candidate.field != data.field,
                        renamer.renamed(&candidate.agency) != data.agency,
                    )
                })
        });
        match found {
            Some(index) => {
                taken[index] = true;
                pairs.push((index, data, MatchedBy::Name));
            }
            None => still.push(data),
        }
    }

    // What only the other has, in this catalogue's code form; a code and level twice there
    // (or already here under another national code's form) cannot be added twice.
    let mut identities: HashSet<(String, Level)> = here
        .iter()
        .map(|p| (p.data.code.clone(), p.data.level_or_province()))
        .collect();
    let only_there: Vec<OnlyThere> = still
        .into_iter()
        .map(|mut data| {
            let original_code = data.code.clone();
            data.code = reconcile_code(&original_code, suffix.as_deref());
            let identity = (data.code.clone(), data.level_or_province());
            let problem = (!identities.insert(identity)).then(|| {
                format!(
                    "{} đã có ở {} trong danh mục gộp",
                    data.code,
                    data.level_or_province().label_vi().to_lowercase()
                )
            });
            OnlyThere {
                include: problem.is_none(),
                data,
                original_code,
                problem,
            }
        })
        .collect();
    drop(identities);

    // This catalogue's entries moved into the plan, never copied: a national-size merge
    // holds each entry once.
    drop((by_code, by_name));
    let mut slots: Vec<Option<Procedure>> = here.into_iter().map(Some).collect();
    let matched: Vec<MatchedPair> = pairs
        .into_iter()
        .filter_map(|(index, there, by)| {
            let entry = slots.get_mut(index)?.take()?;
            let differences = differences(&entry.data, &there, &renamer);
            Some(MatchedPair {
                here_id: entry.procedure_id,
                here: entry.data,
                there,
                by,
                differences,
            })
        })
        .collect();
    let only_here = slots
        .into_iter()
        .flatten()
        .map(|p| (p.procedure_id, p.data))
        .collect();
    let documents = other
        .documents
        .into_iter()
        .filter(|d| !known_documents.contains(&d.number))
        .collect();
    let mut plan = MergePlan {
        here: here_source,
        there: other.source,
        agencies,
        matched,
        only_here,
        only_there,
        documents,
        left_out: other.left_out,
        here_agencies_renamed,
        there_agencies_renamed,
    };
    plan.sort();
    plan
}

impl MergePlan {
    /// Rows in a stable order: by level, field, then code.
    fn sort(&mut self) {
        let key = |d: &ProcedureData| (d.level_or_province(), d.field.clone(), d.code.clone());
        self.matched.sort_by_key(|p| key(&p.here));
        self.only_here.sort_by_key(|(_, d)| key(d));
        self.only_there.sort_by_key(|o| key(&o.data));
    }

    pub fn counts(&self) -> MergeCounts {
        MergeCounts {
            matched: self.matched.len(),
            matched_by_code: self
                .matched
                .iter()
                .filter(|p| p.by == MatchedBy::Code)
                .count(),
            matched_by_name: self
                .matched
                .iter()
                .filter(|p| p.by == MatchedBy::Name)
                .count(),
            differing: self.matched.iter().filter(|p| p.differs()).count(),
            conflicting: self.matched.iter().filter(|p| p.is_conflicting()).count(),
            gaps_filled: self
                .matched
                .iter()
                .filter(|p| p.differences.iter().any(|d| d.fills))
                .count(),
            only_here: self.only_here.len(),
            only_there: self.only_there.len(),
            included: self.only_there.iter().filter(|o| o.include).count(),
            codes_reconciled: self
                .matched
                .iter()
                .filter(|p| p.here.code != p.there.code)
                .count()
                + self
                    .only_there
                    .iter()
                    .filter(|o| o.data.code != o.original_code)
                    .count(),
            agencies_renamed: self.here_agencies_renamed + self.there_agencies_renamed,
        }
    }

    /// Chooses whose value a matched pair keeps for one field.
    pub fn choose(&mut self, pair: usize, field: ProcedureField, side: Side) {
        if let Some(difference) = self
            .matched
            .get_mut(pair)
            .and_then(|p| p.differences.iter_mut().find(|d| d.field == field))
        {
            difference.chosen = side;
        }
    }

    /// The same choice for one field of every conflicting pair.
    pub fn choose_for_field(&mut self, field: ProcedureField, side: Side) {
        for difference in self
            .matched
            .iter_mut()
            .flat_map(|p| p.differences.iter_mut())
            .filter(|d| d.field == field)
        {
            difference.chosen = side;
        }
    }

    /// Adds an only-there entry or leaves it out; one that cannot be added stays out.
    pub fn include(&mut self, index: usize, include: bool) {
        if let Some(entry) = self.only_there.get_mut(index) {
            entry.include = include && entry.problem.is_none();
        }
    }

    /// Conflicting pairs by field: how many pairs differ in each field.
    pub fn differences_by_field(&self) -> BTreeMap<ProcedureField, usize> {
        let mut fields = BTreeMap::new();
        for difference in self.matched.iter().flat_map(|p| &p.differences) {
            *fields.entry(difference.field).or_default() += 1;
        }
        fields
    }

    pub fn summary(&self) -> String {
        let counts = self.counts();
        format!(
            "gộp danh mục {} vào {}: {} trùng ({} khác nhau), {} thêm từ {}, {} chỉ có ở {}",
            self.there.name,
            self.here.name,
            counts.matched,
            counts.conflicting,
            counts.included,
            self.there.name,
            counts.only_here,
            self.here.name
        )
    }

    /// The one batch: matched entries take the chosen values, add up their dossiers and
    /// name both sources; entries only here get the agency renames and this catalogue as
    /// source (when anything is merged in); entries only there are added in this
    /// catalogue's code form, their code there kept with them.
    pub fn changes(&self) -> Vec<Change> {
        let renamer = self.agencies.renamer();
        let here_label = self.here.label();
        let there_label = self.there.label();
        let mut changes = Vec::new();
        for pair in &self.matched {
            let mut data = pair.here.clone();
            data.agency = renamer.renamed(&data.agency);
            for difference in &pair.differences {
                if difference.chosen == Side::There {
                    difference.field.copy(&pair.there, &mut data);
                }
            }
            let add = |a: Option<u32>, b: Option<u32>| match (a, b) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0).saturating_add(b.unwrap_or(0))),
            };
            data.dossiers_last_year = add(data.dossiers_last_year, pair.there.dossiers_last_year);
            data.dossiers_year_before =
                add(data.dossiers_year_before, pair.there.dossiers_year_before);
            data.provenance =
                with_source(&with_source(&data.provenance, &here_label), &there_label);
            if pair.there.code != data.code {
                data.extra.insert(
                    format!("Mã TTHC ({})", self.there.name),
                    pair.there.code.clone(),
                );
            }
            changes.push(Change::Edit {
                procedure_id: pair.here_id,
                base: Box::new(pair.here.clone()),
                data,
            });
        }
        for (procedure_id, here) in &self.only_here {
            let mut data = here.clone();
            data.agency = renamer.renamed(&data.agency);
            data.provenance = with_source(&data.provenance, &here_label);
            if data != *here {
                changes.push(Change::Edit {
                    procedure_id: *procedure_id,
                    base: Box::new(here.clone()),
                    data,
                });
            }
        }
        for entry in self.only_there.iter().filter(|o| o.include) {
            let mut data = entry.data.clone();
            data.provenance = with_source(&data.provenance, &there_label);
            if entry.original_code != data.code {
                data.extra.insert(
                    format!("Mã TTHC ({})", self.there.name),
                    entry.original_code.clone(),
                );
            }
            changes.push(Change::Create(data));
        }
        changes
    }
}

/// Plans the merge of the catalogue or list at `other` into `catalogue`'s working copy.
pub fn plan_catalogue(
    catalogue: &Catalogue,
    other: OtherCatalogue,
    agencies: AgencyMap,
) -> Result<MergePlan, MergeError> {
    let (source, here, known) = read_here(catalogue)?;
    Ok(plan(source, here, other, agencies, &known))
}

/// This catalogue as a merge reads it, from one state of the file: its name, its working
/// copy, the numbers of the legal documents it knows.
fn read_here(
    catalogue: &Catalogue,
) -> Result<(Source, Vec<Procedure>, HashSet<String>), MergeError> {
    let _snapshot = catalogue.read_snapshot()?;
    let here = catalogue.procedures()?;
    let known: HashSet<String> = catalogue
        .legal_documents()?
        .into_iter()
        .map(|d| d.number)
        .collect();
    Ok((Source::of_catalogue(catalogue)?, here, known))
}

/// Reads the other catalogue (or list) at `path` while this one is read, then plans: what
/// the command line and the window run.
pub fn plan_from(
    catalogue: &Catalogue,
    path: &std::path::Path,
    revision: Option<&str>,
    agencies: AgencyMap,
    progress: &crate::progress::Progress,
) -> Result<MergePlan, MergeError> {
    let same = match (
        std::fs::canonicalize(path),
        std::fs::canonicalize(catalogue.path()),
    ) {
        (Ok(other), Ok(here)) => other == here,
        _ => false,
    };
    if same {
        return Err(MergeError::SameFile(path.to_owned()));
    }
    std::thread::scope(|scope| {
        let other = scope.spawn(|| read_other(path, revision, progress));
        let (source, here, known) = read_here(catalogue)?;
        let other = match other.join() {
            Ok(read) => read?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        Ok(plan(source, here, other, agencies, &known))
    })
}

/// Writes the plan as one undoable batch, with the other's legal documents this one lacks
/// (and this catalogue's name, when the plan names it otherwise: the next merge's
/// provenance says the same).
pub fn apply(
    catalogue: &mut Catalogue,
    plan: &MergePlan,
) -> Result<crate::store::AppliedBatch, MergeError> {
    let mut changes = plan.changes();
    if !plan.here.name.trim().is_empty() && catalogue.name()? != plan.here.name {
        changes.push(Change::Setting {
            key: crate::store::CATALOGUE_NAME.to_owned(),
            value: Some(plan.here.name.trim().to_owned()),
        });
    }
    Ok(catalogue.apply_import_batch(
        &plan.summary(),
        &changes,
        &plan.documents,
        &crate::store::now_rfc3339(),
        &crate::progress::Progress::default(),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generator::pair::generate_pair;

    fn source(name: &str) -> Source {
        Source {
            name: name.into(),
            revision: other::WORKING_COPY.into(),
        }
    }

    fn planned(
        procedures: usize,
        agencies: AgencyMap,
    ) -> (MergePlan, crate::generator::pair::MergePlanted) {
        let pair = generate_pair(procedures, 7).unwrap();
        let here: Vec<Procedure> = pair
            .here
            .procedures
            .into_iter()
            .enumerate()
            .map(|(i, data)| Procedure {
                procedure_id: i as i64 + 1,
                data,
                retired: None,
            })
            .collect();
        let other = OtherCatalogue {
            path: "bac-kan.sqlite".into(),
            source: source("Bắc Kạn"),
            entries: pair.there.procedures,
            documents: Vec::new(),
            left_out: 0,
        };
        let plan = plan(
            source("Thái Nguyên"),
            here,
            other,
            agencies,
            &HashSet::new(),
        );
        (plan, pair.planted)
    }

    #[test]
    fn an_empty_value_there_is_no_difference_an_empty_one_here_is_filled_and_agency_lists_compare_as_sets()
     {
        let entry = |agency: &str, fee: &str, result: &str| ProcedureData {
            code: "1.000001".into(),
            name: "Cấp phiếu lý lịch tư pháp".into(),
            level: Some(Level::Province),
            agency: agency.into(),
            fee: crate::domain::Fee::parse(fee),
            result: result.into(),
            ..ProcedureData::default()
        };
        let here = vec![Procedure {
            procedure_id: 1,
            data: entry("UBND cấp tỉnh, Sở Tư pháp", "200.000 đồng", ""),
            retired: None,
        }];
        let other = OtherCatalogue {
            path: "bo-tu-phap.xlsx".into(),
            source: source("Bộ Tư pháp"),
            entries: vec![entry(
                "Sở Tư Pháp\nUBND cấp tỉnh",
                "",
                "Phiếu lý lịch tư pháp",
            )],
            documents: Vec::new(),
            left_out: 0,
        };
        let plan = plan(
            source("Thái Nguyên"),
            here,
            other,
            AgencyMap::default(),
            &HashSet::new(),
        );
        let pair = &plan.matched[0];
        assert_eq!(pair.differences.len(), 1, "{:?}", pair.differences);
        let filled = &pair.differences[0];
        assert_eq!(filled.field, ProcedureField::Result);
        assert!(filled.fills);
        assert_eq!(filled.chosen, Side::There);
        let counts = plan.counts();
        assert_eq!(
            (counts.differing, counts.conflicting, counts.gaps_filled),
            (1, 0, 1)
        );
        let Change::Edit { data, .. } = &plan.changes()[0] else {
            panic!("an edit of the matched entry");
        };
        assert_eq!(data.result, "Phiếu lý lịch tư pháp");
        assert_eq!(
            data.fee.text(),
            "200.000 đồng",
            "kept: the other list has no fee"
        );
    }

    #[test]
    fn a_generated_pair_is_matched_as_planted() {
        let (plan, planted) = planned(600, AgencyMap::default());
        let counts = plan.counts();
        assert_eq!(counts.matched_by_code, planted.matched_by_code);
        assert_eq!(counts.matched_by_name, planted.matched_by_name);
        assert_eq!(counts.only_here, planted.only_here);
        assert_eq!(counts.only_there, planted.only_there);
        assert_eq!(
            counts.conflicting,
            planted.conflicting,
            "{:?}",
            plan.differences_by_field()
        );
        assert_eq!(counts.gaps_filled, planted.gaps_filled);
        assert!(planted.renamed_there > 0 && planted.only_there > 0 && planted.matched_by_name > 0);
        // Every code-matched pair keeps this catalogue's bare code; every added entry is
        // written in that form.
        assert_eq!(counts.codes_reconciled, counts.matched + counts.only_there);
        assert!(
            plan.only_there
                .iter()
                .all(|o| national_code(&o.data.code) == o.data.code)
        );
    }

    #[test]
    fn without_the_agency_map_renamed_departments_are_conflicts() {
        let (plan, planted) = planned(
            600,
            AgencyMap {
                renames: Vec::new(),
            },
        );
        let agency = plan.differences_by_field()[&ProcedureField::Agency];
        assert_eq!(agency, planted.renamed_there);
        assert_eq!(plan.counts().agencies_renamed, 0);
    }

    #[test]
    fn choices_decide_the_batch_dossiers_add_up_and_provenance_names_both() {
        let (mut plan, _) = planned(300, AgencyMap::default());
        let index = plan
            .matched
            .iter()
            .position(|p| p.differences.iter().any(|d| d.field == ProcedureField::Fee))
            .unwrap();
        plan.choose_for_field(ProcedureField::Fee, Side::There);
        plan.include(0, false);
        let pair = plan.matched[index].clone();
        let changes = plan.changes();
        let edited = changes
            .iter()
            .find_map(|c| match c {
                Change::Edit {
                    procedure_id, data, ..
                } if *procedure_id == pair.here_id => Some(data.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(edited.fee.text(), pair.there.fee.text());
        assert_eq!(edited.code, pair.here.code, "this catalogue's code stays");
        assert_eq!(
            edited.dossiers_last_year,
            Some(pair.here.dossiers_last_year.unwrap() + pair.there.dossiers_last_year.unwrap())
        );
        assert_eq!(
            edited.provenance,
            "Thái Nguyên (bản làm việc); Bắc Kạn (bản làm việc)"
        );
        assert_eq!(
            edited.extra.get("Mã TTHC (Bắc Kạn)"),
            Some(&pair.there.code)
        );
        let created = changes
            .iter()
            .filter(|c| matches!(c, Change::Create(_)))
            .count();
        assert_eq!(created, plan.counts().included);
        assert_eq!(created, plan.only_there.len() - 1);
    }
}

/// One matched pair as the command line's JSON shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PairReport {
    pub code: String,
    pub level: Level,
    pub name: String,
    pub there_code: String,
    pub by: MatchedBy,
    pub fields: Vec<FieldDifference>,
}

/// An entry of one side as the JSON lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryReport {
    pub code: String,
    pub level: Level,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The plan as the command line's JSON shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    pub here: String,
    pub there: String,
    pub counts: MergeCounts,
    /// Rows of the other's list left out (not procedures of a local level).
    pub left_out: usize,
    /// How many pairs differ in each field.
    pub differences_by_field: BTreeMap<&'static str, usize>,
    pub documents_added: usize,
    /// The pairs that differ (identical pairs are only counted).
    pub differing: Vec<PairReport>,
    pub only_there: Vec<EntryReport>,
    pub only_here: Vec<EntryReport>,
}

impl MergePlan {
    pub fn report(&self) -> MergeReport {
        let entry = |data: &ProcedureData| EntryReport {
            code: data.code.clone(),
            level: data.level_or_province(),
            name: data.name.clone(),
            original_code: None,
            include: None,
            problem: None,
        };
        MergeReport {
            here: self.here.label(),
            there: self.there.label(),
            counts: self.counts(),
            left_out: self.left_out,
            differences_by_field: self
                .differences_by_field()
                .into_iter()
                .map(|(field, n)| (field.key(), n))
                .collect(),
            documents_added: self.documents.len(),
            differing: self
                .matched
                .iter()
                .filter(|p| p.differs())
                .map(|p| PairReport {
                    code: p.here.code.clone(),
                    level: p.here.level_or_province(),
                    name: p.here.name.clone(),
                    there_code: p.there.code.clone(),
                    by: p.by,
                    fields: p.differences.clone(),
                })
                .collect(),
            only_there: self
                .only_there
                .iter()
                .map(|o| EntryReport {
                    original_code: Some(o.original_code.clone()),
                    include: Some(o.include),
                    problem: o.problem.clone(),
                    ..entry(&o.data)
                })
                .collect(),
            only_here: self.only_here.iter().map(|(_, d)| entry(d)).collect(),
        }
    }
}
