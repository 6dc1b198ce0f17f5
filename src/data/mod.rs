//! The data pipeline, exactly as scikit-learn builds it: `make_classification` (or a table
//! read from a CSV file) → (distort) → `train_test_split` → (`StandardScaler`). All f64,
//! bit-identical to numpy.

mod classification_params;
mod csv;
mod csv_error;
mod datasets;
mod make_classification;
pub mod sampling;
mod scaler;
mod split;
mod steps;
mod table;

pub use csv::{read_csv, TableLimits, TARGET_NAMES};
pub use csv_error::{Column, CsvError};
pub use datasets::{built_in, built_in_names, BuiltIn, BUILT_IN};
pub use make_classification::{make_classification, ClassificationParams, Generation};
pub use scaler::{ScalerFit, StandardScaler};
pub use split::{test_count, train_test_split, TestSize};
pub use steps::{Permuting, RowBudget};
pub use table::{classes_of, ClassCount, Table};

use std::fmt;

/// A dense row-major matrix of f64.
#[derive(Clone, Debug, PartialEq)]
pub struct Matrix {
    pub rows: usize,
    pub cols: usize,
    pub data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Matrix {
            rows,
            cols,
            data: vec![0.0; rows * cols],
        }
    }
    pub fn row(&self, i: usize) -> &[f64] {
        &self.data[i * self.cols..(i + 1) * self.cols]
    }
    pub fn get(&self, i: usize, j: usize) -> f64 {
        self.data[i * self.cols + j]
    }
    /// The rows at `indices`, in that order.
    pub fn select_rows(&self, indices: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(indices.len() * self.cols);
        for &i in indices {
            data.extend_from_slice(self.row(i));
        }
        Matrix {
            rows: indices.len(),
            cols: self.cols,
            data,
        }
    }
}

/// Multiplies feature `j` by `factor` for each pair: the article's "unscaled features"
/// distortion is `[(0, 100.0), (1, 0.01)]`.
pub fn scale_features(x: &mut Matrix, factors: &[(usize, f64)]) {
    for &(j, f) in factors {
        for i in 0..x.rows {
            x.data[i * x.cols + j] *= f;
        }
    }
}

/// What was wrong with a data request, naming the parameter and what is allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct DataError {
    pub param: &'static str,
    pub message: String,
}

impl DataError {
    pub fn new(param: &'static str, message: impl Into<String>) -> Self {
        DataError {
            param,
            message: message.into(),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.param, self.message)
    }
}

impl std::error::Error for DataError {}
