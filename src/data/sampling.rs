//! scikit-learn's `sample_without_replacement` (sklearn/utils/_random.pyx). Each method
//! consumes the generator differently, so the one `auto` picks decides the hypercube
//! vertices; all of them are here, chosen by the same ratio thresholds.

use crate::rng::RandomState;

/// Which algorithm `method="auto"` picks for `n_samples / n_population`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    TrackingSelection,
    Permutation,
    ReservoirSampling,
    /// Never picked by `auto`; kept for the explicit `method="pool"`.
    Pool,
}

/// The method `auto` uses. The ratio is a float division in scikit-learn too, so
/// the boundaries (0.01, 0.99, 0.2) fall exactly where they fall there.
pub fn auto_method(n_population: usize, n_samples: usize) -> Method {
    let ratio = if n_population != 0 {
        n_samples as f64 / n_population as f64
    } else {
        1.0
    };
    if ratio > 0.01 && ratio < 0.99 {
        Method::Permutation
    } else if ratio < 0.2 {
        Method::TrackingSelection
    } else {
        Method::ReservoirSampling
    }
}

/// `sample_without_replacement(n_population, n_samples, method="auto")`.
/// The caller guarantees `n_samples <= n_population < 2**32`.
pub fn sample_without_replacement(
    rng: &mut RandomState,
    n_population: usize,
    n_samples: usize,
) -> Vec<usize> {
    sample_with(
        rng,
        n_population,
        n_samples,
        auto_method(n_population, n_samples),
    )
}

pub fn sample_with(
    rng: &mut RandomState,
    n_population: usize,
    n_samples: usize,
    method: Method,
) -> Vec<usize> {
    debug_assert!(n_samples <= n_population && n_population as u64 <= 1 << 32);
    match method {
        Method::Permutation => {
            let mut p = rng.permutation(n_population);
            p.truncate(n_samples);
            p
        }
        Method::TrackingSelection => tracking_selection(rng, n_population, n_samples),
        Method::ReservoirSampling => reservoir_sampling(rng, n_population, n_samples),
        Method::Pool => pool(rng, n_population, n_samples),
    }
}

/// Redraw while the value was already chosen (a `set` in scikit-learn).
fn tracking_selection(rng: &mut RandomState, n_population: usize, n_samples: usize) -> Vec<usize> {
    let mut selected = std::collections::HashSet::with_capacity(n_samples);
    let mut out = Vec::with_capacity(n_samples);
    for _ in 0..n_samples {
        let mut j = rng.randint(n_population as u32) as usize;
        while !selected.insert(j) {
            j = rng.randint(n_population as u32) as usize;
        }
        out.push(j);
    }
    out
}

/// Keeps `0..n_samples`, then lets each later `i` replace slot `randint(0, i + 1)`.
fn reservoir_sampling(rng: &mut RandomState, n_population: usize, n_samples: usize) -> Vec<usize> {
    let mut out: Vec<usize> = (0..n_samples).collect();
    for i in n_samples..n_population {
        let j = rng.interval(i as u32) as usize;
        if j < n_samples {
            out[j] = i;
        }
    }
    out
}

/// Draws from a shrinking pool, moving the last unselected item into each vacancy.
fn pool(rng: &mut RandomState, n_population: usize, n_samples: usize) -> Vec<usize> {
    let mut pool: Vec<usize> = (0..n_population).collect();
    let mut out = Vec::with_capacity(n_samples);
    for i in 0..n_samples {
        let j = rng.randint((n_population - i) as u32) as usize;
        out.push(pool[j]);
        pool[j] = pool[n_population - i - 1];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(method: Method, n_population: usize, n_samples: usize, seed: u32) -> Vec<usize> {
        sample_with(&mut RandomState::new(seed), n_population, n_samples, method)
    }

    #[test]
    fn auto_thresholds_match_scikit_learn() {
        assert_eq!(auto_method(1024, 4), Method::TrackingSelection);
        assert_eq!(auto_method(100, 1), Method::TrackingSelection); // ratio == 0.01 exactly
        assert_eq!(auto_method(256, 3), Method::Permutation); // 0.0117
        assert_eq!(auto_method(1000, 989), Method::Permutation);
        assert_eq!(auto_method(100, 99), Method::ReservoirSampling); // ratio == 0.99
        assert_eq!(auto_method(16, 4), Method::Permutation);
        assert_eq!(auto_method(4, 4), Method::ReservoirSampling);
        assert_eq!(auto_method(0, 0), Method::ReservoirSampling);
    }

    // Expected values: sklearn.utils.random.sample_without_replacement(..., random_state=42)
    // with scikit-learn 1.9.1.
    #[test]
    fn each_method_matches_scikit_learn() {
        assert_eq!(sample(Method::Permutation, 10, 5, 42), [8, 1, 5, 0, 7]);
        assert_eq!(
            sample(Method::TrackingSelection, 1024, 4, 42),
            [102, 435, 860, 270]
        );
        // Small population, so redraws of already chosen values happen.
        assert_eq!(
            sample(Method::TrackingSelection, 100, 19, 0),
            [44, 47, 64, 67, 9, 83, 21, 36, 87, 70, 88, 12, 58, 65, 39, 46, 81, 37, 25]
        );
        assert_eq!(
            sample(Method::ReservoirSampling, 10, 5, 42),
            [0, 1, 2, 5, 9]
        );
        assert_eq!(sample(Method::Pool, 10, 5, 42), [6, 3, 4, 9, 2]);
    }
}
