//! What the trained network's hidden units do on the training rows: a ReLU unit whose input is
//! negative on every row outputs 0 for all of them and gets no gradient again (it is "dead").
//! A learning rate too high kills many at once, and a network whose units are mostly dead is
//! stuck at chance: the evidence behind a collapse.

use crate::nn::{Activation, LayerWeights};
use crate::train::Samples;

/// Rows read: enough to find a unit alive on a few percent of rows, few enough for a frame.
pub const DEAD_UNIT_ROWS: usize = 256;

/// Share of hidden ReLU units that output 0 on every one of the first [`DEAD_UNIT_ROWS`]
/// training rows. `None` without hidden layers or for other activations.
pub fn dead_relu_fraction(
    activation: Activation,
    weights: &[LayerWeights],
    train: &Samples,
) -> Option<f64> {
    if activation != Activation::Relu || weights.len() < 2 || train.is_empty() {
        return None;
    }
    let rows = train.len().min(DEAD_UNIT_ROWS);
    let mut input: Vec<f64> = train.x[..rows * train.features]
        .iter()
        .map(|&v| v as f64)
        .collect();
    let mut fan_in = train.features;
    let (mut dead, mut units) = (0, 0);
    for layer in &weights[..weights.len() - 1] {
        let fan_out = layer.bias.len();
        let mut out = vec![0.0; rows * fan_out];
        for r in 0..rows {
            let x = &input[r * fan_in..(r + 1) * fan_in];
            for j in 0..fan_out {
                let sum: f64 = x
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| v * layer.kernel[i * fan_out + j] as f64)
                    .sum::<f64>()
                    + layer.bias[j] as f64;
                out[r * fan_out + j] = sum.max(0.0);
            }
        }
        units += fan_out;
        dead += (0..fan_out)
            .filter(|&j| (0..rows).all(|r| out[r * fan_out + j] == 0.0))
            .count();
        input = out;
        fan_in = fan_out;
    }
    Some(dead as f64 / units as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_negative_on_every_row_is_dead() {
        // Two features, two hidden units: the first always positive, the second never.
        let train = Samples {
            x: vec![1.0, 2.0, 3.0, 1.0],
            y: vec![0.0, 1.0],
            features: 2,
        };
        let hidden = LayerWeights {
            kernel: vec![1.0, -1.0, 1.0, -1.0],
            bias: vec![0.0, -0.5],
        };
        let output = LayerWeights {
            kernel: vec![1.0, 1.0],
            bias: vec![0.0],
        };
        let weights = [hidden, output];
        assert_eq!(
            dead_relu_fraction(Activation::Relu, &weights, &train),
            Some(0.5)
        );
        assert_eq!(dead_relu_fraction(Activation::Tanh, &weights, &train), None);
    }
}
