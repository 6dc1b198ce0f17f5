//! The diagnosis of a run made elsewhere (a Keras history, `history_file.rs`), from its
//! curves alone: the plateau as for Plateau's own runs, and the causes the curves point to
//! (`causes/from_curves.rs`), each with a line of Keras to try. No experiment can run without
//! the model and the data, so the causes stay suspicions ([`FROM_CURVES_ALONE`]).

use super::causes::{self, Curves};
use super::curves::finite;
use super::diagnosis::rank;
use super::thresholds::MENTION;
use super::{find_plateau, Chance, Diagnosis, PlateauSettings};
use crate::train::{History, Status};
use serde::Serialize;

/// What is known of a run made elsewhere besides its curves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Known {
    /// The labels' classes (2 to 10): where a network starts, ln k. `None`: read as two.
    pub classes: Option<usize>,
    /// The validation rows: one sample's worth of loss (the plateau's unit) and the noise of
    /// the accuracy gap. `None`: any lower validation loss counts (Keras's `min_delta=0`) and
    /// the gap's noise is unknown.
    pub val_samples: Option<usize>,
}

/// The one line that says what a diagnosis from the curves alone is.
pub const FROM_CURVES_ALONE: &str = "Read from the curves alone: the experiments that test \
    each fix need the model and the data, so these causes are suspicions to try, not findings. \
    Causes that need the model (too little capacity, the data's limit) are not offered.";

/// What the known facts leave open, in one line: empty when everything the rules read is
/// known.
pub fn unknowns_text(known: &Known) -> String {
    let mut parts = Vec::new();
    if known.classes.is_none() {
        parts.push("read as two classes (the first loss is compared with ln 2)");
    }
    if known.val_samples.is_none() {
        parts.push(
            "the validation rows are unknown, so any lower validation loss counts as an \
             improvement and the accuracy gap's noise is not judged",
        );
    }
    if parts.is_empty() {
        return String::new();
    }
    let mut s = parts.join("; ");
    s[..1].make_ascii_uppercase();
    s + "."
}

/// Diagnoses `history` from its curves alone (see the module's doc). A non-finite value ends
/// the curves there: the run diverged in that epoch.
pub fn diagnose_history(history: &History, known: Known) -> Diagnosis {
    let has = |s: &[f64]| !s.is_empty();
    // The losses always count (an empty one leaves nothing to read); the accuracies only
    // when the history has them.
    let epochs = [&history.accuracy, &history.val_accuracy]
        .iter()
        .filter(|s| has(s))
        .chain([&&history.loss, &&history.val_loss])
        .map(|s| finite(s).len())
        .min()
        .unwrap_or(0);
    let diverged_epoch = (epochs < history.epochs()).then_some(epochs + 1);
    let status = match diverged_epoch {
        Some(epoch) => Status::Diverged { epoch },
        None => Status::Finished,
    };
    let settings = match known.val_samples {
        Some(n) => PlateauSettings::for_validation_size(n),
        None => PlateauSettings {
            min_delta_loss: 0.0,
            ..PlateauSettings::for_validation_size(1)
        },
    };
    // Without validation accuracy the loss alone is watched: a constant accuracy never
    // improves after the first epoch, whose best is then not reported.
    let val_accuracy = if has(&history.val_accuracy) {
        history.val_accuracy[..epochs].to_vec()
    } else {
        vec![0.0; epochs]
    };
    let mut plateau = find_plateau(&val_accuracy, &history.val_loss[..epochs], settings);
    if !has(&history.val_accuracy) {
        plateau.best_epoch = None;
        plateau.best_val_accuracy = None;
    }
    let cut = |s: &[f64]| {
        if has(s) {
            s[..epochs].to_vec()
        } else {
            Vec::new()
        }
    };
    let (accuracy, val_accuracy) = (cut(&history.accuracy), cut(&history.val_accuracy));
    let curves = Curves {
        loss: &history.loss[..epochs],
        accuracy: &accuracy,
        val_loss: &history.val_loss[..epochs],
        val_accuracy: &val_accuracy,
        diverged_epoch,
        plateau: &plateau,
        chance: Chance::balanced(known.classes.unwrap_or(2)),
        classes_assumed: known.classes.is_none(),
        val_samples: known.val_samples,
    };
    let mut found = causes::from_curves(&curves);
    found.retain(|c| c.confidence >= MENTION);
    rank(&mut found);
    Diagnosis {
        plateau,
        epochs,
        status,
        causes: found,
        experiments: Vec::new(),
        inside: Vec::new(),
    }
}

#[cfg(test)]
mod tests;
