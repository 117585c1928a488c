//! `simplify`: options, the compliance cost of one procedure, the cost model and targets, and
//! the savings report between two sides.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use procedure_catalogue::domain::Level;
use procedure_catalogue::export;
use procedure_catalogue::simplify::cost::{CostModel, PARAMETERS};
use procedure_catalogue::simplify::options::{
    OptionKind, OptionState, Proposal, SimplificationOption,
};
use procedure_catalogue::simplify::savings::SavingsReport;
use procedure_catalogue::simplify::sourced::{
    format_hours, format_percent, format_vnd, parse_figure,
};
use procedure_catalogue::simplify::{self, dossier};
use procedure_catalogue::store::Catalogue;

use super::{CatalogueArg, parse_level};

#[derive(Subcommand, Debug)]
pub enum SimplifyCommand {
    /// The savings between two sides (a revision, `working`, a catalogue file): procedures,
    /// processing days, dossier papers, fees and compliance cost, against the targets
    Report {
        /// The side before (e.g. the published revision)
        old: String,
        /// The side after (e.g. working)
        new: String,
        /// The catalogue whose revisions, cost model and targets are used (default
        /// ./catalogue.sqlite, or the OLD file when both sides are files)
        #[arg(long, value_name = "PATH")]
        catalogue: Option<PathBuf>,
        /// Print JSON
        #[arg(long)]
        json: bool,
        /// Also write the report an officer signs (.xlsx, A4)
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Record a simplification option for a procedure: `option CODE@LEVEL KIND`; KIND is
    /// abolish, merge_into, cut_time, drop_papers, lower_fee, remove_requirement, hand_down
    /// or raise_online
    Option(OptionArgs),
    /// List the options of the working copy
    Options {
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Carry out an option on the working copy (one undoable batch)
    Apply {
        /// The option's number
        number: u32,
        #[command(flatten)]
        catalogue: CatalogueArg,
    },
    /// Set an option's state: proposed, accepted, rejected
    State {
        number: u32,
        #[arg(value_parser = parse_state)]
        state: OptionState,
        #[command(flatten)]
        catalogue: CatalogueArg,
    },
    /// The compliance cost of one procedure, with the arithmetic and its dossier's papers
    Cost {
        /// CODE@LEVEL (or a code standing at one level)
        procedure: String,
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Show or set the cost model's parameters, each with its source
    Parameters {
        /// KEY=VALUE (e.g. income_per_hour=50000)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// KEY=TEXT: where the figure comes from
        #[arg(long = "source", value_name = "KEY=TEXT")]
        source: Vec<String>,
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
    /// Show or set the targets (least reduction in percent), each with its source
    Targets {
        /// MEASURE=PERCENT: procedures, processing_days, compliance_cost
        #[arg(long = "set", value_name = "MEASURE=PERCENT")]
        set: Vec<String>,
        /// MEASURE=TEXT: the resolution or programme that sets it
        #[arg(long = "source", value_name = "MEASURE=TEXT")]
        source: Vec<String>,
        #[command(flatten)]
        catalogue: CatalogueArg,
        /// Print JSON
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args, Debug)]
pub struct OptionArgs {
    /// CODE@LEVEL (or a code standing at one level)
    procedure: String,
    /// What the option does
    #[arg(value_parser = parse_kind)]
    kind: OptionKind,
    /// Why
    #[arg(long, default_value = "")]
    reason: String,
    /// The legal text that must change
    #[arg(long, default_value = "")]
    legal_change: String,
    /// The agency proposing it
    #[arg(long, default_value = "")]
    proposer: String,
    /// cut_time: the new processing time ("10 ngày làm việc")
    #[arg(long, value_name = "TEXT")]
    time: Option<String>,
    /// lower_fee: the new fee ("Miễn phí", "Lệ phí: 50.000 đồng")
    #[arg(long, value_name = "TEXT")]
    fee: Option<String>,
    /// drop_papers: a paper to drop, by its number in `simplify cost` (repeat for several)
    #[arg(long = "drop", value_name = "N")]
    drop: Vec<usize>,
    /// remove_requirement: the requirements that remain
    #[arg(long, value_name = "TEXT")]
    requirements: Option<String>,
    /// hand_down: the new level
    #[arg(long, value_name = "LEVEL", value_parser = parse_level)]
    to_level: Option<Level>,
    /// hand_down: the new executing agency
    #[arg(long, value_name = "TEXT")]
    agency: Option<String>,
    /// merge_into: the code of the procedure it goes into
    #[arg(long, value_name = "CODE")]
    into: Option<String>,
    /// Carry it out at once (a second batch, undone separately)
    #[arg(long)]
    apply: bool,
    #[command(flatten)]
    catalogue: CatalogueArg,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

fn parse_kind(text: &str) -> Result<OptionKind, String> {
    OptionKind::parse(text).ok_or_else(|| {
        let kinds: Vec<&str> = OptionKind::ALL.iter().map(|kind| kind.key()).collect();
        format!(
            "\"{text}\" is not an option kind; use one of {}",
            kinds.join(", ")
        )
    })
}

fn parse_state(text: &str) -> Result<OptionState, String> {
    OptionState::parse(text)
        .filter(|state| *state != OptionState::CarriedOut)
        .ok_or_else(|| {
            format!(
                "\"{text}\" is not a state; use proposed, accepted or rejected (`simplify apply` carries one out)"
            )
        })
}

pub(super) fn run(command: SimplifyCommand) -> Result<String> {
    match command {
        SimplifyCommand::Report {
            old,
            new,
            catalogue,
            json,
            output,
        } => report(catalogue.as_deref(), &old, &new, json, output.as_deref()),
        SimplifyCommand::Option(args) => record(&args),
        SimplifyCommand::Options { catalogue, json } => {
            let catalogue = Catalogue::open_read_only(&catalogue.catalogue)?;
            let options = simplify::options(&catalogue)?;
            if json {
                return Ok(serde_json::to_string_pretty(
                    &serde_json::json!({ "options": options }),
                )? + "\n");
            }
            let mut out = String::new();
            for option in &options {
                let _ = writeln!(out, "{}", option_line(option));
            }
            let _ = writeln!(out, "{} options", options.len());
            Ok(out)
        }
        SimplifyCommand::Apply { number, catalogue } => {
            let mut catalogue = Catalogue::open(&catalogue.catalogue)?;
            let applied = simplify::apply_option(&mut catalogue, number)?;
            let option = simplify::find_option(&catalogue, number)?;
            Ok(format!(
                "carried out option {number} on {}@{}: {} ({} edited, {} retired; `undo` in the window takes it back)\n",
                option.code,
                option.level.key(),
                option.describe(),
                applied.updated,
                applied.retired
            ))
        }
        SimplifyCommand::State {
            number,
            state,
            catalogue,
        } => {
            let mut catalogue = Catalogue::open(&catalogue.catalogue)?;
            simplify::set_option_state(&mut catalogue, number, state)?;
            Ok(format!("option {number} is now {}\n", state.key()))
        }
        SimplifyCommand::Cost {
            procedure,
            catalogue,
            json,
        } => cost(&catalogue.catalogue, &procedure, json),
        SimplifyCommand::Parameters {
            set,
            source,
            catalogue,
            json,
        } => parameters(&catalogue.catalogue, &set, &source, json),
        SimplifyCommand::Targets {
            set,
            source,
            catalogue,
            json,
        } => targets(&catalogue.catalogue, &set, &source, json),
    }
}

fn option_line(option: &SimplificationOption) -> String {
    format!(
        "{:>4}  {}@{}  [{}]  {}{}",
        option.number,
        option.code,
        option.level.key(),
        option.state.key(),
        option.describe(),
        if option.reason.is_empty() {
            String::new()
        } else {
            format!(" — {}", option.reason)
        }
    )
}

fn record(args: &OptionArgs) -> Result<String> {
    let mut catalogue = Catalogue::open(&args.catalogue.catalogue)?;
    let procedure = simplify::find_procedure(&catalogue, &args.procedure)?;
    let data = &procedure.data;
    let dossier_text = if args.drop.is_empty() {
        None
    } else {
        // Numbered from 1, as `simplify cost` lists them.
        let indexes: Vec<usize> = args.drop.iter().map(|n| n.wrapping_sub(1)).collect();
        let Some(text) = dossier::without_papers(&data.dossier, &indexes) else {
            bail!(
                "{} has {} papers in its dossier; --drop takes their numbers as `simplify cost {}` lists them",
                args.procedure,
                dossier::Dossier::parse(&data.dossier).components().count(),
                args.procedure
            );
        };
        Some(text)
    };
    let option = SimplificationOption {
        number: 0,
        code: data.code.clone(),
        level: data.level_or_province(),
        kind: args.kind,
        proposal: Proposal {
            processing_time: args.time.clone(),
            fee: args.fee.clone(),
            dossier_was: dossier_text.as_ref().map(|_| data.dossier.clone()),
            requirements_was: args
                .requirements
                .as_ref()
                .map(|_| data.requirements.clone()),
            dossier: dossier_text,
            requirements: args.requirements.clone(),
            level: args.to_level,
            agency: args.agency.clone(),
            tier: None,
            into: args.into.clone(),
        },
        reason: args.reason.trim().to_owned(),
        legal_change: args.legal_change.trim().to_owned(),
        proposer: args.proposer.trim().to_owned(),
        state: OptionState::Proposed,
        recorded_by: String::new(),
        recorded_at: String::new(),
    };
    let option = simplify::record_option(&mut catalogue, option)?;
    let number = option.number;
    let mut out = format!("recorded option {}\n", option_line(&option));
    if args.apply {
        simplify::apply_option(&mut catalogue, number)?;
        let _ = writeln!(out, "carried out option {number}");
    }
    if args.json {
        let option = simplify::find_option(&catalogue, number)?;
        return Ok(serde_json::to_string_pretty(&option)? + "\n");
    }
    Ok(out)
}

fn cost(path: &Path, key: &str, json: bool) -> Result<String> {
    let catalogue = Catalogue::open_read_only(path)?;
    let procedure = simplify::find_procedure(&catalogue, key)?;
    let model = simplify::cost_model(&catalogue)?;
    let cost = model.cost(&procedure.data);
    let dossier = dossier::Dossier::parse(&procedure.data.dossier);
    let parameters = simplify::savings::stated_parameters(&model);
    if json {
        let value = serde_json::json!({
            "code": procedure.data.code,
            "level": procedure.data.level_or_province(),
            "name": procedure.data.name,
            "cost": cost,
            "dossier": dossier,
            "parameters": parameters,
        });
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    let mut out = format!(
        "{} {} ({})\n",
        procedure.data.code,
        procedure.data.name,
        procedure.data.level_or_province().label_vi()
    );
    let _ = writeln!(out, "Chi phí tuân thủ (Thông tư 02/2017/TT-VPCP):");
    for line in &cost.lines {
        let _ = writeln!(out, "  {}", line.text());
    }
    let _ = writeln!(out, "Thành phần hồ sơ:");
    let mut number = 0;
    for case in &dossier.cases {
        if !case.title.is_empty() {
            let _ = writeln!(out, "  {}", case.title);
        }
        for paper in &case.components {
            number += 1;
            let count = if paper.count_stated {
                format!("{} bản chính, {} bản sao", paper.originals, paper.copies)
            } else {
                "số lượng không ghi".to_owned()
            };
            let _ = writeln!(out, "  {number:>3}. {} ({count})", paper.name);
        }
    }
    let _ = writeln!(out, "Tham số:");
    for parameter in &parameters {
        let _ = writeln!(
            out,
            "  {}: {} {} — {}",
            parameter.label,
            figure(parameter.value, parameter.unit),
            parameter.unit,
            parameter.source
        );
    }
    Ok(out)
}

/// A figure as printed beside its unit: đồng grouped by thousands.
fn figure(value: f64, unit: &str) -> String {
    if unit.starts_with("đồng") {
        format_vnd(value.round() as i64)
    } else {
        format_hours(value)
    }
}

/// Applies `KEY=VALUE` and `KEY=TEXT` assignments to the figures `get` names.
fn assign<T>(
    settings: &mut T,
    set: &[String],
    source: &[String],
    get: impl for<'x> Fn(&'x mut T, &str) -> Option<&'x mut simplify::sourced::Sourced>,
    what: &str,
) -> Result<()> {
    for item in set {
        let (key, value) = item
            .split_once('=')
            .with_context(|| format!("--set {item}: write it as KEY=VALUE"))?;
        // "43.750" and "43750" are the same figure; "1,5" is one and a half.
        let value = parse_figure(value).with_context(|| {
            format!(
                "--set {item}: \"{value}\" is not a number (nor below zero); write 43.750 or 1,5"
            )
        })?;
        get(settings, key.trim())
            .with_context(|| format!("\"{}\" is not a {what}", key.trim()))?
            .value = value;
    }
    for item in source {
        let (key, text) = item
            .split_once('=')
            .with_context(|| format!("--source {item}: write it as KEY=TEXT"))?;
        get(settings, key.trim())
            .with_context(|| format!("\"{}\" is not a {what}", key.trim()))?
            .source = text.trim().to_owned();
    }
    Ok(())
}

fn parameters(path: &Path, set: &[String], source: &[String], json: bool) -> Result<String> {
    let mut out = String::new();
    let model = if set.is_empty() && source.is_empty() {
        simplify::cost_model(&Catalogue::open_read_only(path)?)?
    } else {
        let mut catalogue = Catalogue::open(path)?;
        let mut model = simplify::cost_model(&catalogue)?;
        assign(
            &mut model,
            set,
            source,
            CostModel::parameter_mut,
            "parameter",
        )?;
        catalogue.apply_changes(
            "tham số chi phí tuân thủ",
            &[simplify::set_cost_model(&model)],
        )?;
        let _ = writeln!(out, "set the cost model of {}", path.display());
        model
    };
    let parameters = simplify::savings::stated_parameters(&model);
    if json {
        return Ok(
            serde_json::to_string_pretty(&serde_json::json!({ "parameters": parameters }))? + "\n",
        );
    }
    for (info, parameter) in PARAMETERS.iter().zip(&parameters) {
        let _ = writeln!(
            out,
            "{:<20} {:>10} {:<10} {} — {}",
            info.key,
            figure(parameter.value, parameter.unit),
            parameter.unit,
            parameter.label,
            parameter.source
        );
    }
    Ok(out)
}

fn targets(path: &Path, set: &[String], source: &[String], json: bool) -> Result<String> {
    use procedure_catalogue::simplify::targets::Targets;
    fn target<'a>(
        targets: &'a mut Targets,
        key: &str,
    ) -> Option<&'a mut simplify::sourced::Sourced> {
        match key {
            "procedures" => Some(&mut targets.procedures),
            "processing_days" => Some(&mut targets.processing_days),
            "compliance_cost" => Some(&mut targets.compliance_cost),
            _ => None,
        }
    }
    let mut out = String::new();
    let targets = if set.is_empty() && source.is_empty() {
        simplify::targets(&Catalogue::open_read_only(path)?)?
    } else {
        let mut catalogue = Catalogue::open(path)?;
        let mut targets = simplify::targets(&catalogue)?;
        assign(
            &mut targets,
            set,
            source,
            target,
            "target (procedures, processing_days, compliance_cost)",
        )?;
        catalogue.apply_changes("mục tiêu cắt giảm", &[simplify::set_targets(&targets)])?;
        let _ = writeln!(out, "set the targets of {}", path.display());
        targets
    };
    if json {
        return Ok(serde_json::to_string_pretty(&targets)? + "\n");
    }
    for (key, figure) in [
        ("procedures", &targets.procedures),
        ("processing_days", &targets.processing_days),
        ("compliance_cost", &targets.compliance_cost),
    ] {
        let _ = writeln!(
            out,
            "{key:<16} {:>3}% — {}",
            format_hours(figure.value),
            figure.source
        );
    }
    Ok(out)
}

fn report(
    path: Option<&Path>,
    old: &str,
    new: &str,
    json: bool,
    output: Option<&Path>,
) -> Result<String> {
    // As `diff`: two files and no --catalogue, the OLD file is the catalogue.
    let (path, old_side) = super::revisions::catalogue_of_sides(path, old, new);
    let catalogue = Catalogue::open_read_only(path)?;
    let report = simplify::savings(&catalogue, old_side, new)?;
    let mut out = String::new();
    if let Some(output) = output {
        export::savings::write_savings_report(&catalogue, &report, output)
            .with_context(|| format!("writing {}", output.display()))?;
        if !json {
            let _ = writeln!(out, "wrote the savings report to {}", output.display());
        }
    }
    if json {
        return Ok(serde_json::to_string_pretty(&report)? + "\n");
    }
    out.push_str(&report_text(&report));
    Ok(out)
}

fn report_text(report: &SavingsReport) -> String {
    let mut out = format!("savings from \"{}\" to \"{}\"\n", report.old, report.new);
    for measure in &report.measures {
        let amount = |value: f64| figure(value, measure.unit);
        let target = match (measure.target, measure.met) {
            (Some(target), Some(met)) => format!(
                "; target {}%: {}",
                format_hours(target),
                if met { "met" } else { "not met" }
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {}: {} → {} {} (−{}, {}{target})",
            measure.label,
            amount(measure.before),
            amount(measure.after),
            measure.unit,
            amount(measure.reduction),
            format_percent(measure.rate)
        );
    }
    let t = &report.totals;
    let _ = writeln!(
        out,
        "  abolished {} · merged {} · simplified {} · moved {} · added {}",
        t.abolished, t.merged, t.simplified, t.moved, t.added
    );
    let _ = writeln!(
        out,
        "  options: {} recorded, {} carried out",
        report.options.len(),
        report
            .options
            .iter()
            .filter(|option| option.state == OptionState::CarriedOut.key())
            .count()
    );
    out
}
