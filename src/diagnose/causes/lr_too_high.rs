//! The learning rate is too high: the run diverged, collapsed to chance, memorised the
//! training rows at once, or overshoots. The rule, its fix (a rate ten times lower) and its
//! explanation.

use super::fixes::{pair, plain_number};
use super::{cause, epoch_text, pct, rounded, Observations};
use crate::config::{limits, Config, OptimizerKind};
use crate::diagnose::curves::{climb_ratio, first_below, mean_last};
use crate::diagnose::thresholds::{
    initial_l2_penalty, ADAPTIVE_HIGH_LR, CLIMB_RATIO, EARLY_EPOCHS, EXTREME_LOSS, FINAL_EPOCHS,
    FITS_TRAINING, HANDFUL_EPOCHS, HANDFUL_STEPS, MEMORISED_LOSS, MENTION, MIN_EPOCHS,
};
use crate::diagnose::{Cause, CauseId, Chance, Evidence};

pub(super) fn detect(run: &Observations) -> Option<Cause> {
    let lr = run.config.learning_rate;
    let memorised_epoch = first_below(run.loss, MEMORISED_LOSS);
    let steps_per_epoch = run
        .train_samples
        .div_ceil(run.config.batch_size.max(1))
        .max(1);
    let collapsed = memorised_epoch
        .is_some_and(|e| e <= HANDFUL_EPOCHS && e * steps_per_epoch <= HANDFUL_STEPS);
    let early_val_min = run
        .plateau
        .val_loss_best_epoch
        .is_some_and(|e| e <= EARLY_EPOCHS);
    // Rises smaller than one training sample crossing the boundary are shuffling noise.
    let noise = (0.6f64 / 0.4).ln() / run.train_samples.max(1) as f64;
    let denoised: Vec<f64> = denoise(run.loss, noise);
    let climb = climb_ratio(&denoised);
    let final_train_loss = (!run.loss.is_empty()).then(|| mean_last(run.loss, FINAL_EPOCHS));
    let collapsed_to_chance = run.collapsed();
    let lowest_val_loss = run.plateau.best_val_loss;
    // Validation loss never came near where a network starts (ln 2, ln k for `k` classes):
    // the very first steps made the predictions so extreme that the wrong ones cost more than
    // knowing nothing, many times over. (Where it starts, not chance's loss: on unbalanced
    // classes that is lower, and a run that merely learned nothing would pass for extreme.
    // Above the L2 penalty, which the validation loss includes: a strong penalty on a deep
    // network alone is several times ln 2, and a slow rate takes the whole run to work it off.)
    let start = run.chance.start_loss();
    let overconfident_at_once =
        lowest_val_loss.is_some_and(|l| l - initial_l2_penalty(run.config) > EXTREME_LOSS * start);
    let mut confidence: f64 = 0.0;
    if run.diverged_epoch.is_some() || collapsed_to_chance {
        confidence = 1.0;
    }
    if overconfident_at_once {
        confidence = confidence.max(0.9);
    }
    // Adam and RMSprop move every weight by about `lr` a step: from 0.1 on that is the
    // weights' whole initial size, and a run that cannot even fit its training rows at such a
    // rate is thrown about rather than short of capacity.
    let adaptive = run.config.optimizer != OptimizerKind::Sgd;
    let adaptive_high = adaptive && lr >= ADAPTIVE_HIGH_LR && run.epochs() >= MIN_EPOCHS;
    let thrown_about = adaptive_high && run.train_accuracy() < FITS_TRAINING;
    // The same steps on a run that does fit its rows fit them within a few epochs, in jumps
    // of the weights' whole size, and what follows looks like overfitting: the rate comes
    // first, since no regulariser makes such steps small (Keras's default rate is 0.001).
    if adaptive_high {
        confidence = confidence.max(0.6);
    }
    if collapsed && early_val_min {
        // Both signs together are the article's lr 0.1 run in Keras: memorised at once.
        confidence = confidence.max(0.9);
    } else if collapsed {
        confidence = confidence.max(0.6);
    }
    if climb >= CLIMB_RATIO {
        // 0.5 → 0.5, 1 (climbed back all it fell) or more → 1. But a run that fits its
        // training rows (a long run, its loss near 0) climbs only by the noise of a tiny loss:
        // the optimiser copes with that rate, and what follows is overfitting. Possible only.
        // (Not for Adam or RMSprop from `ADAPTIVE_HIGH_LR`: there the climbs are the rate's.)
        let fits = run.train_accuracy() >= FITS_TRAINING && !(adaptive && lr >= ADAPTIVE_HIGH_LR);
        let climb_confidence = if fits { 0.4 } else { climb.min(1.0) };
        confidence = confidence.max(climb_confidence);
    }
    if confidence < MENTION {
        return None;
    }
    let evidence = Evidence::LrTooHigh {
        learning_rate: lr,
        collapsed: collapsed_to_chance,
        peak_val_accuracy: run.plateau.best_val_accuracy,
        peak_epoch: run.plateau.best_epoch,
        final_train_accuracy: (!run.accuracy.is_empty()).then(|| run.train_accuracy()),
        dead_relu_fraction: run.dead_units,
        diverged_epoch: run.diverged_epoch,
        memorised_epoch,
        memorised_at_once: collapsed,
        val_loss_best_epoch: run.plateau.counted_loss_epoch,
        climb_ratio: rounded(climb, 3),
        lowest_train_loss: run.loss.iter().copied().reduce(f64::min),
        final_train_loss,
        lowest_val_loss,
        overconfident_at_once,
        unfit_at_adaptive_rate: thrown_about,
        adaptive_high_rate: adaptive_high,
        chance: run.chance,
    };
    Some(cause(
        CauseId::LrTooHigh,
        confidence,
        evidence,
        fix(run.config),
    ))
}

/// The curve with every rise smaller than `noise` flattened out: it keeps the earlier value
/// until the curve moves by more than `noise` up, or goes down.
fn denoise(values: &[f64], noise: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(values.len());
    let mut level = f64::NAN;
    for &v in values {
        if level.is_nan() || v < level || v > level + noise {
            level = v;
        }
        out.push(level);
    }
    out
}

/// Chance's loss as the collapse's text gives it: "ln 2 = 0.693, the loss of predicting 50%
/// for every row" on two balanced classes, the figure and what it is otherwise.
fn chance_loss_text(chance: &Chance) -> String {
    if chance.is_coin_toss() {
        format!(
            "ln 2 = {:.3}, the loss of predicting 50% for every row",
            chance.loss
        )
    } else if chance.is_balanced() {
        format!(
            "ln {k} = {:.3}, the loss of predicting 1/{k} for every class",
            chance.loss,
            k = chance.classes
        )
    } else {
        format!(
            "{:.3}, the loss of predicting the training rows' class shares for every row (the \
             majority class is {} of them)",
            chance.loss,
            pct(chance.accuracy)
        )
    }
}

/// What a network starts near, in words: "predicting 50% for every row (ln 2)".
fn start_loss_text(classes: usize) -> String {
    if classes == 2 {
        "predicting 50% for every row (ln 2)".to_string()
    } else {
        format!("predicting 1/{classes} for every class (ln {classes})")
    }
}

/// A rate ten times lower, within the allowed range.
pub(super) fn fix(config: &Config) -> Vec<(String, String)> {
    vec![pair(
        "lr",
        plain_number((config.learning_rate / 10.0).max(limits::LEARNING_RATE.0)),
    )]
}

/// The cause in plain words, with its figures.
pub(super) fn explanation(evidence: &Evidence) -> String {
    match evidence {
        Evidence::LrTooHigh {
            learning_rate,
            collapsed,
            peak_val_accuracy,
            peak_epoch,
            final_train_accuracy,
            dead_relu_fraction,
            diverged_epoch,
            memorised_epoch,
            memorised_at_once,
            val_loss_best_epoch,
            climb_ratio,
            final_train_loss,
            lowest_val_loss,
            overconfident_at_once,
            unfit_at_adaptive_rate,
            adaptive_high_rate,
            chance,
            ..
        } => {
            let mut s = format!("The learning rate {learning_rate} is too high:");
            if *collapsed {
                s += &format!(
                    " the network learned (validation accuracy {} at epoch {}) and then \
                         collapsed to chance: over the last {FINAL_EPOCHS} epochs training \
                         accuracy averages {} and training loss {:.3}, about {}. Steps that \
                         large push units where no gradient flows",
                    pct(peak_val_accuracy.unwrap_or(f64::NAN)),
                    epoch_text(*peak_epoch),
                    pct(final_train_accuracy.unwrap_or(f64::NAN)),
                    final_train_loss.unwrap_or(f64::NAN),
                    chance_loss_text(chance),
                );
                s += &match dead_relu_fraction {
                    Some(d) => format!(
                        ": {:.0}% of the ReLU units are dead (0 on every training row).",
                        100.0 * d
                    ),
                    None => " (dead or saturated units).".to_string(),
                };
            } else if let (true, None, Some(l)) =
                (overconfident_at_once, diverged_epoch, lowest_val_loss)
            {
                s += &format!(
                    " validation loss never fell below {l:.2}, {:.0}× the loss of \
                         {}: from the first steps the predictions are extreme, and the wrong \
                         ones cost that much.",
                    l / chance.start_loss(),
                    start_loss_text(chance.classes)
                );
            } else if *unfit_at_adaptive_rate && diverged_epoch.is_none() {
                s += &format!(
                    " Adam and RMSprop move every weight by about the learning rate each \
                         step, here the weights' whole initial size, and the training rows are \
                         not even fitted (training accuracy {}, mean of the last \
                         {FINAL_EPOCHS} epochs): the weights are thrown about.",
                    pct(final_train_accuracy.unwrap_or(f64::NAN))
                );
            } else if let Some(e) = diverged_epoch {
                s += &format!(" training diverged (NaN or infinity) in epoch {e}.");
            } else if *memorised_at_once {
                s += &format!(
                    " the training loss collapses below {MEMORISED_LOSS} by epoch {}, so the \
                         training set is memorised at once, and validation loss is best at \
                         epoch {} and climbs after.",
                    epoch_text(*memorised_epoch),
                    epoch_text(*val_loss_best_epoch)
                );
            } else if *adaptive_high_rate {
                s += &format!(
                    " Adam and RMSprop move every weight by about the learning rate each \
                         step, here the weights' whole initial size (Keras's default rate is \
                         0.001): the training rows are fitted in jumps, not by descent, and \
                         validation loss is best at epoch {} and no better after.",
                    epoch_text(*val_loss_best_epoch)
                );
            } else {
                s += &format!(
                    " the training loss climbs back {:.0}% of what it fell: steps overshoot.",
                    100.0 * climb_ratio.min(9.99)
                );
            }
            s
        }
        _ => unreachable!("not LrTooHigh evidence"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn denoise_ignores_small_rises_only() {
        assert_eq!(
            denoise(&[1.0, 0.5, 0.505, 0.4, 0.9], 0.01),
            vec![1.0, 0.5, 0.5, 0.4, 0.9]
        );
    }

    /// The collapse's and the overconfident run's texts name chance as the data has it.
    #[test]
    fn the_texts_name_chance_as_the_data_has_it() {
        let evidence = |chance: Chance, collapsed: bool| Evidence::LrTooHigh {
            learning_rate: 0.3,
            collapsed,
            peak_val_accuracy: Some(0.9),
            peak_epoch: Some(3),
            final_train_accuracy: Some(0.629),
            dead_relu_fraction: None,
            diverged_epoch: None,
            memorised_epoch: None,
            memorised_at_once: false,
            val_loss_best_epoch: Some(3),
            climb_ratio: 0.0,
            lowest_train_loss: Some(0.6),
            final_train_loss: Some(0.661),
            lowest_val_loss: Some(4.0),
            overconfident_at_once: !collapsed,
            unfit_at_adaptive_rate: false,
            adaptive_high_rate: false,
            chance,
        };
        let text = |chance, collapsed| explanation(&evidence(chance, collapsed));
        let coin = text(Chance::balanced(2), true);
        assert!(
            coin.contains("about ln 2 = 0.693, the loss of predicting 50% for every row."),
            "{coin}"
        );
        let file = text(Chance::of_counts(&[169, 286]), true);
        assert!(
            file.contains(
                "about 0.660, the loss of predicting the training rows' class shares for every \
                 row (the majority class is 62.9% of them)."
            ),
            "{file}"
        );
        // Extreme from the first steps: measured from where a network starts, ln k.
        let two = text(Chance::of_counts(&[169, 286]), false);
        assert!(
            two.contains("4.00, 6× the loss of predicting 50% for every row (ln 2):"),
            "{two}"
        );
        let three = text(Chance::balanced(3), false);
        assert!(
            three.contains("4.00, 4× the loss of predicting 1/3 for every class (ln 3):"),
            "{three}"
        );
    }
}
