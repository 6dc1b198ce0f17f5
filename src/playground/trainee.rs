//! One training seed of a run on the page, trained here in the page's time slices (`Local`)
//! or in a worker (`Remote`): the rest of the playground reads both the same way.
//!
//! A remote run's epochs arrive whenever the worker finishes them; they are *shown* (put in
//! the history the chart, the figures and the diagnosis read) only as the transport allows,
//! so Pause, Step one epoch and Stop mean the same with workers as without.

use super::messages::Update;
use super::schedule::Pace;
use crate::config::{Config, Prepared};
use crate::data::{test_count, TestSize};
use crate::diagnose::dead_relu_fraction;
use crate::train::{Confusion, History, LayerInstruments, Run, Status};
use std::cell::OnceCell;

pub(super) enum Trainee {
    Local {
        run: Box<Run>,
        pace: Pace,
        /// The ended run's confusion matrix, computed when first asked for (a forward pass
        /// over the validation rows, not to be repeated every frame).
        confusion: OnceCell<Confusion>,
    },
    Remote(Box<Remote>),
}

impl Trainee {
    pub(super) fn local(run: Run) -> Trainee {
        Trainee::Local {
            run: Box::new(run),
            pace: Pace::default(),
            confusion: OnceCell::new(),
        }
    }

    pub(super) fn status(&self) -> Status {
        match self {
            Trainee::Local { run, .. } => run.status(),
            Trainee::Remote(r) => r.status,
        }
    }

    pub(super) fn history(&self) -> &History {
        match self {
            Trainee::Local { run, .. } => run.history(),
            Trainee::Remote(r) => &r.shown,
        }
    }

    /// The shown epochs' per-layer instruments.
    pub(super) fn instruments(&self) -> &[Vec<LayerInstruments>] {
        match self {
            Trainee::Local { run, .. } => run.instruments(),
            Trainee::Remote(r) => {
                let shown = r.shown.epochs().min(r.instruments.len());
                &r.instruments[..shown]
            }
        }
    }

    /// Completed (shown) epochs.
    pub(super) fn epoch(&self) -> usize {
        self.history().epochs()
    }

    pub(super) fn earliest_stop(&self) -> usize {
        match self {
            Trainee::Local { run, .. } => run.earliest_stop(),
            Trainee::Remote(r) => r.earliest_stop(),
        }
    }

    /// The student's Stop, as [`Run::stop_at`]. Returns the epochs the run will have.
    pub(super) fn stop_at(&mut self, epochs: usize) -> usize {
        match self {
            Trainee::Local { run, .. } => run.stop_at(epochs),
            Trainee::Remote(r) => r.stop_at(epochs),
        }
    }

    /// Training steps (batches and validation chunks) done and planned; a run that has
    /// ended plans no more.
    pub(super) fn steps(&self) -> (usize, usize) {
        match self {
            Trainee::Local { run, pace, .. } => {
                let planned = match run.status() {
                    Status::Training => run.spec().epochs * run.steps_per_epoch(),
                    _ => pace.batches,
                };
                (pace.batches, planned.max(pace.batches))
            }
            Trainee::Remote(r) => {
                let done = r.shown.epochs() * r.steps_per_epoch;
                let planned = match r.status {
                    Status::Training => r.planned * r.steps_per_epoch,
                    _ => done,
                };
                (done, planned.max(done))
            }
        }
    }

    /// The share of dead ReLU units once the run has ended (the evidence of a collapse);
    /// `None` while training, or when the worker's network is not the one shown (a remote run
    /// stopped by the student after the worker had gone past the stop).
    pub(super) fn dead_units(&self, config: &Config, data: &Prepared) -> Option<f64> {
        if self.status() == Status::Training {
            return None;
        }
        match self {
            Trainee::Local { run, .. } => {
                dead_relu_fraction(config.activation, &run.weights(), &data.train)
            }
            Trainee::Remote(r) => (r.received.epochs() == r.shown.epochs())
                .then_some(r.dead_units)
                .flatten(),
        }
    }

    /// The validation confusion matrix once the run has ended, classes by index; `None` while
    /// training. A run stopped behind its worker reads the matrix recorded at its last shown
    /// epoch (`None` for a run that recorded none).
    pub(super) fn confusion(&self) -> Option<&Confusion> {
        if self.status() == Status::Training {
            return None;
        }
        match self {
            Trainee::Local { run, confusion, .. } => {
                Some(confusion.get_or_init(|| run.confusion()))
            }
            Trainee::Remote(r) => match r.shown.epochs() {
                shown if shown == r.received.epochs() => r.confusion.as_ref(),
                shown => r.confusions.get(shown.checked_sub(1)?),
            },
        }
    }

    /// A run trained here, with its pace; `None` for a worker's.
    pub(super) fn local_mut(&mut self) -> Option<(&mut Run, &mut Pace)> {
        match self {
            Trainee::Local { run, pace, .. } => Some((run, pace)),
            Trainee::Remote(_) => None,
        }
    }

    pub(super) fn remote(&self) -> Option<&Remote> {
        match self {
            Trainee::Remote(r) => Some(r),
            Trainee::Local { .. } => None,
        }
    }

    pub(super) fn remote_mut(&mut self) -> Option<&mut Remote> {
        match self {
            Trainee::Remote(r) => Some(r),
            Trainee::Local { .. } => None,
        }
    }
}

/// A run a worker trains: what it has reported, and how much of it the page shows.
pub(super) struct Remote {
    pub(super) id: u32,
    /// Epochs to show: the config's, or fewer once the student stopped the run.
    planned: usize,
    steps_per_epoch: usize,
    received: History,
    /// The worker's status after the received epochs.
    worker_status: Status,
    dead_units: Option<f64>,
    confusion: Option<Confusion>,
    /// The received epochs' recorded matrices (a run on the chart's only).
    confusions: Vec<Confusion>,
    /// The received epochs' instruments; the shown ones are the first `shown.epochs()`.
    instruments: Vec<Vec<LayerInstruments>>,
    shown: History,
    status: Status,
}

impl Remote {
    /// The run of `config` given to the workers as `id`. Its data stays in the worker: the
    /// rows per epoch follow from the settings (scikit-learn's split sizes).
    pub(super) fn new(id: u32, config: &Config) -> Remote {
        let val = test_count(config.samples, TestSize::Fraction(config.test_size)).unwrap_or(0);
        let chunks = |rows: usize| rows.div_ceil(config.batch_size);
        Remote {
            id,
            planned: config.epochs,
            steps_per_epoch: chunks(config.samples.saturating_sub(val)) + chunks(val),
            received: History::default(),
            worker_status: Status::Training,
            dead_units: None,
            confusion: None,
            confusions: Vec::new(),
            instruments: Vec::new(),
            shown: History::default(),
            status: Status::Training,
        }
    }

    /// The worker's report. Updates come in order (a worker's messages keep theirs); one
    /// that does not continue the received epochs is ignored.
    pub(super) fn receive(&mut self, update: &Update) {
        if update.from != self.received.epochs() {
            return;
        }
        let (to, from) = (&mut self.received, &update.history);
        to.loss.extend(&from.loss);
        to.accuracy.extend(&from.accuracy);
        to.val_loss.extend(&from.val_loss);
        to.val_accuracy.extend(&from.val_accuracy);
        self.worker_status = update.status;
        self.dead_units = update.dead_units;
        self.confusion.clone_from(&update.confusion);
        self.confusions.extend_from_slice(&update.confusions);
        self.instruments.extend_from_slice(&update.instruments);
    }

    /// Shows the received epochs up to `until_epoch` (0: all of them). Returns how many
    /// epochs it showed.
    pub(super) fn show(&mut self, until_epoch: usize) -> usize {
        let limit = match until_epoch {
            0 => self.planned,
            until => until.min(self.planned),
        }
        .min(self.received.epochs());
        let before = self.shown.epochs();
        for e in before..limit {
            let (to, from) = (&mut self.shown, &self.received);
            to.loss.push(from.loss[e]);
            to.accuracy.push(from.accuracy[e]);
            to.val_loss.push(from.val_loss[e]);
            to.val_accuracy.push(from.val_accuracy[e]);
        }
        if self.status == Status::Training {
            let shown = self.shown.epochs();
            if shown == self.received.epochs() && self.worker_status != Status::Training {
                self.status = self.worker_status;
            } else if shown == self.planned {
                self.status = Status::Finished;
            }
        }
        self.shown.epochs() - before
    }

    /// Whether every epoch the worker will send has arrived.
    pub(super) fn complete(&self) -> bool {
        self.worker_status != Status::Training
    }

    fn earliest_stop(&self) -> usize {
        (self.shown.epochs() + 1).min(self.planned).max(1)
    }

    fn stop_at(&mut self, epochs: usize) -> usize {
        if self.status != Status::Training {
            return self.shown.epochs();
        }
        self.planned = epochs.max(self.earliest_stop()).min(self.planned);
        if self.shown.epochs() == self.planned {
            self.status = Status::Finished;
        }
        self.planned
    }

    /// The epochs shown so far.
    pub(super) fn shown(&self) -> &History {
        &self.shown
    }
}
