//! A `Run`: a network, an optimizer and the data, advanced one batch or one epoch at a
//! time with Keras 3 `fit` semantics, keeping a `History`.

use crate::nn::{Activation, LayerWeights, Optimizer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Rows of f32 features (row-major) and 0/1 labels, ready for training.
#[derive(Clone, Debug, PartialEq)]
pub struct Samples {
    pub x: Vec<f32>,
    pub y: Vec<f32>,
    pub features: usize,
}

impl Samples {
    pub fn len(&self) -> usize {
        self.y.len()
    }
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Monitor {
    Loss,
    Accuracy,
    ValLoss,
    ValAccuracy,
}

/// Keras `EarlyStopping(monitor, min_delta, patience, restore_best_weights)`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopping {
    pub monitor: Monitor,
    pub min_delta: f64,
    pub patience: usize,
    pub restore_best_weights: bool,
}

/// Everything `fit` needs besides the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainSpec {
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub optimizer: Optimizer,
    pub epochs: usize,
    pub batch_size: usize,
    /// A new permutation of the training rows every epoch (Keras `shuffle=True`).
    pub shuffle: bool,
    /// Keras `kernel_regularizer=L2(l2)` on every Dense kernel; 0 disables.
    pub l2: f32,
    /// Keras `Dropout(rate)` after every hidden layer; 0 disables.
    pub dropout: f32,
    pub early_stopping: Option<EarlyStopping>,
    /// Seeds weight init, shuffles and dropout masks.
    pub seed: u32,
}

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

/// What was wrong with a training request, naming the field and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainError {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for TrainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for TrainError {}

pub struct Run {
    // nn helper: network, optimizer state, rng, position within the epoch, history, status.
}

impl Run {
    /// A new run with glorot-uniform kernels and zero biases drawn from `spec.seed`.
    pub fn new(spec: TrainSpec, train: Samples, val: Samples) -> Result<Run, TrainError> {
        let _ = (spec, train, val);
        todo!("nn helper")
    }

    /// A new run starting from given weights (one per Dense layer, output layer last).
    pub fn with_weights(
        spec: TrainSpec,
        train: Samples,
        val: Samples,
        weights: Vec<LayerWeights>,
    ) -> Result<Run, TrainError> {
        let _ = (spec, train, val, weights);
        todo!("nn helper")
    }

    /// Trains on one batch; after an epoch's last batch, validates and records the epoch.
    pub fn step_batch(&mut self) -> Status {
        todo!("nn helper")
    }

    /// Trains to the end of the current epoch.
    pub fn step_epoch(&mut self) -> Status {
        todo!("nn helper")
    }

    /// Trains until finished, diverged or stopped early.
    pub fn finish(&mut self) -> Status {
        todo!("nn helper")
    }

    pub fn status(&self) -> Status {
        todo!("nn helper")
    }
    pub fn history(&self) -> &History {
        todo!("nn helper")
    }
    pub fn spec(&self) -> &TrainSpec {
        todo!("nn helper")
    }
    /// Completed epochs.
    pub fn epoch(&self) -> usize {
        todo!("nn helper")
    }
    pub fn batches_per_epoch(&self) -> usize {
        todo!("nn helper")
    }
    pub fn weights(&self) -> Vec<LayerWeights> {
        todo!("nn helper")
    }
}
