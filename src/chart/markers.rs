//! Markers: a dashed vertical line at an epoch, and its label laid out on its own row.

use super::{Chart, DrawResult, Surface};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A vertical line at an epoch with a short label (best epoch, plateau start, …). Labels of
/// several markers go on separate rows, in the order given.
#[derive(Clone, Debug)]
pub struct Marker {
    pub epoch: usize,
    pub label: String,
    pub color: RGBColor,
}

pub(super) fn draw_markers<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
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
