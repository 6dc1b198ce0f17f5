//! Nothing is wrong with training: the model reached (or is close to) what its training rows
//! allow. The rule and its explanation: no fix, since more rows are the data's limit, measured
//! apart (`CauseId::MoreData`), not a change to the setup.

use super::{cause, epoch_text, pct, Observations};
use crate::diagnose::thresholds::{FINAL_EPOCHS, MENTION, MIN_EPOCHS, PRESENT};
use crate::diagnose::{Cause, CauseId, Evidence};

/// Nothing wrong: as confident as the strongest problem is not.
pub(super) fn detect(run: &Observations, problems: &[Cause]) -> Option<Cause> {
    // Not while a faster rate would still get further, and never at chance: that is not a
    // model that reached what the data allows. Without a plateau it is converging, still
    // learning but only just, and its text says that instead (`Evidence::Converged`).
    if run.epochs() < MIN_EPOCHS
        || run.diverged_epoch.is_some()
        || run.still_learning_slowly()
        || run.at_chance()
    {
        return None;
    }
    let worst = problems
        .iter()
        .filter(|c| c.id.is_setup())
        .map(|c| c.confidence)
        .fold(0.0, f64::max);
    let confidence = 1.0 - worst;
    if confidence < MENTION {
        return None;
    }
    let evidence = Evidence::Converged {
        train_accuracy: run.train_accuracy(),
        val_accuracy: run.val_accuracy(),
        best_val_accuracy: run.plateau.best_val_accuracy,
        plateau_epoch: run.plateau.plateau_epoch,
        train_samples: run.train_samples,
        still_learning: run.no_plateau(),
        last_improvement_epoch: run.plateau.last_improvement_epoch,
        behind_others: worst >= PRESENT,
        rows_fixed: run.config.data.is_some(),
    };
    Some(cause(CauseId::Converged, confidence, evidence, Vec::new()))
}

/// The cause in plain words, with its figures.
pub(super) fn explanation(evidence: &Evidence) -> String {
    match evidence {
        Evidence::Converged {
            train_accuracy,
            val_accuracy,
            train_samples,
            still_learning,
            last_improvement_epoch,
            behind_others,
            rows_fixed,
            ..
        } => {
            let limit = format!(
                "what {train_samples} training rows allow (validation accuracy {}, mean of the \
                 last {FINAL_EPOCHS} epochs)",
                pct(*val_accuracy)
            );
            let more_rows = if *rows_fixed {
                "Whether more rows would raise it cannot be measured: the file's rows are all \
                 there are."
            } else {
                "Whether more rows would raise it is the data's limit, which the experiments measure."
            };
            match (*still_learning, *behind_others) {
                (true, _) => format!(
                    "Still learning, but only just: validation last improved at epoch {} (no \
                     plateau yet), with training accuracy already at {}. {}{limit}: training \
                     longer only polishes it. {more_rows}",
                    epoch_text(*last_improvement_epoch),
                    pct(*train_accuracy),
                    if *behind_others {
                        "Unless the causes above hold it back, the model is close to "
                    } else {
                        "The model is close to "
                    }
                ),
                (false, false) => {
                    format!(
                        "Nothing is wrong with training: the model reached {limit}. {more_rows}"
                    )
                }
                (false, true) => format!(
                    "Unless the causes above hold it back, the model is near {limit}. \
                     {more_rows}"
                ),
            }
        }
        _ => unreachable!("not Converged evidence"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converged(rows_fixed: bool) -> Evidence {
        Evidence::Converged {
            train_accuracy: 0.95,
            val_accuracy: 0.9,
            best_val_accuracy: Some(0.92),
            plateau_epoch: Some(40),
            train_samples: 160,
            still_learning: false,
            last_improvement_epoch: Some(30),
            behind_others: false,
            rows_fixed,
        }
    }

    #[test]
    fn a_files_rows_are_not_offered_as_a_measured_limit() {
        let generated = explanation(&converged(false));
        assert!(generated.contains("the data's limit, which the experiments measure"));
        let file = explanation(&converged(true));
        assert!(file.contains("cannot be measured: the file's rows are all there are"));
        assert!(!file.contains("the experiments measure"), "{file}");
        // Only a file's evidence carries the flag: generated data's JSON is as it was.
        let json = |e: &Evidence| serde_json::to_value(e).unwrap();
        assert!(json(&converged(false)).get("rows_fixed").is_none());
        assert_eq!(json(&converged(true))["rows_fixed"], true);
    }
}
