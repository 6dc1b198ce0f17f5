//! A run made elsewhere on the page: its curves and its diagnosis are the ones `plateau
//! diagnose` reads and makes, the page's runs wait and come back, and a bad history changes
//! nothing.
use super::*;
use crate::chart::Metric;
use crate::playground::Clock;
use std::cell::Cell;

/// Keras's own history of the article's overfit run (`tests/fixtures/gen_keras_history.py`).
const OVERFIT_JSON: &str = include_str!("../../../tests/fixtures/keras/history_overfit.json");
const OVERFIT_CSV: &str = include_str!("../../../tests/fixtures/keras/history_overfit.csv");

fn clock() -> Clock {
    let now = Cell::new(0.0);
    Box::new(move || {
        let t = now.get();
        now.set(t + 1.0);
        t
    })
}

/// The default playground after a few epochs of its own run.
fn playground() -> Playground {
    let mut p = Playground::new(clock()).unwrap();
    assert!(p
        .apply_hash("#samples=60&epochs=6&hidden=8&batch-size=16")
        .is_empty());
    while p.epoch() < 2 {
        p.frame(50.0);
    }
    p
}

#[test]
fn a_pasted_history_is_the_one_run_on_the_charts_with_the_clis_diagnosis() {
    let mut p = playground();
    p.show_history("history.json", OVERFIT_JSON, "", "")
        .unwrap();
    let history = read_history(OVERFIT_JSON).unwrap();
    let runs = p.chart_runs();
    assert_eq!(runs.len(), 1, "the page's runs and its faded run give way");
    assert_eq!(runs[0].label, OUTSIDE_LABEL);
    assert_eq!(*runs[0].histories[0], history);
    assert_eq!(runs[0].epochs, history.epochs());
    assert_eq!(p.histories(), vec![&history]);

    let panel = p.panel().unwrap();
    let expected = diagnose_history(&history, Known::default());
    assert_eq!(panel.diagnosis.to_string(), expected.to_string());
    assert_eq!(panel.runs, vec![OUTSIDE_LABEL.to_string()]);
    assert_eq!(panel.outside.as_ref().unwrap().note, FROM_CURVES_ALONE);
    assert_eq!(
        panel.outside.as_ref().unwrap().unknowns,
        unknowns_text(&Known::default())
    );
    assert!(panel.confusion.is_none() && panel.diagnosis.experiments.is_empty());
    assert!(!expected.causes.is_empty(), "{expected}");
    // Each row is a cause the rules read off the curves, with its line of Keras.
    assert_eq!(panel.table.len(), expected.causes.len());
    for (row, cause) in panel.table.iter().zip(&expected.causes) {
        assert_eq!(row.cause, cause.id);
        assert_eq!(row.keras_fix, cause.keras_fix);
        assert!(row.keras_fix.is_some(), "{:?}", row.cause);
        assert!(row.fix.is_empty(), "no settings here to apply");
        assert_eq!(row.status, "suspected");
    }
    // The markers are its plateau's.
    let markers: Vec<usize> = panel.markers.iter().map(|m| m.epoch).collect();
    let own: Vec<usize> = crate::playground::diagnosis_markers(&expected, "", chart::GREEN)
        .iter()
        .map(|(_, m)| m.epoch)
        .collect();
    assert_eq!(markers, own);

    let figures = p.figures();
    assert_eq!(figures.len(), 1);
    assert_eq!(figures[0].label, OUTSIDE_LABEL);
    assert_eq!(figures[0].epoch, history.epochs());
    assert_eq!(figures[0].val_loss, history.val_loss.last().copied());
    let experiments = p.experiments();
    assert_eq!(
        (experiments.state, experiments.text.as_str()),
        ("unavailable", FROM_CURVES_ALONE)
    );
    let status = p.status();
    assert_eq!(status.state, "outside");
    assert_eq!(status.button, BACK_TO_PLAYGROUND);
    assert!(status.text.contains("history.json"), "{}", status.text);
    assert!(p.state().outside.is_some());
    // What a screen reader hears in place of the charts.
    let summary = crate::export::text_summary(&p);
    let n = history.epochs();
    let head = format!("Your run: epoch {n} of {n}, finished.");
    assert!(summary.starts_with(&head), "{summary}");
    assert!(
        summary.contains(&expected.top().unwrap().explanation),
        "{summary}"
    );
}

#[test]
fn the_csvlogger_file_and_what_is_known_give_what_diagnose_gives() {
    let mut p = playground();
    p.show_history("log.csv", OVERFIT_CSV, "2", "20").unwrap();
    let known = Known {
        classes: Some(2),
        val_samples: Some(20),
    };
    let expected = diagnose_history(&read_history(OVERFIT_CSV).unwrap(), known);
    let panel = p.panel().unwrap();
    assert_eq!(panel.diagnosis.to_string(), expected.to_string());
    assert_eq!(panel.outside.unwrap().unknowns, "");
}

#[test]
fn the_charts_draw_a_history_without_accuracy() {
    let mut p = playground();
    let text = "epoch,loss,val_loss\n0,0.7,0.69\n1,0.6,0.65\n2,0.5,0.66\n";
    p.show_history("losses.csv", text, "", "").unwrap();
    for metric in [Metric::Loss, Metric::Accuracy] {
        let svg = crate::export::chart_svg(&p, metric, (480, 300)).unwrap();
        assert!(svg.contains("<svg"), "{metric:?}");
    }
    assert_eq!(p.figures()[0].accuracy, None);
}

#[test]
fn the_pages_runs_wait_and_come_back_as_they_were() {
    let mut p = playground();
    let before = p.histories()[0].clone();
    let labels: Vec<String> = p.chart_runs().iter().map(|r| r.label.clone()).collect();
    p.show_history("history.json", OVERFIT_JSON, "", "")
        .unwrap();
    assert!(!p.wants_frame());
    for _ in 0..20 {
        assert_eq!(
            p.frame(50.0),
            0,
            "nothing trains while a pasted run is shown"
        );
    }
    assert!(p.close_history());
    assert!(!p.close_history(), "once");
    assert_eq!(*p.histories()[0], before);
    let again: Vec<String> = p.chart_runs().iter().map(|r| r.label.clone()).collect();
    assert_eq!(again, labels);
    assert!(p.panel().unwrap().outside.is_none());
    assert!(p.wants_frame(), "the page's run goes on");

    // The transport's button and Step return to the playground too.
    p.show_history("history.json", OVERFIT_JSON, "", "")
        .unwrap();
    p.press_play().unwrap();
    assert!(p.outside().is_none());
    assert_eq!(*p.histories()[0], before, "Back is not Run again");
    p.show_history("history.json", OVERFIT_JSON, "", "")
        .unwrap();
    p.step_epoch();
    assert!(p.outside().is_none());
}

#[test]
fn a_bad_history_says_the_parsers_words_and_changes_nothing() {
    let mut p = playground();
    p.show_history("history.json", OVERFIT_JSON, "", "")
        .unwrap();
    let shown = p.chart_runs()[0].histories[0].clone();
    let long = format!(
        "loss,val_loss\n{}",
        "0.5,0.6\n".repeat(limits::EPOCHS.1 + 1)
    );
    for (text, expected_kind) in [
        ("", "empty"),
        ("   \n", "empty"),
        ("{'loss': [0.5, 0.4]}", "print(json.dumps(history.history))"),
        ("{\"loss\": [0.5, 0.4]}", "val_loss"),
        ("loss,val_loss\n0.5,0.6\n0.4,abc\n", "'abc' is not a number"),
        (long.as_str(), "epochs"),
    ] {
        let e = p.show_history("bad.txt", text, "", "").unwrap_err();
        let parser = read_history(text).unwrap_err();
        assert_eq!(e.to_string(), format!("bad.txt: {parser}"));
        assert!(e.to_string().contains(expected_kind), "{e}");
        assert_eq!(*p.chart_runs()[0].histories[0], shown, "kept: {e}");
    }
    for (classes, val_rows, field) in [
        ("1", "", "classes"),
        ("x", "", "classes"),
        ("", "0", "validation rows"),
        ("", "-3", "validation rows"),
    ] {
        let e = p
            .show_history("history.json", OVERFIT_JSON, classes, val_rows)
            .unwrap_err();
        assert!(e.to_string().starts_with(field), "{e}");
    }
    assert!(p.outside().is_some(), "the shown run stays");
}

#[test]
fn a_diverged_history_ends_its_curves_where_the_nan_is() {
    let mut p = playground();
    let text = r#"{"loss": [0.7, 0.6, NaN], "val_loss": [0.69, 0.68, NaN]}"#;
    p.show_history("pasted text", text, "", "").unwrap();
    let panel = p.panel().unwrap();
    assert_eq!(
        panel.diagnosis.status,
        crate::train::Status::Diverged { epoch: 3 }
    );
    // As for a diverged run of the page's own: the figure is not a number.
    assert_eq!(p.figures()[0].loss, None);
    assert_eq!(panel.diagnosis.epochs, 2, "the rules read the finite part");
}

#[test]
fn the_fields_read_as_the_clis_flags() {
    assert_eq!(known_from_fields("", " ").unwrap(), Known::default());
    assert_eq!(
        known_from_fields(" 3 ", "200").unwrap(),
        Known {
            classes: Some(3),
            val_samples: Some(200)
        }
    );
    let (lo, hi) = limits::CLASSES;
    assert!(known_from_fields(&lo.to_string(), "").is_ok());
    assert!(known_from_fields(&hi.to_string(), "").is_ok());
    let e = known_from_fields(&(hi + 1).to_string(), "").unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "classes: '{}' is not a whole number from {lo} to {hi} (or empty: two)",
            hi + 1
        )
    );
    assert!(known_from_fields("", "2.5").is_err());
}
