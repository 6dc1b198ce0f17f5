//! Runs in headless Chromium through wasm-bindgen-test (`cargo xtask test`).
//!
//! The generator behind every dataset and weight init must give the same numbers in the
//! browser as natively; these are the values the native tests in `src/rng.rs` pin to numpy.
//! Browser test files are named `tests/wasm_*.rs`: `cargo xtask test` runs each one.
#![cfg(target_arch = "wasm32")]

use plateau::rng::RandomState;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn doubles_match_numpy_in_the_browser() {
    let mut r = RandomState::new(42);
    assert_eq!(r.next_double(), 0.3745401188473625);
    assert_eq!(r.next_double(), 0.9507143064099162);
}

#[wasm_bindgen_test]
fn standard_normal_matches_numpy_in_the_browser() {
    let mut r = RandomState::new(0);
    let v: Vec<f64> = (0..3).map(|_| r.standard_normal()).collect();
    assert_eq!(
        v,
        [1.764052345967664, 0.4001572083672233, 0.9787379841057392]
    );
}

#[wasm_bindgen_test]
fn permutation_matches_numpy_in_the_browser() {
    let mut r = RandomState::new(42);
    assert_eq!(r.permutation(10), [8, 1, 5, 0, 7, 2, 9, 4, 3, 6]);
}
