//! The diagnosis of one run: the plateau, the causes the rules found (ranked), and the
//! experiments once run; how it reads in the terminal.

use super::causes::{self, Observations};
use super::curves::finite;
use super::inside::{read_instruments, InsideFinding};
use super::thresholds::{FINAL_EPOCHS, MENTION, MIN_EPOCHS, SATURATING_SPREAD};
use super::{
    dead_relu_fraction, find_plateau, rank_experiments, Cause, CauseId, Chance, Evidence,
    Experiment, Experiments, Plateau, PlateauSettings, Stage, Verdict,
};
use crate::config::{Config, Prepared};
use crate::train::LayerInstruments;
use crate::train::{History, Run, Status};
use serde::Serialize;
use std::fmt;

/// The whole answer to "why is my validation accuracy not improving?".
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnosis {
    #[serde(flatten)]
    pub plateau: Plateau,
    /// Epochs with finite figures.
    pub epochs: usize,
    pub status: Status,
    /// Most likely first: present causes before possible ones, upstream before downstream,
    /// then by confidence. Empty when there is too little to judge.
    pub causes: Vec<Cause>,
    /// Every applicable fix, trained over seeds next to the unchanged config
    /// (`with_experiments`), in the order tested; empty until then.
    pub experiments: Vec<Experiment>,
    /// What the run's per-layer instruments show (`with_instruments`): dead units, large
    /// steps, saturated units, each at its epoch. Evidence beside the causes, never a rule.
    pub inside: Vec<InsideFinding>,
}

/// Weights and biases of the dense stack `features → hidden… → 1`.
pub fn parameter_count(features: usize, hidden: &[usize]) -> usize {
    let mut fan_in = features;
    let mut count = 0;
    for &units in hidden.iter().chain(&[1]) {
        count += fan_in * units + units;
        fan_in = units;
    }
    count
}

/// Reads one finished (or diverged, or stopped) run: its curves, its data and its config.
pub fn diagnose(
    config: &Config,
    prepared: &Prepared,
    history: &History,
    status: Status,
) -> Diagnosis {
    diagnose_with_units(config, prepared, history, status, None)
}

/// As [`diagnose`], reading the run's network too once it has stopped training: the share
/// of dead ReLU units is the evidence of a collapse.
pub fn diagnose_run(config: &Config, prepared: &Prepared, run: &Run) -> Diagnosis {
    let dead = (run.status() != Status::Training)
        .then(|| dead_relu_fraction(config.activation, &run.weights(), &prepared.train))
        .flatten();
    diagnose_with_units(config, prepared, run.history(), run.status(), dead)
}

/// As [`diagnose_run`], for a run whose network is elsewhere (a worker's): `dead_units` is
/// its share of dead ReLU units, once it has ended.
pub fn diagnose_with_units(
    config: &Config,
    prepared: &Prepared,
    history: &History,
    status: Status,
    dead_units: Option<f64>,
) -> Diagnosis {
    let epochs = [
        &history.loss,
        &history.accuracy,
        &history.val_loss,
        &history.val_accuracy,
    ]
    .iter()
    .map(|c| finite(c).len())
    .min()
    .unwrap_or(0);
    let diverged_epoch = match status {
        Status::Diverged { epoch } => Some(epoch),
        _ if epochs < history.epochs() => Some(epochs + 1),
        _ => None,
    };
    let val_samples = prepared.val.len();
    let plateau = find_plateau(
        &history.val_accuracy[..epochs],
        &history.val_loss[..epochs],
        PlateauSettings::for_validation_size(val_samples),
    );
    let observations = Observations {
        config,
        chance: Chance::of_run(config, prepared),
        feature_std: &prepared.feature_std,
        train_samples: prepared.train.len(),
        val_samples,
        parameters: parameter_count(config.features, &config.hidden),
        loss: &history.loss[..epochs],
        accuracy: &history.accuracy[..epochs],
        val_loss: &history.val_loss[..epochs],
        val_accuracy: &history.val_accuracy[..epochs],
        diverged_epoch,
        plateau: &plateau,
        dead_units,
    };
    let mut causes: Vec<Cause> = causes::problems(&observations);
    if let Some(c) = causes::converged(&observations, &causes) {
        causes.push(c);
    }
    causes.retain(|c| c.confidence >= MENTION);
    for cause in &mut causes {
        drop_no_op_fix(config, cause);
    }
    rank(&mut causes);
    Diagnosis {
        plateau,
        epochs,
        status,
        causes,
        experiments: Vec::new(),
        inside: Vec::new(),
    }
}

/// A fix that leaves the config as it is (a limit already reached: the largest dataset, the
/// widest layers, the strongest L2) is no fix: the page must not offer it, nor "prove" it.
fn drop_no_op_fix(config: &Config, cause: &mut Cause) {
    let mut fixed = config.clone();
    let applies = cause
        .fix
        .iter()
        .all(|(key, value)| fixed.set(key, value).is_ok());
    if !applies || fixed == *config {
        cause.fix.clear();
    }
}

/// Present before possible; among present causes upstream first (see `CauseId::stage`);
/// then by confidence; ties in the order of `CauseId::ALL`. Two exceptions: when validation
/// is certainly too small to read (`NOISE_CERTAIN_POINTS` per sample), that comes first,
/// since every other cause but the feature scales is read off the validation curves; and a
/// rate at which Adam or RMSprop step every weight by its whole size comes before the feature
/// scales: the scales rank first because they make one rate wrong for some weights, but these
/// optimizers divide each weight's step by its own gradient scale, so standardizing leaves
/// such steps as large as they were, while lowering the rate is what every weight needs. A
/// third: a bottleneck (`BOTTLENECK_UNITS`) that has left chance comes before the scales and
/// the rate, even such a rate (below `BOTTLENECK_RATE_FIRST_LR`, where it leads), since no
/// rate lets one or two numbers a row separate the classes. A fourth: a rate too low comes
/// before feature scales short of saturating the first layer (a spread under
/// `SATURATING_SPREAD`, the article's ×100 / ×0.01 and less). There the scales make one rate
/// too small for the small-scale features' weights, and raising the whole rate moves them
/// too: in the bank every run with both present at such a spread gained at least as much from
/// the rate (bank 10: +12.9 against +2.1 points; bank 57: +20.5 against +7.7; held out 1:
/// +10.7 against +1.2; on the `unscaled` preset, where the rate is not seen as too low, the two
/// tie). Past it the first layer saturates and no rate suits every weight: standardizing comes
/// first (bank 13, 18, 43).
pub(super) fn rank(causes: &mut [Cause]) {
    let scales_short_of_saturating = causes.iter().any(|c| {
        c.is_present()
            && matches!(c.evidence, Evidence::UnscaledFeatures { spread, largest_std, .. }
                if spread.max(largest_std) < SATURATING_SPREAD)
    });
    // The exceptions lead every stage (`0` and `1` sort first), the bottleneck before the
    // adaptive rate and the low rate.
    let stage = |c: &Cause| match (c.id, &c.evidence) {
        (CauseId::Underfitting, Evidence::Underfitting { leads: true, .. }) => (0, Stage::Data),
        (CauseId::NoisyValidation, _) if c.confidence >= 1.0 => (1, Stage::Data),
        (
            CauseId::LrTooHigh,
            Evidence::LrTooHigh {
                adaptive_high_rate: true,
                ..
            },
        ) => (1, Stage::Data),
        (CauseId::LrTooLow, _) if scales_short_of_saturating => (1, Stage::Data),
        (id, _) => (2, id.stage()),
    };
    causes.sort_by(|a, b| {
        let key = |c: &Cause| (!c.is_present(), c.is_present().then(|| stage(c)));
        key(a)
            .cmp(&key(b))
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.id.cmp(&b.id))
    });
}

impl Diagnosis {
    /// The same diagnosis with what the run's per-layer instruments show (`hidden`: each
    /// hidden layer's width; `loss`: its training loss per epoch, on `classes` classes) as
    /// evidence beside its causes.
    pub fn with_instruments(
        mut self,
        instruments: &[Vec<LayerInstruments>],
        hidden: &[usize],
        loss: &[f64],
        classes: usize,
    ) -> Diagnosis {
        self.inside = read_instruments(instruments, hidden, loss, classes);
        self
    }

    pub fn plateau_epoch(&self) -> Option<usize> {
        self.plateau.plateau_epoch
    }

    pub fn best_epoch(&self) -> Option<usize> {
        self.plateau.best_epoch
    }

    /// The most likely cause.
    pub fn top(&self) -> Option<&Cause> {
        self.causes.first()
    }

    /// Trains every applicable fix against the unchanged config over `seeds` training seeds
    /// (`config.seed`, `config.seed + 1`, …) and attaches what each did. Trains
    /// `(fixes + 1) × seeds` runs; the page steps an [`Experiments`] instead.
    pub fn with_experiments(
        mut self,
        config: &Config,
        seeds: usize,
    ) -> Result<Diagnosis, crate::ConfigError> {
        self.experiments = Experiments::for_diagnosis(config, &self, seeds)?.run_to_end()?;
        Ok(self)
    }

    /// The experiments re-ranked by what helped (see [`rank_experiments`]).
    pub fn ranked_experiments(&self) -> Vec<&Experiment> {
        rank_experiments(&self.experiments)
    }

    /// The experiment that tested `id`'s kind of fix, if any.
    pub fn experiment_for(&self, id: CauseId) -> Option<&Experiment> {
        self.experiments
            .iter()
            .find(|e| e.cause.fix_family() == id.fix_family())
    }

    /// A suspected cause whose fix, tested to the end, did nothing or hurt (an inconclusive
    /// test rules nothing out).
    /// "Converged" is ruled out once the experiments show a setup fix that helps.
    pub fn ruled_out(&self, id: CauseId) -> bool {
        match id {
            CauseId::Converged => self.experiments_done() && !self.answers().is_empty(),
            _ => {
                id.is_setup()
                    && self.experiment_for(id).is_some_and(|e| {
                        e.complete && matches!(e.verdict, Verdict::NoEffect | Verdict::Hurts)
                    })
            }
        }
    }
}

impl fmt::Display for Diagnosis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.plateau.sentence(self.epochs))?;
        if self.epochs < MIN_EPOCHS {
            writeln!(
                f,
                "Only {} epoch(s): too few to read the curves' shapes (need {MIN_EPOCHS}).",
                self.epochs
            )?;
        }
        if self.causes.is_empty() {
            writeln!(f, "No likely cause found.")?;
        }
        for (i, c) in self.causes.iter().enumerate() {
            let kind = if c.is_present() { "" } else { ", possible" };
            writeln!(
                f,
                "{}. {} (confidence {:.2}{kind}): {}",
                i + 1,
                c.id,
                c.confidence,
                c.explanation
            )?;
            if !c.fix.is_empty() {
                let fix: Vec<String> = c.fix.iter().map(|(k, v)| format!("{k}={v}")).collect();
                writeln!(f, "   Try: {}", fix.join(" "))?;
            }
            if let Some(line) = &c.keras_fix {
                writeln!(f, "   Try in Keras: {line}")?;
            }
        }
        for finding in &self.inside {
            writeln!(f, "Inside the network: {}", finding.text)?;
        }
        if !self.experiments.is_empty() {
            let seeds = self.seeds_used();
            writeln!(
                f,
                "\nExperiments: each fix against the unchanged settings over up to {seeds} \
                 seeds (seeds are added while the answer is unsettled), best first; the \
                 placebo is the unchanged settings on fresh seeds. Changes are fixed − unchanged in final validation accuracy \
                 (points) and loss, final = mean of the last {FINAL_EPOCHS} epochs, ± one \
                 standard error of the paired differences."
            )?;
            writeln!(
                f,
                "{:<18} {:<26} {:>15} {:>16} verdict",
                "cause", "fix", "val acc change", "val loss change"
            )?;
            for e in self.ranked_experiments() {
                writeln!(f, "{e}")?;
            }
            let suspected_out: Vec<&str> = self
                .causes
                .iter()
                .filter(|c| self.ruled_out(c.id))
                .map(|c| c.id.as_str())
                .collect();
            if !suspected_out.is_empty() {
                writeln!(f, "Ruled out by experiment: {}.", suspected_out.join(", "))?;
            }
            if self.experiments_done() {
                let answers: Vec<&str> = self.answers().iter().map(|c| c.as_str()).collect();
                let answers = if answers.is_empty() {
                    "converged".to_string()
                } else {
                    answers.join(", ")
                };
                writeln!(
                    f,
                    "Answer, by experiment: {answers}. {}",
                    self.answer_text()
                )?;
                if let Some(limit) = self.data_limit() {
                    writeln!(f, "The data's limit: {}", limit.text)?;
                }
                if self.placebo().is_some() {
                    writeln!(f, "{}", self.placebo_text())?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
