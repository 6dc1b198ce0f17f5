//! Markers: a dashed vertical line at an epoch in the plot, and its label in a band above the
//! plot, so that no label ever covers a curve.

use super::{Chart, DrawResult, Surface};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A vertical line at an epoch with a short label (best epoch, plateau start, …).
#[derive(Clone, Debug)]
pub struct Marker {
    pub epoch: usize,
    pub label: String,
    pub color: RGBColor,
}

/// Where each label goes in the band above the plot: its left edge (from the band's left),
/// its width and its row, row 0 nearest the plot. Labels that would touch go on another row.
pub(super) struct LabelLayout {
    /// (marker's x, label's left x, label's width, row), in the markers' order.
    pub(super) placed: Vec<(i32, i32, i32, usize)>,
    pub(super) rows: usize,
}

impl LabelLayout {
    /// The band's height in pixels: nothing without markers.
    pub(super) fn height(&self, scale: f64) -> u32 {
        if self.rows == 0 {
            0
        } else {
            (MARKER_ROW * self.rows as f64 * scale + 2.0 * scale).round() as u32
        }
    }
}

/// Lays out `markers`' labels: each starts just right of its line (or ends just left of it in
/// the right third, so it stays inside the chart), on the lowest row where it touches no other.
/// `x_of` gives a marker's line from the chart's left; `width` is the chart's.
pub(super) fn layout_labels(
    markers: &[Marker],
    x_of: impl Fn(usize) -> i32,
    width: i32,
    surface: Surface,
) -> LabelLayout {
    let scale = surface.scale;
    let px = |v: f64| (v * scale).round().max(1.0) as i32;
    let size = MARKER_FONT * scale;
    let mut rows: Vec<Vec<(i32, i32)>> = Vec::new();
    let mut placed = Vec::new();
    for m in markers {
        let x = x_of(m.epoch);
        let text_width = (surface.text_width)(&m.label, size).ceil() as i32;
        let x0 = if (x as f64) < width as f64 * 0.67 {
            x + px(4.0)
        } else {
            x - px(4.0) - text_width
        };
        let x0 = x0.clamp(0, (width - text_width).max(0));
        let (a, b) = (x0 - px(6.0), x0 + text_width + px(6.0));
        let row = rows
            .iter()
            .position(|taken| taken.iter().all(|&(l, r)| b <= l || a >= r))
            .unwrap_or(rows.len());
        if row == rows.len() {
            rows.push(Vec::new());
        }
        rows[row].push((a, b));
        placed.push((x, x0, text_width, row));
    }
    LabelLayout {
        rows: rows.len(),
        placed,
    }
}

/// The dashed lines, inside the plot.
pub(super) fn draw_marker_lines<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &mut Chart<DB, Y>,
    markers: &[Marker],
    (lo, hi): (f64, f64),
    scale: f64,
) -> DrawResult<DB> {
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
    Ok(())
}

/// The labels in `band`, the strip above the plot, each with a short tick at its line's x so
/// that it reads as that line's label.
pub(super) fn draw_marker_labels<DB: DrawingBackend>(
    band: &DrawingArea<DB, Shift>,
    markers: &[Marker],
    layout: &LabelLayout,
    scale: f64,
) -> DrawResult<DB> {
    let px = |v: f64| (v * scale).round().max(1.0) as i32;
    let bottom = band.dim_in_pixel().1 as i32;
    let size = MARKER_FONT * scale;
    for (m, &(x, x0, _, row)) in markers.iter().zip(&layout.placed) {
        // Row 0 sits on the plot's top edge, later rows above it.
        let y1 = bottom - px(1.0) - px(MARKER_ROW) * row as i32;
        let y0 = y1 - px(MARKER_ROW) + px(2.0);
        band.draw(&PathElement::new(
            [(x, y0), (x, y1)],
            m.color.stroke_width(px(1.5) as u32),
        ))?;
        let style = TextStyle::from(("sans-serif", size).into_font())
            .color(&m.color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        band.draw_text(&m.label, &style, (x0, y0))?;
    }
    Ok(())
}

/// Marker labels: their size, and the rows between them.
const MARKER_FONT: f64 = 12.0;
const MARKER_ROW: f64 = 16.0;
