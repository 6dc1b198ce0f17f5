//! The f32 kernels of a dense layer over a batch, on contiguous row-major slices.
//!
//! Every inner loop is either an `axpy` (`y += a*x` over a contiguous row) or a dot product
//! with eight independent accumulators, both shapes LLVM vectorises (SSE/AVX natively,
//! SIMD128 in wasm). No floating-point reassociation is left to the compiler, so the
//! vectorised and scalar code give the same bits and the results agree across targets.
//! Nothing here allocates.

/// `y += a * x`.
#[inline]
fn axpy(a: f32, x: &[f32], y: &mut [f32]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

/// `a · b` with eight lanes of partial sums.
#[inline]
fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            lanes[i] += x[i] * y[i];
        }
    }
    let mut sum = ((lanes[0] + lanes[4]) + (lanes[1] + lanes[5]))
        + ((lanes[2] + lanes[6]) + (lanes[3] + lanes[7]));
    for (x, y) in ra.iter().zip(rb) {
        sum += x * y;
    }
    sum
}

/// `out = x · kernel + bias` for a batch: `x` is `rows × n_in`, `kernel` is `n_in × n_out`,
/// `out` is `rows × n_out` (rows = `out.len() / n_out`).
pub fn affine(x: &[f32], kernel: &[f32], bias: &[f32], out: &mut [f32]) {
    let n_out = bias.len();
    let n_in = kernel.len() / n_out;
    for (x_row, out_row) in x.chunks_exact(n_in).zip(out.chunks_exact_mut(n_out)) {
        out_row.fill(0.0);
        for (&xv, w_row) in x_row.iter().zip(kernel.chunks_exact(n_out)) {
            // After a relu about half the inputs are exactly zero: skipping them halves the
            // work and changes no bit (weights are kept finite, so 0*w adds nothing).
            if xv != 0.0 {
                axpy(xv, w_row, out_row);
            }
        }
        // The bias is added after the product, as TensorFlow's `BiasAdd` does.
        for (o, &b) in out_row.iter_mut().zip(bias) {
            *o += b;
        }
    }
}

/// `dkernel = xᵀ · delta` and `dbias = Σ_rows delta`, overwriting both.
/// `x` is `rows × n_in`, `delta` is `rows × n_out`.
pub fn weight_gradients(x: &[f32], delta: &[f32], dkernel: &mut [f32], dbias: &mut [f32]) {
    let n_out = dbias.len();
    let n_in = dkernel.len() / n_out;
    // Kernel row by kernel row, so the row being summed stays in L1 while the batch streams.
    for (k, dk_row) in dkernel.chunks_exact_mut(n_out).enumerate() {
        dk_row.fill(0.0);
        for (x_row, d_row) in x.chunks_exact(n_in).zip(delta.chunks_exact(n_out)) {
            let xv = x_row[k];
            if xv != 0.0 {
                axpy(xv, d_row, dk_row);
            }
        }
    }
    dbias.fill(0.0);
    for d_row in delta.chunks_exact(n_out) {
        axpy(1.0, d_row, dbias);
    }
}

/// `dx = delta · kernelᵀ`: the gradient passed to the layer below. `dx` is `rows × n_in`.
pub fn input_gradients(delta: &[f32], kernel: &[f32], n_out: usize, dx: &mut [f32]) {
    let n_in = kernel.len() / n_out;
    for (d_row, dx_row) in delta.chunks_exact(n_out).zip(dx.chunks_exact_mut(n_in)) {
        for (dxv, w_row) in dx_row.iter_mut().zip(kernel.chunks_exact(n_out)) {
            *dxv = dot(d_row, w_row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(x: &[f32], w: &[f32], rows: usize, n: usize, m: usize) -> Vec<f64> {
        let mut out = vec![0.0f64; rows * m];
        for r in 0..rows {
            for j in 0..m {
                for k in 0..n {
                    out[r * m + j] += x[r * n + k] as f64 * w[k * m + j] as f64;
                }
            }
        }
        out
    }

    fn values(len: usize, seed: u32) -> Vec<f32> {
        let mut rng = crate::rng::RandomState::new(seed);
        (0..len).map(|_| rng.uniform(-1.0, 1.0) as f32).collect()
    }

    #[test]
    fn kernels_match_naive_products() {
        let (rows, n, m) = (5, 11, 19);
        let x = values(rows * n, 1);
        let w = values(n * m, 2);
        let b = values(m, 3);
        let d = values(rows * m, 4);

        let mut out = vec![0.0; rows * m];
        affine(&x, &w, &b, &mut out);
        let expect = naive(&x, &w, rows, n, m);
        for i in 0..rows * m {
            assert!((out[i] as f64 - expect[i] - b[i % m] as f64).abs() < 1e-5);
        }

        // dkernel = xᵀ d
        let mut xt = vec![0.0; n * rows];
        for r in 0..rows {
            for k in 0..n {
                xt[k * rows + r] = x[r * n + k];
            }
        }
        let (mut dk, mut db) = (vec![0.0; n * m], vec![0.0; m]);
        weight_gradients(&x, &d, &mut dk, &mut db);
        let expect = naive(&xt, &d, n, rows, m);
        for i in 0..n * m {
            assert!((dk[i] as f64 - expect[i]).abs() < 1e-5);
        }
        for j in 0..m {
            let s: f64 = (0..rows).map(|r| d[r * m + j] as f64).sum();
            assert!((db[j] as f64 - s).abs() < 1e-5);
        }

        // dx = d wᵀ
        let mut wt = vec![0.0; m * n];
        for k in 0..n {
            for j in 0..m {
                wt[j * n + k] = w[k * m + j];
            }
        }
        let mut dx = vec![0.0; rows * n];
        input_gradients(&d, &w, m, &mut dx);
        let expect = naive(&d, &wt, rows, m, n);
        for i in 0..rows * n {
            assert!((dx[i] as f64 - expect[i]).abs() < 1e-5);
        }
    }
}
