//! A config's data: the article's pipeline (make_classification, or a file's table →
//! distort → split → standardize → the f32 copies the network trains on), at once or in
//! bounded steps, and the settings it depends on, so that configs sharing them share the data.

use super::{Config, ConfigError, DataFile};
use crate::data::{self, Matrix, StandardScaler, TestSize};
use crate::rng::RandomState;
use crate::train::Samples;

/// See [`Config::data_settings`].
#[derive(Clone, Debug, PartialEq)]
pub struct DataSettings {
    file: Option<DataFile>,
    samples: usize,
    features: usize,
    informative: usize,
    classes: usize,
    data_seed: u32,
    test_size: f64,
    distortion: Option<f64>,
    standardize: bool,
}

/// The data as the network sees it, plus the statistics the diagnosis needs.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub train: Samples,
    pub val: Samples,
    /// Standard deviation of each feature over the training rows, as fed to the network.
    pub feature_std: Vec<f64>,
}

impl Config {
    /// The article's pipeline: make_classification → distort → split → standardize, and the
    /// f32 copies the network trains on: [`Config::preparing`] in one unbounded step.
    pub fn prepare(&self) -> Result<Prepared, ConfigError> {
        let mut preparing = self.preparing()?;
        loop {
            if let Some(prepared) = preparing.step(usize::MAX) {
                return Ok(prepared);
            }
        }
    }

    /// [`Config::prepare`] in bounded pieces, for a page that must not block: see
    /// [`Preparing`]. The settings are checked here, so a bad config fails before any row.
    pub fn preparing(&self) -> Result<Preparing, ConfigError> {
        self.validate()?;
        let stage = match &self.data {
            None => Stage::Generate(Box::new(data::Generation::new(
                &self.classification_params(),
            )?)),
            // A file's rows enter the pipeline where generated ones would: distorted, split
            // and standardized alike.
            Some(file) => Stage::Distort {
                x: file.table.x.clone(),
                y: file.table.y.clone(),
                cursor: 0,
            },
        };
        let n_test = self.validation_rows()?;
        Ok(Preparing {
            features: self.features,
            distortion: self.distort.then_some(self.distortion),
            standardize: self.standardize,
            split_seed: self.data_seed,
            n_test,
            rows: 0,
            stage,
        })
    }

    /// How many rows `prepare` puts in the validation set, without preparing them (the page's
    /// experiments train in workers and only know each fix's settings).
    pub fn validation_rows(&self) -> Result<usize, ConfigError> {
        Ok(data::test_count(
            self.samples,
            TestSize::Fraction(self.test_size),
        )?)
    }

    /// The settings `prepare` depends on: two configs with equal data settings train on
    /// the same rows, so their prepared data can be shared.
    pub fn data_settings(&self) -> DataSettings {
        DataSettings {
            file: self.data.clone(),
            samples: self.samples,
            features: self.features,
            informative: self.informative,
            classes: self.classes,
            data_seed: self.data_seed,
            test_size: self.test_size,
            distortion: self.distort.then_some(self.distortion),
            standardize: self.standardize,
        }
    }
}

/// The data of a config, prepared a few rows at a time: each [`Preparing::step`] touches at
/// most its budget of rows (one per row per pass over the data), and the steps together give
/// exactly what [`Config::prepare`] gives, to the bit: every draw from numpy's stream is made
/// in the same order, and every sum accumulates in the same order.
#[derive(Debug)]
pub struct Preparing {
    features: usize,
    distortion: Option<f64>,
    standardize: bool,
    split_seed: u32,
    n_test: usize,
    /// Rows of work done so far, over every step.
    rows: usize,
    stage: Stage,
}

/// Where a [`Preparing`] is, in the pipeline's order. `cursor` counts the rows of the stage done.
#[derive(Debug)]
enum Stage {
    Generate(Box<data::Generation>),
    Distort {
        x: Matrix,
        y: Vec<usize>,
        cursor: usize,
    },
    Split {
        x: Matrix,
        y: Vec<usize>,
        rng: Box<RandomState>,
        permuting: data::Permuting,
    },
    /// Rows `order[cursor..]` still to copy into the training rows (then the validation rows).
    Select {
        x: Matrix,
        y: Vec<usize>,
        order: Vec<usize>,
        n_train: usize,
        train: Vec<f64>,
        val: Vec<f64>,
        cursor: usize,
    },
    /// The scaler's two passes over the training rows (`pass` 0 then 1).
    Fit {
        parts: Parts,
        fit: data::ScalerFit,
        pass: u8,
        cursor: usize,
    },
    /// The training rows then the validation rows, standardized in place.
    Transform {
        parts: Parts,
        scaler: StandardScaler,
        cursor: usize,
    },
    /// The population standard deviation of each training column (its two passes).
    Std {
        parts: Parts,
        sums: Vec<f64>,
        mean: Vec<f64>,
        pass: u8,
        cursor: usize,
    },
    /// The f32 copies the network trains on: the training rows, then the validation rows.
    Convert {
        parts: Parts,
        feature_std: Vec<f64>,
        train: Vec<f32>,
        val: Vec<f32>,
        cursor: usize,
    },
    Done,
}

/// The split rows, in f64, and their labels.
#[derive(Debug)]
struct Parts {
    train: Matrix,
    val: Matrix,
    y_train: Vec<f32>,
    y_val: Vec<f32>,
}

/// What `Iterator::sum` starts a float sum from (-0.0), which the feature spreads have always
/// started from: a change would move their last bits.
fn sum_start() -> f64 {
    std::iter::empty::<f64>().sum()
}

impl Preparing {
    /// Rows of work done so far (every pass over the data counts its rows).
    pub fn rows_done(&self) -> usize {
        self.rows
    }

    /// Prepares at most `rows_budget` rows (at least one, so that it always advances);
    /// `Some` once the data is complete, `None` before (and again after).
    pub fn step(&mut self, rows_budget: usize) -> Option<Prepared> {
        let mut budget = data::RowBudget::new(rows_budget.max(1));
        let total = rows_budget.max(1);
        let out = self.advance(&mut budget);
        self.rows += total - budget.take(usize::MAX);
        out
    }

    fn advance(&mut self, budget: &mut data::RowBudget) -> Option<Prepared> {
        let nf = self.features;
        loop {
            let stage = std::mem::replace(&mut self.stage, Stage::Done);
            self.stage = match stage {
                Stage::Generate(mut generation) => match generation.step(budget) {
                    Some((x, y)) => Stage::Distort { x, y, cursor: 0 },
                    None => {
                        self.stage = Stage::Generate(generation);
                        return None;
                    }
                },
                Stage::Distort {
                    mut x,
                    y,
                    mut cursor,
                } => {
                    if let Some(d) = self.distortion {
                        let n = budget.take(x.rows - cursor);
                        let (f0, f1) = (d, 1.0 / d);
                        for row in x.data[cursor * nf..(cursor + n) * nf].chunks_mut(nf) {
                            row[0] *= f0;
                            row[1] *= f1;
                        }
                        cursor += n;
                    } else {
                        cursor = x.rows;
                    }
                    if cursor < x.rows {
                        Stage::Distort { x, y, cursor }
                    } else {
                        let permuting = data::Permuting::new(x.rows);
                        let rng = Box::new(RandomState::new(self.split_seed));
                        Stage::Split {
                            x,
                            y,
                            rng,
                            permuting,
                        }
                    }
                }
                Stage::Split {
                    x,
                    y,
                    mut rng,
                    mut permuting,
                } => {
                    if permuting.step(&mut rng, budget) {
                        // train_test_split: the test rows first in the permutation.
                        let mut order = permuting.into_values();
                        order.rotate_left(self.n_test);
                        let n_train = x.rows - self.n_test;
                        Stage::Select {
                            train: Vec::with_capacity(n_train * nf),
                            val: Vec::with_capacity(self.n_test * nf),
                            x,
                            y,
                            order,
                            n_train,
                            cursor: 0,
                        }
                    } else {
                        Stage::Split {
                            x,
                            y,
                            rng,
                            permuting,
                        }
                    }
                }
                Stage::Select {
                    x,
                    y,
                    order,
                    n_train,
                    mut train,
                    mut val,
                    mut cursor,
                } => {
                    let n = budget.take(order.len() - cursor);
                    for (k, &i) in order[cursor..cursor + n].iter().enumerate() {
                        let into = if cursor + k < n_train {
                            &mut train
                        } else {
                            &mut val
                        };
                        into.extend_from_slice(x.row(i));
                    }
                    cursor += n;
                    if cursor < order.len() {
                        Stage::Select {
                            x,
                            y,
                            order,
                            n_train,
                            train,
                            val,
                            cursor,
                        }
                    } else {
                        let label = |idx: &[usize]| idx.iter().map(|&i| y[i] as f32).collect();
                        let parts = Parts {
                            y_train: label(&order[..n_train]),
                            y_val: label(&order[n_train..]),
                            train: Matrix {
                                rows: n_train,
                                cols: nf,
                                data: train,
                            },
                            val: Matrix {
                                rows: order.len() - n_train,
                                cols: nf,
                                data: val,
                            },
                        };
                        if self.standardize {
                            Stage::Fit {
                                parts,
                                fit: data::ScalerFit::new(nf),
                                pass: 0,
                                cursor: 0,
                            }
                        } else {
                            Self::std_stage(parts)
                        }
                    }
                }
                Stage::Fit {
                    parts,
                    mut fit,
                    mut pass,
                    mut cursor,
                } => {
                    let rows = parts.train.rows;
                    let n = budget.take(rows - cursor);
                    for i in cursor..cursor + n {
                        if pass == 0 {
                            fit.add_to_mean(parts.train.row(i));
                        } else {
                            fit.add_to_variance(parts.train.row(i));
                        }
                    }
                    cursor += n;
                    if cursor == rows && pass == 0 {
                        fit.mean_done();
                        (pass, cursor) = (1, 0);
                    }
                    if cursor == rows && pass == 1 {
                        Stage::Transform {
                            parts,
                            scaler: fit.finish(),
                            cursor: 0,
                        }
                    } else {
                        Stage::Fit {
                            parts,
                            fit,
                            pass,
                            cursor,
                        }
                    }
                }
                Stage::Transform {
                    mut parts,
                    scaler,
                    mut cursor,
                } => {
                    let n_train = parts.train.rows;
                    let total = n_train + parts.val.rows;
                    let n = budget.take(total - cursor);
                    for i in cursor..cursor + n {
                        let (m, r) = if i < n_train {
                            (&mut parts.train, i)
                        } else {
                            (&mut parts.val, i - n_train)
                        };
                        scaler.transform_row(&mut m.data[r * nf..(r + 1) * nf]);
                    }
                    cursor += n;
                    if cursor < total {
                        Stage::Transform {
                            parts,
                            scaler,
                            cursor,
                        }
                    } else {
                        Self::std_stage(parts)
                    }
                }
                Stage::Std {
                    parts,
                    mut sums,
                    mut mean,
                    mut pass,
                    mut cursor,
                } => {
                    let rows = parts.train.rows;
                    let n = budget.take(rows - cursor);
                    for i in cursor..cursor + n {
                        let row = parts.train.row(i);
                        if pass == 0 {
                            for (s, &v) in sums.iter_mut().zip(row) {
                                *s += v;
                            }
                        } else {
                            for ((s, &v), &m) in sums.iter_mut().zip(row).zip(&mean) {
                                *s += (v - m).powi(2);
                            }
                        }
                    }
                    cursor += n;
                    let count = rows as f64;
                    if cursor == rows && pass == 0 {
                        mean = sums.iter().map(|s| s / count).collect();
                        sums = vec![sum_start(); nf];
                        (pass, cursor) = (1, 0);
                    }
                    if cursor == rows && pass == 1 {
                        let feature_std = sums.iter().map(|s| (s / count).sqrt()).collect();
                        let (n_train, n_val) = (parts.train.rows, parts.val.rows);
                        Stage::Convert {
                            parts,
                            feature_std,
                            train: Vec::with_capacity(n_train * nf),
                            val: Vec::with_capacity(n_val * nf),
                            cursor: 0,
                        }
                    } else {
                        Stage::Std {
                            parts,
                            sums,
                            mean,
                            pass,
                            cursor,
                        }
                    }
                }
                Stage::Convert {
                    parts,
                    feature_std,
                    mut train,
                    mut val,
                    mut cursor,
                } => {
                    let n_train = parts.train.rows;
                    let total = n_train + parts.val.rows;
                    let n = budget.take(total - cursor);
                    for i in cursor..cursor + n {
                        let (row, into) = if i < n_train {
                            (parts.train.row(i), &mut train)
                        } else {
                            (parts.val.row(i - n_train), &mut val)
                        };
                        into.extend(row.iter().map(|&v| v as f32));
                    }
                    cursor += n;
                    if cursor == total {
                        return Some(Prepared {
                            feature_std,
                            train: Samples {
                                x: train,
                                y: parts.y_train,
                                features: nf,
                            },
                            val: Samples {
                                x: val,
                                y: parts.y_val,
                                features: nf,
                            },
                        });
                    }
                    Stage::Convert {
                        parts,
                        feature_std,
                        train,
                        val,
                        cursor,
                    }
                }
                Stage::Done => return None,
            };
            if budget.spent() {
                return None;
            }
        }
    }

    fn std_stage(parts: Parts) -> Stage {
        let nf = parts.train.cols;
        Stage::Std {
            parts,
            sums: vec![sum_start(); nf],
            mean: Vec::new(),
            pass: 0,
            cursor: 0,
        }
    }
}

/// The data's own checks, reported as the setting they are about.
impl From<data::DataError> for ConfigError {
    fn from(e: data::DataError) -> ConfigError {
        ConfigError::new(e.param, e.message)
    }
}
