//! Training off the page's main thread: the page's [`Playground`](super::Playground) writes
//! [`Order`]s, a pool of Web Workers each runs a [`Trainer`] (one wasm instance per worker),
//! and the trainers report [`Update`]s, which the playground shows as the transport allows.
//!
//! Training is deterministic, so a worker's run is bit for bit the run the page would have
//! trained itself: the same config (sent as its link, seed included), the same data, the same
//! arithmetic. Both sides are plain Rust, tested natively with the messages passed by hand.

use super::data::DataCache;
use super::schedule::{Clock, Pace, Slice};
use super::trainee::Trainee;
use super::{Playground, Proof};
use crate::config::{Config, ConfigError, Prepared};
use crate::diagnose::dead_relu_fraction;
use crate::train::{History, Run, Status};
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

/// What the page asks of its workers.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Order {
    /// Train `query` (a [`Config::to_query`] link, seed included) to its end. A trainer
    /// works on its lowest `priority` first; runs of equal priority grow together.
    Start {
        id: u32,
        query: String,
        priority: u32,
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
}

/// The page's book of the runs it has given to workers.
/// Run ids are unique over every playground of this wasm instance: a page that rebuilds its
/// playground (after a panic) still has the old one's runs in its workers.
static NEXT_ID: AtomicU32 = AtomicU32::new(0);

#[derive(Default)]
pub(super) struct Dispatch {
    /// Written since the page last took them.
    orders: Vec<Order>,
    /// Started (sent) and not yet reported ended.
    in_flight: Vec<u32>,
}

impl Dispatch {
    /// A new run for the workers; returns its id.
    pub(super) fn start(&mut self, config: &Config, priority: u32) -> u32 {
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        self.orders.push(Order::Start {
            id,
            query: config.to_query(),
            priority,
        });
        id
    }

    pub(super) fn stop(&mut self, id: u32, epochs: usize) {
        self.orders.push(Order::Stop { id, epochs });
    }

    pub(super) fn ended(&mut self, id: u32) {
        self.in_flight.retain(|&i| i != id);
    }

    /// The orders to send, given the runs the playground still has (`live`): a run given
    /// out and dropped since is cancelled; one written and dropped before it was sent (a
    /// slider's drag passes many) is never sent at all.
    pub(super) fn take(&mut self, live: &[u32]) -> Vec<Order> {
        let mut orders: Vec<Order> = self
            .in_flight
            .iter()
            .filter(|id| !live.contains(id))
            .map(|&id| Order::Cancel { id })
            .collect();
        self.in_flight.retain(|id| live.contains(id));
        for order in self.orders.drain(..) {
            if !live.contains(&order.id()) {
                continue;
            }
            if let Order::Start { id, .. } = order {
                self.in_flight.push(id);
            }
            orders.push(order);
        }
        orders
    }
}

/// One run in a worker.
struct Job {
    id: u32,
    priority: u32,
    config: Config,
    data: Rc<Prepared>,
    /// Built when first trained: the proof hands out its 30-odd runs at once and a worker
    /// trains them one after another, so only one of them holds its data and network at a
    /// time (the worker's memory is its most it ever held: wasm never gives pages back).
    run: Option<Box<Run>>,
    /// The student's Stop, for a run not built yet.
    stop: Option<usize>,
    pace: Pace,
    /// Epochs reported so far.
    sent: usize,
}

impl Job {
    fn status(&self) -> Status {
        self.run.as_ref().map_or(Status::Training, |r| r.status())
    }

    fn run(&mut self) -> &mut Run {
        let (config, data, stop) = (&self.config, &self.data, self.stop);
        self.run.get_or_insert_with(|| {
            // `check_start` passed when the order came: it starts.
            let mut run = config
                .start_with(data)
                .expect("the run started when ordered");
            if let Some(epochs) = stop {
                run.stop_at(epochs);
            }
            Box::new(run)
        })
    }
}

/// A worker's engine: trains the runs it is given, in slices short enough that a cancel is
/// heard soon, and reports each slice's new epochs.
pub struct Trainer {
    clock: Clock,
    data: DataCache,
    jobs: Vec<Job>,
}

impl Trainer {
    pub fn new(clock: Clock) -> Trainer {
        Trainer {
            clock,
            data: DataCache::default(),
            jobs: Vec::new(),
        }
    }

    /// Carries out one order. A run that cannot start says why, naming the setting.
    pub fn order(&mut self, order: Order) -> Result<(), String> {
        match order {
            Order::Start {
                id,
                query,
                priority,
            } => {
                let (config, problems) = Config::from_query(&query);
                if let Some(e) = problems.first() {
                    return Err(format!("run {id}: {}: {}", e.field, e.message));
                }
                let named =
                    |e: crate::config::ConfigError| format!("run {id}: {}: {}", e.field, e.message);
                let data = self.data.prepared(&config).map_err(named)?;
                // The runs on the chart train together from the start; the proof's wait, and
                // are built when first trained (checked here, so that build cannot fail).
                let run = if priority == 0 {
                    Some(Box::new(config.start_with(&data).map_err(named)?))
                } else {
                    config.check_start(&data).map_err(named)?;
                    None
                };
                self.jobs.push(Job {
                    id,
                    priority,
                    config,
                    data,
                    run,
                    stop: None,
                    pace: Pace::default(),
                    sent: 0,
                });
            }
            Order::Stop { id, epochs } => {
                if let Some(job) = self.jobs.iter_mut().find(|j| j.id == id) {
                    match &mut job.run {
                        Some(run) => {
                            run.stop_at(epochs);
                        }
                        None => job.stop = Some(epochs),
                    }
                }
            }
            Order::Cancel { id } => self.jobs.retain(|j| j.id != id),
        }
        Ok(())
    }

    /// Whether any run is left to train or to report.
    pub fn busy(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// Trains for about `budget_ms` (the most urgent run first, equals in turn), then
    /// reports what changed: each run's new epochs, and its end with the share of dead units.
    pub fn work(&mut self, budget_ms: f64) -> Vec<Update> {
        let mut slice = Slice::new(&self.clock, budget_ms);
        while let Some(job) = self
            .jobs
            .iter_mut()
            .filter(|j| j.status() == Status::Training)
            .min_by_key(|j| (j.priority, j.pace.batches))
        {
            if !slice.admits(&self.clock, job.pace.batch_ms) {
                break;
            }
            let clock = &self.clock;
            let mut pace = std::mem::take(&mut job.pace);
            pace.step(job.run(), clock);
            job.pace = pace;
        }
        let mut updates = Vec::new();
        for job in &mut self.jobs {
            let Some(run) = &job.run else { continue };
            let (h, status) = (run.history(), run.status());
            if h.epochs() == job.sent && status == Status::Training {
                continue;
            }
            let tail = |v: &[f64]| v[job.sent..].to_vec();
            let dead_units = (status != Status::Training)
                .then(|| dead_relu_fraction(job.config.activation, &run.weights(), &job.data.train))
                .flatten();
            updates.push(Update {
                id: job.id,
                from: job.sent,
                history: History {
                    loss: tail(&h.loss),
                    accuracy: tail(&h.accuracy),
                    val_loss: tail(&h.val_loss),
                    val_accuracy: tail(&h.val_accuracy),
                },
                status,
                dead_units,
            });
            job.sent = h.epochs();
        }
        self.jobs.retain(|j| j.status() == Status::Training);
        updates
    }
}

/// The page's side of the pool.
impl Playground {
    /// Whether runs train in workers (`true`) or in the page's own time slices. The runs on
    /// the chart start over on the new side (training is deterministic: they come out the
    /// same), and so does the proof. The page switches on once its workers have started, and
    /// back off if they fail.
    pub fn use_workers(&mut self, on: bool) -> Result<(), ConfigError> {
        if on == self.pool.is_some() {
            return Ok(());
        }
        self.pool = on.then(Dispatch::default);
        for lane in &mut self.lanes {
            lane.restart(self.seeds, self.pool.as_mut())?;
        }
        self.restart_proof();
        Ok(())
    }

    pub fn workers(&self) -> bool {
        self.pool.is_some()
    }

    /// The orders for the workers since the last call (none without workers).
    pub fn take_orders(&mut self) -> Vec<Order> {
        let live = self.live_runs();
        self.pool
            .as_mut()
            .map_or_else(Vec::new, |pool| pool.take(&live))
    }

    /// A worker's report; one about a run the page no longer has is dropped.
    pub fn receive(&mut self, update: &Update) {
        if let (Some(pool), true) = (&mut self.pool, update.status != Status::Training) {
            pool.ended(update.id);
        }
        let lanes = self
            .lanes
            .iter_mut()
            .flat_map(|l| &mut l.seeds)
            .filter_map(Trainee::remote_mut);
        let proof = match &mut self.proof {
            Proof::Running { remote, .. } => Some(remote.iter_mut().map(|(_, _, r)| r)),
            _ => None,
        };
        if let Some(run) = lanes
            .chain(proof.into_iter().flatten())
            .find(|r| r.id == update.id)
        {
            run.receive(update);
        }
    }

    /// The ids of the runs given to workers that the page still wants.
    fn live_runs(&self) -> Vec<u32> {
        let lanes = self.lanes.iter().flat_map(|l| l.remote_ids());
        let proof = match &self.proof {
            Proof::Running { remote, .. } => remote.iter().map(|(_, _, r)| r.id).collect(),
            _ => Vec::new(),
        };
        lanes.chain(proof).collect()
    }
}
