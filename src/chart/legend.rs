//! The legend above the plot: which line is which run, training or validation, and what a
//! shaded band means; wrapped into rows that fit the chart's width.

use super::series::draw_shape;
use super::{ChartRun, DrawResult, Surface, INK};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A legend entry: a line sample (or a shaded one for the seed band) and its text.
pub(super) struct LegendItem {
    text: String,
    color: RGBColor,
    dashed: bool,
    faded: bool,
    band: bool,
    /// The run's shape on its curves, in a comparison.
    shape: Option<usize>,
}

/// With one current run the legend tells training from validation; with several it names
/// each run by colour and adds a neutral key for the line styles.
pub(super) fn legend_items(runs: &[ChartRun]) -> Vec<LegendItem> {
    let item = |text: &str, color, dashed, faded| LegendItem {
        text: text.to_string(),
        color,
        dashed,
        faded,
        band: false,
        shape: None,
    };
    let current: Vec<&ChartRun> = runs.iter().filter(|r| !r.faded).collect();
    let mut items = Vec::new();
    match current.as_slice() {
        [one] if one.label.is_empty() => {
            items.push(item("training", one.train_color, false, false));
            items.push(item("validation", one.val_color, true, false));
        }
        many => {
            for (i, r) in many.iter().enumerate() {
                items.push(LegendItem {
                    shape: (many.len() > 1).then_some(i),
                    ..item(&r.label, r.train_color, false, false)
                });
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

/// Solid lines, one per label: the instruments chart's layers.
pub(super) fn line_items(lines: &[(String, RGBColor)]) -> Vec<LegendItem> {
    lines
        .iter()
        .map(|(text, color)| LegendItem {
            text: text.clone(),
            color: *color,
            dashed: false,
            faded: false,
            band: false,
            shape: None,
        })
        .collect()
}

const LEGEND_SAMPLE: f64 = 22.0;
const LEGEND_GAP: f64 = 6.0;
const LEGEND_SPACING: f64 = 16.0;
const LEGEND_ROW: f64 = 18.0;
const LEGEND_FONT: f64 = 12.0;

/// Where each legend item goes (its top left corner), wrapping into rows that fit the width
/// (phones), and the total height.
pub(super) struct LegendLayout {
    pub(super) positions: Vec<(i32, i32)>,
    pub(super) height: u32,
}

pub(super) fn layout_legend<DB: DrawingBackend>(
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

pub(super) fn draw_legend<DB: DrawingBackend>(
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
        if let Some(shape) = item.shape {
            draw_shape(
                area,
                shape,
                (x + px(LEGEND_SAMPLE / 2.0), mid),
                item.color,
                scale,
            )?;
        }
        let ink = INK.mix(if item.faded { 0.6 } else { 1.0 });
        let text = TextStyle::from(("sans-serif", LEGEND_FONT * scale).into_font())
            .color(&ink)
            .pos(Pos::new(HPos::Left, VPos::Center));
        area.draw_text(&item.text, &text, (x + px(LEGEND_SAMPLE + LEGEND_GAP), mid))?;
    }
    Ok(())
}
