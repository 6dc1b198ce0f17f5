//! The page's one handle on the engine (wasm32 only).
