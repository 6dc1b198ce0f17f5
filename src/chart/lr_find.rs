//! The learning-rate finder's curve: the smoothed training loss against the rate on a log
//! axis, with the suggested rate marked.

use super::series::finite_segments;
use super::{titled, DrawResult, PlotRect, Surface, BLUE, GRID, VERMILLION};
use crate::train::{FROM, TO};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A rate as students read it, to two significant digits: 0.0077, 0.01, 1e-5.
pub fn format_rate(v: f64) -> String {
    if v >= 1e-4 {
        let digits = (-v.log10()).ceil().max(0.0) as usize + 1;
        let s = format!("{v:.digits$}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{v:.0e}")
    }
}

/// Draws the curve `losses` against `lrs` and the suggestion, filling `root`.
pub fn draw_lr_find<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    lrs: &[f64],
    losses: &[f64],
    suggested: Option<f64>,
    surface: Surface,
) -> DrawResult<DB, PlotRect> {
    let scale = surface.scale;
    let px = |v: f64| (v * scale).round().max(1.0) as u32;
    let font = |size: f64| ("sans-serif", size * scale);
    let plot_area = titled(
        root,
        "Training loss as the rate grows, batch by batch",
        scale,
    )?;
    let finite = || losses.iter().copied().filter(|v| v.is_finite());
    let lo = finite().fold(f64::INFINITY, f64::min);
    let hi = finite().fold(f64::NEG_INFINITY, f64::max);
    let (lo, hi) = if lo < hi {
        let pad = (hi - lo) * 0.05;
        (lo - pad, hi + pad)
    } else if lo.is_finite() {
        (lo * 0.9, lo * 1.1 + 1e-3)
    } else {
        (0.0, 1.0)
    };
    let (x_lo, x_hi) = (FROM, TO);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin_right(px(16.0))
        .margin_top(px(14.0))
        .x_label_area_size(px(36.0))
        .y_label_area_size(px(54.0))
        .build_cartesian_2d((x_lo..x_hi).log_scale(), lo..hi)?;
    chart
        .configure_mesh()
        .x_desc("learning rate (log scale)")
        .y_desc("smoothed training loss")
        .x_label_formatter(&|v| format_rate(*v))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .axis_desc_style(font(13.0))
        .label_style(font(12.0))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .draw()?;
    let points: Vec<f64> = losses.to_vec();
    for segment in finite_segments(&points, |v| v.clamp(lo, hi)) {
        let line: Vec<(f64, f64)> = segment
            .into_iter()
            .map(|(i, v)| (lrs[i as usize - 1], v))
            .collect();
        chart.draw_series(LineSeries::new(line, BLUE.stroke_width(px(2.0))))?;
    }
    if let Some(lr) = suggested.filter(|lr| (x_lo..=x_hi).contains(lr)) {
        let style = VERMILLION.stroke_width(px(1.5));
        chart.draw_series(DashedLineSeries::new(
            [(lr, lo), (lr, hi)],
            px(5.0) as i32,
            px(4.0) as i32,
            style,
        ))?;
        let label = TextStyle::from(font(12.0).into_font())
            .color(&VERMILLION)
            .pos(Pos::new(HPos::Left, VPos::Top));
        chart.draw_series(std::iter::once(Text::new(
            format!(" suggested {}", format_rate(lr)),
            (lr, hi),
            label,
        )))?;
    }
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    Ok(PlotRect {
        x: xs.start,
        y: ys.start,
        width: xs.end - xs.start,
        height: ys.end - ys.start,
        last_epoch: 0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_as_decimals_then_powers_of_ten() {
        assert_eq!(format_rate(0.0077), "0.0077");
        assert_eq!(format_rate(0.01), "0.01");
        assert_eq!(format_rate(0.1), "0.1");
        assert_eq!(format_rate(1.0), "1");
        assert_eq!(format_rate(0.00031), "0.00031");
        assert_eq!(format_rate(1e-5), "1e-5");
    }

    #[test]
    fn the_curve_and_its_suggestion_are_drawn() {
        let lrs: Vec<f64> = (0..50)
            .map(|i| 1e-6 * 10f64.powf(i as f64 * 6.0 / 49.0))
            .collect();
        let losses: Vec<f64> = lrs
            .iter()
            .map(|lr| 0.7 - 0.3 * (lr * 100.0).min(1.0) + lr)
            .collect();
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (640, 300)).into_drawing_area();
            let rect =
                draw_lr_find(&root, &lrs, &losses, Some(0.003), Surface::estimated(1.0)).unwrap();
            assert!(rect.width > 400 && rect.height > 150, "{rect:?}");
            root.present().unwrap();
        }
        assert!(
            svg.contains("suggested 0.003"),
            "the suggestion is labelled"
        );
        assert!(svg.contains("stroke=\"#0072B2\""), "the curve");
        let mut none = String::new();
        {
            let root = SVGBackend::with_string(&mut none, (640, 300)).into_drawing_area();
            draw_lr_find(&root, &[], &[], None, Surface::estimated(1.0)).unwrap();
        }
        assert!(!none.contains("suggested"));
    }
}
