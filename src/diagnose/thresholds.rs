//! Every threshold the rules, the ranking and the experiments read, as a named constant whose
//! doc comment gives the reason for its value; and the two figures a threshold must be
//! adjusted by for a given config (the optimizer's and activation's saturating spread, the
//! L2 penalty in the loss).

use crate::config::{Config, OptimizerKind};

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
pub(super) fn saturating_spread(
    activation: crate::nn::Activation,
    optimizer: OptimizerKind,
) -> f64 {
    use crate::nn::Activation::{Sigmoid, Tanh};
    if optimizer == OptimizerKind::Sgd {
        SATURATING_SPREAD / 100.0
    } else if matches!(activation, Tanh | Sigmoid) {
        SATURATING_SPREAD / 10.0
    } else {
        SATURATING_SPREAD
    }
}

/// A first epoch's training loss at twice ln 2 or more (twice ln k for `k` classes): the
/// inputs' scale saturates the first layer (the article's unscaled run starts near 4).
/// Unit-scale inputs through Glorot weights start near ln k (`Chance::start_loss`), whatever
/// the class shares: much higher means saturated logits.
pub const SATURATED_LOSS: f64 = 2.0;

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

/// A collapsed network predicts the same for every row: its training loss sits at chance's
/// (`Chance::loss`, ln 2 on balanced classes) within this band (a model still learning at
/// chance starts there too, but moves away).
pub const COLLAPSE_LOSS_BAND: f64 = 0.05;

/// ... and its training accuracy has not left chance: it stays below the majority class's
/// share plus this share of the way from there to every row (`Chance::left_at`). The line
/// was measured on two balanced classes as 60%, 10 points above chance: a fifth of the
/// 50 points there are to gain. A share of the room above chance rather than a fixed 10
/// points keeps the line below 100% however large the majority (a 95% class: 96%), and
/// scales with the classes (ten balanced ones: 28%; a 63/37 file: 70.4%).
pub const LEFT_CHANCE_SHARE: f64 = 0.2;

/// For Adam and RMSprop (steps of about `lr` per weight), a rate from which each step is as
/// large as the weights' initial scale (Glorot, ~0.1–0.3 here).
pub const ADAPTIVE_HIGH_LR: f64 = 0.1;

/// A validation loss whose lowest is still 3× the loss of knowing nothing (predicting `1/k`
/// for every class, ln k: where a network starts, `Chance::start_loss`) was never calibrated
/// at all: the first steps already made the predictions extreme.
pub const EXTREME_LOSS: f64 = 3.0;

/// A gap (or a difference) counts when it is two standard errors of the validation accuracy:
/// the usual 95% line.
pub const SIGNIFICANT_SE: f64 = 2.0;

/// Validation loss has risen when it ends at least two "one sample" loss units above its
/// lowest (see `PlateauSettings::min_delta_loss`): two validation samples' worth of
/// confidence lost, beyond the wobble of one.
pub const RISE_SAMPLES: f64 = 2.0;

/// Validation loss has clearly turned when the later epochs undid half of what it had gained
/// (from chance's loss, `Chance::loss`, down to its lowest): training on cost as much as the early epochs' learning
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

/// The highest confidence of a cause the rules can only call possible: just under
/// [`PRESENT`].
pub const POSSIBLE: f64 = 0.45;

/// Overfitting is present only with at least two parameters for every training row. Below
/// that, measured on the diagnosis banks, a rising validation loss was mostly overconfidence
/// on a few rows that neither an L2 penalty nor a smaller model turned into accuracy: of 12
/// such configurations the rules had called overfitting in (Dense 8 or 16 on 320–1,600 rows
/// among them, validation loss rising for tens of epochs), the regularising fix helped in 2
/// and was the truth's answer in 1, and in 6 the truth was that no setup fix helps. The
/// article's overfit preset has 138 per row.
pub const MEMORISING_PARAMETERS: f64 = 2.0;

/// A bottleneck: a hidden layer this narrow (or none, or a linear activation) passes each row
/// on as one or two numbers, too few for make_classification's clusters (two a class, in ten
/// informative dimensions). Measured on the diagnosis banks, where such a network does not fit
/// its training rows the wider model was in the truth's answer for 28 of 51 configurations,
/// against 8 of 49 for wider networks, where the rule only suspects it.
pub const BOTTLENECK_UNITS: usize = 2;

/// For Adam and RMSprop, the rate from which a bottleneck's rate comes before its shape: steps
/// past the top of Glorot's initial scale (~0.1–0.3 here). Measured on the bank, bottlenecks
/// at 0.3 and 1.0 were answered by the rate (5 of 6), while at 0.1 the wider model helped
/// most (sigmoid Dense 1 under RMSprop: +7.9 points against +1.2 for the rate).
pub const BOTTLENECK_RATE_FIRST_LR: f64 = 0.3;

/// For plain SGD, the rate up to which a bottleneck's rate comes before its shape: SGD has no
/// per-weight step size, and at 0.003 or less a run of 30–100 epochs has not reached what its
/// shape allows, so the shape cannot be judged yet. Over the bank, held-out and first fresh
/// sets (120 configurations) every SGD bottleneck at such a rate that the truth answered was
/// answered by the rate or the scales, never by the wider model alone (bank 21, 22, 26, 35,
/// 39, 68; fresh 2, 12, 18), and in bank 35 and fresh 18 the leading shape was the rules' miss.
pub const BOTTLENECK_SGD_RATE_FIRST_LR: f64 = 0.003;

/// A network that fits all but a few of its training rows: make_classification flips 1% of the
/// labels, so one that can fit them ends near 99%; 95% leaves a margin for a few hard rows.
pub const FITS_ALL_TRAINING: f64 = 0.95;

/// Weaker causes are still listed, as "possible", from this confidence on.
pub const MENTION: f64 = 0.25;

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(initial_l2_penalty(&c) > 5.0 * std::f64::consts::LN_2);
        c.l2 = 0.0;
        assert_eq!(initial_l2_penalty(&c), 0.0);
    }
}
