//! The loss and accuracy curves, drawn with plotters on any `DrawingBackend`: the page's
//! canvas in the browser, SVG natively (tests, course slides).
//!
//! Conventions, so a chart reads the same everywhere: epochs on x; training solid, validation
//! dashed; a faded run is the one before the student's last change; a run trained with several
//! seeds is drawn as their mean with a shaded min–max band; colours come from the Okabe–Ito
//! palette, which stays distinguishable with the common colour-vision deficiencies.

mod axes;
mod backend;
mod inside;
mod legend;
mod lr_find;
mod markers;
mod series;

pub use backend::{BackendError, ChartBackend};
pub use inside::{draw_inside, Gauge};
pub use lr_find::{draw_lr_find, format_rate};
pub use markers::Marker;

use crate::train::History;
use axes::{log_ticks, LossAxis};
use legend::{draw_legend, layout_legend, legend_items};
use markers::{draw_marker_labels, draw_marker_lines, layout_labels};
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use series::draw_runs;

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

impl<'a> ChartRun<'a> {
    /// One run alone on the chart, as the page draws a single experiment: training blue,
    /// validation vermillion, no legend label.
    pub fn single(history: &'a History, epochs: usize) -> Self {
        ChartRun {
            label: String::new(),
            train_color: BLUE,
            val_color: VERMILLION,
            histories: vec![history],
            epochs,
            faded: false,
        }
    }
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
/// Charts narrower than this (CSS pixels: a phone's) drop their title.
const COMPACT_WIDTH: f64 = 480.0;

/// The plot: the rectangle inside the axes where the curves are, in the surface's pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PlotRect {
    pub x: i32,
    pub y: i32,
    pub width: i32,
    pub height: i32,
    /// The x axis's last epoch (its first is 1): with the rectangle, it turns a pointer's x
    /// into an epoch.
    pub last_epoch: u32,
}

/// Draws `metric` for `runs` (faded runs behind) with `markers`, filling `root`; returns
/// where the plot went.
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    metric: Metric,
    runs: &[ChartRun],
    markers: &[Marker],
    surface: Surface,
) -> DrawResult<DB, PlotRect> {
    let scale = surface.scale;
    let px = |v: f64| (v * scale).round().max(1.0) as u32;
    let font = |size: f64| ("sans-serif", size * scale);
    root.fill(&WHITE)?;

    let title = TextStyle::from(font(TITLE_FONT).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    let width = root.dim_in_pixel().0 as i32;
    // A phone's chart leaves its height to the curves: the y axis already names the metric.
    let compact = f64::from(width) / scale < COMPACT_WIDTH;
    let root = if compact {
        root.clone()
    } else {
        root.draw_text(metric.title(), &title, (width / 2, px(4.0) as i32))?;
        root.split_vertically(px(TITLE_FONT + 8.0)).1
    };
    let x_label_area = if compact { 32.0 } else { 38.0 };

    let legend = legend_items(runs);
    let layout = layout_legend(&root, &legend, surface);
    let (legend_area, plot_area) = root.split_vertically(layout.height);
    draw_legend(&legend_area, &legend, &layout.positions, scale)?;

    // Epochs are whole numbers; an integer axis gets integer ticks however few epochs there are.
    let x_max = runs.iter().map(|r| r.epochs).max().unwrap_or(1).max(2) as u32;
    let builder = |area| {
        let mut builder = ChartBuilder::on(area);
        builder
            .margin_right(px(14.0))
            .margin_top(px(6.0))
            .x_label_area_size(px(x_label_area))
            .y_label_area_size(px(54.0));
        builder
    };
    // The markers' labels go in a band above the plot, never over the curves. Their places
    // depend only on the x axis, which the band's height does not change.
    let labels = {
        let probe = builder(&plot_area).build_cartesian_2d(1..x_max, 0.0..1.0)?;
        let left = plot_area.get_base_pixel().0;
        let x_of = |epoch: usize| probe.backend_coord(&(epoch as u32, 0.0)).0 - left;
        let width = plot_area.dim_in_pixel().0 as i32;
        layout_labels(markers, x_of, width, surface)
    };
    let (band, plot_area) = plot_area.split_vertically(labels.height(scale));
    draw_marker_labels(&band, markers, &labels, scale)?;
    // As many labels as fit without crowding: a phone's chart gets fewer.
    let (plot_w, plot_h) = plot_area.dim_in_pixel();
    let x_labels = ((plot_w as f64 / scale / 55.0) as usize).clamp(2, 10);
    let y_labels = ((plot_h as f64 / scale / 22.0) as usize).clamp(3, 11);
    let mut builder = builder(&plot_area);
    let rect = match metric {
        Metric::Loss => {
            let axis = LossAxis::of(runs);
            let (lo, hi) = (axis.lo, axis.hi);
            // The y axis is the plot area less the x labels and the top margin.
            let axis_px = plot_h as f64 - f64::from(px(x_label_area + 6.0));
            let ticks = log_ticks(lo, hi, axis_px, 20.0 * scale);
            let y = (lo..hi).log_scale().with_key_points(ticks);
            let mut chart = builder.build_cartesian_2d(1..x_max, y)?;
            let format = |y: &f64| axis.label(*y);
            draw_mesh(&mut chart, (x_labels, None), metric.axis(), &format, scale)?;
            let clamp = |v: f64| v.clamp(lo, hi);
            draw_runs(&mut chart, metric, runs, clamp, scale)?;
            draw_marker_lines(&mut chart, markers, (lo, hi), scale)?;
            plot_rect(&chart)
        }
        Metric::Accuracy => {
            let mut chart = builder.build_cartesian_2d(1..x_max, 0.0..1.0)?;
            let format = |y: &f64| format!("{y:.1}");
            draw_mesh(
                &mut chart,
                (x_labels, Some(y_labels)),
                metric.axis(),
                &format,
                scale,
            )?;
            draw_runs(&mut chart, metric, runs, |v| v.clamp(0.0, 1.0), scale)?;
            draw_marker_lines(&mut chart, markers, (0.0, 1.0), scale)?;
            plot_rect(&chart)
        }
    };
    // No `present` here: a caller drawing several charts on one surface (an SVG file writes
    // itself only once) presents when all are drawn.
    Ok(rect)
}

/// A white surface with `title` centred at its top; returns the area under the title. (The
/// instruments' and the finder's charts: the loss and accuracy charts drop theirs on phones.)
fn titled<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    scale: f64,
) -> DrawResult<DB, DrawingArea<DB, Shift>> {
    let px = |v: f64| (v * scale).round().max(1.0) as i32;
    root.fill(&WHITE)?;
    let width = root.dim_in_pixel().0 as i32;
    let style = TextStyle::from(("sans-serif", 14.0 * scale).into_font())
        .color(&INK)
        .pos(Pos::new(HPos::Center, VPos::Top));
    root.draw_text(title, &style, (width / 2, px(4.0)))?;
    Ok(root.split_vertically(px(23.0)).1)
}

/// The axes, their labels and the grid every chart shares: epochs on x, `y_desc` on y;
/// `labels` is how many x labels, and y labels unless the axis chooses (a log axis's key
/// points).
fn draw_mesh<DB: DrawingBackend, Y: Ranged<ValueType = f64> + ValueFormatter<f64>>(
    chart: &mut Chart<DB, Y>,
    labels: (usize, Option<usize>),
    y_desc: &str,
    y_format: &dyn Fn(&f64) -> String,
    scale: f64,
) -> DrawResult<DB> {
    let font = |size: f64| ("sans-serif", size * scale);
    let mut mesh = chart.configure_mesh();
    mesh.x_labels(labels.0)
        .x_desc("epoch")
        .y_desc(y_desc)
        .y_label_formatter(y_format)
        .axis_desc_style(font(13.0))
        .label_style(font(12.0))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID);
    if let Some(y_labels) = labels.1 {
        mesh.y_labels(y_labels);
    }
    mesh.draw()
}

fn plot_rect<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(chart: &Chart<DB, Y>) -> PlotRect {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    PlotRect {
        x: xs.start,
        y: ys.start,
        width: xs.end - xs.start,
        height: ys.end - ys.start,
        last_epoch: chart.x_range().end,
    }
}

type Chart<'a, DB, Y> =
    ChartContext<'a, DB, Cartesian2d<plotters::coord::types::RangedCoordu32, Y>>;

#[cfg(test)]
mod tests;
