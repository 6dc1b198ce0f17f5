//! The f32 kernels of a dense layer over a batch, on contiguous row-major slices.
//!
//! Every output keeps the summation order it has always had, so histories are bit-identical
//! to the straightforward loops (and across targets):
//! - `affine` and `weight_gradients` sum their products in index order, from 0, leaving out
//!   the products whose input is exactly zero (after a relu, about half: 0·w adds nothing,
//!   since weights and gradients are finite while a run trains);
//! - `input_gradients` is a dot product with eight lanes of partial sums, combined pairwise.
//!
//! What makes them fast is *register blocking*: each kernel keeps a block of outputs in
//! vector registers (`F4`, four lanes) across its whole sum and only loads the operands, where
//! an `axpy` per input would load and store every output once per term. The inputs that are
//! zero are listed first (without branches), so the inner loops never test them and never
//! mispredict. Nothing here allocates: the lists live in a `Scratch` made once per network.

use super::f32x4::{four, four_mut, F4};
use super::matvec;

/// Index lists for the kernels, sized once for the largest layer and batch.
#[derive(Clone, Debug)]
pub struct Scratch {
    index: Vec<u32>,
    coef: Vec<f32>,
}

impl Scratch {
    /// Room for lists of up to `len` entries (the widest layer or the batch, whichever is larger).
    pub fn new(len: usize) -> Scratch {
        Scratch {
            index: vec![0; len],
            coef: vec![0.0; len],
        }
    }

    /// Lists the `(position, value)` pairs of `values` (every `stride`-th value from `start`,
    /// `count` of them) whose value is not zero; returns how many. Branch-free: each pair is
    /// written, and the count only advances past the non-zero ones.
    fn list_nonzero(&mut self, values: &[f32], start: usize, stride: usize, count: usize) -> usize {
        let mut n = 0;
        for t in 0..count {
            let v = values[start + t * stride];
            self.index[n] = t as u32;
            self.coef[n] = v;
            n += (v != 0.0) as usize;
        }
        n
    }
}

/// `out[j] = Σ_t coef[t] · m[index[t]·stride + j]`, summed from 0 in list order, for every
/// `j < out.len()`. Outputs go in blocks of 32, 16, 8 and 4 lanes held in registers, the last
/// few one by one; each block's sum is over the whole list, so each output's order is the
/// list's.
fn combine_rows(index: &[u32], coef: &[f32], m: &[f32], stride: usize, out: &mut [f32]) {
    let n = out.len();
    let mut j = 0;
    while j + 32 <= n {
        combine_block::<8>(index, coef, m, stride, j, out);
        j += 32;
    }
    for (vectors, width) in [(4, 16), (2, 8), (1, 4)] {
        if j + width <= n {
            match vectors {
                4 => combine_block::<4>(index, coef, m, stride, j, out),
                2 => combine_block::<2>(index, coef, m, stride, j, out),
                _ => combine_block::<1>(index, coef, m, stride, j, out),
            }
            j += width;
        }
    }
    for (jj, o) in out.iter_mut().enumerate().skip(j) {
        let mut sum = 0.0f32;
        for (&i, &a) in index.iter().zip(coef) {
            sum += a * m[i as usize * stride + jj];
        }
        *o = sum;
    }
}

/// `combine_rows` for the `4·V` outputs from `j`, with `V` vector accumulators.
#[inline(always)]
fn combine_block<const V: usize>(
    index: &[u32],
    coef: &[f32],
    m: &[f32],
    stride: usize,
    j: usize,
    out: &mut [f32],
) {
    let mut acc = [F4::zero(); V];
    for (&i, &a) in index.iter().zip(coef) {
        let start = i as usize * stride + j;
        let row = &m[start..start + 4 * V];
        let a = F4::splat(a);
        for (v, acc) in acc.iter_mut().enumerate() {
            *acc = acc.mul_add(a, F4::load(four(&row[4 * v..])));
        }
    }
    for (v, acc) in acc.iter().enumerate() {
        acc.store(four_mut(&mut out[j + 4 * v..]));
    }
}

/// `a · b` for `K` vectors `b` at once, each with eight lanes of partial sums (two `F4`s)
/// combined as `((l0+l4)+(l1+l5)) + ((l2+l6)+(l3+l7))`, then the last `len % 8` products
/// added one by one: the order `dot` has always used.
#[inline(always)]
fn dots<const K: usize>(a: &[f32], b: [&[f32]; K]) -> [f32; K] {
    let len = a.len();
    let full = len - len % 8;
    let mut lo = [F4::zero(); K];
    let mut hi = [F4::zero(); K];
    let mut c = 0;
    while c < full {
        let (a_lo, a_hi) = (F4::load(four(&a[c..])), F4::load(four(&a[c + 4..])));
        for q in 0..K {
            lo[q] = lo[q].mul_add(a_lo, F4::load(four(&b[q][c..])));
            hi[q] = hi[q].mul_add(a_hi, F4::load(four(&b[q][c + 4..])));
        }
        c += 8;
    }
    let mut out = [0.0f32; K];
    for q in 0..K {
        let s = lo[q].add(hi[q]).to_array(); // s[i] = lane i + lane i+4
        let mut sum = (s[0] + s[1]) + (s[2] + s[3]);
        for i in full..len {
            sum += a[i] * b[q][i];
        }
        out[q] = sum;
    }
    out
}

/// `out = x · kernel + bias` for a batch: `x` is `rows × n_in`, `kernel` is `n_in × n_out`,
/// `out` is `rows × n_out` (rows = `out.len() / n_out`).
pub fn affine(x: &[f32], kernel: &[f32], bias: &[f32], out: &mut [f32], scratch: &mut Scratch) {
    let n_out = bias.len();
    if n_out == 1 {
        return matvec::affine(x, kernel, bias[0], out);
    }
    let n_in = kernel.len() / n_out;
    for (r, out_row) in out.chunks_exact_mut(n_out).enumerate() {
        let n = scratch.list_nonzero(x, r * n_in, 1, n_in);
        combine_rows(
            &scratch.index[..n],
            &scratch.coef[..n],
            kernel,
            n_out,
            out_row,
        );
        // The bias is added after the product, as TensorFlow's `BiasAdd` does.
        for (o, &b) in out_row.iter_mut().zip(bias) {
            *o += b;
        }
    }
}

/// `dkernel = xᵀ · delta` and `dbias = Σ_rows delta`, overwriting both.
/// `x` is `rows × n_in`, `delta` is `rows × n_out`.
pub fn weight_gradients(
    x: &[f32],
    delta: &[f32],
    dkernel: &mut [f32],
    dbias: &mut [f32],
    scratch: &mut Scratch,
) {
    let n_out = dbias.len();
    let n_in = dkernel.len() / n_out;
    let rows = delta.len() / n_out;
    if n_out == 1 {
        matvec::weight_gradients(x, delta, dkernel);
    } else {
        // Kernel row k sums the batch rows whose input k is non-zero.
        for (k, dk_row) in dkernel.chunks_exact_mut(n_out).enumerate() {
            let n = scratch.list_nonzero(x, k, n_in, rows);
            combine_rows(
                &scratch.index[..n],
                &scratch.coef[..n],
                delta,
                n_out,
                dk_row,
            );
        }
    }
    // The bias sums every row: coefficients of 1 (exact products).
    for (t, (i, c)) in scratch.index[..rows]
        .iter_mut()
        .zip(&mut scratch.coef[..rows])
        .enumerate()
    {
        (*i, *c) = (t as u32, 1.0);
    }
    combine_rows(
        &scratch.index[..rows],
        &scratch.coef[..rows],
        delta,
        n_out,
        dbias,
    );
}

/// `dx = delta · kernelᵀ`: the gradient passed to the layer below. `dx` is `rows × n_in`.
///
/// With `relu_outputs` (the layer below's relu outputs, `rows × n_in`), only the entries whose
/// output is positive are computed and the others are set to 0: relu's backward pass zeroes
/// them anyway, whatever they hold, so this changes no bit and halves the work.
pub fn input_gradients(
    delta: &[f32],
    kernel: &[f32],
    n_out: usize,
    dx: &mut [f32],
    relu_outputs: Option<&[f32]>,
    scratch: &mut Scratch,
) {
    if n_out == 1 {
        return matvec::input_gradients(delta, kernel, dx, relu_outputs);
    }
    let n_in = kernel.len() / n_out;
    let w_row = |k: u32| &kernel[k as usize * n_out..(k as usize + 1) * n_out];
    for (r, (d_row, dx_row)) in delta
        .chunks_exact(n_out)
        .zip(dx.chunks_exact_mut(n_in))
        .enumerate()
    {
        let n = match relu_outputs {
            Some(y) => {
                dx_row.fill(0.0);
                let mut n = 0;
                for (k, &v) in y[r * n_in..(r + 1) * n_in].iter().enumerate() {
                    scratch.index[n] = k as u32;
                    n += (v > 0.0) as usize;
                }
                n
            }
            None => {
                for (k, i) in scratch.index[..n_in].iter_mut().enumerate() {
                    *i = k as u32;
                }
                n_in
            }
        };
        let list = &scratch.index[..n];
        let mut quads = list.chunks_exact(4);
        for q in &mut quads {
            let sums = dots(d_row, [w_row(q[0]), w_row(q[1]), w_row(q[2]), w_row(q[3])]);
            for (&k, s) in q.iter().zip(sums) {
                dx_row[k as usize] = s;
            }
        }
        for &k in quads.remainder() {
            dx_row[k as usize] = dots(d_row, [w_row(k)])[0];
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

    /// Like `values`, with about half the values exactly zero (what a relu leaves).
    fn sparse_values(len: usize, seed: u32) -> Vec<f32> {
        values(len, seed).into_iter().map(|v| v.max(0.0)).collect()
    }

    #[test]
    fn kernels_match_naive_products() {
        let (rows, n, m) = (5, 11, 19);
        let x = values(rows * n, 1);
        let w = values(n * m, 2);
        let b = values(m, 3);
        let d = values(rows * m, 4);
        let mut scratch = Scratch::new(n.max(m).max(rows));

        let mut out = vec![0.0; rows * m];
        affine(&x, &w, &b, &mut out, &mut scratch);
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
        weight_gradients(&x, &d, &mut dk, &mut db, &mut scratch);
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
        input_gradients(&d, &w, m, &mut dx, None, &mut scratch);
        let expect = naive(&d, &wt, rows, m, n);
        for i in 0..rows * n {
            assert!((dx[i] as f64 - expect[i]).abs() < 1e-5);
        }
    }

    // ---- The loops these kernels replaced, kept as the definition of each output's order. ----

    fn loop_affine(x: &[f32], kernel: &[f32], bias: &[f32], out: &mut [f32]) {
        let n_out = bias.len();
        let n_in = kernel.len() / n_out;
        for (x_row, out_row) in x.chunks_exact(n_in).zip(out.chunks_exact_mut(n_out)) {
            out_row.fill(0.0);
            for (&xv, w_row) in x_row.iter().zip(kernel.chunks_exact(n_out)) {
                if xv != 0.0 {
                    for (o, &w) in out_row.iter_mut().zip(w_row) {
                        *o += xv * w;
                    }
                }
            }
            for (o, &b) in out_row.iter_mut().zip(bias) {
                *o += b;
            }
        }
    }

    fn loop_weight_gradients(x: &[f32], delta: &[f32], dk: &mut [f32], db: &mut [f32]) {
        let n_out = db.len();
        let n_in = dk.len() / n_out;
        for (k, dk_row) in dk.chunks_exact_mut(n_out).enumerate() {
            dk_row.fill(0.0);
            for (x_row, d_row) in x.chunks_exact(n_in).zip(delta.chunks_exact(n_out)) {
                if x_row[k] != 0.0 {
                    for (g, &d) in dk_row.iter_mut().zip(d_row) {
                        *g += x_row[k] * d;
                    }
                }
            }
        }
        db.fill(0.0);
        for d_row in delta.chunks_exact(n_out) {
            for (g, &d) in db.iter_mut().zip(d_row) {
                *g += d;
            }
        }
    }

    fn loop_dot(a: &[f32], b: &[f32]) -> f32 {
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

    fn bits(v: &[f32]) -> Vec<u32> {
        v.iter().map(|x| x.to_bits()).collect()
    }

    /// Every block width and tail of the register-blocked kernels gives exactly the bits of
    /// the plain loops, with dense and relu-sparse inputs.
    #[test]
    fn blocked_kernels_give_the_plain_loops_bits() {
        let mut seed = 100;
        for rows in [1, 3, 8, 13] {
            for n_in in [1, 5, 8, 20, 33] {
                for n_out in [1, 3, 4, 7, 8, 12, 16, 29, 32, 61, 64, 128] {
                    seed += 1;
                    let w = values(n_in * n_out, seed);
                    let b = values(n_out, seed + 1000);
                    let d = values(rows * n_out, seed + 2000);
                    let mut scratch = Scratch::new(n_in.max(n_out).max(rows));
                    for x in [
                        values(rows * n_in, seed + 3000),
                        sparse_values(rows * n_in, seed + 4000),
                    ] {
                        let shape = format!("rows {rows}, {n_in} -> {n_out}");
                        let (mut got, mut want) =
                            (vec![0.0; rows * n_out], vec![0.0; rows * n_out]);
                        affine(&x, &w, &b, &mut got, &mut scratch);
                        loop_affine(&x, &w, &b, &mut want);
                        assert_eq!(bits(&got), bits(&want), "affine, {shape}");

                        let (mut dk, mut db) = (vec![0.0; n_in * n_out], vec![0.0; n_out]);
                        let (mut dk0, mut db0) = (dk.clone(), db.clone());
                        weight_gradients(&x, &d, &mut dk, &mut db, &mut scratch);
                        loop_weight_gradients(&x, &d, &mut dk0, &mut db0);
                        assert_eq!(bits(&dk), bits(&dk0), "dkernel, {shape}");
                        assert_eq!(bits(&db), bits(&db0), "dbias, {shape}");

                        let want: Vec<f32> = d
                            .chunks_exact(n_out)
                            .flat_map(|d_row| {
                                w.chunks_exact(n_out)
                                    .map(move |w_row| loop_dot(d_row, w_row))
                            })
                            .collect();
                        let mut dx = vec![f32::NAN; rows * n_in];
                        input_gradients(&d, &w, n_out, &mut dx, None, &mut scratch);
                        assert_eq!(bits(&dx), bits(&want), "dx, {shape}");
                        // With relu outputs (here `x`), the entries relu zeroes are 0.
                        input_gradients(&d, &w, n_out, &mut dx, Some(&x), &mut scratch);
                        let relu: Vec<f32> = want
                            .iter()
                            .zip(&x)
                            .map(|(&g, &y)| if y > 0.0 { g } else { 0.0 })
                            .collect();
                        assert_eq!(bits(&dx), bits(&relu), "dx after relu, {shape}");
                    }
                }
            }
        }
    }
}
