//! A cause of a plateau: its id (with where it sits in the chain from data to measurement,
//! and which kind of fix answers it) and what the rules found about it.

use super::thresholds::PRESENT;
use super::Evidence;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A cause's stable id, as the JSON and the page name it; an experiment is named by the cause
/// its change tests. The first five are *setup causes*, which the student's own controls fix
/// and which alone can be the answer; `more_data` is the data's limit, reported beside the
/// answer; `noisy_validation` is a caveat on how to read the curves, `converged` the answer
/// when no setup fix helps, and `placebo` the unchanged settings on fresh seeds.
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
    MoreData,
    Placebo,
}

/// What a cause is to the question "what in my setup stops validation improving?".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseKind {
    /// The student's own controls fix it: it can be the answer.
    Setup,
    /// More rows: a resource, not a finding about the setup.
    DataLimit,
    /// How to read the result: the validation set's noise, or nothing left to change.
    Reading,
    /// The unchanged settings on fresh seeds: what noise alone does.
    Placebo,
}

impl CauseId {
    pub const ALL: [CauseId; 9] = [
        CauseId::UnscaledFeatures,
        CauseId::LrTooHigh,
        CauseId::LrTooLow,
        CauseId::Overfitting,
        CauseId::Underfitting,
        CauseId::NoisyValidation,
        CauseId::Converged,
        CauseId::MoreData,
        CauseId::Placebo,
    ];

    /// The causes the answer is chosen from.
    pub const SETUP: [CauseId; 5] = [
        CauseId::UnscaledFeatures,
        CauseId::LrTooHigh,
        CauseId::LrTooLow,
        CauseId::Overfitting,
        CauseId::Underfitting,
    ];

    pub fn kind(self) -> CauseKind {
        match self {
            CauseId::UnscaledFeatures
            | CauseId::LrTooHigh
            | CauseId::LrTooLow
            | CauseId::Overfitting
            | CauseId::Underfitting => CauseKind::Setup,
            CauseId::MoreData => CauseKind::DataLimit,
            CauseId::NoisyValidation | CauseId::Converged => CauseKind::Reading,
            CauseId::Placebo => CauseKind::Placebo,
        }
    }

    pub fn is_setup(self) -> bool {
        self.kind() == CauseKind::Setup
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CauseId::UnscaledFeatures => "unscaled_features",
            CauseId::LrTooHigh => "lr_too_high",
            CauseId::LrTooLow => "lr_too_low",
            CauseId::Overfitting => "overfitting",
            CauseId::Underfitting => "underfitting",
            CauseId::NoisyValidation => "noisy_validation",
            CauseId::Converged => "converged",
            CauseId::MoreData => "more_data",
            CauseId::Placebo => "placebo",
        }
    }

    /// Where the cause sits in the chain data → optimisation → what the model learned →
    /// how we measure it. A present cause upstream ranks before one downstream whatever
    /// their confidences, because fixing it changes everything after it (badly scaled
    /// features make the learning rate wrong for some weights; a learning rate that
    /// memorises at once shows up as overfitting).
    pub fn stage(self) -> Stage {
        match self {
            CauseId::UnscaledFeatures => Stage::Data,
            CauseId::LrTooHigh | CauseId::LrTooLow => Stage::Optimisation,
            CauseId::Overfitting | CauseId::Underfitting => Stage::Fit,
            CauseId::NoisyValidation
            | CauseId::Converged
            | CauseId::MoreData
            | CauseId::Placebo => Stage::Measurement,
        }
    }

    /// The kind of change that tests the cause: one experiment a family.
    pub fn fix_family(self) -> FixFamily {
        match self {
            CauseId::UnscaledFeatures => FixFamily::Standardize,
            CauseId::LrTooHigh => FixFamily::LowerRate,
            CauseId::LrTooLow => FixFamily::RaiseRate,
            CauseId::Overfitting => FixFamily::Regularise,
            CauseId::Underfitting => FixFamily::MoreCapacity,
            CauseId::NoisyValidation | CauseId::Converged | CauseId::MoreData => {
                FixFamily::MoreData
            }
            CauseId::Placebo => FixFamily::None,
        }
    }
}

impl fmt::Display for CauseId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a cause sits in the chain data → optimisation → what the model learned → how we
/// measure it, upstream first (the order ranks causes: see `CauseId::stage`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// The features as they reach the network.
    Data,
    /// The learning rate's steps.
    Optimisation,
    /// What the model learned: too much of the training rows, or too little.
    Fit,
    /// How we measure it (the validation set), or no problem at all (converged).
    Measurement,
}

/// The kind of change that answers a cause; causes of one family share one experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FixFamily {
    /// Standardize the features.
    Standardize,
    LowerRate,
    RaiseRate,
    /// A smaller model or an L2 penalty.
    Regularise,
    /// Wider layers, or a nonlinearity.
    MoreCapacity,
    /// More samples.
    MoreData,
    /// No change: the placebo.
    None,
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
    /// For a run made elsewhere, which has no config to change: the fix as a line of Keras
    /// to try. In the JSON only then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keras_fix: Option<String>,
    /// The cause in plain words, with its figures.
    pub explanation: String,
}

impl Cause {
    pub fn is_present(&self) -> bool {
        self.confidence >= PRESENT
    }
}
