//! Training with Keras 3 `fit` semantics: a [`Run`] advanced one batch or one epoch at a time,
//! the [`History`] it keeps, Keras [`EarlyStopping`], and the checks of a [`TrainSpec`] and its
//! [`Samples`] before a run is built; and the learning-rate range test ([`lr_find`]); and the
//! per-layer [`LayerInstruments`] a run can record beside its history; and the validation
//! [`Confusion`] matrix of a run's network.

mod confusion;
mod early_stopping;
mod history;
mod instruments;
mod lr_find;
mod run;
mod spec;

pub use confusion::Confusion;
pub use early_stopping::{one_sample_loss, EarlyStopping, Monitor};
pub use history::{early_stop_text, History, Status};
pub use instruments::LayerInstruments;
pub use lr_find::{lr_find, rate_at, LrFind, LrFinder, FROM, RULE, STEPS, TO};
pub use run::Run;
pub use spec::{Samples, TrainError, TrainSpec};
