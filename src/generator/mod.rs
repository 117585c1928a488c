//! A deterministic generator of representative catalogues: the shipped Thái Nguyên
//! catalogue (1,374 procedures with the province's published figures) and national-scale
//! catalogues for benchmarks. Same configuration, same bytes.
//!
//! Like a real catalogue before review, it plants defects for the audit to find:
//! duplicate entries of the kinds DOMAIN.md lists, obsolete and incomplete entries.
//! [`Generated::planted`] says which, so tests can check the audit finds them.

pub mod history;
pub mod pair;
mod rng;
mod vocabulary;

use std::collections::HashSet;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::audit::Rule;
use crate::domain::citation::read_citation;
use crate::domain::{
    Fee, LegalDocument, Level, ProcedureData, ProcessingTime, Status, Tier, TimeUnit,
    group_thousands, parse_date,
};
use crate::store::{BatchKind, Catalogue, Change, StoreError};
use rng::Rng;
use vocabulary::{
    ACTIONS, COMMUNE_FIELDS, DECISIONS, DISTRICT_FIELDS, FieldSpec, LEGAL_DOCUMENTS,
    PROVINCE_FIELDS, PROVINCES, PROVINCES_2025, QUALIFIERS, REPEALED_BASES,
};

/// The shipped catalogue's figures (Thái Nguyên, 2016–2017).
pub const SHIPPED_BY_LEVEL: [(Level, usize); 3] = [
    (Level::Province, 1103),
    (Level::District, 193),
    (Level::Commune, 78),
];
pub const SHIPPED_TIER_3: usize = 22;
pub const SHIPPED_TIER_4: usize = 3;
pub const SHIPPED_SEED: u64 = 20_170_630;

/// The time and editor the generated catalogue's ledger records: fixed, for identical bytes.
const GENERATED_AT: &str = "2017-06-30T00:00:00Z";
const GENERATOR_EDITOR: &str = "generator";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratorConfig {
    pub seed: u64,
    /// Procedures in all; split across provinces, then levels in the shipped proportions.
    pub procedures: usize,
    /// 1 builds the shipped province alone (plain national codes); more builds a national
    /// catalogue whose codes carry each province's suffix: 34 the provinces since the 2025
    /// merger, up to 63 those before it, more numbered copies of them (stress tests).
    pub provinces: usize,
}

impl GeneratorConfig {
    /// The configuration of the shipped `catalogue.sqlite`.
    pub fn shipped() -> GeneratorConfig {
        GeneratorConfig {
            seed: SHIPPED_SEED,
            procedures: SHIPPED_BY_LEVEL.iter().map(|(_, n)| n).sum(),
            provinces: 1,
        }
    }

    /// A national-scale catalogue for benchmarks.
    pub fn national(procedures: usize, provinces: usize, seed: u64) -> GeneratorConfig {
        GeneratorConfig {
            seed,
            procedures,
            provinces: provinces.max(1),
        }
    }
}

/// A defect the generator planted on purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlantedDefect {
    /// The audit rule that should find it (its kind follows).
    pub rule: Rule,
    /// How it was made (for duplicates: the kind of variation).
    pub variation: &'static str,
    /// (code, level) of the entries involved; for a duplicate, the original first.
    pub procedures: Vec<(String, Level)>,
}

pub struct Generated {
    pub procedures: Vec<ProcedureData>,
    pub documents: Vec<LegalDocument>,
    pub planted: Vec<PlantedDefect>,
}

/// Generates the catalogue's content in memory.
/// The most procedures a generated catalogue holds: beyond national scale (120,000), a
/// request is a mistake, not a catalogue.
pub const MAX_PROCEDURES: usize = 1_000_000;

pub fn generate(config: &GeneratorConfig) -> Result<Generated, String> {
    if config.provinces == 0 {
        return Err(
            "--provinces 0: give 1 (the shipped province), 34 (the provinces since the 2025 \
             merger), 63 (those before it) or more (numbered copies, for stress tests)"
                .to_owned(),
        );
    }
    if config.procedures == 0 || config.procedures > MAX_PROCEDURES {
        return Err(format!(
            "--procedures {}: give 1 to {MAX_PROCEDURES} (a national catalogue holds about 120,000)",
            config.procedures
        ));
    }
    if config.procedures < config.provinces {
        return Err(format!(
            "--procedures {} over --provinces {}: give at least one procedure per province",
            config.procedures, config.provinces
        ));
    }
    let mut rng = Rng::new(config.seed);
    let national = config.provinces > 1;
    let mut procedures = Vec::with_capacity(config.procedures);
    let mut planted = Vec::new();
    let per_province = config.procedures / config.provinces;
    let remainder = config.procedures % config.provinces;
    let pools = [
        name_pool(PROVINCE_FIELDS, Level::Province, national),
        name_pool(DISTRICT_FIELDS, Level::District, national),
        name_pool(COMMUNE_FIELDS, Level::Commune, national),
    ];

    // Every (code, level) handed out so far: identities stay unique across provinces.
    let mut used: HashSet<(String, Level)> = HashSet::new();
    for (province_index, name) in province_names(config.provinces).into_iter().enumerate() {
        let count = per_province + usize::from(province_index < remainder);
        let province = Province {
            name,
            suffix: national.then(|| format!(".000.00.00.H{:02}", province_index + 1)),
        };
        let (mut entries, mut defects) =
            generate_province(&mut rng, &province, count, config, &pools, &mut used)?;
        procedures.append(&mut entries);
        planted.append(&mut defects);
    }
    Ok(Generated {
        procedures,
        documents: legal_documents(),
        planted,
    })
}

/// Writes a generated catalogue to a new file: one transaction, ledger under the
/// generator's fixed clock, then compacted. Refuses to overwrite an existing file.
/// Writes a generated catalogue with its history: the 2016 list written and published
/// (a sealed revision), then the 2017 review that made the working copy, through options
/// carried out (see [`history`]). The working copy is `generated.procedures` exactly.
pub fn write_catalogue(path: &Path, generated: &Generated) -> Result<(), StoreError> {
    let protected: HashSet<(String, Level)> = generated
        .planted
        .iter()
        .flat_map(|defect| defect.procedures.iter().cloned())
        .collect();
    let working = &generated.procedures;
    let history = history::derive(working, &protected, working.len() as u64);
    let mut staged = Catalogue::create_staged(path)?;
    let catalogue = staged.catalogue();
    catalogue.set_editor(GENERATOR_EDITOR);
    catalogue.set_fixed_time(Some(history::PUBLISHED_AT));
    catalogue.upsert_legal_documents(&generated.documents)?;
    let published: Vec<Change> = history
        .published
        .iter()
        .cloned()
        .map(Change::Create)
        .collect();
    let created = catalogue
        .apply_batch(
            BatchKind::Generate,
            &format!(
                "danh mục công bố năm 2016 (Quyết định {})",
                history::PUBLISHED_DECISION
            ),
            &published,
            history::PUBLISHED_AT,
        )?
        .created;
    catalogue.create_revision(
        history::PUBLISHED_REVISION,
        "Danh mục thủ tục hành chính công bố năm 2016",
    )?;
    let date = parse_date(history::PUBLISHED_DATE)
        .ok_or_else(|| StoreError::RevisionName(history::PUBLISHED_DATE.to_owned()))?;
    catalogue.publish_revision(
        history::PUBLISHED_REVISION,
        history::PUBLISHED_DECISION,
        date,
    )?;

    let mut review = Vec::new();
    for ((fate, before), &procedure_id) in
        history.fates.iter().zip(&history.published).zip(&created)
    {
        match fate {
            history::Fate::Kept(index) => {
                if before != &working[*index] {
                    review.push(Change::Update {
                        procedure_id,
                        data: working[*index].clone(),
                    });
                }
            }
            history::Fate::Abolished { option, reason } => review.push(Change::Retire {
                procedure_id,
                reason: format!("Bãi bỏ: {reason} (phương án đơn giản hóa số {option})"),
                decision_number: history::REVIEW_DECISION.to_owned(),
            }),
            history::Fate::Replaced { by, option } => {
                let code = &working[*by].code;
                review.push(Change::Update {
                    procedure_id,
                    data: ProcedureData {
                        status: Status::Replaced,
                        replaced_by: code.clone(),
                        ..before.clone()
                    },
                });
                review.push(Change::Retire {
                    procedure_id,
                    reason: format!("Thay thế bằng {code} (phương án đơn giản hóa số {option})"),
                    decision_number: history::REVIEW_DECISION.to_owned(),
                });
            }
        }
    }
    review.extend(
        history
            .added
            .iter()
            .map(|&index| Change::Create(working[index].clone())),
    );
    review.extend(history.options.iter().map(|option| option.record()));
    catalogue.apply_batch(
        BatchKind::Generate,
        &format!(
            "rà soát, đơn giản hóa năm 2017 (Quyết định {})",
            history::REVIEW_DECISION
        ),
        &review,
        GENERATED_AT,
    )?;
    staged.build_indexes()?;
    staged.catalogue().connection().execute_batch("VACUUM")?;
    staged.finish()?;
    Ok(())
}

/// The working copy alone (no history), with the catalogue's (province's) name set: the
/// merge pair's two provinces.
pub fn write_named_catalogue(
    path: &Path,
    generated: &Generated,
    name: Option<&str>,
) -> Result<(), StoreError> {
    // Built beside its place and moved there whole: a kill midway leaves no catalogue.
    let mut staged = Catalogue::create_staged(path)?;
    let catalogue = staged.catalogue();
    catalogue.set_editor(GENERATOR_EDITOR);
    catalogue.upsert_legal_documents(&generated.documents)?;
    let mut changes: Vec<Change> = generated
        .procedures
        .iter()
        .cloned()
        .map(Change::Create)
        .collect();
    if let Some(name) = name {
        changes.push(Change::Setting {
            key: crate::store::CATALOGUE_NAME.to_owned(),
            value: Some(name.to_owned()),
        });
    }
    catalogue.apply_batch(
        BatchKind::Generate,
        "generated representative catalogue",
        &changes,
        GENERATED_AT,
    )?;
    staged.build_indexes()?;
    staged.catalogue().connection().execute_batch("VACUUM")?;
    staged.finish()?;
    Ok(())
}

/// The provinces of a generated catalogue: the 34 of 2025 when 34 are asked for, else the 63
/// of before, then numbered copies of them ("An Giang 2") for stress tests beyond 63.
fn province_names(count: usize) -> Vec<String> {
    if count == PROVINCES_2025.len() {
        return PROVINCES_2025
            .iter()
            .map(|name| (*name).to_owned())
            .collect();
    }
    (0..count)
        .map(|index| {
            let name = PROVINCES[index % PROVINCES.len()];
            match index / PROVINCES.len() {
                0 => name.to_owned(),
                round => format!("{name} {}", round + 1),
            }
        })
        .collect()
}

struct Province {
    name: String,
    /// `.000.00.00.H01` … in a national catalogue; none for the shipped province.
    suffix: Option<String>,
}

/// A name the catalogue can hold, with its field and its national code.
#[derive(Clone)]
struct PoolName {
    field: usize,
    name: String,
    code: String,
    /// Which subject the name restricts to, for the `subjects` column.
    subjects: &'static str,
}

fn name_pool(fields: &[FieldSpec], level: Level, expanded: bool) -> Vec<PoolName> {
    let mut names = Vec::new();
    let mut push = |field: usize, name: String, subjects: &'static str| {
        names.push((field, name, subjects));
    };
    for (field_index, spec) in fields.iter().enumerate() {
        for object in spec.objects {
            for (action, variants) in ACTIONS {
                for variant in *variants {
                    let subjects = match *variant {
                        "cho tổ chức" => "Tổ chức",
                        "cho cá nhân" => "Cá nhân",
                        _ => "Tổ chức, cá nhân",
                    };
                    let base = format!("{action} {object} {variant}").trim_end().to_owned();
                    if expanded {
                        for qualifier in QUALIFIERS {
                            push(field_index, format!("{base} {qualifier}"), subjects);
                        }
                    }
                    push(field_index, base, subjects);
                }
            }
        }
        for extra in spec.extras {
            if expanded {
                for qualifier in QUALIFIERS {
                    push(
                        field_index,
                        format!("{extra} {qualifier}"),
                        "Tổ chức, cá nhân",
                    );
                }
            }
            push(field_index, (*extra).to_owned(), "Tổ chức, cá nhân");
        }
    }
    // National codes follow the pool's order, as the national database numbers by sector.
    let (level_digit, offset) = match level {
        Level::Province => (1, 0),
        Level::District => (1, 500_000),
        Level::Commune => (2, 0),
    };
    names
        .into_iter()
        .enumerate()
        .map(|(index, (field, name, subjects))| PoolName {
            field,
            name,
            code: format!("{level_digit}.{:06}", 1_000 + offset + index * 7),
            subjects,
        })
        .collect()
}

/// How many of each defect one province plants, scaled from the shipped catalogue's.
struct DefectPlan {
    duplicates: [usize; 3],
    repealed_basis: usize,
    abolished: usize,
    superseded: usize,
    no_dossiers: usize,
    expired: usize,
    incomplete_each: usize,
}

impl DefectPlan {
    fn scaled(count: usize) -> DefectPlan {
        let scale = |n: usize| (n * count).div_ceil(1374).min(n * count / 100 + 1);
        DefectPlan {
            duplicates: [scale(22), scale(6), scale(4)],
            repealed_basis: scale(12),
            abolished: scale(5),
            superseded: scale(4),
            no_dossiers: scale(12),
            expired: scale(3),
            incomplete_each: scale(4),
        }
    }
}

/// The kinds of duplicate DOMAIN.md lists, applied in turn.
const DUPLICATE_VARIATIONS: &[&str] = &[
    "local_code",
    "no_diacritics",
    "thu_tuc_prefix",
    "broken_spacing",
    "upper_case",
    "punctuation",
    "level_suffix",
    "decomposed_unicode",
    "typo",
    "extra_spaces",
    "local_code",
];

fn generate_province(
    rng: &mut Rng,
    province: &Province,
    count: usize,
    config: &GeneratorConfig,
    pools: &[Vec<PoolName>; 3],
    used: &mut HashSet<(String, Level)>,
) -> Result<(Vec<ProcedureData>, Vec<PlantedDefect>), String> {
    let shipped = config.provinces == 1 && count == GeneratorConfig::shipped().procedures;
    let by_level: Vec<(Level, usize)> = if shipped {
        SHIPPED_BY_LEVEL.to_vec()
    } else {
        let province = count * 1103 / 1374;
        let district = count * 193 / 1374;
        vec![
            (Level::Province, province),
            (Level::District, district),
            (Level::Commune, count - province - district),
        ]
    };
    let plan = DefectPlan::scaled(count);
    let mut entries: Vec<ProcedureData> = Vec::with_capacity(count);
    let mut planted = Vec::new();
    for (level_index, (level, level_count)) in by_level.iter().copied().enumerate() {
        let fields = match level {
            Level::Province => PROVINCE_FIELDS,
            Level::District => DISTRICT_FIELDS,
            Level::Commune => COMMUNE_FIELDS,
        };
        let duplicates = plan.duplicates[level_index].min(level_count / 4);
        let base_count = level_count - duplicates;
        let mut pool: Vec<&PoolName> = pools[level_index].iter().collect();
        rng.shuffle(&mut pool);
        let mut chosen: Vec<&PoolName> = pool.into_iter().take(base_count).collect();
        if chosen.len() < base_count {
            return Err(format!(
                "{count} procedures a province needs {base_count} {level} names; the vocabulary holds {}. Use more provinces",
                chosen.len()
            ));
        }
        chosen.sort_by(|a, b| a.code.cmp(&b.code));
        let start = entries.len();
        for name in &chosen {
            let entry = base_entry(rng, province, level, &fields[name.field], name);
            used.insert(key(&entry));
            entries.push(entry);
        }
        // Duplicates: copies of distinct originals of this level, each varied one way.
        let mut originals: Vec<usize> = (start..entries.len()).collect();
        rng.shuffle(&mut originals);
        for (n, &original) in originals.iter().take(duplicates).enumerate() {
            let mut variation =
                DUPLICATE_VARIATIONS[(n + level_index * 3) % DUPLICATE_VARIATIONS.len()];
            let mut copy = entries[original].clone();
            // The same national code in its local form `.000.00.00.H55`. Only for the shipped
            // province: in a national compilation a bare code belongs to no one province.
            let other_form = format!("{}.000.00.00.H55", entries[original].national_code());
            if variation == "local_code"
                && province.suffix.is_none()
                && !used.contains(&(other_form.clone(), level))
            {
                copy.code = other_form;
            } else {
                if variation == "local_code" {
                    variation = "no_diacritics";
                }
                copy.name = vary_name(rng, &copy.name, variation, level);
                copy.code = loop {
                    let mut code = format!(
                        "{}.{:06}",
                        if level == Level::Commune { 2 } else { 1 },
                        900_000 + rng.below(99_000)
                    );
                    if let Some(suffix) = &province.suffix {
                        code.push_str(suffix);
                    }
                    if !used.contains(&(code.clone(), level)) {
                        break code;
                    }
                };
            }
            used.insert(key(&copy));
            copy.dossiers_last_year = Some(1 + rng.below(40) as u32);
            copy.dossiers_year_before = Some(1 + rng.below(40) as u32);
            planted.push(PlantedDefect {
                rule: if variation == "local_code" {
                    Rule::SameCode
                } else {
                    Rule::SameName
                },
                variation,
                procedures: vec![key(&entries[original]), key(&copy)],
            });
            entries.push(copy);
        }
    }
    plant_obsolete_and_incomplete(rng, &mut entries, &mut planted, &plan);
    assign_tiers(rng, &mut entries, &planted, shipped, count);
    Ok((entries, planted))
}

fn key(data: &ProcedureData) -> (String, Level) {
    (data.code.clone(), data.level_or_province())
}

fn base_entry(
    rng: &mut Rng,
    province: &Province,
    level: Level,
    spec: &FieldSpec,
    name: &PoolName,
) -> ProcedureData {
    let agency = match (&province.suffix, level) {
        (Some(_), Level::Province) => format!("{} tỉnh {}", spec.agency, province.name),
        _ => spec.agency.to_owned(),
    };
    let code = match &province.suffix {
        Some(suffix) => format!("{}{suffix}", name.code),
        None => name.code.clone(),
    };
    let processing_days = match level {
        Level::Province => *rng.pick(&[3.0, 5.0, 7.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0, 45.0]),
        Level::District => *rng.pick(&[1.0, 3.0, 5.0, 7.0, 10.0, 15.0, 20.0]),
        Level::Commune => *rng.pick(&[0.5, 1.0, 2.0, 3.0, 5.0, 10.0]),
    };
    let fee_vnd: i64 = if rng.chance(55) {
        0
    } else {
        *rng.pick(&[
            10_000, 20_000, 50_000, 75_000, 100_000, 150_000, 200_000, 500_000, 1_000_000,
            3_000_000,
        ])
    };
    let fee_note = if fee_vnd == 0 {
        "Không".to_owned()
    } else {
        format!("Lệ phí: {} đồng/hồ sơ", group_thousands(fee_vnd))
    };
    let mut legal_basis: Vec<String> = vec![spec.laws[0].to_owned()];
    for law in &spec.laws[1..] {
        if rng.chance(70) {
            legal_basis.push((*law).to_owned());
        }
    }
    if fee_vnd > 0 {
        legal_basis.push("15/2016/NQ-HĐND".to_owned());
    }
    let (decision, decision_date) = *rng.pick(DECISIONS);
    let receiving_office = match level {
        Level::Province => "Trung tâm Hành chính công tỉnh",
        Level::District => "Bộ phận tiếp nhận và trả kết quả cấp huyện",
        Level::Commune => "Bộ phận tiếp nhận và trả kết quả cấp xã",
    };
    let dossiers_range = match level {
        Level::Province => 400,
        Level::District => 1_500,
        Level::Commune => 3_000,
    };
    ProcedureData {
        code,
        name: name.name.clone(),
        level: Some(level),
        field: spec.name.to_owned(),
        agency,
        issuer: spec.issuer.to_owned(),
        tier: Tier::new(2),
        processing_time: if processing_days < 1.0 {
            ProcessingTime::of(1.0, TimeUnit::WithinDay)
        } else {
            ProcessingTime::of(processing_days, TimeUnit::WorkingDays)
        },
        fee: Fee::parse(&fee_note),
        legal_basis,
        steps: format!(
            "Bước 1: Tổ chức, cá nhân chuẩn bị hồ sơ theo quy định.\n\
             Bước 2: Nộp hồ sơ tại {receiving_office}; cán bộ tiếp nhận kiểm tra tính đầy đủ của hồ sơ.\n\
             Bước 3: {} thẩm định hồ sơ, giải quyết và trả kết quả.",
            spec.agency
        ),
        methods: "Nộp trực tiếp; qua dịch vụ bưu chính công ích; trực tuyến trên Cổng dịch vụ công"
            .to_owned(),
        dossier: format!(
            "Đơn đề nghị theo mẫu (01 bản chính); giấy tờ chứng minh đủ điều kiện (01 bản sao có chứng thực); {} hồ sơ",
            rng.pick(&["01", "02"])
        ),
        requirements: if rng.chance(30) {
            "Đáp ứng điều kiện theo quy định của pháp luật chuyên ngành".to_owned()
        } else {
            "Không".to_owned()
        },
        result: spec.result.to_owned(),
        subjects: name.subjects.to_owned(),
        status: Status::InForce,
        decision_number: decision.to_owned(),
        decision_date: parse_date(decision_date),
        effective_from: parse_date(decision_date),
        effective_until: None,
        replaced_by: String::new(),
        dossiers_last_year: Some(1 + rng.below(dossiers_range) as u32),
        dossiers_year_before: Some(1 + rng.below(dossiers_range) as u32),
        notes: String::new(),
        competent_authority: String::new(),
        procedure_type: String::new(),
        provenance: String::new(),
        extra: Default::default(),
    }
}

/// Varies a name the way duplicates arise when lists are typed, pasted and merged.
fn vary_name(rng: &mut Rng, name: &str, variation: &str, level: Level) -> String {
    match variation {
        "no_diacritics" => name
            .nfd()
            .filter(|c| !is_combining_mark(*c))
            .map(|c| match c {
                'đ' => 'd',
                'Đ' => 'D',
                other => other,
            })
            .collect(),
        "thu_tuc_prefix" => {
            let mut chars = name.chars();
            let first: String = chars
                .next()
                .map(|c| c.to_lowercase().collect())
                .unwrap_or_default();
            format!("Thủ tục {first}{}", chars.as_str())
        }
        "broken_spacing" => {
            // A PDF copy splits words after their first letter: "Cấp" → "C ấp".
            let words: Vec<&str> = name.split(' ').collect();
            let broken: Vec<String> = words
                .iter()
                .enumerate()
                .map(|(i, word)| {
                    let mut chars = word.chars();
                    match chars.next() {
                        Some(first) if i % 2 == 0 && word.chars().count() >= 3 => {
                            format!("{first} {}", chars.as_str())
                        }
                        _ => (*word).to_owned(),
                    }
                })
                .collect();
            broken.join(" ")
        }
        "upper_case" => name.to_uppercase(),
        "punctuation" => format!("{}.", name.replace(", ", " , ")),
        "level_suffix" => format!("{name} ({})", level.label_vi().to_lowercase()),
        "decomposed_unicode" => name.nfd().collect(),
        "typo" => {
            // Swap two letters inside a word of four or more letters.
            let mut chars: Vec<char> = name.chars().collect();
            let candidates: Vec<usize> = (1..chars.len().saturating_sub(2))
                .filter(|&i| {
                    chars[i].is_alphabetic()
                        && chars[i + 1].is_alphabetic()
                        && chars[i - 1].is_alphabetic()
                })
                .collect();
            if !candidates.is_empty() {
                let at = *rng.pick(&candidates);
                chars.swap(at, at + 1);
            }
            chars.into_iter().collect()
        }
        "extra_spaces" => format!(" {}  ", name.replace(' ', "  ")),
        _ => name.to_owned(),
    }
}

fn plant_obsolete_and_incomplete(
    rng: &mut Rng,
    entries: &mut [ProcedureData],
    planted: &mut Vec<PlantedDefect>,
    plan: &DefectPlan,
) {
    // Only entries untouched by other defects, so each finding has one cause.
    let involved: HashSet<(String, Level)> = planted
        .iter()
        .flat_map(|defect| defect.procedures.iter().cloned())
        .collect();
    let mut free: Vec<usize> = (0..entries.len())
        .filter(|&i| !involved.contains(&key(&entries[i])))
        .collect();
    rng.shuffle(&mut free);
    let mut take = |n: usize| -> Vec<usize> { free.drain(..n.min(free.len())).collect() };

    for (n, index) in take(plan.repealed_basis).into_iter().enumerate() {
        let entry = &mut entries[index];
        entry.legal_basis = REPEALED_BASES[n % REPEALED_BASES.len()]
            .iter()
            .map(|number| (*number).to_owned())
            .collect();
        planted.push(defect(Rule::RepealedBasis, "repealed_basis", entry));
    }
    for index in take(plan.abolished) {
        let entry = &mut entries[index];
        entry.status = Status::Abolished;
        entry.decision_number = format!("{}/QĐ-UBND", 1_700 + rng.below(900));
        entry.decision_date = parse_date("2017-05-26");
        entry.effective_until = parse_date("2017-05-26");
        planted.push(defect(Rule::Abolished, "abolished_still_listed", entry));
    }
    let superseded = take(plan.superseded);
    let replacements = take(plan.superseded);
    for (index, replacement) in superseded.into_iter().zip(replacements) {
        let new_code = entries[replacement].code.clone();
        let entry = &mut entries[index];
        entry.status = Status::Replaced;
        entry.replaced_by = new_code;
        entry.decision_number = format!("{}/QĐ-UBND", 1_700 + rng.below(900));
        entry.decision_date = parse_date("2017-05-26");
        planted.push(defect(Rule::Superseded, "replaced_still_listed", entry));
    }
    for index in take(plan.no_dossiers) {
        let entry = &mut entries[index];
        entry.dossiers_last_year = Some(0);
        entry.dossiers_year_before = Some(0);
        planted.push(defect(Rule::NoDossiers, "no_dossiers", entry));
    }
    for index in take(plan.expired) {
        let entry = &mut entries[index];
        entry.effective_until = parse_date("2016-12-31");
        planted.push(defect(Rule::Expired, "past_effective_end", entry));
    }
    for index in take(plan.incomplete_each) {
        entries[index].agency.clear();
        planted.push(defect(
            Rule::MissingAgency,
            "missing_agency",
            &entries[index],
        ));
    }
    for index in take(plan.incomplete_each) {
        entries[index].processing_time = ProcessingTime::default();
        planted.push(defect(
            Rule::MissingProcessingTime,
            "missing_processing_time",
            &entries[index],
        ));
    }
    for index in take(plan.incomplete_each) {
        entries[index].fee = Fee::default();
        entries[index]
            .legal_basis
            .retain(|number| number != "15/2016/NQ-HĐND");
        planted.push(defect(Rule::MissingFee, "missing_fee", &entries[index]));
    }
    for index in take(plan.incomplete_each) {
        entries[index].legal_basis.clear();
        planted.push(defect(
            Rule::MissingLegalBasis,
            "missing_legal_basis",
            &entries[index],
        ));
    }
}

fn defect(rule: Rule, variation: &'static str, entry: &ProcedureData) -> PlantedDefect {
    PlantedDefect {
        rule,
        variation,
        procedures: vec![key(entry)],
    }
}

/// Every entry starts at tier 2; a few clean province entries reach tiers 3 and 4,
/// business registration first (the fields the province put online first).
fn assign_tiers(
    rng: &mut Rng,
    entries: &mut [ProcedureData],
    planted: &[PlantedDefect],
    shipped: bool,
    count: usize,
) {
    let (tier_3, tier_4) = if shipped {
        (SHIPPED_TIER_3, SHIPPED_TIER_4)
    } else {
        (count * SHIPPED_TIER_3 / 1374, count * SHIPPED_TIER_4 / 1374)
    };
    let involved: HashSet<(String, Level)> = planted
        .iter()
        .flat_map(|defect| defect.procedures.iter().cloned())
        .collect();
    let online_first = |field: &str| {
        matches!(
            field,
            "Thành lập và hoạt động doanh nghiệp"
                | "Đầu tư"
                | "Hộ tịch"
                | "Công thương"
                | "Giao thông vận tải"
        )
    };
    let mut candidates: Vec<usize> = (0..entries.len())
        .filter(|&i| {
            entries[i].level == Some(Level::Province) && !involved.contains(&key(&entries[i]))
        })
        .collect();
    rng.shuffle(&mut candidates);
    candidates.sort_by_key(|&i| {
        (
            entries[i].field != "Thành lập và hoạt động doanh nghiệp",
            !online_first(&entries[i].field),
        )
    });
    for (n, &index) in candidates.iter().take(tier_3 + tier_4).enumerate() {
        entries[index].tier = Tier::new(if n < tier_4 { 4 } else { 3 });
    }
}

fn legal_documents() -> Vec<LegalDocument> {
    LEGAL_DOCUMENTS
        .iter()
        .map(
            |(number, title, issued, effective, repealed, replaced_by)| LegalDocument {
                number: (*number).to_owned(),
                kind: read_citation(number).map(|c| c.kind),
                title: (*title).to_owned(),
                issued_on: parse_date(issued),
                effective_on: parse_date(effective),
                repealed_on: parse_date(repealed),
                replaced_by: (*replaced_by).to_owned(),
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::CatalogueStats;

    #[test]
    fn the_shipped_configuration_has_the_published_figures() {
        let generated = generate(&GeneratorConfig::shipped()).unwrap();
        let stats = CatalogueStats::of(generated.procedures.iter());
        assert_eq!(stats.total, 1374);
        assert_eq!(stats.by_level["province"], 1103);
        assert_eq!(stats.by_level["district"], 193);
        assert_eq!(stats.by_level["commune"], 78);
        assert_eq!(stats.by_tier["2"], 1349);
        assert_eq!(stats.by_tier["3"], 22);
        assert_eq!(stats.by_tier["4"], 3);
    }

    #[test]
    fn identities_are_unique_and_defects_are_planted() {
        let generated = generate(&GeneratorConfig::shipped()).unwrap();
        let keys: HashSet<_> = generated.procedures.iter().map(key).collect();
        assert_eq!(keys.len(), generated.procedures.len());
        let duplicates = generated
            .planted
            .iter()
            .filter(|d| d.rule.kind() == crate::audit::FindingKind::Duplicate)
            .count();
        assert!((25..=40).contains(&duplicates), "{duplicates} duplicates");
        for rule in [
            Rule::RepealedBasis,
            Rule::Abolished,
            Rule::Superseded,
            Rule::NoDossiers,
            Rule::MissingAgency,
        ] {
            assert!(generated.planted.iter().any(|d| d.rule == rule), "{rule}");
        }
        // Every planted entry is in the catalogue.
        for defect in &generated.planted {
            for procedure in &defect.procedures {
                assert!(keys.contains(procedure), "{procedure:?}");
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_catalogue() {
        let a = generate(&GeneratorConfig::shipped()).unwrap();
        let b = generate(&GeneratorConfig::shipped()).unwrap();
        assert_eq!(a.procedures, b.procedures);
        let c = generate(&GeneratorConfig {
            seed: 1,
            ..GeneratorConfig::shipped()
        })
        .unwrap();
        assert_ne!(a.procedures, c.procedures);
    }

    #[test]
    fn national_catalogues_keep_identities_unique() {
        let generated = generate(&GeneratorConfig::national(12_000, 6, 1)).unwrap();
        assert_eq!(generated.procedures.len(), 12_000);
        let keys: HashSet<_> = generated.procedures.iter().map(key).collect();
        assert_eq!(keys.len(), 12_000);
    }

    #[test]
    fn any_number_of_provinces_is_generated_with_names_and_codes_of_their_own() {
        // 34: the provinces since the 2025 merger, each bigger than before.
        let merged = province_names(34);
        assert!(merged.iter().any(|name| name == "Huế"));
        assert!(!merged.iter().any(|name| name == "Bắc Kạn"));
        // Beyond 63: numbered copies, every name once.
        let stress = province_names(189);
        assert_eq!(stress.iter().collect::<HashSet<_>>().len(), 189);
        assert_eq!(stress[63], "Thái Nguyên 2");
        assert_eq!(stress[188], "Cần Thơ 3");

        let generated = generate(&GeneratorConfig::national(1_890, 189, 3)).unwrap();
        assert_eq!(generated.procedures.len(), 1_890);
        let keys: HashSet<_> = generated.procedures.iter().map(key).collect();
        assert_eq!(keys.len(), 1_890);
        assert!(
            generated
                .procedures
                .iter()
                .any(|p| p.code.ends_with(".H189") && p.agency.contains("Cần Thơ 3"))
        );
        let bigger = generate(&GeneratorConfig::national(6_800, 34, 3)).unwrap();
        assert_eq!(bigger.procedures.len(), 6_800);
    }

    #[test]
    fn name_variations_look_like_real_copies() {
        let mut rng = Rng::new(1);
        let name = "Cấp giấy phép xây dựng";
        assert_eq!(
            vary_name(&mut rng, name, "no_diacritics", Level::Province),
            "Cap giay phep xay dung"
        );
        assert_eq!(
            vary_name(&mut rng, name, "thu_tuc_prefix", Level::Province),
            "Thủ tục cấp giấy phép xây dựng"
        );
        assert_eq!(
            vary_name(&mut rng, name, "broken_spacing", Level::Province),
            "C ấp giấy p hép xây d ựng"
        );
        assert_eq!(
            vary_name(&mut rng, name, "level_suffix", Level::District),
            "Cấp giấy phép xây dựng (cấp huyện)"
        );
        assert_ne!(vary_name(&mut rng, name, "typo", Level::Province), name);
    }
}
