//! A `Run`: a network, an optimizer and the data, advanced one batch or one epoch at a
//! time with Keras 3 `fit` semantics, keeping a `History`.

use super::confusion::{self, Confusion};
use super::early_stopping::EarlyState;
use super::instruments::{LayerInstruments, Probe};
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
    /// Per-layer instruments, when asked for ([`Run::with_instruments`]).
    probe: Option<Box<Probe>>,
    /// With the instruments: after each epoch, the confusion matrix the run would end with
    /// if it ended there, and the epoch's validation counts as they add up.
    endings: Option<Box<Endings>>,
}

/// The confusion matrices a run would end with, epoch by epoch: a page showing fewer epochs
/// than a worker has trained (a run stopped behind its worker) reads its matrix here, since
/// the worker's network has moved on.
#[derive(Clone, Debug)]
struct Endings {
    by_epoch: Vec<Confusion>,
    counts: Vec<Vec<u32>>,
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

    /// The same run, recording per-layer [`LayerInstruments`] each epoch. Call it before the
    /// first step. The training is unchanged: the instruments only read it.
    pub fn with_instruments(mut self) -> Run {
        debug_assert_eq!(self.iterations(), 0, "instruments start with the run");
        self.probe = Some(Box::new(Probe::new(
            self.net.layout(),
            self.spec.activation,
        )));
        let classes = self.spec.classes.max(2);
        self.endings = Some(Box::new(Endings {
            by_epoch: Vec::new(),
            counts: vec![vec![0; classes]; classes],
        }));
        self
    }

    /// Per completed epoch, the validation confusion matrix [`Run::confusion`] would give had
    /// the run ended after it (with `restore_best_weights`, the best epoch's so far); empty
    /// without [`Run::with_instruments`].
    pub fn confusions_by_epoch(&self) -> &[Confusion] {
        self.endings.as_ref().map_or(&[], |e| &e.by_epoch)
    }

    /// Per completed epoch, one entry per hidden layer; empty without
    /// [`Run::with_instruments`].
    pub fn instruments(&self) -> &[Vec<LayerInstruments>] {
        self.probe.as_ref().map_or(&[], |p| &p.epochs)
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
            probe: None,
            endings: None,
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
        let measured = self.probe.is_some() && Probe::measures(self.batch);
        if let Some(probe) = self.probe.as_deref_mut() {
            let net = &self.net;
            probe.read_outputs(len, |l| net.hidden_output(l));
            if measured {
                probe.before_step(net.params());
            }
        }
        let (params, grads) = self.net.params_and_grads();
        self.optimizer.update(params, grads);
        if let (Some(probe), true) = (self.probe.as_deref_mut(), measured) {
            let net = &self.net;
            probe.after_step(net.layout(), net.params(), net.grads());
        }
        let params = self.net.params();

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
        if let Some(endings) = self.endings.as_deref_mut() {
            self.net.count_predictions(&mut endings.counts);
        }
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
        if let Some(probe) = self.probe.as_deref_mut() {
            probe.end_epoch(self.net.layout(), self.net.params());
        }

        if let Some(early) = self.early.as_mut() {
            let current = early.config.monitor.latest(&self.history);
            if let Some(current) = current {
                if early.on_epoch_end(epoch - 1, current, self.net.params()) {
                    self.status = Status::EarlyStopped { epoch };
                }
            }
        }
        if let Some(endings) = self.endings.as_deref_mut() {
            // Restoring brings back the weights of the last epoch that improved (wait 0).
            let restores_older = self
                .early
                .as_ref()
                .is_some_and(|e| e.config.restore_best_weights && e.wait > 0);
            let classes = endings.counts.len();
            let counts = std::mem::replace(&mut endings.counts, vec![vec![0; classes]; classes]);
            let ending = match endings.by_epoch.last() {
                Some(best) if restores_older => best.clone(),
                _ => Confusion {
                    classes: (0..classes).map(|c| c.to_string()).collect(),
                    counts,
                },
            };
            endings.by_epoch.push(ending);
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

    /// The validation confusion matrix of the network as it is now; once the run has ended,
    /// of the network it ends with. With early stopping's `restore_best_weights` that is the
    /// best epoch's network, so its accuracy is that epoch's `val_accuracy`, not the last one;
    /// otherwise it is the last epoch's (a diverged run's, the weights that diverged).
    pub fn confusion(&self) -> Confusion {
        confusion::tally(&self.net, &self.spec, &self.val)
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

    use crate::nn::{reference_loss, Activation, Optimizer};

    fn samples(rng: &mut RandomState, rows: usize, features: usize) -> Samples {
        Samples {
            x: (0..rows * features)
                .map(|_| rng.uniform(-2.0, 2.0) as f32)
                .collect(),
            y: (0..rows).map(|r| (r % 2) as f32).collect(),
            features,
        }
    }

    fn spec(activation: Activation, optimizer: Optimizer, batch_size: usize) -> TrainSpec {
        TrainSpec {
            hidden: vec![5, 3],
            activation,
            optimizer,
            epochs: 4,
            batch_size,
            shuffle: true,
            l2: 0.0,
            dropout: 0.0,
            early_stopping: None,
            seed: 3,
            classes: 2,
        }
    }

    /// The instruments only read: the history and the weights are the same bit for bit.
    #[test]
    fn instruments_leave_the_training_unchanged() {
        let mut rng = RandomState::new(1);
        let (train, val) = (samples(&mut rng, 40, 4), samples(&mut rng, 10, 4));
        for activation in [Activation::Relu, Activation::Tanh, Activation::Sigmoid] {
            let mut spec = spec(activation, Optimizer::adam(0.05), 8);
            spec.l2 = 0.01;
            spec.dropout = 0.2;
            let mut plain = Run::new(spec.clone(), train.clone(), val.clone()).unwrap();
            let mut probed = Run::new(spec, train.clone(), val.clone())
                .unwrap()
                .with_instruments();
            plain.finish();
            probed.finish();
            let bits = |h: &History| {
                [&h.loss, &h.accuracy, &h.val_loss, &h.val_accuracy]
                    .map(|v| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>())
            };
            assert_eq!(
                bits(plain.history()),
                bits(probed.history()),
                "{activation:?}"
            );
            assert_eq!(plain.weights(), probed.weights(), "{activation:?}");
            assert!(plain.instruments().is_empty());
            assert_eq!(probed.instruments().len(), 4);
            assert!(probed.instruments().iter().all(|e| e.len() == 2));
        }
    }

    /// One batch per epoch and plain SGD: the epoch's gradient norm is that of the central
    /// differences of an independent f64 loss, the step is the rate times the gradient, and
    /// the weight norm is the norm of the weights after it.
    #[test]
    fn instruments_match_finite_differences() {
        let mut rng = RandomState::new(7);
        let (rows, features) = (6, 4);
        let (train, val) = (
            samples(&mut rng, rows, features),
            samples(&mut rng, 3, features),
        );
        // Two classes (one sigmoid unit) and three (a softmax over three).
        for (activation, classes) in [
            (Activation::Relu, 2),
            (Activation::Tanh, 2),
            (Activation::Sigmoid, 2),
            (Activation::Relu, 3),
        ] {
            let (lr, l2) = (0.1, 0.01);
            let mut spec = spec(activation, Optimizer::sgd(lr), rows);
            spec.l2 = l2;
            spec.shuffle = false;
            spec.classes = classes;
            let layout = spec.layout(features);
            let mut train = train.clone();
            train.y = (0..rows).map(|r| (r % classes) as f32).collect();
            let mut run = Run::new(spec, train.clone(), val.clone())
                .unwrap()
                .with_instruments();
            let start: Vec<f64> = Network::flatten(&layout, &run.weights())
                .iter()
                .map(|&w| w as f64)
                .collect();
            run.step_epoch();
            let end = Network::flatten(&layout, &run.weights());
            let x: Vec<f64> = train.x.iter().map(|&v| v as f64).collect();
            let y: Vec<f64> = train.y.iter().map(|&v| v as f64).collect();
            let loss = |p: &[f64]| reference_loss(&layout, activation, l2 as f64, p, &x, &y);
            for (l, figures) in run.instruments()[0].iter().enumerate() {
                let layer = layout.kernel(l).start..layout.bias(l).end;
                let numeric: f64 = layer
                    .clone()
                    .map(|i| {
                        let h = 1e-6;
                        let (mut plus, mut minus) = (start.clone(), start.clone());
                        plus[i] += h;
                        minus[i] -= h;
                        let g = (loss(&plus) - loss(&minus)) / (2.0 * h);
                        g * g
                    })
                    .sum::<f64>()
                    .sqrt();
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-4 * b.abs() + 1e-6;
                assert!(
                    close(figures.grad_norm, numeric),
                    "{activation:?} layer {l}: gradient norm {} vs {numeric}",
                    figures.grad_norm
                );
                let size = start[layer.clone()]
                    .iter()
                    .map(|w| w * w)
                    .sum::<f64>()
                    .sqrt();
                assert!(
                    close(figures.update_ratio, lr as f64 * numeric / size),
                    "{activation:?} layer {l}: update ratio {}",
                    figures.update_ratio
                );
                let after = end[layer].iter().map(|&w| (w as f64).powi(2)).sum::<f64>();
                assert!(
                    close(figures.weight_norm, after.sqrt()),
                    "{activation:?} layer {l}"
                );
            }
        }
    }

    /// A unit whose weights make it 0 on every row is dead, and stays dead (no gradient
    /// reaches it); a tanh unit pushed far past its knee is saturated. Their layer's other
    /// units are neither.
    #[test]
    fn dead_and_saturated_units_are_counted_per_layer() {
        let mut rng = RandomState::new(2);
        let (train, val) = (samples(&mut rng, 20, 4), samples(&mut rng, 5, 4));
        for (activation, bias, dead, saturated) in [
            (Activation::Relu, -100.0, 0.2, 0.0),
            (Activation::Tanh, 100.0, 0.0, 0.2),
            (Activation::Sigmoid, -100.0, 0.0, 0.2),
        ] {
            let mut weights = Run::new(
                spec(activation, Optimizer::sgd(0.01), 5),
                train.clone(),
                val.clone(),
            )
            .unwrap()
            .weights();
            // Unit 2 of the first hidden layer: no input weight, a bias far from 0.
            for i in 0..4 {
                weights[0].kernel[i * 5 + 2] = 0.0;
            }
            weights[0].bias = vec![0.0; 5];
            weights[0].bias[2] = bias;
            let mut run = Run::with_weights(
                spec(activation, Optimizer::sgd(0.01), 5),
                train.clone(),
                val.clone(),
                weights,
            )
            .unwrap()
            .with_instruments();
            run.finish();
            for epoch in run.instruments() {
                assert_eq!(epoch[0].dead_share, dead, "{activation:?}");
                assert_eq!(epoch[0].saturated_share, saturated, "{activation:?}");
            }
        }
    }
}
