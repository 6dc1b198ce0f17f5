//! A worker's engine: the [`Trainer`] each training worker runs, carrying out the page's
//! [`Order`]s and reporting [`Update`]s. It shares nothing with the page's side but the
//! messages.

use super::data::DataCache;
use super::messages::{Order, Update};
use super::schedule::{Clock, Pace, Slice, MIN_STEP_MS};
use crate::config::{Config, Prepared};
use crate::diagnose::dead_relu_fraction;
use crate::train::{History, Run, Status};
use std::rc::Rc;

/// One run in a worker.
struct Job {
    id: u32,
    priority: u32,
    config: Config,
    data: Rc<Prepared>,
    /// Built when first trained: the experiments hand out their 30-odd runs at once and a worker
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

    /// How long the rest of the run is expected to take at its pace so far (an upper bound:
    /// early stopping may end it sooner); unknown (infinite) before its first step.
    fn rest_ms(&self) -> f64 {
        match &self.run {
            Some(run) if self.pace.batches > 0 && self.status() == Status::Training => {
                let epochs = run.spec().epochs.saturating_sub(run.epoch());
                (epochs * run.steps_per_epoch()) as f64 * self.pace.batch_ms.max(MIN_STEP_MS)
            }
            Some(_) if self.status() != Status::Training => 0.0,
            _ => f64::INFINITY,
        }
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

/// The longest slice with no run on the chart in it. A worker hears a new order only between
/// slices, so a student's change (a new run on the chart) first waits for the experiments'
/// slice under way to end: half of it on average, 12.5 ms of a 25 ms slice, a quarter of the
/// 50 ms a change may take to be drawn. The chart's runs keep the page's budget, since each
/// slice's end costs a report.
pub const BACKGROUND_SLICE_MS: f64 = 5.0;

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
                instruments,
            } => {
                let (config, problems) = Config::from_query(&query);
                if let Some(e) = problems.first() {
                    return Err(format!("run {id}: {}: {}", e.field, e.message));
                }
                let named =
                    |e: crate::config::ConfigError| format!("run {id}: {}: {}", e.field, e.message);
                let data = self.data.prepared(&config).map_err(named)?;
                // The runs on the chart train together from the start; the experiments' runs wait, and
                // are built when first trained (checked here, so that build cannot fail).
                let run = if priority == 0 {
                    let run = config.start_with(&data).map_err(named)?;
                    Some(Box::new(if instruments {
                        run.with_instruments()
                    } else {
                        run
                    }))
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

    /// How long the runs on the chart are expected to take to their end.
    fn chart_rest_ms(&self) -> f64 {
        self.jobs
            .iter()
            .filter(|j| j.priority == 0)
            .map(Job::rest_ms)
            .sum()
    }

    /// Whether any run is left to train or to report.
    pub fn busy(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// Trains for about `budget_ms` (the most urgent run first, equals in turn; at most
    /// [`BACKGROUND_SLICE_MS`] when no run on the chart is training), then reports what
    /// changed: each run's new epochs, and its end with the share of dead units (and, for a
    /// run on the chart, its confusion matrix). A run on the chart that ends is reported at
    /// once, not after the rest of the slice has gone to the experiments.
    pub fn work(&mut self, budget_ms: f64) -> Vec<Update> {
        let charted = self
            .jobs
            .iter()
            .any(|j| j.priority == 0 && j.status() == Status::Training);
        let budget_ms = if charted {
            budget_ms
        } else {
            budget_ms.min(BACKGROUND_SLICE_MS)
        };
        let mut slice = Slice::new(&self.clock, budget_ms);
        let mut extended = false;
        while let Some(i) = (0..self.jobs.len())
            .filter(|&i| self.jobs[i].status() == Status::Training)
            .min_by_key(|&i| (self.jobs[i].priority, self.jobs[i].pace.batches))
        {
            if !slice.admits(&self.clock, self.jobs[i].pace.batch_ms) {
                // Runs on the chart that would end within one more slice end in this one:
                // the page then gets the whole run in one report and draws it once, instead
                // of drawing a part while the rest trains (on 2 cores the drawing slows the
                // worker). A change waits at most two slices for it, and only when the runs
                // are that close to their end.
                if !charted || extended || self.chart_rest_ms() > budget_ms {
                    break;
                }
                slice.extend(budget_ms);
                extended = true;
                continue;
            }
            let job = &mut self.jobs[i];
            let clock = &self.clock;
            let mut pace = std::mem::take(&mut job.pace);
            pace.step(job.run(), clock);
            job.pace = pace;
            if job.priority == 0 && job.status() != Status::Training {
                break;
            }
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
            let confusion =
                (status != Status::Training && job.priority == 0).then(|| run.confusion());
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
                instruments: run
                    .instruments()
                    .get(job.sent..)
                    .unwrap_or_default()
                    .to_vec(),
                confusion,
                confusions: run
                    .confusions_by_epoch()
                    .get(job.sent..)
                    .unwrap_or_default()
                    .to_vec(),
            });
            job.sent = h.epochs();
        }
        self.jobs.retain(|j| j.status() == Status::Training);
        updates
    }
}
