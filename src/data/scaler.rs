//! scikit-learn's `StandardScaler` for dense float64 data without missing values: the
//! first `partial_fit` through `_incremental_mean_and_var`, whose two-pass corrected
//! variance and constant-feature test we reproduce operation for operation.

use super::Matrix;

/// scikit-learn's `StandardScaler` (with_mean, with_std, population variance).
#[derive(Clone, Debug, PartialEq)]
pub struct StandardScaler {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

impl StandardScaler {
    /// Fits on the rows of `x`. With no rows the statistics are NaN (scikit-learn refuses
    /// such input).
    pub fn fit(x: &Matrix) -> Self {
        let mut fit = ScalerFit::new(x.cols);
        for row in x.data.chunks(x.cols) {
            fit.add_to_mean(row);
        }
        fit.mean_done();
        for row in x.data.chunks(x.cols) {
            fit.add_to_variance(row);
        }
        fit.finish()
    }

    /// `(x - mean) / scale` on one row, in place.
    pub fn transform_row(&self, row: &mut [f64]) {
        for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.scale) {
            *v = (*v - m) / s;
        }
    }

    /// `(x - mean) / scale` per feature, with the fitted statistics.
    pub fn transform(&self, x: &Matrix) -> Matrix {
        let mut out = x.clone();
        for row in out.data.chunks_mut(x.cols) {
            self.transform_row(row);
        }
        out
    }
}

/// The standard deviations from the two passes' column sums, with scikit-learn's
/// constant-feature test (`_is_constant_feature`).
fn scales(n: f64, mean: &[f64], correction: &[f64], squares: &[f64]) -> Vec<f64> {
    let eps = f64::EPSILON;
    (0..mean.len())
        .map(|j| {
            let var = (squares[j] - correction[j] * correction[j] / n) / n;
            // `_is_constant_feature`: the variance is within the two-pass algorithm's
            // error bound of zero. Such a feature is left unscaled.
            let bound = n * eps * var + (n * mean[j] * eps) * (n * mean[j] * eps);
            if var <= bound {
                1.0
            } else {
                var.sqrt()
            }
        })
        .collect()
}

/// [`StandardScaler::fit`] row by row, for work in bounded pieces: every row through
/// [`ScalerFit::add_to_mean`], then [`ScalerFit::mean_done`], then every row again through
/// [`ScalerFit::add_to_variance`]. numpy sums along axis 0 of a C-ordered array row by row
/// (sequential per column), and so do these column sums.
#[derive(Clone, Debug)]
pub struct ScalerFit {
    rows: usize,
    sums: Vec<f64>,
    mean: Vec<f64>,
    correction: Vec<f64>,
    squares: Vec<f64>,
}

impl ScalerFit {
    pub fn new(cols: usize) -> ScalerFit {
        ScalerFit {
            rows: 0,
            sums: vec![0.0; cols],
            mean: Vec::new(),
            correction: vec![0.0; cols],
            squares: vec![0.0; cols],
        }
    }

    pub fn add_to_mean(&mut self, row: &[f64]) {
        self.rows += 1;
        for (s, &v) in self.sums.iter_mut().zip(row) {
            *s += v;
        }
    }

    pub fn mean_done(&mut self) {
        let n = self.rows as f64;
        self.mean = self.sums.iter().map(|s| s / n).collect();
    }

    pub fn add_to_variance(&mut self, row: &[f64]) {
        for (j, &v) in row.iter().enumerate() {
            self.correction[j] += v - self.mean[j];
            self.squares[j] += (v - self.mean[j]) * (v - self.mean[j]);
        }
    }

    pub fn finish(self) -> StandardScaler {
        let scale = scales(
            self.rows as f64,
            &self.mean,
            &self.correction,
            &self.squares,
        );
        StandardScaler {
            mean: self.mean,
            scale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_feature_keeps_scale_one() {
        let x = Matrix {
            rows: 3,
            cols: 2,
            data: vec![0.1, 1.0, 0.1, 2.0, 0.1, 3.0],
        };
        let s = StandardScaler::fit(&x);
        assert_eq!(s.scale[0], 1.0);
        assert_eq!(s.mean[1], 2.0);
        assert_eq!(s.scale[1], (2.0f64 / 3.0).sqrt());
        let t = s.transform(&x);
        assert_eq!(t.get(0, 0), 0.1 - s.mean[0]);
    }
}
