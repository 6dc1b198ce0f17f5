//! The messages between the page and its training workers, serialized over `postMessage`:
//! the page's `Playground` writes [`Order`]s, a pool of Web Workers each runs a `Trainer`
//! (one wasm instance per worker), and the trainers report [`Update`]s, which the playground
//! shows as the transport allows. This module knows neither side.
//!
//! Training is deterministic, so a worker's run is bit for bit the run the page would have
//! trained itself: the same config (sent as its link, seed included), the same data, the same
//! arithmetic. Both sides are plain Rust, tested natively with the messages passed by hand.

use crate::train::{Confusion, History, LayerInstruments, Status};
use serde::{Deserialize, Serialize};

/// What the page asks of its workers.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Order {
    /// Train `query` (a [`Config::to_query`](crate::config::Config::to_query) link, seed included) to its end. A trainer
    /// works on its lowest `priority` first; runs of equal priority grow together.
    Start {
        id: u32,
        query: String,
        priority: u32,
        /// Record per-layer instruments: only the run whose instruments the page shows
        /// (a run's own seed), since they cost a share of the training.
        #[serde(default)]
        instruments: bool,
    },
    /// The student stopped the run: end it after `epochs` (or as soon as it can).
    Stop { id: u32, epochs: usize },
    /// Nobody wants the run any more.
    Cancel { id: u32 },
}

impl Order {
    pub fn id(&self) -> u32 {
        match self {
            Order::Start { id, .. } | Order::Stop { id, .. } | Order::Cancel { id } => *id,
        }
    }
}

/// A worker's report on one run: its epochs from `from` (0-based) on, and its status after
/// them.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Update {
    pub id: u32,
    pub from: usize,
    pub history: History,
    pub status: Status,
    /// Once the run has ended: the share of dead ReLU units (the diagnosis's evidence of a
    /// collapse), read from the worker's network.
    pub dead_units: Option<f64>,
    /// The same epochs' per-layer instruments, for a run on the chart (empty for an
    /// experiment's, which records none).
    pub instruments: Vec<Vec<LayerInstruments>>,
    /// Once a run on the chart has ended: its validation confusion matrix, read from the
    /// worker's network (the classes by index: the page names them). `None` for an
    /// experiment's run, which nobody shows.
    pub confusion: Option<Confusion>,
    /// For a run on the chart, the same epochs' [`Run::confusions_by_epoch`]: what the page
    /// shows when the student stops the run at an epoch the worker is already past.
    ///
    /// [`Run::confusions_by_epoch`]: crate::train::Run::confusions_by_epoch
    #[serde(default)]
    pub confusions: Vec<Confusion>,
}
