//! Keras 3 `RMSprop.update_step` (centered off), element by element.

use super::ftz::{ftz, square, Scale};

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
    let (rho, one_minus_rho) = (Scale::new(rho), Scale::new(one_minus_rho));
    let (lr, momentum_scale) = (Scale::new(lr), Scale::new(momentum));
    for (((w, &g), v), mom) in w.iter_mut().zip(g).zip(v.iter_mut()).zip(mom.iter_mut()) {
        // Each operation's result flushed, as TensorFlow's FTZ flushes each op's.
        *v = ftz(rho.apply(*v) + one_minus_rho.apply(square(g)));
        let increment = ftz(lr.apply(g) / (*v + epsilon).sqrt());
        if momentum > 0.0 {
            *mom = ftz(momentum_scale.apply(*mom) + increment);
            *w = ftz(*w - *mom);
        } else {
            *w = ftz(*w - increment);
        }
    }
}
