//! Flush-to-zero: subnormal f32 values (|x| < 2⁻¹²⁶, `f32::MIN_POSITIVE`) become a zero of
//! the same sign, as TensorFlow's CPU kernels make them (they run with the x86 FTZ and DAZ
//! flags: `1e-39 * 1.5 == 0`), so Keras never carries a subnormal.
//!
//! We flush where values are stored (weights, optimizer moments, activations, gradients) and
//! after each elementwise operation of the optimizer updates. Two reasons: fidelity (with L2,
//! weights and Adam's moments decay towards zero, and Keras's stop at 2⁻¹²⁶ where ours would
//! go on shrinking), and speed (x86 arithmetic on subnormals takes a slow microcode path:
//! about 9× slower epochs late in an L2 run). wasm has no FTZ mode, so this is explicit code,
//! the same on both targets. Products inside a kernel's sum are not flushed: a subnormal
//! product is below what any stored value can hold, and the stored sum is flushed.
//!
//! By bits, not by comparison: an `abs() < MIN_POSITIVE` test would itself touch the
//! subnormal operand in floating point, and on x86 that is the slow path we are avoiding.

const EXPONENT: u32 = 0x7f80_0000;
const SIGN: u32 = 0x8000_0000;

/// `x`, or a zero of `x`'s sign when `x` is subnormal.
#[inline(always)]
pub fn ftz(x: f32) -> f32 {
    let bits = x.to_bits();
    // All ones when the exponent is not zero, else only the sign bit: arithmetic rather
    // than a branch, so that loops over slices vectorise.
    let normal = (bits & EXPONENT != 0) as u32;
    let keep = SIGN | 0u32.wrapping_sub(normal);
    f32::from_bits(bits & keep)
}

/// [`ftz`] over a slice, in place.
pub fn flush(values: &mut [f32]) {
    for v in values {
        *v = ftz(*v);
    }
}

/// `ftz(t * c)` for a fixed `c`, computed without ever producing a subnormal: flushing a
/// stored value is not enough on x86, where the *multiplication* that yields a subnormal is
/// the slow step. With L2 and Adam, a moment that has decayed to just above 2⁻¹²⁶ stays there
/// (its decay step `-m·(1-β)` flushes to zero, in TensorFlow too), and `m·α`, `v·(1-β₂)`
/// would then take the slow path at every step for the rest of the run. So an operand small
/// enough that the product is surely below 2⁻¹²⁶ is made a zero of its sign first, and the
/// product is that signed zero. (With a branch instead, the optimizers' loops vectorise into
/// computing both sides and selecting one: the slow product was made anyway, and a third of a
/// late epoch went to it.)
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    c: f32,
    /// `|t|` bit patterns below this give a product below 2⁻¹²⁶ even after rounding.
    below: u32,
}

impl Scale {
    pub fn new(c: f32) -> Scale {
        // 2⁻²⁰ of margin: the rounded product of anything below stays below 2⁻¹²⁶.
        let limit = f32::MIN_POSITIVE as f64 / (c as f64).abs() * (1.0 - 2f64.powi(-20));
        let below = if limit.is_finite() {
            (limit as f32).to_bits()
        } else {
            f32::INFINITY.to_bits()
        };
        Scale { c, below }
    }

    /// Bit for bit `ftz(t * c)`.
    #[inline(always)]
    pub fn apply(self, t: f32) -> f32 {
        // A small `t` is replaced by a zero of its sign *before* the multiplication, which
        // then gives the signed zero `ftz(t * c)` would. Not a branch: in a vectorised loop a
        // branch becomes a select of two results, and the slow product would still be made.
        let bits = t.to_bits();
        let small = 0u32.wrapping_sub((bits & !SIGN < self.below) as u32);
        ftz(f32::from_bits(bits & (SIGN | !small)) * self.c)
    }
}

/// Bit for bit `ftz(g * g)`, without producing a subnormal (see [`Scale`]).
#[inline(always)]
pub fn square(g: f32) -> f32 {
    // √(2⁻¹²⁶)·(1 - 2⁻²⁰) = 2⁻⁶³·(1 - 2⁻²⁰), exactly representable. Below it, `g` becomes a
    // zero before the multiplication, as in `Scale::apply` (and `(-0)² = +0 = ftz(g·g)`).
    const BELOW: u32 = 0x1fff_fff0;
    let bits = g.to_bits();
    let small = 0u32.wrapping_sub((bits & !SIGN < BELOW) as u32);
    let g = f32::from_bits(bits & (SIGN | !small));
    ftz(g * g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnormals_become_signed_zeros_and_nothing_else_changes() {
        let tiny = f32::MIN_POSITIVE;
        assert_eq!(ftz(tiny / 2.0).to_bits(), 0.0f32.to_bits());
        assert_eq!(ftz(-tiny / 2.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(ftz(f32::from_bits(1)).to_bits(), 0);
        for x in [
            tiny,
            -tiny,
            1e-30,
            1.0,
            -3.5,
            f32::MAX,
            0.0,
            -0.0,
            f32::INFINITY,
        ] {
            assert_eq!(ftz(x).to_bits(), x.to_bits(), "{x:e}");
        }
        assert!(ftz(f32::NAN).is_nan());
        let mut v = [1e-39f32, 2.0, -1e-40];
        flush(&mut v);
        assert_eq!(v, [0.0, 2.0, -0.0]);
    }

    /// Values around every threshold, of both signs, and far from them.
    fn probes(c: f32) -> Vec<f32> {
        let mut out = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            f32::MIN_POSITIVE,
            1e-39,
            f32::MAX,
            f32::INFINITY,
        ];
        for center in [
            f32::MIN_POSITIVE / c.abs().max(1e-30),
            2f32.powi(-63),
            1e-37,
            1e-20,
        ] {
            let bits = center.abs().to_bits();
            for d in -300i32..=300 {
                let v = f32::from_bits((bits as i64 + d as i64 * 97).max(0) as u32);
                out.extend([v, -v]);
            }
        }
        out
    }

    #[test]
    fn scale_and_square_give_exactly_the_flushed_product() {
        for c in [0.1f32, 0.001, 0.999, 0.0029, 3e-5, 1.0, 2.5, -0.9, 0.0] {
            let scale = Scale::new(c);
            for t in probes(c) {
                assert_eq!(
                    scale.apply(t).to_bits(),
                    ftz(t * c).to_bits(),
                    "{t:e} * {c:e}"
                );
            }
        }
        for g in probes(1.0) {
            assert_eq!(square(g).to_bits(), ftz(g * g).to_bits(), "{g:e}²");
        }
        assert_eq!(2f32.powi(-63).to_bits() - 16, 0x1fff_fff0);
    }
}
