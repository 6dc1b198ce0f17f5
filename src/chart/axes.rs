//! The loss axis: its range on a log scale, its ticks and their labels.

use super::{ChartRun, Metric};

/// Lowest loss the log axis shows; a memorised training set drives the loss towards 0.
pub(super) const LOSS_FLOOR: f64 = 1e-4;
/// Highest loss the log axis shows; a diverging run is clamped here rather than flattening
/// every other curve.
pub(super) const LOSS_CEILING: f64 = 1e4;

/// The y range of the loss axis: every finite loss shown, within [LOSS_FLOOR, LOSS_CEILING],
/// padded a little so curves do not run along the frame.
pub(super) fn loss_range(runs: &[ChartRun]) -> (f64, f64) {
    let values = runs.iter().flat_map(|r| &r.histories).flat_map(|h| {
        let (t, v) = Metric::Loss.series(h);
        t.iter().chain(v)
    });
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for &v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return (0.1, 1.0); // nothing trained yet
    }
    let lo = (lo / 1.3).clamp(LOSS_FLOOR, LOSS_CEILING / 10.0);
    // At least a factor 2.5, so that a flat curve does not fill the chart with noise.
    let hi = (hi * 1.3).clamp(lo * 2.5, LOSS_CEILING);
    (lo, hi)
}

/// Whether some finite loss lies outside `lo..=hi`, below and above: such a value is drawn
/// along the axis's edge, and that edge's label says so ("≤0.0001"), so that a memorised
/// training set's loss, still falling, does not read as a plateau at the floor.
pub(super) fn loss_clamped(runs: &[ChartRun], (lo, hi): (f64, f64)) -> (bool, bool) {
    let mut clamped = (false, false);
    for h in runs.iter().flat_map(|r| &r.histories) {
        let (t, v) = Metric::Loss.series(h);
        for &x in t.iter().chain(v).filter(|x| x.is_finite()) {
            clamped.0 |= x < lo;
            clamped.1 |= x > hi;
        }
    }
    clamped
}

/// A loss axis label: `format_loss`, with "≤" or "≥" on an edge past which values were
/// clamped (see [`loss_clamped`]).
pub(super) fn loss_label(v: f64, (lo, hi): (f64, f64), (below, above): (bool, bool)) -> String {
    let at = |edge: f64| (v / edge - 1.0).abs() < 1e-9;
    match (below && at(lo), above && at(hi)) {
        (true, _) => format!("≤{}", format_loss(v)),
        (_, true) => format!("≥{}", format_loss(v)),
        _ => format_loss(v),
    }
}

/// Ticks for a log axis from `lo` to `hi` that is `axis_px` long: the densest of 1–9, 1-2-5,
/// 1-3 and 1 per decade whose neighbours are at least `min_gap_px` apart (on a log axis 0.9 and
/// 1 are much closer than 1 and 2), with at least two ticks when the range allows.
pub(super) fn log_ticks(lo: f64, hi: f64, axis_px: f64, min_gap_px: f64) -> Vec<f64> {
    let px_per_decade = axis_px / (hi / lo).log10();
    let ticks = |steps: &[f64]| -> Vec<f64> {
        let (first, last) = (lo.log10().floor() as i32, hi.log10().ceil() as i32);
        (first..=last)
            .flat_map(|e| steps.iter().map(move |s| s * 10f64.powi(e)))
            // Rounded so that 0.1 is labelled "0.1", not 0.10000000000000002.
            .map(|v| format_loss(v).parse::<f64>().unwrap_or(v))
            .filter(|v| (lo..=hi).contains(v))
            .collect()
    };
    let fits = |t: &Vec<f64>| {
        t.windows(2)
            .all(|w| (w[1] / w[0]).log10() * px_per_decade >= min_gap_px)
    };
    let candidates = [
        ticks(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]),
        ticks(&[1.0, 2.0, 5.0]),
        ticks(&[1.0, 3.0]),
        ticks(&[1.0]),
    ];
    candidates
        .iter()
        .find(|t| t.len() >= 2 && fits(t))
        .or(candidates.iter().rev().find(|t| t.len() >= 2))
        .unwrap_or(&candidates[0])
        .clone()
}

/// 0.0001, 0.001 … 1, 10 … without trailing zeros or exponents: students read decimals.
pub(super) fn format_loss(v: f64) -> String {
    if v >= 1.0 {
        format!("{v:.0}")
    } else {
        let digits = (-v.log10()).ceil().max(1.0) as usize;
        format!("{v:.digits$}")
    }
}
