//! Four f32 lanes, the vector width both targets share: SSE natively, SIMD128 in wasm.
//!
//! Only lane-wise `+`, `-`, `*`, `/` and square root, each rounded as IEEE 754 rounds the
//! scalar operation (never fused: wasm SIMD128 has no FMA, and an FMA rounds once where `mul`
//! then `add` rounds twice), so a kernel written with `F4` gives the same bits as the same
//! kernel written lane by lane in scalar code, on every target. Besides them,
//! `a.where_nonzero(x)` and `a.where_positive(x)` keep each lane of `a` where that lane of `x`
//! is not zero (NaN counts as not zero), or is greater than zero, and give +0 elsewhere: a mask
//! instead of a branch, so a vectorised kernel can leave out a product as a list would. And
//! `a.zero_below(bits)` makes each lane whose magnitude's bit pattern is below `bits` a zero
//! of its sign: `ftz.rs`'s flushes, four at a time.
//!
//! Why intrinsics: written as `[f32; 4]` arithmetic, LLVM's SLP vectoriser did vectorise the
//! kernels, but chose its own lane layout for the multi-row dot products (vectors across the
//! four rows, with four shuffles per product), which ran slower than the plain loops. With the
//! vector type spelled out (`__m128` natively, `v128` in wasm) each `F4` is one register and
//! each operation one instruction. Other targets get the portable arrays.

#[cfg(target_arch = "x86_64")]
use core::arch::x86_64 as arch;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use core::arch::wasm32 as arch;

/// The bits of an f32's magnitude (all but the sign).
const MAGNITUDE: u32 = 0x7fff_ffff;

#[derive(Clone, Copy, Debug)]
pub(crate) struct F4(
    #[cfg(target_arch = "x86_64")] arch::__m128,
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))] arch::v128,
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    [f32; 4],
);

#[cfg(target_arch = "x86_64")]
impl F4 {
    #[inline(always)]
    pub fn splat(v: f32) -> F4 {
        // SAFETY: SSE is part of every x86_64 CPU (the target's baseline).
        F4(unsafe { arch::_mm_set1_ps(v) })
    }
    #[inline(always)]
    pub fn load(src: &[f32; 4]) -> F4 {
        // SAFETY: `src` is 16 readable bytes; the load has no alignment requirement.
        F4(unsafe { arch::_mm_loadu_ps(src.as_ptr()) })
    }
    #[inline(always)]
    pub fn store(self, dst: &mut [f32; 4]) {
        // SAFETY: `dst` is 16 writable bytes; the store has no alignment requirement.
        unsafe { arch::_mm_storeu_ps(dst.as_mut_ptr(), self.0) }
    }
    #[inline(always)]
    pub fn mul(self, o: F4) -> F4 {
        // SAFETY: SSE is part of every x86_64 CPU (the target's baseline).
        F4(unsafe { arch::_mm_mul_ps(self.0, o.0) })
    }
    #[inline(always)]
    pub fn add(self, o: F4) -> F4 {
        // SAFETY: SSE is part of every x86_64 CPU (the target's baseline).
        F4(unsafe { arch::_mm_add_ps(self.0, o.0) })
    }
    #[inline(always)]
    pub fn where_nonzero(self, x: F4) -> F4 {
        // SAFETY: SSE is part of every x86_64 CPU (the target's baseline).
        F4(unsafe { arch::_mm_and_ps(self.0, arch::_mm_cmpneq_ps(x.0, arch::_mm_setzero_ps())) })
    }
    #[inline(always)]
    pub fn where_positive(self, x: F4) -> F4 {
        // SAFETY: SSE is part of every x86_64 CPU (the target's baseline).
        F4(unsafe { arch::_mm_and_ps(self.0, arch::_mm_cmpgt_ps(x.0, arch::_mm_setzero_ps())) })
    }
    #[inline(always)]
    pub fn sub(self, o: F4) -> F4 {
        // SAFETY: SSE is part of every x86_64 CPU (the target's baseline).
        F4(unsafe { arch::_mm_sub_ps(self.0, o.0) })
    }
    #[inline(always)]
    pub fn div(self, o: F4) -> F4 {
        // SAFETY: SSE is part of every x86_64 CPU (the target's baseline).
        F4(unsafe { arch::_mm_div_ps(self.0, o.0) })
    }
    #[inline(always)]
    pub fn sqrt(self) -> F4 {
        // SAFETY: SSE is part of every x86_64 CPU (the target's baseline).
        F4(unsafe { arch::_mm_sqrt_ps(self.0) })
    }
    #[inline(always)]
    pub fn zero_below(self, from: u32) -> F4 {
        debug_assert!(from <= MAGNITUDE, "a magnitude's bit pattern");
        // SAFETY: SSE2 is part of every x86_64 CPU (the target's baseline). Magnitudes and
        // `from` are below 2³¹, so the signed comparison is the unsigned one.
        F4(unsafe {
            let bits = arch::_mm_castps_si128(self.0);
            let magnitude = arch::_mm_set1_epi32(MAGNITUDE as i32);
            let below = arch::_mm_cmplt_epi32(
                arch::_mm_and_si128(bits, magnitude),
                arch::_mm_set1_epi32(from as i32),
            );
            arch::_mm_castsi128_ps(arch::_mm_andnot_si128(
                arch::_mm_and_si128(below, magnitude),
                bits,
            ))
        })
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl F4 {
    #[inline(always)]
    pub fn splat(v: f32) -> F4 {
        F4(arch::f32x4_splat(v))
    }
    #[inline(always)]
    pub fn load(src: &[f32; 4]) -> F4 {
        // SAFETY: `src` is 16 readable bytes; `v128.load` has no alignment requirement.
        F4(unsafe { arch::v128_load(src.as_ptr().cast()) })
    }
    #[inline(always)]
    pub fn store(self, dst: &mut [f32; 4]) {
        // SAFETY: `dst` is 16 writable bytes; `v128.store` has no alignment requirement.
        unsafe { arch::v128_store(dst.as_mut_ptr().cast(), self.0) }
    }
    #[inline(always)]
    pub fn mul(self, o: F4) -> F4 {
        F4(arch::f32x4_mul(self.0, o.0))
    }
    #[inline(always)]
    pub fn add(self, o: F4) -> F4 {
        F4(arch::f32x4_add(self.0, o.0))
    }
    #[inline(always)]
    pub fn where_nonzero(self, x: F4) -> F4 {
        F4(arch::v128_and(
            self.0,
            arch::f32x4_ne(x.0, arch::f32x4_splat(0.0)),
        ))
    }
    #[inline(always)]
    pub fn where_positive(self, x: F4) -> F4 {
        F4(arch::v128_and(
            self.0,
            arch::f32x4_gt(x.0, arch::f32x4_splat(0.0)),
        ))
    }
    #[inline(always)]
    pub fn sub(self, o: F4) -> F4 {
        F4(arch::f32x4_sub(self.0, o.0))
    }
    #[inline(always)]
    pub fn div(self, o: F4) -> F4 {
        F4(arch::f32x4_div(self.0, o.0))
    }
    #[inline(always)]
    pub fn sqrt(self) -> F4 {
        F4(arch::f32x4_sqrt(self.0))
    }
    #[inline(always)]
    pub fn zero_below(self, from: u32) -> F4 {
        debug_assert!(from <= MAGNITUDE, "a magnitude's bit pattern");
        let magnitude = arch::u32x4_splat(MAGNITUDE);
        let below = arch::u32x4_lt(arch::v128_and(self.0, magnitude), arch::u32x4_splat(from));
        F4(arch::v128_andnot(self.0, arch::v128_and(below, magnitude)))
    }
}

#[cfg(not(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
)))]
impl F4 {
    #[inline(always)]
    pub fn splat(v: f32) -> F4 {
        F4([v; 4])
    }
    #[inline(always)]
    pub fn load(src: &[f32; 4]) -> F4 {
        F4(*src)
    }
    #[inline(always)]
    pub fn store(self, dst: &mut [f32; 4]) {
        *dst = self.0;
    }
    #[inline(always)]
    pub fn mul(self, o: F4) -> F4 {
        F4(core::array::from_fn(|i| self.0[i] * o.0[i]))
    }
    #[inline(always)]
    pub fn add(self, o: F4) -> F4 {
        F4(core::array::from_fn(|i| self.0[i] + o.0[i]))
    }
    #[inline(always)]
    pub fn where_nonzero(self, x: F4) -> F4 {
        F4(core::array::from_fn(|i| {
            if x.0[i] != 0.0 {
                self.0[i]
            } else {
                0.0
            }
        }))
    }
    #[inline(always)]
    pub fn where_positive(self, x: F4) -> F4 {
        F4(core::array::from_fn(|i| {
            if x.0[i] > 0.0 {
                self.0[i]
            } else {
                0.0
            }
        }))
    }
    #[inline(always)]
    pub fn sub(self, o: F4) -> F4 {
        F4(core::array::from_fn(|i| self.0[i] - o.0[i]))
    }
    #[inline(always)]
    pub fn div(self, o: F4) -> F4 {
        F4(core::array::from_fn(|i| self.0[i] / o.0[i]))
    }
    #[inline(always)]
    pub fn sqrt(self) -> F4 {
        F4(core::array::from_fn(|i| self.0[i].sqrt()))
    }
    #[inline(always)]
    pub fn zero_below(self, from: u32) -> F4 {
        debug_assert!(from <= MAGNITUDE, "a magnitude's bit pattern");
        F4(self.0.map(|v| super::ftz::zero_below(v, from)))
    }
}

impl F4 {
    #[inline(always)]
    pub fn zero() -> F4 {
        F4::splat(0.0)
    }

    /// `self + a * b`, lane by lane: multiply, round, add, round.
    #[inline(always)]
    pub fn mul_add(self, a: F4, b: F4) -> F4 {
        self.add(a.mul(b))
    }

    #[inline(always)]
    pub fn to_array(self) -> [f32; 4] {
        let mut out = [0.0; 4];
        self.store(&mut out);
        out
    }
}

/// The first four values of `s` as an array (panics if shorter: callers slice exactly).
#[inline(always)]
pub(crate) fn four(s: &[f32]) -> &[f32; 4] {
    s[..4].try_into().expect("four lanes")
}

#[inline(always)]
pub(crate) fn four_mut(s: &mut [f32]) -> &mut [f32; 4] {
    (&mut s[..4]).try_into().expect("four lanes")
}

/// Nominal f32 operations per iteration of [`multiply_add_loop`].
pub const MULTIPLY_ADD_LOOP_FLOPS: f64 = 48.0;

/// The tightest loop of the kernels' own instructions, for the machine's peak: per iteration
/// six independent 4-lane multiplies and six independent 4-lane adds (12 dependency chains,
/// enough to keep every floating-point port busy). The operands come through `black_box`, so
/// the compiler can neither fold `x * 1` nor hoist anything; the values never change (no
/// overflow, no subnormals). Returns a lane so the work is observable.
pub fn multiply_add_loop(iterations: u64) -> f32 {
    let one = F4::splat(std::hint::black_box(1.0));
    let tiny = F4::splat(std::hint::black_box(1e-30));
    let mut p = [F4::splat(std::hint::black_box(1.5)); 6];
    let mut s = [F4::splat(std::hint::black_box(2.5)); 6];
    for _ in 0..iterations {
        for (p, s) in p.iter_mut().zip(s.iter_mut()) {
            *p = p.mul(one);
            *s = s.add(tiny);
        }
    }
    let sum = p
        .iter()
        .zip(&s)
        .fold(F4::zero(), |acc, (p, s)| acc.add(*p).add(*s));
    sum.to_array()[0]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lanes_are_multiplied_then_added_in_place() {
        let a = F4::load(&[1.0, 2.0, 3.0, 4.0]);
        let b = F4::load(&[0.5, -1.0, 1e-3, 8.0]);
        let s = F4::splat(1.0).mul_add(a, b).to_array();
        assert_eq!(s, [1.5, -1.0, 1.0 + 3.0 * 1e-3, 33.0]);
        assert_eq!(F4::zero().add(a).to_array(), [1.0, 2.0, 3.0, 4.0]);
    }
}
