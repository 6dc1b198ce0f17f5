//! Why validation accuracy stopped improving: where the plateau is, its likely causes ranked
//! with the figures behind them (the rules: quick, live), and the experiments that test every
//! applicable fix over a few seeds and re-rank the causes by what measurably helped.
//!
//! The diagnosis describes what really happens in Keras on these experiments
//! (`spec/fidelity.md`), which is not always what the article claims: lr 0.1 does not
//! oscillate, it memorises the training set within ten epochs.
//!
//! ```text
//! let (mut run, prepared) = config.start()?;
//! let status = run.finish();
//! let diagnosis = diagnose(&config, &prepared, run.history(), status);
//! let diagnosis = diagnosis.with_experiments(&config, 5)?;   // trains (fixes + 1) × 5 runs
//! println!("{diagnosis}");
//! ```

mod causes;
mod consistency;
mod curves;
mod effect;
mod experiments;
mod plateau;
mod units;

pub use causes::fix_for;
pub use causes::{
    CHANCE_LOSS, CLIMB_RATIO, EARLY_EPOCHS, FINAL_EPOCHS, FITS_TRAINING, GIVE_BACK, HANDFUL_EPOCHS,
    MEMORISED_LOSS, MENTION, MIN_EPOCHS, NOISE_CERTAIN_POINTS, NOISY_STEP_POINTS, PRESENT,
    RISE_SAMPLES, SCALE_SPREAD, SIGNIFICANT_SE, STEADY_SHARE, STILL_FALLING_PACE,
};
pub use effect::{
    Change, Effect, Finals, Verdict, MIN_ACCURACY_POINTS, MIN_LOSS_CHANGE, SE_FLOOR_SHARE,
};
pub use experiments::{
    candidate_fixes, describe_fix, fixed_config, rank_experiments, Experiment, Experiments,
};
pub use plateau::{find_plateau, Plateau, PlateauSettings};
pub use units::{dead_relu_fraction, DEAD_UNIT_ROWS};

use crate::config::{Config, Prepared};
use crate::train::{History, Run, Status};
use causes::Facts;
use curves::finite;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A cause's stable id, as the JSON and the page name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseId {
    UnscaledFeatures,
    LrTooHigh,
    LrTooLow,
    Overfitting,
    Underfitting,
    NoisyValidation,
    Converged,
}

impl CauseId {
    pub const ALL: [CauseId; 7] = [
        CauseId::UnscaledFeatures,
        CauseId::LrTooHigh,
        CauseId::LrTooLow,
        CauseId::Overfitting,
        CauseId::Underfitting,
        CauseId::NoisyValidation,
        CauseId::Converged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CauseId::UnscaledFeatures => "unscaled_features",
            CauseId::LrTooHigh => "lr_too_high",
            CauseId::LrTooLow => "lr_too_low",
            CauseId::Overfitting => "overfitting",
            CauseId::Underfitting => "underfitting",
            CauseId::NoisyValidation => "noisy_validation",
            CauseId::Converged => "converged",
        }
    }

    /// Where the cause sits in the chain data → optimisation → what the model learned →
    /// how we measure it. A present cause upstream ranks before one downstream whatever
    /// their confidences, because fixing it changes everything after it (badly scaled
    /// features make the learning rate wrong for some weights; a learning rate that
    /// memorises at once shows up as overfitting).
    pub fn stage(self) -> u8 {
        match self {
            CauseId::UnscaledFeatures => 0,
            CauseId::LrTooHigh | CauseId::LrTooLow => 1,
            CauseId::Overfitting | CauseId::Underfitting => 2,
            CauseId::NoisyValidation | CauseId::Converged => 3,
        }
    }

    /// Whether the cause is something wrong with the setup (the other two describe the
    /// measurement and the absence of a problem).
    pub fn is_problem(self) -> bool {
        self.stage() < 3
    }

    /// Causes with the same kind of fix: noisy validation and "converged" both ask for more
    /// data, so the experiments test that once.
    pub fn fix_family(self) -> u8 {
        match self {
            CauseId::UnscaledFeatures => 0,
            CauseId::LrTooHigh => 1,
            CauseId::LrTooLow => 2,
            CauseId::Overfitting => 3,
            CauseId::Underfitting => 4,
            CauseId::NoisyValidation | CauseId::Converged => 5,
        }
    }
}

impl fmt::Display for CauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The figures a cause rests on. Serialised as a plain object of the variant's fields.
/// Accuracies are fractions (0.82), `*_points` are percentage points (18.0).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Evidence {
    UnscaledFeatures {
        /// Standard deviations of the features reaching the network (constant ones left out).
        largest_std: f64,
        smallest_std: f64,
        /// largest / smallest.
        spread: f64,
        constant_features: usize,
        /// The first epoch's training loss.
        initial_loss: Option<f64>,
        /// What unit-scale inputs start near: ln 2.
        unit_scale_initial_loss: f64,
    },
    LrTooHigh {
        learning_rate: f64,
        /// It learned, then fell back to chance (loss ≈ ln 2, accuracy ≈ 50%).
        collapsed: bool,
        peak_val_accuracy: Option<f64>,
        peak_epoch: Option<usize>,
        /// Mean of the last `FINAL_EPOCHS` epochs, like every final figure in the text.
        final_train_accuracy: Option<f64>,
        /// Share of hidden ReLU units dead on the training rows, when read (`units.rs`).
        dead_relu_fraction: Option<f64>,
        diverged_epoch: Option<usize>,
        /// First epoch with training loss below `MEMORISED_LOSS`.
        memorised_epoch: Option<usize>,
        /// ... within `HANDFUL_EPOCHS` and `HANDFUL_STEPS` optimizer steps.
        memorised_at_once: bool,
        val_loss_best_epoch: Option<usize>,
        /// Training loss's total climbing over its total fall.
        climb_ratio: f64,
        lowest_train_loss: Option<f64>,
        final_train_loss: Option<f64>,
        lowest_val_loss: Option<f64>,
        /// The lowest validation loss is still `EXTREME_LOSS` × ln 2 or more.
        overconfident_at_once: bool,
        /// Adam or RMSprop at `ADAPTIVE_HIGH_LR` or more, and the training rows not fitted.
        unfit_at_adaptive_rate: bool,
        /// Adam or RMSprop at `ADAPTIVE_HIGH_LR` or more: steps the size of the weights.
        adaptive_high_rate: bool,
    },
    LrTooLow {
        learning_rate: f64,
        /// Training loss fallen in the first half of the run and in the second.
        first_half_drop: f64,
        second_half_drop: f64,
        /// second / first.
        pace_ratio: f64,
        /// Share of second-half epochs that lowered the training loss.
        falling_share: f64,
        final_train_loss: f64,
        final_train_accuracy: f64,
        /// No plateau: validation improved within the patience.
        still_improving: bool,
        /// Training accuracy still at chance while the loss falls steadily.
        not_started: bool,
        /// The last epoch that improved validation accuracy or loss (the headline's "within
        /// the last epochs"; the best accuracy may be older).
        last_improvement_epoch: Option<usize>,
    },
    Overfitting {
        train_accuracy: f64,
        val_accuracy: f64,
        gap_points: f64,
        gap_standard_errors: f64,
        val_loss_best_epoch: usize,
        lowest_val_loss: f64,
        final_val_loss: f64,
        /// The rise since the lowest, in "one validation sample" loss units.
        val_loss_rise_samples: f64,
        /// Share of validation loss's gain (from ln 2 to its lowest) undone since.
        val_loss_given_back: f64,
        parameters: usize,
        train_samples: usize,
        parameters_per_sample: f64,
    },
    Underfitting {
        train_accuracy: f64,
        val_accuracy: f64,
        pace_ratio: f64,
        parameters: usize,
        train_samples: usize,
        parameters_per_sample: f64,
        /// A linear network (or none): a linear model whatever its width.
        linear: bool,
        /// No plateau yet (validation improved within the patience): the curves are then
        /// not called flat, which the headline would contradict.
        no_plateau: bool,
    },
    NoisyValidation {
        val_samples: usize,
        /// Accuracy points one validation sample is worth.
        points_per_sample: f64,
        /// Half-width of the 95% interval of the final validation accuracy.
        ci95_points: f64,
        val_accuracy: f64,
    },
    Converged {
        train_accuracy: f64,
        val_accuracy: f64,
        best_val_accuracy: Option<f64>,
        plateau_epoch: Option<usize>,
        train_samples: usize,
        /// No plateau yet: converging, still learning but only just, so not "converged".
        still_learning: bool,
        /// The last epoch that improved validation accuracy or loss.
        last_improvement_epoch: Option<usize>,
    },
}

/// One likely cause: how sure, why, and what to change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cause {
    pub id: CauseId,
    /// 0 to 1; from `PRESENT` (0.5) on the cause is present, below it possible.
    pub confidence: f64,
    pub evidence: Evidence,
    /// The fix as `Config::set(key, value)` pairs: the page's "try it" button.
    pub fix: Vec<(String, String)>,
    /// The cause in plain words, with its figures.
    pub explanation: String,
}

impl Cause {
    pub fn is_present(&self) -> bool {
        self.confidence >= PRESENT
    }
}

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
    let facts = Facts {
        config,
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
    let mut causes: Vec<Cause> = [
        causes::unscaled_features(&facts),
        causes::lr_too_high(&facts),
        causes::lr_too_low(&facts),
        causes::overfitting(&facts),
        causes::underfitting(&facts),
        causes::noisy_validation(&facts),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(c) = causes::converged(&facts, &causes) {
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
/// such steps as large as they were, while lowering the rate is what every weight needs.
fn rank(causes: &mut [Cause]) {
    let stage = |c: &Cause| match (c.id, &c.evidence) {
        (CauseId::NoisyValidation, _) if c.confidence >= 1.0 => 0,
        (
            CauseId::LrTooHigh,
            Evidence::LrTooHigh {
                adaptive_high_rate: true,
                ..
            },
        ) => 0,
        (id, _) => id.stage() + 1,
    };
    causes.sort_by(|a, b| {
        let key = |c: &Cause| (!c.is_present(), if c.is_present() { stage(c) } else { 0 });
        key(a)
            .cmp(&key(b))
            .then(b.confidence.total_cmp(&a.confidence))
            .then(a.id.cmp(&b.id))
    });
}

impl Diagnosis {
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

    /// The answer a student reads: once the experiments are done, the cause whose fix helped
    /// most; when none helped, the rules' most suspected problem whose fix the experiments
    /// could not settle (inconclusive: not ruled out), else "converged" (nothing we can change
    /// improves validation); before that, the rules' top cause.
    pub fn answer(&self) -> Option<CauseId> {
        let done = !self.experiments.is_empty() && self.experiments.iter().all(|e| e.complete);
        if !done {
            return self.top().map(|c| c.id);
        }
        if let Some(e) = self.ranked_experiments().first() {
            if e.verdict == Verdict::Helps {
                return Some(e.cause);
            }
        }
        let unsettled = |id: CauseId| {
            self.experiment_for(id)
                .is_some_and(|e| e.verdict == Verdict::Inconclusive)
        };
        self.causes
            .iter()
            .map(|c| c.id)
            .find(|&id| id.is_problem() && unsettled(id))
            .or(Some(CauseId::Converged))
    }

    /// The experiment that tested `id`'s kind of fix, if any.
    pub fn experiment_for(&self, id: CauseId) -> Option<&Experiment> {
        self.experiments
            .iter()
            .find(|e| e.cause.fix_family() == id.fix_family())
    }

    /// A suspected cause whose fix, tested to the end, did nothing or hurt (an inconclusive
    /// test rules nothing out).
    pub fn ruled_out(&self, id: CauseId) -> bool {
        id.is_problem()
            && self.experiment_for(id).is_some_and(|e| {
                e.complete && matches!(e.verdict, Verdict::NoEffect | Verdict::Hurts)
            })
    }
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn epoch_text(e: Option<usize>) -> String {
    e.map_or_else(|| "-".to_string(), |e| e.to_string())
}

impl Evidence {
    /// The cause in plain words, with its figures.
    pub fn explanation(&self) -> String {
        match self {
            Evidence::UnscaledFeatures {
                largest_std,
                smallest_std,
                spread,
                constant_features,
                initial_loss,
                unit_scale_initial_loss,
            } => {
                let mut s = format!(
                    "The features reach the network unscaled: their standard deviations run \
                     from {smallest_std:.3} to {largest_std:.1}, a spread of {spread:.0}×."
                );
                if let Some(l) = initial_loss {
                    s += &format!(
                        " The first epoch's training loss is {l:.2}, where unit-scale inputs \
                         start near {unit_scale_initial_loss:.2}."
                    );
                }
                if *constant_features > 0 {
                    s += &format!(" ({constant_features} constant feature(s) left out.)");
                }
                s + " Standardize the features (StandardScaler) before anything else."
            }
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
                ..
            } => {
                let mut s = format!("The learning rate {learning_rate} is too high:");
                if *collapsed {
                    s += &format!(
                        " the network learned (validation accuracy {} at epoch {}) and then \
                         collapsed to chance: over the last {FINAL_EPOCHS} epochs training \
                         accuracy averages {} and training loss {:.3}, about ln 2 = \
                         {CHANCE_LOSS:.3}, the loss of predicting 50% for every row. Steps that \
                         large push units where no gradient flows",
                        pct(peak_val_accuracy.unwrap_or(f64::NAN)),
                        epoch_text(*peak_epoch),
                        pct(final_train_accuracy.unwrap_or(f64::NAN)),
                        final_train_loss.unwrap_or(f64::NAN),
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
                         predicting 50% for every row (ln 2): from the first steps the \
                         predictions are extreme, and the wrong ones cost that much.",
                        l / CHANCE_LOSS
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
                         training set is memorised at once, and validation loss is lowest at \
                         epoch {} and climbs after.",
                        epoch_text(*memorised_epoch),
                        epoch_text(*val_loss_best_epoch)
                    );
                } else if *adaptive_high_rate {
                    s += &format!(
                        " Adam and RMSprop move every weight by about the learning rate each \
                         step, here the weights' whole initial size (Keras's default rate is \
                         0.001): the training rows are fitted in jumps, not by descent, and \
                         validation loss is lowest at epoch {} and no better after.",
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
                ..
            } => {
                let slow = *pace_ratio >= STILL_FALLING_PACE && *falling_share >= STEADY_SHARE;
                let mut s = if *not_started && !slow && !still_improving {
                    format!(
                        "The learning rate {learning_rate} is too low: training accuracy is still \
                         at chance ({}, mean of the last {FINAL_EPOCHS} epochs) while the \
                         training loss keeps falling ({second_half_drop:.3} in the second half \
                         of the run): the network has not started to separate the classes yet.",
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
            Evidence::Overfitting {
                train_accuracy,
                val_accuracy,
                gap_points,
                gap_standard_errors,
                val_loss_best_epoch,
                lowest_val_loss,
                final_val_loss,
                val_loss_rise_samples,
                val_loss_given_back,
                parameters,
                train_samples,
                parameters_per_sample,
            } => {
                let mut s = format!(
                    "Training accuracy {} against validation {} (means of the last \
                     {FINAL_EPOCHS} epochs; a gap of {gap_points:.1} points, \
                     {gap_standard_errors:.1} standard errors).",
                    pct(*train_accuracy),
                    pct(*val_accuracy)
                );
                if *val_loss_rise_samples >= RISE_SAMPLES {
                    let undone = if *val_loss_given_back > 1.0 {
                        format!("worse than knowing nothing ({CHANCE_LOSS:.2})")
                    } else {
                        format!("undoing {:.0}% of its gain", 100.0 * val_loss_given_back)
                    };
                    s += &format!(
                        " Validation loss was lowest at epoch {val_loss_best_epoch} \
                         ({lowest_val_loss:.2}) and rose to {final_val_loss:.2}, {undone}, \
                         while training loss kept falling: the model memorises the training \
                         rows and grows overconfident."
                    );
                } else {
                    s += " Validation loss is not rising, so this is mostly the usual gap.";
                }
                s + &format!(
                    " {parameters} parameters for {train_samples} training rows \
                     ({parameters_per_sample:.1} per row)."
                )
            }
            Evidence::Underfitting {
                train_accuracy,
                val_accuracy,
                parameters,
                train_samples,
                linear,
                no_plateau,
                ..
            } => {
                // Without a plateau validation still moves: "flat" would contradict the
                // headline, but the training loss has slowed all the same.
                let (shape, moving) = if *no_plateau {
                    (
                        "low",
                        " The training loss has slowed down; validation still moves (no \
                         plateau yet), but not towards fitting.",
                    )
                } else {
                    ("low and flat", "")
                };
                let s = format!(
                    "Training and validation accuracy are both {shape} ({} and {}, means of \
                     the last {FINAL_EPOCHS} epochs).{moving} With {parameters} parameters for \
                     {train_samples} rows the model cannot even fit the rows it trains on.",
                    pct(*train_accuracy),
                    pct(*val_accuracy)
                );
                if *linear {
                    s + " A linear network is one linear model however wide it is: give it a \
                         nonlinearity (relu)."
                } else {
                    s + " Give it more capacity."
                }
            }
            Evidence::NoisyValidation {
                val_samples,
                points_per_sample,
                ci95_points,
                ..
            } => format!(
                "The validation set has {val_samples} rows, so one sample moves validation \
                 accuracy by {points_per_sample:.1} points and the final figure is uncertain by \
                 ±{ci95_points:.0} points (95%): differences of a few points are noise."
            ),
            Evidence::Converged {
                train_accuracy,
                val_accuracy,
                train_samples,
                still_learning: true,
                last_improvement_epoch,
                ..
            } => format!(
                "Still learning, but only just: validation last improved at epoch {} (no \
                 plateau yet), with training accuracy already at {}. The model is close to \
                 what {train_samples} training rows allow (validation accuracy {}, mean of the last {FINAL_EPOCHS} epochs): \
                 training longer only polishes it. More data is what raises it.",
                epoch_text(*last_improvement_epoch),
                pct(*train_accuracy),
                pct(*val_accuracy)
            ),
            Evidence::Converged {
                val_accuracy,
                train_samples,
                ..
            } => format!(
                "Nothing is wrong with training: the model reached what {train_samples} training \
                 rows allow (validation accuracy {}, mean of the last {FINAL_EPOCHS} epochs). \
                 More data is what raises it.",
                pct(*val_accuracy)
            ),
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
        }
        if !self.experiments.is_empty() {
            let seeds = self.experiments[0].seeds_planned;
            writeln!(
                f,
                "\nExperiments: each fix against the unchanged settings over {seeds} seeds, \
                 best first. Changes are fixed − unchanged in final validation accuracy \
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
            if let Some(answer) = self.answer() {
                writeln!(f, "Answer, by experiment: {answer}.")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    //! Synthetic curves shaped like the Keras measurements in `spec/fidelity.md`.
    use super::*;
    use crate::train::Samples;

    fn prepared(train: usize, val: usize, feature_std: Vec<f64>) -> Prepared {
        let samples = |n: usize| Samples {
            x: vec![0.0; n * feature_std.len()],
            y: vec![0.0; n],
            features: feature_std.len(),
        };
        Prepared {
            train: samples(train),
            val: samples(val),
            feature_std,
        }
    }

    /// A small deterministic wobble, like shuffling noise on an epoch mean.
    fn wobble(i: usize, size: f64) -> f64 {
        size * (((i * 7919) % 13) as f64 - 6.0) / 6.0
    }

    /// `f(epoch)` for epochs 1..=n.
    fn curve(n: usize, f: impl Fn(f64) -> f64) -> Vec<f64> {
        (1..=n).map(|e| f(e as f64)).collect()
    }

    fn history(
        loss: Vec<f64>,
        accuracy: Vec<f64>,
        val_loss: Vec<f64>,
        val_accuracy: Vec<f64>,
    ) -> History {
        History {
            loss,
            accuracy,
            val_loss,
            val_accuracy,
        }
    }

    /// Memorises slowly; validation loss lowest at 10 then rising to 1.2; accuracy flat ~0.82.
    fn overfit_history() -> History {
        history(
            curve(100, |e| 0.65 * (-e / 9.0).exp() + 0.0005),
            curve(100, |e| (1.0 - 0.45 * (-e / 8.0).exp()).min(1.0)),
            curve(100, |e| {
                0.5 + 0.12 * (e - 10.0).abs().sqrt() * (e > 10.0) as u8 as f64
            }),
            curve(100, |e| {
                if e < 45.0 {
                    0.6 + 0.005 * e
                } else {
                    0.8 + wobble(e as usize, 0.025)
                }
            }),
        )
    }

    fn unit_std() -> Vec<f64> {
        vec![1.0; 20]
    }

    /// The overfit preset's shape of run: memorised training rows, validation loss rising.
    fn overfit_diagnosis() -> Diagnosis {
        let config = Config::preset("overfit").unwrap();
        diagnose(
            &config,
            &prepared(80, 20, unit_std()),
            &overfit_history(),
            Status::Finished,
        )
    }

    fn top(d: &Diagnosis) -> CauseId {
        d.top().expect("a cause").id
    }

    /// A finished experiment testing `cause`'s fix with these per-seed final figures.
    fn tested(cause: CauseId, base: &[(f64, f64)], fixed: &[(f64, f64)]) -> Experiment {
        let finals = |v: &[(f64, f64)]| -> Vec<Finals> {
            v.iter()
                .map(|&(val_accuracy, val_loss)| Finals {
                    val_accuracy,
                    val_loss,
                })
                .collect()
        };
        Experiment::measured(
            (cause, Vec::new(), String::new()),
            (base.len(), true),
            &finals(base),
            &finals(fixed),
            (40, 40),
        )
    }

    #[test]
    fn a_test_too_noisy_to_tell_rules_nothing_out() {
        let base = [
            (0.60, 0.70),
            (0.40, 1.30),
            (0.45, 0.90),
            (0.65, 0.68),
            (0.68, 0.67),
        ];
        // Big gains on some seeds, none on others: within the noise, but not ruled out.
        let noisy = [
            (0.57, 0.66),
            (0.65, 0.79),
            (0.62, 0.73),
            (0.70, 0.64),
            (0.68, 0.57),
        ];
        // The same on every seed: no effect, and the noise excludes a gain of one sample.
        let flat: Vec<(f64, f64)> = base.to_vec();
        let mut d = overfit_diagnosis();
        d.experiments = vec![tested(CauseId::Overfitting, &base, &noisy)];
        assert_eq!(d.experiments[0].verdict, Verdict::Inconclusive, "{d}");
        assert!(!d.ruled_out(CauseId::Overfitting), "{d}");
        assert_eq!(d.answer(), Some(CauseId::Overfitting), "{d}");
        d.experiments = vec![tested(CauseId::Overfitting, &base, &flat)];
        assert_eq!(d.experiments[0].verdict, Verdict::NoEffect, "{d}");
        assert!(d.ruled_out(CauseId::Overfitting), "{d}");
        assert_eq!(d.answer(), Some(CauseId::Converged), "{d}");
    }

    #[test]
    fn memorising_with_rising_validation_loss_is_overfitting() {
        let d = overfit_diagnosis();
        assert_eq!(top(&d), CauseId::Overfitting, "{d}");
        assert_eq!(d.top().unwrap().fix, vec![("l2".into(), "0.01".into())]);
        assert!(d.plateau_epoch().is_some(), "{d}");
        assert!(
            d.causes.iter().any(|c| c.id == CauseId::NoisyValidation),
            "{d}"
        );
        assert!(!d.causes.iter().any(|c| c.id == CauseId::LrTooHigh), "{d}");
    }

    /// Training loss near zero within a few epochs, validation loss climbing, validation
    /// accuracy flat at 0.78 with `noise`.
    fn memorised_at_once(noise: f64) -> History {
        history(
            curve(100, |e| 0.6 * (-(e - 1.0) / 1.2).exp() + 1e-4),
            curve(100, |e| (0.8 + 0.05 * e).min(1.0)),
            curve(100, |e| 0.45 + 0.85 * (1.0 - (-(e - 1.0) / 30.0).exp())),
            curve(100, |e| 0.78 + wobble(e as usize, noise)),
        )
    }

    #[test]
    fn collapse_within_a_handful_of_epochs_is_lr_too_high_not_overfitting() {
        let config = Config::preset("lr-high").unwrap();
        let h = memorised_at_once(0.025);
        let d = diagnose(
            &config,
            &prepared(160, 40, unit_std()),
            &h,
            Status::Finished,
        );
        assert_eq!(top(&d), CauseId::LrTooHigh, "{d}");
        assert_eq!(d.top().unwrap().fix, vec![("lr".into(), "0.01".into())]);
        assert!(d.causes.iter().any(|c| c.id == CauseId::Overfitting), "{d}");
    }

    /// The same curves on 8,000 training rows at Adam's default rate: memorised within a
    /// handful of epochs, but after hundreds of small steps, so it is the model's capacity
    /// (overfitting), not the step size.
    #[test]
    fn memorising_after_many_small_steps_is_overfitting() {
        let config = Config {
            samples: 10_000,
            hidden: vec![256, 256, 256],
            ..Config::default()
        };
        let h = memorised_at_once(0.0005);
        let d = diagnose(
            &config,
            &prepared(8000, 2000, unit_std()),
            &h,
            Status::Finished,
        );
        assert_eq!(top(&d), CauseId::Overfitting, "{d}");
        assert!(!d.causes.iter().any(|c| c.id == CauseId::LrTooHigh), "{d}");
    }

    #[test]
    fn a_straight_falling_loss_is_lr_too_low_with_no_plateau() {
        let config = Config::preset("lr-low").unwrap();
        let h = history(
            curve(100, |e| 0.72 - 0.0022 * e + wobble(e as usize, 0.001)),
            curve(100, |e| 0.53 + 0.0022 * e),
            curve(100, |e| 0.71 - 0.0015 * e),
            curve(100, |e| 0.51 + 0.0014 * e),
        );
        let d = diagnose(
            &config,
            &prepared(160, 40, unit_std()),
            &h,
            Status::Finished,
        );
        assert_eq!(top(&d), CauseId::LrTooLow, "{d}");
        assert_eq!(d.plateau_epoch(), None);
        assert_eq!(d.top().unwrap().fix, vec![("lr".into(), "0.001".into())]);
        assert!(d.top().unwrap().says_still_learning(), "{d}");
        assert_eq!(d.headline_contradiction(), None, "{d}");
    }

    #[test]
    fn a_bent_curve_with_steady_validation_is_converged() {
        let config = Config::preset("lr-good").unwrap();
        let h = history(
            curve(100, |e| 0.05 + 0.65 * (-e / 20.0).exp()),
            curve(100, |e| 0.99 - 0.3 * (-e / 20.0).exp()),
            curve(100, |e| 0.5 + 0.2 * (-e / 15.0).exp()),
            curve(100, |e| {
                if e < 50.0 {
                    0.6 + 0.003 * e
                } else {
                    0.76 + wobble(e as usize, 0.025)
                }
            }),
        );
        let d = diagnose(
            &config,
            &prepared(160, 40, unit_std()),
            &h,
            Status::Finished,
        );
        assert_eq!(top(&d), CauseId::Converged, "{d}");
        assert!(d.plateau_epoch().is_some(), "{d}");
        assert_eq!(d.headline_contradiction(), None, "{d}");
        // The same causes under "No plateau yet" would contradict the headline.
        let mut unsettled = d.clone();
        unsettled.plateau.plateau_epoch = None;
        let contradiction = unsettled.headline_contradiction().expect("a contradiction");
        assert!(
            contradiction.contains("Nothing is wrong"),
            "{contradiction}"
        );
        let overfitting = d
            .causes
            .iter()
            .find(|c| c.id == CauseId::Overfitting)
            .unwrap();
        assert!(
            !overfitting.is_present(),
            "a gap alone is only possible overfitting: {d}"
        );
    }

    #[test]
    fn no_fix_is_offered_where_a_limit_is_already_reached() {
        let h = history(
            curve(100, |e| 0.05 + 0.65 * (-e / 20.0).exp()),
            curve(100, |e| 0.99 - 0.3 * (-e / 20.0).exp()),
            curve(100, |e| 0.5 + 0.2 * (-e / 15.0).exp()),
            curve(100, |e| {
                if e < 50.0 {
                    0.6 + 0.003 * e
                } else {
                    0.76 + wobble(e as usize, 0.025)
                }
            }),
        );
        let fix_at = |samples: usize| {
            let config = Config {
                samples,
                ..Config::preset("lr-good").unwrap()
            };
            let d = diagnose(
                &config,
                &prepared(160, 40, unit_std()),
                &h,
                Status::Finished,
            );
            assert_eq!(top(&d), CauseId::Converged, "{d}");
            d.top().unwrap().fix.clone()
        };
        assert_eq!(fix_at(200), vec![("samples".into(), "400".into())]);
        assert_eq!(fix_at(8000), vec![("samples".into(), "10000".into())]);
        assert!(
            fix_at(10_000).is_empty(),
            "the largest dataset has no bigger one"
        );

        let widest = Config {
            hidden: vec![256, 256],
            ..Config::default()
        };
        let d = diagnose(
            &widest,
            &prepared(160, 40, unit_std()),
            &h,
            Status::Finished,
        );
        let mut cause = d.causes[0].clone();
        cause.fix = vec![("hidden".into(), "256,256".into())];
        drop_no_op_fix(&widest, &mut cause);
        assert!(cause.fix.is_empty());
        cause.fix = vec![("l2".into(), "0.01".into())];
        drop_no_op_fix(&widest, &mut cause);
        assert_eq!(cause.fix.len(), 1, "a real change stays");
    }

    #[test]
    fn low_and_flat_on_both_sides_is_underfitting() {
        let config = Config {
            samples: 2000,
            hidden: vec![1],
            ..Config::default()
        };
        let h = history(
            curve(100, |e| {
                0.45 + 0.25 * (-e / 4.0).exp() + wobble(e as usize, 0.002)
            }),
            curve(100, |e| 0.78 - 0.25 * (-e / 4.0).exp()),
            curve(100, |e| 0.46 + 0.25 * (-e / 4.0).exp()),
            curve(100, |e| {
                0.77 - 0.25 * (-e / 4.0).exp() + wobble(e as usize, 0.005)
            }),
        );
        let d = diagnose(
            &config,
            &prepared(1600, 400, unit_std()),
            &h,
            Status::Finished,
        );
        assert_eq!(top(&d), CauseId::Underfitting, "{d}");
        assert!(
            !d.causes.iter().any(|c| c.id == CauseId::NoisyValidation),
            "{d}"
        );
        // Doubling one unit to two is no test of capacity: at least the article's 32.
        assert_eq!(d.top().unwrap().fix, vec![("hidden".into(), "32".into())]);
        // Its validation gains a sample by chance late in the run, so the headline says "No
        // plateau yet": the flat training loss is then not called flat, nor still learning.
        assert_eq!(d.plateau_epoch(), None, "{d}");
        assert!(!d.to_string().contains("flat"), "{d}");
        assert_eq!(d.headline_contradiction(), None, "{d}");
    }

    #[test]
    fn unscaled_features_rank_first_whatever_else_is_seen() {
        let config = Config::preset("unscaled").unwrap();
        let mut std = unit_std();
        std[0] = 180.0;
        std[1] = 0.018;
        let mut h = overfit_history();
        h.loss[0] = 4.1;
        let d = diagnose(&config, &prepared(160, 40, std), &h, Status::Finished);
        assert_eq!(top(&d), CauseId::UnscaledFeatures, "{d}");
        let Evidence::UnscaledFeatures {
            spread,
            initial_loss,
            ..
        } = d.causes[0].evidence
        else {
            panic!()
        };
        assert!((spread - 10_000.0).abs() < 1e-6);
        assert_eq!(initial_loss, Some(4.1));
        assert_eq!(d.causes[0].confidence, 1.0);
        assert!(d.causes.iter().any(|c| c.id == CauseId::Overfitting), "{d}");
    }

    #[test]
    fn constant_features_are_left_out_of_the_spread() {
        let config = Config::default();
        let mut std = unit_std();
        std[3] = 0.0;
        let d = diagnose(
            &config,
            &prepared(160, 40, std),
            &overfit_history(),
            Status::Finished,
        );
        assert!(
            !d.causes.iter().any(|c| c.id == CauseId::UnscaledFeatures),
            "{d}"
        );
        let all_constant = diagnose(
            &config,
            &prepared(160, 40, vec![0.0; 20]),
            &overfit_history(),
            Status::Finished,
        );
        assert!(!all_constant
            .causes
            .iter()
            .any(|c| c.id == CauseId::UnscaledFeatures));
    }

    /// A strong L2 penalty on a deep network at a slow rate: the loss starts near ln 2 plus
    /// the penalty (~6) and falls slowly as the penalty is worked off, accuracy at chance.
    /// Read as cross-entropy the loss would say "predictions extreme at once".
    #[test]
    fn a_loss_made_of_l2_penalty_is_not_overconfidence() {
        let config = Config {
            hidden: vec![16, 32, 8],
            l2: 0.1,
            learning_rate: 0.0003,
            optimizer: crate::config::OptimizerKind::RmsProp,
            samples: 100,
            ..Config::default()
        };
        let h = history(
            curve(100, |e| 0.69 + 5.5 * (-e / 60.0).exp()),
            curve(100, |_| 0.51),
            curve(100, |e| 0.69 + 5.4 * (-e / 60.0).exp()),
            curve(100, |_| 0.55),
        );
        let d = diagnose(&config, &prepared(80, 20, unit_std()), &h, Status::Finished);
        assert!(!d.causes.iter().any(|c| c.id == CauseId::LrTooHigh), "{d}");
        assert_eq!(top(&d), CauseId::LrTooLow, "{d}");
    }

    /// Adam at 0.3 fits the training rows within a dozen epochs and validation loss climbs
    /// after: overfitting by its look, but the rate comes first.
    #[test]
    fn adam_at_the_weights_scale_is_lr_too_high_before_overfitting() {
        let config = Config {
            learning_rate: 0.3,
            activation: crate::nn::Activation::Sigmoid,
            samples: 400,
            epochs: 50,
            ..Config::default()
        };
        let h = history(
            curve(50, |e| 0.7 * (-e / 6.0).exp() + 0.001),
            curve(50, |e| (0.6 + 0.05 * e).min(1.0)),
            curve(50, |e| 0.35 + 0.01 * (e - 7.0).abs()),
            curve(50, |e| 0.82 + wobble(e as usize, 0.0125)),
        );
        let d = diagnose(
            &config,
            &prepared(320, 80, unit_std()),
            &h,
            Status::Finished,
        );
        assert_eq!(top(&d), CauseId::LrTooHigh, "{d}");
        assert!(d.causes.iter().any(|c| c.id == CauseId::Overfitting), "{d}");
        assert!(d.to_string().contains("whole initial size"), "{d}");
    }

    /// Still at chance, the loss falling step after step at a low rate: not started yet.
    #[test]
    fn at_chance_and_still_falling_is_lr_too_low() {
        let config = Config {
            learning_rate: 0.0001,
            ..Config::default()
        };
        let h = history(
            curve(100, |e| 0.66 + 0.04 * (-e / 30.0).exp()),
            curve(100, |_| 0.49),
            curve(100, |_| 0.695),
            curve(100, |_| 0.5),
        );
        let d = diagnose(
            &config,
            &prepared(160, 40, unit_std()),
            &h,
            Status::Finished,
        );
        assert_eq!(top(&d), CauseId::LrTooLow, "{d}");
        assert!(d.to_string().contains("not started"), "{d}");
    }

    #[test]
    fn a_diverged_run_is_lr_too_high_and_reads_only_finite_epochs() {
        let config = Config {
            learning_rate: 1.0,
            ..Config::default()
        };
        let h = history(
            vec![0.9, 25.0, f64::NAN],
            vec![0.6, 0.5, 0.5],
            vec![0.8, 40.0, f64::NAN],
            vec![0.6, 0.5, 0.5],
        );
        let d = diagnose(
            &config,
            &prepared(160, 40, unit_std()),
            &h,
            Status::Diverged { epoch: 3 },
        );
        assert_eq!(d.epochs, 2);
        assert_eq!(top(&d), CauseId::LrTooHigh, "{d}");
        assert_eq!(d.causes[0].confidence, 1.0);
        let json = serde_json::to_value(&d).unwrap();
        assert_eq!(json["causes"][0]["evidence"]["diverged_epoch"], 3);
        assert_eq!(json["status"]["state"], "diverged");
    }

    #[test]
    fn one_epoch_or_none_gives_no_verdict_on_the_curves() {
        let config = Config::default();
        let one = history(vec![0.7], vec![0.5], vec![0.69], vec![0.55]);
        let d = diagnose(
            &config,
            &prepared(160, 40, unit_std()),
            &one,
            Status::Finished,
        );
        assert_eq!((d.plateau_epoch(), d.best_epoch()), (None, Some(1)));
        assert!(
            d.causes
                .iter()
                .all(|c| !c.id.is_problem() || c.id == CauseId::UnscaledFeatures),
            "{d}"
        );
        assert!(d.to_string().contains("too few"), "{d}");
        let none = diagnose(
            &config,
            &prepared(160, 40, unit_std()),
            &History::default(),
            Status::Training,
        );
        assert_eq!(none.best_epoch(), None);
        assert!(none.to_string().contains("No finite epoch"));
    }

    #[test]
    fn two_validation_rows_make_noise_the_top_cause() {
        let config = Config {
            samples: 10,
            ..Config::default()
        };
        let h = history(
            curve(30, |e| 0.05 + 0.65 * (-e / 8.0).exp()),
            curve(30, |e| 1.0 - 0.4 * (-e / 8.0).exp()),
            curve(30, |e| 0.6 + 0.1 * (-e / 8.0).exp()),
            curve(30, |e| {
                if (e as usize).is_multiple_of(3) {
                    0.5
                } else {
                    1.0
                }
            }),
        );
        let d = diagnose(&config, &prepared(8, 2, unit_std()), &h, Status::Finished);
        assert_eq!(top(&d), CauseId::NoisyValidation, "{d}");
        let Evidence::NoisyValidation {
            points_per_sample, ..
        } = d.causes[0].evidence
        else {
            panic!()
        };
        assert_eq!(points_per_sample, 50.0);
        assert!(d.to_string().contains("50.0 points"), "{d}");
    }

    #[test]
    fn json_has_the_agreed_field_names() {
        let d = overfit_diagnosis();
        let json = serde_json::to_value(&d).unwrap();
        for key in ["plateau_epoch", "best_epoch", "causes", "experiments"] {
            assert!(json.get(key).is_some(), "{key} missing: {json}");
        }
        let cause = &json["causes"][0];
        assert_eq!(cause["id"], "overfitting");
        assert!(cause["confidence"].is_number());
        assert!(cause["evidence"]["gap_points"].is_number(), "{cause}");
        assert_eq!(cause["fix"][0][0], "l2");
    }

    #[test]
    fn parameters_of_the_article_models() {
        assert_eq!(
            parameter_count(20, &[128, 64]),
            20 * 128 + 128 + 128 * 64 + 64 + 65
        );
        assert_eq!(parameter_count(20, &[32]), 705);
        assert_eq!(parameter_count(20, &[]), 21);
    }
}
