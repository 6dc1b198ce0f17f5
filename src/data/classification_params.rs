//! The parameters of scikit-learn's `make_classification`, with its defaults, and the checks
//! its `validate_params` and function body make, in the same order and with the same limits.

use super::DataError;

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

/// The parameter checks of scikit-learn's `validate_params` and of the function body,
/// in the same order, so the first complaint is the one Python would raise.
pub(super) fn validate(p: &ClassificationParams) -> Result<(), DataError> {
    let at_least_one = [
        ("n_samples", p.n_samples),
        ("n_features", p.n_features),
        ("n_informative", p.n_informative),
    ];
    for (name, v) in at_least_one {
        if v < 1 {
            return Err(DataError::new(
                name,
                format!("must be an int in the range [1, inf), got {v}"),
            ));
        }
    }
    for (name, v) in [
        ("n_classes", p.n_classes),
        ("n_clusters_per_class", p.n_clusters_per_class),
    ] {
        if v < 1 {
            return Err(DataError::new(
                name,
                format!("must be an int in the range [1, inf), got {v}"),
            ));
        }
    }
    if !(0.0..=1.0).contains(&p.flip_y) {
        return Err(DataError::new(
            "flip_y",
            format!("must be a float in the range [0, 1], got {}", p.flip_y),
        ));
    }
    if !(p.class_sep > 0.0 && p.class_sep.is_finite()) {
        return Err(DataError::new(
            "class_sep",
            format!("must be a float in the range (0, inf), got {}", p.class_sep),
        ));
    }
    if let Some(s) = p.shift {
        if !s.is_finite() {
            return Err(DataError::new(
                "shift",
                format!("must be a finite float or None, got {s}"),
            ));
        }
    }
    if let Some(s) = p.scale {
        if !(s > 0.0 && s.is_finite()) {
            return Err(DataError::new(
                "scale",
                format!("must be a float in the range (0, inf) or None, got {s}"),
            ));
        }
    }
    let used = p
        .n_informative
        .saturating_add(p.n_redundant)
        .saturating_add(p.n_repeated);
    if used > p.n_features {
        return Err(DataError::new(
            "n_features",
            format!(
                "n_informative ({}) + n_redundant ({}) + n_repeated ({}) = {used} must not \
                 exceed n_features ({})",
                p.n_informative, p.n_redundant, p.n_repeated, p.n_features
            ),
        ));
    }
    // Integer form of scikit-learn's `n_informative < log2(n_clusters)`.
    let n_clusters = p.n_classes.saturating_mul(p.n_clusters_per_class);
    let fits = p.n_informative >= 64 || n_clusters as u128 <= 1u128 << p.n_informative;
    if !fits {
        return Err(DataError::new(
            "n_informative",
            format!(
                "n_classes ({}) * n_clusters_per_class ({}) must be smaller or equal \
                 2**n_informative ({}) = {}",
                p.n_classes,
                p.n_clusters_per_class,
                p.n_informative,
                1u128 << p.n_informative
            ),
        ));
    }
    // The vertices' low 30 bits are sampled without replacement from 2**30 values.
    if n_clusters > 1 << 30 {
        return Err(DataError::new(
            "n_clusters_per_class",
            format!("n_classes * n_clusters_per_class = {n_clusters} must be at most 2**30"),
        ));
    }
    Ok(())
}

/// `weights_` as scikit-learn builds it; a missing last weight is `1 - sum(others)`.
pub(super) fn class_weights(p: &ClassificationParams) -> Result<Vec<f64>, DataError> {
    let k = p.n_classes;
    let Some(w) = &p.weights else {
        return Ok(vec![1.0 / k as f64; k]);
    };
    if w.len() != k && w.len() != k - 1 {
        return Err(DataError::new(
            "weights",
            format!(
                "has {} values; n_classes = {k} needs {k} or {} of them",
                w.len(),
                k - 1
            ),
        ));
    }
    let mut w = w.clone();
    if w.len() == k - 1 {
        // Python's sum(): left to right from 0.
        let sum = w.iter().fold(0.0, |s, v| s + v);
        w.push(1.0 - sum);
    }
    // scikit-learn accepts these but then slices with negative counts (or fails on NaN),
    // producing meaningless data; refuse instead of silently differing.
    if let Some(bad) = w.iter().find(|v| !(v.is_finite() && **v >= 0.0)) {
        return Err(DataError::new(
            "weights",
            format!(
                "every class weight (including 1 - sum(weights) for a missing last one) must \
                 be finite and non-negative, got {bad}"
            ),
        ));
    }
    Ok(w)
}
