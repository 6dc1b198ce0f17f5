//! Time slices: the page trains in slices of an animation frame, and a worker in slices short
//! enough to hear a cancel. A slice never starts a step it expects to overrun its budget, and
//! time comes from an injected [`Clock`], so all of this is tested natively on a fake one.

use crate::train::Run;

/// Milliseconds on some monotonic clock: `performance.now()` in the page, a fake one in tests.
pub type Clock = Box<dyn Fn() -> f64>;

/// How long a run's steps take, so that a time slice does not start work it cannot finish
/// in time. Every step is one training batch or one validation chunk (the engine spreads
/// validation over steps), so one running average serves both.
#[derive(Default)]
pub(super) struct Pace {
    /// Steps taken since the run started.
    pub(super) batches: usize,
    pub(super) batch_ms: f64,
}

impl Pace {
    pub(super) fn record(&mut self, ms: f64) {
        self.batch_ms = if self.batches == 0 {
            ms
        } else {
            0.7 * self.batch_ms + 0.3 * ms
        };
        self.batches += 1;
    }

    /// Takes one step of `run` and records how long it took; returns whether it ended an
    /// epoch.
    pub(super) fn step(&mut self, run: &mut Run, clock: &Clock) -> bool {
        let (start, epoch) = (clock(), run.epoch());
        run.step_batch();
        self.record(clock() - start);
        run.epoch() > epoch
    }
}

/// The least a step is counted as taking, however fast the clock says it was. A clock that
/// does not move (a coarse timer: some browsers round `performance.now()` to 100 ms against
/// fingerprinting) or reads NaN would otherwise let a slice run to the end of training; with
/// this floor a slice takes at most `budget / MIN_STEP_MS` steps (the fuzz target found it).
pub const MIN_STEP_MS: f64 = 0.05;

/// One time slice's budget, spent step by step.
pub(super) struct Slice {
    start: f64,
    budget_ms: f64,
    pub(super) steps: usize,
}

impl Slice {
    pub(super) fn new(clock: &Clock, budget_ms: f64) -> Slice {
        Slice {
            start: clock(),
            budget_ms,
            steps: 0,
        }
    }

    /// Whether to start a step expected to take `step_ms`: always the slice's first (so that
    /// training advances), then only while it is expected to end within the budget.
    pub(super) fn admits(&mut self, clock: &Clock, step_ms: f64) -> bool {
        if self.steps > 0 {
            // f64::max ignores NaN: a NaN clock counts as the floor.
            let spent = (clock() - self.start).max(self.steps as f64 * MIN_STEP_MS);
            if spent + step_ms.max(MIN_STEP_MS) > self.budget_ms {
                return false;
            }
        }
        self.steps += 1;
        true
    }

    /// Gives the slice `ms` more.
    pub(super) fn extend(&mut self, ms: f64) {
        self.budget_ms += ms;
    }
}
