//! The loss and accuracy curves, drawn with plotters on any `DrawingBackend`: the page's
//! canvas in the browser, SVG natively (tests, course slides).
//!
//! Conventions, so a chart reads the same everywhere: epochs on x; training solid, validation
//! dashed; a faded run is the one before the student's last change; a run trained with several
//! seeds is drawn as their mean with a shaded min–max band; colours come from the Okabe–Ito
//! palette, which stays distinguishable with the common colour-vision deficiencies.

mod backend;
pub use backend::{BackendError, ChartBackend};

use crate::diagnose::Diagnosis;
use crate::train::{History, Status};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Okabe–Ito colours.
pub const BLUE: RGBColor = RGBColor(0, 114, 178);
pub const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub const GREEN: RGBColor = RGBColor(0, 158, 115);
pub const PURPLE: RGBColor = RGBColor(204, 121, 167);
pub const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub const SKY: RGBColor = RGBColor(86, 180, 233);
pub const INK: RGBColor = RGBColor(40, 40, 40);
const GRID: RGBColor = RGBColor(225, 225, 225);

/// One colour per run when several runs share a chart (a comparison).
pub const PALETTE: [RGBColor; 6] = [VERMILLION, BLUE, GREEN, PURPLE, ORANGE, SKY];

/// Lowest loss the log axis shows; a memorised training set drives the loss towards 0.
const LOSS_FLOOR: f64 = 1e-4;
/// Highest loss the log axis shows; a diverging run is clamped here rather than flattening
/// every other curve.
const LOSS_CEILING: f64 = 1e4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Loss,
    Accuracy,
}

impl Metric {
    fn title(self) -> &'static str {
        match self {
            Metric::Loss => "Loss",
            Metric::Accuracy => "Accuracy",
        }
    }
    fn axis(self) -> &'static str {
        match self {
            Metric::Loss => "loss (log scale)",
            Metric::Accuracy => "accuracy",
        }
    }
    /// (training, validation) series of `h`.
    fn series(self, h: &History) -> (&[f64], &[f64]) {
        match self {
            Metric::Loss => (&h.loss, &h.val_loss),
            Metric::Accuracy => (&h.accuracy, &h.val_accuracy),
        }
    }
}

/// One run on the chart.
#[derive(Clone, Debug)]
pub struct ChartRun<'a> {
    /// Shown in the legend; empty for the one current run of a single experiment, whose
    /// legend entries are just "training" and "validation".
    pub label: String,
    pub train_color: RGBColor,
    pub val_color: RGBColor,
    /// One history per training seed (at least one). Several are drawn as their mean, with
    /// a band from their minimum to their maximum unless the run is faded.
    pub histories: Vec<&'a History>,
    /// Planned epochs: the x axis spans them from the start so the curves grow into it.
    pub epochs: usize,
    /// The run before the last change: thin and pale, behind the current runs.
    pub faded: bool,
}

/// A vertical line at an epoch with a short label (best epoch, plateau start, …). Labels of
/// several markers go on separate rows, in the order given.
#[derive(Clone, Debug)]
pub struct Marker {
    pub epoch: usize,
    pub label: String,
    pub color: RGBColor,
}

/// The diagnosis's epochs as chart markers: on the accuracy chart the best validation
/// accuracy, on the loss chart the best validation loss as the plateau counts it (both in
/// `best_color`), on both the plateau's start. Both bests are at or before the start, as
/// [`crate::diagnose::Plateau::sentence`] says. `prefix` names the run in a comparison.
pub fn diagnosis_markers(
    diagnosis: &Diagnosis,
    prefix: &str,
    best_color: RGBColor,
) -> Vec<(Metric, Marker)> {
    let p = &diagnosis.plateau;
    let marker = |epoch: Option<usize>, label: &str, color| {
        epoch.map(|epoch| Marker {
            epoch,
            label: format!("{prefix}{label}"),
            color,
        })
    };
    // The plateau's start, where the curves go flat; the sentence names the same epochs.
    let plateau = || marker(p.start_epoch(), "plateau", INK);
    let mut markers: Vec<(Metric, Marker)> = [
        (
            Metric::Accuracy,
            marker(p.best_epoch, "best val acc", best_color),
        ),
        (Metric::Accuracy, plateau()),
        (
            Metric::Loss,
            marker(p.counted_loss_epoch, "best val loss", best_color),
        ),
        (Metric::Loss, plateau()),
    ]
    .into_iter()
    .filter_map(|(metric, m)| m.map(|m| (metric, m)))
    .collect();
    // EarlyStopping ended the run here (and restored the weights of the lowest val loss).
    if let Status::EarlyStopped { epoch } = diagnosis.status {
        for metric in [Metric::Loss, Metric::Accuracy] {
            markers.extend(marker(Some(epoch), "early stop", INK).map(|m| (metric, m)));
        }
    }
    markers.sort_by_key(|(_, m)| m.epoch);
    markers
}

type DrawResult<DB, T = ()> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// What the chart needs to know about the surface it is drawn on.
#[derive(Clone, Copy)]
pub struct Surface<'a> {
    /// Device pixels per CSS pixel, so text and lines keep their size on HiDPI screens.
    pub scale: f64,
    /// Width in pixels of `text` in sans-serif at a size of `size` pixels, for the legend.
    /// (plotters' own estimate in the browser forces a page layout per call, which made
    /// every redraw several milliseconds slower; the page measures with a canvas instead.)
    pub text_width: &'a dyn Fn(&str, f64) -> f64,
}

impl Surface<'static> {
    /// For SVG and tests: text widths estimated from the number of characters.
    pub fn estimated(scale: f64) -> Self {
        Surface {
            scale,
            text_width: &|text, size| 0.55 * size * text.chars().count() as f64,
        }
    }
}

const TITLE_FONT: f64 = 15.0;

/// Draws `metric` for `runs` (faded runs behind) with `markers`, filling `root`.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    metric: Metric,
    runs: &[ChartRun],
    markers: &[Marker],
    surface: Surface,
) -> DrawResult<DB> {
    let scale = surface.scale;
    let px = |v: f64| (v * scale).round().max(1.0) as u32;
    let font = |size: f64| ("sans-serif", size * scale);
    root.fill(&WHITE)?;

    let title = TextStyle::from(font(TITLE_FONT).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let width = root.dim_in_pixel().0 as i32;
    root.draw_text(metric.title(), &title, (width / 2, px(4.0) as i32))?;
    let (_, root) = root.split_vertically(px(TITLE_FONT + 8.0));

    let legend = legend_items(runs);
    let layout = layout_legend(&root, &legend, surface);
    let (legend_area, plot_area) = root.split_vertically(layout.height);
    draw_legend(&legend_area, &legend, &layout.positions, scale)?;

    // Epochs are whole numbers; an integer axis gets integer ticks however few epochs there are.
    let x_max = runs.iter().map(|r| r.epochs).max().unwrap_or(1).max(2) as u32;
    // As many labels as fit without crowding: a phone's chart gets fewer.
    let (plot_w, plot_h) = plot_area.dim_in_pixel();
    let x_labels = ((plot_w as f64 / scale / 55.0) as usize).clamp(2, 10);
    let y_labels = ((plot_h as f64 / scale / 22.0) as usize).clamp(3, 11);
    let mut builder = ChartBuilder::on(&plot_area);
    builder
        .margin_right(px(14.0))
        .margin_top(px(6.0))
        .x_label_area_size(px(38.0))
        .y_label_area_size(px(54.0));
    match metric {
        Metric::Loss => {
            let (lo, hi) = loss_range(runs);
            // The y axis is the plot area less the x labels and the top margin.
            let axis_px = plot_h as f64 - f64::from(px(38.0 + 6.0));
            let ticks = log_ticks(lo, hi, axis_px, 20.0 * scale);
            let y = (lo..hi).log_scale().with_key_points(ticks);
            let mut chart = builder.build_cartesian_2d(1..x_max, y)?;
            chart
                .configure_mesh()
                .x_labels(x_labels)
                .x_desc("epoch")
                .y_desc(metric.axis())
                .y_label_formatter(&|y| format_loss(*y))
                .axis_desc_style(font(13.0))
                .label_style(font(12.0))
                .light_line_style(TRANSPARENT)
                .bold_line_style(GRID)
                .draw()?;
            let clamp = |v: f64| v.clamp(lo, hi);
            draw_runs(&mut chart, metric, runs, clamp, scale)?;
            draw_markers(&mut chart, markers, (lo, hi), surface)?;
        }
        Metric::Accuracy => {
            let mut chart = builder.build_cartesian_2d(1..x_max, 0.0..1.0)?;
            chart
                .configure_mesh()
                .x_labels(x_labels)
                .y_labels(y_labels)
                .x_desc("epoch")
                .y_desc(metric.axis())
                .y_label_formatter(&|y| format!("{y:.1}"))
                .axis_desc_style(font(13.0))
                .label_style(font(12.0))
                .light_line_style(TRANSPARENT)
                .bold_line_style(GRID)
                .draw()?;
            draw_runs(&mut chart, metric, runs, |v| v.clamp(0.0, 1.0), scale)?;
            draw_markers(&mut chart, markers, (0.0, 1.0), surface)?;
        }
    }
    // No `present` here: a caller drawing several charts on one surface (an SVG file writes
    // itself only once) presents when all are drawn.
    Ok(())
}

/// The y range of the loss axis: every finite loss shown, within [LOSS_FLOOR, LOSS_CEILING],
/// padded a little so curves do not run along the frame.
fn loss_range(runs: &[ChartRun]) -> (f64, f64) {
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

/// Ticks for a log axis from `lo` to `hi` that is `axis_px` long: the densest of 1–9, 1-2-5,
/// 1-3 and 1 per decade whose neighbours are at least `min_gap_px` apart (on a log axis 0.9 and
/// 1 are much closer than 1 and 2), with at least two ticks when the range allows.
fn log_ticks(lo: f64, hi: f64, axis_px: f64, min_gap_px: f64) -> Vec<f64> {
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
fn format_loss(v: f64) -> String {
    if v >= 1.0 {
        format!("{v:.0}")
    } else {
        let digits = (-v.log10()).ceil().max(1.0) as usize;
        format!("{v:.digits$}")
    }
}

type Chart<'a, DB, Y> =
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordu32, Y>>;

fn draw_runs<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
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
struct SeedSummary {
    mean: Vec<f64>,
    min: Vec<f64>,
    max: Vec<f64>,
}

impl SeedSummary {
    /// (training, validation) of `metric` over `histories`.
    fn of(metric: Metric, histories: &[&History]) -> (SeedSummary, SeedSummary) {
        let (train, val): (Vec<&[f64]>, Vec<&[f64]>) =
            histories.iter().map(|h| metric.series(h)).unzip();
        (SeedSummary::over(&train), SeedSummary::over(&val))
    }

    fn over(seeds: &[&[f64]]) -> SeedSummary {
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
fn finite_segments(values: &[f64], clamp: impl Fn(f64) -> f64) -> Vec<Vec<(u32, f64)>> {
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

fn draw_markers<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut Chart<DB, Y>,
    markers: &[Marker],
    (lo, hi): (f64, f64),
    surface: Surface,
) -> DrawResult<DB> {
    let scale = surface.scale;
    let px = |v: f64| (v * scale).round().max(1.0) as i32;
    for m in markers {
        let x = m.epoch as u32;
        chart.draw_series(DashedLineSeries::new(
            [(x, lo), (x, hi)],
            px(3.0),
            px(3.0),
            m.color.stroke_width(px(1.5) as u32),
        ))?;
    }
    // Labels after every line, each on its own row and on a white box, so that neither the
    // curves nor a neighbouring marker's line run through the text.
    let area = chart.plotting_area().strip_coord_spec();
    let (left, _) = area.get_base_pixel();
    let width = area.dim_in_pixel().0 as f64;
    let size = MARKER_FONT * scale;
    for (row, m) in markers.iter().enumerate() {
        let (x_px, _) = chart.backend_coord(&(m.epoch as u32, hi));
        let x = x_px - left;
        let text_width = (surface.text_width)(&m.label, size).ceil() as i32;
        // Right of the line, or left of it in the right third of the chart.
        let x0 = if (x as f64) < width * 0.67 {
            x + px(4.0)
        } else {
            x - px(4.0) - text_width
        };
        let y0 = px(2.0 + MARKER_ROW * row as f64);
        let pad = px(2.0);
        let corners = [
            (x0 - pad, y0 - pad / 2),
            (x0 + text_width + pad, y0 + px(MARKER_FONT + 2.0)),
        ];
        area.draw(&Rectangle::new(corners, WHITE.mix(0.85).filled()))?;
        let style = TextStyle::from(("sans-serif", size).into_font())
            .color(&m.color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        area.draw_text(&m.label, &style, (x0, y0))?;
    }
    Ok(())
}

/// Marker labels: their size, and the rows between them, so that markers a few epochs
/// apart stay readable.
const MARKER_FONT: f64 = 12.0;
const MARKER_ROW: f64 = 16.0;

/// A legend entry: a line sample (or a shaded one for the seed band) and its text.
struct LegendItem {
    text: String,
    color: RGBColor,
    dashed: bool,
    faded: bool,
    band: bool,
}

/// With one current run the legend tells training from validation; with several it names
/// each run by colour and adds a neutral key for the line styles.
fn legend_items(runs: &[ChartRun]) -> Vec<LegendItem> {
    let item = |text: &str, color, dashed, faded| LegendItem {
        text: text.to_string(),
        color,
        dashed,
        faded,
        band: false,
    };
    let current: Vec<&ChartRun> = runs.iter().filter(|r| !r.faded).collect();
    let mut items = Vec::new();
    match current.as_slice() {
        [one] if one.label.is_empty() => {
            items.push(item("training", one.train_color, false, false));
            items.push(item("validation", one.val_color, true, false));
        }
        many => {
            for r in many {
                items.push(item(&r.label, r.train_color, false, false));
            }
            items.push(item("training", INK, false, false));
            items.push(item("validation", INK, true, false));
        }
    }
    let seeds = current.iter().map(|r| r.histories.len()).max().unwrap_or(1);
    if seeds > 1 {
        items.push(LegendItem {
            band: true,
            ..item(
                &format!("mean of {seeds} seeds, shaded min–max"),
                INK,
                false,
                false,
            )
        });
    }
    for r in runs.iter().filter(|r| r.faded) {
        items.push(item(&r.label, r.train_color, false, true));
    }
    items
}

const LEGEND_SAMPLE: f64 = 22.0;
const LEGEND_GAP: f64 = 6.0;
const LEGEND_SPACING: f64 = 16.0;
const LEGEND_ROW: f64 = 18.0;
const LEGEND_FONT: f64 = 12.0;

/// Where each legend item goes (its top left corner), wrapping into rows that fit the width
/// (phones), and the total height.
struct LegendLayout {
    positions: Vec<(i32, i32)>,
    height: u32,
}

fn layout_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    surface: Surface,
) -> LegendLayout {
    let scale = surface.scale;
    let width = area.dim_in_pixel().0 as f64;
    let left = 10.0 * scale;
    let (mut x, mut y) = (left, 4.0 * scale);
    let mut positions = Vec::new();
    for item in items {
        let text_width = (surface.text_width)(&item.text, LEGEND_FONT * scale);
        let item_width = (LEGEND_SAMPLE + LEGEND_GAP) * scale + text_width;
        if x > left && x + item_width > width - left {
            x = left;
            y += LEGEND_ROW * scale;
        }
        positions.push((x as i32, y as i32));
        x += item_width + LEGEND_SPACING * scale;
    }
    let height = y + LEGEND_ROW * scale + 2.0 * scale;
    LegendLayout {
        positions,
        height: height.round() as u32,
    }
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[LegendItem],
    positions: &[(i32, i32)],
    scale: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * scale).round().max(1.0) as i32;
    for (item, &(x, y)) in items.iter().zip(positions) {
        let mid = y + px(LEGEND_ROW / 2.0);
        let alpha = if item.faded { 0.3 } else { 1.0 };
        let style = item.color.mix(alpha).stroke_width(px(2.0) as u32);
        let sample = [(x, mid), (x + px(LEGEND_SAMPLE), mid)];
        if item.band {
            let half = px(5.0);
            let corners = [(x, mid - half), (x + px(LEGEND_SAMPLE), mid + half)];
            area.draw(&Rectangle::new(corners, item.color.mix(0.18).filled()))?;
            area.draw(&PathElement::new(sample, style))?;
        } else if item.dashed {
            area.draw(&DashedPathElement::new(sample, px(6.0), px(4.0), style))?;
        } else {
            area.draw(&PathElement::new(sample, style))?;
        }
        let ink = INK.mix(if item.faded { 0.6 } else { 1.0 });
        let text = TextStyle::from(("sans-serif", LEGEND_FONT * scale).into_font())
            .color(&ink)
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(&item.text, &text, (x + px(LEGEND_SAMPLE + LEGEND_GAP), mid))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run that learns, then overfits: training keeps improving, validation turns.
    fn synthetic(epochs: usize) -> History {
        let mut h = History::default();
        for e in 0..epochs {
            let t = e as f64 / 10.0;
            h.loss.push(0.7 * (-t).exp() + 0.001);
            h.accuracy.push(1.0 - 0.5 * (-t).exp());
            h.val_loss.push(0.5 + 0.1 * (t - 2.0).powi(2) / 4.0);
            h.val_accuracy.push(0.8 - 0.3 * (-t).exp());
        }
        h
    }

    fn render(metric: Metric, runs: &[ChartRun], markers: &[Marker]) -> String {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (640, 360)).into_drawing_area();
            draw(&root, metric, runs, markers, Surface::estimated(1.0)).unwrap();
        }
        svg
    }

    /// The same chart through `ChartBackend`, as the page's SVG export draws it.
    fn render_through_enum(metric: Metric, runs: &[ChartRun], markers: &[Marker]) -> String {
        let mut svg = String::new();
        {
            let backend = ChartBackend::Svg(SVGBackend::with_string(&mut svg, (640, 360)));
            let root = backend.into_drawing_area();
            draw(&root, metric, runs, markers, Surface::estimated(1.0)).unwrap();
        }
        svg
    }

    #[test]
    fn the_backend_enum_draws_exactly_what_its_backend_draws() {
        let h = synthetic(60);
        let runs = [ChartRun {
            label: "now".into(),
            histories: vec![&h],
            train_color: BLUE,
            val_color: VERMILLION,
            faded: false,
            epochs: 60,
        }];
        for metric in [Metric::Loss, Metric::Accuracy] {
            let direct = render(metric, &runs, &[]);
            assert!(direct.contains("<polyline"), "{direct}");
            assert_eq!(render_through_enum(metric, &runs, &[]), direct);
        }
    }

    #[test]
    fn a_single_run_has_axis_titles_and_a_training_validation_legend() {
        let h = synthetic(40);
        let runs = [ChartRun {
            label: String::new(),
            train_color: BLUE,
            val_color: VERMILLION,
            histories: vec![&h],
            epochs: 100,
            faded: false,
        }];
        for metric in [Metric::Loss, Metric::Accuracy] {
            let svg = render(metric, &runs, &[]);
            for text in [
                "training",
                "validation",
                "epoch",
                metric.axis(),
                metric.title(),
            ] {
                assert!(svg.contains(text), "{metric:?}: no '{text}' in the SVG");
            }
            // Validation is dashed: many short paths, training one long one.
            assert!(svg.matches("<polyline").count() > 10, "{metric:?}");
        }
    }

    #[test]
    fn a_comparison_names_each_run_and_the_faded_one() {
        let (a, b, c) = (synthetic(100), synthetic(60), synthetic(100));
        let run = |label: &str, color, history, faded| ChartRun {
            label: label.to_string(),
            train_color: color,
            val_color: color,
            histories: vec![history],
            epochs: 100,
            faded,
        };
        let runs = [
            run("lr 0.1", PALETTE[0], &a, false),
            run("lr 0.0001", PALETTE[1], &b, false),
            run("before: lr 0.01", PALETTE[2], &c, true),
        ];
        let marker = Marker {
            epoch: 30,
            label: "best".into(),
            color: INK,
        };
        let svg = render(Metric::Loss, &runs, &[marker]);
        for text in ["lr 0.1", "lr 0.0001", "before: lr 0.01", "training", "best"] {
            assert!(svg.contains(text), "no '{text}' in the SVG");
        }
    }

    #[test]
    fn empty_diverged_and_extreme_histories_still_draw() {
        let empty = History::default();
        let mut wild = synthetic(5);
        wild.loss[2] = f64::NAN;
        wild.val_loss[3] = f64::INFINITY;
        wild.loss[4] = 1e30;
        wild.val_loss[4] = 0.0;
        let runs = [
            ChartRun {
                label: "empty".into(),
                train_color: BLUE,
                val_color: BLUE,
                histories: vec![&empty],
                epochs: 1,
                faded: false,
            },
            ChartRun {
                label: "wild".into(),
                train_color: GREEN,
                val_color: GREEN,
                histories: vec![&wild],
                epochs: 5,
                faded: false,
            },
        ];
        for metric in [Metric::Loss, Metric::Accuracy] {
            render(metric, &runs, &[]);
            render(metric, &runs[..1], &[]);
            render(metric, &[], &[]);
        }
        let (lo, hi) = loss_range(&runs);
        assert!((LOSS_FLOOR..=LOSS_CEILING).contains(&lo) && hi <= LOSS_CEILING && lo < hi);
    }

    #[test]
    fn several_seeds_draw_their_mean_and_a_min_max_band() {
        let (a, mut b) = (synthetic(30), synthetic(29));
        for v in &mut b.val_accuracy {
            *v -= 0.1;
        }
        b.val_accuracy[3] = f64::NAN;
        let summary = SeedSummary::over(&[&a.val_accuracy, &b.val_accuracy]);
        assert_eq!(summary.mean.len(), 30);
        assert!((summary.mean[0] - (a.val_accuracy[0] - 0.05)).abs() < 1e-12);
        assert_eq!(
            (summary.min[0], summary.max[0]),
            (b.val_accuracy[0], a.val_accuracy[0])
        );
        // A seed without a finite value, or not there yet, leaves the others.
        assert_eq!(summary.mean[3], a.val_accuracy[3]);
        assert_eq!(summary.mean[29], a.val_accuracy[29]);
        let one = SeedSummary::over(&[&a.loss]);
        assert_eq!(one.mean, a.loss, "one seed is drawn as it is");

        let runs = [ChartRun {
            label: String::new(),
            train_color: BLUE,
            val_color: VERMILLION,
            histories: vec![&a, &b, &a],
            epochs: 30,
            faded: false,
        }];
        let svg = render(Metric::Accuracy, &runs, &[]);
        assert!(
            svg.contains("mean of 3 seeds, shaded min–max"),
            "the legend says what the band is"
        );
        assert!(
            svg.matches("<polygon").count() >= 2,
            "a band for training and validation"
        );
    }

    #[test]
    fn log_ticks_keep_their_labels_apart() {
        assert_eq!(log_ticks(0.4, 2.5, 150.0, 20.0), [0.5, 1.0, 2.0]);
        assert_eq!(log_ticks(0.6, 0.95, 150.0, 20.0), [0.6, 0.7, 0.8, 0.9]);
        assert_eq!(
            log_ticks(0.0001, 5.0, 150.0, 20.0),
            [0.0001, 0.001, 0.01, 0.1, 1.0]
        );
        assert_eq!(
            log_ticks(0.05, 3.0, 300.0, 20.0),
            [0.05, 0.1, 0.2, 0.5, 1.0, 2.0]
        );
    }

    #[test]
    fn loss_labels_are_plain_decimals() {
        assert_eq!(format_loss(0.001), "0.001");
        assert_eq!(format_loss(0.1), "0.1");
        assert_eq!(format_loss(0.5), "0.5");
        assert_eq!(format_loss(2.0), "2");
    }
}
