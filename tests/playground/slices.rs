//! The scheduler's time slices on a fake clock: a slice keeps to its budget whatever the clock
//! says, and the clock decides only when work happens, never the numbers.

use crate::harness::*;
use plateau::playground::{Playground, MIN_STEP_MS};
use std::cell::Cell;
use std::rc::Rc;

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
        assert_eq!(p.experiments().state, "done");
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
