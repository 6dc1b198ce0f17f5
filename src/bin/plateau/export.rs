//! `plateau export`: the experiment as a Python script or as the arrays it trains on.

use crate::flags::{experiment, is_experiment_switch, parse_flags};
use crate::CliError;

/// `plateau export python|data [run flags]`: the experiment as a scikit-learn + Keras script
/// ("Copy as Python" on the page), or the exact float32 arrays the network trains on, as JSON
/// (what the CI check compares the script's data with).
pub fn cmd_export(args: &[String]) -> Result<(), CliError> {
    let what = args.first().map(String::as_str);
    let flags = parse_flags(args.get(1..).unwrap_or(&[]), &is_experiment_switch)?;
    if what.is_none() || flags.iter().any(|(n, _)| n == "help") {
        print!("{EXPORT_HELP}");
        return Ok(());
    }
    let (config, rest) = experiment(&flags)?;
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

const EXPORT_HELP: &str = "plateau export python|data [--preset NAME] [flags of plateau run]\n\n\
  python  a runnable script: the same data with scikit-learn, the same model and fit with Keras,\n\
          the history plotted with matplotlib (the page's Copy as Python)\n\
  data    the float32 arrays the network trains on, as JSON {features, x_train, y_train, x_val, y_val}\n";
