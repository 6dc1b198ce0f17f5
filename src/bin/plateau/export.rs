//! `plateau export`: the experiment as a Python script or as the arrays it trains on.

use crate::flags::{experiment, is_experiment_switch, parse_flags};
use crate::run::{refuse_what_the_file_sets, with_data_flags};
use crate::CliError;

/// `plateau export python|data [run flags]`: the experiment as a scikit-learn + Keras script
/// ("Copy as Python" on the page), or the exact float32 arrays the network trains on, as JSON
/// (what the CI check compares the script's data with).
pub fn cmd_export(args: &[String]) -> Result<(), CliError> {
    let what = args.first().map(String::as_str);
    // A comparison of the page (`#compare=NAME`): every run's script, as the page copies it.
    if let (Some("python"), [flag, name]) = (what, args.get(1..).unwrap_or(&[])) {
        if flag == "--compare" {
            return export_comparison(name);
        }
    }
    let flags = parse_flags(args.get(1..).unwrap_or(&[]), &is_experiment_switch)?;
    if what.is_none() || flags.iter().any(|(n, _)| n == "help") {
        print!("{EXPORT_HELP}");
        return Ok(());
    }
    refuse_what_the_file_sets(&flags)?;
    let (config, rest) = experiment(&flags)?;
    let (config, rest) = with_data_flags(config, rest)?;
    if let Some((name, _)) = rest.first() {
        return Err(CliError(format!(
            "unknown flag --{name} (plateau export takes the flags of plateau run)"
        )));
    }
    match what {
        Some("python") => print!("{}", plateau::python::script(&config, "")),
        Some("data") => {
            let p = config.prepare()?;
            let doc = serde_json::json!({
                "features": p.train.features,
                "x_train": p.train.x, "y_train": p.train.y,
                "x_val": p.val.x, "y_val": p.val.y,
            });
            println!("{doc}");
        }
        Some(other) => {
            return Err(CliError(format!(
                "unknown export '{other}'; allowed: python, data"
            )))
        }
        None => unreachable!("help was printed"),
    }
    Ok(())
}

fn export_comparison(name: &str) -> Result<(), CliError> {
    let mut page = plateau::playground::Playground::new(Box::new(|| 0.0))
        .map_err(|e| CliError(plateau::playground::error_text(&e)))?;
    let problems = page.apply_hash(&format!("compare={name}"));
    if let Some(problem) = problems.first() {
        return Err(CliError(format!("--compare {name}: {problem}")));
    }
    print!("{}", plateau::python::script_for(&page.run_configs(), ""));
    Ok(())
}

const EXPORT_HELP: &str = "plateau export python|data [--preset NAME] [flags of plateau run]\n\
  plateau export python --compare NAME   a comparison of the page, every run in one script\n\
  plateau export python|data --data FILE.csv [--target NAME] | --dataset NAME   on a file\n\n\
  python  a runnable script: the same data with scikit-learn (a file read with pandas, a\n\
          built-in dataset with sklearn.datasets), the same model and fit with Keras,\n\
          the history plotted with matplotlib (the page's Copy as Python)\n\
  data    the float32 arrays the network trains on, as JSON {features, x_train, y_train, x_val, y_val}\n";
