//! Keras 3 `SGD.update_step`, element by element over a flat parameter slice.

/// Plain: `w -= lr*g`. Momentum: `m = momentum*m - lr*g; w += m`.
/// Nesterov: `m = momentum*m - lr*g; w += momentum*m - lr*g` (with the new `m`).
/// `m` is only used when `momentum != 0` (Keras creates no slot otherwise).
pub(crate) fn update(
    lr: f32,
    momentum: f32,
    nesterov: bool,
    w: &mut [f32],
    g: &[f32],
    m: &mut [f32],
) {
    if momentum == 0.0 {
        for (w, &g) in w.iter_mut().zip(g) {
            *w -= g * lr;
        }
        return;
    }
    for ((w, &g), m) in w.iter_mut().zip(g).zip(m.iter_mut()) {
        *m = *m * momentum - g * lr;
        if nesterov {
            *w += *m * momentum - g * lr;
        } else {
            *w += *m;
        }
    }
}
