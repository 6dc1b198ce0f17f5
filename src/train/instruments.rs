//! Instruments: what each hidden layer did during an epoch, the figures that explain why a
//! loss curve bends (after Cockpit, Schneider et al. 2021). They only read the training, so a
//! run's history is the same bit for bit with them on or off.
//!
//! Per epoch and hidden layer:
//! - `grad_norm`: the mean over the epoch's measured batches (one in four, the first
//!   included: measuring every step would cost a fifth of the training) of the L2 norm of the layer's gradient
//!   (kernel and bias, the L2 penalty's term included: what the optimizer was given);
//! - `weight_norm`: the L2 norm of the layer's kernel and bias at the epoch's end;
//! - `update_ratio`: the mean over the same batches of ‖step‖ / ‖weights before the step‖, the
//!   effective step size (around 1e-3 is the usual rule of thumb; 1e-1 moves a layer by a
//!   tenth of itself every batch);
//! - `dead_share`: for ReLU, the share of the layer's units whose output was 0 on every
//!   training row of the epoch, as the rows went by (a dead ReLU gets no gradient, so it
//!   stays dead; a bounded unit stuck at a limit is counted as saturated instead);
//! - `saturated_share`: for tanh and sigmoid, the share of units whose output sat within 1% of
//!   its limits on at least 90% of the epoch's training rows, where the slope is nearly 0.

use crate::nn::{Activation, Layout};
use serde::{Deserialize, Serialize};

/// One hidden layer over one epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LayerInstruments {
    pub grad_norm: f64,
    pub weight_norm: f64,
    pub update_ratio: f64,
    pub dead_share: f64,
    pub saturated_share: f64,
}

/// How close to its limits a bounded unit must be to count as saturated there: tanh's slope
/// at |a| = 0.99 is 0.02, sigmoid's at 0.01 or 0.99 is about 0.01.
const SATURATED_WITHIN: f32 = 0.01;
/// One step in this many has its gradient and update measured (see [`Probe::measures`]).
const MEASURED_EVERY: usize = 4;
/// A unit is saturated over an epoch when it was so on at least this share of the rows.
const SATURATED_ROWS: f64 = 0.9;

/// Whether `a`, a unit's output, sits within 1% of the activation's limits.
fn saturated(activation: Activation, a: f32) -> bool {
    match activation {
        Activation::Tanh => a.abs() >= 1.0 - SATURATED_WITHIN,
        Activation::Sigmoid => !(SATURATED_WITHIN..=1.0 - SATURATED_WITHIN).contains(&a),
        Activation::Relu | Activation::Linear => false,
    }
}

/// One hidden layer's sums during an epoch.
#[derive(Clone, Debug)]
struct LayerProbe {
    grad_norm_sum: f64,
    update_ratio_sum: f64,
    /// Per unit: whether it output anything but 0 this epoch.
    alive: Vec<bool>,
    /// Per unit: rows on which it was saturated this epoch.
    saturated_rows: Vec<u32>,
}

/// The sums of an epoch under way, and the figures of the epochs done.
#[derive(Clone, Debug)]
pub(super) struct Probe {
    activation: Activation,
    layers: Vec<LayerProbe>,
    /// Steps measured this epoch.
    batches: usize,
    rows: usize,
    /// The parameters before the batch's step, to measure the step.
    before: Vec<f32>,
    pub(super) epochs: Vec<Vec<LayerInstruments>>,
}

/// Σ x² in f64, over eight independent sums (one running sum is a chain of dependent
/// additions: 2.3% of an instrumented `overfit` run in wasm, for one pass an epoch).
fn sum_sq(values: &[f32]) -> f64 {
    let mut lanes = [0.0f64; 8];
    let chunks = values.chunks_exact(8);
    let tail = chunks.remainder();
    for chunk in chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            *lane += (v as f64) * (v as f64);
        }
    }
    for (lane, &v) in lanes.iter_mut().zip(tail) {
        *lane += (v as f64) * (v as f64);
    }
    lanes.iter().sum()
}

/// A layer's Σ g², Σ (new − old)² and Σ old² in one pass, in f64 (a gradient of 1e-25
/// squares to an f32 subnormal), over eight independent sums so that the compiler vectorises
/// it: single running sums are chains of dependent additions.
fn step_sums(grads: &[f32], old: &[f32], new: &[f32]) -> [f64; 3] {
    let mut lanes = [[0.0f64; 8]; 3];
    let mut add = |k: usize, g: f32, a: f32, b: f32| {
        let (g, a, b) = (g as f64, a as f64, b as f64);
        lanes[0][k] += g * g;
        lanes[1][k] += (b - a) * (b - a);
        lanes[2][k] += a * a;
    };
    // Whole chunks of eight, lane k taking element k of each: the lanes are fixed-width for
    // the compiler. Indexing them by `i % 8` (here and in `sum_sq`) gave the same sums but
    // cost an `overfit` run in wasm about 2 points more (instruments +10.6-11.5% against
    // +8.1-9.6%). The tail goes to the lanes its index names, as before.
    let (g8, a8, b8) = (
        grads.chunks_exact(8),
        old.chunks_exact(8),
        new.chunks_exact(8),
    );
    let tail = (g8.remainder(), a8.remainder(), b8.remainder());
    for ((g, a), b) in g8.zip(a8).zip(b8) {
        for k in 0..8 {
            add(k, g[k], a[k], b[k]);
        }
    }
    for (k, ((&g, &a), &b)) in tail.0.iter().zip(tail.1).zip(tail.2).enumerate() {
        add(k, g, a, b);
    }
    lanes.map(|l| l.iter().sum())
}

impl Probe {
    pub(super) fn new(layout: &Layout, activation: Activation) -> Probe {
        let hidden = layout.layers() - 1;
        Probe {
            activation,
            layers: (0..hidden)
                .map(|l| {
                    let units = layout.fan_out(l);
                    LayerProbe {
                        grad_norm_sum: 0.0,
                        update_ratio_sum: 0.0,
                        alive: vec![false; units],
                        saturated_rows: vec![0; units],
                    }
                })
                .collect(),
            batches: 0,
            rows: 0,
            before: vec![0.0; layout.params()],
            epochs: Vec::new(),
        }
    }

    /// After a training batch's forward pass: `outputs(l)` is hidden layer `l`'s output on
    /// the batch's rows (before dropout), `rows × units`.
    pub(super) fn read_outputs<'a>(&mut self, rows: usize, outputs: impl Fn(usize) -> &'a [f32]) {
        self.rows += rows;
        let activation = self.activation;
        for (l, probe) in self.layers.iter_mut().enumerate() {
            let units = probe.alive.len();
            // One loop per activation, without a branch per value: this runs over every
            // hidden output of every batch.
            match activation {
                // Once every unit has been alive this epoch there is nothing left to learn
                // from its rows (this loop was 3% of an instrumented run in wasm).
                Activation::Relu if probe.alive.iter().all(|&alive| alive) => {}
                Activation::Relu => {
                    for row in outputs(l).chunks_exact(units) {
                        for (alive, &a) in probe.alive.iter_mut().zip(row) {
                            *alive |= a != 0.0;
                        }
                    }
                }
                Activation::Tanh | Activation::Sigmoid => {
                    for row in outputs(l).chunks_exact(units) {
                        for (n, &a) in probe.saturated_rows.iter_mut().zip(row) {
                            *n += saturated(activation, a) as u32;
                        }
                    }
                }
                Activation::Linear => {}
            }
        }
    }

    /// Whether the `batch`th batch of an epoch has its step measured. Measuring a step costs
    /// a few passes over every parameter, next to the batch's own few dozen (forward and
    /// backward over its rows): every step would add 15–25% to the training, so a quarter of
    /// them are, the epoch's first always.
    pub(super) fn measures(batch: usize) -> bool {
        batch.is_multiple_of(MEASURED_EVERY)
    }

    /// Before a measured step: the weights it starts from.
    pub(super) fn before_step(&mut self, params: &[f32]) {
        self.before.copy_from_slice(params);
    }

    /// After a measured step: the gradient's size, and how far the step moved each layer
    /// against the layer's size.
    pub(super) fn after_step(&mut self, layout: &Layout, params: &[f32], grads: &[f32]) {
        self.batches += 1;
        for (l, probe) in self.layers.iter_mut().enumerate() {
            let layer = layout.kernel(l).start..layout.bias(l).end;
            let [grad, step, size] = step_sums(
                &grads[layer.clone()],
                &self.before[layer.clone()],
                &params[layer],
            );
            probe.grad_norm_sum += grad.sqrt();
            if size > 0.0 {
                probe.update_ratio_sum += step.sqrt() / size.sqrt();
            }
        }
    }

    /// At the epoch's end: its figures, and fresh sums for the next.
    pub(super) fn end_epoch(&mut self, layout: &Layout, params: &[f32]) {
        let batches = self.batches.max(1) as f64;
        let rows = self.rows.max(1) as f64;
        let figures = self
            .layers
            .iter_mut()
            .enumerate()
            .map(|(l, probe)| {
                let units = probe.alive.len() as f64;
                let layer = layout.kernel(l).start..layout.bias(l).end;
                let dead = match self.activation {
                    Activation::Relu => probe.alive.iter().filter(|&&alive| !alive).count(),
                    _ => 0,
                };
                let saturated = probe
                    .saturated_rows
                    .iter()
                    .filter(|&&n| n as f64 >= SATURATED_ROWS * rows)
                    .count();
                let figures = LayerInstruments {
                    grad_norm: probe.grad_norm_sum / batches,
                    weight_norm: sum_sq(&params[layer]).sqrt(),
                    update_ratio: probe.update_ratio_sum / batches,
                    dead_share: dead as f64 / units,
                    saturated_share: saturated as f64 / units,
                };
                probe.grad_norm_sum = 0.0;
                probe.update_ratio_sum = 0.0;
                probe.alive.fill(false);
                probe.saturated_rows.fill(0);
                figures
            })
            .collect();
        self.epochs.push(figures);
        self.batches = 0;
        self.rows = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saturation_is_within_one_percent_of_a_bounded_activations_limits() {
        assert!(saturated(Activation::Tanh, 0.995));
        assert!(saturated(Activation::Tanh, -0.99));
        assert!(!saturated(Activation::Tanh, 0.9));
        assert!(saturated(Activation::Sigmoid, 0.005));
        assert!(saturated(Activation::Sigmoid, 0.995));
        assert!(!saturated(Activation::Sigmoid, 0.5));
        assert!(!saturated(Activation::Relu, 1e6));
        assert!(!saturated(Activation::Linear, -1e6));
    }
}
