//! The page's state machine, natively: what the page asks of it, the hash it keeps, and the
//! scheduler's decisions under a fake clock (so nothing here depends on how busy the machine
//! is). The browser side (`tests/wasm_web.rs`, the e2e suite) checks the same handle draws.

use plateau::diagnose::{diagnose, Experiments};
use plateau::playground::{Playground, PROOF_SEEDS};
use plateau::Config;
use std::cell::Cell;
use std::rc::Rc;

/// A clock that moves only when the test says so, or by `tick` ms at every reading.
#[derive(Clone)]
struct FakeClock {
    now: Rc<Cell<f64>>,
    tick: f64,
}

impl FakeClock {
    fn ticking(tick: f64) -> FakeClock {
        FakeClock {
            now: Rc::new(Cell::new(0.0)),
            tick,
        }
    }

    fn boxed(&self) -> Box<dyn Fn() -> f64> {
        let clock = self.clone();
        Box::new(move || {
            let t = clock.now.get();
            clock.now.set(t + clock.tick);
            t
        })
    }
}

/// A playground whose clock advances 1 ms per reading: each training step "takes" 1 ms.
fn playground() -> Playground {
    Playground::new(FakeClock::ticking(1.0).boxed()).unwrap()
}

/// A small, quick experiment: 3 epochs on 60 rows.
fn small(p: &mut Playground) {
    let notices = p.apply_hash("#samples=60&epochs=3&hidden=8&batch-size=16");
    assert!(notices.is_empty(), "{notices:?}");
}

fn train_to_the_end(p: &mut Playground) {
    while p.training(0) {
        p.step_for(50.0, 0);
    }
}

/// Trains the runs on the chart and then the experiments, as the page's frames do.
fn work_to_the_end(p: &mut Playground) {
    while p.working() {
        p.step_for(50.0, 0);
    }
}

#[test]
fn a_new_playground_starts_the_default_experiment_untrained() {
    let p = playground();
    let figures = p.figures();
    assert_eq!(figures.len(), 1);
    assert_eq!((figures[0].epoch, figures[0].epochs), (0, 100));
    assert_eq!(figures[0].val_accuracy, None);
    assert_eq!(p.to_hash(), Config::default().to_query());
    assert_eq!(p.state().preset.as_deref(), Some("lr-good"));
}

#[test]
fn step_for_trains_in_slices_and_stops_at_the_requested_epoch() {
    let mut p = playground();
    small(&mut p);
    p.step_for(1e9, 1);
    assert_eq!(p.epoch(), 1, "stops at the requested epoch");
    assert!(!p.training(1) && p.training(0));
    train_to_the_end(&mut p);
    let f = &p.figures()[0];
    assert_eq!(f.epoch, 3);
    assert!(f.loss.unwrap() > 0.0 && (0.0..=1.0).contains(&f.val_accuracy.unwrap()));
    let best = f.best_val_accuracy.unwrap();
    let h = p.histories()[0];
    assert_eq!(h.val_accuracy[f.best_epoch.unwrap() - 1], best);
    assert!(h.val_accuracy.iter().all(|&v| v <= best));
}

#[test]
fn the_page_run_equals_the_engine_run_for_the_same_config() {
    let mut p = playground();
    small(&mut p);
    train_to_the_end(&mut p);
    let (config, _) = Config::from_query(&p.to_hash());
    let (mut run, _) = config.start().unwrap();
    run.finish();
    assert_eq!(
        p.histories()[0],
        run.history(),
        "slicing must not change the numbers"
    );
}

#[test]
fn a_change_that_keeps_the_data_reuses_it_and_still_equals_the_engine_run() {
    let mut p = playground();
    small(&mut p);
    p.set("lr", "0.01").unwrap();
    p.set("hidden", "4,4").unwrap();
    train_to_the_end(&mut p);
    let (config, _) = Config::from_query(&p.to_hash());
    let (mut run, _) = config.start().unwrap();
    run.finish();
    assert_eq!(p.histories()[0], run.history());
}

#[test]
fn a_change_restarts_with_the_same_seed_and_keeps_the_previous_run() {
    let mut p = playground();
    small(&mut p);
    train_to_the_end(&mut p);
    p.set("lr", "0.01").unwrap();
    assert_eq!(p.figures()[0].epoch, 0, "restarted");
    assert_eq!(p.state().settings.seed, Config::default().seed);
    assert!(p.to_hash().contains("lr=0.01"));
}

#[test]
fn comparisons_train_their_runs_together() {
    let mut p = playground();
    p.preset("learning-rate").unwrap();
    assert_eq!(p.to_hash(), "compare=learning-rate");
    let labels: Vec<String> = p.figures().into_iter().map(|f| f.label).collect();
    assert_eq!(labels, ["lr 0.1", "lr 0.0001", "lr 0.001"]);
    p.step_for(1e9, 2);
    assert!(p.figures().iter().all(|f| f.epoch == 2));
    p.set("epochs", "5").unwrap();
    assert_eq!(p.figures().len(), 1, "a change leaves the comparison");
    assert_eq!(p.state().settings.learning_rate, 0.001);
}

#[test]
fn the_hash_round_trips_and_a_garbage_hash_is_listed_not_fatal() {
    let mut p = playground();
    p.set("hidden", "64,0,16").unwrap();
    p.set("distort", "true").unwrap();
    let hash = p.to_hash();
    let mut q = playground();
    assert!(q.apply_hash(&format!("#{hash}")).is_empty());
    assert_eq!(q.state().settings, p.state().settings);

    let notices = q.apply_hash("#lr=abc&<img src=x onerror=alert(1)>=1&compare=zzz&epochs=7");
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices.iter().any(|n| n.starts_with("lr:")));
    assert!(notices.iter().any(|n| n.starts_with("compare:")));
    assert_eq!(q.state().settings.epochs, 7, "good keys still apply");
    assert_eq!(q.figures().len(), 1);

    let notices = q.apply_hash("#compare=scaling&lr=0.1");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(q.figures().len(), 2);
}

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
    assert_eq!(at("accuracy", "plateau"), expected.plateau_epoch());
    assert_eq!(at("loss", "plateau"), expected.plateau_epoch());
    assert_eq!(
        at("loss", "lowest val loss"),
        expected.plateau.val_loss_best_epoch
    );
}

#[test]
fn the_experiments_train_after_the_run_in_slices_and_equal_the_engines() {
    let mut p = playground();
    assert!(p.apply_hash("#samples=100&hidden=64&epochs=30").is_empty());
    assert_eq!(p.proof().state, "waiting");
    train_to_the_end(&mut p);
    assert_eq!(
        p.proof().state,
        "waiting",
        "the run on the chart comes first"
    );
    let mut slices = 0;
    while p.working() {
        p.step_for(1.0, 0);
        slices += 1;
    }
    let proof = p.proof();
    assert_eq!(proof.state, "done", "{}", proof.text);
    assert!(slices > 10, "spread over many slices: {slices}");

    let (config, _) = Config::from_query(&p.to_hash());
    let diagnosis = p.diagnosis().unwrap();
    let expected = Experiments::for_diagnosis(&config, &diagnosis, PROOF_SEEDS)
        .unwrap()
        .run_to_end()
        .unwrap();
    assert!(expected.len() >= 3, "{expected:?}");
    assert_eq!(proof.fixes, expected.len());
    assert_eq!(diagnosis.experiments, expected);
    let panel = p.panel().unwrap();
    assert_eq!(panel.answer, diagnosis.answer());
    assert_eq!(panel.table.len(), expected.len());

    // Any change starts it over; so does choosing another run of a comparison.
    p.set("lr", "0.01").unwrap();
    assert_eq!(p.proof().state, "waiting");
    p.preset("scaling").unwrap();
    work_to_the_end(&mut p);
    assert_eq!(p.proof().state, "done");
    p.focus(1).unwrap();
    assert_eq!(p.proof().state, "waiting");
    assert!(p.focus(2).is_err());
}

#[test]
fn try_it_applies_a_fix_to_the_diagnosed_run() {
    let mut p = playground();
    p.preset("learning-rate").unwrap();
    p.step_for(1e9, 3);
    // The first run of the comparison (lr 0.1) is the diagnosed one.
    p.apply_fix(&[("hidden".into(), "16".into())]).unwrap();
    let settings = p.state().settings;
    assert_eq!((settings.learning_rate, settings.hidden), (0.1, vec![16]));
    assert_eq!(p.figures().len(), 1);
    let before = p.to_hash();
    assert!(p.apply_fix(&[("lr".into(), "7".into())]).is_err());
    assert_eq!(p.to_hash(), before, "a rejected fix changes nothing");
}

#[test]
fn the_multi_seed_mode_keeps_the_first_seed_and_lives_in_the_hash() {
    let mut p = playground();
    small(&mut p);
    train_to_the_end(&mut p);
    let single = p.histories()[0].clone();
    p.set_seeds(3).unwrap();
    assert_eq!(p.histories()[0], &single, "the first seed's run is kept");
    assert!(p.training(0), "the new seeds train");
    train_to_the_end(&mut p);
    assert_eq!(p.histories()[0], &single);
    let hash = p.to_hash();
    assert!(hash.ends_with("&seeds=3"), "{hash}");

    let mut q = playground();
    assert!(q.apply_hash(&hash).is_empty());
    assert_eq!(q.state().seeds, 3);
    assert_eq!(q.to_hash(), hash);
    assert!(q.apply_hash("#compare=scaling&seeds=5").is_empty());
    assert_eq!(q.to_hash(), "compare=scaling&seeds=5");

    let error = p.set_seeds(4).unwrap_err();
    assert_eq!(error.to_string(), "seeds: '4' is not one of 1, 3, 5");
    let notices = q.apply_hash("#seeds=two&epochs=3");
    assert_eq!(
        notices,
        ["seeds: 'two' is not one of 1, 3, 5; the default is used"]
    );
    assert_eq!(q.state().seeds, 1);
    assert!(!q.to_hash().contains("seeds"));
}

/// The scheduler's promise, on a fake clock: a slice starts no step it expects to overrun the
/// budget, so it ends within the budget plus one step, and every slice makes progress.
#[test]
fn a_slice_stops_once_its_budget_is_spent_and_always_advances() {
    for (tick, budget) in [
        (0.5, 10.0),
        (1.0, 10.0),
        (1.0, 3.0),
        (7.0, 10.0),
        (40.0, 10.0),
    ] {
        let clock = FakeClock::ticking(tick);
        let mut p = Playground::new(clock.boxed()).unwrap();
        small(&mut p);
        // A step reads the clock twice (start, end): on this clock it "takes" `tick` ms.
        let step_ms = tick;
        let mut slices = 0;
        while p.working() {
            let before = clock.now.get();
            p.step_for(budget, 0);
            let spent = clock.now.get() - before;
            assert!(
                spent <= budget + step_ms + 3.0 * tick,
                "tick {tick}, budget {budget}: a slice spent {spent} ms"
            );
            slices += 1;
            assert!(slices < 10_000, "tick {tick}: no progress");
        }
        assert_eq!(p.proof().state, "done");
    }
}

/// Slices of a fixed budget give the same numbers as one long call: the clock decides only
/// when to stop, never what is computed.
#[test]
fn the_clock_changes_when_work_happens_never_the_numbers() {
    let mut results = Vec::new();
    for tick in [0.1, 5.0, 100.0] {
        let mut p = Playground::new(FakeClock::ticking(tick).boxed()).unwrap();
        small(&mut p);
        work_to_the_end(&mut p);
        results.push((p.histories()[0].clone(), p.diagnosis().unwrap().experiments));
    }
    assert!(results.windows(2).all(|w| w[0] == w[1]));
}
