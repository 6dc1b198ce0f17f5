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
    let confusions = p.chart_confusions();
    let json: serde_json::Value =
        serde_json::from_str(&histories_json(&runs, &settings, &confusions, link)).unwrap();
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
