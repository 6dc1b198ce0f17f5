//! numpy's legacy `RandomState`: MT19937 seeded with `init_genrand`, and the few
//! draws scikit-learn's data functions use. Bit-identical to numpy, so `random_state=42`
//! means the same data here as in Python; also portable across targets (pure integer
//! arithmetic), so weight init and shuffles agree natively and in wasm.

const N: usize = 624;
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

#[derive(Clone, Debug)]
pub struct RandomState {
    state: [u32; N],
    index: usize,
    /// The second value of the last polar Box–Muller pair, returned by the next call.
    cached_gauss: Option<f64>,
}

impl RandomState {
    /// `np.random.RandomState(seed)` for an integer seed (Knuth's `init_genrand`).
    pub fn new(seed: u32) -> Self {
        let mut state = [0u32; N];
        state[0] = seed;
        for i in 1..N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        RandomState {
            state,
            index: N,
            cached_gauss: None,
        }
    }

    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.state[i] & UPPER_MASK) | (self.state[(i + 1) % N] & LOWER_MASK);
            let mut next = self.state[(i + M) % N] ^ (y >> 1);
            if y & 1 != 0 {
                next ^= MATRIX_A;
            }
            self.state[i] = next;
        }
        self.index = 0;
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    /// A double in [0, 1) with 53 random bits, as numpy's `random_sample`.
    pub fn next_double(&mut self) -> f64 {
        let a = (self.next_u32() >> 5) as f64;
        let b = (self.next_u32() >> 6) as f64;
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// `uniform(low, high)`: one `next_double` per value.
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        low + (high - low) * self.next_double()
    }

    /// numpy's legacy `standard_normal` (polar Box–Muller with a cached second value).
    pub fn standard_normal(&mut self) -> f64 {
        if let Some(g) = self.cached_gauss.take() {
            return g;
        }
        loop {
            let x1 = 2.0 * self.next_double() - 1.0;
            let x2 = 2.0 * self.next_double() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * r2.ln() / r2).sqrt();
                self.cached_gauss = Some(f * x1);
                return f * x2;
            }
        }
    }

    /// A uniform integer in `0..=max` by masked rejection (numpy's legacy `interval`).
    pub fn interval(&mut self, max: u32) -> u32 {
        if max == 0 {
            return 0;
        }
        let mut mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        loop {
            let v = self.next_u32() & mask;
            if v <= max {
                return v;
            }
        }
    }

    /// `randint(high)`: a uniform integer in `0..high`. `high` must be at least 1.
    pub fn randint(&mut self, high: u32) -> u32 {
        debug_assert!(high >= 1);
        self.interval(high - 1)
    }

    /// `shuffle` of a 1-D array (Fisher–Yates from the end, as numpy does).
    pub fn shuffle<T>(&mut self, a: &mut [T]) {
        for i in (1..a.len()).rev() {
            let j = self.interval(i as u32) as usize;
            a.swap(i, j);
        }
    }

    /// `permutation(n)`: a shuffled `0..n`.
    pub fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        self.shuffle(&mut p);
        p
    }
}

/// The ecosystem's generator traits, so `rand`'s distributions and any rand-based code can
/// draw from numpy's stream. 32-bit words come out exactly as [`RandomState::next_u32`];
/// a 64-bit word is two of them, the first as the high half (numpy's `mt19937_next64`);
/// bytes are the 32-bit words, little-endian.
impl rand_core::TryRng for RandomState {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(RandomState::next_u32(self))
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let high = u64::from(RandomState::next_u32(self));
        Ok(high << 32 | u64::from(RandomState::next_u32(self)))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        rand_core::utils::fill_bytes_via_next_word(dst, || self.try_next_u32())
    }
}

/// The seed is numpy's integer seed as 4 little-endian bytes: `from_seed(42u32.to_le_bytes())`
/// is `RandomState::new(42)`.
impl rand_core::SeedableRng for RandomState {
    type Seed = [u8; 4];

    fn from_seed(seed: [u8; 4]) -> Self {
        RandomState::new(u32::from_le_bytes(seed))
    }
}

/// A fresh seed from the operating system (in the browser, `crypto.getRandomValues`): what
/// the page's *Re-roll* trains with next. Fails only where the platform has no entropy source.
pub fn fresh_seed() -> Result<u32, String> {
    getrandom::u32().map_err(|e| format!("no random source for a fresh seed: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rand_core_traits_give_numpys_stream() {
        use rand_core::{Rng, SeedableRng};
        let mut ours = RandomState::new(42);
        let mut via_traits = RandomState::from_seed(42u32.to_le_bytes());
        let words: Vec<u32> = (0..2000).map(|_| ours.next_u32()).collect();
        let through: Vec<u32> = (0..2000).map(|_| Rng::next_u32(&mut via_traits)).collect();
        assert_eq!(through, words, "across a twist of the 624-word state");

        let (mut a, mut b) = (RandomState::new(7), RandomState::new(7));
        let (hi, lo) = (a.next_u32(), a.next_u32());
        assert_eq!(Rng::next_u64(&mut b), u64::from(hi) << 32 | u64::from(lo));

        let (mut a, mut b) = (RandomState::new(3), RandomState::new(3));
        let mut bytes = [0u8; 10];
        b.fill_bytes(&mut bytes);
        let expected: Vec<u8> = (0..3).flat_map(|_| a.next_u32().to_le_bytes()).collect();
        assert_eq!(bytes[..], expected[..10]);
        // numpy's first double for seed 42, drawn by code that knows only the trait.
        fn first_double<R: Rng>(rng: &mut R) -> f64 {
            let (a, b) = (rng.next_u32() >> 5, rng.next_u32() >> 6);
            (f64::from(a) * 67_108_864.0 + f64::from(b)) / 9_007_199_254_740_992.0
        }
        assert_eq!(first_double(&mut RandomState::new(42)), 0.3745401188473625);
    }

    #[test]
    fn fresh_seeds_come_from_the_os() {
        let seeds: Vec<u32> = (0..4).map(|_| fresh_seed().unwrap()).collect();
        assert!(seeds.windows(2).any(|w| w[0] != w[1]), "{seeds:?}");
    }

    #[test]
    fn first_double_for_seed_42_matches_numpy() {
        let mut r = RandomState::new(42);
        assert_eq!(r.next_double(), 0.3745401188473625);
        assert_eq!(r.next_double(), 0.9507143064099162);
    }

    #[test]
    fn reference_mt19937_output_for_seed_5489() {
        // The reference implementation's first output for its default seed.
        let mut r = RandomState::new(5489);
        assert_eq!(r.next_u32(), 3_499_211_612);
    }

    #[test]
    fn standard_normal_matches_numpy_seed_0() {
        // np.random.RandomState(0).standard_normal(3)
        let mut r = RandomState::new(0);
        let v: Vec<f64> = (0..3).map(|_| r.standard_normal()).collect();
        assert_eq!(
            v,
            [1.764052345967664, 0.4001572083672233, 0.9787379841057392]
        );
    }

    #[test]
    fn permutation_matches_numpy_seed_42() {
        // np.random.RandomState(42).permutation(10)
        let mut r = RandomState::new(42);
        assert_eq!(r.permutation(10), [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
    }
}
