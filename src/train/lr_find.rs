//! The learning-rate range test (Smith, 2017; fastai's `lr_find`): one run from the settings'
//! initial weights whose rate grows exponentially, batch after batch, from [`FROM`] to [`TO`];
//! the training loss of each batch, smoothed, against the rate. The loss falls once the rate is
//! large enough to move the weights, and blows up once it is too large: a good rate sits
//! below the bottom of that valley.
//!
//! The suggestion's rule is fastai's oldest and plainest: **the rate at the lowest smoothed
//! loss, divided by 10** (at the lowest point the rate is already about to be too high).

use super::{Run, Samples, Status, TrainError, TrainSpec};
use serde::Serialize;

/// The first rate tried.
pub const FROM: f64 = 1e-6;
/// The last rate tried.
pub const TO: f64 = 1.0;
/// Batches in a finder run: fastai uses 100; more give a smoother curve for small batches.
pub const STEPS: usize = 200;
/// The smoothing of the batch losses: fastai's exponential moving average, bias-corrected.
const BETA: f64 = 0.98;
/// The run stops once the smoothed loss exceeds this many times its lowest (fastai's 4).
const BLOW_UP: f64 = 4.0;
/// The rule, as the CLI and the page state it.
pub const RULE: &str = "the rate at the lowest smoothed training loss, divided by 10";

/// A finder run: the rate and the smoothed training loss of each batch, and the suggestion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LrFind {
    /// `None` when the smoothed loss never fell below its start, or was still falling at the
    /// last rate tried (no valley).
    pub suggested_lr: Option<f64>,
    pub rule: &'static str,
    pub lrs: Vec<f64>,
    pub losses: Vec<f64>,
}

/// The rate of batch `i` of `steps`: `FROM` at the first, `TO` at the last, exponential between.
pub fn rate_at(i: usize, steps: usize) -> f64 {
    let t = i as f64 / (steps.max(2) - 1) as f64;
    FROM * (TO / FROM).powf(t)
}

/// Runs the range test on `spec`'s network and data over `steps` batches (its epochs, early
/// stopping and rate are the finder's: as many epochs as the batches need, no early stopping).
pub fn lr_find(
    spec: &TrainSpec,
    train: Samples,
    val: Samples,
    steps: usize,
) -> Result<LrFind, TrainError> {
    let mut finder = LrFinder::new(spec, train, val, steps)?;
    while finder.step() {}
    Ok(finder.found())
}

/// The range test one batch at a time, so that the page can run it in time slices.
pub struct LrFinder {
    run: Run,
    steps: usize,
    lrs: Vec<f64>,
    losses: Vec<f64>,
    average: f64,
    lowest: f64,
    done: bool,
}

impl LrFinder {
    /// The finder for `spec`'s network and data over `steps` batches, as [`lr_find`].
    pub fn new(
        spec: &TrainSpec,
        train: Samples,
        val: Samples,
        steps: usize,
    ) -> Result<LrFinder, TrainError> {
        let batches = train.len().div_ceil(spec.batch_size.max(1)).max(1);
        let spec = TrainSpec {
            epochs: steps.div_ceil(batches),
            early_stopping: None,
            ..spec.clone()
        };
        Ok(LrFinder {
            run: Run::new(spec, train, val)?,
            steps,
            lrs: Vec::with_capacity(steps),
            losses: Vec::with_capacity(steps),
            average: 0.0,
            lowest: f64::INFINITY,
            done: false,
        })
    }

    /// One batch at the next rate; `false` once the test has ended.
    pub fn step(&mut self) -> bool {
        let i = self.lrs.len();
        if self.done || i >= self.steps {
            self.done = true;
            return false;
        }
        let lr = rate_at(i, self.steps);
        let run = &mut self.run;
        run.set_learning_rate(lr as f32);
        let before = run.iterations();
        // Validation chunks come between epochs: step on to the next training batch.
        while run.iterations() == before && run.step_batch() == Status::Training {}
        // No step taken (the run ended), or one whose loss is not finite: the curve ends.
        let stepped = run.iterations() > before;
        let Some(loss) = run.last_batch_loss().filter(|l| stepped && l.is_finite()) else {
            self.done = true;
            return false;
        };
        self.average = BETA * self.average + (1.0 - BETA) * loss;
        let smoothed = self.average / (1.0 - BETA.powi(i as i32 + 1));
        self.lrs.push(lr);
        self.losses.push(smoothed);
        self.lowest = self.lowest.min(smoothed);
        if smoothed > BLOW_UP * self.lowest || !matches!(run.status(), Status::Training) {
            self.done = true;
        }
        !self.done
    }

    /// Batches done, and planned.
    pub fn progress(&self) -> (usize, usize) {
        (self.lrs.len(), self.steps)
    }

    /// The curve so far and, once it has ended, the suggestion.
    pub fn found(&self) -> LrFind {
        LrFind {
            suggested_lr: if self.done {
                suggestion(&self.lrs, &self.losses)
            } else {
                None
            },
            rule: RULE,
            lrs: self.lrs.clone(),
            losses: self.losses.clone(),
        }
    }

    pub fn done(&self) -> bool {
        self.done
    }
}

/// [`RULE`]: the rate at the lowest smoothed loss ÷ 10, once the loss fell below its start and
/// rose after its lowest (a valley). A loss still falling at the last rate tried found no
/// valley: on a few rows the finder's batches are many epochs, and the network memorises
/// them at any rate that moves it, so the curve says nothing about the rate.
fn suggestion(lrs: &[f64], losses: &[f64]) -> Option<f64> {
    let (at, lowest) = losses
        .iter()
        .enumerate()
        .min_by(|a, b| a.1.total_cmp(b.1))?;
    (*lowest < losses[0] && at + 1 < losses.len()).then(|| lrs[at] / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_rise_exponentially_from_the_first_to_the_last() {
        assert_eq!(rate_at(0, STEPS), FROM);
        assert!((rate_at(STEPS - 1, STEPS) - TO).abs() < 1e-12);
        let mid = rate_at(STEPS / 2, STEPS + 1);
        assert!((mid.log10() - (FROM.log10() + TO.log10()) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn the_suggestion_is_a_tenth_of_the_rate_at_the_lowest_loss() {
        let lrs = [1e-3, 1e-2, 1e-1, 1.0];
        assert_eq!(suggestion(&lrs, &[0.7, 0.5, 0.3, 2.0]), Some(1e-2));
        assert_eq!(suggestion(&lrs, &[0.7, 0.8, 0.9, 2.0]), None, "never fell");
        assert_eq!(suggestion(&lrs, &[0.7, 0.5, 0.3, 0.1]), None, "no valley");
        assert_eq!(suggestion(&[], &[]), None);
    }
}
