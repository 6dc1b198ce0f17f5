use super::Matrix;

/// scikit-learn's `StandardScaler` (with_mean, with_std, population variance).
#[derive(Clone, Debug, PartialEq)]
pub struct StandardScaler {
    pub mean: Vec<f64>,
    pub scale: Vec<f64>,
}

impl StandardScaler {
    pub fn fit(x: &Matrix) -> Self {
        let _ = x;
        todo!("data helper")
    }
    pub fn transform(&self, x: &Matrix) -> Matrix {
        let _ = x;
        todo!("data helper")
    }
}
