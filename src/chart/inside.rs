//! *Inside the network*: one instrument per chart, a line per hidden layer, so a student sees
//! why the loss curve bends: steps too large for the weights, gradients fading as the
//! training rows are memorised, units dying or saturating.

use super::axes::{format_loss, log_ticks};
use super::legend::{draw_legend, layout_legend, line_items};
use super::markers::draw_marker_lines;
use super::series::finite_segments;
use super::{
    draw_mesh, plot_rect, titled, Chart, DrawResult, Marker, PlotRect, Surface, BLUE, GREEN, INK,
    VERMILLION,
};
use crate::train::LayerInstruments;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Which instrument the chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gauge {
    UpdateRatio,
    GradNorm,
    WeightNorm,
    DeadShare,
    SaturatedShare,
}

impl Gauge {
    /// Every gauge, by the name the page and the hash use for it.
    pub const ALL: [(&'static str, Gauge); 5] = [
        ("update", Gauge::UpdateRatio),
        ("gradient", Gauge::GradNorm),
        ("weights", Gauge::WeightNorm),
        ("dead", Gauge::DeadShare),
        ("saturated", Gauge::SaturatedShare),
    ];

    pub fn named(name: &str) -> Option<Gauge> {
        Gauge::ALL.iter().find(|(n, _)| *n == name).map(|(_, g)| *g)
    }

    fn title(self) -> &'static str {
        match self {
            Gauge::UpdateRatio => "Step size: each batch's update ÷ the layer's weights",
            Gauge::GradNorm => "Gradient size per layer",
            Gauge::WeightNorm => "Weight size per layer",
            Gauge::DeadShare => "Dead ReLU units (0 on every training row)",
            Gauge::SaturatedShare => "Saturated units (at their limits, slope ≈ 0)",
        }
    }

    fn axis(self) -> &'static str {
        match self {
            Gauge::UpdateRatio => "update ÷ weights (log)",
            Gauge::GradNorm => "gradient norm (log)",
            Gauge::WeightNorm => "weight norm (log)",
            Gauge::DeadShare | Gauge::SaturatedShare => "share of the layer's units",
        }
    }

    fn value(self, l: &LayerInstruments) -> f64 {
        match self {
            Gauge::UpdateRatio => l.update_ratio,
            Gauge::GradNorm => l.grad_norm,
            Gauge::WeightNorm => l.weight_norm,
            Gauge::DeadShare => l.dead_share,
            Gauge::SaturatedShare => l.saturated_share,
        }
    }

    fn is_share(self) -> bool {
        matches!(self, Gauge::DeadShare | Gauge::SaturatedShare)
    }
}

/// A layer's colour: the first three of the palette, in order (at most three hidden layers).
const LAYER_COLORS: [RGBColor; 3] = [BLUE, VERMILLION, GREEN];

/// The per-layer series of `gauge`, epochs in order; a non-positive value on a log axis is a
/// gap (a layer with no gradient at all).
fn series(gauge: Gauge, epochs: &[Vec<LayerInstruments>], layer: usize) -> Vec<f64> {
    epochs
        .iter()
        .map(|e| {
            let v = e.get(layer).map_or(f64::NAN, |l| gauge.value(l));
            if gauge.is_share() || v > 0.0 {
                v
            } else {
                f64::NAN
            }
        })
        .collect()
}

/// A log tick: decimals from 0.001 up (as the loss axis), powers of ten as `1e-5` below,
/// where a row of zeros would crowd the axis.
fn format_tick(v: f64) -> String {
    if v >= 1e-3 {
        format_loss(v)
    } else {
        format!("{v:.0e}")
    }
}

/// The usual pace of a step, for the step-size chart: a dashed reference line.
const USUAL_STEP: f64 = 1e-3;

/// The log axis's range over every positive value, padded, at least a factor of 10.
fn log_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite() && *v > 0.0) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo > hi {
        return (1e-4, 1.0);
    }
    let lo = lo / 1.5;
    (lo, (hi * 1.5).max(lo * 10.0))
}

/// Each marker's label inside the plot, at the top beside its line, one row down for each
/// marker before it (two findings are often a few epochs apart).
fn draw_marker_texts<DB: DrawingBackend, Y: Ranged<ValueType = f64>>(
    chart: &Chart<DB, Y>,
    markers: &[Marker],
    top: f64,
    scale: f64,
) -> DrawResult<DB> {
    let area = chart.plotting_area();
    let (left, upper) = area.get_base_pixel();
    let pixels = area.strip_coord_spec();
    for (row, m) in markers.iter().enumerate() {
        let style = TextStyle::from(("sans-serif", 11.0 * scale).into_font())
            .color(&m.color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let (x, y) = chart.backend_coord(&(m.epoch as u32, top));
        let at = (
            x - left + (3.0 * scale) as i32,
            y - upper + (2.0 * scale + row as f64 * 14.0 * scale) as i32,
        );
        pixels.draw_text(&m.label, &style, at)?;
    }
    Ok(())
}

/// Draws `gauge` for a run's `epochs` of instruments (`units`: each hidden layer's width) on
/// an x axis of `planned` epochs, with `markers` (what the diagnosis found in them, at its
/// epoch), filling `root`; returns where the plot went.
pub fn draw_inside<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    gauge: Gauge,
    epochs: &[Vec<LayerInstruments>],
    units: &[usize],
    planned: usize,
    markers: &[Marker],
    surface: Surface,
) -> DrawResult<DB, PlotRect> {
    let scale = surface.scale;
    let px = |v: f64| (v * scale).round().max(1.0) as u32;
    let font = |size: f64| ("sans-serif", size * scale);
    let root = titled(root, gauge.title(), scale)?;

    let lines: Vec<(String, RGBColor)> = units
        .iter()
        .zip(LAYER_COLORS)
        .enumerate()
        .map(|(i, (u, c))| (format!("layer {} ({u} units)", i + 1), c))
        .collect();
    let legend = line_items(&lines);
    let layout = layout_legend(&root, &legend, surface);
    let (legend_area, plot_area) = root.split_vertically(layout.height);
    draw_legend(&legend_area, &legend, &layout.positions, scale)?;

    let x_max = planned.max(epochs.len()).max(2) as u32;
    let (plot_w, plot_h) = plot_area.dim_in_pixel();
    let x_labels = ((plot_w as f64 / scale / 55.0) as usize).clamp(2, 10);
    let mut builder = ChartBuilder::on(&plot_area);
    builder
        .margin_right(px(14.0))
        .margin_top(px(6.0))
        .x_label_area_size(px(36.0))
        .y_label_area_size(px(62.0));
    let per_layer: Vec<Vec<f64>> = (0..units.len().min(LAYER_COLORS.len()))
        .map(|l| series(gauge, epochs, l))
        .collect();
    let style = |l: usize| LAYER_COLORS[l].stroke_width(px(2.0));
    if gauge.is_share() {
        let mut chart = builder.build_cartesian_2d(1..x_max, 0.0..1.0)?;
        let format = |y: &f64| format!("{:.0}%", y * 100.0);
        draw_mesh(
            &mut chart,
            (x_labels, Some(6)),
            gauge.axis(),
            &format,
            scale,
        )?;
        draw_marker_lines(&mut chart, markers, (0.0, 1.0), scale)?;
        draw_marker_texts(&chart, markers, 1.0, scale)?;
        for (l, values) in per_layer.iter().enumerate() {
            for segment in finite_segments(values, |v| v.clamp(0.0, 1.0)) {
                chart.draw_series(LineSeries::new(segment, style(l)))?;
            }
        }
        Ok(plot_rect(&chart))
    } else {
        let (lo, hi) = log_range(per_layer.iter().flatten().copied());
        let axis_px = plot_h as f64 - f64::from(px(42.0));
        let ticks = log_ticks(lo, hi, axis_px, 20.0 * scale);
        let y = (lo..hi).log_scale().with_key_points(ticks);
        let mut chart = builder.build_cartesian_2d(1..x_max, y)?;
        let format = |y: &f64| format_tick(*y);
        draw_mesh(&mut chart, (x_labels, None), gauge.axis(), &format, scale)?;
        if gauge == Gauge::UpdateRatio && (lo..hi).contains(&USUAL_STEP) {
            let line = [(1, USUAL_STEP), (x_max, USUAL_STEP)];
            chart.draw_series(DashedLineSeries::new(
                line,
                px(5.0) as i32,
                px(4.0) as i32,
                INK.mix(0.45).stroke_width(px(1.0)),
            ))?;
            let ink = INK.mix(0.7);
            let label = TextStyle::from(font(11.0).into_font())
                .color(&ink)
                .pos(Pos::new(HPos::Right, VPos::Bottom));
            chart.draw_series(std::iter::once(Text::new(
                "the usual pace, 0.001",
                (x_max, USUAL_STEP),
                label,
            )))?;
        }
        draw_marker_lines(&mut chart, markers, (lo, hi), scale)?;
        draw_marker_texts(&chart, markers, hi, scale)?;
        for (l, values) in per_layer.iter().enumerate() {
            for segment in finite_segments(values, |v| v.clamp(lo, hi)) {
                chart.draw_series(LineSeries::new(segment, style(l)))?;
            }
        }
        Ok(plot_rect(&chart))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::SVGBackend;

    fn epochs(n: usize) -> Vec<Vec<LayerInstruments>> {
        (1..=n)
            .map(|e| {
                let e = e as f64;
                vec![
                    LayerInstruments {
                        grad_norm: 1.0 / e,
                        weight_norm: 5.0 + e,
                        update_ratio: 1e-2 / e,
                        dead_share: 0.0,
                        saturated_share: 0.0,
                    },
                    LayerInstruments {
                        grad_norm: 0.0,
                        weight_norm: 9.0,
                        update_ratio: 1e-3,
                        dead_share: (e / n as f64).min(1.0),
                        saturated_share: 0.0,
                    },
                ]
            })
            .collect()
    }

    /// Every gauge draws a line per layer, named with its width; a layer whose gradient is
    /// exactly 0 leaves a gap on the log axis rather than failing.
    #[test]
    fn small_ticks_are_powers_of_ten() {
        assert_eq!(format_tick(0.01), "0.01");
        assert_eq!(format_tick(0.001), "0.001");
        assert_eq!(format_tick(0.00001), "1e-5");
        assert_eq!(format_tick(2e-7), "2e-7");
    }

    #[test]
    fn every_gauge_draws_each_layer() {
        let marker = [Marker {
            epoch: 3,
            label: "units died".into(),
            color: INK,
        }];
        for (name, gauge) in Gauge::ALL {
            assert_eq!(Gauge::named(name), Some(gauge));
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (640, 280)).into_drawing_area();
                let rect = draw_inside(
                    &root,
                    gauge,
                    &epochs(12),
                    &[64, 32],
                    20,
                    &marker,
                    Surface::estimated(1.0),
                )
                .unwrap();
                assert!(rect.width > 300 && rect.height > 100, "{name}: {rect:?}");
                root.present().unwrap();
            }
            assert!(svg.contains("layer 1 (64 units)") && svg.contains("layer 2 (32 units)"));
            assert!(svg.contains("units died"), "{name}: the marker's label");
            let blue = svg.matches("stroke=\"#0072B2\"").count();
            let vermillion = svg.matches("stroke=\"#D55E00\"").count();
            assert!(
                blue >= 2,
                "{name}: the first layer's line and its legend sample"
            );
            let layer_2_drawn = gauge != Gauge::GradNorm;
            assert_eq!(vermillion >= 2, layer_2_drawn, "{name}");
        }
        assert_eq!(Gauge::named("loss"), None);
    }
}
