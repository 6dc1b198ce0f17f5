//! Underfitting: training and validation accuracy both low and flat, the model unable to fit
//! the rows it trains on. The rule, its fix (more capacity, or a nonlinearity) and its
//! explanation.

use super::fixes::{hidden_list, pair};
use super::{cause, pct, rounded, Observations};
use crate::config::{limits, Config};
use crate::diagnose::thresholds::{
    FINAL_EPOCHS, FITS_TRAINING, MIN_EPOCHS, SIGNIFICANT_SE, STILL_FALLING_PACE,
};
use crate::diagnose::{Cause, CauseId, Evidence};

pub(super) fn detect(run: &Observations) -> Option<Cause> {
    if run.epochs() < MIN_EPOCHS || run.diverged_epoch.is_some() {
        return None;
    }
    let (train, val) = (run.train_accuracy(), run.val_accuracy());
    let (_, _, pace) = run.pace()?;
    let flat = pace < STILL_FALLING_PACE;
    // A collapse is the learning rate's doing, and a run still learning is not underfitting
    // (yet): `lr_too_low` says it is still learning.
    if train >= FITS_TRAINING || !flat || run.collapsed() || run.still_learning_slowly() {
        return None;
    }
    let gap_se = (train - val) / run.val_accuracy_se();
    let small_model = run.parameters_per_sample() < 1.0;
    let confidence =
        0.6 + 0.2 * (gap_se < SIGNIFICANT_SE) as u8 as f64 + 0.2 * small_model as u8 as f64;
    let evidence = Evidence::Underfitting {
        train_accuracy: train,
        val_accuracy: val,
        pace_ratio: rounded(pace, 3),
        parameters: run.parameters,
        train_samples: run.train_samples,
        parameters_per_sample: rounded(run.parameters_per_sample(), 2),
        linear: run.config.activation == crate::nn::Activation::Linear
            || run.config.hidden.is_empty(),
        no_plateau: run.no_plateau(),
    };
    Some(cause(
        CauseId::Underfitting,
        confidence,
        evidence,
        fix(run.config),
    ))
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
        _ => unreachable!("not Underfitting evidence"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
