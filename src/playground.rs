//! The page's state machine, in pure Rust: the runs on the chart (lanes), comparisons, the
//! faded run before a change, the multi-seed band, the experiments on the diagnosis and the time
//! slices that train them, and the URL hash. It knows nothing of the browser: time comes from
//! an injected [`Clock`], so the scheduler is tested natively with a fake one, and the charts
//! are drawn on any plotters backend (the page's canvas in `web.rs`, SVG in tests).
//!
//! Besides the runs the student sees, the same time slices train, at lower priority, the
//! diagnosis's experiments: every applicable fix over [`EXPERIMENT_SEEDS`] seeds, next to the
//! unchanged settings, in the rules' order so the most suspected fix's evidence comes first.
//!
//! # Where `Playground`'s behaviour is
//!
//! [`Playground`] is defined in `machine.rs`; each of these files holds one `impl Playground`
//! block:
//!
//! | file             | behaviour                                                          |
//! |------------------|--------------------------------------------------------------------|
//! | `machine.rs`     | the struct and its states; new, settings, presets and comparisons, seeds, focus, reset |
//! | `hash.rs`        | the URL hash codec (state ↔ hash), embed links, lessons opened from a link |
//! | `transport.rs`   | Play, Pause, Step, Stop, the drag, the time slices (`step_for`), the status line |
//! | `experiments.rs` | the diagnosis's experiments: started, trained, reported            |
//! | `pool.rs`        | the page's side of the training workers: orders out, updates in    |
//! | `own_data.rs`    | a CSV file of the student's own: loaded, named in the link, cleared |
//! | `outside_run.rs` | a run made elsewhere (a pasted Keras history) shown in place of the page's runs |
//! | `panel.rs`       | the diagnosis panel and the chart's markers (`markers.rs` makes them) |
//! | `display.rs`     | what the page reads: state, faded runs, figures, charts            |
//! | `lr_finder.rs`   | the learning-rate finder on the focused run, in time slices, its curve |
//! | `readout.rs`     | the values at one epoch, for the chart's hover and keyboard readout |
//!
//! The other files hold the types those use, none of which knows `Playground`: a run on the
//! chart (`lane.rs`), one seed of it trained here or in a worker (`trainee.rs`), time slices
//! (`schedule.rs`), pace and status (`progress.rs`), prepared data (`data.rs`), the embed's
//! view and lesson (`course.rs`), the messages between page and workers (`messages.rs`), the
//! page's book of runs in workers (`dispatch.rs`) and a worker's engine (`trainer.rs`).

mod course;
mod data;
mod dispatch;
mod display;
mod experiments;
mod hash;
mod lane;
mod lr_finder;
mod machine;
mod markers;
mod messages;
mod outside_run;
mod own_data;
mod panel;
mod pool;
mod progress;
mod readout;
mod schedule;
mod trainee;
mod trainer;
mod transport;

pub use course::LessonInfo;
pub use data::PREPARE_ROWS_PER_SLICE;
pub use display::{FadedRun, State};
pub use experiments::{ExperimentsState, EXPERIMENT_SEEDS};
pub use lane::Figures;
pub use lr_finder::LrFindView;
pub use machine::{error_text, Playground, COMPARISON_SEEDS, KEY_PAUSE_MS, SEED_COUNTS};
pub use markers::diagnosis_markers;
pub use messages::{Order, Update};
pub use outside_run::{
    known_from_fields, OutsideError, OutsideView, BACK_TO_PLAYGROUND, OUTSIDE_LABEL,
};
pub use own_data::{file_hash, FileInUse, WantedFile};
pub use panel::{MarkerInfo, Panel, Row};
pub use progress::{eta_text, RunStatus};
pub use readout::{Readout, RunValues, Value};
pub use schedule::{Clock, MIN_STEP_MS};
pub use trainer::{Trainer, BACKGROUND_SLICE_MS};
