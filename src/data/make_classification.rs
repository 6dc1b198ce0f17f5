use super::{DataError, Matrix};

/// Every parameter of scikit-learn's `make_classification`, with its defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassificationParams {
    pub n_samples: usize,
    pub n_features: usize,
    pub n_informative: usize,
    pub n_redundant: usize,
    pub n_repeated: usize,
    pub n_classes: usize,
    pub n_clusters_per_class: usize,
    pub weights: Option<Vec<f64>>,
    pub flip_y: f64,
    pub class_sep: f64,
    pub hypercube: bool,
    /// `None` draws a random shift per feature (scikit-learn's `shift=None`).
    pub shift: Option<f64>,
    /// `None` draws a random scale per feature (scikit-learn's `scale=None`).
    pub scale: Option<f64>,
    pub shuffle: bool,
    pub random_state: u32,
}

impl Default for ClassificationParams {
    fn default() -> Self {
        ClassificationParams {
            n_samples: 100,
            n_features: 20,
            n_informative: 2,
            n_redundant: 2,
            n_repeated: 0,
            n_classes: 2,
            n_clusters_per_class: 2,
            weights: None,
            flip_y: 0.01,
            class_sep: 1.0,
            hypercube: true,
            shift: Some(0.0),
            scale: Some(1.0),
            shuffle: true,
            random_state: 42,
        }
    }
}

/// scikit-learn's `make_classification`: returns `(X, y)`.
pub fn make_classification(p: &ClassificationParams) -> Result<(Matrix, Vec<usize>), DataError> {
    let _ = p;
    todo!("data helper")
}
