//! What the page exports and says of its charts.

use crate::harness::*;

#[test]
fn exports_hold_every_visible_run_and_the_svg_is_the_chart() {
    use plateau::chart::Metric;
    use plateau::export::{chart_svg, histories_csv, histories_json};
    let mut p = playground();
    small(&mut p);
    train_to_the_end(&mut p);
    p.set("lr", "0.01").unwrap();
    train_to_the_end(&mut p);
    let runs = p.chart_runs();
    assert_eq!(runs.len(), 2, "the faded run and the current one");
    let settings = p.chart_settings();
    assert_eq!(settings.len(), runs.len(), "one run's settings each");
    assert!(settings[0].contains("lr=0.001") && settings[1].contains("lr=0.01"));
    let link = "https://example.org/#lr=0.01";
    let csv = histories_csv(&runs, &settings, link);
    assert_eq!(csv.lines().count(), 1 + 3 + 3);
    assert!(csv.contains("\"before: lr=0.001\",true,0,3,"), "{csv}");
    let last = csv.lines().last().unwrap();
    assert!(
        last.ends_with(&format!("\"{}\",\"{link}\"", settings[1])),
        "{last}"
    );
    let extras = p.chart_extras();
    let json: serde_json::Value =
        serde_json::from_str(&histories_json(&runs, &settings, &extras, link)).unwrap();
    // The current run's instruments, per epoch and hidden layer; none for the faded run.
    assert_eq!(json[0]["instruments"], serde_json::json!([]));
    // (Both sides read back from text: serde_json's float reading may differ in the last bit
    // from the value written.)
    let written = serde_json::to_string(p.instruments()).unwrap();
    let instruments: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(json[1]["instruments"], instruments);
    assert_eq!(json[1]["instruments"].as_array().unwrap().len(), 3);
    // The current run's matrix, the one the panel shows; none for the faded run.
    assert!(json[0]["confusion"].is_null());
    assert_eq!(
        json[1]["confusion"],
        serde_json::to_value(p.confusion().unwrap()).unwrap()
    );
    assert_eq!(json[0]["settings"], settings[0].as_str());
    assert_eq!(json[1]["link"], link);
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(
        json[1]["histories"][0]["val_loss"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let svg = chart_svg(&p, Metric::Accuracy, (800, 400)).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("Accuracy") && svg.contains("polyline"));
    let error = chart_svg(&p, Metric::Loss, (10, 10)).unwrap_err();
    assert!(error.contains("allowed 200 to 4000"), "{error}");
}

#[test]
fn the_text_summary_says_what_the_charts_show() {
    let mut p = playground();
    assert!(p.apply_hash("#preset=overfit").is_empty());
    train_to_the_end(&mut p);
    let summary = plateau::export::text_summary(&p);
    let f = &p.figures()[0];
    let val = format!("validation loss {:.3}", f.val_loss.unwrap());
    assert!(
        summary.starts_with("The run: epoch 100 of 100, finished."),
        "{summary}"
    );
    assert!(summary.contains(&val), "{summary}");
    let top = p.diagnosis().unwrap().top().unwrap().explanation.clone();
    assert!(
        summary.ends_with(&format!("Likely cause: {top}")),
        "{summary}"
    );
}

/// The readout at an epoch holds every run on the chart (the faded one too) with exactly the
/// chart's figures, a band's mean and range over its seeds, and the focused run's layers.
#[test]
fn the_readout_at_an_epoch_is_what_the_chart_draws_there() {
    let mut p = playground();
    small(&mut p);
    train_to_the_end(&mut p);
    p.set("lr", "0.01").unwrap();
    p.set_seeds(3).unwrap();
    train_to_the_end(&mut p);
    let runs = p.chart_runs();
    let r = p.readout(2);
    assert_eq!(r.epoch, 2);
    assert_eq!(r.runs.len(), runs.len());
    let (faded, current) = (&r.runs[0], &r.runs[1]);
    assert!(faded.faded && !current.faded);
    assert_eq!((faded.seeds, current.seeds), (1, 3));
    assert_eq!(
        faded.val_loss.as_ref().unwrap().mean,
        runs[0].histories[0].val_loss[1]
    );
    let seeds: Vec<f64> = runs[1]
        .histories
        .iter()
        .map(|h| h.val_accuracy[1])
        .collect();
    let band = current.val_accuracy.as_ref().unwrap();
    assert_eq!(band.mean, seeds.iter().sum::<f64>() / 3.0);
    assert_eq!(
        band.min,
        seeds.iter().copied().fold(f64::INFINITY, f64::min)
    );
    assert_eq!(
        band.max,
        seeds.iter().copied().fold(f64::NEG_INFINITY, f64::max)
    );
    assert_eq!(r.layers, p.instruments()[1]);
    assert_eq!(r.units.len(), r.layers.len());
    // Past the runs' end, nothing to read.
    let beyond = p.readout(1000);
    assert!(beyond.runs.iter().all(|r| r.loss.is_none()) && beyond.layers.is_empty());
}

/// The page's finder is the CLI's range test on the focused run's settings and data: the same
/// curve and suggestion. It belongs to those settings: a new rate keeps it current (the rate
/// is what it chooses), any other change does not.
#[test]
fn the_learning_rate_finder_is_the_range_test_on_the_focused_run() {
    let mut p = playground();
    assert!(p.apply_hash("#preset=unscaled").is_empty());
    assert!(p.lr_find_view().is_none());
    p.start_lr_find().unwrap();
    let mut slices = 0;
    while p.step_lr_find(5.0) {
        slices += 1;
        assert!(slices < 1000, "the finder ends");
    }
    let view = p.lr_find_view().unwrap();
    let config = plateau::config::Config::from_query("preset=unscaled").0;
    let prepared = config.prepare().unwrap();
    let found = plateau::train::lr_find(
        &config.train_spec(),
        prepared.train.clone(),
        prepared.val.clone(),
        plateau::train::STEPS,
    )
    .unwrap();
    assert!(!view.running && view.steps_done == found.lrs.len());
    assert_eq!(view.suggested_lr, found.suggested_lr);
    assert!(view.suggested_text.is_some() && view.current);
    p.set("lr", &view.suggested_lr.unwrap().to_string())
        .unwrap();
    assert!(
        p.lr_find_view().unwrap().current,
        "the rate is the finder's to choose"
    );
    p.set("hidden", "8").unwrap();
    assert!(!p.lr_find_view().unwrap().current);
}
