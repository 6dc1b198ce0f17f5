//! The article's experiments as named configs, the comparisons the page draws together, and
//! the workloads the benchmarks time.

use super::{Config, ConfigError};

/// The article's six runs; all Adam, batch 32, 100 epochs, data seed 42, test size 0.2.
pub const PRESETS: [&str; 6] = [
    "overfit", "unscaled", "scaled", "lr-high", "lr-low", "lr-good",
];

/// The article's comparisons: several presets drawn together on one chart.
pub const COMPARISONS: [(&str, &[&str]); 2] = [
    ("scaling", &["unscaled", "scaled"]),
    ("learning-rate", &["lr-high", "lr-low", "lr-good"]),
];

/// What the benchmarks time, natively, in wasm and in TensorFlow.js: each preset's whole run,
/// and one epoch of the largest network on the largest dataset the page allows.
pub const BENCH_WORKLOADS: [(&str, &str); 7] = [
    ("overfit", "preset=overfit"),
    ("unscaled", "preset=unscaled"),
    ("scaled", "preset=scaled"),
    ("lr-high", "preset=lr-high"),
    ("lr-low", "preset=lr-low"),
    ("lr-good", "preset=lr-good"),
    (
        "largest, 1 epoch",
        "samples=10000&hidden=256,256,256&epochs=1",
    ),
];

impl Config {
    /// One of [`PRESETS`].
    pub fn preset(name: &str) -> Result<Config, ConfigError> {
        let base = Config::default();
        let config = match name {
            "overfit" => Config {
                samples: 100,
                hidden: vec![128, 64],
                ..base
            },
            "unscaled" => Config {
                distort: true,
                standardize: false,
                ..base
            },
            "scaled" => Config {
                distort: true,
                standardize: true,
                ..base
            },
            "lr-high" => Config {
                learning_rate: 0.1,
                ..base
            },
            "lr-low" => Config {
                learning_rate: 0.0001,
                ..base
            },
            "lr-good" => base,
            _ => {
                return Err(ConfigError::new(
                    "preset",
                    format!("unknown preset '{name}'; allowed: {}", PRESETS.join(", ")),
                ))
            }
        };
        Ok(config)
    }
}
