//! Keras 3 `RMSprop.update_step` (centered off), element by element.

use super::ftz::ftz;

/// `v = rho*v + (1-rho)*g²; inc = lr*g / sqrt(v + epsilon)` (epsilon *inside* the root,
/// unlike Adam); then `w -= inc`, or with momentum `mom = momentum*mom + inc; w -= mom`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn update(
    lr: f32,
    [rho, one_minus_rho]: [f32; 2],
    momentum: f32,
    epsilon: f32,
    w: &mut [f32],
    g: &[f32],
    v: &mut [f32],
    mom: &mut [f32],
) {
    for (((w, &g), v), mom) in w.iter_mut().zip(g).zip(v.iter_mut()).zip(mom.iter_mut()) {
        // Each operation's result flushed, as TensorFlow's FTZ flushes each op's.
        *v = ftz(ftz(rho * *v) + ftz(one_minus_rho * ftz(g * g)));
        let increment = ftz(ftz(lr * g) / (*v + epsilon).sqrt());
        if momentum > 0.0 {
            *mom = ftz(ftz(momentum * *mom) + increment);
            *w = ftz(*w - *mom);
        } else {
            *w = ftz(*w - increment);
        }
    }
}
