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
    /// EarlyStopping stopped after `epoch` (1-based).
    EarlyStopped {
        epoch: usize,
    },
}
