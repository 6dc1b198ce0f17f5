//! Keras 3 `SGD.update_step`, element by element over a flat parameter slice.

use super::ftz::{ftz, Scale};

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
    let lr = Scale::new(lr);
    if momentum == 0.0 {
        for (w, &g) in w.iter_mut().zip(g) {
            *w = ftz(*w - lr.apply(g));
        }
        return;
    }
    let momentum = Scale::new(momentum);
    for ((w, &g), m) in w.iter_mut().zip(g).zip(m.iter_mut()) {
        // Each operation's result flushed, as TensorFlow's FTZ flushes each op's.
        *m = ftz(momentum.apply(*m) - lr.apply(g));
        if nesterov {
            *w = ftz(*w + ftz(momentum.apply(*m) - lr.apply(g)));
        } else {
            *w = ftz(*w + *m);
        }
    }
}
