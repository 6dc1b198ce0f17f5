//! One file per cause, each holding that cause's rule (`detect`: reads the run's
//! [`Observations`] and returns its confidence and the figures it based it on), its fix as
//! `Config::set` pairs, and its explanation in plain words. The thresholds the rules read are
//! in `thresholds.rs`, each with the reason for its value.

mod converged;
mod fixes;
mod from_curves;
mod lr_too_high;
mod lr_too_low;
mod noisy_validation;
mod observations;
mod overfitting;
mod underfitting;
mod unscaled_features;

pub use fixes::{fix_for, NO_MORE_DATA_FOR_A_FILE};
pub(crate) use from_curves::{from_curves, Curves};
pub(crate) use observations::{accuracy_se, Observations};

use super::{Cause, CauseId, Evidence};

/// The problems the rules look for, in the order of `CauseId::ALL`; `converged` is judged
/// after them, from how strongly they are present.
pub(crate) fn problems(run: &Observations) -> Vec<Cause> {
    [
        unscaled_features::detect(run),
        lr_too_high::detect(run),
        lr_too_low::detect(run),
        overfitting::detect(run),
        underfitting::detect(run),
        noisy_validation::detect(run),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Nothing wrong: as confident as the strongest of `problems` is not.
pub(crate) fn converged(run: &Observations, problems: &[Cause]) -> Option<Cause> {
    converged::detect(run, problems)
}

/// `evidence`'s cause in plain words, with its figures: each cause's text is in its own file.
pub(super) fn explanation(evidence: &Evidence) -> String {
    match evidence {
        Evidence::UnscaledFeatures { .. } => unscaled_features::explanation(evidence),
        Evidence::LrTooHigh { .. } => lr_too_high::explanation(evidence),
        Evidence::LrTooLow { .. } => lr_too_low::explanation(evidence),
        Evidence::Overfitting { .. } => overfitting::explanation(evidence),
        Evidence::Underfitting { .. } => underfitting::explanation(evidence),
        Evidence::NoisyValidation { .. } => noisy_validation::explanation(evidence),
        Evidence::Converged { .. } => converged::explanation(evidence),
        Evidence::FirstLoss { .. }
        | Evidence::Unstable { .. }
        | Evidence::SlowFall { .. }
        | Evidence::Gap { .. } => from_curves::explanation(evidence),
    }
}

/// A cause with its confidence clamped to 0–1 and rounded to two decimals, and its
/// explanation written from its evidence.
fn cause(id: CauseId, confidence: f64, evidence: Evidence, fix: Vec<(String, String)>) -> Cause {
    Cause {
        id,
        confidence: (confidence.clamp(0.0, 1.0) * 100.0).round() / 100.0,
        explanation: evidence.explanation(),
        evidence,
        fix,
        keras_fix: None,
    }
}

fn rounded(x: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (x * f).round() / f
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn epoch_text(e: Option<usize>) -> String {
    e.map_or_else(|| "-".to_string(), |e| e.to_string())
}
