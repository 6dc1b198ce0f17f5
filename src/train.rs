//! A `Run`: a network, an optimizer and the data, advanced one batch or one epoch at a
//! time with Keras 3 `fit` semantics, keeping a `History`.

use crate::nn::{
    glorot_uniform, Activation, LayerWeights, Layout, Network, Optimizer, OptimizerState,
};
use crate::rng::RandomState;
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

impl TrainError {
    fn new(field: &'static str, message: impl Into<String>) -> TrainError {
        TrainError {
            field,
            message: message.into(),
        }
    }
}

impl Monitor {
    /// Keras's key for this figure in `history` and in `EarlyStopping(monitor=…)`.
    pub fn name(self) -> &'static str {
        match self {
            Monitor::Loss => "loss",
            Monitor::Accuracy => "accuracy",
            Monitor::ValLoss => "val_loss",
            Monitor::ValAccuracy => "val_accuracy",
        }
    }

    /// Keras's `mode="auto"`: losses are minimised, accuracies (direction "up") maximised.
    fn maximised(self) -> bool {
        matches!(self, Monitor::Accuracy | Monitor::ValAccuracy)
    }

    fn latest(self, h: &History) -> Option<f64> {
        let series = match self {
            Monitor::Loss => &h.loss,
            Monitor::Accuracy => &h.accuracy,
            Monitor::ValLoss => &h.val_loss,
            Monitor::ValAccuracy => &h.val_accuracy,
        };
        series.last().copied()
    }
}

/// Keras `EarlyStopping`'s running state (`baseline=None`, `start_from_epoch=0`).
#[derive(Clone, Debug)]
struct EarlyState {
    config: EarlyStopping,
    best: Option<f64>,
    wait: usize,
    /// Parameters at the end of the best epoch (restore_best_weights only).
    best_params: Option<Vec<f32>>,
}

impl EarlyState {
    fn is_improvement(&self, current: f64, best: f64) -> bool {
        let delta = self.config.min_delta.abs();
        if self.config.monitor.maximised() {
            current - delta > best
        } else {
            current + delta < best
        }
    }

    /// Keras `on_epoch_end` for epoch index `epoch` (0-based); true when training must stop.
    fn on_epoch_end(&mut self, epoch: usize, current: f64, params: &[f32]) -> bool {
        let restore = self.config.restore_best_weights;
        if restore && self.best_params.is_none() {
            self.best_params = Some(params.to_vec());
        }
        self.wait += 1;
        if self
            .best
            .is_none_or(|best| self.is_improvement(current, best))
        {
            self.best = Some(current);
            if let Some(saved) = self.best_params.as_mut() {
                saved.copy_from_slice(params);
            }
            self.wait = 0;
            return false;
        }
        self.wait >= self.config.patience && epoch > 0
    }
}

/// A training run: `fit` advanced one batch at a time, so the page can slice it into
/// frames. Everything a batch touches is allocated here, once.
pub struct Run {
    spec: TrainSpec,
    train: Samples,
    val: Samples,
    net: Network,
    optimizer: OptimizerState,
    /// Per-epoch shuffles.
    shuffle_rng: RandomState,
    /// Dropout masks; its own stream so that dropout does not change the batch order.
    dropout_rng: RandomState,
    /// This epoch's row order.
    order: Vec<usize>,
    /// Next batch within the epoch.
    batch: usize,
    batches_per_epoch: usize,
    /// Σ len_b·L_b and correct predictions so far this epoch.
    epoch_loss: f64,
    epoch_correct: usize,
    /// The next validation chunk's first row, while the epoch is being validated.
    val_next: Option<usize>,
    val_loss_sum: f64,
    val_correct: usize,
    history: History,
    status: Status,
    early: Option<EarlyState>,
}

/// Seeds of the generator streams derived from `spec.seed`: one per purpose, so that e.g.
/// changing the hidden sizes (more init draws) leaves the batch order unchanged.
const SHUFFLE_STREAM: u32 = 0x9e37_79b9;
const DROPOUT_STREAM: u32 = 0x85eb_ca6b;

impl Run {
    /// A new run with glorot-uniform kernels and zero biases drawn from `spec.seed`.
    pub fn new(spec: TrainSpec, train: Samples, val: Samples) -> Result<Run, TrainError> {
        Run::check(&spec, &train, &val)?;
        let layout = Layout::new(train.features, &spec.hidden);
        let mut rng = RandomState::new(spec.seed);
        let mut params = vec![0.0; layout.params()];
        for l in 0..layout.layers() {
            let (fan_in, fan_out) = (layout.fan_in(l), layout.fan_out(l));
            glorot_uniform(&mut rng, fan_in, fan_out, &mut params[layout.kernel(l)]);
        }
        Ok(Run::build(spec, train, val, layout, params))
    }

    /// What [`Run::new`] checks, without building the run: whether it would start.
    pub fn check(spec: &TrainSpec, train: &Samples, val: &Samples) -> Result<(), TrainError> {
        validate(spec, train, val)
    }

    /// A new run starting from given weights (one per Dense layer, output layer last).
    pub fn with_weights(
        spec: TrainSpec,
        train: Samples,
        val: Samples,
        weights: Vec<LayerWeights>,
    ) -> Result<Run, TrainError> {
        validate(&spec, &train, &val)?;
        let layout = Layout::new(train.features, &spec.hidden);
        check_weights(&layout, &weights)?;
        let params = Network::flatten(&layout, &weights);
        Ok(Run::build(spec, train, val, layout, params))
    }

    fn build(
        spec: TrainSpec,
        train: Samples,
        val: Samples,
        layout: Layout,
        params: Vec<f32>,
    ) -> Run {
        let n = train.len();
        // Validation runs in chunks of batch_size too (Keras evaluates in batches), so one
        // set of buffers serves both.
        let capacity = spec.batch_size.min(n.max(val.len()));
        let net = Network::new(
            layout,
            spec.activation,
            spec.dropout,
            spec.l2,
            params,
            capacity,
        );
        let optimizer = OptimizerState::new(spec.optimizer, net.params().len());
        let early = spec.early_stopping.map(|config| EarlyState {
            config,
            best: None,
            wait: 0,
            best_params: None,
        });
        Run {
            shuffle_rng: RandomState::new(spec.seed ^ SHUFFLE_STREAM),
            dropout_rng: RandomState::new(spec.seed ^ DROPOUT_STREAM),
            order: (0..n).collect(),
            batch: 0,
            batches_per_epoch: n.div_ceil(spec.batch_size),
            epoch_loss: 0.0,
            epoch_correct: 0,
            val_next: None,
            val_loss_sum: 0.0,
            val_correct: 0,
            history: History::default(),
            status: Status::Training,
            early,
            optimizer,
            net,
            spec,
            train,
            val,
        }
    }

    /// One step of `fit`: a training batch, or, once the epoch's batches are done, one
    /// `batch_size` chunk of validation; the last chunk records the epoch. Validation is
    /// spread over steps so that no single call is long (on the page's largest setting a
    /// whole validation pass would block a frame for ~60 ms).
    pub fn step_batch(&mut self) -> Status {
        if self.status != Status::Training {
            return self.status;
        }
        if let Some(start) = self.val_next {
            return self.validate_chunk(start);
        }
        let n = self.train.len();
        if self.batch == 0 {
            if self.spec.shuffle {
                // In place, without allocating: numpy's `permutation(n)` is this shuffle of 0..n.
                for (i, o) in self.order.iter_mut().enumerate() {
                    *o = i;
                }
                self.shuffle_rng.shuffle(&mut self.order);
            }
            self.epoch_loss = 0.0;
            self.epoch_correct = 0;
        }
        let start = self.batch * self.spec.batch_size;
        let end = (start + self.spec.batch_size).min(n);
        let len = end - start;
        if self.spec.shuffle {
            self.net
                .load_batch(&self.train.x, &self.train.y, &self.order[start..end]);
        } else {
            self.net
                .load_range(&self.train.x, &self.train.y, start..end);
        }

        // Keras reports each batch's loss and accuracy from the forward pass before the
        // update, with the L2 penalty of the weights that pass used.
        self.net.forward(Some(&mut self.dropout_rng));
        let (loss_sum, correct) = self.net.loss_sum_and_correct();
        let batch_loss = loss_sum / len as f64 + self.net.l2_penalty();
        self.net.backward();
        let (params, grads) = self.net.params_and_grads();
        self.optimizer.update(params, grads);

        if !batch_loss.is_finite() || !all_finite(params) {
            return self.diverge();
        }
        self.epoch_loss += len as f64 * batch_loss;
        self.epoch_correct += correct;
        self.batch += 1;
        if self.batch == self.batches_per_epoch {
            self.batch = 0;
            self.val_next = Some(0);
            self.val_loss_sum = 0.0;
            self.val_correct = 0;
        }
        self.status
    }

    /// Evaluates validation rows `start..start + batch_size` (Keras evaluates in batches
    /// too), without dropout; after the last chunk, records the epoch.
    fn validate_chunk(&mut self, start: usize) -> Status {
        let n = self.val.len();
        let end = (start + self.spec.batch_size).min(n);
        self.net.load_range(&self.val.x, &self.val.y, start..end);
        self.net.forward(None);
        let (loss, correct) = self.net.loss_sum_and_correct();
        self.val_loss_sum += loss;
        self.val_correct += correct;
        if end < n {
            self.val_next = Some(end);
        } else {
            self.val_next = None;
            self.end_epoch();
        }
        self.status
    }

    /// The history entry and the callbacks, after the epoch's validation.
    fn end_epoch(&mut self) {
        let n = self.train.len() as f64;
        // Keras's `test_step` includes `model.losses`, so val_loss carries the L2 penalty.
        let n_val = self.val.len() as f64;
        let val_loss = self.val_loss_sum / n_val + self.net.l2_penalty();
        let val_accuracy = self.val_correct as f64 / n_val;
        if !val_loss.is_finite() {
            self.diverge();
            return;
        }
        let h = &mut self.history;
        h.loss.push(self.epoch_loss / n);
        h.accuracy.push(self.epoch_correct as f64 / n);
        h.val_loss.push(val_loss);
        h.val_accuracy.push(val_accuracy);
        let epoch = h.epochs();

        if let Some(early) = self.early.as_mut() {
            let current = early.config.monitor.latest(&self.history);
            if let Some(current) = current {
                if early.on_epoch_end(epoch - 1, current, self.net.params()) {
                    self.status = Status::EarlyStopped { epoch };
                }
            }
        }
        if self.status == Status::Training && epoch == self.spec.epochs {
            self.status = Status::Finished;
        }
        if self.status != Status::Training {
            self.on_train_end();
        }
    }

    /// Keras `on_train_end`: with `restore_best_weights`, the best epoch's weights come
    /// back whether training stopped early or ran all its epochs.
    fn on_train_end(&mut self) {
        if let Some(saved) = self.early.as_ref().and_then(|e| e.best_params.as_ref()) {
            self.net.params_mut().copy_from_slice(saved);
        }
    }

    fn diverge(&mut self) -> Status {
        self.status = Status::Diverged {
            epoch: self.history.epochs() + 1,
        };
        self.on_train_end();
        self.status
    }

    /// Trains to the end of the current epoch.
    pub fn step_epoch(&mut self) -> Status {
        let epoch = self.epoch();
        while self.step_batch() == Status::Training && self.epoch() == epoch {}
        self.status
    }

    /// The first epoch this run can stop at: the end of the epoch under way, or now,
    /// between epochs (at least one epoch, at most the planned ones).
    pub fn earliest_stop(&self) -> usize {
        let mid_epoch = self.batch > 0 || self.val_next.is_some();
        (self.epoch() + usize::from(mid_epoch))
            .max(1)
            .min(self.spec.epochs)
    }

    /// The student's "stop": training ends after `epochs` (no earlier than
    /// [`Run::earliest_stop`]). The run is then exactly the run planned with that many epochs,
    /// so its figures equal a fresh run of that length. Returns the epochs it will have.
    pub fn stop_at(&mut self, epochs: usize) -> usize {
        if self.status != Status::Training {
            return self.epoch();
        }
        let epochs = epochs.max(self.earliest_stop()).min(self.spec.epochs);
        self.spec.epochs = epochs;
        if self.epoch() == epochs {
            self.status = Status::Finished;
            self.on_train_end();
        }
        epochs
    }

    /// Trains until finished, diverged or stopped early.
    pub fn finish(&mut self) -> Status {
        while self.step_epoch() == Status::Training {}
        self.status
    }

    pub fn status(&self) -> Status {
        self.status
    }
    pub fn history(&self) -> &History {
        &self.history
    }
    pub fn spec(&self) -> &TrainSpec {
        &self.spec
    }
    /// Completed epochs.
    pub fn epoch(&self) -> usize {
        self.history.epochs()
    }
    pub fn batches_per_epoch(&self) -> usize {
        self.batches_per_epoch
    }
    /// Calls of `step_batch` per epoch: the training batches and the validation chunks.
    pub fn steps_per_epoch(&self) -> usize {
        self.batches_per_epoch + self.val.len().div_ceil(self.spec.batch_size)
    }
    /// Batches done within the current epoch.
    pub fn batch_in_epoch(&self) -> usize {
        self.batch
    }
    pub fn weights(&self) -> Vec<LayerWeights> {
        self.net.weights()
    }
    /// The network's sigmoid output for each row of `x` (`features` wide), e.g. to draw a
    /// decision surface. Allocates; not for the training hot path.
    pub fn predict(&mut self, x: &[f32]) -> Vec<f32> {
        let features = self.train.features;
        let rows = x.len() / features;
        let zeros = vec![0.0; rows];
        let mut out = Vec::with_capacity(rows);
        let chunk = self
            .spec
            .batch_size
            .min(self.train.len().max(self.val.len()));
        let mut start = 0;
        while start < rows {
            let end = (start + chunk).min(rows);
            self.net.load_range(x, &zeros, start..end);
            self.net.forward(None);
            out.extend(self.net.logits().iter().map(|&z| crate::nn::sigmoid(z)));
            start = end;
        }
        out
    }
}

/// Whether every value is finite (an exponent of all ones is an infinity or a NaN). It runs
/// over every parameter after every batch, so it has no early exit: the fold vectorises,
/// where `all(is_finite)` went one value at a time (4% of `overfit`'s time).
fn all_finite(values: &[f32]) -> bool {
    const EXPONENT: u32 = 0x7f80_0000;
    let bad = values.iter().fold(0u32, |bad, w| {
        bad | (w.to_bits() & EXPONENT == EXPONENT) as u32
    });
    bad == 0
}

fn validate(spec: &TrainSpec, train: &Samples, val: &Samples) -> Result<(), TrainError> {
    let err = TrainError::new;
    check_samples("train", train)?;
    check_samples("val", val)?;
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

fn check_samples(name: &'static str, s: &Samples) -> Result<(), TrainError> {
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
    if let Some(i) = s.y.iter().position(|v| !(0.0..=1.0).contains(v)) {
        return Err(TrainError::new(
            field_y,
            format!("labels must be in [0, 1]; row {i} is {}", s.y[i]),
        ));
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

fn check_weights(layout: &Layout, weights: &[LayerWeights]) -> Result<(), TrainError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds a monitored series to Keras's EarlyStopping logic; returns the 1-based stop epoch.
    fn stop_epoch(
        monitor: Monitor,
        min_delta: f64,
        patience: usize,
        series: &[f64],
    ) -> Option<usize> {
        let mut s = EarlyState {
            config: EarlyStopping {
                monitor,
                min_delta,
                patience,
                restore_best_weights: false,
            },
            best: None,
            wait: 0,
            best_params: None,
        };
        (0..series.len())
            .find(|&e| s.on_epoch_end(e, series[e], &[]))
            .map(|e| e + 1)
    }

    #[test]
    fn all_finite_finds_infinities_and_nans_anywhere() {
        let mut v = vec![1.0f32, -0.0, f32::MAX, f32::MIN_POSITIVE, 1e-40, -3.5];
        assert!(all_finite(&v));
        for bad in [f32::INFINITY, f32::NEG_INFINITY, f32::NAN] {
            for i in 0..v.len() {
                let keep = v[i];
                v[i] = bad;
                assert!(!all_finite(&v), "{bad} at {i}");
                v[i] = keep;
            }
        }
    }

    #[test]
    fn early_stopping_follows_keras() {
        let falling_then_flat = [1.0, 0.9, 0.8, 0.85, 0.82, 0.81, 0.7];
        // patience 2: epochs 4 and 5 fail to beat 0.8 → stop after epoch 5.
        assert_eq!(
            stop_epoch(Monitor::ValLoss, 0.0, 2, &falling_then_flat),
            Some(5)
        );
        // patience 0 stops at the first non-improvement, but never after the first epoch.
        assert_eq!(stop_epoch(Monitor::Loss, 0.0, 0, &[1.0, 1.0]), Some(2));
        assert_eq!(stop_epoch(Monitor::Loss, 0.0, 0, &[1.0]), None);
        // min_delta: improvements smaller than it do not count (its sign is ignored).
        assert_eq!(
            stop_epoch(Monitor::ValLoss, 0.15, 1, &[1.0, 0.9, 0.7]),
            Some(2)
        );
        assert_eq!(
            stop_epoch(Monitor::ValLoss, -0.15, 1, &[1.0, 0.9, 0.7]),
            Some(2)
        );
        // Accuracies are maximised.
        assert_eq!(
            stop_epoch(Monitor::ValAccuracy, 0.0, 1, &[0.5, 0.6, 0.7, 0.7]),
            Some(4)
        );
        assert_eq!(stop_epoch(Monitor::Accuracy, 0.0, 1, &[0.5, 0.4]), Some(2));
    }
}
