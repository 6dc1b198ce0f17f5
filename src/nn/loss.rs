//! Binary cross-entropy on a single sigmoid output, computed from the logit as Keras does
//! (TensorFlow's `sigmoid_cross_entropy_with_logits`; no 1e-7 clipping), and Keras's
//! binary accuracy. For k ≥ 3 classes, sparse categorical cross-entropy on a softmax output,
//! also from the logits: Keras's compiled `fit` sees that the output comes out of a `Softmax`
//! and calls `sparse_softmax_cross_entropy_with_logits` on its input (no clipping either: a
//! confidently wrong row costs its full logit gap, not `-ln 1e-7`), and Keras's sparse
//! categorical accuracy, the first largest output against the class index.

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

/// The softmax row's loss `ln Σ exp(z) - z[class]` (shifted by the largest logit, so never
/// an overflow) and its prediction, the index of the first largest logit. The sums run in f64
/// and round once, as the sigmoid's do, so native and wasm agree.
pub(crate) fn softmax_loss_and_prediction(z: &[f32], class: usize) -> (f32, usize) {
    let (top, max) = argmax(z);
    let sum: f64 = z.iter().map(|&v| ((v - max) as f64).exp()).sum();
    let loss = ((max - z[class]) as f64 + sum.ln()) as f32;
    (loss, top)
}

/// The index and value of the first largest logit (a NaN is never largest: NaN rows count as
/// wrong unless every logit is NaN, and their loss is NaN, which stops the run anyway).
fn argmax(z: &[f32]) -> (usize, f32) {
    let mut best = (0, z[0]);
    for (i, &v) in z.iter().enumerate().skip(1) {
        if v > best.1 {
            best = (i, v);
        }
    }
    best
}

/// dL/dz of the batch-mean loss for one softmax row: `(softmax(z) - onehot(class)) / batch_len`.
pub(crate) fn softmax_gradient(z: &[f32], class: usize, batch_len: usize, out: &mut [f32]) {
    let (_, max) = argmax(z);
    let sum: f64 = z.iter().map(|&v| ((v - max) as f64).exp()).sum();
    for (j, (d, &v)) in out.iter_mut().zip(z).enumerate() {
        let p = (((v - max) as f64).exp() / sum) as f32;
        let target = if j == class { 1.0 } else { 0.0 };
        *d = (p - target) / batch_len as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn softmax_reference(z: &[f64], class: usize) -> f64 {
        let lse = z.iter().map(|v| v.exp()).sum::<f64>().ln();
        lse - z[class]
    }

    #[test]
    fn softmax_loss_and_gradient_match_reference_and_finite_differences() {
        let rows: [&[f32]; 4] = [
            &[0.0, 0.0, 0.0],
            &[1.5, -2.0, 0.3, 4.0],
            &[-7.0, 3.0, 2.9, 0.0, -1.0],
            &[12.0, -12.0, 0.5],
        ];
        for z in rows {
            for class in 0..z.len() {
                let z64: Vec<f64> = z.iter().map(|&v| v as f64).collect();
                let (loss, top) = softmax_loss_and_prediction(z, class);
                let want = softmax_reference(&z64, class);
                assert!(
                    (loss as f64 - want).abs() < 1e-6 * want.max(1.0),
                    "{z:?} {class}"
                );
                let first_max = z64.iter().cloned().fold(f64::MIN, f64::max);
                assert_eq!(top, z64.iter().position(|&v| v == first_max).unwrap());
                let mut g = vec![0.0; z.len()];
                softmax_gradient(z, class, 2, &mut g);
                for j in 0..z.len() {
                    let h = 1e-5;
                    let (mut up, mut down) = (z64.clone(), z64.clone());
                    up[j] += h;
                    down[j] -= h;
                    let numeric = (softmax_reference(&up, class) - softmax_reference(&down, class))
                        / (2.0 * h)
                        / 2.0;
                    assert!((g[j] as f64 - numeric).abs() < 1e-6, "{z:?} {class} {j}");
                }
            }
        }
    }

    /// From the logits, as Keras's compiled fit computes it: no 1e-7 clip caps the loss.
    #[test]
    fn softmax_loss_is_not_clipped_and_ties_go_to_the_first_class() {
        let (loss, top) = softmax_loss_and_prediction(&[40.0, 0.0, -40.0], 2);
        assert_eq!(top, 0);
        assert!((loss - 80.0).abs() < 1e-4, "{loss}");
        assert_eq!(softmax_loss_and_prediction(&[1e30, -1e30, 0.0], 0).0, 0.0);
        assert_eq!(softmax_loss_and_prediction(&[2.0, 5.0, 5.0], 0).1, 1);
    }

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
