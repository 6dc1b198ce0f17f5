//! What the playground's tests and the pool's share: a fake clock, so that the scheduler's
//! decisions do not depend on how busy the machine is, and a playground timed by it.

use plateau::playground::{Clock, Playground};
use std::cell::Cell;
use std::rc::Rc;

/// A clock that moves by `tick` ms at every reading; the test may change `tick` as it goes
/// (a busy machine: a neighbour's build makes one step take far longer).
#[derive(Clone)]
pub struct FakeClock {
    pub now: Rc<Cell<f64>>,
    pub tick: Rc<Cell<f64>>,
    pub readings: Rc<Cell<usize>>,
}

impl FakeClock {
    pub fn ticking(tick: f64) -> FakeClock {
        FakeClock {
            now: Rc::new(Cell::new(0.0)),
            tick: Rc::new(Cell::new(tick)),
            readings: Rc::new(Cell::new(0)),
        }
    }

    pub fn boxed(&self) -> Clock {
        let clock = self.clone();
        Box::new(move || {
            let t = clock.now.get();
            clock.now.set(t + clock.tick.get());
            clock.readings.set(clock.readings.get() + 1);
            t
        })
    }
}

/// A clock that moves 1 ms at every reading: each training step "takes" 1 ms.
pub fn clock() -> Clock {
    FakeClock::ticking(1.0).boxed()
}

/// A playground on [`clock`].
pub fn playground() -> Playground {
    Playground::new(clock()).unwrap()
}
