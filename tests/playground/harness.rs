//! The playground tests' helpers: the shared fake clock, small experiments, and training to
//! the end as the page's frames do.

pub use crate::common::{playground, FakeClock};
use plateau::diagnose::{Diagnosis, Experiment, Experiments};
use plateau::playground::{Playground, EXPERIMENT_SEEDS};
use plateau::Config;

/// A small, quick experiment: 3 epochs on 60 rows.
pub fn small(p: &mut Playground) {
    let notices = p.apply_hash("#samples=60&epochs=3&hidden=8&batch-size=16");
    assert!(notices.is_empty(), "{notices:?}");
}

pub fn train_to_the_end(p: &mut Playground) {
    while p.training(0) {
        p.step_for(50.0, 0);
    }
}

/// Trains the runs on the chart and then the experiments, as the page's frames do.
pub fn work_to_the_end(p: &mut Playground) {
    while p.working() {
        p.step_for(50.0, 0);
    }
}

/// The playground's diagnosis, and the experiments the engine runs for it (the CLI's way, in
/// one go): what the page's experiments must have found.
pub fn engine_experiments(p: &Playground) -> (Diagnosis, Vec<Experiment>) {
    let (config, _) = Config::from_query(&p.to_hash());
    let diagnosis = p.diagnosis().unwrap();
    let expected = Experiments::for_diagnosis(&config, &diagnosis, EXPERIMENT_SEEDS)
        .unwrap()
        .run_to_end()
        .unwrap();
    (diagnosis, expected)
}
