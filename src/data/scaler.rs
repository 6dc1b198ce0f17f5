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
        let n = x.rows as f64;
        // numpy sums along axis 0 of a C-ordered array row by row: sequential per column.
        let column_sums = |f: &dyn Fn(usize, f64) -> f64| {
            let mut s = vec![0.0; x.cols];
            for row in x.data.chunks(x.cols) {
                for (j, (sj, &v)) in s.iter_mut().zip(row).enumerate() {
                    *sj += f(j, v);
                }
            }
            s
        };
        let mean: Vec<f64> = column_sums(&|_, v| v).iter().map(|s| s / n).collect();
        let correction = column_sums(&|j, v| v - mean[j]);
        let squares = column_sums(&|j, v| (v - mean[j]) * (v - mean[j]));
        let eps = f64::EPSILON;
        let scale = (0..x.cols)
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
            .collect();
        StandardScaler { mean, scale }
    }

    /// `(x - mean) / scale` per feature, with the fitted statistics.
    pub fn transform(&self, x: &Matrix) -> Matrix {
        let mut out = x.clone();
        for row in out.data.chunks_mut(x.cols) {
            for ((v, m), s) in row.iter_mut().zip(&self.mean).zip(&self.scale) {
                *v = (*v - m) / s;
            }
        }
        out
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
