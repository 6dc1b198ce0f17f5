//! Allowed ranges, shared by validation, the settings table (and so the CLI's help) and the
//! page's controls.

pub const SAMPLES: (usize, usize) = (10, 10_000);
pub const FEATURES: (usize, usize) = (4, 100);
pub const TEST_SIZE: (f64, f64) = (0.05, 0.5);
pub const DISTORTION: (f64, f64) = (1.0, 10_000.0);
pub const HIDDEN_LAYERS: usize = 3;
pub const HIDDEN_UNITS: (usize, usize) = (1, 256);
pub const LEARNING_RATE: (f64, f64) = (1e-5, 1.0);
pub const EPOCHS: (usize, usize) = (1, 1000);
pub const BATCH_SIZE: (usize, usize) = (1, 1024);
pub const L2: (f64, f64) = (0.0, 1.0);
pub const DROPOUT: (f64, f64) = (0.0, 0.9);
pub const EARLY_STOPPING: (usize, usize) = (0, 100);

/// Classes: of make_classification's data (the `classes` setting) and of a file's target.
/// Two train one sigmoid output, more a softmax.
pub const CLASSES: (usize, usize) = (2, 10);
/// make_classification's clusters per class, its default, which the config keeps.
pub const CLUSTERS_PER_CLASS: usize = 2;
/// A file's feature columns: as many as the generated data may have, and at least one.
pub const FILE_FEATURES: (usize, usize) = (1, FEATURES.1);
