//! Proof by counterfactual: the suggested fix and the unchanged config, trained with the same
//! training seeds, and the measured difference. Steppable, so the page can spread the work
//! over animation frames; `run_to_end` for the CLI.

use super::causes::FINAL_EPOCHS;
use super::curves::{finite, mean_last};
use super::{parameter_count, CauseId, Diagnosis, SIGNIFICANT_SE};
use crate::config::{Config, ConfigError, Prepared};
use crate::train::{Run, Status};
use serde::Serialize;
use std::fmt;

/// The unchanged config and the fixed one, one run each per seed.
pub struct Counterfactual {
    cause: CauseId,
    fix: Vec<(String, String)>,
    description: String,
    base_config: Config,
    fixed_config: Config,
    seeds: Vec<u32>,
    /// `(base, fixed)` per seed, trained in this order so that pairs complete one by one.
    pairs: Vec<(Run, Run)>,
    val_samples: usize,
}

/// Mean and sample standard deviation over seeds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Spread {
    pub mean: f64,
    pub sd: f64,
    pub n: usize,
}

impl Spread {
    pub fn of(values: &[f64]) -> Spread {
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        Spread { mean, sd, n }
    }

    /// Mean over its standard error; infinite for a constant non-zero difference.
    fn t(&self) -> f64 {
        let se = self.sd / (self.n as f64).sqrt();
        if se > 0.0 {
            self.mean / se
        } else if self.mean != 0.0 {
            self.mean.signum() * f64::INFINITY
        } else {
            0.0
        }
    }
}

/// Whether the fix moved a figure the right way, measured against seed-to-seed noise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Helps,
    Hurts,
    NoClearEffect,
}

/// What the fix did, over the seeds finished so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CounterfactualReport {
    pub cause: CauseId,
    pub fix: Vec<(String, String)>,
    /// The fix in words: "standardizing the features".
    pub description: String,
    /// Seeds whose two runs both finished.
    pub seeds: Vec<u32>,
    /// Final = mean of the last `FINAL_EPOCHS` epochs of each run.
    pub base_val_accuracy: Spread,
    pub fixed_val_accuracy: Spread,
    /// Fixed − base per seed, in percentage points.
    pub val_accuracy_change_points: Spread,
    pub base_val_loss: Spread,
    pub fixed_val_loss: Spread,
    pub val_loss_change: Spread,
    /// On validation accuracy: a change of at least one validation sample and two standard
    /// errors of the paired differences.
    pub accuracy_verdict: Verdict,
    /// On validation loss: lower by two standard errors helps.
    pub loss_verdict: Verdict,
    /// Runs finished out of all runs.
    pub runs_done: usize,
    pub runs_total: usize,
}

fn is_done(run: &Run) -> bool {
    !matches!(run.status(), Status::Training)
}

/// The last finite value of a curve (a diverged run ends in NaN).
fn final_value(values: &[f64]) -> Option<f64> {
    let values = finite(values);
    (!values.is_empty()).then(|| mean_last(values, FINAL_EPOCHS))
}

impl Counterfactual {
    /// Seeds `config.seed, config.seed + 1, …`: the unchanged config and `config` with `fix`
    /// applied, one run each. Nothing is trained yet.
    pub fn new(
        config: &Config,
        cause: CauseId,
        fix: &[(String, String)],
        seeds: usize,
    ) -> Result<Counterfactual, ConfigError> {
        let fixed_config = Self::fixed_config_of(config, fix)?;
        Self::with_data(
            config,
            cause,
            fix,
            seeds,
            &config.prepare()?,
            &fixed_config.prepare()?,
        )
    }

    /// `config` with `fix` applied.
    pub fn fixed_config_of(
        config: &Config,
        fix: &[(String, String)],
    ) -> Result<Config, ConfigError> {
        let mut fixed_config = config.clone();
        for (key, value) in fix {
            fixed_config.set(key, value)?;
        }
        Ok(fixed_config)
    }

    /// As [`Counterfactual::new`], with the data of the unchanged and the fixed config already
    /// prepared (the page keeps prepared data, and preparing a large dataset takes longer than
    /// a frame).
    pub fn with_data(
        config: &Config,
        cause: CauseId,
        fix: &[(String, String)],
        seeds: usize,
        base_data: &Prepared,
        fixed_data: &Prepared,
    ) -> Result<Counterfactual, ConfigError> {
        let fixed_config = Self::fixed_config_of(config, fix)?;
        let seeds: Vec<u32> = (0..seeds as u32)
            .map(|i| config.seed.wrapping_add(i))
            .collect();
        let start =
            |c: &Config, data: &Prepared, seed: u32| Config { seed, ..c.clone() }.start_with(data);
        let pairs = seeds
            .iter()
            .map(|&s| {
                Ok((
                    start(config, base_data, s)?,
                    start(&fixed_config, fixed_data, s)?,
                ))
            })
            .collect::<Result<Vec<_>, ConfigError>>()?;
        Ok(Counterfactual {
            cause,
            fix: fix.to_vec(),
            description: describe_fix(config, &fixed_config, fix),
            base_config: config.clone(),
            fixed_config,
            seeds,
            pairs,
            val_samples: base_data.val.len(),
        })
    }

    /// The counterfactual of the diagnosis's top cause, if it has a fix.
    pub fn for_diagnosis(
        config: &Config,
        diagnosis: &Diagnosis,
        seeds: usize,
    ) -> Result<Option<Counterfactual>, ConfigError> {
        match diagnosis.top() {
            Some(top) if !top.fix.is_empty() => {
                Counterfactual::new(config, top.id, &top.fix, seeds).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Trains one epoch of the first unfinished run. Returns whether any run is unfinished.
    pub fn step(&mut self) -> bool {
        match self.next_run_mut() {
            Some(run) => {
                run.step_epoch();
                !self.is_done()
            }
            None => false,
        }
    }

    /// One step (a training batch or a validation chunk, see `Run::step_batch`) of the first
    /// unfinished run, for callers that slice time finer than an epoch. Returns whether any run is unfinished.
    pub fn step_batch(&mut self) -> bool {
        if let Some(run) = self.next_run_mut() {
            run.step_batch();
        }
        !self.is_done()
    }

    fn next_run_mut(&mut self) -> Option<&mut Run> {
        self.pairs
            .iter_mut()
            .flat_map(|(base, fixed)| [base, fixed])
            .find(|run| !is_done(run))
    }

    pub fn is_done(&self) -> bool {
        self.pairs.iter().all(|(b, f)| is_done(b) && is_done(f))
    }

    /// `(epochs trained, epochs planned)` over all runs, for a progress bar.
    pub fn progress(&self) -> (usize, usize) {
        let runs = || self.pairs.iter().flat_map(|(b, f)| [b, f]);
        let done = runs()
            .map(|r| {
                if is_done(r) {
                    r.spec().epochs
                } else {
                    r.epoch()
                }
            })
            .sum();
        let total = runs().map(|r| r.spec().epochs).sum();
        (done, total)
    }

    pub fn run_to_end(&mut self) -> CounterfactualReport {
        while self.step() {}
        self.report()
    }

    pub fn base_config(&self) -> &Config {
        &self.base_config
    }

    pub fn fixed_config(&self) -> &Config {
        &self.fixed_config
    }

    /// `(seed, base run, fixed run)`, for drawing the curves.
    pub fn runs(&self) -> impl Iterator<Item = (u32, &Run, &Run)> {
        self.seeds
            .iter()
            .zip(&self.pairs)
            .map(|(&s, (b, f))| (s, b, f))
    }

    /// The effect over the seeds whose two runs have finished.
    pub fn report(&self) -> CounterfactualReport {
        let mut seeds = Vec::new();
        let (mut base_acc, mut fixed_acc, mut base_loss, mut fixed_loss) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (seed, base, fixed) in self.runs() {
            if !(is_done(base) && is_done(fixed)) {
                continue;
            }
            let (b, f) = (base.history(), fixed.history());
            let figures = (
                final_value(&b.val_accuracy),
                final_value(&f.val_accuracy),
                final_value(&b.val_loss),
                final_value(&f.val_loss),
            );
            // A run that diverged before its first epoch has no figure to compare.
            if let (Some(ba), Some(fa), Some(bl), Some(fl)) = figures {
                seeds.push(seed);
                base_acc.push(ba);
                fixed_acc.push(fa);
                base_loss.push(bl);
                fixed_loss.push(fl);
            }
        }
        let diff = |a: &[f64], b: &[f64], scale: f64| -> Vec<f64> {
            a.iter().zip(b).map(|(x, y)| scale * (y - x)).collect()
        };
        let acc_change = Spread::of(&diff(&base_acc, &fixed_acc, 100.0));
        let loss_change = Spread::of(&diff(&base_loss, &fixed_loss, 1.0));
        let one_sample_points = 100.0 / self.val_samples.max(1) as f64;
        let accuracy_verdict = if acc_change.mean.abs() < one_sample_points {
            Verdict::NoClearEffect
        } else {
            verdict(acc_change.t())
        };
        let loss_verdict = verdict(-loss_change.t());
        let runs = self.pairs.iter().flat_map(|(b, f)| [b, f]);
        CounterfactualReport {
            cause: self.cause,
            fix: self.fix.clone(),
            description: self.description.clone(),
            seeds,
            base_val_accuracy: Spread::of(&base_acc),
            fixed_val_accuracy: Spread::of(&fixed_acc),
            val_accuracy_change_points: acc_change,
            base_val_loss: Spread::of(&base_loss),
            fixed_val_loss: Spread::of(&fixed_loss),
            val_loss_change: loss_change,
            accuracy_verdict,
            loss_verdict,
            runs_done: runs.clone().filter(|r| is_done(r)).count(),
            runs_total: 2 * self.pairs.len(),
        }
    }
}

/// Better by two standard errors helps, worse by two hurts (`t` signed so that up is better).
fn verdict(t: f64) -> Verdict {
    if t >= SIGNIFICANT_SE {
        Verdict::Helps
    } else if t <= -SIGNIFICANT_SE {
        Verdict::Hurts
    } else {
        Verdict::NoClearEffect
    }
}

/// What the fix changes, in words: "lowering the learning rate from 0.1 to 0.01".
fn describe_fix(base: &Config, fixed: &Config, fix: &[(String, String)]) -> String {
    let hidden = |c: &Config| {
        let h: Vec<String> = c.hidden.iter().map(|h| h.to_string()).collect();
        if h.is_empty() {
            "none".to_string()
        } else {
            h.join(",")
        }
    };
    let parts: Vec<String> = fix
        .iter()
        .map(|(key, value)| match key.as_str() {
            "standardize" if fixed.standardize => "standardizing the features".to_string(),
            "lr" => format!(
                "{} the learning rate from {} to {}",
                if fixed.learning_rate < base.learning_rate {
                    "lowering"
                } else {
                    "raising"
                },
                base.learning_rate,
                fixed.learning_rate
            ),
            "hidden" => format!(
                "a {} model (hidden {} → {})",
                if parameter_count(fixed.features, &fixed.hidden)
                    < parameter_count(base.features, &base.hidden)
                {
                    "smaller"
                } else {
                    "bigger"
                },
                hidden(base),
                hidden(fixed)
            ),
            "l2" => format!("an L2 penalty of {value}"),
            "dropout" => format!("dropout {value}"),
            "early-stopping" => format!("early stopping with patience {value}"),
            // Other rows also mean another validation set: say so, since the
            // two figures are then measured on different rows.
            "samples" => format!(
                "{} samples instead of {} (each measured on its own validation set)",
                fixed.samples, base.samples
            ),
            _ => format!("{key}={value}"),
        })
        .collect();
    parts.join(" and ")
}

impl fmt::Display for CounterfactualReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.seeds.len();
        if n == 0 {
            return write!(
                f,
                "Counterfactual: {} ({} of {} runs trained).",
                self.description, self.runs_done, self.runs_total
            );
        }
        let a = &self.val_accuracy_change_points;
        let l = &self.val_loss_change;
        // Rounded to the 0.1 points shown, the mean may be no change at all.
        let direction = if a.mean >= 0.05 {
            "raises"
        } else if a.mean <= -0.05 {
            "lowers"
        } else {
            "changes"
        };
        let accuracy = match self.accuracy_verdict {
            Verdict::Helps => "it helps",
            Verdict::Hurts => "it hurts",
            Verdict::NoClearEffect => "no clear effect: within the noise",
        };
        let loss = match self.loss_verdict {
            Verdict::Helps => "lower, better",
            Verdict::Hurts => "higher, worse",
            Verdict::NoClearEffect => "no clear effect",
        };
        write!(
            f,
            "Counterfactual: {} {direction} final validation accuracy by {:+.1} ± {:.1} points \
             over {n} seed(s) ({:.1}% → {:.1}%; {accuracy}), and changes final validation loss \
             by {:+.2} ± {:.2} ({:.2} → {:.2}; {loss}).",
            self.description,
            if direction == "changes" { 0.0 } else { a.mean },
            a.sd,
            100.0 * self.base_val_accuracy.mean,
            100.0 * self.fixed_val_accuracy.mean,
            l.mean,
            l.sd,
            self.base_val_loss.mean,
            self.fixed_val_loss.mean,
        )?;
        if self.runs_done < self.runs_total {
            write!(
                f,
                " ({} of {} runs trained.)",
                self.runs_done, self.runs_total
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_and_verdicts() {
        let s = Spread::of(&[1.0, 2.0, 3.0]);
        assert_eq!((s.mean, s.sd, s.n), (2.0, 1.0, 3));
        assert!((s.t() - 2.0 * 3f64.sqrt()).abs() < 1e-12);
        assert_eq!(Spread::of(&[2.0, 2.0]).t(), f64::INFINITY);
        assert_eq!(verdict(2.5), Verdict::Helps);
        assert_eq!(verdict(-2.5), Verdict::Hurts);
        assert_eq!(verdict(1.0), Verdict::NoClearEffect);
    }
}
