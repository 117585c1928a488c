//! `government` and `migrate two-level`: the 2025 move to two-level local government.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};

use procedure_catalogue::domain::government::GovernmentModel;
use procedure_catalogue::domain::{Date, format_date};
use procedure_catalogue::store::{Catalogue, Change};
use procedure_catalogue::two_level::{self, LevelRules, Outcome};

use super::CatalogueArg;

#[derive(Subcommand, Debug)]
pub enum MigrateCommand {
    /// Move every district procedure to the commune or the province (or merge or abolish
    /// it) by the level rules, and switch the catalogue to two levels, as one undoable batch
    TwoLevel(TwoLevelArgs),
    /// Print the level rules the catalogue uses (CSV: edit it, then pass it with --rules)
    Rules {
        #[command(flatten)]
        catalogue: CatalogueArg,
    },
}

#[derive(Args, Debug)]
pub struct TwoLevelArgs {
    #[command(flatten)]
    catalogue: CatalogueArg,
    /// Level rules (CSV: Theo | Chứa | Chuyển về | Cơ quan thực hiện mới | Ghi chú);
    /// default: the catalogue's own, else the built-in ones
    #[arg(long, value_name = "FILE")]
    rules: Option<PathBuf>,
    /// Override one entry's outcome: CODE=commune, CODE=province, CODE=merge or CODE=abolish
    #[arg(long = "choose", value_name = "CODE=OUTCOME")]
    choices: Vec<String>,
    /// Show the plan without writing it
    #[arg(long)]
    dry_run: bool,
    /// Print JSON
    #[arg(long)]
    json: bool,
}

/// `government [three-level|two-level] [--since DATE]`: shows or sets the model.
pub(super) fn government(
    path: &Path,
    model: Option<&str>,
    since: Option<Date>,
    json: bool,
) -> Result<String> {
    let model = match model {
        None => None,
        Some("three-level" | "three_level" | "3") => Some(GovernmentModel::ThreeLevel),
        Some("two-level" | "two_level" | "2") => Some(GovernmentModel::TwoLevel {
            since: since.unwrap_or(GovernmentModel::TWO_LEVEL_START),
        }),
        Some(other) => {
            bail!("\"{other}\" is not a government model; use three-level or two-level")
        }
    };
    let (model, changed) = match model {
        None => (Catalogue::open_read_only(path)?.government()?, false),
        Some(model) => {
            let mut catalogue = Catalogue::open(path)?;
            let applied = catalogue.apply_changes(
                &format!("mô hình chính quyền: {}", model.label_vi()),
                &[Change::government(model)],
            )?;
            (model, applied.settings > 0)
        }
    };
    if json {
        let value = serde_json::json!({
            "model": model.key(),
            "since": model.since().map(format_date),
            "levels": model.levels().iter().map(|l| l.key()).collect::<Vec<_>>(),
            "changed": changed,
        });
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    let what = if changed { "is now" } else { "is" };
    Ok(format!(
        "{}: {what} {} ({})\n",
        path.display(),
        model.label_vi(),
        model.key()
    ))
}

pub(super) fn run(command: MigrateCommand) -> Result<String> {
    match command {
        MigrateCommand::Rules { catalogue } => {
            let catalogue = Catalogue::open_read_only(&catalogue.catalogue)?;
            Ok(two_level::catalogue_rules(&catalogue)?.to_csv())
        }
        MigrateCommand::TwoLevel(args) => two_level_move(&args),
    }
}

fn two_level_move(args: &TwoLevelArgs) -> Result<String> {
    let path = &args.catalogue.catalogue;
    let mut catalogue = if args.dry_run {
        Catalogue::open_read_only(path)?
    } else {
        Catalogue::open(path)?
    };
    let rules = match &args.rules {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("reading the level rules {}", file.display()))?;
            LevelRules::read_csv(&text).map_err(|error| {
                anyhow::anyhow!(
                    "{}: {error}; the header row is Theo,Chứa,Chuyển về,Cơ quan thực hiện mới,Ghi chú (`migrate rules` prints the current rules)",
                    file.display()
                )
            })?
        }
        None => two_level::catalogue_rules(&catalogue)?,
    };
    let mut plan = two_level::plan_catalogue(&catalogue, rules)?;
    for choice in &args.choices {
        let (code, outcome) = choice.split_once('=').with_context(|| {
            format!("--choose {choice}: write it as CODE=commune|province|merge|abolish")
        })?;
        let Some(row) = plan.rows.iter().find(|r| r.data.code == code.trim()) else {
            bail!(
                "--choose {choice}: {code} is not a district procedure of {}",
                path.display()
            );
        };
        let outcome = match outcome.trim() {
            "commune" | "xa" => row.choices(&plan.rules)[0].clone(),
            "province" | "tinh" => row.choices(&plan.rules)[1].clone(),
            "abolish" => Outcome::Abolish,
            "merge" => match row.counterparts.first() {
                Some(counterpart) => Outcome::Merge {
                    into: counterpart.procedure_id,
                },
                None => bail!(
                    "--choose {choice}: no procedure with the code {code} at another level to merge into"
                ),
            },
            other => {
                bail!("--choose {choice}: \"{other}\" is not commune, province, merge or abolish")
            }
        };
        let id = row.procedure_id;
        plan.choose(id, outcome);
    }
    let batch = if args.dry_run {
        None
    } else {
        two_level::apply(&mut catalogue, &plan)?.batch_id
    };
    if args.json {
        let mut value = serde_json::to_value(plan.report())?;
        value["dry_run"] = args.dry_run.into();
        value["batch"] = batch.into();
        return Ok(serde_json::to_string_pretty(&value)? + "\n");
    }
    Ok(plan_text(path, &plan, args.dry_run, batch))
}

fn plan_text(
    path: &Path,
    plan: &two_level::MigrationPlan,
    dry_run: bool,
    batch: Option<i64>,
) -> String {
    let mut out = String::new();
    let counts = plan.counts();
    let _ = writeln!(
        out,
        "{}: {} district procedures: {} to the commune, {} to the province, {} merged, {} abolished",
        path.display(),
        counts.total(),
        counts.to_commune,
        counts.to_province,
        counts.merged,
        counts.abolished
    );
    if plan.conflicts() > 0 {
        let _ = writeln!(
            out,
            "  {} already stand at another level with the same code (merge proposed where it is the target level)",
            plan.conflicts()
        );
    }
    if plan.overridden() > 0 {
        let _ = writeln!(out, "  {} chosen by hand", plan.overridden());
    }
    let _ = writeln!(out, "\nby field (commune / province / merged / abolished):");
    for (field, c) in plan.by_field() {
        let field = if field.is_empty() {
            "(no field)"
        } else {
            field
        };
        let _ = writeln!(
            out,
            "  {field}: {} / {} / {} / {}",
            c.to_commune, c.to_province, c.merged, c.abolished
        );
    }
    if dry_run {
        let _ = writeln!(out, "\ndry run: nothing written");
        for row in &plan.rows {
            let target = match &row.chosen {
                Outcome::Move { level, agency } => {
                    format!("→ {} ({agency})", level.key())
                }
                Outcome::Merge { into } => row
                    .counterparts
                    .iter()
                    .find(|c| c.procedure_id == *into)
                    .map(|c| format!("merge into {} @{}", c.code, c.level.key()))
                    .unwrap_or_default(),
                Outcome::Abolish => "abolish".to_owned(),
            };
            let _ = writeln!(out, "  {}  {}  {target}", row.data.code, row.data.name);
        }
    } else {
        let _ = writeln!(
            out,
            "\nwritten as one batch{}; the catalogue is now two-level (undo in the window restores it)",
            batch.map(|b| format!(" (#{b})")).unwrap_or_default()
        );
    }
    out
}
