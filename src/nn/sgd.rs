//! Keras 3 `SGD.update_step`, element by element over a flat parameter slice.

use super::ftz::ftz;

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
            *w = ftz(*w - ftz(g * lr));
        }
        return;
    }
    for ((w, &g), m) in w.iter_mut().zip(g).zip(m.iter_mut()) {
        // Each operation's result flushed, as TensorFlow's FTZ flushes each op's.
        *m = ftz(ftz(*m * momentum) - ftz(g * lr));
        if nesterov {
            *w = ftz(*w + ftz(ftz(*m * momentum) - ftz(g * lr)));
        } else {
            *w = ftz(*w + *m);
        }
    }
}
