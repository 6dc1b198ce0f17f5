//! What a run is asked to do: the data (`Samples`), the settings (`TrainSpec`), and the checks
//! that turn a bad request into a `TrainError` naming the field, before anything is built.

use super::EarlyStopping;
use crate::nn::{Activation, LayerWeights, Layout, Optimizer};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Rows of f32 features (row-major) and labels, ready for training: 0/1 for two classes, the
/// class index `0..k` for k ≥ 3.
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
    /// 2: one sigmoid unit and binary cross-entropy; k ≥ 3: `Dense(k, softmax)` and sparse
    /// categorical cross-entropy.
    #[serde(default = "two_classes")]
    pub classes: usize,
}

fn two_classes() -> usize {
    2
}

impl TrainSpec {
    /// The network this spec trains on `features` inputs.
    pub fn layout(&self, features: usize) -> Layout {
        Layout::for_classes(features, &self.hidden, self.classes)
    }
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

impl TrainError {
    fn new(field: &'static str, message: impl Into<String>) -> TrainError {
        TrainError {
            field,
            message: message.into(),
        }
    }
}

pub(super) fn validate(spec: &TrainSpec, train: &Samples, val: &Samples) -> Result<(), TrainError> {
    let err = TrainError::new;
    if spec.classes < 2 {
        return Err(err(
            "classes",
            format!("must be at least 2, got {}", spec.classes),
        ));
    }
    check_samples("train", train, spec.classes)?;
    check_samples("val", val, spec.classes)?;
    if val.features != train.features {
        return Err(err(
            "val.features",
            format!(
                "must equal the training features ({}), got {}",
                train.features, val.features
            ),
        ));
    }
    if let Some(i) = spec.hidden.iter().position(|&h| h == 0) {
        return Err(err(
            "hidden",
            format!("every layer needs at least 1 unit; layer {} has 0", i + 1),
        ));
    }
    if spec.epochs == 0 {
        return Err(err("epochs", "must be at least 1".to_string()));
    }
    if spec.batch_size == 0 {
        return Err(err("batch_size", "must be at least 1".to_string()));
    }
    if !(spec.l2.is_finite() && spec.l2 >= 0.0) {
        return Err(err(
            "l2",
            format!("must be a finite number ≥ 0, got {}", spec.l2),
        ));
    }
    if !(0.0..1.0).contains(&spec.dropout) {
        return Err(err(
            "dropout",
            format!("must be in [0, 1), got {}", spec.dropout),
        ));
    }
    check_optimizer(&spec.optimizer)?;
    if let Some(es) = &spec.early_stopping {
        if !es.min_delta.is_finite() {
            return Err(err(
                "early_stopping.min_delta",
                format!("must be finite, got {}", es.min_delta),
            ));
        }
    }
    Ok(())
}

fn check_samples(name: &'static str, s: &Samples, classes: usize) -> Result<(), TrainError> {
    let (field_x, field_y, field_features) = match name {
        "train" => ("train.x", "train.y", "train.features"),
        _ => ("val.x", "val.y", "val.features"),
    };
    if s.features == 0 {
        return Err(TrainError::new(
            field_features,
            "must be at least 1".to_string(),
        ));
    }
    if s.is_empty() {
        return Err(TrainError::new(name, "needs at least one row"));
    }
    if s.x.len() != s.len() * s.features {
        return Err(TrainError::new(
            field_x,
            format!(
                "must hold rows × features = {} × {} = {} values, got {}",
                s.len(),
                s.features,
                s.len() * s.features,
                s.x.len()
            ),
        ));
    }
    if let Some(i) = s.x.iter().position(|v| !v.is_finite()) {
        return Err(TrainError::new(
            field_x,
            format!(
                "must be finite; row {} feature {} is {}",
                i / s.features,
                i % s.features,
                s.x[i]
            ),
        ));
    }
    if classes == 2 {
        if let Some(i) = s.y.iter().position(|v| !(0.0..=1.0).contains(v)) {
            return Err(TrainError::new(
                field_y,
                format!("labels must be in [0, 1]; row {i} is {}", s.y[i]),
            ));
        }
    } else {
        let top = (classes - 1) as f32;
        let bad = |v: &f32| !((0.0..=top).contains(v) && v.fract() == 0.0);
        if let Some(i) = s.y.iter().position(bad) {
            return Err(TrainError::new(
                field_y,
                format!(
                    "labels of {classes} classes must be the class index 0..={}; row {i} is {}",
                    classes - 1,
                    s.y[i]
                ),
            ));
        }
    }
    Ok(())
}

fn check_optimizer(opt: &Optimizer) -> Result<(), TrainError> {
    let err = TrainError::new;
    let lr = opt.learning_rate();
    if !(lr.is_finite() && lr > 0.0) {
        return Err(err(
            "optimizer.learning_rate",
            format!("must be a finite number > 0, got {lr}"),
        ));
    }
    let unit = |field: &'static str, v: f32, top_inclusive: bool| {
        let ok = v >= 0.0 && (v < 1.0 || (top_inclusive && v == 1.0));
        if ok {
            Ok(())
        } else {
            let range = if top_inclusive { "[0, 1]" } else { "[0, 1)" };
            Err(err(field, format!("must be in {range}, got {v}")))
        }
    };
    let positive = |field: &'static str, v: f32| {
        if v.is_finite() && v > 0.0 {
            Ok(())
        } else {
            Err(err(field, format!("must be a finite number > 0, got {v}")))
        }
    };
    match *opt {
        Optimizer::Adam {
            beta_1,
            beta_2,
            epsilon,
            ..
        } => {
            unit("optimizer.beta_1", beta_1, false)?;
            unit("optimizer.beta_2", beta_2, false)?;
            positive("optimizer.epsilon", epsilon)
        }
        // Keras: "momentum must be a float between [0, 1]".
        Optimizer::Sgd { momentum, .. } => unit("optimizer.momentum", momentum, true),
        Optimizer::RmsProp {
            rho,
            momentum,
            epsilon,
            ..
        } => {
            unit("optimizer.rho", rho, false)?;
            unit("optimizer.momentum", momentum, false)?;
            positive("optimizer.epsilon", epsilon)
        }
    }
}

pub(super) fn check_weights(layout: &Layout, weights: &[LayerWeights]) -> Result<(), TrainError> {
    if weights.len() != layout.layers() {
        return Err(TrainError::new(
            "weights",
            format!(
                "need one entry per Dense layer ({}, output layer last), got {}",
                layout.layers(),
                weights.len()
            ),
        ));
    }
    for (l, w) in weights.iter().enumerate() {
        let (fan_in, fan_out) = (layout.fan_in(l), layout.fan_out(l));
        if w.kernel.len() != fan_in * fan_out || w.bias.len() != fan_out {
            return Err(TrainError::new(
                "weights",
                format!(
                    "layer {}: kernel must be {fan_in}×{fan_out} = {} values and bias {fan_out}, \
                     got {} and {}",
                    l + 1,
                    fan_in * fan_out,
                    w.kernel.len(),
                    w.bias.len()
                ),
            ));
        }
        if w.kernel.iter().chain(&w.bias).any(|v| !v.is_finite()) {
            return Err(TrainError::new(
                "weights",
                format!("layer {}: values must be finite", l + 1),
            ));
        }
    }
    Ok(())
}
