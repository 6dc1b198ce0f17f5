//! `plateau run`: train one model, print its history and the diagnosis.

use crate::flags::{experiment, is_experiment_switch, parse_flags, Flag};
use crate::CliError;
use plateau::config::{Config, DataFile, Setting, PRESETS, SETTING_TABLE};
use std::fmt::Write as _;

pub fn run_help() -> String {
    let mut s = String::from(
        "plateau run [--preset NAME] [flags] [--json|--csv]\n\n\
         Trains a Dense network with Keras's `fit` semantics on scikit-learn's make_classification\n\
         data, or on a CSV file of your own (--data), and prints the per-epoch history. Flags\n\
         override the preset. [default; range]\n\n",
    );
    let _ = writeln!(s, "  {:<22}one of {}", "--preset NAME", PRESETS.join(", "));
    let mut settings: Vec<&Setting> = SETTING_TABLE.iter().collect();
    settings.sort_by_key(|s| s.help_rank);
    let label = |s: &Setting| match s.arg {
        Some(arg) => format!("--{} {arg}", s.key),
        None => format!("--{0} | --no-{0}", s.key),
    };
    // The switches' two names are long: they get a column of their own.
    let switch_width = settings
        .iter()
        .filter(|s| s.arg.is_none())
        .map(|s| label(s).len() + 2)
        .max()
        .unwrap_or(0);
    for setting in settings {
        let width = if setting.arg.is_some() {
            22
        } else {
            switch_width
        };
        let default = setting.default_text();
        let bracket = match setting.allowed_text() {
            Some(allowed) => format!("[{default}; {allowed}]"),
            None => format!("[{default}]"),
        };
        let help = setting.help_text();
        let text = if help.is_empty() {
            bracket
        } else {
            format!("{help} {bracket}")
        };
        let _ = writeln!(s, "  {:<width$}{text}", label(setting));
    }
    s.push_str(&data_help());
    s.push_str(
        "  --svg FILE  also draw the loss and accuracy charts, with the diagnosis's markers, as SVG\n  \
         --seeds N  seeds the experiments start with (every applicable fix, the data's\n             limit and a placebo against the unchanged settings; more seeds, up to 20,\n             while the answer is unsettled) [5; 0..=20, 0 skips]\n  \
         --json   print {\"config\", \"status\", \"history\", \"diagnosis\", \"instruments\"} as\n           JSON; instruments: per epoch, per hidden layer, {grad_norm, weight_norm,\n           update_ratio, dead_share, saturated_share}\n  \
         --csv    print epoch,loss,accuracy,val_loss,val_accuracy, then per hidden layer N\n           grad_norm_N,weight_norm_N,update_ratio_N,dead_share_N,saturated_share_N\n",
    );
    s
}

/// `--data` and `--target`, with the file's limits from the engine's.
fn data_help() -> String {
    use plateau::config::limits::{CLASSES, FILE_FEATURES, SAMPLES};
    format!(
        "  --data FILE    train on a CSV file instead of make_classification: numeric feature\n                 \
         columns and a target column of class labels (whole numbers or text), a header row\n                 \
         optional, {}..={} rows × at most {} features, {}..={} classes (3 or more train a\n                 \
         softmax output); it sets --samples, --features and --classes\n  \
         --target NAME  the file's target column (a header name, or a column number without a\n                 \
         header) [the column named target, label, class or y, else the last]\n  \
         --dataset NAME a real dataset, scikit-learn's bundled copy, read as a file: {}\n",
        SAMPLES.0, SAMPLES.1, FILE_FEATURES.1, CLASSES.0, CLASSES.1, plateau::data::built_in_names()
    )
}

/// Settings a file decides: given with `--data`, they are refused rather than ignored.
const SET_BY_THE_FILE: [&str; 4] = ["samples", "features", "informative", "classes"];

#[derive(PartialEq)]
enum Format {
    Text,
    Json,
    Csv,
}

pub fn cmd_run(args: &[String]) -> Result<(), CliError> {
    let is_switch = |name: &str| is_experiment_switch(name) || name == "json" || name == "csv";
    let flags = parse_flags(args, &is_switch)?;
    if flags.iter().any(|(n, _)| n == "help") {
        print!("{}", run_help());
        return Ok(());
    }
    refuse_what_the_file_sets(&flags)?;
    let (config, rest) = experiment(&flags)?;
    let (config, rest) = with_data_flags(config, rest)?;
    let mut format = Format::Text;
    let mut experiment_seeds = 5;
    let mut svg_path = None;
    for (name, value) in &rest {
        match (name.as_str(), value) {
            ("svg", Some(path)) => svg_path = Some(path.clone()),
            ("seeds", Some(v)) => {
                experiment_seeds = v.parse().ok().filter(|s| *s <= 20).ok_or_else(|| {
                    CliError(format!("--seeds: '{v}' is not a whole number from 0 to 20"))
                })?
            }
            ("json", None) => format = Format::Json,
            ("csv", None) => format = Format::Csv,
            _ => {
                return Err(CliError(format!(
                    "unknown flag --{name} (see plateau run --help)"
                )))
            }
        }
    }
    let (run, prepared) = config.start()?;
    let mut run = run.with_instruments();
    let status = run.finish();
    let history = run.history();
    let mut diagnosis = plateau::diagnose::diagnose_run(&config, &prepared, &run).with_instruments(
        run.instruments(),
        &config.hidden,
        &history.loss,
        config.class_count(),
    );
    if experiment_seeds > 0 && format != Format::Csv {
        diagnosis = diagnosis.with_experiments(&config, experiment_seeds)?;
    }
    if let Some(path) = &svg_path {
        write_svg(path, history, config.epochs, &diagnosis)?;
    }
    let mut out = String::new();
    match format {
        Format::Json => {
            let mut diagnosis_json = serde_json::to_value(&diagnosis).expect("plain data");
            // What the experiments showed (the rules' first guess without them), with the
            // data's limit and the placebo beside it.
            let answer = serde_json::to_value(diagnosis.answer_summary()).expect("plain data");
            for (key, value) in answer.as_object().expect("an object") {
                diagnosis_json[key] = value.clone();
            }
            let doc = serde_json::json!({
                "config": config,
                "status": status,
                "history": history,
                "diagnosis": diagnosis_json,
                "instruments": run.instruments(),
                "confusion": run.confusion().named(config.class_names()),
            });
            out = serde_json::to_string(&doc).expect("plain data serialises");
            out.push('\n');
        }
        Format::Csv => {
            out.push_str("epoch,loss,accuracy,val_loss,val_accuracy");
            for layer in 1..=config.hidden.len() {
                for name in INSTRUMENTS {
                    let _ = write!(out, ",{name}_{layer}");
                }
            }
            out.push('\n');
            for e in 0..history.epochs() {
                let _ = write!(
                    out,
                    "{},{},{},{},{}",
                    e + 1,
                    history.loss[e],
                    history.accuracy[e],
                    history.val_loss[e],
                    history.val_accuracy[e]
                );
                for l in run.instruments().get(e).into_iter().flatten() {
                    let _ = write!(
                        out,
                        ",{},{},{},{},{}",
                        l.grad_norm, l.weight_norm, l.update_ratio, l.dead_share, l.saturated_share
                    );
                }
                out.push('\n');
            }
        }
        Format::Text => {
            match &config.data {
                None => {
                    let _ = writeln!(out, "# plateau run {}", config.to_query().replace('&', " "));
                }
                Some(file) => {
                    // The file decides samples and features; informative does not apply.
                    let query = config.to_query();
                    let settings: Vec<&str> = query
                        .split('&')
                        .filter(|kv| !SET_BY_THE_FILE.contains(&kv.split('=').next().unwrap_or("")))
                        .collect();
                    let _ = writeln!(
                        out,
                        "# plateau run data={} {}",
                        file.name,
                        settings.join(" ")
                    );
                    let _ = writeln!(out, "# data: {}", file.summary());
                }
            }
            let _ = writeln!(
                out,
                "{:>5}  {:>8}  {:>8}  {:>8}  {:>8}",
                "epoch", "loss", "acc", "val_loss", "val_acc"
            );
            for e in 0..history.epochs() {
                let _ = writeln!(
                    out,
                    "{:>5}  {:>8.4}  {:>8.4}  {:>8.4}  {:>8.4}",
                    e + 1,
                    history.loss[e],
                    history.accuracy[e],
                    history.val_loss[e],
                    history.val_accuracy[e]
                );
            }
            let _ = writeln!(out, "status: {status:?}");
            if let (plateau::Status::EarlyStopped { epoch }, Some(restored)) =
                (status, status.restored_epoch(config.early_stopping))
            {
                let _ = writeln!(out, "{}", plateau::train::early_stop_text(epoch, restored));
            }
            let _ = writeln!(out, "\n{diagnosis}");
            if config.data.is_some() && !diagnosis.experiments.is_empty() {
                let _ = writeln!(out, "{}", plateau::diagnose::NO_MORE_DATA_FOR_A_FILE);
            }
        }
    }
    print!("{out}");
    Ok(())
}

/// Each hidden layer's instruments, in the order of the CSV's columns.
const INSTRUMENTS: [&str; 5] = [
    "grad_norm",
    "weight_norm",
    "update_ratio",
    "dead_share",
    "saturated_share",
];

/// The page's two charts, loss above accuracy, as one SVG: for slides and course notes.
fn write_svg(
    path: &str,
    history: &plateau::History,
    epochs: usize,
    diagnosis: &plateau::diagnose::Diagnosis,
) -> Result<(), CliError> {
    use plateau::chart::{self, ChartRun, Metric, Surface};
    use plotters::prelude::{IntoDrawingArea, SVGBackend};
    let runs = [ChartRun::single(history, epochs)];
    let markers = plateau::playground::diagnosis_markers(diagnosis, "", chart::GREEN);
    let root = SVGBackend::new(path, (800, 900)).into_drawing_area();
    let (top, bottom) = root.split_vertically(450);
    for (area, metric) in [(&top, Metric::Loss), (&bottom, Metric::Accuracy)] {
        let mine: Vec<_> = markers
            .iter()
            .filter(|(m, _)| *m == metric)
            .map(|(_, marker)| marker.clone())
            .collect();
        chart::draw(area, metric, &runs, &mine, Surface::estimated(1.25))
            .map_err(|e| CliError(format!("--svg {path}: cannot draw the chart: {e}")))?;
    }
    root.present()
        .map_err(|e| CliError(format!("--svg {path}: cannot write the file: {e}")))
}

/// The file at `path`, read as CSV with the target column `target`: a file that cannot be
/// read, or is not a table Plateau can train on, says why.
/// Refuses, before the settings are applied (whose ranges are make_classification's), the
/// settings a file decides when `--data` or `--dataset` names one.
pub fn refuse_what_the_file_sets(flags: &[Flag]) -> Result<(), CliError> {
    if let Some((_, Some(path))) = flags.iter().find(|(n, _)| n == "data" || n == "dataset") {
        if let Some((name, _)) = flags.iter().find(|(n, _)| SET_BY_THE_FILE.contains(&&**n)) {
            return Err(CliError(format!(
                "--{name}: the file {path} sets the rows, features and classes; leave --{name} out with \
                 a file"
            )));
        }
    }
    Ok(())
}

/// Takes `--data FILE`, `--target NAME` and `--dataset NAME` out of `rest` (the flags that
/// are not settings) and puts their file on `config`; returns it with the flags left.
pub fn with_data_flags(
    mut config: Config,
    rest: Vec<Flag>,
) -> Result<(Config, Vec<Flag>), CliError> {
    let (mut data_path, mut target, mut dataset) = (None, None, None);
    let mut left = Vec::new();
    for (name, value) in rest {
        match (name.as_str(), value) {
            ("data", Some(path)) => data_path = Some(path),
            ("dataset", Some(name)) => dataset = Some(name),
            ("target", Some(name)) => target = Some(name),
            (_, value) => left.push((name, value)),
        }
    }
    match (&data_path, &target) {
        _ if data_path.is_some() && dataset.is_some() => {
            return Err(CliError(
                "--data and --dataset both name the data: give one".into(),
            ))
        }
        (None, None) if dataset.is_some() => {
            let name = dataset.as_deref().unwrap_or_default();
            let text = crate::datasets::text(name).map_err(CliError)?;
            let file = DataFile::read(name, text, Some("target"))
                .map_err(|e| CliError(format!("--dataset {name}: {e}")))?;
            config = config.with_data_file(file);
        }
        (None, Some(_)) if dataset.is_some() => {
            return Err(CliError(
                "--target names a column of your own file: a built-in dataset's is `target`".into(),
            ))
        }
        (Some(path), _) => {
            config = config.with_data_file(read_data_file(path, target.as_deref())?);
        }
        (None, Some(_)) => {
            return Err(CliError(
                "--target names a column of a file: give the file with --data FILE".into(),
            ))
        }
        (None, None) => {}
    }
    Ok((config, left))
}

fn read_data_file(path: &str, target: Option<&str>) -> Result<DataFile, CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| CliError(format!("--data {path}: cannot read the file: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError(format!(
            "--data {path}: the file is not UTF-8 text (byte {}); save it as CSV UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })?;
    let name = std::path::Path::new(path)
        .file_name()
        .map_or(path.into(), |n| n.to_string_lossy().into_owned());
    DataFile::read(&name, &text, target).map_err(|e| CliError(format!("--data {path}: {e}")))
}
