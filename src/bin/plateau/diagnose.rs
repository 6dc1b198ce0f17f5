//! `plateau diagnose FILE`: the diagnosis of a run made elsewhere, from its Keras history
//! alone (see `plateau::diagnose::read_history` and `diagnose_history`).

use crate::flags::parse_flags;
use crate::CliError;
use plateau::config::limits;
use plateau::diagnose::{diagnose_history, read_history, unknowns_text, Known, FROM_CURVES_ALONE};
use std::fmt::Write as _;

pub fn diagnose_help() -> String {
    format!(
        "plateau diagnose FILE [--classes K] [--val-rows N] [--json]

Diagnoses a run made elsewhere from its history alone: where validation plateaued, and the
causes its curves point to, each with a line of Keras to try. Without the model and the data
no experiment can test them: they are suspicions.

FILE (or - for standard input) is one of:
  Keras's history.history as JSON, printed by  print(json.dumps(history.history))
  a CSV file with a header row: keras.callbacks.CSVLogger's, or any with loss and val_loss
  columns (accuracy and val_accuracy optional; acc and val_acc too; an epoch column, if
  any, counts up by one from 0 or 1)
with {}..={} epochs. NaN or infinity marks the epoch a run diverged.

  --classes K    the labels' classes: the first loss is compared with ln K [2; {}..={}]
  --val-rows N   the validation rows: the plateau ignores loss changes smaller than one
                 row's worth, and the accuracy gap's noise is judged [unknown]
  --json         print {{\"history\", \"diagnosis\", \"known\", \"note\"}}: diagnosis as in
                 plateau run --json (no experiments; each cause's keras_fix is its line)
",
        plateau::diagnose::MIN_HISTORY_EPOCHS,
        limits::EPOCHS.1,
        limits::CLASSES.0,
        limits::CLASSES.1,
    )
}

pub fn cmd_diagnose(args: &[String]) -> Result<(), CliError> {
    let (path, rest) = match args.split_first() {
        Some((first, rest)) if !first.starts_with("--") || first == "-" => {
            (Some(first.as_str()), rest)
        }
        _ => (None, args),
    };
    let flags = parse_flags(rest, &|n| n == "json" || n == "help")?;
    if flags.iter().any(|(n, _)| n == "help") {
        print!("{}", diagnose_help());
        return Ok(());
    }
    let Some(path) = path else {
        return Err(CliError(
            "diagnose needs a FILE: a Keras history as JSON or a CSV file (see plateau diagnose \
             --help)"
                .into(),
        ));
    };
    let mut known = Known::default();
    let mut json = false;
    for (name, value) in &flags {
        match (name.as_str(), value) {
            ("json", None) => json = true,
            ("classes", Some(v)) => {
                let (lo, hi) = limits::CLASSES;
                known.classes = Some(
                    v.parse()
                        .ok()
                        .filter(|k| (lo..=hi).contains(k))
                        .ok_or_else(|| {
                            CliError(format!(
                                "--classes: '{v}' is not a whole number from {lo} to {hi}"
                            ))
                        })?,
                )
            }
            ("val-rows", Some(v)) => {
                known.val_samples = Some(v.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
                    CliError(format!(
                        "--val-rows: '{v}' is not a whole number of 1 or more"
                    ))
                })?)
            }
            _ => {
                return Err(CliError(format!(
                    "unknown flag --{name} (see plateau diagnose --help)"
                )))
            }
        }
    }
    let text = read_text(path)?;
    let history = read_history(&text).map_err(|e| CliError(format!("{path}: {e}")))?;
    let diagnosis = diagnose_history(&history, known);
    let unknowns = unknowns_text(&known);
    let mut out = String::new();
    if json {
        let mut diagnosis_json = serde_json::to_value(&diagnosis).expect("plain data");
        // The same object as `plateau run --json`'s, with the rules' first guess as the answer.
        let answer = serde_json::to_value(diagnosis.answer_summary()).expect("plain data");
        for (key, value) in answer.as_object().expect("an object") {
            diagnosis_json[key] = value.clone();
        }
        let doc = serde_json::json!({
            "history": history,
            "diagnosis": diagnosis_json,
            "known": known,
            "note": FROM_CURVES_ALONE,
            "unknowns": unknowns,
        });
        out = serde_json::to_string(&doc).expect("plain data serialises");
        out.push('\n');
    } else {
        let _ = writeln!(out, "# plateau diagnose {path}");
        let _ = writeln!(
            out,
            "{:>5}  {:>8}  {:>8}  {:>8}  {:>8}",
            "epoch", "loss", "acc", "val_loss", "val_acc"
        );
        let cell = |s: &[f64], e: usize| s.get(e).map_or("-".to_string(), |v| format!("{v:.4}"));
        for e in 0..history.epochs() {
            let _ = writeln!(
                out,
                "{:>5}  {:>8}  {:>8}  {:>8}  {:>8}",
                e + 1,
                cell(&history.loss, e),
                cell(&history.accuracy, e),
                cell(&history.val_loss, e),
                cell(&history.val_accuracy, e)
            );
        }
        let _ = writeln!(out, "status: {:?}", diagnosis.status);
        let _ = writeln!(out, "\n{diagnosis}");
        let _ = writeln!(out, "{FROM_CURVES_ALONE}");
        if !unknowns.is_empty() {
            let _ = writeln!(out, "{unknowns}");
        }
    }
    print!("{out}");
    Ok(())
}

/// The file's text (`-`: standard input), which must be UTF-8.
fn read_text(path: &str) -> Result<String, CliError> {
    let bytes = if path == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| CliError(format!("-: cannot read standard input: {e}")))?;
        bytes
    } else {
        std::fs::read(path).map_err(|e| CliError(format!("{path}: cannot read the file: {e}")))?
    };
    String::from_utf8(bytes).map_err(|e| {
        CliError(format!(
            "{path}: the file is not UTF-8 text (byte {}); save it as UTF-8",
            e.utf8_error().valid_up_to()
        ))
    })
}
