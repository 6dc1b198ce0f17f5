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
}
