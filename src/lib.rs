//! Plateau: why does validation accuracy stop improving?
//!
//! A training engine faithful to scikit-learn's data and Keras's `fit`, small enough to run
//! in a browser tab. The core modules are pure Rust; only `web` touches the browser.

pub mod bench;
pub mod chart;
pub mod config;
pub mod data;
pub mod diagnose;
pub mod export;
pub mod lesson;
pub mod nn;
pub mod playground;
pub mod python;
pub mod rng;
pub mod train;
pub mod view;
#[cfg(all(target_arch = "wasm32", feature = "web"))]
pub mod web;

pub use config::{Config, ConfigError};
pub use data::{
    make_classification, train_test_split, ClassificationParams, Matrix, StandardScaler,
};
pub use train::{History, Run, Samples, Status, TrainSpec};
