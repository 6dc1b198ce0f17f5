//! PLACEHOLDER for tooling: replaced by the real wasm-bindgen surface at merge.

use wasm_bindgen::prelude::*;

/// The engine's version, so the page can show that the wasm module initialised.
#[wasm_bindgen]
pub fn engine_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
