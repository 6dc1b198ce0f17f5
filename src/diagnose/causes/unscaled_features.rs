//! The features reach the network on very different scales: the rule, its fix
//! (StandardScaler) and its explanation.

use super::fixes::pair;
use super::{cause, Observations};
use crate::config::Config;
use crate::diagnose::thresholds::{
    initial_l2_penalty, saturating_spread, MENTION, SATURATED_LOSS, SCALE_SPREAD,
};
use crate::diagnose::{Cause, CauseId, Evidence};

pub(super) fn detect(run: &Observations) -> Option<Cause> {
    let stds: Vec<f64> = run
        .feature_std
        .iter()
        .copied()
        .filter(|s| s.is_finite() && *s > 0.0)
        .collect();
    // Constant columns carry no information and StandardScaler leaves them at 0 as well.
    let constant_features = run.feature_std.len() - stds.len();
    let largest = stds.iter().copied().fold(f64::NAN, f64::max);
    let smallest = stds.iter().copied().fold(f64::NAN, f64::min);
    let spread = largest / smallest;
    let off_scale = spread.max(largest);
    // NaN when every feature is constant.
    if off_scale.is_nan() || off_scale < SCALE_SPREAD {
        return None;
    }
    // 10× → 0.5, 100× or more → 1; but measured over the bank, standardizing helps only when
    // the scale saturates the first layer: the first epoch's loss far above where unit-scale
    // inputs start (ln 2, ln k for `k` classes, whatever their shares). Without that
    // sign the spread is only possible (a larger informative feature can even learn faster).
    // A run that diverged saturated at the extreme.
    // (The first epoch's loss includes the L2 penalty: only what is above it is saturation.)
    let start = run.chance.start_loss();
    let saturated = run
        .loss
        .first()
        .is_some_and(|&l| l - initial_l2_penalty(run.config) >= SATURATED_LOSS * start)
        || run.diverged_epoch.is_some()
        || off_scale >= saturating_spread(run.config.activation, run.config.optimizer);
    let confidence = (off_scale.log10() / 2.0).min(if saturated { 1.0 } else { MENTION });
    let evidence = Evidence::UnscaledFeatures {
        largest_std: largest,
        smallest_std: smallest,
        spread,
        constant_features,
        initial_loss: run.loss.first().copied(),
        unit_scale_initial_loss: start,
    };
    Some(cause(
        CauseId::UnscaledFeatures,
        confidence,
        evidence,
        fix(run.config),
    ))
}

/// Standardize the features, unless they already are.
pub(super) fn fix(config: &Config) -> Vec<(String, String)> {
    if config.standardize {
        Vec::new()
    } else {
        vec![pair("standardize", "true")]
    }
}

/// The cause in plain words, with its figures.
pub(super) fn explanation(evidence: &Evidence) -> String {
    match evidence {
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
        _ => unreachable!("not UnscaledFeatures evidence"),
    }
}
