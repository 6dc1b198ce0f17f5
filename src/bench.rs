//! What `plateau bench` (natively) and the bench page (in wasm) measure, written once so both
//! targets measure the same thing: a workload's nominal FLOPs, per-epoch times, and the f32
//! multiply-add peak of one core. The clock is injected (`Instant` natively,
//! `performance.now()` in the browser), in milliseconds.

use crate::config::{Config, ConfigError};
use crate::nn;

/// The subnormal workload (issue 8): with L2, weights and Adam's moments decay towards zero;
/// without flush-to-zero, x86 epochs got ~9× slower once they reached the subnormal range.
/// The figure is the mean epoch time of the last 20 epochs over that of the first 20.
pub const SUBNORMAL_WORKLOAD: (&str, &str) = (
    "l2-subnormal",
    "samples=1000&hidden=128,128&lr=0.003&l2=0.01&epochs=200",
);

/// Nominal f32 FLOPs (a multiply and an add are two) of training `config` for all its
/// epochs: per training row the forward pass, the weight gradients and the input gradients of
/// every layer but the first (2·fan_in·fan_out each), per validation row the forward pass.
/// Products the kernels skip (zero inputs after a relu) are counted, as for any dense kernel,
/// so GFLOP/s are comparable across settings and with other engines.
pub fn training_flops(config: &Config, train_rows: usize, val_rows: usize) -> f64 {
    let layout = nn::Layout::new(config.features, &config.hidden);
    let mut forward = 0.0;
    let mut input_grads = 0.0;
    for l in 0..layout.layers() {
        let products = (layout.fan_in(l) * layout.fan_out(l)) as f64;
        forward += 2.0 * products;
        if l > 0 {
            input_grads += 2.0 * products;
        }
    }
    let per_train_row = 2.0 * forward + input_grads;
    config.epochs as f64 * (train_rows as f64 * per_train_row + val_rows as f64 * forward)
}

/// Trains `config` to the end `repeat` times and returns each epoch's wall time in ms, the
/// least over the runs: on a shared machine a slow epoch is mostly another process's turn,
/// and the minimum keeps what the epoch itself costs.
pub fn epoch_times(
    config: &Config,
    repeat: usize,
    clock: &dyn Fn() -> f64,
) -> Result<Vec<f64>, ConfigError> {
    let prepared = config.prepare()?;
    let mut best: Vec<f64> = Vec::new();
    for _ in 0..repeat.max(1) {
        let mut run = config.start_with(&prepared)?;
        let mut epoch = 0;
        while run.status() == crate::Status::Training {
            let t = clock();
            run.step_epoch();
            let ms = clock() - t;
            match best.get_mut(epoch) {
                Some(b) => *b = b.min(ms),
                None => best.push(ms),
            }
            epoch += 1;
        }
    }
    Ok(best)
}

/// Mean of the last `n` epoch times over the mean of the first `n` (1 when flat).
pub fn late_to_early_ratio(times: &[f64], n: usize) -> Option<f64> {
    let n = n.min(times.len() / 2);
    if n == 0 {
        return None;
    }
    let mean = |s: &[f64]| s.iter().sum::<f64>() / s.len() as f64;
    Some(mean(&times[times.len() - n..]) / mean(&times[..n]))
}

/// One core's f32 peak in GFLOP/s with the instructions the kernels use (4-lane multiply
/// then add, no FMA): the best of a few timed rounds of `nn::multiply_add_loop`, each about
/// `round_ms` long.
pub fn peak_gflops(clock: &dyn Fn() -> f64, round_ms: f64) -> f64 {
    // Calibrate: double the iteration count until one round takes a tenth of `round_ms`.
    let mut iterations = 1u64 << 12;
    loop {
        let t = clock();
        std::hint::black_box(nn::multiply_add_loop(iterations));
        if clock() - t >= round_ms / 10.0 || iterations >= 1 << 40 {
            break;
        }
        iterations *= 2;
    }
    iterations *= 10;
    let mut best = 0.0f64;
    for _ in 0..5 {
        let t = clock();
        std::hint::black_box(nn::multiply_add_loop(iterations));
        let ms = (clock() - t).max(1e-3);
        best = best.max(nn::MULTIPLY_ADD_LOOP_FLOPS * iterations as f64 / (ms * 1e6));
    }
    best
}

/// For reference beside [`peak_gflops`]: this x86 core's peak with 8-lane fused multiply-adds
/// (AVX2 + FMA), which the kernels do not use (FMA rounds differently from wasm's multiply then
/// add, and the bits must agree). `None` without AVX2 and FMA, or on another architecture.
pub fn peak_gflops_fma(clock: &dyn Fn() -> f64, round_ms: f64) -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    if is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma") {
        let mut best = 0.0f64;
        let iterations = 1u64 << 20;
        for _ in 0..5 {
            let mut rounds = 0u64;
            let t = clock();
            while clock() - t < round_ms {
                // SAFETY: AVX2 and FMA were detected on this CPU just above.
                std::hint::black_box(unsafe { fma_loop(iterations) });
                rounds += 1;
            }
            let ms = clock() - t;
            // 10 chains × 8 lanes × 2 operations per iteration.
            best = best.max(160.0 * (rounds * iterations) as f64 / (ms * 1e6));
        }
        return Some(best);
    }
    let _ = (clock, round_ms);
    None
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn fma_loop(iterations: u64) -> f32 {
    use std::arch::x86_64::*;
    let one = _mm256_set1_ps(std::hint::black_box(1.0));
    let tiny = _mm256_set1_ps(std::hint::black_box(1e-30));
    let mut acc = [_mm256_set1_ps(std::hint::black_box(1.5)); 10];
    for _ in 0..iterations {
        for a in acc.iter_mut() {
            *a = _mm256_fmadd_ps(*a, one, tiny);
        }
    }
    let mut out = [0.0f32; 8];
    // SAFETY: `out` has room for 8 lanes; storeu has no alignment requirement.
    unsafe { _mm256_storeu_ps(out.as_mut_ptr(), acc[9]) };
    out[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flops_of_a_known_network() {
        let mut config = Config::preset("overfit").unwrap();
        config.epochs = 1;
        // 20 -> 128 -> 64 -> 1: products 2560 + 8192 + 64 = 10816, input grads 8192 + 64.
        let per_row = 2.0 * 2.0 * 10816.0 + 2.0 * 8256.0;
        assert_eq!(training_flops(&config, 3, 0), 3.0 * per_row);
        assert_eq!(training_flops(&config, 0, 2), 2.0 * 2.0 * 10816.0);
    }

    #[test]
    fn epoch_times_cover_every_epoch_and_the_ratio_reads_them() {
        let mut config = Config::preset("lr-good").unwrap();
        config.epochs = 6;
        let ticks = std::cell::Cell::new(0.0);
        let clock = || {
            ticks.set(ticks.get() + 1.0);
            ticks.get()
        };
        let times = epoch_times(&config, 2, &clock).unwrap();
        assert_eq!(times, vec![1.0; 6]);
        assert_eq!(
            late_to_early_ratio(&[1.0, 1.0, 2.0, 4.0, 4.0], 2),
            Some(4.0)
        );
        assert_eq!(late_to_early_ratio(&[1.0], 20), None);
    }

    #[test]
    fn peak_is_positive_and_finite() {
        let start = std::time::Instant::now();
        let clock = || start.elapsed().as_secs_f64() * 1e3;
        let peak = peak_gflops(&clock, 5.0);
        let fma = peak_gflops_fma(&clock, 5.0);
        println!("peak {peak:.1} GFLOP/s, with FMA {fma:?} (test profile)");
        assert!(peak.is_finite() && peak > 0.0);
        assert!(fma.is_none_or(|f| f.is_finite() && f > 0.0));
    }
}
