use super::axes::{format_loss, log_ticks, LossAxis, LOSS_CEILING, LOSS_FLOOR};
use super::series::SeedSummary;
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
    let LossAxis { lo, hi, .. } = LossAxis::of(&runs);
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

/// Each `<text>` element of `svg` whose content is one of `labels`: (x, y, text).
fn texts_named<'a>(svg: &str, labels: &[&'a str]) -> Vec<(f64, f64, &'a str)> {
    let attr = |tag: &str, name: &str| -> f64 {
        let start = tag.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
        let end = start + tag[start..].find('"').unwrap();
        tag[start..end].parse().unwrap()
    };
    svg.split("<text")
        .skip(1)
        .filter_map(|element| {
            let (tag, rest) = element.split_once('>')?;
            let content = rest.split("</text>").next()?.trim();
            let label = labels.iter().find(|l| **l == content)?;
            Some((attr(tag, "x"), attr(tag, "y"), *label))
        })
        .collect()
}

#[test]
fn marker_labels_stay_above_the_plot_and_apart() {
    let (a, b, c) = (synthetic(100), synthetic(100), synthetic(100));
    let run = |label: &str, color, history| ChartRun {
        label: label.to_string(),
        train_color: color,
        val_color: color,
        histories: vec![history],
        epochs: 100,
        faded: false,
    };
    let runs = [
        run("lr 0.1", PALETTE[0], &a),
        run("lr 0.01", PALETTE[1], &b),
        run("lr 0.001", PALETTE[2], &c),
    ];
    // Markers a few epochs apart, as a comparison's bests and plateaus are, one near the end.
    let labels = [
        "lr 0.001 best val loss",
        "lr 0.001 plateau",
        "lr 0.01 best val loss",
        "late",
    ];
    let markers: Vec<Marker> = [46, 50, 53, 95]
        .into_iter()
        .zip(labels)
        .map(|(epoch, label)| Marker {
            epoch,
            label: label.into(),
            color: INK,
        })
        .collect();
    for metric in [Metric::Loss, Metric::Accuracy] {
        for (width, height) in [(640, 360), (390, 190)] {
            let mut svg = String::new();
            let plot = {
                let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
                draw(&root, metric, &runs, &markers, Surface::estimated(1.0)).unwrap()
            };
            let found = texts_named(&svg, &labels);
            assert_eq!(found.len(), labels.len(), "{metric:?}: every label drawn");
            let size = 12.0;
            let boxes: Vec<(f64, f64, f64, f64)> = found
                .iter()
                .map(|&(x, y, text)| {
                    let w = 0.55 * size * text.chars().count() as f64;
                    (x, y, x + w, y + size)
                })
                .collect();
            for (&(x0, y0, x1, y1), (_, _, text)) in boxes.iter().zip(&found) {
                assert!(
                    y1 <= f64::from(plot.y),
                    "{metric:?} {width}×{height}: '{text}' (y {y0}–{y1}) is over the plot, \
                     which starts at y {}",
                    plot.y
                );
                assert!(
                    x0 >= 0.0 && x1 <= f64::from(width),
                    "'{text}' inside the chart"
                );
            }
            for (i, p) in boxes.iter().enumerate() {
                for (q, other) in boxes[i + 1..].iter().zip(&found[i + 1..]) {
                    let apart = p.2 <= q.0 || q.2 <= p.0 || p.3 <= q.1 || q.3 <= p.1;
                    assert!(apart, "'{}' and '{}' overlap", found[i].2, other.2);
                }
            }
            // Nothing is filled over the curves: no box in the plot larger than a run's
            // square shape.
            for rect in svg.split("<rect").skip(1) {
                let tag = rect.split('>').next().unwrap();
                if tag.contains("fill=\"none\"") || tag.contains("opacity=\"0\"") {
                    continue;
                }
                let y = texts_attr(tag, "y");
                let (w, h) = (texts_attr(tag, "width"), texts_attr(tag, "height"));
                let inside = y + h > f64::from(plot.y) + 1.0
                    && h < f64::from(plot.height)
                    && w.max(h) > 10.0;
                assert!(!inside, "a filled box over the plot: {tag}");
            }
        }
    }
}

fn texts_attr(tag: &str, name: &str) -> f64 {
    tag.find(&format!(" {name}=\""))
        .map(|i| {
            let start = i + name.len() + 3;
            let end = start + tag[start..].find('"').unwrap();
            tag[start..end].parse().unwrap()
        })
        .unwrap_or(0.0)
}

#[test]
fn runs_of_a_comparison_carry_their_own_shapes_even_on_one_curve() {
    // Three runs with the same history: their lines coincide, their shapes do not.
    let h = synthetic(80);
    let run = |label: &str, color| ChartRun {
        label: label.to_string(),
        train_color: color,
        val_color: color,
        histories: vec![&h],
        epochs: 80,
        faded: false,
    };
    let fill = |c: RGBColor| format!("fill=\"#{:02X}{:02X}{:02X}\"", c.0, c.1, c.2);
    let runs = [
        run("a", PALETTE[0]),
        run("b", PALETTE[1]),
        run("c", PALETTE[2]),
    ];
    let svg = render(Metric::Loss, &runs, &[]);
    let shapes = |tag: &str, c: RGBColor| {
        svg.split(tag)
            .skip(1)
            .filter(|e| e.split('>').next().unwrap().contains(&fill(c)))
            .count()
    };
    // A circle, a triangle, a square: more of each than the newest epoch's dots.
    assert!(shapes("<circle", PALETTE[0]) > 4, "{svg}");
    assert!(shapes("<polygon", PALETTE[1]) > 4);
    assert!(shapes("<rect", PALETTE[2]) > 4);
    assert_eq!(
        shapes("<circle", PALETTE[1]) + shapes("<circle", PALETTE[2]),
        4
    );
    // One run alone has only its newest epoch's two dots.
    let one = render(Metric::Loss, &runs[..1], &[]);
    assert_eq!(one.matches("<circle").count(), 2);
}

/// A loss below the axis's floor is drawn along it, and the floor's label says "≤0.0001", so
/// a memorised training set's falling loss does not read as a plateau there; a chart whose
/// losses all fit has no such label.
#[test]
fn the_loss_axis_says_where_it_clamps() {
    let inside = synthetic(60);
    let mut memorised = synthetic(60);
    for (e, v) in memorised.loss.iter_mut().enumerate() {
        *v = 0.7 * 10f64.powf(-(e as f64) / 8.0); // to 1e-8 by epoch 60
    }
    let mut diverged = synthetic(60);
    diverged.val_loss[50] = 1e9;
    let chart = |h: &History| {
        let runs = [ChartRun {
            label: String::new(),
            histories: vec![h],
            train_color: BLUE,
            val_color: VERMILLION,
            faded: false,
            epochs: 60,
        }];
        render(Metric::Loss, &runs, &[])
    };
    let (fits, below, above) = (chart(&inside), chart(&memorised), chart(&diverged));
    assert!(!fits.contains('≤') && !fits.contains('≥'), "{fits}");
    assert!(
        below.contains(&format!("≤{}", format_loss(LOSS_FLOOR))),
        "{below}"
    );
    assert!(
        above.contains(&format!("≥{}", format_loss(LOSS_CEILING))),
        "{above}"
    );
}
