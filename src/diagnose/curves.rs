//! Small summaries of one curve (a per-epoch series), robust to a run that ended in NaN.

/// The finite prefix of a curve: a diverged run ends in NaN or infinity.
pub(crate) fn finite(values: &[f64]) -> &[f64] {
    &values[..super::plateau::finite_prefix(values)]
}

/// Mean of the last `k` values (fewer if the curve is shorter); NaN for an empty curve.
/// Final figures are averaged over a few epochs so one lucky epoch does not decide them.
pub(crate) fn mean_last(values: &[f64], k: usize) -> f64 {
    let tail = &values[values.len().saturating_sub(k.max(1))..];
    tail.iter().sum::<f64>() / tail.len() as f64
}

/// Mean of the values within one epoch of `i`, to steady a point read off a noisy curve.
fn around(values: &[f64], i: usize) -> f64 {
    let lo = i.saturating_sub(1);
    let hi = (i + 1).min(values.len() - 1);
    values[lo..=hi].iter().sum::<f64>() / (hi - lo + 1) as f64
}

/// How much a falling curve fell in its first and in its second half: `(first, second)`.
/// A converging curve bends (the second half falls much less); a curve whose learning is
/// too slow falls about as much in both. Needs at least 3 values.
pub(crate) fn halves_drop(values: &[f64]) -> Option<(f64, f64)> {
    let n = values.len();
    if n < 3 {
        return None;
    }
    let start = around(values, 0);
    let middle = around(values, n / 2);
    let end = around(values, n - 1);
    Some((start - middle, middle - end))
}

/// Share of epoch-to-epoch steps in the second half that go down.
pub(crate) fn falling_share_second_half(values: &[f64]) -> f64 {
    let tail = &values[values.len() / 2..];
    if tail.len() < 2 {
        return 0.0;
    }
    let falls = tail.windows(2).filter(|w| w[1] < w[0]).count();
    falls as f64 / (tail.len() - 1) as f64
}

/// Total climbing (sum of the rises) divided by the total fall from the start to the lowest
/// point: 0 for a curve that only goes down; 1 when it climbed back as much as it fell.
pub(crate) fn climb_ratio(values: &[f64]) -> f64 {
    let Some(&first) = values.first() else {
        return 0.0;
    };
    let lowest = values.iter().copied().fold(f64::INFINITY, f64::min);
    let climbed: f64 = values.windows(2).map(|w| (w[1] - w[0]).max(0.0)).sum();
    let fell = first - lowest;
    if fell <= 0.0 {
        if climbed > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    } else {
        climbed / fell
    }
}

/// First 1-based epoch at which the curve is below `level`.
pub(crate) fn first_below(values: &[f64], level: f64) -> Option<usize> {
    values.iter().position(|&v| v < level).map(|i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries() {
        assert_eq!(finite(&[1.0, 2.0, f64::NAN, 3.0]), &[1.0, 2.0]);
        assert_eq!(mean_last(&[1.0, 2.0, 3.0, 5.0], 2), 4.0);
        assert_eq!(mean_last(&[1.0], 5), 1.0);
        let linear: Vec<f64> = (0..20).map(|i| 1.0 - 0.01 * i as f64).collect();
        let (a, b) = halves_drop(&linear).unwrap();
        assert!((a - b).abs() < 0.011, "{a} {b}");
        assert_eq!(falling_share_second_half(&linear), 1.0);
        assert_eq!(climb_ratio(&linear), 0.0);
        assert_eq!(climb_ratio(&[1.0, 0.5, 1.0, 0.5]), 1.0);
        assert_eq!(climb_ratio(&[0.5, 0.6]), f64::INFINITY);
        assert_eq!(first_below(&linear, 0.945), Some(7));
        assert_eq!(halves_drop(&[1.0, 0.5]), None);
    }
}
