//! The kernels of a layer with one output unit: every network's last layer, the logit.
//!
//! `matmul`'s kernels hold blocks of *outputs* in vector registers; with one output there is
//! no block, and each sum was one scalar chain (its adds waiting on each other) behind an
//! index list, per row or per input. Here the vectors run across four rows (`affine`) or
//! across inputs (`weight_gradients`, `input_gradients`) instead.
//!
//! Every output keeps the order `matmul` defines, so the bits do not change: products summed
//! in index order from +0, the products of zero inputs left out. A left-out product is an
//! added +0 here (`where_nonzero`), which changes no sum: a sum that starts at +0 is never -0
//! (in round-to-nearest `x + (-x)` is +0), and `s + (+0)` is `s` for every other `s`.

use super::f32x4::{four, four_mut, F4};

/// `out[r] = Σ_k x[r,k]·w[k] + bias` over the `k` with `x[r,k] ≠ 0`, for `x` of
/// `out.len()` rows by `w.len()` inputs.
pub fn affine(x: &[f32], w: &[f32], bias: f32, out: &mut [f32]) {
    let n_in = w.len();
    let mut blocks = out.chunks_exact_mut(4);
    let mut rows = x.chunks_exact(4 * n_in);
    for (block, four_rows) in (&mut blocks).zip(&mut rows) {
        let (r01, r23) = four_rows.split_at(2 * n_in);
        let ((r0, r1), (r2, r3)) = (r01.split_at(n_in), r23.split_at(n_in));
        let mut acc = F4::zero();
        for ((&wk, (&a, &b)), (&c, &d)) in w.iter().zip(r0.iter().zip(r1)).zip(r2.iter().zip(r3)) {
            let xs = F4::load(&[a, b, c, d]);
            acc = acc.add(xs.mul(F4::splat(wk)).where_nonzero(xs));
        }
        // The bias is added after the product, as TensorFlow's `BiasAdd` does.
        acc.add(F4::splat(bias)).store(four_mut(block));
    }
    for (o, x_row) in blocks
        .into_remainder()
        .iter_mut()
        .zip(rows.remainder().chunks_exact(n_in))
    {
        let mut sum = 0.0f32;
        for (&xk, &wk) in x_row.iter().zip(w) {
            if xk != 0.0 {
                sum += xk * wk;
            }
        }
        *o = sum + bias;
    }
}

/// `dk[k] = Σ_r x[r,k]·delta[r]` over the rows with `x[r,k] ≠ 0`, in row order, for `x` of
/// `delta.len()` rows by `dk.len()` inputs.
pub fn weight_gradients(x: &[f32], delta: &[f32], dk: &mut [f32]) {
    let n_in = dk.len();
    let mut k = 0;
    while k + 32 <= n_in {
        column_block::<8>(x, delta, k, dk);
        k += 32;
    }
    if k + 16 <= n_in {
        column_block::<4>(x, delta, k, dk);
        k += 16;
    }
    if k + 8 <= n_in {
        column_block::<2>(x, delta, k, dk);
        k += 8;
    }
    if k + 4 <= n_in {
        column_block::<1>(x, delta, k, dk);
        k += 4;
    }
    for (kk, g) in dk.iter_mut().enumerate().skip(k) {
        let mut sum = 0.0f32;
        for (x_row, &d) in x.chunks_exact(n_in).zip(delta) {
            if x_row[kk] != 0.0 {
                sum += x_row[kk] * d;
            }
        }
        *g = sum;
    }
}

/// `weight_gradients` for the `4·V` inputs from `k`, with `V` vector accumulators.
#[inline(always)]
fn column_block<const V: usize>(x: &[f32], delta: &[f32], k: usize, dk: &mut [f32]) {
    let n_in = dk.len();
    let mut acc = [F4::zero(); V];
    for (x_row, &d) in x.chunks_exact(n_in).zip(delta) {
        let row = &x_row[k..k + 4 * V];
        let d = F4::splat(d);
        for (v, acc) in acc.iter_mut().enumerate() {
            let xs = F4::load(four(&row[4 * v..]));
            *acc = acc.add(xs.mul(d).where_nonzero(xs));
        }
    }
    for (v, acc) in acc.iter().enumerate() {
        acc.store(four_mut(&mut dk[k + 4 * v..]));
    }
}

/// `dx[r,k] = delta[r]·w[k]`: with one output, `matmul`'s dot product is a single product,
/// added to its +0 start (which makes a -0 product +0). With `relu_outputs`, the entries
/// whose output is not positive are 0, as `matmul::input_gradients` leaves them.
pub fn input_gradients(delta: &[f32], w: &[f32], dx: &mut [f32], relu_outputs: Option<&[f32]>) {
    let n_in = w.len();
    let full = n_in - n_in % 4;
    for (r, (&d, dx_row)) in delta.iter().zip(dx.chunks_exact_mut(n_in)).enumerate() {
        let y_row = relu_outputs.map(|y| &y[r * n_in..(r + 1) * n_in]);
        let d4 = F4::splat(d);
        for k in (0..full).step_by(4) {
            let g = F4::zero().add(d4.mul(F4::load(four(&w[k..]))));
            let g = match y_row {
                Some(y) => g.where_positive(F4::load(four(&y[k..]))),
                None => g,
            };
            g.store(four_mut(&mut dx_row[k..]));
        }
        for k in full..n_in {
            let kept = y_row.is_none_or(|y| y[k] > 0.0);
            dx_row[k] = if kept { 0.0 + d * w[k] } else { 0.0 };
        }
    }
}
