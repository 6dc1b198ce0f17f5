//! Keras 3 `RMSprop.update_step` (centered off), element by element.

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
        *v = rho * *v + one_minus_rho * (g * g);
        let increment = lr * g / (*v + epsilon).sqrt();
        if momentum > 0.0 {
            *mom = momentum * *mom + increment;
            *w -= *mom;
        } else {
            *w -= increment;
        }
    }
}
