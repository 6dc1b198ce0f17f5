//! Inverted dropout (Keras `Dropout(rate)`): during training each value is kept with
//! probability `1 - rate` and scaled by `1 / (1 - rate)`, so inference needs no rescaling.
//! The masks come from the portable generator, so they are the same natively and in wasm.

use crate::rng::RandomState;

/// Fills `mask` with `0` (dropped) or `1/(1-rate)` (kept). `rate` is in `[0, 1)`.
pub fn fill_mask(rng: &mut RandomState, rate: f32, mask: &mut [f32]) {
    let scale = 1.0 / (1.0 - rate);
    for m in mask {
        *m = if rng.next_double() < rate as f64 {
            0.0
        } else {
            scale
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_about_one_minus_rate_and_preserves_the_mean() {
        let mut rng = RandomState::new(3);
        let mut mask = vec![0.0; 10_000];
        fill_mask(&mut rng, 0.25, &mut mask);
        let kept = mask.iter().filter(|&&m| m > 0.0).count() as f64 / 10_000.0;
        assert!((kept - 0.75).abs() < 0.02, "{kept}");
        let mean = mask.iter().map(|&m| m as f64).sum::<f64>() / 10_000.0;
        assert!((mean - 1.0).abs() < 0.03, "{mean}");
    }
}
