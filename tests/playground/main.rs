//! The page's state machine, natively: what the page asks of it, the hash it keeps, and the
//! scheduler's decisions under a fake clock (so nothing here depends on how busy the machine
//! is). The browser side (`tests/wasm_web.rs`, the e2e suite) checks the same handle draws.

#[path = "../common/mod.rs"]
mod common;
mod harness;

mod diagnosis;
mod display;
mod links;
mod own_data;
mod runs;
mod slices;
mod transport;
