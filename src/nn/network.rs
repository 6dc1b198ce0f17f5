//! The layer stack: Dense hidden layers (each optionally followed by Dropout) and a Dense
//! output, over batches of rows: one sigmoid unit for two classes, a softmax over k units for
//! k ≥ 3. All parameters live in one flat vector
//! (per layer: kernel `fan_in × fan_out` row-major, then bias) so an optimizer step is a
//! single elementwise pass. Every buffer a batch needs is allocated in `Network::new`.

use super::loss::{
    logit_gradient, loss_and_prediction, softmax_gradient, softmax_loss_and_prediction,
};
use super::matmul::{self, Scratch};
use super::{dropout, ftz, Activation, LayerWeights};
use crate::rng::RandomState;
use std::ops::Range;

/// Layer sizes and where each layer's kernel and bias sit in the flat parameter vector.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// `[features, hidden…, outputs]`.
    dims: Vec<usize>,
    /// Start of each layer's kernel; the bias follows it.
    offsets: Vec<usize>,
}

impl Layout {
    /// A binary classifier's layout: one sigmoid output unit.
    pub fn new(features: usize, hidden: &[usize]) -> Layout {
        Layout::for_classes(features, hidden, 2)
    }
    /// One sigmoid output unit for 2 classes (as Keras's binary models have), `classes`
    /// softmax units for more.
    pub fn for_classes(features: usize, hidden: &[usize], classes: usize) -> Layout {
        let mut dims = vec![features];
        dims.extend_from_slice(hidden);
        dims.push(if classes <= 2 { 1 } else { classes });
        let mut offsets = Vec::with_capacity(dims.len());
        let mut at = 0;
        for w in dims.windows(2) {
            offsets.push(at);
            at += w[0] * w[1] + w[1];
        }
        offsets.push(at);
        Layout { dims, offsets }
    }
    /// Dense layers, the output layer included.
    pub fn layers(&self) -> usize {
        self.dims.len() - 1
    }
    pub fn fan_in(&self, layer: usize) -> usize {
        self.dims[layer]
    }
    pub fn fan_out(&self, layer: usize) -> usize {
        self.dims[layer + 1]
    }
    pub fn kernel(&self, layer: usize) -> Range<usize> {
        let start = self.offsets[layer];
        start..start + self.fan_in(layer) * self.fan_out(layer)
    }
    pub fn bias(&self, layer: usize) -> Range<usize> {
        let start = self.kernel(layer).end;
        start..start + self.fan_out(layer)
    }
    /// Total parameter count.
    pub fn params(&self) -> usize {
        self.offsets[self.layers()]
    }
    /// Output units: 1 (sigmoid, two classes) or the class count (softmax).
    pub fn outputs(&self) -> usize {
        self.dims[self.dims.len() - 1]
    }
}

/// Per-layer scratch for up to `capacity` rows.
#[derive(Clone, Debug)]
struct Buffers {
    /// Post-activation outputs (the logits, for the output layer).
    out: Vec<f32>,
    /// Dropout scale per value (hidden layers with dropout only).
    mask: Vec<f32>,
    /// `out * mask`: what the next layer sees when dropout is active.
    dropped: Vec<f32>,
    /// dL/d(pre-activation).
    delta: Vec<f32>,
}

#[derive(Clone, Debug)]
pub struct Network {
    layout: Layout,
    activation: Activation,
    dropout: f32,
    l2: f32,
    params: Vec<f32>,
    grads: Vec<f32>,
    capacity: usize,
    /// The current batch, gathered into contiguous rows.
    input: Vec<f32>,
    labels: Vec<f32>,
    /// Rows in the current batch.
    rows: usize,
    /// Whether the last forward pass applied dropout (training) or not (inference).
    dropped_out: bool,
    buffers: Vec<Buffers>,
    /// The kernels' index lists.
    scratch: Scratch,
}

impl Network {
    /// `params` must have `layout.params()` values; batches hold up to `capacity` rows.
    pub fn new(
        layout: Layout,
        activation: Activation,
        dropout: f32,
        l2: f32,
        params: Vec<f32>,
        capacity: usize,
    ) -> Network {
        assert_eq!(params.len(), layout.params(), "parameter count");
        let hidden = layout.layers() - 1;
        let buffers = (0..layout.layers())
            .map(|l| {
                let size = capacity * layout.fan_out(l);
                let dropout_size = if l < hidden && dropout > 0.0 { size } else { 0 };
                Buffers {
                    out: vec![0.0; size],
                    mask: vec![0.0; dropout_size],
                    dropped: vec![0.0; dropout_size],
                    delta: vec![0.0; size],
                }
            })
            .collect();
        let widest = layout.dims.iter().copied().max().unwrap_or(0);
        Network {
            scratch: Scratch::new(widest.max(capacity)),
            input: vec![0.0; capacity * layout.fan_in(0)],
            labels: vec![0.0; capacity],
            grads: vec![0.0; params.len()],
            rows: 0,
            dropped_out: false,
            layout,
            activation,
            dropout,
            l2,
            params,
            capacity,
            buffers,
        }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }
    pub fn params(&self) -> &[f32] {
        &self.params
    }
    pub fn params_mut(&mut self) -> &mut [f32] {
        &mut self.params
    }
    /// Gradients from the last `backward`.
    pub fn grads(&self) -> &[f32] {
        &self.grads
    }
    /// The parameters and their gradients, for an optimizer step.
    pub fn params_and_grads(&mut self) -> (&mut [f32], &[f32]) {
        (&mut self.params, &self.grads)
    }

    /// Per-layer copies of the parameters, output layer last.
    pub fn weights(&self) -> Vec<LayerWeights> {
        (0..self.layout.layers())
            .map(|l| LayerWeights {
                kernel: self.params[self.layout.kernel(l)].to_vec(),
                bias: self.params[self.layout.bias(l)].to_vec(),
            })
            .collect()
    }

    /// Flattens per-layer weights in the network's layout (shapes already checked).
    pub fn flatten(layout: &Layout, weights: &[LayerWeights]) -> Vec<f32> {
        let mut params = Vec::with_capacity(layout.params());
        for w in weights {
            params.extend_from_slice(&w.kernel);
            params.extend_from_slice(&w.bias);
        }
        params
    }

    /// Copies the rows `indices` of `x` (row-major, `features` wide) and their labels into
    /// the batch buffers. At most `capacity` rows.
    pub fn load_batch(&mut self, x: &[f32], y: &[f32], indices: &[usize]) {
        assert!(indices.len() <= self.capacity, "batch larger than capacity");
        let features = self.layout.fan_in(0);
        for (slot, &i) in indices.iter().enumerate() {
            self.input[slot * features..(slot + 1) * features]
                .copy_from_slice(&x[i * features..(i + 1) * features]);
            self.labels[slot] = y[i];
        }
        self.rows = indices.len();
    }

    /// Loads consecutive rows `range` (no index list needed: validation, unshuffled epochs).
    pub fn load_range(&mut self, x: &[f32], y: &[f32], range: Range<usize>) {
        assert!(range.len() <= self.capacity, "batch larger than capacity");
        let features = self.layout.fan_in(0);
        let rows = range.len();
        self.input[..rows * features]
            .copy_from_slice(&x[range.start * features..range.end * features]);
        self.labels[..rows].copy_from_slice(&y[range]);
        self.rows = rows;
    }

    /// Forward pass over the loaded batch. With `dropout_rng` (training) each hidden layer's
    /// output goes through dropout; without it (inference) dropout is the identity.
    pub fn forward(&mut self, dropout_rng: Option<&mut RandomState>) {
        let rows = self.rows;
        let last = self.layout.layers() - 1;
        self.dropped_out = self.dropout > 0.0 && dropout_rng.is_some();
        let mut rng = dropout_rng;
        for l in 0..=last {
            let (below, rest) = self.buffers.split_at_mut(l);
            let cur = &mut rest[0];
            let n_out = self.layout.fan_out(l);
            let x = match below.last() {
                None => &self.input[..rows * self.layout.fan_in(0)],
                Some(b) if self.dropped_out => &b.dropped[..rows * self.layout.fan_in(l)],
                Some(b) => &b.out[..rows * self.layout.fan_in(l)],
            };
            let out = &mut cur.out[..rows * n_out];
            matmul::affine(
                x,
                &self.params[self.layout.kernel(l)],
                &self.params[self.layout.bias(l)],
                out,
                &mut self.scratch,
            );
            if l == last {
                ftz::flush(out);
                break; // the output stays a logit; the loss applies the sigmoid or softmax
            }
            self.activation.apply(out);
            ftz::flush(out);
            if self.dropped_out {
                let mask = &mut cur.mask[..rows * n_out];
                if let Some(rng) = rng.as_deref_mut() {
                    dropout::fill_mask(rng, self.dropout, mask);
                }
                for ((d, &o), &m) in cur.dropped.iter_mut().zip(out.iter()).zip(mask.iter()) {
                    *d = o * m;
                }
            }
        }
    }

    /// Hidden layer `layer`'s output in the last forward pass (before dropout), one row of
    /// `fan_out` values per batch row.
    pub fn hidden_output(&self, layer: usize) -> &[f32] {
        assert!(layer + 1 < self.layout.layers(), "a hidden layer");
        &self.buffers[layer].out[..self.rows * self.layout.fan_out(layer)]
    }

    /// The logits of the last forward pass, `rows × outputs`.
    pub fn logits(&self) -> &[f32] {
        &self.buffers[self.layout.layers() - 1].out[..self.rows * self.layout.outputs()]
    }

    /// Σ per-row cross-entropy (f64) and the number of correct predictions, for the
    /// loaded batch after `forward`. Excludes the L2 penalty.
    pub fn loss_sum_and_correct(&self) -> (f64, usize) {
        let mut loss = 0.0f64;
        let mut correct = 0;
        let outputs = self.layout.outputs();
        if outputs > 1 {
            let labels = &self.labels[..self.rows];
            for (z, &y) in self.logits().chunks_exact(outputs).zip(labels) {
                let (row_loss, predicted) = softmax_loss_and_prediction(z, y as usize);
                loss += row_loss as f64;
                correct += (predicted == y as usize) as usize;
            }
            return (loss, correct);
        }
        for (&z, &y) in self.logits().iter().zip(&self.labels) {
            let (row_loss, positive) = loss_and_prediction(z, y);
            loss += row_loss as f64;
            correct += (positive == (y > 0.5)) as usize;
        }
        (loss, correct)
    }

    /// Adds each loaded row, after `forward`, to `counts[class][predicted class]`, predicting
    /// with the very functions [`Network::loss_sum_and_correct`] counts correct rows with (for
    /// one sigmoid unit a probability above 0.5 is class 1; for a softmax, the first largest
    /// logit), so the diagonal gains exactly its correct count.
    pub fn count_predictions(&self, counts: &mut [Vec<u32>]) {
        let outputs = self.layout.outputs();
        let labels = &self.labels[..self.rows];
        if outputs > 1 {
            for (z, &y) in self.logits().chunks_exact(outputs).zip(labels) {
                let (_, predicted) = softmax_loss_and_prediction(z, y as usize);
                counts[y as usize][predicted] += 1;
            }
            return;
        }
        for (&z, &y) in self.logits().iter().zip(labels) {
            let (_, positive) = loss_and_prediction(z, y);
            counts[usize::from(y > 0.5)][usize::from(positive)] += 1;
        }
    }

    /// `l2 * Σ w²` over every kernel (biases are not regularised), as Keras adds it to the loss.
    pub fn l2_penalty(&self) -> f64 {
        if self.l2 == 0.0 {
            return 0.0;
        }
        (0..self.layout.layers())
            .map(|l| {
                let sq: f32 = self.params[self.layout.kernel(l)]
                    .iter()
                    .map(|&w| ftz::square(w))
                    .sum();
                (self.l2 * sq) as f64
            })
            .sum()
    }

    /// Gradients of the batch-mean loss (plus the L2 penalty) for the last forward pass.
    pub fn backward(&mut self) {
        let rows = self.rows;
        let last = self.layout.layers() - 1;
        let outputs = self.layout.outputs();
        {
            let out = &mut self.buffers[last];
            if outputs > 1 {
                let deltas = out.delta[..rows * outputs].chunks_exact_mut(outputs);
                for ((d, z), &y) in deltas.zip(out.out.chunks_exact(outputs)).zip(&self.labels) {
                    softmax_gradient(z, y as usize, rows, d);
                    ftz::flush(d);
                }
            } else {
                let labels = &self.labels;
                for ((d, &z), &y) in out.delta[..rows].iter_mut().zip(&out.out).zip(labels) {
                    *d = ftz::ftz(logit_gradient(z, y, rows));
                }
            }
        }
        for l in (0..=last).rev() {
            let (below, rest) = self.buffers.split_at_mut(l);
            let cur = &rest[0];
            let (n_in, n_out) = (self.layout.fan_in(l), self.layout.fan_out(l));
            let delta = &cur.delta[..rows * n_out];
            let x = match below.last() {
                None => &self.input[..rows * n_in],
                Some(b) if self.dropped_out => &b.dropped[..rows * n_in],
                Some(b) => &b.out[..rows * n_in],
            };
            let (kernel, bias) = (self.layout.kernel(l), self.layout.bias(l));
            // The bias follows its kernel, so one split gives both gradient slices.
            let (dk, db) = self.grads[kernel.start..bias.end].split_at_mut(kernel.len());
            matmul::weight_gradients(x, delta, dk, db, &mut self.scratch);
            if self.l2 > 0.0 {
                let two_l2 = ftz::Scale::new(2.0 * self.l2);
                for (g, &w) in dk.iter_mut().zip(&self.params[kernel.clone()]) {
                    *g = ftz::ftz(ftz::ftz(*g) + two_l2.apply(w));
                }
            } else {
                ftz::flush(dk);
            }
            ftz::flush(db);
            if let Some(b) = below.last_mut() {
                let dx = &mut b.delta[..rows * n_in];
                let below_out = &b.out[..rows * n_in];
                let relu_outputs = (self.activation == Activation::Relu).then_some(below_out);
                matmul::input_gradients(
                    delta,
                    &self.params[kernel],
                    n_out,
                    dx,
                    relu_outputs,
                    &mut self.scratch,
                );
                if self.dropped_out {
                    for (d, &m) in dx.iter_mut().zip(&b.mask) {
                        *d *= m;
                    }
                }
                self.activation.backprop(below_out, dx);
                ftz::flush(dx);
            }
        }
    }
}

#[cfg(test)]
/// An independent f64 forward pass: the mean loss plus the L2 penalty, for tests to check
/// gradients (and what is measured from them) against finite differences.
pub(crate) fn reference_loss(
    layout: &Layout,
    act: Activation,
    l2: f64,
    p: &[f64],
    x: &[f64],
    y: &[f64],
) -> f64 {
    let rows = y.len();
    let mut h: Vec<f64> = x.to_vec();
    for l in 0..layout.layers() {
        let (n, m) = (layout.fan_in(l), layout.fan_out(l));
        let (k, b) = (&p[layout.kernel(l)], &p[layout.bias(l)]);
        let mut out = vec![0.0; rows * m];
        for r in 0..rows {
            for j in 0..m {
                let mut s = b[j];
                for i in 0..n {
                    s += h[r * n + i] * k[i * m + j];
                }
                out[r * m + j] = if l + 1 == layout.layers() {
                    s
                } else {
                    match act {
                        Activation::Relu => s.max(0.0),
                        Activation::Tanh => s.tanh(),
                        Activation::Sigmoid => 1.0 / (1.0 + (-s).exp()),
                        Activation::Linear => s,
                    }
                };
            }
        }
        h = out;
    }
    let mut loss = 0.0;
    let k = layout.outputs();
    for r in 0..rows {
        if k > 1 {
            let z = &h[r * k..(r + 1) * k];
            loss += z.iter().map(|v| v.exp()).sum::<f64>().ln() - z[y[r] as usize];
            continue;
        }
        let z = h[r];
        loss += z.max(0.0) - z * y[r] + (-z.abs()).exp().ln_1p();
    }
    let mut pen = 0.0;
    for l in 0..layout.layers() {
        pen += p[layout.kernel(l)].iter().map(|w| w * w).sum::<f64>();
    }
    loss / rows as f64 + l2 * pen
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::nn::reference_loss;

    /// Backprop through two dense hidden layers, every activation, the loss and the L2
    /// term, against central differences of the f64 reference.
    #[test]
    fn gradients_match_finite_differences() {
        gradients_match_finite_differences_for(2);
    }

    /// The same through a softmax output over 4 classes.
    #[test]
    fn softmax_gradients_match_finite_differences() {
        gradients_match_finite_differences_for(4);
    }

    fn gradients_match_finite_differences_for(classes: usize) {
        let (features, rows) = (4, 6);
        let layout = Layout::for_classes(features, &[5, 3], classes);
        assert_eq!(layout.outputs(), if classes == 2 { 1 } else { classes });
        let mut rng = RandomState::new(11);
        let x: Vec<f32> = (0..rows * features)
            .map(|_| rng.uniform(-2.0, 2.0) as f32)
            .collect();
        let y: Vec<f32> = (0..rows).map(|r| (r % classes) as f32).collect();
        let params: Vec<f32> = (0..layout.params())
            .map(|_| rng.uniform(-0.8, 0.8) as f32)
            .collect();
        for act in [
            Activation::Relu,
            Activation::Tanh,
            Activation::Sigmoid,
            Activation::Linear,
        ] {
            for l2 in [0.0f32, 0.05] {
                let mut net = Network::new(layout.clone(), act, 0.0, l2, params.clone(), rows);
                net.load_range(&x, &y, 0..rows);
                net.forward(None);
                net.backward();
                let p64: Vec<f64> = params.iter().map(|&v| v as f64).collect();
                let x64: Vec<f64> = x.iter().map(|&v| v as f64).collect();
                let y64: Vec<f64> = y.iter().map(|&v| v as f64).collect();
                let (loss, _) = net.loss_sum_and_correct();
                let total = loss / rows as f64 + net.l2_penalty();
                let ref_total = reference_loss(&layout, act, l2 as f64, &p64, &x64, &y64);
                assert!((total - ref_total).abs() < 1e-5, "{act:?} loss");
                for i in 0..p64.len() {
                    let h = 1e-6;
                    let mut plus = p64.clone();
                    plus[i] += h;
                    let mut minus = p64.clone();
                    minus[i] -= h;
                    let numeric = (reference_loss(&layout, act, l2 as f64, &plus, &x64, &y64)
                        - reference_loss(&layout, act, l2 as f64, &minus, &x64, &y64))
                        / (2.0 * h);
                    let analytic = net.grads()[i] as f64;
                    assert!(
                        (analytic - numeric).abs() < 1e-5 + 1e-4 * numeric.abs(),
                        "{act:?} l2={l2} param {i}: {analytic} vs {numeric}"
                    );
                }
            }
        }
    }

    /// With dropout active, the gradient is that of the network with the sampled mask fixed.
    #[test]
    fn dropout_gradient_uses_the_same_mask() {
        dropout_gradient_uses_the_same_mask_for(2, [0.0, 1.0, 1.0, 0.0]);
        dropout_gradient_uses_the_same_mask_for(3, [2.0, 0.0, 1.0, 2.0]);
    }

    fn dropout_gradient_uses_the_same_mask_for(classes: usize, y: [f32; 4]) {
        let layout = Layout::for_classes(3, &[8], classes);
        let mut rng = RandomState::new(5);
        let x: Vec<f32> = (0..12).map(|_| rng.uniform(-1.0, 1.0) as f32).collect();
        let params: Vec<f32> = (0..layout.params())
            .map(|_| rng.uniform(-0.5, 0.5) as f32)
            .collect();
        let mut net = Network::new(layout, Activation::Tanh, 0.5, 0.0, params, 4);
        net.load_range(&x, &y, 0..4);
        let mut drop_rng = RandomState::new(9);
        net.forward(Some(&mut drop_rng));
        net.backward();
        let grads = net.grads().to_vec();
        let loss = |net: &mut Network| {
            let mut r = RandomState::new(9);
            net.forward(Some(&mut r));
            net.loss_sum_and_correct().0 / 4.0
        };
        for (i, &analytic) in grads.iter().enumerate() {
            let h = 1e-2f32;
            net.params_mut()[i] += h;
            let up = loss(&mut net);
            net.params_mut()[i] -= 2.0 * h;
            let down = loss(&mut net);
            net.params_mut()[i] += h;
            let numeric = (up - down) / (2.0 * h as f64);
            assert!(
                (analytic as f64 - numeric).abs() < 2e-3,
                "{classes} classes, param {i}: {analytic} vs {numeric}"
            );
        }
    }
}
