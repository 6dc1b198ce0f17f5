//! The diagnosis panel and the experiments on it, which must equal the engine's.

use crate::harness::*;
use plateau::diagnose::diagnose;
use plateau::playground::{Playground, PREPARE_ROWS_PER_SLICE};
use plateau::Config;

#[test]
fn the_panel_is_the_engine_diagnosis_and_its_markers_sit_at_its_epochs() {
    let mut p = playground();
    assert!(p.apply_hash("#samples=100&hidden=64&epochs=30").is_empty());
    train_to_the_end(&mut p);
    let panel = p.panel().unwrap();
    let (config, _) = Config::from_query(&p.to_hash());
    let (mut run, prepared) = config.start().unwrap();
    let status = run.finish();
    let expected = diagnose(&config, &prepared, run.history(), status);
    assert_eq!(panel.diagnosis, expected);
    let at = |chart: &str, label: &str| {
        panel
            .markers
            .iter()
            .find(|m| m.chart == chart && m.label == label)
            .map(|m| m.epoch)
    };
    assert_eq!(at("accuracy", "best val acc"), expected.best_epoch());
    assert_eq!(at("accuracy", "plateau"), expected.plateau.start_epoch());
    assert_eq!(at("loss", "plateau"), expected.plateau.start_epoch());
    assert_eq!(
        at("loss", "best val loss"),
        expected.plateau.counted_loss_epoch
    );
    assert_eq!(panel.plateau, expected.plateau.sentence(expected.epochs));
}

#[test]
fn the_experiments_train_after_the_run_in_slices_and_equal_the_engines() {
    let mut p = playground();
    assert!(p.apply_hash("#samples=100&hidden=64&epochs=30").is_empty());
    assert_eq!(p.experiments().state, "waiting");
    train_to_the_end(&mut p);
    assert_eq!(
        p.experiments().state,
        "waiting",
        "the run on the chart comes first"
    );
    let mut slices = 0;
    while p.working() {
        p.step_for(1.0, 0);
        slices += 1;
    }
    let experiments = p.experiments();
    assert_eq!(experiments.state, "done", "{}", experiments.text);
    assert!(slices > 10, "spread over many slices: {slices}");

    let (diagnosis, expected) = engine_experiments(&p);
    assert!(expected.len() >= 3, "{expected:?}");
    // Every fix, and the placebo (not a fix).
    assert_eq!(experiments.fixes + 1, expected.len());
    assert_eq!(diagnosis.experiments, expected);
    let panel = p.panel().unwrap();
    assert_eq!(panel.answer.answer, diagnosis.answer());
    assert_eq!(panel.answer, diagnosis.answer_summary());
    // Every experiment's row, then the rules' causes no experiment tests (a noisy validation
    // set is a caveat, with no fix of its own).
    assert!(panel.table.len() >= expected.len());
    assert!(panel.table[expected.len()..]
        .iter()
        .all(|r| r.experiment.is_none() && r.status == "untested"));

    // Any change starts it over; so does choosing another run of a comparison.
    p.set("lr", "0.01").unwrap();
    assert_eq!(p.experiments().state, "waiting");
    p.preset("scaling").unwrap();
    work_to_the_end(&mut p);
    assert_eq!(p.experiments().state, "done");
    p.focus(1).unwrap();
    assert_eq!(p.experiments().state, "waiting");
    assert!(p.focus(2).is_err());
}

#[test]
fn early_stopping_is_marked_on_both_charts_where_training_stopped() {
    let mut p = playground();
    let notices = p.apply_hash("#preset=overfit&early-stopping=3&epochs=200");
    assert!(notices.is_empty(), "{notices:?}");
    train_to_the_end(&mut p);
    let stopped = match p.figures()[0].status {
        plateau::Status::EarlyStopped { epoch } => epoch,
        other => panic!("expected an early stop, got {other:?}"),
    };
    assert!(stopped < 200);
    let panel = p.panel().unwrap();
    let at: Vec<(&str, usize)> = panel
        .markers
        .iter()
        .filter(|m| m.label == "early stop")
        .map(|m| (m.chart, m.epoch))
        .collect();
    assert_eq!(at, [("loss", stopped), ("accuracy", stopped)]);
    // It stopped 3 epochs (its patience) past the best validation loss the chart marks, and
    // the status line and the screen reader's summary name that epoch as the one restored.
    let best = panel
        .markers
        .iter()
        .find(|m| m.chart == "loss" && m.label == "best val loss")
        .map(|m| m.epoch)
        .unwrap();
    assert_eq!(stopped, best + 3);
    let words = format!(
        "stopped early after epoch {stopped}, 3 epochs past its best validation loss at epoch \
         {best} (weights restored)"
    );
    assert_eq!(p.status().text, words);
    assert!(plateau::export::text_summary(&p).contains(&words));
}

/// Starting the experiments prepares each fixed config's data that differs (here: the unscaled
/// run's fix standardizes, and more data has more rows): each such slice does only that, one
/// dataset each, and the training starts after, so preparing data never shares a slice with
/// training.
#[test]
fn the_experiments_prepare_their_data_in_slices_of_their_own() {
    let clock = FakeClock::ticking(1.0);
    let mut p = Playground::new(clock.boxed()).unwrap();
    assert!(p.apply_hash("#preset=unscaled&epochs=40").is_empty());
    train_to_the_end(&mut p);
    let top = p.diagnosis().unwrap();
    let fix = &top.top().unwrap().fix;
    assert!(fix.iter().any(|(k, _)| k == "standardize"), "{fix:?}");
    let mut preparing = 0;
    while p.experiments().state == "waiting" {
        let before = clock.readings.get();
        p.step_for(10.0, 0);
        if p.experiments().state == "waiting" {
            assert_eq!(
                clock.readings.get() - before,
                1,
                "a preparing slice takes no step"
            );
            preparing += 1;
        }
        assert!(
            preparing <= 2,
            "one slice per dataset: standardized, more rows"
        );
    }
    assert_eq!(
        preparing, 2,
        "both datasets prepared in slices of their own"
    );
    assert_eq!(p.experiments().state, "running");
}

/// The experiments prepare a fix's data in bounded slices: on 10,000 unscaled rows the fix
/// (standardize) needs a new 10,000-row dataset, about ten budgets of work; no slice does more
/// than `PREPARE_ROWS_PER_SLICE` rows of it, a slice that prepares trains nothing, and the
/// experiments on the data prepared that way equal the engine's on `Config::prepare`'s.
#[test]
fn the_experiments_prepare_a_large_dataset_a_bounded_slice_at_a_time() {
    let clock = FakeClock::ticking(1.0);
    let mut p = Playground::new(clock.boxed()).unwrap();
    let hash = "#samples=10000&distort=true&distortion=10000&standardize=false&epochs=3\
                &hidden=8&batch-size=512";
    assert!(p.apply_hash(hash).is_empty());
    train_to_the_end(&mut p);
    let diagnosis = p.diagnosis().unwrap();
    let top = diagnosis.top().unwrap();
    assert!(
        top.fix
            .iter()
            .any(|(k, v)| k == "standardize" && v == "true"),
        "{:?}",
        top.fix
    );
    let mut per_slice = Vec::new();
    while p.experiments().state == "waiting" {
        let (rows, readings) = (p.rows_prepared(), clock.readings.get());
        p.step_for(10.0, 0);
        let rows = p.rows_prepared() - rows;
        assert!(
            rows <= PREPARE_ROWS_PER_SLICE,
            "slice {}: {rows} rows prepared",
            per_slice.len()
        );
        if p.experiments().state == "waiting" {
            assert_eq!(
                clock.readings.get() - readings,
                1,
                "a preparing slice trains nothing"
            );
        }
        per_slice.push(rows);
        assert!(per_slice.len() < 1000, "the preparation ends");
    }
    let total: usize = per_slice.iter().sum();
    println!("rows prepared per slice: {per_slice:?} ({total} in all)");
    assert!(
        total > 5 * PREPARE_ROWS_PER_SLICE,
        "the 10,000 standardized rows took several slices: {per_slice:?}"
    );
    let preparing: Vec<usize> = per_slice.iter().copied().filter(|&r| r > 0).collect();
    assert!(
        preparing[..preparing.len() - 1]
            .iter()
            .all(|&r| r == PREPARE_ROWS_PER_SLICE),
        "until the data is ready each slice uses its whole budget: {per_slice:?}"
    );
    assert_eq!(p.experiments().state, "running");
    work_to_the_end(&mut p);
    assert_eq!(p.experiments().state, "done", "{}", p.experiments().text);
    let (diagnosis, expected) = engine_experiments(&p);
    assert_eq!(diagnosis.experiments, expected);
}

/// A change in the middle of the experiments' preparation drops it; the next experiments prepare their
/// own data and still equals the engine's.
#[test]
fn a_change_during_the_experiments_preparation_starts_it_over_cleanly() {
    let mut p = playground();
    let hash = "#samples=4000&distort=true&distortion=10000&standardize=false&epochs=2\
                &hidden=8&batch-size=512";
    assert!(p.apply_hash(hash).is_empty());
    train_to_the_end(&mut p);
    p.step_for(10.0, 0);
    assert_eq!(
        p.experiments().state,
        "waiting",
        "part way through preparing"
    );
    p.set("lr", "0.01").unwrap();
    work_to_the_end(&mut p);
    assert_eq!(p.experiments().state, "done", "{}", p.experiments().text);
    let (diagnosis, expected) = engine_experiments(&p);
    assert_eq!(diagnosis.experiments, expected);
}

/// Stopped experiments keep what they measured, each fix with its seeds, and a fix never
/// measured says it was not run.
#[test]
fn stopped_experiments_keep_what_they_measured() {
    let mut p = playground();
    assert!(p.apply_hash("#samples=100&hidden=64&epochs=30").is_empty());
    while p
        .panel()
        .unwrap()
        .table
        .iter()
        .all(|r| r.status != "measuring")
    {
        p.step_for(50.0, 0);
    }
    // Some measured, some not: stop once the first fix has a seed and another has none.
    while !p.panel().unwrap().table.iter().any(|r| {
        r.experiment
            .as_ref()
            .is_some_and(|e| e.seeds > 0 && !e.complete)
    }) {
        p.step_for(5.0, 0);
    }
    let before = p.panel().unwrap().table;
    p.stop();
    assert!(!p.working());
    let text = p.experiments().text;
    assert!(
        text.starts_with("You stopped the experiments at "),
        "{text}"
    );
    let after = p.panel().unwrap().table;
    let mut kept = 0;
    for row in &after {
        let Some(e) = &row.experiment else { continue };
        let was = before
            .iter()
            .find(|r| r.cause == row.cause)
            .and_then(|r| r.experiment.as_ref())
            .unwrap();
        assert_eq!(e.seeds, was.seeds, "{:?} keeps its seeds", row.cause);
        match (e.complete, e.seeds) {
            (true, _) => {}
            (false, 0) => {
                assert_eq!(row.status, "not_run");
                assert_eq!(row.effect, None);
            }
            (false, n) => {
                kept += 1;
                assert_eq!(row.status, "stopped");
                let effect = row.effect.as_deref().unwrap();
                let seeds = if n == 1 {
                    "1 seed".to_string()
                } else {
                    format!("{n} seeds")
                };
                assert!(effect.contains(&format!("{seeds}, stopped)")), "{effect}");
            }
        }
    }
    assert!(kept > 0);
    assert!(after
        .iter()
        .all(|r| r.status != "queued" && r.status != "measuring"));
}

/// What the instruments show is evidence beside the causes, marked on Inside the network where
/// it began: a rate of 0.3 on a 64,64 ReLU network takes steps far larger than its weights in
/// epoch 1, and most of its second layer dies within a few epochs.
#[test]
fn the_instruments_findings_are_cited_and_marked_at_their_epoch() {
    use plateau::diagnose::FindingKind;
    let mut p = playground();
    assert!(p
        .apply_hash("#preset=overfit&lr=0.3&hidden=64,64&epochs=10")
        .is_empty());
    train_to_the_end(&mut p);
    let panel = p.panel().unwrap();
    let inside = &panel.diagnosis.inside;
    let large = inside
        .iter()
        .find(|f| f.kind == FindingKind::LargeSteps)
        .unwrap();
    assert_eq!(large.epoch, 1);
    assert_eq!(
        large.value,
        p.instruments()[0][large.layer - 1].update_ratio
    );
    let dead = inside
        .iter()
        .find(|f| f.kind == FindingKind::DeadUnits)
        .unwrap();
    assert_eq!(dead.layer, 2);
    assert!(p.instruments()[dead.epoch - 1][1].dead_share >= 0.5);
    assert!(
        p.instruments()[dead.epoch - 2][1].dead_share < 0.5,
        "its first epoch"
    );
    // Each is marked on Inside the network at its epoch.
    use plotters::prelude::{IntoDrawingArea, SVGBackend};
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 300)).into_drawing_area();
        let gauge = plateau::chart::Gauge::DeadShare;
        p.draw_inside(&area, gauge, plateau::chart::Surface::estimated(1.0))
            .unwrap();
        area.present().unwrap();
    }
    for f in inside {
        assert!(svg.contains(f.label), "{f:?} is marked");
    }
    assert!(
        panel.markers.iter().all(|m| m.label != dead.label),
        "not on the loss chart, which has its own markers"
    );
}
