//! The runs on the chart: what a change, a preset, a comparison, the seeds and a drag do, and
//! that the page's runs are the engine's.

use crate::harness::*;
use plateau::playground::Playground;
use plateau::Config;

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

/// During a drag the faded run is the one from where the drag started, never a value
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

/// In a comparison the controls show the run they edit, the one chosen in the
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

/// Re-roll in a comparison re-rolls every run with one new seed: the same runs stay, the
/// diagnosed one stays chosen, and the link reopens the re-rolled comparison.
#[test]
fn re_roll_in_a_comparison_re_rolls_every_run_with_one_seed() {
    let mut p = playground();
    assert!(p.apply_hash("#compare=learning-rate").is_empty());
    p.step_for(1e9, 1);
    p.focus(2).unwrap();
    let labels: Vec<String> = p.figures().into_iter().map(|f| f.label).collect();
    let before: Vec<_> = p.histories().into_iter().cloned().collect();
    let seed = Config::default().seed.wrapping_add(12345);
    p.reroll_with(seed).unwrap();
    let state = p.state();
    assert_eq!(state.comparison.as_deref(), Some("learning-rate"));
    let after: Vec<String> = p.figures().into_iter().map(|f| f.label).collect();
    assert_eq!(after, labels, "the same runs");
    assert_eq!(state.seeds, 5, "with the comparison's seeds");
    assert_eq!(state.settings.seed, seed, "the controls show the new seed");
    assert_eq!(state.editing.as_deref(), Some(labels[2].as_str()));
    assert!(p.faded().is_empty());
    assert_eq!(p.to_hash(), format!("compare=learning-rate&seed={seed}"));
    p.step_for(1e9, 1);
    let rerolled: Vec<_> = p.histories().into_iter().cloned().collect();
    for (old, new) in before.iter().zip(&rerolled) {
        assert_ne!(old, new, "every run is trained on the new seed");
    }
    let mut reopened = playground();
    assert!(reopened.apply_hash(&p.to_hash()).is_empty());
    reopened.step_for(1e9, 1);
    let again: Vec<_> = reopened.histories().into_iter().cloned().collect();
    assert_eq!(again, rerolled, "the link reopens the re-rolled runs");
}

/// Key presses on a slider less than a pause apart are one change, like a drag: the faded run
/// is the one from before the first press. A pause, or focus leaving, ends them.
#[test]
fn a_run_of_key_presses_is_one_change_until_a_pause() {
    use plateau::playground::KEY_PAUSE_MS;
    let clock = FakeClock::ticking(0.0);
    let mut p = Playground::new(clock.boxed()).unwrap();
    small(&mut p);
    p.step_for(1e9, 3);
    let start = p.histories()[0].clone();
    let press = |p: &mut Playground, after_ms: f64, lr: &str| {
        clock.now.set(clock.now.get() + after_ms);
        p.key_press();
        p.set("lr", lr).unwrap();
        p.step_for(1e9, 1); // the runs passed through train, as the page shows them live
    };
    for lr in ["0.0009", "0.0008", "0.0007"] {
        press(&mut p, KEY_PAUSE_MS * 0.9, lr);
    }
    let faded = p.faded();
    assert_eq!(faded.len(), 1);
    assert_eq!(faded[0].settings.learning_rate, 0.001);
    assert_eq!(faded[0].history, start);
    assert_eq!(faded[0].label, "before: lr=0.001");

    press(&mut p, KEY_PAUSE_MS, "0.0006");
    assert_eq!(
        p.faded()[0].settings.learning_rate,
        0.0007,
        "a pause ends the run"
    );

    p.end_drag(); // focus left the slider
    press(&mut p, 0.0, "0.0005");
    assert_eq!(
        p.faded()[0].settings.learning_rate,
        0.0006,
        "so does focus leaving"
    );
}
