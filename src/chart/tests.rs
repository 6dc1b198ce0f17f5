use super::axes::{format_loss, log_ticks, loss_range, LOSS_CEILING, LOSS_FLOOR};
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
