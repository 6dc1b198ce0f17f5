//! `plateau lr-find`: the learning-rate range test on the settings the flags describe (see
//! `plateau::train::lr_find`), with the suggested rate and its rule.

use crate::flags::{experiment, is_experiment_switch, parse_flags};
use crate::CliError;
use plateau::config::limits;
use plateau::train::{lr_find, LrFind, STEPS};

const HELP: &str = "plateau lr-find [--preset NAME] [run flags] [--json]

The learning-rate range test (Smith; fastai's lr_find): one run from the settings' initial
weights whose rate grows exponentially from 1e-6 to 1 over 200 batches, the smoothed training
loss of each batch against its rate, stopped once the loss is 4x its lowest. The suggested
rate: the rate at the lowest smoothed loss, divided by 10, within the learning-rate control's
range; none when the loss never turned up (no valley). Flags are plateau run's (see plateau run --help; --lr is the finder's to choose).
--json prints {\"suggested_lr\", \"rule\", \"lrs\", \"losses\"}.
";

pub fn cmd_lr_find(args: &[String]) -> Result<(), CliError> {
    let flags = parse_flags(args, &|n| is_experiment_switch(n) || n == "json")?;
    if flags.iter().any(|(n, _)| n == "help") {
        print!("{HELP}");
        return Ok(());
    }
    let (config, rest) = experiment(&flags)?;
    let mut json = false;
    for (name, value) in &rest {
        match (name.as_str(), value) {
            ("json", None) => json = true,
            _ => {
                return Err(CliError(format!(
                    "unknown flag --{name} (see plateau lr-find --help)"
                )))
            }
        }
    }
    config.validate()?;
    let prepared = config.prepare()?;
    let mut found = lr_find(
        &config.train_spec(),
        prepared.train.clone(),
        prepared.val.clone(),
        STEPS,
    )
    .map_err(|e| CliError(format!("--{}: {}", e.field, e.message)))?;
    // A rate the control can be set to, so that "use it" is one click.
    found.suggested_lr = found
        .suggested_lr
        .map(|lr| lr.clamp(limits::LEARNING_RATE.0, limits::LEARNING_RATE.1));
    if json {
        println!("{}", serde_json::to_string(&found).expect("plain numbers"));
    } else {
        print!("{}", text(&found));
    }
    Ok(())
}

/// The finder's curve as `lr loss` lines, then the suggestion.
fn text(found: &LrFind) -> String {
    let mut s = String::from("# lr smoothed_training_loss\n");
    for (lr, loss) in found.lrs.iter().zip(&found.losses) {
        s.push_str(&format!("{lr:.3e} {loss:.6}\n"));
    }
    match found.suggested_lr {
        Some(lr) => s.push_str(&format!("suggested learning rate: {lr} ({})\n", found.rule)),
        None => s.push_str(
            "no suggestion: the smoothed training loss never fell below its start, or was still \
             falling at the largest rate tried (no valley; on a few rows the finder's batches are \
             many epochs, and the network memorises them at any rate that moves it)\n",
        ),
    }
    s
}
