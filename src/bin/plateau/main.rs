//! The `plateau` command line: the stable interface for scripts and course authors.
//! Flags map one to one onto `Config` keys, so the CLI, the URL hash and the page share one
//! set of names, defaults, ranges and error messages (the settings table,
//! `plateau::config::SETTING_TABLE`).

mod bench;
mod data;
mod datasets;
mod diagnose;
mod export;
mod flags;
mod lr_find;
mod run;

use plateau::config::{ConfigError, COMPARISONS, PRESETS};
use std::process::ExitCode;

fn main_help() -> String {
    format!(
        "plateau — why does validation accuracy stop improving?\n\n\
         USAGE:\n  plateau run  [--preset NAME] [flags] [--json|--csv]   train one model, print its history\n  \
         plateau data [flags] --csv                             print make_classification's data\n  \
         plateau bench [--repeat N] [--epochs N] [--json]       time the benchmark workloads natively\n  \
         plateau export python|data [run flags]                 the experiment as a Python script, or its data\n  \
         plateau lr-find [run flags] [--json]                   the learning-rate range test, and a suggested rate\n  \
         plateau diagnose FILE [--json]                         diagnose a Keras history made elsewhere (JSON or CSV)\n\n\
         `plateau run --help` and `plateau data --help` list every flag with its default and range.\n\
         Presets (the article's experiments): {}.\nComparisons drawn together on the page: {}.\n",
        PRESETS.join(", "),
        COMPARISONS
            .iter()
            .map(|(n, p)| format!("{n} ({})", p.join(" vs ")))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

#[derive(Debug)]
struct CliError(String);

impl From<ConfigError> for CliError {
    fn from(e: ConfigError) -> Self {
        CliError(format!("--{e}"))
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        None | Some("-h" | "--help" | "help") => {
            print!("{}", main_help());
            Ok(())
        }
        Some("run") => run::cmd_run(&args[1..]),
        Some("data") => data::cmd_data(&args[1..]),
        Some("bench") => bench::cmd_bench(&args[1..]),
        Some("export") => export::cmd_export(&args[1..]),
        Some("lr-find") => lr_find::cmd_lr_find(&args[1..]),
        Some("diagnose") => diagnose::cmd_diagnose(&args[1..]),
        Some(other) => Err(CliError(format!(
            "unknown command '{other}'; allowed: run, data, bench, export, lr-find, diagnose (see plateau --help)"
        ))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}
