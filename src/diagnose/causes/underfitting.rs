//! Underfitting: training accuracy levels off short of the rows it trains on, the model unable
//! to fit them. The rule, its fix (more capacity, or a nonlinearity) and its
//! explanation.

use super::fixes::{hidden_list, pair};
use super::{cause, pct, rounded, Observations};
use crate::config::OptimizerKind;
use crate::config::{limits, Config};
use crate::diagnose::thresholds::{
    BOTTLENECK_RATE_FIRST_LR, BOTTLENECK_SGD_RATE_FIRST_LR, BOTTLENECK_UNITS, FINAL_EPOCHS,
    FITS_ALL_TRAINING, FITS_TRAINING, MIN_EPOCHS, POSSIBLE, SIGNIFICANT_SE, STILL_FALLING_PACE,
};
use crate::diagnose::{Cause, CauseId, Evidence};

pub(super) fn detect(run: &Observations) -> Option<Cause> {
    if run.epochs() < MIN_EPOCHS || run.diverged_epoch.is_some() || run.collapsed() {
        return None;
    }
    let (train, val) = (run.train_accuracy(), run.val_accuracy());
    let (_, _, pace) = run.pace()?;
    let bottleneck = bottleneck(run.config);
    let confidence = if bottleneck.is_some() {
        // The network's shape caps what it can fit, whatever the rate or the epochs.
        if train >= FITS_ALL_TRAINING {
            return None;
        }
        1.0
    } else {
        // A wider network: a low, flat training curve suggests too little capacity, but
        // measured (`BOTTLENECK_UNITS`) the wider model rarely helped most: possible only. A
        // collapse is the learning rate's doing, and a run still learning is not underfitting
        // (yet): `lr_too_low` says it is still learning.
        if train >= FITS_TRAINING || pace >= STILL_FALLING_PACE || run.still_learning_slowly() {
            return None;
        }
        let gap_se = (train - val) / run.val_accuracy_se();
        let small_model = run.parameters_per_sample() < 1.0;
        (0.3 + 0.1 * (gap_se < SIGNIFICANT_SE) as u8 as f64 + 0.05 * small_model as u8 as f64)
            .min(POSSIBLE)
    };
    // A bottleneck leads the other setup causes once the network has started to separate the
    // classes (a network at chance cannot show its capacity: the scale or the rate comes first)
    // and unless the rate comes first.
    let leads =
        bottleneck.is_some() && train >= run.chance.left_at() && !rate_comes_first(run.config);
    let evidence = Evidence::Underfitting {
        train_accuracy: train,
        val_accuracy: val,
        pace_ratio: rounded(pace, 3),
        parameters: run.parameters,
        train_samples: run.train_samples,
        parameters_per_sample: rounded(run.parameters_per_sample(), 2),
        linear: run.config.activation == crate::nn::Activation::Linear
            || run.config.hidden.is_empty(),
        bottleneck,
        leads,
        no_plateau: run.no_plateau(),
    };
    Some(cause(
        CauseId::Underfitting,
        confidence,
        evidence,
        fix(run.config),
    ))
}

/// Whether a bottleneck's rate is judged before its shape: when Adam's or RMSprop's steps are
/// larger than the weights, or plain SGD's too small to have reached what the shape allows
/// (`BOTTLENECK_RATE_FIRST_LR`, `BOTTLENECK_SGD_RATE_FIRST_LR`).
fn rate_comes_first(config: &Config) -> bool {
    if config.optimizer == OptimizerKind::Sgd {
        config.learning_rate <= BOTTLENECK_SGD_RATE_FIRST_LR
    } else {
        config.learning_rate >= BOTTLENECK_RATE_FIRST_LR
    }
}

/// The network's narrowest point when it is a bottleneck (see [`BOTTLENECK_UNITS`]): the units
/// of its narrowest hidden layer, or 0 for no hidden layer or a linear network (one linear
/// model, whatever its widths).
fn bottleneck(config: &Config) -> Option<usize> {
    let narrowest = config.hidden.iter().copied().min();
    match narrowest {
        None => Some(0),
        Some(_) if config.activation == crate::nn::Activation::Linear => Some(0),
        Some(units) if units <= BOTTLENECK_UNITS => Some(units),
        Some(_) => None,
    }
}

/// A model that can fit more: a linear network is one linear model whatever its width, so it
/// needs a nonlinearity (relu), with layers of at least the article's 32 units for it to bend
/// the boundary with (one relu unit bends it once); a nonlinear one gets wider layers.
pub(super) fn fix(config: &Config) -> Vec<(String, String)> {
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

/// The cause in plain words, with its figures.
pub(super) fn explanation(evidence: &Evidence) -> String {
    match evidence {
        Evidence::Underfitting {
            train_accuracy,
            val_accuracy,
            parameters,
            train_samples,
            linear,
            bottleneck,
            no_plateau,
            ..
        } => {
            if let Some(units) = bottleneck {
                return bottleneck_text(*train_accuracy, *val_accuracy, *units, *linear);
            }
            // Without a plateau validation still moves: "levels off" would contradict the
            // headline, but the training loss has slowed all the same. "Low" is said against
            // what a network that can fit its rows reaches, not in general: 88% is not low.
            let (shape, moving) = if *no_plateau {
                (
                    "ends",
                    " The training loss has slowed down; validation still moves (no \
                         plateau yet), but not towards fitting.",
                )
            } else {
                ("levels off", "")
            };
            let s = format!(
                "Training accuracy {shape} at {} and validation at {} (means of the last \
                     {FINAL_EPOCHS} epochs): the model, {parameters} parameters for \
                     {train_samples} rows, does not fit the rows it trains on, where a network \
                     with room to fit them reaches {} or more.{moving}",
                pct(*train_accuracy),
                pct(*val_accuracy),
                pct(FITS_TRAINING)
            );
            if *linear {
                s + " A linear network is one linear model however wide it is: a nonlinearity \
                         (relu) may help."
            } else {
                s + " More capacity may help; measured over many settings, for layers this \
                         wide it rarely helped most."
            }
        }
        _ => unreachable!("not Underfitting evidence"),
    }
}

/// A bottleneck's cause in plain words: the shape that caps the fit, and the fix.
fn bottleneck_text(train_accuracy: f64, val_accuracy: f64, units: usize, linear: bool) -> String {
    let shape = match units {
        0 if linear => "a linear network is one linear model however wide it is: one straight \
                        boundary through make_classification's clusters"
            .to_string(),
        0 => "with no hidden layer it is one linear model: one straight boundary through \
              make_classification's clusters"
            .to_string(),
        1 => "its narrowest hidden layer has one unit, so every row reaches the layers after it \
              as one number, too few to separate make_classification's clusters"
            .to_string(),
        n => format!(
            "its narrowest hidden layer has {n} units, so every row reaches the layers after it \
             as {n} numbers, too few to separate make_classification's clusters"
        ),
    };
    let fix = if linear {
        "Give it a nonlinearity (relu) and layers of at least 32 units."
    } else {
        "Give it more capacity: wider layers."
    };
    format!(
        "Training accuracy {} and validation {} (means of the last {FINAL_EPOCHS} epochs): the \
         network does not fit the rows it trains on, and its shape is why: {shape}. {fix}",
        pct(train_accuracy),
        pct(val_accuracy)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bottleneck_is_a_narrow_layer_no_hidden_layer_or_a_linear_network() {
        let mut c = Config::preset("overfit").unwrap();
        assert_eq!(bottleneck(&c), None, "128,64 relu");
        c.hidden = vec![16, 2, 32];
        assert_eq!(bottleneck(&c), Some(2));
        c.hidden = vec![3];
        assert_eq!(bottleneck(&c), None);
        c.hidden = vec![];
        assert_eq!(bottleneck(&c), Some(0));
        c.hidden = vec![64];
        c.activation = crate::nn::Activation::Linear;
        assert_eq!(bottleneck(&c), Some(0));
    }

    #[test]
    fn a_bottleneck_waits_for_sgd_at_a_small_rate_and_for_adaptive_steps_past_the_weights() {
        let mut c = Config::preset("overfit").unwrap();
        let at = |c: &mut Config, optimizer, lr| {
            c.optimizer = optimizer;
            c.learning_rate = lr;
            rate_comes_first(c)
        };
        assert!(at(&mut c, OptimizerKind::Sgd, 0.001), "SGD has not got far");
        assert!(at(&mut c, OptimizerKind::Sgd, 0.003));
        assert!(!at(&mut c, OptimizerKind::Sgd, 0.01));
        assert!(!at(&mut c, OptimizerKind::Sgd, 1.0));
        assert!(!at(&mut c, OptimizerKind::Adam, 0.001));
        assert!(!at(&mut c, OptimizerKind::RmsProp, 0.1));
        assert!(
            at(&mut c, OptimizerKind::Adam, 0.3),
            "steps as large as the weights"
        );
        assert!(at(&mut c, OptimizerKind::RmsProp, 1.0));
    }

    #[test]
    fn the_fix_widens_to_at_least_32_units_or_adds_a_nonlinearity() {
        let mut c = Config::preset("overfit").unwrap();
        c.hidden = vec![];
        assert_eq!(bigger_model(&c), vec![pair("hidden", "32")]);
        c.hidden = vec![200, 4];
        assert_eq!(bigger_model(&c), vec![pair("hidden", "256,32")]);
        // A linear network gets a nonlinearity, and widths of at least 32 only where needed.
        c.activation = crate::nn::Activation::Linear;
        assert_eq!(
            fix(&c),
            vec![pair("activation", "relu"), pair("hidden", "200,32")]
        );
        c.hidden = vec![64, 32];
        assert_eq!(fix(&c), vec![pair("activation", "relu")]);
        c.hidden = vec![];
        assert_eq!(
            fix(&c),
            vec![pair("activation", "relu"), pair("hidden", "32")]
        );
    }
}
