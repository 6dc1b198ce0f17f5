//! One detector per cause. Each reads the curves and the data, and returns its confidence,
//! the figures it based it on, a fix as `Config::set` pairs, and the same in plain words.
//!
//! Every threshold is a named constant whose doc comment gives the reason for its value.

use super::curves::{climb_ratio, falling_share_second_half, first_below, halves_drop, mean_last};
use super::plateau::Plateau;
use super::{parameter_count, Cause, CauseId, Evidence};
use crate::config::{limits, Config, OptimizerKind};

/// Final figures are the mean of the last 5 epochs, so that one lucky epoch (one validation
/// sample is 2.5 points on the article's data) does not decide them.
pub const FINAL_EPOCHS: usize = 5;

/// Curve shapes need a few epochs: a first half and a second half of at least two each.
pub const MIN_EPOCHS: usize = 4;

/// Glorot initialisation keeps pre-activations at unit scale only for unit-scale inputs. A
/// feature whose standard deviation is an order of magnitude off the others (or off 1)
/// dominates the first layer's sums, and Adam's per-weight step of about `lr` is far too small
/// for its tiny neighbours: the optimisation has to undo the scale before it can learn.
pub const SCALE_SPREAD: f64 = 10.0;

/// A spread of 10⁵ or more (a feature scaled by ~300 and another by 1/300) saturates the
/// first layer whatever the loss shows.
pub const SATURATING_SPREAD: f64 = 1e5;

/// Tanh and sigmoid units saturate without the loss showing it (their outputs are bounded),
/// so for them the article's ×100 / ×0.01 (a spread of 10⁴) is sign enough.
///
/// Plain SGD has no per-weight step size: each weight's gradient grows with its input's scale,
/// so a spread of `s` makes the curvature along the features differ by about `s²` and no one
/// learning rate suits both ends (the ill-conditioning standardization exists to remove; Adam
/// and RMSprop divide it out). For SGD a spread of 10³ is sign enough.
fn saturating_spread(activation: crate::nn::Activation, optimizer: OptimizerKind) -> f64 {
    use crate::nn::Activation::{Sigmoid, Tanh};
    if optimizer == OptimizerKind::Sgd {
        SATURATING_SPREAD / 100.0
    } else if matches!(activation, Tanh | Sigmoid) {
        SATURATING_SPREAD / 10.0
    } else {
        SATURATING_SPREAD
    }
}

/// A first epoch's training loss at twice ln 2 or more: the inputs' scale saturates the
/// first layer (the article's unscaled run starts near 4).
pub const SATURATED_LOSS: f64 = 2.0;

/// The loss of a balanced binary model whose initial logits are near 0: `ln 2`. Unit-scale
/// inputs through Glorot weights start close to it; much higher means saturated logits.
pub const CHANCE_LOSS: f64 = std::f64::consts::LN_2;

/// The L2 penalty of freshly initialised weights, which Keras (and the engine) adds to both the
/// training and the validation loss: `l2 · Σ w²` over the kernels, whose expectation under
/// Glorot-uniform initialisation (variance `2 / (fan_in + fan_out)`) is
/// `l2 · Σ fan_in · fan_out · 2 / (fan_in + fan_out)`. With `l2 = 0.1` on a 16,32,8 network it is
/// about 5.4, eight times ln 2: a loss threshold read as cross-entropy must allow for it, or the
/// penalty passes for saturated or overconfident predictions. (Training shrinks the penalty, so
/// this is an upper bound on what it adds after the first steps.)
pub fn initial_l2_penalty(config: &Config) -> f64 {
    let mut fan_in = config.features;
    let mut sum = 0.0;
    for &units in config.hidden.iter().chain(&[1]) {
        sum += 2.0 * (fan_in * units) as f64 / (fan_in + units) as f64;
        fan_in = units;
    }
    config.l2 * sum
}

/// Mean cross-entropy 0.05 = geometric-mean probability 0.95 for the true label on the
/// training rows: the training set is memorised.
pub const MEMORISED_LOSS: f64 = 0.05;

/// "A handful of epochs". At a learning rate that suits the data, memorising takes tens of
/// epochs (Keras, article data, lr 0.001: training accuracy 0.75 at epoch 10, 0.99 only at
/// 100); Adam moves each weight by about `lr` a step, so lr 0.1 moves weights by their whole
/// initial size (~0.3) in a few steps and memorises in under 10 epochs.
pub const HANDFUL_EPOCHS: usize = 10;

/// The same handful counted in optimizer steps, which is what moves the weights: the article's
/// 160 training rows in batches of 32 make 5 steps an epoch, so 10 epochs are 50 steps. On
/// 8,000 rows (250 steps an epoch) Adam at its default 0.001 memorises within 10 epochs as
/// well, but after 2,500 steps: fast because there are many steps, not because each is large.
pub const HANDFUL_STEPS: usize = 50;

/// Validation loss at its lowest within the first half-handful of epochs: the network was
/// never better than after its first few steps, so learning overshot at once.
pub const EARLY_EPOCHS: usize = HANDFUL_EPOCHS / 2;

/// A well-sized step gives a (noisy) falling training loss. When the rises add up to half of
/// all the fall, steps overshoot about as often as they descend.
pub const CLIMB_RATIO: f64 = 0.5;

/// Pace of the second half's fall relative to the first half's. A converging curve decays
/// (for `L∞ + A·e^(−t/τ)` the ratio is `e^(−n/2τ)`); a ratio above 0.5 means the curve's time
/// constant is longer than ~0.7× the whole run: far from converged.
pub const STILL_FALLING_PACE: f64 = 0.5;

/// A run still improving whose training loss's second half fell less than 0.4 of the first
/// half's is converging (the article's scaled run sits around 0.3).
pub const STILL_LEARNING_PACE: f64 = 0.4;

/// Above this learning rate a run still improving is not called "too low".
pub const STILL_LEARNING_MAX_LR: f64 = 0.01;

/// Steadily falling: most epochs of the second half lower the training loss (shuffling noise
/// alone would make about half of them go up on a flat curve).
pub const STEADY_SHARE: f64 = 0.6;

/// A collapsed network predicts one class for every row: its training loss sits at ln 2
/// within this band (a model still learning at chance starts there too, but moves away).
pub const COLLAPSE_LOSS_BAND: f64 = 0.05;

/// ... and its training accuracy stays below this: at chance on balanced classes.
pub const CHANCE_ACCURACY: f64 = 0.6;

/// For Adam and RMSprop (steps of about `lr` per weight), a rate from which each step is as
/// large as the weights' initial scale (Glorot, ~0.1–0.3 here).
pub const ADAPTIVE_HIGH_LR: f64 = 0.1;

/// A validation loss whose lowest is still 3× the loss of knowing nothing (ln 2) was never
/// calibrated at all: the first steps already made the predictions extreme.
pub const EXTREME_LOSS: f64 = 3.0;

/// A gap (or a difference) counts when it is two standard errors of the validation accuracy:
/// the usual 95% line.
pub const SIGNIFICANT_SE: f64 = 2.0;

/// Validation loss has risen when it ends at least two "one sample" loss units above its
/// lowest (see `PlateauSettings::min_delta_loss`): two validation samples' worth of
/// confidence lost, beyond the wobble of one.
pub const RISE_SAMPLES: f64 = 2.0;

/// Validation loss has clearly turned when the later epochs undid half of what it had gained
/// (from ln 2 down to its lowest): training on cost as much as the early epochs' learning
/// was worth to it. The sign grows linearly up to that point.
pub const GIVE_BACK: f64 = 0.5;

/// make_classification flips 1% of labels; any network with enough capacity fits all other
/// training rows. Ending below 90% on the rows it trains on means it cannot fit them.
pub const FITS_TRAINING: f64 = 0.9;

/// The brief's line: one validation sample moving accuracy by 2.5 points or more (40 rows or
/// fewer) makes differences of a few points noise.
pub const NOISY_STEP_POINTS: f64 = 2.5;

/// At 10 points per sample, any comparison of two runs hinges on a single sample: certain.
pub const NOISE_CERTAIN_POINTS: f64 = 10.0;

/// A cause is present (and may be ranked by its place upstream) from this confidence on.
pub const PRESENT: f64 = 0.5;

/// Weaker causes are still listed, as "possible", from this confidence on.
pub const MENTION: f64 = 0.25;

/// What every detector reads: the finite part of the curves (all the same length) and the
/// data's shape.
pub(crate) struct Facts<'a> {
    pub config: &'a Config,
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

impl Facts<'_> {
    fn epochs(&self) -> usize {
        self.loss.len()
    }
    fn train_accuracy(&self) -> f64 {
        mean_last(self.accuracy, FINAL_EPOCHS)
    }
    fn val_accuracy(&self) -> f64 {
        mean_last(self.val_accuracy, FINAL_EPOCHS)
    }
    fn parameters_per_sample(&self) -> f64 {
        self.parameters as f64 / self.train_samples.max(1) as f64
    }
    /// Standard error of the validation accuracy, floored at half a sample so that a perfect
    /// score on a few rows is not taken as exact.
    fn val_accuracy_se(&self) -> f64 {
        accuracy_se(self.val_accuracy(), self.val_samples)
    }
    /// It learned something (validation accuracy peaked) and then fell back to chance,
    /// training loss ≈ ln 2 and training accuracy ≈ 50%, flat: steps so large they pushed
    /// the units into dead (ReLU) or saturated (tanh, sigmoid) ranges where no gradient flows.
    pub(crate) fn collapsed(&self) -> bool {
        if self.epochs() < MIN_EPOCHS {
            return false;
        }
        let at_chance = (mean_last(self.loss, FINAL_EPOCHS) - CHANCE_LOSS).abs()
            < COLLAPSE_LOSS_BAND
            && self.train_accuracy() < CHANCE_ACCURACY
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

    /// Final validation accuracy is within the noise of a coin toss.
    pub(crate) fn at_chance(&self) -> bool {
        at_chance(self.val_accuracy(), self.val_samples)
    }

    /// The second half's fall over the first half's; `None` on too short a curve.
    fn pace(&self) -> Option<(f64, f64, f64)> {
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

/// A validation accuracy `p` on `n` rows within the noise of a coin toss (make_classification's
/// classes are balanced): less than [`SIGNIFICANT_SE`] standard errors above 50%. On the
/// article's 40 rows that is below 65%, on 80 rows below 61%.
pub(crate) fn at_chance(p: f64, n: usize) -> bool {
    p - 0.5 < SIGNIFICANT_SE * accuracy_se(p, n)
}

fn cause(id: CauseId, confidence: f64, evidence: Evidence, fix: Vec<(String, String)>) -> Cause {
    Cause {
        id,
        confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
        explanation: evidence.explanation(),
        evidence,
        fix,
    }
}

/// Each cause's fix, as `Config::set` pairs, in one place: the rules offer it ("try it") and
/// the experiments test it. Empty when the cause has no fix for this config.
pub fn fix_for(id: CauseId, config: &Config, train_samples: usize) -> Vec<(String, String)> {
    let lr = config.learning_rate;
    match id {
        CauseId::UnscaledFeatures if config.standardize => Vec::new(),
        CauseId::UnscaledFeatures => vec![pair("standardize", "true")],
        CauseId::LrTooHigh => vec![pair(
            "lr",
            plain_number((lr / 10.0).max(limits::LEARNING_RATE.0)),
        )],
        CauseId::LrTooLow => vec![pair(
            "lr",
            plain_number((lr * 10.0).min(limits::LEARNING_RATE.1)),
        )],
        CauseId::Overfitting => regularised(config, train_samples),
        CauseId::Underfitting => more_capacity(config),
        // Four times the rows halve the standard error of the validation accuracy.
        CauseId::NoisyValidation => {
            vec![pair("samples", (4 * config.samples).min(limits::SAMPLES.1))]
        }
        // Twice the data shows whether data is what limits validation accuracy.
        CauseId::Converged => vec![pair("samples", (2 * config.samples).min(limits::SAMPLES.1))],
    }
}

fn pair(key: &str, value: impl ToString) -> (String, String) {
    (key.to_string(), value.to_string())
}

/// A number as `Config::set` reads it, without binary noise (0.0001 × 10 → "0.001").
fn plain_number(x: f64) -> String {
    format!("{:.6e}", x).parse::<f64>().unwrap_or(x).to_string()
}

fn rounded(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

pub(crate) fn unscaled_features(f: &Facts) -> Option<Cause> {
    let stds: Vec<f64> = f
        .feature_std
        .iter()
        .copied()
        .filter(|s| s.is_finite() && *s > 0.0)
        .collect();
    // Constant columns carry no information and StandardScaler leaves them at 0 as well.
    let constant_features = f.feature_std.len() - stds.len();
    let largest = stds.iter().copied().fold(f64::NAN, f64::max);
    let smallest = stds.iter().copied().fold(f64::NAN, f64::min);
    let spread = largest / smallest;
    let off_scale = spread.max(largest);
    // NaN when every feature is constant.
    if off_scale.is_nan() || off_scale < SCALE_SPREAD {
        return None;
    }
    // 10× → 0.5, 100× or more → 1.
    // 10× → 0.5, 100× or more → 1; but measured over the bank, standardizing helps only when
    // the scale saturates the first layer: the first epoch's loss far above ln 2. Without that
    // sign the spread is only possible (a larger informative feature can even learn faster).
    // A run that diverged saturated at the extreme.
    // (The first epoch's loss includes the L2 penalty: only what is above it is saturation.)
    let saturated = f
        .loss
        .first()
        .is_some_and(|&l| l - initial_l2_penalty(f.config) >= SATURATED_LOSS * CHANCE_LOSS)
        || f.diverged_epoch.is_some()
        || off_scale >= saturating_spread(f.config.activation, f.config.optimizer);
    let confidence = (off_scale.log10() / 2.0).min(if saturated { 1.0 } else { MENTION });
    let evidence = Evidence::UnscaledFeatures {
        largest_std: largest,
        smallest_std: smallest,
        spread,
        constant_features,
        initial_loss: f.loss.first().copied(),
        unit_scale_initial_loss: CHANCE_LOSS,
    };
    Some(cause(
        CauseId::UnscaledFeatures,
        confidence,
        evidence,
        fix_for(CauseId::UnscaledFeatures, f.config, f.train_samples),
    ))
}

pub(crate) fn lr_too_high(f: &Facts) -> Option<Cause> {
    let lr = f.config.learning_rate;
    let memorised_epoch = first_below(f.loss, MEMORISED_LOSS);
    let steps_per_epoch = f.train_samples.div_ceil(f.config.batch_size.max(1)).max(1);
    let collapsed = memorised_epoch
        .is_some_and(|e| e <= HANDFUL_EPOCHS && e * steps_per_epoch <= HANDFUL_STEPS);
    let early_val_min = f
        .plateau
        .val_loss_best_epoch
        .is_some_and(|e| e <= EARLY_EPOCHS);
    // Rises smaller than one training sample crossing the boundary are shuffling noise.
    let noise = (0.6f64 / 0.4).ln() / f.train_samples.max(1) as f64;
    let denoised: Vec<f64> = denoise(f.loss, noise);
    let climb = climb_ratio(&denoised);
    let final_train_loss = (!f.loss.is_empty()).then(|| mean_last(f.loss, FINAL_EPOCHS));
    let collapsed_to_chance = f.collapsed();
    let lowest_val_loss = f.plateau.best_val_loss;
    // Validation loss never came near ln 2: the very first steps made the predictions so
    // extreme that the wrong ones cost more than knowing nothing, many times over. (Above the
    // L2 penalty, which the validation loss includes: a strong penalty on a deep network alone
    // is several times ln 2, and a slow rate takes the whole run to work it off.)
    let overconfident_at_once = lowest_val_loss
        .is_some_and(|l| l - initial_l2_penalty(f.config) > EXTREME_LOSS * CHANCE_LOSS);
    let mut confidence: f64 = 0.0;
    if f.diverged_epoch.is_some() || collapsed_to_chance {
        confidence = 1.0;
    }
    if overconfident_at_once {
        confidence = confidence.max(0.9);
    }
    // Adam and RMSprop move every weight by about `lr` a step: from 0.1 on that is the
    // weights' whole initial size, and a run that cannot even fit its training rows at such a
    // rate is thrown about rather than short of capacity.
    let adaptive = f.config.optimizer != OptimizerKind::Sgd;
    let adaptive_high = adaptive && lr >= ADAPTIVE_HIGH_LR && f.epochs() >= MIN_EPOCHS;
    let thrown_about = adaptive_high && f.train_accuracy() < FITS_TRAINING;
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
        let fits = f.train_accuracy() >= FITS_TRAINING && !(adaptive && lr >= ADAPTIVE_HIGH_LR);
        let climb_confidence = if fits { 0.4 } else { climb.min(1.0) };
        confidence = confidence.max(climb_confidence);
    }
    if confidence < MENTION {
        return None;
    }
    let evidence = Evidence::LrTooHigh {
        learning_rate: lr,
        collapsed: collapsed_to_chance,
        peak_val_accuracy: f.plateau.best_val_accuracy,
        peak_epoch: f.plateau.best_epoch,
        final_train_accuracy: (!f.accuracy.is_empty()).then(|| f.train_accuracy()),
        dead_relu_fraction: f.dead_units,
        diverged_epoch: f.diverged_epoch,
        memorised_epoch,
        memorised_at_once: collapsed,
        val_loss_best_epoch: f.plateau.val_loss_best_epoch,
        climb_ratio: rounded(climb, 3),
        lowest_train_loss: f.loss.iter().copied().reduce(f64::min),
        final_train_loss,
        lowest_val_loss,
        overconfident_at_once,
        unfit_at_adaptive_rate: thrown_about,
        adaptive_high_rate: adaptive_high,
    };
    Some(cause(
        CauseId::LrTooHigh,
        confidence,
        evidence,
        fix_for(CauseId::LrTooHigh, f.config, f.train_samples),
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

pub(crate) fn lr_too_low(f: &Facts) -> Option<Cause> {
    if f.epochs() < MIN_EPOCHS || f.diverged_epoch.is_some() {
        return None;
    }
    let (first, second, pace) = f.pace()?;
    let falling_share = falling_share_second_half(f.loss);
    let slow = second > 0.0 && pace >= STILL_FALLING_PACE && falling_share >= STEADY_SHARE;
    // No plateau: validation improved within the patience. Whatever else is seen, the run is
    // still learning, and that leads (the headline says so too); see `still_learning_slowly`
    // for when a faster rate is no answer.
    let still_improving = f.still_learning_slowly();
    // Still at chance on the training rows, and the loss still going down step after step:
    // the network has not started to separate the classes yet, it is moving towards it, slowly.
    // (Not a collapse, which sits flat at ln 2, and not at a rate already high.)
    let not_started = f.train_accuracy() < CHANCE_ACCURACY
        && second > 0.0
        && falling_share >= STEADY_SHARE
        && !f.collapsed()
        && f.config.learning_rate <= STILL_LEARNING_MAX_LR;
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
    let lr = f.config.learning_rate;
    let evidence = Evidence::LrTooLow {
        learning_rate: lr,
        first_half_drop: rounded(first, 4),
        second_half_drop: rounded(second, 4),
        pace_ratio: rounded(pace, 3),
        falling_share: rounded(falling_share, 3),
        final_train_loss: mean_last(f.loss, FINAL_EPOCHS),
        final_train_accuracy: f.train_accuracy(),
        still_improving,
        not_started,
        last_improvement_epoch: f.plateau.last_improvement_epoch,
    };
    Some(cause(
        CauseId::LrTooLow,
        confidence,
        evidence,
        fix_for(CauseId::LrTooLow, f.config, f.train_samples),
    ))
}

pub(crate) fn overfitting(f: &Facts) -> Option<Cause> {
    if f.epochs() < MIN_EPOCHS {
        return None;
    }
    let (train, val) = (f.train_accuracy(), f.val_accuracy());
    let gap_se = (train - val) / f.val_accuracy_se();
    let lowest_epoch = f.plateau.val_loss_best_epoch?;
    let lowest = f.plateau.best_val_loss?;
    let final_val_loss = mean_last(f.val_loss, FINAL_EPOCHS);
    let rise_samples = (final_val_loss - lowest) / f.plateau.settings.min_delta_loss;
    // What validation gained from knowing nothing (ln 2, or the first epoch if worse) down
    // to its lowest, and the share of that gain the later epochs undid.
    let gained = f.val_loss[0].max(CHANCE_LOSS) - lowest;
    let given_back = if gained > 0.0 {
        (final_val_loss - lowest) / gained
    } else {
        f64::INFINITY
    };
    // The classic picture: validation gets worse while training keeps getting better.
    let train_kept_falling = mean_last(f.loss, FINAL_EPOCHS) < f.loss[lowest_epoch - 1];
    let worsening = if rise_samples >= RISE_SAMPLES && train_kept_falling {
        (given_back / GIVE_BACK).min(1.0)
    } else {
        0.0
    };
    let significant_gap = gap_se >= SIGNIFICANT_SE;
    let can_memorise = f.parameters_per_sample() >= 1.0;
    // Worsening validation is the sign; a gap alone (0.3) is the normal generalisation gap
    // and, with capacity to memorise (0.1), still only possible overfitting.
    let confidence =
        0.6 * worsening + 0.3 * significant_gap as u8 as f64 + 0.1 * can_memorise as u8 as f64;
    if confidence < MENTION {
        return None;
    }
    let evidence = Evidence::Overfitting {
        train_accuracy: train,
        val_accuracy: val,
        gap_points: rounded(100.0 * (train - val), 1),
        gap_standard_errors: rounded(gap_se, 2),
        val_loss_best_epoch: lowest_epoch,
        lowest_val_loss: lowest,
        final_val_loss,
        val_loss_rise_samples: rounded(rise_samples, 1),
        val_loss_given_back: rounded(given_back.min(99.0), 3),
        parameters: f.parameters,
        train_samples: f.train_samples,
        parameters_per_sample: rounded(f.parameters_per_sample(), 1),
    };
    Some(cause(
        CauseId::Overfitting,
        confidence,
        evidence,
        fix_for(CauseId::Overfitting, f.config, f.train_samples),
    ))
}

/// Halve every hidden layer when that leaves fewer parameters than training rows, so the model
/// can no longer memorise them (the article's "too much capacity"). Otherwise halving still
/// leaves room to memorise, so add Keras's default L2 penalty, `L2()` = 0.01 (or ten times the
/// current one), which limits how far weights grow to fit single rows, whatever the size.
fn regularised(config: &Config, train_samples: usize) -> Vec<(String, String)> {
    let halved: Vec<usize> = config.hidden.iter().map(|&h| (h / 2).max(1)).collect();
    let shrinks = halved != config.hidden;
    if shrinks && parameter_count(config.features, &halved) < train_samples {
        vec![pair("hidden", hidden_list(&halved))]
    } else {
        let l2 = if config.l2 > 0.0 {
            10.0 * config.l2
        } else {
            0.01
        };
        vec![pair("l2", plain_number(l2.min(limits::L2.1)))]
    }
}

pub(crate) fn underfitting(f: &Facts) -> Option<Cause> {
    if f.epochs() < MIN_EPOCHS || f.diverged_epoch.is_some() {
        return None;
    }
    let (train, val) = (f.train_accuracy(), f.val_accuracy());
    let (_, _, pace) = f.pace()?;
    let flat = pace < STILL_FALLING_PACE;
    // A collapse is the learning rate's doing, and a run still learning is not underfitting
    // (yet): `lr_too_low` says it is still learning.
    if train >= FITS_TRAINING || !flat || f.collapsed() || f.still_learning_slowly() {
        return None;
    }
    let gap_se = (train - val) / f.val_accuracy_se();
    let small_model = f.parameters_per_sample() < 1.0;
    let confidence =
        0.6 + 0.2 * (gap_se < SIGNIFICANT_SE) as u8 as f64 + 0.2 * small_model as u8 as f64;
    let evidence = Evidence::Underfitting {
        train_accuracy: train,
        val_accuracy: val,
        pace_ratio: rounded(pace, 3),
        parameters: f.parameters,
        train_samples: f.train_samples,
        parameters_per_sample: rounded(f.parameters_per_sample(), 2),
        linear: f.config.activation == crate::nn::Activation::Linear || f.config.hidden.is_empty(),
        no_plateau: f.no_plateau(),
    };
    Some(cause(
        CauseId::Underfitting,
        confidence,
        evidence,
        fix_for(CauseId::Underfitting, f.config, f.train_samples),
    ))
}

/// A model that can fit more: a linear network is one linear model whatever its width, so it
/// needs a nonlinearity (relu), with layers of at least the article's 32 units for it to bend
/// the boundary with (one relu unit bends it once); a nonlinear one gets wider layers.
fn more_capacity(config: &Config) -> Vec<(String, String)> {
    if config.activation != crate::nn::Activation::Linear {
        return bigger_model(config);
    }
    let hidden = widened(config, |h| h.max(32));
    let mut fix = vec![pair("activation", "relu")];
    if hidden != config.hidden {
        fix.push(pair("hidden", hidden_list(&hidden)));
    }
    fix
}

/// Double every hidden layer, to at least the article's 32 units (two units doubled to four
/// is no test of capacity), or give logistic regression a hidden layer of 32.
fn bigger_model(config: &Config) -> Vec<(String, String)> {
    let hidden = widened(config, |h| (2 * h).clamp(32, limits::HIDDEN_UNITS.1));
    vec![pair("hidden", hidden_list(&hidden))]
}

/// The hidden layers with `f` applied to each width; no hidden layer (logistic regression)
/// becomes one layer of the article's 32 units.
fn widened(config: &Config, f: impl Fn(usize) -> usize) -> Vec<usize> {
    if config.hidden.is_empty() {
        vec![32]
    } else {
        config.hidden.iter().map(|&h| f(h)).collect()
    }
}

/// Hidden widths as `Config::set` reads them: "64,32".
fn hidden_list(hidden: &[usize]) -> String {
    hidden
        .iter()
        .map(|h| h.to_string())
        .collect::<Vec<_>>()
        .join(",")
}

pub(crate) fn noisy_validation(f: &Facts) -> Option<Cause> {
    let n = f.val_samples.max(1) as f64;
    let points_per_sample = 100.0 / n;
    if points_per_sample < NOISY_STEP_POINTS {
        return None;
    }
    let p = if f.val_accuracy.is_empty() {
        0.5
    } else {
        f.val_accuracy()
    };
    // 2.5 points → 0.25, 5 → 0.5, 10 or more → 1.
    let confidence = points_per_sample / NOISE_CERTAIN_POINTS;
    let evidence = Evidence::NoisyValidation {
        val_samples: f.val_samples,
        points_per_sample: rounded(points_per_sample, 2),
        ci95_points: rounded(196.0 * (p * (1.0 - p) / n).sqrt(), 1),
        val_accuracy: p,
    };
    Some(cause(
        CauseId::NoisyValidation,
        confidence,
        evidence,
        fix_for(CauseId::NoisyValidation, f.config, f.train_samples),
    ))
}

/// Nothing wrong: as confident as the strongest problem is not.
pub(crate) fn converged(f: &Facts, problems: &[Cause]) -> Option<Cause> {
    // Not while a faster rate would still get further, and never at chance: that is not a
    // model that reached what the data allows. Without a plateau it is converging, still
    // learning but only just, and its text says that instead (`Evidence::Converged`).
    if f.epochs() < MIN_EPOCHS
        || f.diverged_epoch.is_some()
        || f.still_learning_slowly()
        || f.at_chance()
    {
        return None;
    }
    let worst = problems
        .iter()
        .filter(|c| c.id.is_problem())
        .map(|c| c.confidence)
        .fold(0.0, f64::max);
    let confidence = 1.0 - worst;
    if confidence < MENTION {
        return None;
    }
    let evidence = Evidence::Converged {
        train_accuracy: f.train_accuracy(),
        val_accuracy: f.val_accuracy(),
        best_val_accuracy: f.plateau.best_val_accuracy,
        plateau_epoch: f.plateau.plateau_epoch,
        train_samples: f.train_samples,
        still_learning: f.no_plateau(),
        last_improvement_epoch: f.plateau.last_improvement_epoch,
    };
    Some(cause(
        CauseId::Converged,
        confidence,
        evidence,
        fix_for(CauseId::Converged, f.config, f.train_samples),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixes_are_plain_config_values() {
        assert_eq!(plain_number(0.0001 * 10.0), "0.001");
        assert_eq!(plain_number(0.1 / 10.0), "0.01");
        let mut c = Config::preset("overfit").unwrap();
        // 64,32 would still have 3,521 parameters for 80 rows: halving cannot stop memorising.
        assert_eq!(regularised(&c, 80), vec![pair("l2", "0.01")]);
        c.l2 = 0.01;
        assert_eq!(regularised(&c, 80), vec![pair("l2", "0.1")]);
        c.hidden = vec![32];
        assert_eq!(regularised(&c, 1000), vec![pair("hidden", "16")]);
        c.hidden = vec![1];
        assert_eq!(regularised(&c, 1000), vec![pair("l2", "0.1")]);
        c.hidden = vec![];
        assert_eq!(bigger_model(&c), vec![pair("hidden", "32")]);
        c.hidden = vec![200, 4];
        assert_eq!(bigger_model(&c), vec![pair("hidden", "256,32")]);
        // A linear network gets a nonlinearity, and widths of at least 32 only where needed.
        c.activation = crate::nn::Activation::Linear;
        assert_eq!(
            more_capacity(&c),
            vec![pair("activation", "relu"), pair("hidden", "200,32")]
        );
        c.hidden = vec![64, 32];
        assert_eq!(more_capacity(&c), vec![pair("activation", "relu")]);
        c.hidden = vec![];
        assert_eq!(
            more_capacity(&c),
            vec![pair("activation", "relu"), pair("hidden", "32")]
        );
    }

    #[test]
    fn the_initial_penalty_is_glorots_expected_norm_times_l2() {
        let mut c = Config {
            hidden: vec![16, 32, 8],
            l2: 0.1,
            ..Config::default()
        };
        // 20·16·2/36 + 16·32·2/48 + 32·8·2/40 + 8·1·2/9, times 0.1.
        let expected = 0.1 * (640.0 / 36.0 + 1024.0 / 48.0 + 512.0 / 40.0 + 16.0 / 9.0);
        assert!((initial_l2_penalty(&c) - expected).abs() < 1e-12);
        assert!(initial_l2_penalty(&c) > 5.0 * CHANCE_LOSS);
        c.l2 = 0.0;
        assert_eq!(initial_l2_penalty(&c), 0.0);
    }

    #[test]
    fn denoise_ignores_small_rises_only() {
        assert_eq!(
            denoise(&[1.0, 0.5, 0.505, 0.4, 0.9], 0.01),
            vec![1.0, 0.5, 0.5, 0.4, 0.9]
        );
    }
}
