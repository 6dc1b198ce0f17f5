//! Hidden-layer activations, applied in place to a layer's outputs.
//!
//! The derivatives are written in terms of the activation's *output* (as TensorFlow's
//! `ReluGrad`, `TanhGrad`, `SigmoidGrad` do), so the backward pass needs no copy of the
//! pre-activations.

use super::Activation;

/// `exp`, `tanh` and friends are evaluated in f64 and rounded to f32: the f64 functions of
/// the native libm and of Rust's wasm libm agree far more often than their f32 versions, so
/// the same seed gives the same history natively and in the browser.
pub(crate) fn tanh32(x: f32) -> f32 {
    (x as f64).tanh() as f32
}

pub(crate) fn sigmoid32(x: f32) -> f32 {
    (1.0 / (1.0 + (-(x as f64)).exp())) as f32
}

/// `max(x, 0)` as a comparison: `f32::max` has NaN rules that wasm's `f32.max` lacks, so in
/// wasm it was a call to `fmaxf` per value, not vectorised (12–14% of a run, node's profiler).
/// A NaN gives 0 as before; -0 gives +0, where `max` left either zero, and no zero's sign is
/// read after a relu (the kernels and the backward pass only ask `≠ 0` and `> 0`).
#[inline(always)]
pub(crate) fn relu(x: f32) -> f32 {
    if x > 0.0 {
        x
    } else {
        0.0
    }
}

impl Activation {
    /// `values = act(values)`.
    pub fn apply(self, values: &mut [f32]) {
        match self {
            Activation::Relu => values.iter_mut().for_each(|v| *v = relu(*v)),
            Activation::Tanh => values.iter_mut().for_each(|v| *v = tanh32(*v)),
            Activation::Sigmoid => values.iter_mut().for_each(|v| *v = sigmoid32(*v)),
            Activation::Linear => {}
        }
    }

    /// `delta *= act'(z)`, where `outputs = act(z)`: turns dL/d(output) into dL/dz.
    pub fn backprop(self, outputs: &[f32], delta: &mut [f32]) {
        let pairs = delta.iter_mut().zip(outputs);
        match self {
            Activation::Relu => pairs.for_each(|(d, &y)| *d = if y > 0.0 { *d } else { 0.0 }),
            Activation::Tanh => pairs.for_each(|(d, &y)| *d *= 1.0 - y * y),
            Activation::Sigmoid => pairs.for_each(|(d, &y)| *d *= y * (1.0 - y)),
            Activation::Linear => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// d act(z)/dz from `backprop` against a central difference in f64.
    #[test]
    fn derivatives_match_finite_differences() {
        let zs = [-3.0f32, -1.2, -0.3, 0.2, 0.7, 2.5];
        for act in [
            Activation::Relu,
            Activation::Tanh,
            Activation::Sigmoid,
            Activation::Linear,
        ] {
            let f = |z: f64| -> f64 {
                match act {
                    Activation::Relu => z.max(0.0),
                    Activation::Tanh => z.tanh(),
                    Activation::Sigmoid => 1.0 / (1.0 + (-z).exp()),
                    Activation::Linear => z,
                }
            };
            for &z in &zs {
                let mut y = [z];
                act.apply(&mut y);
                assert!(
                    (y[0] as f64 - f(z as f64)).abs() < 1e-6,
                    "{act:?} value at {z}"
                );
                let mut d = [1.0f32];
                act.backprop(&y, &mut d);
                let h = 1e-6;
                let numeric = (f(z as f64 + h) - f(z as f64 - h)) / (2.0 * h);
                assert!(
                    (d[0] as f64 - numeric).abs() < 1e-5,
                    "{act:?} at {z}: {} vs {numeric}",
                    d[0]
                );
            }
        }
    }
}
