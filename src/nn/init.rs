//! Keras's default initialisers: glorot-uniform kernels, zero biases.

use crate::rng::RandomState;

/// Fills a `fan_in × fan_out` kernel with `U(-limit, limit)`, `limit = sqrt(6/(fan_in+fan_out))`,
/// one `uniform` draw per value in row-major order.
pub fn glorot_uniform(rng: &mut RandomState, fan_in: usize, fan_out: usize, kernel: &mut [f32]) {
    debug_assert_eq!(kernel.len(), fan_in * fan_out);
    let limit = (6.0 / (fan_in + fan_out) as f64).sqrt();
    for w in kernel {
        *w = rng.uniform(-limit, limit) as f32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn within_limit_and_spread() {
        let mut rng = RandomState::new(7);
        let mut k = vec![0.0; 20 * 32];
        glorot_uniform(&mut rng, 20, 32, &mut k);
        let limit = (6.0f32 / 52.0).sqrt();
        assert!(k.iter().all(|w| w.abs() <= limit));
        let max = k.iter().cloned().fold(f32::MIN, f32::max);
        assert!(max > 0.9 * limit);
        let mean = k.iter().sum::<f32>() / k.len() as f32;
        assert!(mean.abs() < 0.05 * limit);
    }
}
