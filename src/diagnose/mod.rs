//! Why validation accuracy stopped improving: where the plateau is, its likely causes ranked
//! with the figures behind them (the rules: quick, live), and the experiments that test every
//! applicable fix over a few seeds and re-rank the causes by what measurably helped.
//!
//! The diagnosis describes what really happens in Keras on these experiments, measured, which
//! is not always what the article claims: lr 0.1 does not oscillate, it memorises the training
//! set within ten epochs.
//!
//! ```text
//! let (mut run, prepared) = config.start()?;
//! let status = run.finish();
//! let diagnosis = diagnose(&config, &prepared, run.history(), status);
//! let diagnosis = diagnosis.with_experiments(&config, 5)?;   // trains (fixes + 1) × 5 runs
//! println!("{diagnosis}");
//! ```
//!
//! Where things are: `diagnosis.rs` reads a run into a [`Diagnosis`] and ranks its causes;
//! `cause.rs` and `evidence.rs` are what a cause is; `causes/` holds one file per cause (its
//! rule, its fix, its explanation); `chance.rs` what a network that learned nothing scores on
//! the run's data; `thresholds.rs` every threshold with its reason;
//! `plateau.rs` finds the plateau; `experiments.rs` and `experiment.rs` train the fixes, and
//! `effect.rs` judges what each did.

mod answer;
mod cause;
mod causes;
mod chance;
mod consistency;
mod curves;
mod diagnosis;
mod effect;
mod evidence;
mod experiment;
mod experiments;
mod history_file;
mod inside;
mod outside;
mod plateau;
mod thresholds;
mod units;

pub use answer::{why_tied, Answer, DataLimit};
pub use cause::{Cause, CauseId, CauseKind, FixFamily, Stage};
pub use causes::{fix_for, NO_MORE_DATA_FOR_A_FILE};
pub use chance::Chance;
pub use diagnosis::{diagnose, diagnose_run, diagnose_with_units, parameter_count, Diagnosis};
pub use effect::{
    Change, Effect, Figure, Finals, Verdict, MIN_ACCURACY_POINTS, MIN_LOSS_CHANGE, SE_FLOOR_SHARE,
};
pub use evidence::Evidence;
pub use experiment::{describe_fix, rank_experiments, Experiment};
pub use experiments::{
    candidate_fixes, fixed_config, Experiments, FIRST_SEEDS, MAX_SEEDS, PLACEBO_SEED_OFFSET,
    SEED_STEP,
};
pub use history_file::{read_history, HistoryError, MIN_HISTORY_EPOCHS};
pub use inside::{read_instruments, FindingKind, InsideFinding};
pub use outside::{diagnose_history, unknowns_text, Known, FROM_CURVES_ALONE};
pub use plateau::{find_plateau, Plateau, PlateauSettings};
pub use thresholds::{
    CLIMB_RATIO, EARLY_EPOCHS, FINAL_EPOCHS, FITS_TRAINING, GIVE_BACK, HANDFUL_EPOCHS,
    MEMORISED_LOSS, MENTION, MIN_EPOCHS, NOISE_CERTAIN_POINTS, NOISY_STEP_POINTS, PRESENT,
    RISE_SAMPLES, SCALE_SPREAD, SIGNIFICANT_SE, STEADY_SHARE, STILL_FALLING_PACE,
};
pub use units::{dead_relu_fraction, DEAD_UNIT_ROWS};
