//! A `Run`: a network, an optimizer and the data, advanced one batch or one epoch at a
//! time with Keras 3 `fit` semantics, keeping a `History`.

use super::early_stopping::EarlyState;
use super::spec::{check_weights, validate};
use super::{History, Samples, Status, TrainError, TrainSpec};
use crate::nn::{glorot_uniform, LayerWeights, Layout, Network, OptimizerState};
use crate::rng::RandomState;

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
    /// The last training batch's loss, as Keras reports a batch (before its update).
    last_batch_loss: Option<f64>,
}

/// Seeds of the generator streams derived from `spec.seed`: one per purpose, so that e.g.
/// changing the hidden sizes (more init draws) leaves the batch order unchanged.
const SHUFFLE_STREAM: u32 = 0x9e37_79b9;
const DROPOUT_STREAM: u32 = 0x85eb_ca6b;

impl Run {
    /// A new run with glorot-uniform kernels and zero biases drawn from `spec.seed`.
    pub fn new(spec: TrainSpec, train: Samples, val: Samples) -> Result<Run, TrainError> {
        Run::check(&spec, &train, &val)?;
        let layout = spec.layout(train.features);
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
        let layout = spec.layout(train.features);
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
            last_batch_loss: None,
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

        self.last_batch_loss = Some(batch_loss);
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
    /// The last training batch's loss (before its update, as Keras reports it), if any.
    pub fn last_batch_loss(&self) -> Option<f64> {
        self.last_batch_loss
    }

    /// Training steps taken so far (Keras `optimizer.iterations`).
    pub fn iterations(&self) -> u64 {
        self.optimizer.iterations()
    }

    /// The rate of the next steps (the learning-rate finder raises it step by step).
    pub fn set_learning_rate(&mut self, rate: f32) {
        self.optimizer.set_learning_rate(rate);
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
    pub fn weights(&self) -> Vec<LayerWeights> {
        self.net.weights()
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
