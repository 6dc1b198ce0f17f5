//! What the rules read about one run: its finite curves, its data's shape and its config,
//! with the summaries several rules share (final figures, the curve's pace, whether it
//! collapsed or is still learning), so that every rule reads them the same way.

use crate::config::Config;
use crate::diagnose::curves::{halves_drop, mean_last};
use crate::diagnose::plateau::Plateau;
use crate::diagnose::thresholds::{
    COLLAPSE_LOSS_BAND, FINAL_EPOCHS, FITS_TRAINING, MIN_EPOCHS, SIGNIFICANT_SE,
    STILL_LEARNING_MAX_LR, STILL_LEARNING_PACE,
};
use crate::diagnose::Chance;

/// What every detector reads: the finite part of the curves (all the same length) and the
/// data's shape.
pub(crate) struct Observations<'a> {
    pub config: &'a Config,
    /// What a network that learned nothing scores on this data: every comparison with chance
    /// reads it.
    pub chance: Chance,
    pub feature_std: &'a [f64],
    pub train_samples: usize,
    pub val_samples: usize,
    pub parameters: usize,
    pub loss: &'a [f64],
    pub accuracy: &'a [f64],
    pub val_loss: &'a [f64],
    pub val_accuracy: &'a [f64],
    pub diverged_epoch: Option<usize>,
    pub plateau: &'a Plateau,
    /// Share of dead ReLU units in the trained network, when known (`units.rs`).
    pub dead_units: Option<f64>,
}

impl Observations<'_> {
    pub(super) fn epochs(&self) -> usize {
        self.loss.len()
    }
    pub(super) fn train_accuracy(&self) -> f64 {
        mean_last(self.accuracy, FINAL_EPOCHS)
    }
    pub(super) fn val_accuracy(&self) -> f64 {
        mean_last(self.val_accuracy, FINAL_EPOCHS)
    }
    pub(super) fn parameters_per_sample(&self) -> f64 {
        self.parameters as f64 / self.train_samples.max(1) as f64
    }
    /// Standard error of the validation accuracy, floored at half a sample so that a perfect
    /// score on a few rows is not taken as exact.
    pub(super) fn val_accuracy_se(&self) -> f64 {
        accuracy_se(self.val_accuracy(), self.val_samples)
    }
    /// It learned something (validation accuracy peaked) and then fell back to chance,
    /// training loss ≈ chance's (ln 2 on balanced classes) and training accuracy not above
    /// chance's, flat: steps so large they pushed
    /// the units into dead (ReLU) or saturated (tanh, sigmoid) ranges where no gradient flows.
    pub(crate) fn collapsed(&self) -> bool {
        if self.epochs() < MIN_EPOCHS {
            return false;
        }
        let at_chance = (mean_last(self.loss, FINAL_EPOCHS) - self.chance.loss).abs()
            < COLLAPSE_LOSS_BAND
            && self.not_left_chance()
            && halves_drop(self.loss).is_some_and(|(_, second)| second.abs() < COLLAPSE_LOSS_BAND);
        let fell_back = self.plateau.best_val_accuracy.is_some_and(|best| {
            best - self.val_accuracy() >= SIGNIFICANT_SE * self.val_accuracy_se()
        });
        at_chance && fell_back
    }

    /// The headline says "No plateau yet": enough epochs to read, not diverged, and validation
    /// improved within the patience. No cause may then call the curves flat or the run
    /// converged: the student reads both at once.
    pub(crate) fn no_plateau(&self) -> bool {
        self.epochs() >= MIN_EPOCHS
            && self.diverged_epoch.is_none()
            && self.plateau.plateau_epoch.is_none()
    }

    /// Still learning: no plateau, and the training loss still falling, either at a pace or
    /// while more training rows get fitted (training accuracy up by two standard errors over
    /// the second half). A flat curve whose validation gains a sample by chance late in the
    /// run is neither. Smooth runs bend without stopping: SGD at 0.01 on the article's data
    /// has its loss's second half fall 0.36 of its first while training accuracy climbs 8
    /// points (2 standard errors are 5). Falling at every epoch is not enough: with many steps
    /// an epoch a converged loss still falls by a hair each epoch, its accuracy flat.
    pub(crate) fn still_improving(&self) -> bool {
        self.no_plateau()
            && self.pace().is_some_and(|(_, second, pace)| {
                second > 0.0
                    && (pace >= STILL_LEARNING_PACE
                        || self.train_accuracy_rise() >= SIGNIFICANT_SE * self.train_accuracy_se())
            })
    }

    /// How far training accuracy rose over the second half of the run.
    fn train_accuracy_rise(&self) -> f64 {
        halves_drop(self.accuracy).map_or(0.0, |(_, second)| -second)
    }

    /// Standard error of the final training accuracy over the training rows, floored at half
    /// a row like the validation one.
    fn train_accuracy_se(&self) -> f64 {
        accuracy_se(self.train_accuracy(), self.train_samples)
    }

    /// Still learning where a faster rate would get there sooner: the rate not already high
    /// (ten times 0.03 or more is no way to get there sooner), and the training rows not yet
    /// fitted. Once they are, a faster rate cannot fit them faster: what still moves is the
    /// loss's polishing, the run is converging (`converged` says so, in those words).
    pub(crate) fn still_learning_slowly(&self) -> bool {
        self.still_improving()
            && self.config.learning_rate <= STILL_LEARNING_MAX_LR
            && self.train_accuracy() < FITS_TRAINING
    }

    /// Final validation accuracy is within the noise of predicting the majority class for
    /// every row (a coin toss on balanced classes).
    pub(crate) fn at_chance(&self) -> bool {
        self.chance.at_chance(self.val_accuracy(), self.val_samples)
    }

    /// Training accuracy has not left chance (see `Chance::left_at`).
    pub(crate) fn not_left_chance(&self) -> bool {
        self.train_accuracy() < self.chance.left_at()
    }

    /// The second half's fall over the first half's; `None` on too short a curve.
    pub(super) fn pace(&self) -> Option<(f64, f64, f64)> {
        let (first, second) = halves_drop(self.loss)?;
        let pace = if first > 0.0 {
            second / first
        } else if second > 0.0 {
            f64::INFINITY
        } else {
            0.0
        };
        Some((first, second, pace))
    }
}

/// Standard error of an accuracy `p` measured on `n` rows, floored at half a row so that a
/// perfect score on a few rows is not taken as exact.
pub(crate) fn accuracy_se(p: f64, n: usize) -> f64 {
    let n = n.max(1) as f64;
    (p * (1.0 - p) / n).sqrt().max(0.5 / n)
}
