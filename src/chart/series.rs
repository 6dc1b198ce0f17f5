//! The curves: each run's training and validation series, a run of several seeds as their
//! mean with a min–max band, and gaps where a value is not finite.

use super::{Chart, ChartRun, DrawResult, Metric};
use crate::train::History;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The shapes that tell the runs of a comparison apart, in the runs' order.
pub(super) const SHAPES: usize = 4;

/// Shape `index` (of [`SHAPES`], repeating) centred on `at` (pixels in `area`), filled with
/// `color`.
pub(super) fn draw_shape<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    index: usize,
    at: (i32, i32),
    color: RGBColor,
    scale: f64,
) -> DrawResult<DB> {
    let style = color.filled();
    let r = (3.0 * scale).round().max(2.0) as i32;
    match index % SHAPES {
        0 => area.draw(&Circle::new(at, r, style)),
        1 => area.draw(&TriangleMarker::new(at, r + r / 2, style)),
        2 => area.draw(&(EmptyElement::at(at) + Rectangle::new([(-r, -r), (r, r)], style))),
        _ => area.draw(
            &(EmptyElement::at(at)
                + Polygon::new(
                    vec![(0, -r - 1), (r + 1, 0), (0, r + 1), (-r - 1, 0)],
                    style,
                )),
        ),
    }
}

pub(super) fn draw_runs<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut Chart<DB, Y>,
    metric: Metric,
    runs: &[ChartRun],
    clamp: impl Fn(f64) -> f64,
    scale: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * scale).round().max(1.0) as u32;
    // Faded runs first, so the current ones are drawn on top; bands below every line.
    let ordered = || {
        runs.iter()
            .filter(|r| r.faded)
            .chain(runs.iter().filter(|r| !r.faded))
    };
    for run in ordered().filter(|r| !r.faded && r.histories.len() > 1) {
        let (train, val) = SeedSummary::of(metric, &run.histories);
        for (summary, color) in [(train, run.train_color), (val, run.val_color)] {
            for band in summary.bands(&clamp) {
                chart.draw_series(std::iter::once(Polygon::new(
                    band,
                    color.mix(0.18).filled(),
                )))?;
            }
        }
    }
    let current: Vec<&ChartRun> = runs.iter().filter(|r| !r.faded).collect();
    let x_max = runs.iter().map(|r| r.epochs).max().unwrap_or(1).max(2);
    for run in ordered() {
        let (train, val) = SeedSummary::of(metric, &run.histories);
        let (train, val) = (&train.mean[..], &val.mean[..]);
        let (alpha, width) = if run.faded { (0.3, 1.5) } else { (1.0, 2.0) };
        let train_style = run.train_color.mix(alpha).stroke_width(px(width));
        let val_style = run.val_color.mix(alpha).stroke_width(px(width));
        for segment in finite_segments(train, &clamp) {
            chart.draw_series(LineSeries::new(segment, train_style))?;
        }
        for segment in finite_segments(val, &clamp) {
            chart.draw_series(DashedLineSeries::new(
                segment,
                px(6.0) as i32,
                px(4.0) as i32,
                val_style,
            ))?;
        }
        // In a comparison each run's curves carry its own shape every few epochs, staggered
        // between runs: curves that lie on top of each other (or colours a reader cannot tell
        // apart, on a small screen) still show which run is which.
        let shape = current.iter().position(|r| std::ptr::eq(*r, run));
        if let Some(shape) = shape.filter(|_| current.len() > 1) {
            let every = (x_max / 8).max(2);
            let first = 1 + every * shape / current.len();
            let plot = chart.plotting_area().strip_coord_spec();
            let base = plot.get_base_pixel();
            for (values, color) in [(train, run.train_color), (val, run.val_color)] {
                for (i, &v) in values.iter().enumerate().skip(first - 1).step_by(every) {
                    if v.is_finite() {
                        let (x, y) = chart.backend_coord(&((i + 1) as u32, clamp(v)));
                        draw_shape(&plot, shape, (x - base.0, y - base.1), color, scale)?;
                    }
                }
            }
        }
        // A dot on the newest epoch shows where a growing curve is, and makes a
        // one-epoch history visible at all.
        if !run.faded {
            for (values, color) in [(train, run.train_color), (val, run.val_color)] {
                if let Some((i, &v)) = values.iter().enumerate().next_back() {
                    if v.is_finite() {
                        let dot = Circle::new(((i + 1) as u32, clamp(v)), px(3.0), color.filled());
                        chart.draw_series(std::iter::once(dot))?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// One series (say validation accuracy) of a run over its seeds, per epoch: the mean, minimum
/// and maximum of the seeds' finite values at that epoch (NaN where there is none). One seed
/// is its own mean, unchanged.
pub(super) struct SeedSummary {
    pub(super) mean: Vec<f64>,
    pub(super) min: Vec<f64>,
    pub(super) max: Vec<f64>,
}

impl SeedSummary {
    /// (training, validation) of `metric` over `histories`.
    fn of(metric: Metric, histories: &[&History]) -> (SeedSummary, SeedSummary) {
        let (train, val): (Vec<&[f64]>, Vec<&[f64]>) =
            histories.iter().map(|h| metric.series(h)).unzip();
        (SeedSummary::over(&train), SeedSummary::over(&val))
    }

    pub(super) fn over(seeds: &[&[f64]]) -> SeedSummary {
        let epochs = seeds.iter().map(|s| s.len()).max().unwrap_or(0);
        let mut summary = SeedSummary {
            mean: Vec::with_capacity(epochs),
            min: Vec::with_capacity(epochs),
            max: Vec::with_capacity(epochs),
        };
        for i in 0..epochs {
            let values = seeds
                .iter()
                .filter_map(|s| s.get(i).copied())
                .filter(|v| v.is_finite());
            let (mut n, mut sum, mut min, mut max) = (0, 0.0, f64::INFINITY, f64::NEG_INFINITY);
            for v in values {
                (n, sum, min, max) = (n + 1, sum + v, min.min(v), max.max(v));
            }
            let mean = if n == 0 { f64::NAN } else { sum / n as f64 };
            summary.mean.push(mean);
            summary.min.push(if n == 0 { f64::NAN } else { min });
            summary.max.push(if n == 0 { f64::NAN } else { max });
        }
        summary
    }

    /// The min–max band as polygons, one per stretch of finite epochs.
    fn bands(&self, clamp: impl Fn(f64) -> f64) -> Vec<Vec<(u32, f64)>> {
        let low = finite_segments(&self.min, &clamp);
        let high = finite_segments(&self.max, &clamp);
        high.into_iter()
            .zip(low)
            .filter(|(h, _)| h.len() > 1)
            .map(|(high, low)| high.into_iter().chain(low.into_iter().rev()).collect())
            .collect()
    }
}

/// (epoch, value) points, 1-based epochs, split wherever a value is NaN or infinite.
pub(super) fn finite_segments(values: &[f64], clamp: impl Fn(f64) -> f64) -> Vec<Vec<(u32, f64)>> {
    let mut segments = vec![Vec::new()];
    for (i, &v) in values.iter().enumerate() {
        if v.is_finite() {
            segments
                .last_mut()
                .unwrap()
                .push(((i + 1) as u32, clamp(v)));
        } else if !segments.last().unwrap().is_empty() {
            segments.push(Vec::new());
        }
    }
    segments.retain(|s| !s.is_empty());
    segments
}
