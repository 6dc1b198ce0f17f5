//! The loss axis: its range on a log scale, its ticks and their labels.

use super::{ChartRun, Metric};

/// Lowest loss the log axis shows; a memorised training set drives the loss towards 0.
pub(super) const LOSS_FLOOR: f64 = 1e-4;
/// Highest loss the log axis shows; a diverging run is clamped here rather than flattening
/// every other curve.
pub(super) const LOSS_CEILING: f64 = 1e4;

/// The loss axis's y range, and whether a loss lies past either edge: such a value is drawn
/// along the edge, and the edge's label says so ("≤0.0001"), so that a memorised training
/// set's loss, still falling, does not read as a plateau at the floor.
pub(super) struct LossAxis {
    pub lo: f64,
    pub hi: f64,
    below: bool,
    above: bool,
}

impl LossAxis {
    /// Every finite loss shown, within [LOSS_FLOOR, LOSS_CEILING], padded a little so curves
    /// do not run along the frame.
    pub fn of(runs: &[ChartRun]) -> LossAxis {
        let values = runs.iter().flat_map(|r| &r.histories).flat_map(|h| {
            let (t, v) = Metric::Loss.series(h);
            t.iter().chain(v)
        });
        let (mut least, mut most) = (f64::INFINITY, f64::NEG_INFINITY);
        for &v in values.filter(|v| v.is_finite()) {
            least = least.min(v);
            most = most.max(v);
        }
        if least > most {
            // Nothing trained yet.
            return LossAxis {
                lo: 0.1,
                hi: 1.0,
                below: false,
                above: false,
            };
        }
        let lo = (least / 1.3).clamp(LOSS_FLOOR, LOSS_CEILING / 10.0);
        // At least a factor 2.5, so that a flat curve does not fill the chart with noise.
        let hi = (most * 1.3).clamp(lo * 2.5, LOSS_CEILING);
        LossAxis {
            lo,
            hi,
            below: least < lo,
            above: most > hi,
        }
    }

    /// A tick's label: `format_loss`, with "≤" or "≥" on an edge that values lie past.
    pub fn label(&self, v: f64) -> String {
        let at = |edge: f64| (v / edge - 1.0).abs() < 1e-9;
        if self.below && at(self.lo) {
            format!("≤{}", format_loss(v))
        } else if self.above && at(self.hi) {
            format!("≥{}", format_loss(v))
        } else {
            format_loss(v)
        }
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
