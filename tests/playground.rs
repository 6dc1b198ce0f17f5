//! The page's state machine, natively: what the page asks of it, the hash it keeps, and the
//! scheduler's decisions under a fake clock (so nothing here depends on how busy the machine
//! is). The browser side (`tests/wasm_web.rs`, the e2e suite) checks the same handle draws.

use plateau::diagnose::{diagnose, Diagnosis, Experiment, Experiments};
use plateau::playground::{Playground, MIN_STEP_MS, PREPARE_ROWS_PER_SLICE, PROOF_SEEDS};
use plateau::Config;
use std::cell::Cell;
use std::rc::Rc;

/// A clock that moves by `tick` ms at every reading; the test may change `tick` as it goes
/// (a busy machine: a neighbour's build makes one step take far longer).
#[derive(Clone)]
struct FakeClock {
    now: Rc<Cell<f64>>,
    tick: Rc<Cell<f64>>,
    readings: Rc<Cell<usize>>,
}

impl FakeClock {
    fn ticking(tick: f64) -> FakeClock {
        FakeClock {
            now: Rc::new(Cell::new(0.0)),
            tick: Rc::new(Cell::new(tick)),
            readings: Rc::new(Cell::new(0)),
        }
    }

    fn boxed(&self) -> Box<dyn Fn() -> f64> {
        let clock = self.clone();
        Box::new(move || {
            let t = clock.now.get();
            clock.now.set(t + clock.tick.get());
            clock.readings.set(clock.readings.get() + 1);
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

/// The playground's diagnosis, and the experiments the engine runs for it (the CLI's way, in
/// one go): what the page's proof must have found.
fn engine_experiments(p: &Playground) -> (Diagnosis, Vec<Experiment>) {
    let (config, _) = Config::from_query(&p.to_hash());
    let diagnosis = p.diagnosis().unwrap();
    let expected = Experiments::for_diagnosis(&config, &diagnosis, PROOF_SEEDS)
        .unwrap()
        .run_to_end()
        .unwrap();
    (diagnosis, expected)
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
    assert_eq!(
        p.state().settings.learning_rate,
        0.1,
        "the change applies to the run the controls showed: the first, diagnosed one"
    );
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

    let (diagnosis, expected) = engine_experiments(&p);
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
    assert!(q.apply_hash("#compare=scaling&seeds=1").is_empty());
    assert_eq!(q.to_hash(), "compare=scaling&seeds=1");
    assert!(q.apply_hash("#compare=scaling").is_empty());
    assert_eq!(q.state().seeds, 5, "a comparison opens with 5 seeds");

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

/// Issue 11, item 1: the status line says what the page does: ready, training, paused,
/// finished; never a stale "training".
#[test]
fn the_status_says_ready_training_paused_and_finished_truthfully() {
    let mut p = playground();
    small(&mut p);
    p.pause();
    assert_eq!(p.status().state, "ready");
    assert_eq!(p.status().text, "ready: press Play to train 3 epochs");
    assert_eq!(p.frame(1e9), 0, "paused: a frame trains nothing");
    assert!(!p.wants_frame());

    p.step_epoch();
    assert_eq!(p.status().state, "training");
    while p.wants_frame() {
        p.frame(5.0);
    }
    assert_eq!(p.epoch(), 1, "one step, one epoch");
    let status = p.status();
    assert_eq!(status.state, "paused");
    assert!(
        status.text.starts_with("paused at epoch 1 of 3 ("),
        "{}",
        status.text
    );
    assert!(status.done > 0 && status.done < status.total);

    p.play();
    p.frame(5.0);
    assert!(p.status().text.starts_with("training: epoch 1 of 3 · "));
    while p.wants_frame() {
        p.frame(50.0);
    }
    let status = p.status();
    assert_eq!(
        (status.state, status.text.as_str()),
        ("finished", "finished: 3 epochs")
    );
    assert_eq!(status.done, status.total);

    p.pause();
    p.reset().unwrap();
    assert_eq!(
        p.status().state,
        "ready",
        "a reset while paused waits for Play"
    );
    p.play();
    p.frame(5.0);
    assert_eq!(p.status().state, "training");
}

/// Item 7: the estimate comes from the measured pace, shrinks as the run goes on, and the
/// progress grows; on the fake clock every reading is 1 ms, so the numbers are exact enough
/// to check that the estimate is the work left at the pace so far.
#[test]
fn progress_and_the_time_left_follow_the_measured_pace() {
    let clock = FakeClock::ticking(1.0);
    let mut p = Playground::new(clock.boxed()).unwrap();
    assert!(p.apply_hash("#samples=1000&epochs=40&hidden=16").is_empty());
    let mut seen = Vec::new();
    while p.training(0) {
        p.frame(10.0);
        clock.now.set(clock.now.get() + 6.0); // the browser's share of a 16 ms frame
        let s = p.status();
        if let Some(eta) = s.eta_seconds {
            seen.push((s.done, eta));
        }
    }
    assert!(seen.len() > 10, "an estimate once the pace is measured");
    let (first, last) = (seen[0], seen[seen.len() - 1]);
    assert!(first.0 < last.0 && first.1 > last.1, "{first:?} → {last:?}");
    // Every frame is 10–16 fake ms, so the estimate sits between those paces.
    let status_total = p.status().total;
    for (done, eta) in &seen {
        let left = (status_total - done) as f64;
        assert!(
            eta * 1000.0 > 0.0 && eta * 1000.0 < left * 16.0,
            "{done}: {eta}"
        );
    }
}

/// Item 7: Stop ends the runs with the epoch under way; the run is then exactly the engine's
/// run of that many epochs, the link says so, and the proof starts; Stop again ends the proof.
#[test]
fn stop_ends_the_run_after_the_epoch_under_way_then_stops_the_proof() {
    let mut p = playground();
    assert!(p.apply_hash("#samples=100&hidden=64&epochs=30").is_empty());
    p.step_for(1e9, 4);
    p.step_for(0.0, 0); // one step into epoch 5
    p.stop();
    assert_eq!(p.status().state, "stopping");
    while p.training(0) {
        p.frame(50.0);
    }
    let status = p.status();
    assert_eq!(status.text, "stopped by you after epoch 5 of 30");
    assert!(p.to_hash().contains("epochs=5"), "{}", p.to_hash());
    let (config, _) = Config::from_query(&p.to_hash());
    let (mut run, _) = config.start().unwrap();
    run.finish();
    assert_eq!(p.histories()[0], run.history());

    p.frame(50.0);
    p.frame(50.0);
    assert_eq!(p.proof().state, "running", "{}", p.proof().text);
    p.stop();
    let proof = p.proof();
    assert_eq!(proof.state, "unavailable");
    assert!(
        proof.text.starts_with("You stopped the proof at"),
        "{}",
        proof.text
    );
    assert!(!p.working());

    p.reset().unwrap();
    assert_eq!(
        p.state().settings.epochs,
        30,
        "Reset plans the whole run again"
    );
    assert_eq!(p.proof().state, "waiting");
}

/// Item 2: during a drag the faded run is the one from where the drag started, never a value
/// the thumb passed through.
#[test]
fn a_drag_fades_the_run_it_started_from() {
    let mut p = playground();
    small(&mut p);
    p.step_for(1e9, 2);
    let start = p.histories()[0].clone();
    p.begin_drag();
    for lr in ["0.002", "0.01", "0.05", "0.2", "1"] {
        p.set("lr", lr).unwrap();
        p.step_for(1e9, 2); // the runs passed through train, as the page shows them live
    }
    p.end_drag();
    let faded = p.faded();
    assert_eq!(faded.len(), 1);
    assert_eq!(faded[0].history, start);
    assert_eq!(faded[0].settings.learning_rate, 0.001);
    assert_eq!(faded[0].label, "before: lr=0.001");

    // After the drag, a change fades the run before it again, as always.
    p.set("lr", "0.1").unwrap();
    assert_eq!(p.faded()[0].settings.learning_rate, 1.0);
}

/// Item 4: in a comparison the controls show the run they edit, the one chosen in the
/// panel; it opens with 5 seeds, and on one seed it says one seed cannot show the difference.
#[test]
fn in_a_comparison_the_controls_follow_the_chosen_run() {
    let mut p = playground();
    p.preset("scaling").unwrap();
    let state = p.state();
    assert_eq!(state.seeds, 5);
    assert_eq!(state.editing.as_deref(), Some("unscaled"));
    assert!((state.settings.distort, state.settings.standardize) == (true, false));
    assert_eq!(state.note, None);
    p.focus(1).unwrap();
    let state = p.state();
    assert_eq!(state.editing.as_deref(), Some("standardized"));
    assert_eq!(state.settings, Config::preset("scaled").unwrap());
    p.set("lr", "0.01").unwrap();
    let settings = p.state().settings;
    assert_eq!(
        (settings.standardize, settings.learning_rate),
        (true, 0.01),
        "the change applies to the chosen run"
    );
    assert_eq!(p.state().editing, None);

    assert!(p.apply_hash("#compare=scaling&seeds=1").is_empty());
    let note = p.state().note.expect("one seed is flagged");
    assert!(note.starts_with("One seed cannot show"), "{note}");
}

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
    let csv = histories_csv(&runs);
    assert_eq!(csv.lines().count(), 1 + 3 + 3);
    assert!(csv.contains("\"before: lr=0.001\",true,0,3,"), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&histories_json(&runs)).unwrap();
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
}

#[test]
fn embed_flags_live_in_the_hash_and_bad_ones_get_a_notice() {
    let mut p = playground();
    let notices = p.apply_hash("#preset=overfit&show=lr,hidden&panel=off&chrome=off&chart=loss");
    assert!(notices.is_empty(), "{notices:?}");
    let view = p.state().view;
    assert_eq!(
        view.show,
        Some(vec!["lr".to_string(), "hidden".to_string()])
    );
    assert!(!view.panel && !view.chrome);
    let hash = p.to_hash();
    assert!(
        hash.ends_with("&show=lr,hidden&panel=off&chrome=off&chart=loss"),
        "{hash}"
    );
    // A change keeps the view; the link reopens the same view and experiment.
    p.set("lr", "0.01").unwrap();
    let hash = p.to_hash();
    let mut q = playground();
    assert!(q.apply_hash(&hash).is_empty());
    assert_eq!(q.state().view, p.state().view);
    assert_eq!(q.state().settings, p.state().settings);
    // Unknown flags and values are named, like any bad hash value; the page goes on.
    let notices = q.apply_hash("#show=lr,colour&chart=pie&panel=maybe&epochs=7");
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices[0].starts_with("show: unknown control 'colour'; allowed: lr,"));
    assert_eq!(q.state().settings.epochs, 7);
    assert_eq!(q.state().view, plateau::view::View::default());
}

#[test]
fn the_article_lesson_opens_each_step_and_the_link_keeps_the_step() {
    let mut p = playground();
    assert!(p.apply_hash("#lesson=article").is_empty());
    let lesson = p.lesson().expect("built in");
    assert_eq!((lesson.step, lesson.steps), (1, 4));
    assert_eq!(p.state().preset.as_deref(), Some("overfit"));
    assert!(p
        .to_hash()
        .starts_with("lesson=article&step=1&samples=100&"));
    p.lesson_step(2).unwrap();
    assert_eq!(p.state().comparison.as_deref(), Some("scaling"));
    assert_eq!(p.state().seeds, 5);
    p.lesson_step(3).unwrap();
    assert_eq!(p.figures().len(), 3, "the learning-rate comparison");
    let e = p.lesson_step(5).unwrap_err();
    assert!(e.to_string().contains("1 to 4"), "{e}");
    // A student's change stays in the lesson's link and reopens as they left it.
    p.lesson_step(4).unwrap();
    p.set("lr", "0.01").unwrap();
    let hash = p.to_hash();
    assert!(hash.starts_with("lesson=article&step=4&"), "{hash}");
    let mut q = playground();
    assert!(q.apply_hash(&hash).is_empty());
    assert_eq!(q.lesson().unwrap().step, 4);
    assert_eq!(q.state().settings.learning_rate, 0.01);
    // Every step of the built-in lesson opens without a notice.
    for step in 1..=4 {
        q.lesson_step(step).unwrap();
        let mut r = playground();
        let notices = r.apply_hash(&q.to_hash());
        assert!(notices.is_empty(), "step {step}: {notices:?}");
        assert_eq!(r.lesson(), q.lesson());
    }
}

#[test]
fn a_lesson_file_is_fetched_checked_and_a_bad_one_is_named() {
    let mut p = playground();
    assert!(p.apply_hash("#lesson=lessons/mine.json&step=2").is_empty());
    assert_eq!(p.lesson_to_fetch().as_deref(), Some("lessons/mine.json"));
    assert!(p.lesson().is_none(), "not loaded yet");
    let good = r#"{"title": "Mine", "steps": [
        {"state": "lr=0.1", "caption": "one"},
        {"state": "hidden=8&epochs=5&chart=accuracy", "caption": "two", "question": "why?"}]}"#;
    p.load_lesson("lessons/mine.json", good).unwrap();
    let info = p.lesson().unwrap();
    assert_eq!((info.step, info.caption.as_str()), (2, "two"));
    assert_eq!(p.state().settings.epochs, 5, "the step's state opened");
    assert_eq!(p.state().view.chart, plateau::view::Charts::Accuracy);
    assert_eq!(p.lesson_to_fetch(), None);

    let mut q = playground();
    q.apply_hash("#lesson=lessons/bad.json");
    let bad = r#"{"title": "Bad", "steps": [{"state": "lr=7", "caption": "too fast"}]}"#;
    let e = q
        .load_lesson("lessons/bad.json", bad)
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("lesson step 1, state: lr:"), "{e}");
    assert!(q.lesson().is_none() && q.lesson_to_fetch().is_none());
    assert_eq!(q.figures().len(), 1, "the page still has its run");
    let notices = q.apply_hash("#lesson=https://evil.example/x.json");
    assert!(notices[0].starts_with("lesson: 'https://evil.example/x.json' is not a lesson"));
}

#[test]
fn the_embed_link_is_this_state_with_the_chosen_view() {
    let mut p = playground();
    p.apply_hash("#preset=overfit&chart=loss");
    let link = p.embed_link("show=lr&panel=off").unwrap();
    assert!(link.ends_with("&show=lr&panel=off"), "{link}");
    assert!(
        !link.contains("chart="),
        "the page's own view is not carried over"
    );
    let mut q = playground();
    assert!(q.apply_hash(&link).is_empty());
    assert_eq!(q.state().settings, p.state().settings);
    let e = p.embed_link("show=everything").unwrap_err();
    assert!(e.to_string().contains("allowed: lr,"), "{e}");
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

/// A neighbour's build makes one step take 200 ms: the slice ends right after it (it cannot
/// take a step back), the next slices take one step each until the pace has settled again,
/// and the numbers are the same as on a quiet machine.
#[test]
fn a_slow_step_ends_its_slice_and_the_pace_recovers() {
    const RUN: &str = "#samples=200&epochs=4&hidden=8&batch-size=8";
    // A slice of k steps reads the clock 3k or 3k + 1 times (its start, each step's start and
    // end, the budget check before each further step).
    let steps = |readings: usize| readings / 3;
    let clock = FakeClock::ticking(0.5);
    let mut p = Playground::new(clock.boxed()).unwrap();
    assert!(p.apply_hash(RUN).is_empty());
    p.step_for(10.0, 0);
    clock.tick.set(100.0); // a step reads the clock twice: it "takes" 100 ms or more
    let before = clock.readings.get();
    p.step_for(10.0, 0);
    assert_eq!(steps(clock.readings.get() - before), 1, "the slow slice");
    clock.tick.set(0.5);
    let mut steps_per_slice = Vec::new();
    while p.training(0) {
        let before = clock.readings.get();
        p.step_for(10.0, 0);
        steps_per_slice.push(steps(clock.readings.get() - before));
    }
    println!("steps per 10 ms slice after a slow step: {steps_per_slice:?}");
    assert_eq!(
        steps_per_slice[0], 1,
        "right after the slow step, one step a slice"
    );
    assert!(
        steps_per_slice.iter().any(|&n| n >= 5),
        "the pace recovers: {steps_per_slice:?}"
    );
    let mut quiet = playground();
    assert!(quiet.apply_hash(RUN).is_empty());
    train_to_the_end(&mut quiet);
    assert_eq!(p.histories(), quiet.histories());
}

/// Clocks that do not tell the time: frozen (a coarse timer between two ticks) or NaN. A slice
/// must still end: each step counts as at least `MIN_STEP_MS`, so a slice takes at most
/// `budget / MIN_STEP_MS` steps (the fuzz target found a frozen clock training to the end in
/// one slice), and training still ends with the same numbers.
#[test]
fn a_clock_that_does_not_move_or_reads_nan_still_ends_every_slice() {
    const RUN: &str = "#samples=400&epochs=3&hidden=4&batch-size=1";
    let budget = 2.0;
    let most = (budget / MIN_STEP_MS) as usize + 1;
    let mut quiet = playground();
    assert!(quiet.apply_hash(RUN).is_empty());
    train_to_the_end(&mut quiet);
    for (name, reading) in [("frozen", 0.0), ("NaN", f64::NAN)] {
        let readings = Rc::new(Cell::new(0usize));
        let counter = readings.clone();
        let clock = Box::new(move || {
            counter.set(counter.get() + 1);
            reading
        });
        let mut p = Playground::new(clock).unwrap();
        assert!(p.apply_hash(RUN).is_empty());
        let mut slices = 0;
        while p.training(0) {
            let before = readings.get();
            p.step_for(budget, 0);
            let steps = (readings.get() - before) / 3;
            assert!(steps <= most, "{name} clock: a slice took {steps} steps");
            slices += 1;
        }
        assert!(slices > 3, "{name} clock: {slices} slices");
        assert_eq!(p.histories(), quiet.histories(), "{name} clock");
    }
}

/// In a comparison the run furthest behind always goes first, so after any slice the runs'
/// epochs differ by at most one (the chart never shows one run far ahead of another).
#[test]
fn compared_runs_advance_together_slice_by_slice() {
    let clock = FakeClock::ticking(1.0);
    let mut p = Playground::new(clock.boxed()).unwrap();
    assert!(p.apply_hash("#compare=learning-rate&seeds=3").is_empty());
    for _ in 0..200 {
        p.step_for(7.0, 0);
        let epochs: Vec<usize> = p.figures().iter().map(|f| f.epoch).collect();
        let (lo, hi) = (epochs.iter().min().unwrap(), epochs.iter().max().unwrap());
        assert!(hi - lo <= 1, "{epochs:?}");
    }
    assert!(p.epoch() > 0);
}

/// Starting the experiments prepares each fixed config's data that differs (here: the unscaled
/// run's fix standardizes, and more data has more rows): each such slice does only that, one
/// dataset each, and the training starts after, so preparing data never shares a slice with
/// training.
#[test]
fn the_proof_prepares_its_data_in_a_slice_of_its_own() {
    let clock = FakeClock::ticking(1.0);
    let mut p = Playground::new(clock.boxed()).unwrap();
    assert!(p.apply_hash("#preset=unscaled&epochs=40").is_empty());
    train_to_the_end(&mut p);
    let top = p.diagnosis().unwrap();
    let fix = &top.top().unwrap().fix;
    assert!(fix.iter().any(|(k, _)| k == "standardize"), "{fix:?}");
    let mut preparing = 0;
    while p.proof().state == "waiting" {
        let before = clock.readings.get();
        p.step_for(10.0, 0);
        if p.proof().state == "waiting" {
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
    assert_eq!(p.proof().state, "running");
}

#[test]
fn the_readmes_preset_links_open_the_comparisons() {
    let mut p = playground();
    for name in ["scaling", "learning-rate"] {
        let notices = p.apply_hash(&format!("#preset={name}"));
        assert!(notices.is_empty(), "#preset={name}: {notices:?}");
        assert_eq!(p.state().comparison.as_deref(), Some(name));
        assert_eq!(p.to_hash(), format!("compare={name}"));
    }
    let notices = p.apply_hash("#preset=nope");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert!(notices[0].contains("'nope'") && notices[0].contains("overfit"));
}

/// The lesson docs/lessons.md shows is the one the page ships, and it loads.
#[test]
fn the_documented_example_lesson_is_shipped_and_loads() {
    let example = include_str!("../www/lessons/example.json");
    let docs = include_str!("../docs/lessons.md");
    assert!(
        docs.contains(example),
        "docs/lessons.md shows www/lessons/example.json as it is"
    );
    let mut p = playground();
    assert!(p
        .apply_hash("#lesson=lessons/example.json&step=2")
        .is_empty());
    p.load_lesson("lessons/example.json", example).unwrap();
    assert_eq!(p.lesson().unwrap().step, 2);
    assert_eq!(p.state().settings.samples, 1000);
}

/// The proof prepares a fix's data in bounded slices: on 10,000 unscaled rows the fix
/// (standardize) needs a new 10,000-row dataset, about ten budgets of work; no slice does more
/// than `PREPARE_ROWS_PER_SLICE` rows of it, a slice that prepares trains nothing, and the
/// experiments on the data prepared that way equal the engine's on `Config::prepare`'s.
#[test]
fn the_proof_prepares_a_large_dataset_a_bounded_slice_at_a_time() {
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
    while p.proof().state == "waiting" {
        let (rows, readings) = (p.rows_prepared(), clock.readings.get());
        p.step_for(10.0, 0);
        let rows = p.rows_prepared() - rows;
        assert!(
            rows <= PREPARE_ROWS_PER_SLICE,
            "slice {}: {rows} rows prepared",
            per_slice.len()
        );
        if p.proof().state == "waiting" {
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
    assert_eq!(p.proof().state, "running");
    work_to_the_end(&mut p);
    assert_eq!(p.proof().state, "done", "{}", p.proof().text);
    let (diagnosis, expected) = engine_experiments(&p);
    assert_eq!(diagnosis.experiments, expected);
}

/// A change in the middle of the proof's preparation drops it; the next proof prepares its
/// own data and still equals the engine's.
#[test]
fn a_change_during_the_proofs_preparation_starts_it_over_cleanly() {
    let mut p = playground();
    let hash = "#samples=4000&distort=true&distortion=10000&standardize=false&epochs=2\
                &hidden=8&batch-size=512";
    assert!(p.apply_hash(hash).is_empty());
    train_to_the_end(&mut p);
    p.step_for(10.0, 0);
    assert_eq!(p.proof().state, "waiting", "part way through preparing");
    p.set("lr", "0.01").unwrap();
    work_to_the_end(&mut p);
    assert_eq!(p.proof().state, "done", "{}", p.proof().text);
    let (diagnosis, expected) = engine_experiments(&p);
    assert_eq!(diagnosis.experiments, expected);
}
