//! The statistics of an experiment, in one place: when a fix *helps*, *hurts* or has no
//! effect, measured against the seed-to-seed noise of paired runs.
//!
//! A fix and the unchanged config are trained with the same training seeds (same initial
//! weights where the shapes allow, same shuffles), so each seed gives one paired difference
//! `fixed − base` of the final validation accuracy (in points) and of the final validation
//! loss. "Final" is the mean of the last [`FINAL_EPOCHS`] epochs of each run.
//!
//! Over `n` seeds the change is the mean difference and its standard error `sd / √n`. A change
//! counts when it is both
//! - at least [`SIGNIFICANT_SE`] standard errors from zero (the usual 95% line), the standard
//!   error floored at a quarter of the smallest change that counts, so that a difference
//!   identical on every seed (sd 0, as when every run collapses to chance alike) is not taken
//!   as infinitely certain; and
//! - at least the smallest change that counts: one validation sample for accuracy (at least
//!   [`MIN_ACCURACY_POINTS`]), [`MIN_LOSS_CHANGE`] for the loss.
//!
//! The question is about validation *accuracy*, so accuracy decides first: a fix that raises
//! it helps, one that lowers it hurts. Validation loss decides only when accuracy did not
//! clearly move: lower helps, higher hurts. (A fix that lifts a network stuck at chance by 30
//! points usually raises the validation loss too, since a model at chance sits at ln 2 and a
//! trained one is sometimes confidently wrong; that is still the fix the student needs.)

use super::causes::{FINAL_EPOCHS, SIGNIFICANT_SE};
use serde::{Deserialize, Serialize};

/// Below one point of accuracy a change is too small to teach anything, even on thousands of
/// validation rows.
pub const MIN_ACCURACY_POINTS: f64 = 1.0;

/// Validation loss changes smaller than 0.02 (3% of the chance loss ln 2) are too small to
/// matter, whatever the noise.
pub const MIN_LOSS_CHANGE: f64 = 0.02;

/// The standard error is floored at this share of the smallest change that counts.
pub const SE_FLOOR_SHARE: f64 = 0.25;

/// What the experiments measured about one fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Helps,
    NoEffect,
    Hurts,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Helps => "helps",
            Verdict::NoEffect => "no_effect",
            Verdict::Hurts => "hurts",
        }
    }
}

/// One figure's paired change over seeds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Change {
    /// Mean of `fixed − base` over the seeds.
    pub mean: f64,
    /// Its standard error, floored (see the module's doc).
    pub se: f64,
    /// The smallest change that counts.
    pub floor: f64,
}

impl Change {
    /// `differences` are `fixed − base`, one per seed.
    pub fn of(differences: &[f64], floor: f64) -> Change {
        let n = differences.len();
        let mean = if n == 0 {
            0.0
        } else {
            differences.iter().sum::<f64>() / n as f64
        };
        let sd = if n > 1 {
            (differences.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let se = (sd / (n.max(1) as f64).sqrt()).max(SE_FLOOR_SHARE * floor);
        Change { mean, se, floor }
    }

    /// How far the change counts as real: `+1` up, `-1` down, `0` within the noise.
    pub fn direction(&self) -> i8 {
        let line = (SIGNIFICANT_SE * self.se).max(self.floor);
        if self.mean >= line {
            1
        } else if self.mean <= -line {
            -1
        } else {
            0
        }
    }
}

/// Mean of the last [`FINAL_EPOCHS`] of a finite curve; `None` when it has no epoch.
pub fn final_figure(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| super::curves::mean_last(values, FINAL_EPOCHS))
}

/// The final figures of one run: validation accuracy (fraction) and loss.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Finals {
    pub val_accuracy: f64,
    pub val_loss: f64,
}

/// The measured effect of a fix: the paired changes and the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Effect {
    /// Paired seeds measured.
    pub seeds: usize,
    /// Fixed − base, in percentage points.
    pub accuracy: Change,
    pub loss: Change,
    pub verdict: Verdict,
}

impl Effect {
    /// The effect of `fixed` against `base`, paired by index, measured on `val_samples`
    /// validation rows.
    pub fn measure(base: &[Finals], fixed: &[Finals], val_samples: usize) -> Effect {
        let accuracy_floor = (100.0 / val_samples.max(1) as f64).max(MIN_ACCURACY_POINTS);
        let pairs = || base.iter().zip(fixed);
        let acc: Vec<f64> = pairs()
            .map(|(b, f)| 100.0 * (f.val_accuracy - b.val_accuracy))
            .collect();
        let loss: Vec<f64> = pairs().map(|(b, f)| f.val_loss - b.val_loss).collect();
        let accuracy = Change::of(&acc, accuracy_floor);
        let loss = Change::of(&loss, MIN_LOSS_CHANGE);
        Effect {
            seeds: acc.len(),
            accuracy,
            loss,
            verdict: verdict(accuracy.direction(), -loss.direction()),
        }
    }
}

impl Effect {
    /// How much better the fix made validation, for ranking fixes that helped: the accuracy
    /// gain in points if it counts (else 0), then the fall in loss if it counts (else 0).
    pub fn gain(accuracy: &Change, loss: &Change) -> (f64, f64) {
        let counted = |c: &Change, sign: f64| {
            if c.direction() as f64 * sign > 0.0 {
                sign * c.mean
            } else {
                0.0
            }
        };
        (counted(accuracy, 1.0), counted(loss, -1.0))
    }
}

/// `accuracy` and `loss` are +1 for better, -1 for worse, 0 for no clear change; accuracy
/// decides, the loss breaks a tie.
fn verdict(accuracy: i8, loss: i8) -> Verdict {
    match if accuracy != 0 { accuracy } else { loss } {
        1 => Verdict::Helps,
        -1 => Verdict::Hurts,
        _ => Verdict::NoEffect,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finals(pairs: &[(f64, f64)]) -> Vec<Finals> {
        pairs
            .iter()
            .map(|&(val_accuracy, val_loss)| Finals {
                val_accuracy,
                val_loss,
            })
            .collect()
    }

    #[test]
    fn paired_changes_beyond_the_noise_decide() {
        let base = finals(&[(0.50, 0.69), (0.52, 0.69), (0.48, 0.70)]);
        // +30 points on every seed, loss lower: helps.
        let better = finals(&[(0.80, 0.45), (0.81, 0.44), (0.79, 0.46)]);
        let e = Effect::measure(&base, &better, 80);
        assert_eq!(e.verdict, Verdict::Helps);
        assert!((e.accuracy.mean - 30.0).abs() < 1e-9, "{e:?}");
        // Same figures: no effect, and a zero sd does not make it certain.
        let e = Effect::measure(&base, &base, 80);
        assert_eq!(e.verdict, Verdict::NoEffect);
        assert!(e.accuracy.se > 0.0 && e.loss.se > 0.0);
        // Accuracy decides: better loss but worse accuracy hurts, the reverse helps.
        let trade = finals(&[(0.40, 0.60), (0.41, 0.60), (0.39, 0.61)]);
        assert_eq!(Effect::measure(&base, &trade, 80).verdict, Verdict::Hurts);
        let lifted = finals(&[(0.80, 0.95), (0.81, 0.99), (0.79, 0.97)]);
        assert_eq!(Effect::measure(&base, &lifted, 80).verdict, Verdict::Helps);
        // Accuracy unchanged: the loss decides.
        let calmer = finals(&[(0.50, 0.40), (0.52, 0.41), (0.48, 0.39)]);
        assert_eq!(Effect::measure(&base, &calmer, 80).verdict, Verdict::Helps);
        // A change smaller than one validation sample is no change, however steady.
        let tiny = finals(&[(0.51, 0.69), (0.53, 0.69), (0.49, 0.70)]);
        assert_eq!(Effect::measure(&base, &tiny, 40).verdict, Verdict::NoEffect);
        // Large but inconsistent across seeds: within the noise.
        let noisy = finals(&[(0.90, 0.69), (0.30, 0.69), (0.55, 0.70)]);
        assert_eq!(
            Effect::measure(&base, &noisy, 80).verdict,
            Verdict::NoEffect
        );
    }
}
