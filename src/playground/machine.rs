//! The page's state machine: [`Playground`], the states it moves between (the runs on the
//! chart, whether the page trains, how far the diagnosis's experiments are), and the changes
//! the controls make: a setting, a preset or comparison, the seeds, the diagnosed run.

use super::course::Course;
use super::data::DataCache;
use super::dispatch::Dispatch;
use super::lane::{Faded, Lane};
use super::own_data::{FileInUse, KnownFile, WantedFile};
use super::progress::Pacer;
use super::schedule::{Clock, Pace};
use super::trainee::Remote;
use crate::chart;
use crate::config::{Config, ConfigError, COMPARISONS, PRESETS};
use crate::diagnose::{fixed_config, Experiment, Experiments};
use plotters::prelude::RGBColor;

/// Training seeds per run when a comparison opens: on one seed two runs can tie, or differ
/// by that seed's luck, and a comparison is about the difference.
pub const COMPARISON_SEEDS: usize = 5;

/// A pause between key presses on a slider this long (ms) ends their run of presses: the next
/// press is a new change, and the run from before it fades.
pub const KEY_PAUSE_MS: f64 = 1000.0;

/// The multi-seed mode's choices: how many training seeds each run is trained with.
pub const SEED_COUNTS: [usize; 3] = [1, 3, 5];

/// Whether the page trains: playing, paused, or training one more epoch then pausing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Mode {
    Playing,
    Paused,
    /// "Step one epoch": every run trains up to this epoch, then the page pauses.
    Stepping(usize),
}

/// The experiments on the diagnosed run: every applicable fix, measured.
pub(super) enum ExperimentsPhase {
    /// Waits for the runs on the chart to finish: they come first, and the rules' order is
    /// known only at the end.
    Waiting,
    Running {
        experiments: Box<Experiments>,
        pace: Pace,
        /// With workers: each run's `(arm, seed index)` in `experiments`, and its reports.
        remote: Vec<(usize, usize, Remote)>,
    },
    Done(Vec<Experiment>),
    /// The student stopped them: what they had measured, and the words saying so.
    Stopped(Vec<Experiment>, String),
    /// Nothing to test, and why.
    Unavailable(String),
}

pub struct Playground {
    /// The controls' settings; in a comparison, those of the diagnosed run.
    pub(super) config: Config,
    pub(super) data: DataCache,
    pub(super) comparison: Option<&'static str>,
    pub(super) lanes: Vec<Lane>,
    pub(super) faded: Vec<Faded>,
    /// Training seeds per run.
    pub(super) seeds: usize,
    /// The lane the diagnosis panel is about.
    pub(super) focus: usize,
    pub(super) experiments: ExperimentsPhase,
    pub(super) clock: Clock,
    pub(super) mode: Mode,
    /// While a slider is dragged: whether the run from before the drag has faded yet. The
    /// runs the drag passes through never become the faded "before" run.
    pub(super) dragging: Option<bool>,
    /// When the last key press on a slider came (the clock's ms): presses closer together
    /// than [`KEY_PAUSE_MS`] are one change, like a drag.
    pub(super) keys_at: Option<f64>,
    /// The pace of the runs on the chart (per training step) and of the experiments (per epoch).
    pub(super) run_pacer: Pacer,
    pub(super) experiments_pacer: Pacer,
    /// The embed's view flags and the lesson being followed.
    pub(super) course: Course,
    /// With workers: the runs given to them. `None`: the page trains in its own slices.
    pub(super) pool: Option<Dispatch>,
    /// Whether the page has workers; they train whenever no run needs a file.
    pub(super) workers_wanted: bool,
    /// The workers' book while a file keeps the training on the page: its runs in flight
    /// are cancelled with the next orders.
    pub(super) parked: Option<Dispatch>,
    /// The student's files the engine has been given, for links to find.
    pub(super) known_files: Vec<KnownFile>,
    /// The file the runs train on (in step with `config.data`).
    pub(super) file_in_use: Option<FileInUse>,
    /// A link's file this page did not have when the link opened.
    pub(super) wanted_file: Option<WantedFile>,
    /// The learning-rate finder, once asked for.
    pub(super) lr_finder: Option<Box<super::lr_finder::FinderRun>>,
    /// A run made elsewhere shown in place of the runs above, which wait meanwhile.
    pub(super) outside: Option<Box<super::outside_run::OutsideRun>>,
}

/// Single runs: training blue, validation vermillion (the gap between them is the story).
const SINGLE_COLORS: (RGBColor, RGBColor) = (chart::BLUE, chart::VERMILLION);

pub(super) fn comparison_named(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    COMPARISONS.iter().copied().find(|(n, _)| *n == name)
}

/// Legend text for a preset inside a comparison: the knob the comparison varies.
fn comparison_label(preset: &str, config: &Config) -> String {
    match preset {
        "unscaled" => "unscaled".to_string(),
        "scaled" => "standardized".to_string(),
        _ => format!("lr {}", config.learning_rate),
    }
}

pub fn error_text(e: &ConfigError) -> String {
    format!("{}: {}", e.field, e.message)
}

pub(super) fn seeds_error(value: &str) -> ConfigError {
    let allowed: Vec<String> = SEED_COUNTS.iter().map(|n| n.to_string()).collect();
    ConfigError::new(
        "seeds",
        format!("'{value}' is not one of {}", allowed.join(", ")),
    )
}

impl Playground {
    /// The default experiment, ready to train, timing its slices with `clock`.
    pub fn new(clock: Clock) -> Result<Playground, ConfigError> {
        let mut playground = Playground {
            config: Config::default(),
            data: DataCache::default(),
            comparison: None,
            lanes: Vec::new(),
            faded: Vec::new(),
            seeds: 1,
            focus: 0,
            experiments: ExperimentsPhase::Waiting,
            clock,
            mode: Mode::Playing,
            dragging: None,
            keys_at: None,
            run_pacer: Pacer::default(),
            experiments_pacer: Pacer::default(),
            course: Course::default(),
            pool: None,
            workers_wanted: false,
            parked: None,
            known_files: Vec::new(),
            file_in_use: None,
            wanted_file: None,
            lr_finder: None,
            outside: None,
        };
        playground.lanes = vec![playground.single_lane(&Config::default())?];
        Ok(playground)
    }

    pub(super) fn single_lane(&mut self, config: &Config) -> Result<Lane, ConfigError> {
        let data = self.data.prepared(config)?;
        Lane::new(
            String::new(),
            config.clone(),
            data,
            SINGLE_COLORS,
            self.seeds,
            self.pool.as_mut(),
        )
    }

    /// A comparison's runs, each with the training seed `seed` when given (a re-roll), else
    /// its preset's.
    fn comparison_lanes(
        &mut self,
        presets: &[&str],
        seed: Option<u32>,
    ) -> Result<Vec<Lane>, ConfigError> {
        presets
            .iter()
            .zip(chart::PALETTE)
            .map(|(name, color)| {
                let mut config = Config::preset(name)?;
                config.seed = seed.unwrap_or(config.seed);
                let data = self.data.prepared(&config)?;
                Lane::new(
                    comparison_label(name, &config),
                    config,
                    data,
                    (color, color),
                    self.seeds,
                    self.pool.as_mut(),
                )
            })
            .collect()
    }

    /// New runs on the chart: the diagnosis starts over on the first, and so do its experiments.
    pub(super) fn replace_lanes(&mut self, lanes: Vec<Lane>) {
        self.lanes = lanes;
        self.focus = 0;
        self.run_pacer = Pacer::default();
        self.restart_experiments();
    }

    pub(super) fn restart_experiments(&mut self) {
        self.experiments = ExperimentsPhase::Waiting;
        self.experiments_pacer = Pacer::default();
    }

    /// The current runs become the faded ones, unless they have not finished an epoch yet
    /// (a slider being dragged): then the older faded runs, which show something, stay.
    pub(super) fn fade_current(&mut self) {
        if self.lanes.iter().any(|l| l.run().epoch() > 0) {
            self.faded = self
                .lanes
                .drain(..)
                .map(|l| Faded {
                    histories: l.seeds.iter().map(|s| s.history().clone()).collect(),
                    label: l.label,
                    config: l.config,
                    colors: l.colors,
                })
                .collect();
        }
    }

    /// Starts `next` as a single run, the current runs fading.
    pub(super) fn restart_with(&mut self, next: Config) -> Result<(), ConfigError> {
        let lane = self.single_lane(&next)?;
        match self.dragging {
            // The drag's first change faded the run it started from; the runs it passed
            // through since are dropped.
            Some(true) => {}
            Some(false) => {
                self.fade_current();
                self.dragging = Some(true);
            }
            None => self.fade_current(),
        }
        self.config = next;
        self.comparison = None;
        self.replace_lanes(vec![lane]);
        Ok(())
    }

    /// Changes one setting and restarts with the same seed; the previous run stays, faded.
    /// A rejected value changes nothing.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        let mut next = self.config.clone();
        next.set(key, value)?;
        self.restart_with(next)
    }

    /// *Re-roll*: the same settings with a fresh training seed from the platform's random
    /// source, restarted like any change. In a comparison every run takes the one new seed and
    /// the comparison stays: a student asks whether its ordering holds on another seed.
    pub fn reroll(&mut self) -> Result<(), ConfigError> {
        let seed = crate::rng::fresh_seed().map_err(|e| ConfigError::new("seed", e))?;
        self.reroll_with(seed)
    }

    /// [`Playground::reroll`] with a given seed (the tests' way to know it).
    pub fn reroll_with(&mut self, seed: u32) -> Result<(), ConfigError> {
        let Some(name) = self.comparison else {
            return self.set("seed", &seed.to_string());
        };
        let focus = self.focus;
        self.open_comparison(name, self.seeds, Some(seed))?;
        // The runs are the same ones: the diagnosis stays on the run it was about, and the
        // curves of the old seed go (the chart would hold twice the runs).
        self.focus = focus.min(self.lanes.len() - 1);
        self.follow_focus();
        self.faded.clear();
        Ok(())
    }

    /// A cause's fix ("try it"): the diagnosed run's settings with the `(key, value)` pairs
    /// applied, restarted like any change. A rejected pair changes nothing.
    pub fn apply_fix(&mut self, fix: &[(String, String)]) -> Result<(), ConfigError> {
        let base = self
            .lanes
            .get(self.focus)
            .map_or(&self.config, |l| &l.config);
        let next = fixed_config(base, fix)?;
        self.restart_with(next)
    }

    /// One of the article's experiments ([`PRESETS`]) or comparisons ([`COMPARISONS`]).
    /// A new experiment starts with a clean chart.
    pub fn preset(&mut self, name: &str) -> Result<(), ConfigError> {
        if comparison_named(name).is_some() {
            self.open_comparison(name, COMPARISON_SEEDS, None)?;
        } else {
            let config = Config::preset(name).map_err(|_| {
                let comparisons: Vec<&str> = COMPARISONS.iter().map(|(n, _)| *n).collect();
                ConfigError::new(
                    "preset",
                    format!(
                        "unknown preset '{name}'; allowed: {}, {}",
                        PRESETS.join(", "),
                        comparisons.join(", ")
                    ),
                )
            })?;
            let lane = self.single_lane(&config)?;
            self.replace_lanes(vec![lane]);
            self.config = config;
            self.comparison = None;
        }
        self.faded.clear();
        self.wanted_file = None;
        self.settle_workers()
    }

    /// A comparison with `seeds` training seeds per run, every run with the training seed
    /// `seed` if given (else its preset's); the controls show its first run.
    pub(super) fn open_comparison(
        &mut self,
        name: &str,
        seeds: usize,
        seed: Option<u32>,
    ) -> Result<(), ConfigError> {
        let Some((name, presets)) = comparison_named(name) else {
            return Err(ConfigError::new(
                "compare",
                format!("unknown comparison '{name}'"),
            ));
        };
        let previous = std::mem::replace(&mut self.seeds, seeds);
        let lanes = self.comparison_lanes(presets, seed).inspect_err(|_| {
            self.seeds = previous;
        })?;
        self.config = lanes[0].config.clone();
        self.replace_lanes(lanes);
        self.comparison = Some(name);
        self.settle_workers()
    }

    /// Restarts the current runs from scratch (same settings, same seeds; a run the student
    /// stopped gets its planned epochs back).
    pub fn reset(&mut self) -> Result<(), ConfigError> {
        for lane in &mut self.lanes {
            if let Some(planned) = lane.stopped_from.take() {
                lane.config.epochs = planned;
            }
            lane.restart(self.seeds, self.pool.as_mut())?;
        }
        self.follow_focus();
        self.run_pacer = Pacer::default();
        self.restart_experiments();
        Ok(())
    }

    /// In a comparison the controls show (and edit) the diagnosed run.
    pub(super) fn follow_focus(&mut self) {
        if self.lanes.len() > 1 {
            self.config = self.lanes[self.focus].config.clone();
        } else if let Some(lane) = self.lanes.first() {
            self.config.epochs = lane.config.epochs;
        }
    }

    /// The multi-seed mode: trains every run with `seeds` training seeds (one of
    /// [`SEED_COUNTS`]) and draws their mean and spread. The runs of seeds kept go on.
    pub fn set_seeds(&mut self, seeds: usize) -> Result<(), ConfigError> {
        if !SEED_COUNTS.contains(&seeds) {
            return Err(seeds_error(&seeds.to_string()));
        }
        for lane in &mut self.lanes {
            lane.set_seeds(seeds, self.pool.as_mut())?;
        }
        self.seeds = seeds;
        Ok(())
    }

    /// Which run of a comparison the diagnosis panel is about; its experiments start over.
    pub fn focus(&mut self, index: usize) -> Result<(), ConfigError> {
        if index >= self.lanes.len() {
            return Err(ConfigError::new(
                "focus",
                format!("no run {index}; there are {}", self.lanes.len()),
            ));
        }
        if index != self.focus {
            self.focus = index;
            self.follow_focus();
            self.restart_experiments();
        }
        Ok(())
    }
}
