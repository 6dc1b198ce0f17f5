//! Parsing the command line's `--flag value` pairs, and the experiment that a command's
//! flags describe.

use crate::CliError;
use plateau::config::{Config, Setting, SETTING_TABLE};

/// A flag's name (without `--`) and its value; `None` for a switch.
pub type Flag = (String, Option<String>);

/// Splits `--flag value` / `--flag=value` pairs; bare switches get `None`.
pub fn parse_flags(
    args: &[String],
    is_switch: &dyn Fn(&str) -> bool,
) -> Result<Vec<Flag>, CliError> {
    let mut out: Vec<Flag> = Vec::new();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let Some(body) = arg.strip_prefix("--") else {
            // Most often a value given to a switch: name it, so the student knows where.
            let after = match out.last() {
                Some((name, None)) => format!(" after --{name}, which takes no value"),
                _ => String::new(),
            };
            return Err(CliError(format!(
                "unexpected argument '{arg}'{after}; flags start with --"
            )));
        };
        if let Some((name, value)) = body.split_once('=') {
            if is_switch(name) {
                return Err(CliError(format!(
                    "--{name} takes no value (given '{value}')"
                )));
            }
            out.push((name.to_string(), Some(value.to_string())));
        } else if is_switch(body) {
            out.push((body.to_string(), None));
        } else {
            let value = it
                .next()
                .ok_or_else(|| CliError(format!("--{body} needs a value")))?;
            out.push((body.to_string(), Some(value.clone())));
        }
    }
    Ok(out)
}

/// The experiment the flags describe: `--preset NAME`, then every Config key
/// (`--lr 0.01`, `--distort`, …) on top. Returns it with the flags that are not settings,
/// for the command's own options.
pub fn experiment(flags: &[Flag]) -> Result<(Config, Vec<Flag>), CliError> {
    let mut config = Config::default();
    if let Some((_, Some(name))) = flags.iter().find(|(n, _)| n == "preset") {
        config = Config::preset(name)?;
    }
    let mut settings = Vec::new();
    let mut rest = Vec::new();
    for (name, value) in flags {
        if name == "preset" {
            continue;
        }
        match setting_of(name, value.as_deref()) {
            Some(setting) => settings.push(setting),
            None => rest.push((name.clone(), value.clone())),
        }
    }
    match config.apply(&settings).into_iter().next() {
        Some(e) => Err(e.into()),
        None => Ok((config, rest)),
    }
}

/// The setting a flag sets, as `(key, value)`: `--KEY VALUE` for a setting with a value,
/// `--KEY` and `--no-KEY` for a true/false one.
fn setting_of<'a>(name: &str, value: Option<&'a str>) -> Option<(&'static str, &'a str)> {
    let (key, switched) = match name.strip_prefix("no-") {
        Some(key) => (key, "false"),
        None => (name, "true"),
    };
    match (Setting::find(key)?, value) {
        (s, None) if s.arg.is_none() => Some((s.key, switched)),
        (s, Some(value)) if s.arg.is_some() && key == name => Some((s.key, value)),
        _ => None,
    }
}

/// The switches every command that takes an experiment's flags accepts: `--help`, and
/// `--KEY` / `--no-KEY` for each true/false setting.
pub fn is_experiment_switch(name: &str) -> bool {
    name == "help"
        || SETTING_TABLE
            .iter()
            .any(|s| s.arg.is_none() && (name == s.key || name.strip_prefix("no-") == Some(s.key)))
}
