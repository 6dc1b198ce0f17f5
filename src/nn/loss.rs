//! Binary cross-entropy on a single sigmoid output, computed from the logit as Keras does
//! (TensorFlow's `sigmoid_cross_entropy_with_logits`; no 1e-7 clipping), and Keras's
//! binary accuracy.

use super::activation::{relu, sigmoid32};

/// `max(z,0) - z*y + log1p(exp(-|z|))`: finite for any finite logit, never `log(0)`.
pub fn binary_crossentropy_from_logit(z: f32, y: f32) -> f32 {
    loss_and_prediction(z, y).0
}

/// [`binary_crossentropy_from_logit`] and [`predicts_positive`] with one `exp` for both (in
/// wasm, `exp` is software). For `z > 0` the sigmoid's `exp(-z)` is the loss's `exp(-|z|)`;
/// for `z ≤ 0` (and NaN) `exp(-z) ≥ 1`, so the sigmoid is at most 0.5, not positive.
pub(crate) fn loss_and_prediction(z: f32, y: f32) -> (f32, bool) {
    let e = (-(z.abs() as f64)).exp();
    // `relu(z)` is `z.max(0.0)` without wasm's `fmaxf` call: for z = ±0 the zero's sign is
    // lost in `- z·y + tail` (tail = ln 2), and a NaN gives 0 both ways.
    let loss = relu(z) - z * y + e.ln_1p() as f32;
    (loss, z > 0.0 && (1.0 / (1.0 + e)) as f32 > 0.5)
}

/// The sigmoid output unit's probability.
pub fn sigmoid(z: f32) -> f32 {
    sigmoid32(z)
}

/// Keras `binary_accuracy`: the *probability* is compared with 0.5, strictly.
pub fn predicts_positive(z: f32) -> bool {
    sigmoid32(z) > 0.5
}

/// dL/dz of the batch-mean loss for one sample: `(sigmoid(z) - y) / batch_len`.
pub(crate) fn logit_gradient(z: f32, y: f32, batch_len: usize) -> f32 {
    (sigmoid32(z) - y) / batch_len as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reference(z: f64, y: f64) -> f64 {
        let p = 1.0 / (1.0 + (-z).exp());
        -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())
    }

    #[test]
    fn loss_and_gradient_match_reference_and_finite_differences() {
        for &z in &[-8.0f32, -2.0, -0.1, 0.0, 0.4, 3.0, 9.0] {
            for &y in &[0.0f32, 1.0, 0.3] {
                let l = binary_crossentropy_from_logit(z, y) as f64;
                assert!((l - reference(z as f64, y as f64)).abs() < 1e-6);
                let h = 1e-5;
                let numeric = (reference(z as f64 + h, y as f64)
                    - reference(z as f64 - h, y as f64))
                    / (2.0 * h);
                let g = logit_gradient(z, y, 1) as f64;
                assert!((g - numeric).abs() < 1e-6, "z={z} y={y}: {g} vs {numeric}");
            }
        }
    }

    /// The shared `exp` gives exactly the separate functions' loss and prediction.
    #[test]
    fn loss_and_prediction_agree_with_the_separate_functions() {
        let special = [0.0, -0.0, f32::MIN_POSITIVE, f32::NAN, 1e30, -1e30];
        let steps = (-2000..=2000).map(|i| i as f32 * 0.0107);
        // Around 0, where the sigmoid rounds to 0.5: ±2⁻³⁰ … ±2⁻¹⁰.
        let tiny = (10..=30).flat_map(|e| [2f32.powi(-e), -(2f32.powi(-e)), 1.5 * 2f32.powi(-e)]);
        let zs: Vec<f32> = special.into_iter().chain(steps).chain(tiny).collect();
        for z in zs {
            for y in [0.0f32, 1.0] {
                let (loss, positive) = loss_and_prediction(z, y);
                let tail = (-(z.abs() as f64)).exp().ln_1p() as f32;
                let separate = z.max(0.0) - z * y + tail;
                assert_eq!(loss.to_bits(), separate.to_bits(), "loss at {z:e}");
                assert_eq!(positive, sigmoid32(z) > 0.5, "prediction at {z:e}");
            }
        }
    }

    #[test]
    fn huge_logits_stay_finite() {
        assert_eq!(binary_crossentropy_from_logit(1e30, 1.0), 0.0);
        assert_eq!(binary_crossentropy_from_logit(-1e30, 0.0), 0.0);
        assert_eq!(binary_crossentropy_from_logit(1e30, 0.0), 1e30);
    }

    #[test]
    fn accuracy_threshold_is_strict() {
        assert!(!predicts_positive(0.0));
        assert!(predicts_positive(1e-6));
        assert!(!predicts_positive(-1e-6));
    }
}
