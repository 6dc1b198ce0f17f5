//! The transport: the status line, progress and the time left, and Stop.

use crate::harness::*;
use plateau::playground::Playground;
use plateau::Config;

/// The status line says what the page does: ready, training, paused,
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

/// The estimate comes from the measured pace, shrinks as the run goes on, and the
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

/// Stop ends the runs with the epoch under way; the run is then exactly the engine's
/// run of that many epochs, the link says so, and the experiments start; Stop again ends them.
#[test]
fn stop_ends_the_run_after_the_epoch_under_way_then_stops_the_experiments() {
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
    assert_eq!(p.experiments().state, "running", "{}", p.experiments().text);
    p.stop();
    let experiments = p.experiments();
    assert_eq!(experiments.state, "unavailable");
    assert!(
        experiments
            .text
            .starts_with("You stopped the experiments at"),
        "{}",
        experiments.text
    );
    assert!(!p.working());

    p.reset().unwrap();
    assert_eq!(
        p.state().settings.epochs,
        30,
        "Reset plans the whole run again"
    );
    assert_eq!(p.experiments().state, "waiting");
}

/// The transport button reads Pause or Play while the runs train, and "Run again" once they
/// have ended; pressed then, it trains the same runs again. Paused at the end with
/// experiments still to train, it reads Play and plays them.
#[test]
fn the_button_reads_run_again_once_the_runs_have_ended() {
    let mut p = playground();
    small(&mut p);
    assert_eq!(p.status().button, "Pause");
    p.press_play().unwrap();
    assert_eq!((p.playing(), p.status().button), (false, "Play"));
    p.press_play().unwrap();
    assert_eq!((p.playing(), p.status().button), (true, "Pause"));
    train_to_the_end(&mut p);
    assert_eq!(p.status().button, "Run again");
    let first = p.histories()[0].clone();
    p.press_play().unwrap();
    assert_eq!(
        (p.epoch(), p.playing()),
        (0, true),
        "trains again from the start"
    );
    assert_eq!(p.status().button, "Pause");
    train_to_the_end(&mut p);
    assert_eq!(p.histories()[0], &first, "the same run");

    p.reset().unwrap();
    p.pause();
    while p.training(0) {
        p.step_epoch();
        while p.wants_frame() {
            p.frame(5.0);
        }
    }
    assert!(p.working(), "the experiments are still to train");
    assert_eq!(p.status().button, "Play");
    p.press_play().unwrap();
    assert!(p.playing());
    assert_eq!(p.status().button, "Run again");
}
