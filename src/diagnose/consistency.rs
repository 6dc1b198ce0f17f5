//! The headline and the causes must never contradict each other: with no plateau, "still
//! learning" leads. The headline is the plateau's sentence; when it says "No plateau yet",
//! the student reads it next to the causes, so they must tell one story.

use super::thresholds::MIN_EPOCHS;
use super::{Cause, CauseId, Diagnosis, Evidence};
use crate::train::Status;

/// Words that call a run settled: a cause saying them under "No plateau yet" contradicts it.
const SETTLED: [&str; 3] = ["flat", "Nothing is wrong", "reached what"];

impl Cause {
    /// The cause says the run is still learning: `lr_too_low` in every form (its training
    /// loss still falls: "Still learning", "still falling steadily", "not started yet"), or
    /// converging, its last steps only polishing.
    pub fn says_still_learning(&self) -> bool {
        matches!(
            self.evidence,
            Evidence::LrTooLow { .. }
                | Evidence::Converged {
                    still_learning: true,
                    ..
                }
        )
    }

    /// A setup problem that comes first whatever the curves do: the feature scales or a rate
    /// too high (a run can be still learning and set up wrong), or a validation set too small
    /// to read the curves at all.
    fn leads_regardless(&self) -> bool {
        self.is_present()
            && match self.id {
                CauseId::UnscaledFeatures | CauseId::LrTooHigh => true,
                CauseId::NoisyValidation => self.confidence >= 1.0,
                CauseId::Underfitting => {
                    matches!(self.evidence, Evidence::Underfitting { leads: true, .. })
                }
                _ => false,
            }
    }

    /// Underfitting read off a training loss that has slowed down while validation, without a
    /// plateau, still moves: its text says so rather than "flat". The run is then not still
    /// learning, so no "still learning" cause is made up to lead it.
    fn underfitting_while_validation_moves(&self) -> bool {
        matches!(
            self.evidence,
            Evidence::Underfitting {
                no_plateau: true,
                ..
            }
        )
    }
}

impl Diagnosis {
    /// What contradicts the headline, if anything: with "No plateau yet" (enough epochs, not
    /// diverged), no cause may call the run flat, converged or fine, and the first cause
    /// says it is still learning, unless a setup problem comes first
    /// (`Cause::leads_regardless`) or the training loss itself has slowed (underfitting).
    pub fn headline_contradiction(&self) -> Option<String> {
        let diverged = matches!(self.status, Status::Diverged { .. })
            || self.causes.iter().any(|c| {
                matches!(
                    c.evidence,
                    Evidence::LrTooHigh {
                        diverged_epoch: Some(_),
                        ..
                    }
                )
            });
        if self.plateau.plateau_epoch.is_some() || diverged || self.epochs < MIN_EPOCHS {
            return None;
        }
        if let Some(c) = self
            .causes
            .iter()
            .find(|c| SETTLED.iter().any(|w| c.explanation.contains(w)))
        {
            return Some(format!("no plateau, yet {} says: {}", c.id, c.explanation));
        }
        let top = self.top()?;
        let fine = top.says_still_learning()
            || top.leads_regardless()
            || top.underfitting_while_validation_moves();
        (!fine).then(|| format!("no plateau, yet {} leads: {}", top.id, top.explanation))
    }
}
