//! The experiments on the page: once the runs on the chart are done, every applicable fix of
//! the diagnosed run is trained over [`EXPERIMENT_SEEDS`] seeds, in the page's time slices or
//! in the workers, and reported as it arrives.

use super::data::PREPARE_ROWS_PER_SLICE;
use super::machine::{error_text, ExperimentsPhase, Playground};
use super::progress::{eta_text, percent};
use super::schedule::{Pace, Slice};
use super::trainee::Remote;
use crate::config::ConfigError;
use crate::diagnose::{
    candidate_fixes, fixed_config, CauseId, Experiment, Experiments, FIRST_SEEDS, MAX_SEEDS,
};
use serde::Serialize;

/// Training seeds each experiment starts with; more are added while the answer is not settled,
/// up to [`MAX_SEEDS`].
pub const EXPERIMENT_SEEDS: usize = FIRST_SEEDS;

/// The experiments, for the page. The measured effects themselves are in the panel's
/// diagnosis (`experiments`, ranked by `Diagnosis::ranked_experiments`).
#[derive(Serialize)]
pub struct ExperimentsState {
    /// `"waiting"` (for the runs on the chart), `"running"`, `"done"` or `"unavailable"`.
    pub state: &'static str,
    /// Epochs trained and planned over all its runs.
    pub done: usize,
    pub total: usize,
    /// `done` of `total` in whole percent, as the engine prints it (99 until the last epoch).
    pub percent: usize,
    /// Training seeds drawn so far: [`EXPERIMENT_SEEDS`] at first, more while the answer is
    /// not settled, at most `max_seeds`.
    pub seeds: usize,
    pub max_seeds: usize,
    /// The fixes being tested (the placebo is not one).
    pub fixes: usize,
    /// Seed pairs measured so far over all fixes: the panel's table changes when this does.
    pub measured: usize,
    /// Why there is nothing to test (`"unavailable"`).
    pub text: String,
    /// Seconds left at the measured pace, while it trains and once measured, and in words.
    pub eta_seconds: Option<f64>,
    pub left: Option<String>,
    /// Whether the page is paused (the experiments train only while it plays).
    pub paused: bool,
}

impl Playground {
    /// The experiments' share of a time slice: starting it once the runs are done (preparing the
    /// fixed config's data takes a slice of its own), then training batch after batch within
    /// the budget.
    pub(super) fn step_experiments(&mut self, mut slice: Slice) {
        if let ExperimentsPhase::Waiting = self.experiments {
            if slice.steps > 0 {
                return; // the runs on the chart took this slice
            }
            match self.start_experiments() {
                Ok(Some(started)) => self.experiments = started,
                Ok(None) => return, // prepared the fixed data: the next slice starts it
                Err(e) => {
                    self.experiments = ExperimentsPhase::Unavailable(format!(
                        "The fix could not run: {}",
                        error_text(&e)
                    ))
                }
            }
            return;
        }
        let ExperimentsPhase::Running {
            experiments,
            pace,
            remote,
        } = &mut self.experiments
        else {
            return;
        };
        if !remote.is_empty() {
            // The workers train the runs: record what they reported.
            for (arm, i, run) in remote.iter_mut() {
                run.show(0);
                let ended = run.complete().then(|| run.shown());
                experiments.record(*arm, *i, run.shown().epochs(), ended);
            }
            if experiments.is_done() {
                if experiments.add_seeds() {
                    // Not settled: the new seeds' runs go to the workers, after the others.
                    if let Some(pool) = &mut self.pool {
                        let order = remote.len();
                        let new: Vec<_> = experiments
                            .runs()
                            .into_iter()
                            .filter(|&(arm, i, _)| !remote.iter().any(|r| (r.0, r.1) == (arm, i)))
                            .collect();
                        for (k, (arm, i, c)) in new.into_iter().enumerate() {
                            let run =
                                Remote::new(pool.start(&c, 1 + (order + k) as u32, false), &c);
                            remote.push((arm, i, run));
                        }
                    }
                } else {
                    self.experiments = ExperimentsPhase::Done(experiments.report());
                }
            }
            return;
        }
        let clock = &self.clock;
        loop {
            while !experiments.is_done() {
                if !slice.admits(clock, pace.batch_ms) {
                    return;
                }
                let step_start = clock();
                if let Err(e) = experiments.step_batch() {
                    self.experiments = ExperimentsPhase::Unavailable(format!(
                        "A fix could not run: {}",
                        error_text(&e)
                    ));
                    return;
                }
                pace.record(clock() - step_start);
            }
            // Not settled: more seeds, trained in the next slices.
            if !experiments.add_seeds() {
                break;
            }
        }
        self.experiments = ExperimentsPhase::Done(experiments.report());
    }

    /// The experiments on the diagnosed run, once every run is done. `Ok(None)` when a fixed
    /// config's data had to be prepared first: a slice that prepares does only that, and at
    /// most [`PREPARE_ROWS_PER_SLICE`] rows of it.
    fn start_experiments(&mut self) -> Result<Option<ExperimentsPhase>, ConfigError> {
        if self.training(0) {
            return Ok(None);
        }
        let Some(lane) = self.lanes.get(self.focus) else {
            return Ok(Some(ExperimentsPhase::Unavailable(
                "No run to diagnose.".into(),
            )));
        };
        let diagnosis = lane.diagnosis();
        let (config, base_data) = (lane.config.clone(), lane.data.clone());
        let fixes = candidate_fixes(&config, &diagnosis.causes, base_data.train.len());
        if fixes.is_empty() {
            return Ok(Some(ExperimentsPhase::Unavailable(
                "No fix applies to these settings.".into(),
            )));
        }
        if let Some(pool) = &mut self.pool {
            // The workers prepare the fixes' data; here every arm only needs the settings.
            let experiments =
                Experiments::new(&config, &fixes, config.seed, EXPERIMENT_SEEDS, |c| {
                    c.validate()?;
                    Ok(base_data.clone())
                })?;
            let remote = experiments
                .runs()
                .into_iter()
                .enumerate()
                .map(|(order, (arm, i, c))| {
                    let run = Remote::new(pool.start(&c, 1 + order as u32, false), &c);
                    (arm, i, run)
                })
                .collect();
            return Ok(Some(ExperimentsPhase::Running {
                experiments: Box::new(experiments.trained_elsewhere()),
                pace: Pace::default(),
                remote,
            }));
        }
        for (_, fix) in &fixes {
            let fixed = fixed_config(&config, fix)?;
            if !self.data.ready_or_step(&fixed, PREPARE_ROWS_PER_SLICE)? {
                return Ok(None);
            }
        }
        let data = &mut self.data;
        let experiments = Experiments::new(&config, &fixes, config.seed, EXPERIMENT_SEEDS, |c| {
            if c.data_settings() == config.data_settings() {
                Ok(base_data.clone())
            } else {
                data.prepared(c)
            }
        })?;
        Ok(Some(ExperimentsPhase::Running {
            experiments: Box::new(experiments),
            pace: Pace::default(),
            remote: Vec::new(),
        }))
    }

    pub fn experiments(&self) -> ExperimentsState {
        let paused = !self.playing();
        let state = |state, (done, total), report: &[Experiment], text: &str| ExperimentsState {
            state,
            done,
            total,
            percent: percent(done, total),
            seeds: report
                .iter()
                .map(|e| e.seeds_planned)
                .max()
                .unwrap_or(EXPERIMENT_SEEDS),
            max_seeds: MAX_SEEDS,
            fixes: report
                .iter()
                .filter(|e| e.cause != CauseId::Placebo)
                .count(),
            measured: report
                .iter()
                .map(|e| e.seeds + usize::from(e.complete))
                .sum(),
            text: text.to_string(),
            eta_seconds: None,
            left: None,
            paused,
        };
        if let Some(outside) = self.outside() {
            // A run made elsewhere brings no model and no data to test a fix on.
            return state("unavailable", (0, 0), &[], outside.note);
        }
        match &self.experiments {
            ExperimentsPhase::Waiting => state("waiting", (0, 0), &[], ""),
            ExperimentsPhase::Unavailable(why) => state("unavailable", (0, 0), &[], why),
            ExperimentsPhase::Stopped(report, why) => state("unavailable", (0, 0), report, why),
            ExperimentsPhase::Running { experiments, .. } => {
                let (done, total) = experiments.progress();
                let eta_seconds = (!paused)
                    .then(|| self.experiments_pacer.eta_ms((total - done) as f64))
                    .flatten()
                    .map(|ms| ms / 1000.0);
                ExperimentsState {
                    eta_seconds,
                    left: eta_seconds.map(eta_text),
                    ..state("running", (done, total), &experiments.report(), "")
                }
            }
            ExperimentsPhase::Done(report) => state("done", (1, 1), report, ""),
        }
    }
}
