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

use super::f32x4::F4;

const SIGN: u32 = 0x8000_0000;
/// `f32::MIN_POSITIVE`'s bits: the least normal magnitude.
const LEAST_NORMAL: u32 = 0x0080_0000;
/// 2⁻⁶³'s bits: the least magnitude whose square is normal (see [`square`]).
const SQUARE_NORMAL_FROM: u32 = 0x2000_0000;

/// `x`, or a zero of `x`'s sign when its magnitude's bit pattern is below `from`: the one
/// flush that [`ftz`], [`Scale::apply`] and [`square`] are, and `F4::zero_below` four at a time.
#[inline(always)]
pub(crate) fn zero_below(x: f32, from: u32) -> f32 {
    let bits = x.to_bits();
    // All ones when the magnitude is below `from`, else none: arithmetic rather than a
    // branch, so that loops over slices vectorise.
    let small = 0u32.wrapping_sub((bits & !SIGN < from) as u32);
    f32::from_bits(bits & (SIGN | !small))
}

/// `x`, or a zero of `x`'s sign when `x` is subnormal.
#[inline(always)]
pub fn ftz(x: f32) -> f32 {
    zero_below(x, LEAST_NORMAL)
}

/// [`ftz`] on four lanes.
#[inline(always)]
pub(crate) fn ftz4(x: F4) -> F4 {
    x.zero_below(LEAST_NORMAL)
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
    /// The least `|t|` bit pattern whose product with `c` rounds to a normal number (or to an
    /// infinity or NaN); +∞'s when there is none.
    normal_from: u32,
}

/// The least exact product that rounds to a normal f32: 2⁻¹²⁶ − 2⁻¹⁵⁰, half an ulp below
/// 2⁻¹²⁶, rounds up to it (a tie, and 2⁻¹²⁶'s significand is the even one).
fn least_normal_product() -> f64 {
    f32::MIN_POSITIVE as f64 * (1.0 - 2f64.powi(-24))
}

impl Scale {
    pub fn new(c: f32) -> Scale {
        let (c64, least) = ((c as f64).abs(), least_normal_product());
        // Exact in f64 (a product of two f32 has at most 48 significant bits, and f64 does not
        // underflow here), so no subnormal is ever made and the test is exact.
        let normal = |bits: u32| f32::from_bits(bits) as f64 * c64 >= least;
        let guess = least / c64;
        let mut bits = if guess <= f32::MAX as f64 {
            (guess as f32).to_bits()
        } else {
            f32::INFINITY.to_bits()
        };
        // The guess is within an ulp or two; step to the exact boundary.
        while bits > 0 && normal(bits - 1) {
            bits -= 1;
        }
        while bits < f32::INFINITY.to_bits() && !normal(bits) {
            bits += 1;
        }
        Scale {
            c,
            normal_from: bits,
        }
    }

    /// Bit for bit `ftz(t * c)`. For `|c| <= 1` also bit for bit `ftz(ftz(t) * c)`: a
    /// subnormal `t` times such a `c` is subnormal or zero, so `t` needs no flush first.
    #[inline(always)]
    pub fn apply(self, t: f32) -> f32 {
        // A `t` whose product would round below 2⁻¹²⁶ is replaced by a zero of its sign
        // *before* the multiplication, which then gives the signed zero `ftz(t * c)` would;
        // every other product is normal (or ±∞, NaN), so needs no flush. Not a branch: in a
        // vectorised loop a branch becomes a select of two results, and the slow product would
        // still be made.
        zero_below(t, self.normal_from) * self.c
    }

    /// [`Scale::apply`] on four lanes.
    #[inline(always)]
    pub(crate) fn apply4(self, t: F4) -> F4 {
        t.zero_below(self.normal_from).mul(F4::splat(self.c))
    }
}

/// Bit for bit `ftz(g * g)`, without producing a subnormal (see [`Scale`]).
#[inline(always)]
pub fn square(g: f32) -> f32 {
    // 2⁻⁶³ is the least magnitude whose square is normal: (2⁻⁶³ − 2⁻⁸⁷)² = 2⁻¹²⁶ − 2⁻¹⁴⁹ + 2⁻¹⁷⁴
    // rounds down. Below it, `g` becomes a zero before the multiplication, as in
    // `Scale::apply` (and `(-0)² = +0 = ftz(g·g)`).
    let g = zero_below(g, SQUARE_NORMAL_FROM);
    g * g
}

/// [`square`] on four lanes.
#[inline(always)]
pub(crate) fn square4(g: F4) -> F4 {
    let g = g.zero_below(SQUARE_NORMAL_FROM);
    g.mul(g)
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
            // Every pattern next to the boundary, then wider steps.
            for d in (-300i64..=300).map(|d| d * 97).chain(-64..=64) {
                let v = f32::from_bits((bits as i64 + d).clamp(0, u32::MAX as i64 / 2) as u32);
                out.extend([v, -v]);
            }
        }
        out
    }

    #[test]
    fn scale_and_square_give_exactly_the_flushed_product() {
        let extremes = [
            1e30f32,
            -1e-30,
            f32::MAX,
            f32::INFINITY,
            f32::NAN,
            f32::from_bits(1),
        ];
        let usual = [
            0.1f32, 0.001, 0.999, 0.0029, 3e-5, 1.0, 2.5, -0.9, 0.0, 1.5e-3, 7.7e-4, 0.3162,
        ];
        for c in usual.into_iter().chain(extremes) {
            let scale = Scale::new(c);
            for t in probes(c) {
                assert_eq!(
                    scale.apply(t).to_bits(),
                    ftz(t * c).to_bits(),
                    "{t:e} * {c:e}"
                );
            }
        }
        for c in usual.into_iter().filter(|c| c.abs() <= 1.0) {
            let scale = Scale::new(c);
            for t in probes(c) {
                assert_eq!(
                    scale.apply(t).to_bits(),
                    scale.apply(ftz(t)).to_bits(),
                    "{t:e} * {c:e} needs no flush of {t:e} first"
                );
            }
        }
        for g in probes(1.0) {
            assert_eq!(square(g).to_bits(), ftz(g * g).to_bits(), "{g:e}²");
        }
        // `square`'s boundary: 2⁻⁶³ squared is normal, the float below it squared is not.
        let boundary = 2f32.powi(-63);
        assert_eq!(boundary.to_bits(), 0x2000_0000);
        assert_eq!(ftz(boundary * boundary), f32::MIN_POSITIVE);
        let below = f32::from_bits(boundary.to_bits() - 1);
        assert_eq!(ftz(below * below), 0.0);
    }

    /// Each four-lane form gives its scalar form's bits, lane by lane.
    #[test]
    fn four_lanes_give_the_scalar_bits() {
        let bits = |v: F4| v.to_array().map(f32::to_bits);
        let lanes = |x: [f32; 4], f: &dyn Fn(f32) -> f32| x.map(|v| f(v).to_bits());
        for c in [
            0.1f32,
            0.001,
            0.999,
            3e-5,
            1.0,
            2.5,
            -0.9,
            0.0,
            1e30,
            f32::INFINITY,
        ] {
            let scale = Scale::new(c);
            for chunk in probes(c).chunks_exact(4) {
                let x: [f32; 4] = chunk.try_into().unwrap();
                let v = F4::load(&x);
                assert_eq!(
                    bits(scale.apply4(v)),
                    lanes(x, &|t| scale.apply(t)),
                    "{x:?} * {c:e}"
                );
                assert_eq!(bits(ftz4(v)), lanes(x, &ftz), "{x:?}");
                assert_eq!(bits(square4(v)), lanes(x, &square), "{x:?}");
            }
        }
    }
}
