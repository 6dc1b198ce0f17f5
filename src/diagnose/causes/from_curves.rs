//! The rules for a run made elsewhere, read from its curves alone: no config, no data, no
//! network. What the curves can show, each cause's fix as a line of Keras to try, and the
//! texts. The same thresholds as Plateau's own rules, read the same way where the curves
//! allow; what needs the model is left out rather than guessed:
//! - the feature scales are not seen, only a first loss far above where unit-scale inputs
//!   start (ln k), which points to them;
//! - the parameter count is unknown, so overfitting is never capped nor raised by the
//!   capacity to memorise, and underfitting (which needs the model's shape) is not offered;
//! - the learning rate, the batch size and the optimizer are unknown: "ten times lower" is
//!   said of the student's own rate, and memorising within a handful of epochs is only a
//!   possible sign (how many steps an epoch made is unknown);
//! - the validation rows, when not given, leave the gap's noise unknown: only a rising
//!   validation loss can make overfitting present.

use super::{cause, noisy_validation, pct, rounded};
use crate::diagnose::curves::halves_drop;
use crate::diagnose::curves::{climb_ratio, falling_share_second_half, first_below, mean_last};
use crate::diagnose::thresholds::{
    CLIMB_RATIO, EARLY_EPOCHS, EXTREME_LOSS, FINAL_EPOCHS, FITS_TRAINING, GIVE_BACK,
    HANDFUL_EPOCHS, MEMORISED_LOSS, MIN_EPOCHS, POSSIBLE, RISE_SAMPLES, SATURATED_LOSS,
    SIGNIFICANT_SE, STEADY_SHARE, STILL_FALLING_PACE, STILL_LEARNING_PACE,
};
use crate::diagnose::{Cause, CauseId, Chance, Evidence, Plateau};

/// What the curve rules read: the finite part of the curves (the accuracies empty when the
/// history has none), and what is known beside them.
pub(crate) struct Curves<'a> {
    pub loss: &'a [f64],
    pub accuracy: &'a [f64],
    pub val_loss: &'a [f64],
    pub val_accuracy: &'a [f64],
    pub diverged_epoch: Option<usize>,
    pub plateau: &'a Plateau,
    /// Balanced classes, `k` given or two assumed: where a network starts (ln k).
    pub chance: Chance,
    pub classes_assumed: bool,
    pub val_samples: Option<usize>,
}

impl Curves<'_> {
    fn epochs(&self) -> usize {
        self.loss.len()
    }
    fn final_of(values: &[f64]) -> Option<f64> {
        (!values.is_empty()).then(|| mean_last(values, FINAL_EPOCHS))
    }
}

/// The causes the curves point to, unranked.
pub(crate) fn from_curves(run: &Curves) -> Vec<Cause> {
    let noisy = run
        .val_samples
        .and_then(|n| noisy_validation::of_validation(n, Curves::final_of(run.val_accuracy)));
    [
        first_loss(run),
        unstable(run),
        slow_fall(run),
        gap(run),
        noisy,
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn with_keras(mut cause: Cause, line: &str) -> Cause {
    cause.keras_fix = Some(line.to_string());
    cause
}

/// The first epoch's loss at `SATURATED_LOSS` × ln k or more: 2× → 0.5, 4× or more → 1.
fn first_loss(run: &Curves) -> Option<Cause> {
    let &initial = run.loss.first()?;
    let start = run.chance.start_loss();
    let times = initial / start;
    if times < SATURATED_LOSS {
        return None;
    }
    let evidence = Evidence::FirstLoss {
        initial_loss: initial,
        unit_scale_initial_loss: start,
        times: rounded(times, 1),
        classes_assumed: run.classes_assumed,
    };
    let confidence = (times.log2() / 2.0).min(1.0);
    Some(with_keras(
        cause(CauseId::UnscaledFeatures, confidence, evidence, Vec::new()),
        "scaler = sklearn.preprocessing.StandardScaler(); x_train = scaler.fit_transform(x_train); \
         x_val = scaler.transform(x_val)",
    ))
}

/// Diverged (1), extreme validation loss from the start (0.9), the training loss climbing
/// back (its climb ratio, 0.4 once the training rows are fitted), or memorised within a
/// handful of epochs with validation best early (possible: the steps an epoch are unknown).
fn unstable(run: &Curves) -> Option<Cause> {
    let lowest_val_loss = run.plateau.best_val_loss;
    let overconfident_at_once =
        lowest_val_loss.is_some_and(|l| l > EXTREME_LOSS * run.chance.start_loss());
    let memorised_epoch = first_below(run.loss, MEMORISED_LOSS).filter(|&e| e <= HANDFUL_EPOCHS);
    let early_val_min = run
        .plateau
        .val_loss_best_epoch
        .is_some_and(|e| e <= EARLY_EPOCHS);
    let climb = climb_ratio(run.loss);
    let mut confidence: f64 = 0.0;
    if run.diverged_epoch.is_some() {
        confidence = 1.0;
    }
    if overconfident_at_once {
        confidence = confidence.max(0.9);
    }
    if memorised_epoch.is_some() && early_val_min {
        confidence = confidence.max(POSSIBLE);
    }
    if climb >= CLIMB_RATIO {
        let fits = Curves::final_of(run.accuracy).is_some_and(|a| a >= FITS_TRAINING);
        confidence = confidence.max(if fits { 0.4 } else { climb.min(1.0) });
    }
    if confidence == 0.0 {
        return None;
    }
    let evidence = Evidence::Unstable {
        diverged_epoch: run.diverged_epoch,
        lowest_val_loss,
        overconfident_at_once,
        memorised_epoch,
        val_loss_best_epoch: run.plateau.counted_loss_epoch,
        climb_ratio: rounded(climb, 3),
    };
    Some(with_keras(
        cause(CauseId::LrTooHigh, confidence, evidence, Vec::new()),
        "optimizer=keras.optimizers.Adam(learning_rate=1e-4)  # ten times below your rate \
         (Adam's default is 1e-3)",
    ))
}

/// The training loss's second half falls at least half as much as its first, most epochs of
/// it lower (its pace, up to 1); or no plateau yet with the loss still falling and the
/// training rows not fitted (0.6).
fn slow_fall(run: &Curves) -> Option<Cause> {
    if run.epochs() < MIN_EPOCHS || run.diverged_epoch.is_some() {
        return None;
    }
    let (first, second) = halves_drop(run.loss)?;
    let pace = if first > 0.0 {
        second / first
    } else if second > 0.0 {
        f64::INFINITY
    } else {
        0.0
    };
    let falling_share = falling_share_second_half(run.loss);
    let slow = second > 0.0 && pace >= STILL_FALLING_PACE && falling_share >= STEADY_SHARE;
    let unfitted = Curves::final_of(run.accuracy).is_none_or(|a| a < FITS_TRAINING);
    let still_improving = run.plateau.plateau_epoch.is_none()
        && second > 0.0
        && pace >= STILL_LEARNING_PACE
        && unfitted;
    if !slow && !still_improving {
        return None;
    }
    let confidence =
        if slow { pace.min(1.0) } else { 0.0 }.max(if still_improving { 0.6 } else { 0.0 });
    let evidence = Evidence::SlowFall {
        first_half_drop: rounded(first, 4),
        second_half_drop: rounded(second, 4),
        pace_ratio: rounded(pace, 3),
        falling_share: rounded(falling_share, 3),
        still_improving,
        last_improvement_epoch: run.plateau.last_improvement_epoch,
    };
    Some(with_keras(
        cause(CauseId::LrTooLow, confidence, evidence, Vec::new()),
        "optimizer=keras.optimizers.Adam(learning_rate=1e-2)  # ten times above your rate; or \
         more epochs",
    ))
}

/// Plateau's overfitting rule without the parameter count: validation loss rising from its
/// best while training loss kept falling (0.6 × the share of the gain undone over
/// `GIVE_BACK`), and a gap of two standard errors in accuracy when the validation rows are
/// known (0.3).
fn gap(run: &Curves) -> Option<Cause> {
    if run.epochs() < MIN_EPOCHS || run.diverged_epoch.is_some() {
        return None;
    }
    let p = run.plateau;
    let (best_epoch, best) = p.counted_loss_epoch.zip(p.counted_val_loss)?;
    let final_val_loss = mean_last(run.val_loss, FINAL_EPOCHS);
    let rose = match run.val_samples {
        Some(_) => (final_val_loss - best) / p.settings.min_delta_loss >= RISE_SAMPLES,
        None => final_val_loss > best,
    };
    let gained = run.val_loss[0].max(run.chance.loss) - best;
    let given_back = if gained > 0.0 {
        (final_val_loss - best) / gained
    } else {
        f64::INFINITY
    };
    let train_kept_falling = mean_last(run.loss, FINAL_EPOCHS) < run.loss[best_epoch - 1];
    let worsening = if rose && train_kept_falling {
        (given_back / GIVE_BACK).min(1.0)
    } else {
        0.0
    };
    let (train, val) = (
        Curves::final_of(run.accuracy),
        Curves::final_of(run.val_accuracy),
    );
    let gap = train.zip(val).map(|(t, v)| t - v);
    let gap_se = gap
        .zip(run.val_samples)
        .zip(val)
        .map(|((g, n), v)| g / super::accuracy_se(v, n));
    let significant = gap_se.is_some_and(|se| se >= SIGNIFICANT_SE);
    let confidence = 0.6 * worsening + 0.3 * significant as u8 as f64;
    if confidence < crate::diagnose::MENTION {
        return None;
    }
    let evidence = Evidence::Gap {
        train_accuracy: train,
        val_accuracy: val,
        gap_points: gap.map(|g| rounded(100.0 * g, 1)),
        gap_standard_errors: gap_se.map(|s| rounded(s, 2)),
        val_loss_best_epoch: best_epoch,
        best_val_loss: best,
        final_val_loss,
        val_loss_given_back: rounded(given_back.min(99.0), 3),
        training_loss_kept_falling: train_kept_falling,
        knowing_nothing_loss: run.chance.loss,
    };
    Some(with_keras(
        cause(CauseId::Overfitting, confidence, evidence, Vec::new()),
        "keras.layers.Dense(..., kernel_regularizer=keras.regularizers.L2(0.01)) on each \
         hidden layer",
    ))
}

/// The cause in plain words, with its figures.
pub(super) fn explanation(evidence: &Evidence) -> String {
    match evidence {
        Evidence::FirstLoss {
            initial_loss,
            unit_scale_initial_loss,
            times,
            classes_assumed,
        } => {
            let assumed = if *classes_assumed {
                " (read as two classes; give the class count if there are more)"
            } else {
                ""
            };
            format!(
                "The first epoch's training loss is {initial_loss:.2}, {times:.1}× the \
                 {unit_scale_initial_loss:.2} where a network on unit-scale inputs starts\
                 {assumed}: features on large scales saturate the first layer. Standardize \
                 them (StandardScaler) first. (A regularizer's penalty in the loss, or a rate \
                 so high that the first epoch overshoots, would show this too.)"
            )
        }
        Evidence::Unstable {
            diverged_epoch,
            lowest_val_loss,
            overconfident_at_once,
            memorised_epoch,
            val_loss_best_epoch,
            climb_ratio,
        } => {
            let sign = if let Some(e) = diverged_epoch {
                format!("training diverged: the loss is NaN or infinite from epoch {e}")
            } else if let (true, Some(l)) = (overconfident_at_once, lowest_val_loss) {
                format!(
                    "validation loss never fell below {l:.2}: from the first steps the \
                     predictions are extreme"
                )
            } else if *climb_ratio >= CLIMB_RATIO {
                format!(
                    "the training loss climbs back {:.0}% of what it fell: steps overshoot",
                    100.0 * climb_ratio.min(9.99)
                )
            } else {
                format!(
                    "the training loss is below {MEMORISED_LOSS} by epoch {}, the training \
                     rows memorised at once, and validation loss is best at epoch {} (whether \
                     that is fast because the steps are large or because an epoch has many \
                     of them, the curves cannot tell)",
                    memorised_epoch.map_or("-".into(), |e| e.to_string()),
                    val_loss_best_epoch.map_or("-".into(), |e| e.to_string())
                )
            };
            format!("The learning rate looks too high: {sign}. Try a rate ten times lower.")
        }
        Evidence::SlowFall {
            first_half_drop,
            second_half_drop,
            still_improving,
            last_improvement_epoch,
            pace_ratio,
            falling_share,
        } => {
            let slow = *pace_ratio >= STILL_FALLING_PACE && *falling_share >= STEADY_SHARE;
            let mut s = if slow {
                format!(
                    "The learning rate looks too low: the training loss is still falling \
                     steadily ({first_half_drop:.3} in the first half of the run, \
                     {second_half_drop:.3} in the second), far from converged."
                )
            } else {
                format!(
                    "Still learning: the training loss still falls ({second_half_drop:.3} in \
                     the second half of the run)."
                )
            };
            if *still_improving {
                s += &format!(
                    " No plateau yet: validation improved at epoch {}, within the last epochs. \
                     Train longer, or raise the learning rate to get there sooner.",
                    last_improvement_epoch.map_or("-".into(), |e| e.to_string())
                );
            }
            s
        }
        Evidence::Gap {
            train_accuracy,
            val_accuracy,
            gap_points,
            gap_standard_errors,
            val_loss_best_epoch,
            best_val_loss,
            final_val_loss,
            val_loss_given_back,
            training_loss_kept_falling,
            knowing_nothing_loss,
        } => {
            let mut s = String::new();
            if let (Some(t), Some(v), Some(g)) = (train_accuracy, val_accuracy, gap_points) {
                let noise = match gap_standard_errors {
                    Some(se) => format!(", {se:.1} standard errors"),
                    None => ", its noise unknown without the validation rows".to_string(),
                };
                s += &format!(
                    "Training accuracy {} against validation {} (means of the last \
                     {FINAL_EPOCHS} epochs; a gap of {g:.1} points{noise}). ",
                    pct(*t),
                    pct(*v)
                );
            }
            if final_val_loss > best_val_loss && *training_loss_kept_falling {
                let undone = if final_val_loss > knowing_nothing_loss {
                    format!(", worse than knowing nothing ({knowing_nothing_loss:.2})")
                } else if *val_loss_given_back >= 99.0 {
                    String::new()
                } else {
                    format!(", undoing {:.0}% of its gain", 100.0 * val_loss_given_back)
                };
                s += &format!(
                    "Validation loss was best at epoch {val_loss_best_epoch} \
                     ({best_val_loss:.2}) and rose to {final_val_loss:.2}{undone}, while \
                     training loss kept falling: the model memorises the training rows and \
                     grows overconfident."
                );
            } else {
                s += "Validation loss is not rising, so this is mostly the usual gap.";
            }
            s
        }
        _ => unreachable!("not the evidence of a history read from its curves"),
    }
}
