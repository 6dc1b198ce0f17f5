//! What a run records: its per-epoch figures and whether it is still training.

use serde::{Deserialize, Serialize};

/// Per-epoch figures, named as Keras names them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    pub loss: Vec<f64>,
    pub accuracy: Vec<f64>,
    pub val_loss: Vec<f64>,
    pub val_accuracy: Vec<f64>,
}

impl History {
    pub fn epochs(&self) -> usize {
        self.loss.len()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Status {
    Training,
    Finished,
    /// A loss or weight became NaN or infinite during `epoch` (1-based); training stopped.
    Diverged {
        epoch: usize,
    },
    /// EarlyStopping stopped after `epoch` (1-based); see [`Status::restored_epoch`].
    EarlyStopped {
        epoch: usize,
    },
}

impl Status {
    /// For a run EarlyStopping stopped, its best epoch, whose weights `restore_best_weights`
    /// put back: Keras stops as soon as `patience` epochs in a row have failed to improve on
    /// the best, so the best is `patience` epochs before the stop. `None` for any other status.
    pub fn restored_epoch(self, patience: usize) -> Option<usize> {
        match self {
            Status::EarlyStopped { epoch } => Some(epoch.saturating_sub(patience)),
            _ => None,
        }
    }
}

/// An early stop in words, naming the best epoch it restored (for a config, the best
/// validation loss the diagnosis's headline and markers name).
pub fn early_stop_text(stop: usize, restored: usize) -> String {
    format!(
        "stopped early after epoch {stop}, {} epochs past its best validation loss at epoch \
         {restored} (weights restored)",
        stop - restored
    )
}
