//! Keras 3 `Adam.update_step` (amsgrad off), element by element over a flat parameter slice.

use super::ftz::{ftz, square, Scale};

/// One Adam step; `step` counts batches from 1. `one_minus_b*` are `1 - beta_*` as Keras
/// rounds them (see `optimizer::keras_one_minus`).
///
/// Keras folds both bias corrections into the step size:
/// `alpha = lr*sqrt(1-beta_2^t)/(1-beta_1^t)`, then
/// `m += (g-m)(1-beta_1); v += (g²-v)(1-beta_2); w -= m*alpha/(sqrt(v)+epsilon)`.
/// Note epsilon is added to `sqrt(v)`, not to a bias-corrected `sqrt(v̂)` as in the paper.
#[allow(clippy::too_many_arguments)]
pub(crate) fn update(
    step: u64,
    lr: f32,
    [beta_1, beta_2]: [f32; 2],
    [one_minus_b1, one_minus_b2]: [f32; 2],
    epsilon: f32,
    w: &mut [f32],
    g: &[f32],
    m: &mut [f32],
    v: &mut [f32],
) {
    let t = step.min(i32::MAX as u64) as i32;
    let beta_1_power = (beta_1 as f64).powi(t) as f32;
    let beta_2_power = (beta_2 as f64).powi(t) as f32;
    let alpha = lr * (1.0 - beta_2_power).sqrt() / (1.0 - beta_1_power);
    // The loop's unflushed differences rely on these scales being at most 1.
    debug_assert!((0.0..=1.0).contains(&one_minus_b1) && (0.0..=1.0).contains(&one_minus_b2));
    let (one_minus_b1, one_minus_b2) = (Scale::new(one_minus_b1), Scale::new(one_minus_b2));
    let alpha = Scale::new(alpha);
    for (((w, &g), m), v) in w.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
        // Each operation's result flushed, as TensorFlow's FTZ flushes each op's. The
        // differences are not flushed before the `1 - beta` scales: a scale below 1 makes a
        // subnormal operand's product a signed zero either way (`Scale::apply`).
        *m = ftz(*m + one_minus_b1.apply(g - *m));
        *v = ftz(*v + one_minus_b2.apply(square(g) - *v));
        *w = ftz(*w - ftz(alpha.apply(*m) / (v.sqrt() + epsilon)));
    }
}
