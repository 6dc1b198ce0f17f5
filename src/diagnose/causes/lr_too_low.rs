//! The learning rate is too low: the training loss still falls steadily, or has not started
//! to separate the classes. The rule, its fix (a rate ten times higher) and its explanation.

use super::fixes::{pair, plain_number};
use super::{cause, epoch_text, pct, rounded, Observations};
use crate::config::{limits, Config};
use crate::diagnose::curves::{falling_share_second_half, mean_last};
use crate::diagnose::thresholds::{
    FINAL_EPOCHS, MIN_EPOCHS, STEADY_SHARE, STILL_FALLING_PACE, STILL_LEARNING_MAX_LR,
};
use crate::diagnose::{Cause, CauseId, Evidence};

pub(super) fn detect(run: &Observations) -> Option<Cause> {
    if run.epochs() < MIN_EPOCHS || run.diverged_epoch.is_some() {
        return None;
    }
    let (first, second, pace) = run.pace()?;
    let falling_share = falling_share_second_half(run.loss);
    let slow = second > 0.0 && pace >= STILL_FALLING_PACE && falling_share >= STEADY_SHARE;
    // No plateau: validation improved within the patience. Whatever else is seen, the run is
    // still learning, and that leads (the headline says so too); see `still_learning_slowly`
    // for when a faster rate is no answer.
    let still_improving = run.still_learning_slowly();
    // Still at chance on the training rows, and the loss still going down step after step:
    // the network has not started to separate the classes yet, it is moving towards it, slowly.
    // (Not a collapse, which sits flat at chance's loss, and not at a rate already high.)
    let not_started = run.not_left_chance()
        && second > 0.0
        && falling_share >= STEADY_SHARE
        && !run.collapsed()
        && run.config.learning_rate <= STILL_LEARNING_MAX_LR;
    if !slow && !still_improving && !not_started {
        return None;
    }
    // pace 0.5 → 0.5, 1 (no slowing down at all) or more → 1; still improving, or not
    // started, at least 0.6.
    let confidence =
        if slow { pace.min(1.0) } else { 0.0 }.max(if still_improving || not_started {
            0.6
        } else {
            0.0
        });
    let lr = run.config.learning_rate;
    let evidence = Evidence::LrTooLow {
        learning_rate: lr,
        first_half_drop: rounded(first, 4),
        second_half_drop: rounded(second, 4),
        pace_ratio: rounded(pace, 3),
        falling_share: rounded(falling_share, 3),
        final_train_loss: mean_last(run.loss, FINAL_EPOCHS),
        final_train_accuracy: run.train_accuracy(),
        still_improving,
        not_started,
        last_improvement_epoch: run.plateau.last_improvement_epoch,
        chance: run.chance,
    };
    Some(cause(
        CauseId::LrTooLow,
        confidence,
        evidence,
        fix(run.config),
    ))
}

/// A rate ten times higher, within the allowed range.
pub(super) fn fix(config: &Config) -> Vec<(String, String)> {
    vec![pair(
        "lr",
        plain_number((config.learning_rate * 10.0).min(limits::LEARNING_RATE.1)),
    )]
}

/// The cause in plain words, with its figures.
pub(super) fn explanation(evidence: &Evidence) -> String {
    match evidence {
        Evidence::LrTooLow {
            learning_rate,
            first_half_drop,
            second_half_drop,
            pace_ratio,
            falling_share,
            final_train_accuracy,
            still_improving,
            not_started,
            last_improvement_epoch,
            chance,
            ..
        } => {
            let slow = *pace_ratio >= STILL_FALLING_PACE && *falling_share >= STEADY_SHARE;
            let mut s = if *not_started && !slow && !still_improving {
                let majority = if chance.is_balanced() {
                    String::new()
                } else {
                    format!(
                        "; the majority class is {} of the training rows",
                        pct(chance.accuracy)
                    )
                };
                format!(
                    "The learning rate {learning_rate} is too low: training accuracy is still \
                         at chance ({}, mean of the last {FINAL_EPOCHS} epochs{majority}) while \
                         the training loss keeps falling ({second_half_drop:.3} in the second \
                         half of the run): the network has not started to separate the classes \
                         yet.",
                    pct(*final_train_accuracy)
                )
            } else if slow {
                format!(
                    "The learning rate {learning_rate} is too low: the training loss is \
                         still falling steadily ({first_half_drop:.3} in the first half of the \
                         run, {second_half_drop:.3} in the second), far from converged; \
                         training accuracy is only {} (mean of the last {FINAL_EPOCHS} epochs).",
                    pct(*final_train_accuracy)
                )
            } else {
                format!(
                    "Still learning: the training loss still falls ({second_half_drop:.3} \
                         in the second half of the run); training accuracy {} (mean of the \
                         last {FINAL_EPOCHS} epochs).",
                    pct(*final_train_accuracy)
                )
            };
            if *still_improving {
                s += &format!(
                    " No plateau yet: validation accuracy or loss improved at epoch {}, \
                         within the last epochs. Train longer, or raise the learning rate to \
                         get there sooner.",
                    epoch_text(*last_improvement_epoch)
                );
            } else if !*not_started || slow {
                s += " It is still learning, slowly.";
            }
            s
        }
        _ => unreachable!("not LrTooLow evidence"),
    }
}
