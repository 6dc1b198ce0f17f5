//! scikit-learn's `make_classification` (sklearn/datasets/_samples_generator.py), draw for
//! draw and rounding for rounding: every numpy expression is evaluated in the same order
//! with the same intermediate roundings, so `X` matches bit for bit.

pub use super::classification_params::ClassificationParams;
use super::classification_params::{class_weights, validate};
use super::sampling::sample_without_replacement;
use super::steps::{Permuting, RowBudget};
use super::{DataError, Matrix};
use crate::rng::RandomState;

/// scikit-learn's `make_classification`: returns `(X, y)`.
pub fn make_classification(p: &ClassificationParams) -> Result<(Matrix, Vec<usize>), DataError> {
    let mut generation = Generation::new(p)?;
    loop {
        if let Some(data) = generation.step(&mut RowBudget::new(usize::MAX)) {
            return Ok(data);
        }
    }
}

/// scikit-learn's `make_classification` in bounded pieces: [`Generation::step`] touches at
/// most a budget of rows, and any budgets give the same result, bit for bit, because every
/// draw is made in numpy's order (a step only ever stops between rows or swaps).
/// [`make_classification`] is one unbounded step.
#[derive(Debug)]
pub struct Generation {
    rng: RandomState,
    n_features: usize,
    n_inf: usize,
    n_useful: usize,
    n_random: usize,
    n_classes: usize,
    n_redundant: usize,
    n_repeated: usize,
    flip_y: f64,
    class_sep: f64,
    shift: Option<f64>,
    scale: Option<f64>,
    shuffle: bool,
    sizes: Vec<usize>,
    centroids: Vec<Vec<f64>>,
    x: Matrix,
    y: Vec<usize>,
    phase: Phase,
    /// The next row (or index) of the current phase.
    cursor: usize,
}

/// Where a [`Generation`] is, in scikit-learn's order of work.
#[derive(Debug)]
enum Phase {
    Informative,
    /// Cluster `k`: its covariance `a` is drawn when the cluster starts, then its rows
    /// `cursor..last` are transformed.
    Cluster {
        k: usize,
        stop: usize,
        cov: Option<(Vec<f64>, usize)>,
    },
    Redundant(Option<Vec<f64>>),
    Repeated(Option<Vec<usize>>),
    Random,
    FlipMask(Vec<bool>),
    FlipDraw(Vec<bool>),
    Shift(Option<Vec<f64>>),
    Scale(Option<Vec<f64>>),
    ShuffleRows(Permuting),
    /// The rows in shuffled order with their columns shuffled, written into `out`.
    Reorder {
        rows: Vec<usize>,
        cols: Vec<usize>,
        out: Matrix,
        y: Vec<usize>,
    },
    Done,
}

impl Generation {
    /// Checks the parameters as [`make_classification`] does and draws the centroids (work
    /// that does not grow with the rows).
    pub fn new(p: &ClassificationParams) -> Result<Generation, DataError> {
        validate(p)?;
        let weights = class_weights(p)?;
        let (n, n_features, n_inf) = (p.n_samples, p.n_features, p.n_informative);
        let n_useful = n_inf + p.n_redundant;
        let n_clusters = p.n_classes * p.n_clusters_per_class;
        let mut rng = RandomState::new(p.random_state);
        let mut centroids = hypercube_vertices(&mut rng, n_clusters, n_inf);
        // Centroids: distinct hypercube vertices mapped to ±class_sep (numpy: `c *= 2*sep; c -= sep`).
        for c in centroids.iter_mut().flatten() {
            *c = *c * (2.0 * p.class_sep) - p.class_sep;
        }
        if !p.hypercube {
            let per_cluster = uniforms(&mut rng, n_clusters);
            let per_feature = uniforms(&mut rng, n_inf);
            for (c, u) in centroids.iter_mut().zip(&per_cluster) {
                for (cj, v) in c.iter_mut().zip(&per_feature) {
                    *cj = *cj * u * v;
                }
            }
        }
        Ok(Generation {
            rng,
            n_features,
            n_inf,
            n_useful,
            n_random: n_features - n_useful - p.n_repeated,
            n_classes: p.n_classes,
            n_redundant: p.n_redundant,
            n_repeated: p.n_repeated,
            flip_y: p.flip_y,
            class_sep: p.class_sep,
            shift: p.shift,
            scale: p.scale,
            shuffle: p.shuffle,
            sizes: cluster_sizes(n, &weights, p.n_clusters_per_class),
            centroids,
            x: Matrix::zeros(n, n_features),
            y: vec![0usize; n],
            phase: Phase::Informative,
            cursor: 0,
        })
    }

    /// The rows `cursor..end` this step may do: at most the budget's, and `cursor` moves on.
    fn rows(&mut self, end: usize, budget: &mut RowBudget) -> std::ops::Range<usize> {
        let start = self.cursor.min(end);
        let n = budget.take(end - start);
        self.cursor = start + n;
        start..start + n
    }

    /// Goes to `next` once the phase's rows are all done.
    fn advance_if(&mut self, done: bool, next: impl FnOnce() -> Phase) -> bool {
        if done {
            self.phase = next();
            self.cursor = 0;
        }
        done
    }

    /// Generates rows within `budget`; `Some((X, y))` once the data is complete (after that,
    /// `None` and an empty result forever).
    pub fn step(&mut self, budget: &mut RowBudget) -> Option<(Matrix, Vec<usize>)> {
        let n = self.x.rows;
        let nf = self.n_features;
        loop {
            match &mut self.phase {
                Phase::Informative => {
                    for i in self.rows(n, budget) {
                        for j in 0..self.n_inf {
                            self.x.data[i * nf + j] = self.rng.standard_normal();
                        }
                    }
                    let done = self.cursor == n;
                    self.advance_if(done, || Phase::Cluster {
                        k: 0,
                        stop: 0,
                        cov: None,
                    });
                }
                Phase::Cluster { k, stop, cov } => {
                    let k = *k;
                    if k == self.centroids.len() {
                        let next = if self.n_redundant > 0 {
                            Phase::Redundant(None)
                        } else {
                            Phase::Repeated(None)
                        };
                        self.advance_if(true, || next);
                        continue;
                    }
                    if cov.is_none() {
                        let start = *stop;
                        // Python slices clip at n_samples, which only matters when the
                        // weights sum to more than 1.
                        *stop = stop.saturating_add(self.sizes[k]);
                        let a = signed_uniforms(&mut self.rng, self.n_inf * self.n_inf);
                        *cov = Some((a, (*stop).min(n)));
                        self.cursor = start.min(n);
                    }
                    let last = cov.as_ref().map_or(0, |c| c.1);
                    let rows = self.rows(last, budget);
                    let Phase::Cluster { k, cov, .. } = &mut self.phase else {
                        unreachable!()
                    };
                    let a = &cov.as_ref().expect("drawn above").0;
                    self.y[rows.clone()].fill(*k % self.n_classes);
                    let (n_inf, centroid) = (self.n_inf, &self.centroids[*k]);
                    for row in self.x.data[rows.start * nf..rows.end * nf].chunks_mut(nf) {
                        let informative = &mut row[..n_inf];
                        let product = vec_mat(informative, a, n_inf);
                        for ((xj, pj), cj) in informative.iter_mut().zip(product).zip(centroid) {
                            *xj = pj + cj;
                        }
                    }
                    if self.cursor == last {
                        *k += 1;
                        *cov = None;
                    }
                }
                Phase::Redundant(b) => {
                    let b = b
                        .get_or_insert_with(|| {
                            signed_uniforms(&mut self.rng, self.n_inf * self.n_redundant)
                        })
                        .clone();
                    let (n_inf, n_useful, n_red) = (self.n_inf, self.n_useful, self.n_redundant);
                    for i in self.rows(n, budget) {
                        let row = &mut self.x.data[i * nf..(i + 1) * nf];
                        let product = vec_mat(&row[..n_inf], &b, n_red);
                        row[n_inf..n_useful].copy_from_slice(&product);
                    }
                    let done = self.cursor == n;
                    self.advance_if(done, || Phase::Repeated(None));
                }
                Phase::Repeated(sources) => {
                    if self.n_repeated == 0 {
                        self.advance_if(true, || Phase::Random);
                        continue;
                    }
                    let n_useful = self.n_useful;
                    let sources = sources
                        .get_or_insert_with(|| {
                            uniforms(&mut self.rng, self.n_repeated)
                                .into_iter()
                                .map(|u| ((n_useful - 1) as f64 * u + 0.5) as usize)
                                .collect()
                        })
                        .clone();
                    for i in self.rows(n, budget) {
                        let row = &mut self.x.data[i * nf..(i + 1) * nf];
                        for (r, &src) in sources.iter().enumerate() {
                            row[n_useful + r] = row[src];
                        }
                    }
                    let done = self.cursor == n;
                    self.advance_if(done, || Phase::Random);
                }
                Phase::Random => {
                    for i in self.rows(n, budget) {
                        for j in nf - self.n_random..nf {
                            self.x.data[i * nf + j] = self.rng.standard_normal();
                        }
                    }
                    let done = self.cursor == n;
                    self.advance_if(done, || Phase::FlipMask(Vec::with_capacity(n)));
                }
                // Label noise: the mask is drawn even for flip_y == 0, which shifts every
                // later draw.
                Phase::FlipMask(_) => {
                    let rows = self.rows(n, budget);
                    let Phase::FlipMask(mask) = &mut self.phase else {
                        unreachable!()
                    };
                    for _ in rows {
                        mask.push(self.rng.next_double() < self.flip_y);
                    }
                    if self.cursor == n {
                        let mask = std::mem::take(mask);
                        self.advance_if(true, || Phase::FlipDraw(mask));
                    }
                }
                Phase::FlipDraw(_) => {
                    let rows = self.rows(n, budget);
                    let Phase::FlipDraw(mask) = &self.phase else {
                        unreachable!()
                    };
                    for i in rows.filter(|&i| mask[i]) {
                        self.y[i] = self.rng.randint(self.n_classes as u32) as usize;
                    }
                    let done = self.cursor == n;
                    self.advance_if(done, || Phase::Shift(None));
                }
                Phase::Shift(shift) => {
                    let (given, sep) = (self.shift, self.class_sep);
                    let shift = shift
                        .get_or_insert_with(|| match given {
                            Some(s) => vec![s; nf],
                            None => uniforms(&mut self.rng, nf)
                                .into_iter()
                                .map(|u| (2.0 * u - 1.0) * sep)
                                .collect(),
                        })
                        .clone();
                    let rows = self.rows(n, budget);
                    for row in self.x.data[rows.start * nf..rows.end * nf].chunks_mut(nf) {
                        for (v, &c) in row.iter_mut().zip(&shift) {
                            *v += c;
                        }
                    }
                    let done = self.cursor == n;
                    self.advance_if(done, || Phase::Scale(None));
                }
                Phase::Scale(scale) => {
                    let given = self.scale;
                    let scale = scale
                        .get_or_insert_with(|| match given {
                            Some(s) => vec![s; nf],
                            None => uniforms(&mut self.rng, nf)
                                .into_iter()
                                .map(|u| 1.0 + 100.0 * u)
                                .collect(),
                        })
                        .clone();
                    let rows = self.rows(n, budget);
                    for row in self.x.data[rows.start * nf..rows.end * nf].chunks_mut(nf) {
                        for (v, &c) in row.iter_mut().zip(&scale) {
                            *v *= c;
                        }
                    }
                    let done = self.cursor == n;
                    let shuffle = self.shuffle;
                    self.advance_if(done, || {
                        if shuffle {
                            Phase::ShuffleRows(Permuting::new(n))
                        } else {
                            Phase::Done
                        }
                    });
                    if done && !shuffle {
                        return Some(self.take());
                    }
                }
                Phase::ShuffleRows(p) => {
                    if !p.step(&mut self.rng, budget) {
                        return None;
                    }
                    let Phase::ShuffleRows(p) = std::mem::replace(&mut self.phase, Phase::Done)
                    else {
                        unreachable!()
                    };
                    // The columns' permutation is n_features swaps: free.
                    let cols = self.rng.permutation(nf);
                    self.advance_if(true, || Phase::Reorder {
                        rows: p.into_values(),
                        cols,
                        out: Matrix::zeros(n, nf),
                        y: vec![0; n],
                    });
                }
                Phase::Reorder { .. } => {
                    let range = self.rows(n, budget);
                    let Phase::Reorder { rows, cols, out, y } = &mut self.phase else {
                        unreachable!()
                    };
                    for i in range {
                        let src = self.x.row(rows[i]);
                        y[i] = self.y[rows[i]];
                        for (o, &c) in out.data[i * nf..(i + 1) * nf].iter_mut().zip(cols.iter()) {
                            *o = src[c];
                        }
                    }
                    if self.cursor == n {
                        let Phase::Reorder { out, y, .. } =
                            std::mem::replace(&mut self.phase, Phase::Done)
                        else {
                            unreachable!()
                        };
                        self.x = out;
                        self.y = y;
                        return Some(self.take());
                    }
                }
                Phase::Done => return None,
            }
            if budget.spent() {
                return None;
            }
        }
    }

    fn take(&mut self) -> (Matrix, Vec<usize>) {
        self.phase = Phase::Done;
        let x = std::mem::replace(&mut self.x, Matrix::zeros(0, self.n_features));
        (x, std::mem::take(&mut self.y))
    }
}

/// `int(n_samples * weight / n_clusters_per_class)` per cluster, then the remainder one by
/// one to clusters 0, 1, 2, ...
fn cluster_sizes(n_samples: usize, weights: &[f64], n_clusters_per_class: usize) -> Vec<usize> {
    let n_classes = weights.len();
    let n_clusters = n_classes * n_clusters_per_class;
    let mut sizes: Vec<usize> = (0..n_clusters)
        .map(|k| (n_samples as f64 * weights[k % n_classes] / n_clusters_per_class as f64) as usize)
        .collect();
    let total = sizes.iter().fold(0usize, |s, &v| s.saturating_add(v));
    for i in 0..n_samples.saturating_sub(total) {
        sizes[i % n_clusters] += 1;
    }
    sizes
}

/// `_generate_hypercube`: `samples` distinct vertices of the `dims`-cube as 0/1 coordinates,
/// most significant bit first. Beyond 30 dimensions the extra leading coordinates are plain
/// coin flips, drawn first.
fn hypercube_vertices(rng: &mut RandomState, samples: usize, dims: usize) -> Vec<Vec<f64>> {
    let extra = dims.saturating_sub(30);
    let mut out: Vec<Vec<f64>> = (0..samples)
        .map(|_| (0..extra).map(|_| rng.randint(2) as f64).collect())
        .collect();
    let low = dims - extra;
    let vertices = sample_without_replacement(rng, 1 << low, samples);
    for (row, v) in out.iter_mut().zip(vertices) {
        row.extend((0..low).rev().map(|bit| ((v >> bit) & 1) as f64));
    }
    out
}

fn uniforms(rng: &mut RandomState, count: usize) -> Vec<f64> {
    (0..count).map(|_| rng.next_double()).collect()
}

/// numpy's `2 * uniform(size) - 1`: two roundings, not one fused operation.
fn signed_uniforms(rng: &mut RandomState, count: usize) -> Vec<f64> {
    (0..count).map(|_| 2.0 * rng.next_double() - 1.0).collect()
}

/// `row · m` for a row-major `m` with `cols` columns, accumulated in k order. numpy's dot
/// (OpenBLAS) fuses the multiply-adds on some paths; `mul_add` would match those bit for bit,
/// but wasm has no fma instruction and its software fma made preparing 10,000 rows block the
/// page for ~35 ms. Plain arithmetic stays within ~1e-15 relative of scikit-learn (the spec
/// allows 1e-12) and leaves the f32 inputs the network sees unchanged for the presets.
fn vec_mat(row: &[f64], m: &[f64], cols: usize) -> Vec<f64> {
    (0..cols)
        .map(|j| {
            row.iter()
                .enumerate()
                .fold(0.0, |s, (k, &v)| s + v * m[k * cols + j])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_42_vertices_are_the_documented_ones() {
        let got = hypercube_vertices(&mut RandomState::new(42), 4, 10);
        let want: Vec<Vec<f64>> = [102u32, 435, 860, 270]
            .iter()
            .map(|v| (0..10).rev().map(|b| ((v >> b) & 1) as f64).collect())
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn remainder_goes_to_the_first_clusters() {
        // int(100 * 0.5 / 2) = 25 each; 101 leaves one extra for cluster 0.
        assert_eq!(cluster_sizes(101, &[0.5, 0.5], 2), [26, 25, 25, 25]);
        // 0.9 / 3 clusters: int(10 * 0.9 / 3) = 3, the rest round-robin.
        assert_eq!(cluster_sizes(10, &[0.9], 3), [4, 3, 3]);
    }
}
