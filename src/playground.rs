//! The page's state machine, in pure Rust: the runs on the chart (lanes), comparisons, the
//! faded run before a change, the multi-seed band, the experiments on the diagnosis and the time
//! slices that train them, and the URL hash. It knows nothing of the browser: time comes from
//! an injected [`Clock`], so the scheduler is tested natively with a fake one, and the charts
//! are drawn on any plotters backend (the page's canvas in `web.rs`, SVG in tests).
//!
//! Besides the runs the student sees, the same time slices train, at lower priority, the
//! diagnosis's experiments: every applicable fix over [`PROOF_SEEDS`] seeds, next to the
//! unchanged settings, in the rules' order so the most suspected fix's evidence comes first.

mod course;
mod data;
mod lane;
mod markers;
mod panel;
mod pool;
mod progress;
mod proof;
mod schedule;
mod trainee;
mod transport;

pub use data::PREPARE_ROWS_PER_SLICE;
pub use lane::Figures;
use lane::{figures, Faded, Lane};
pub use markers::diagnosis_markers;
pub use panel::{MarkerInfo, Panel, Row};
use pool::Dispatch;
pub use pool::{Order, Trainer, Update};
pub use progress::{eta_text, RunStatus};
use proof::Proof;
pub use proof::ProofState;
use schedule::Slice;
pub use schedule::{Clock, MIN_STEP_MS};
use trainee::Trainee;
use transport::Mode;

use crate::chart::{self, ChartRun, Marker, Metric, Surface};
use crate::config::{Config, ConfigError, COMPARISONS, PRESETS};
use crate::diagnose::fixed_config;
use crate::lesson::LessonError;
use crate::train::{History, Status};
use crate::view::View;
pub use course::LessonInfo;
use data::DataCache;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, RGBColor};
use progress::Pacer;
use serde::Serialize;

/// Training seeds each experiment compares over.
pub const PROOF_SEEDS: usize = 5;

/// Training seeds per run when a comparison opens: on one seed two runs can tie, or differ
/// by that seed's luck, and a comparison is about the difference.
pub const COMPARISON_SEEDS: usize = 5;

/// The multi-seed mode's choices: how many training seeds each run is trained with.
pub const SEED_COUNTS: [usize; 3] = [1, 3, 5];

/// What a lane's diagnosis was made for: epochs shown, epochs planned, the run's status.
/// What the controls show: the settings, and which preset or comparison they match.
#[derive(Serialize)]
pub struct State {
    pub settings: Config,
    pub comparison: Option<String>,
    pub preset: Option<String>,
    pub training: bool,
    /// Training seeds per run (the multi-seed mode), one of [`SEED_COUNTS`].
    pub seeds: usize,
    /// In a comparison, the run whose settings the controls show and edit (the diagnosed
    /// one); `None` for a single run.
    pub editing: Option<String>,
    /// A caution about the state, e.g. a comparison on one seed.
    pub note: Option<String>,
    /// What an embed shows.
    pub view: View,
    /// The lesson being followed, and a lesson file the page still has to fetch.
    pub lesson: Option<LessonInfo>,
    pub lesson_to_fetch: Option<String>,
}

/// A faded run, as the page's tests read it: the run before the last change.
#[derive(Serialize)]
pub struct FadedRun {
    pub label: String,
    pub settings: Config,
    /// Its first seed's history, as it was when it faded.
    pub history: History,
}

pub struct Playground {
    /// The controls' settings; in a comparison, those of the diagnosed run.
    config: Config,
    data: DataCache,
    comparison: Option<&'static str>,
    lanes: Vec<Lane>,
    faded: Vec<Faded>,
    /// Training seeds per run.
    seeds: usize,
    /// The lane the diagnosis panel is about.
    focus: usize,
    proof: Proof,
    clock: Clock,
    mode: Mode,
    /// While a slider is dragged: whether the run from before the drag has faded yet. The
    /// runs the drag passes through never become the faded "before" run.
    dragging: Option<bool>,
    /// The pace of the runs on the chart (per training step) and of the proof (per epoch).
    run_pacer: Pacer,
    proof_pacer: Pacer,
    /// The embed's view flags and the lesson being followed.
    course: course::Course,
    /// With workers: the runs given to them. `None`: the page trains in its own slices.
    pool: Option<Dispatch>,
}

/// Single runs: training blue, validation vermillion (the gap between them is the story).
const SINGLE_COLORS: (RGBColor, RGBColor) = (chart::BLUE, chart::VERMILLION);

fn comparison_named(name: &str) -> Option<(&'static str, &'static [&'static str])> {
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

/// The settings that differ between two configs, as `key=value` of `from`, e.g. "lr=0.01".
fn difference(from: &Config, to: &Config) -> String {
    let old = from.to_query();
    let new = to.to_query();
    let changed: Vec<&str> = old
        .split('&')
        .zip(new.split('&'))
        .filter(|(a, b)| a != b)
        .map(|(a, _)| a)
        .collect();
    changed.join(", ")
}

pub fn error_text(e: &ConfigError) -> String {
    format!("{}: {}", e.field, e.message)
}

fn seeds_error(value: &str) -> ConfigError {
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
            proof: Proof::Waiting,
            clock,
            mode: Mode::Playing,
            dragging: None,
            run_pacer: Pacer::default(),
            proof_pacer: Pacer::default(),
            course: course::Course::default(),
            pool: None,
        };
        playground.lanes = vec![playground.single_lane(&Config::default())?];
        Ok(playground)
    }

    fn single_lane(&mut self, config: &Config) -> Result<Lane, ConfigError> {
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

    fn comparison_lanes(&mut self, presets: &[&str]) -> Result<Vec<Lane>, ConfigError> {
        presets
            .iter()
            .zip(chart::PALETTE)
            .map(|(name, color)| {
                let config = Config::preset(name)?;
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

    /// New runs on the chart: the diagnosis starts over on the first, and so does its proof.
    fn replace_lanes(&mut self, lanes: Vec<Lane>) {
        self.lanes = lanes;
        self.focus = 0;
        self.run_pacer = Pacer::default();
        self.restart_proof();
    }

    fn restart_proof(&mut self) {
        self.proof = Proof::Waiting;
        self.proof_pacer = Pacer::default();
    }

    /// The current runs become the faded ones, unless they have not finished an epoch yet
    /// (a slider being dragged): then the older faded runs, which show something, stay.
    fn fade_current(&mut self) {
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
    fn restart_with(&mut self, next: Config) -> Result<(), ConfigError> {
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
    /// source, restarted like any change.
    pub fn reroll(&mut self) -> Result<(), ConfigError> {
        let seed = crate::rng::fresh_seed().map_err(|e| ConfigError::new("seed", e))?;
        self.set("seed", &seed.to_string())
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
            self.open_comparison(name, COMPARISON_SEEDS)?;
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
        Ok(())
    }

    /// A comparison with `seeds` training seeds per run; the controls show its first run.
    fn open_comparison(&mut self, name: &str, seeds: usize) -> Result<(), ConfigError> {
        let Some((name, presets)) = comparison_named(name) else {
            return Err(ConfigError::new(
                "compare",
                format!("unknown comparison '{name}'"),
            ));
        };
        let previous = std::mem::replace(&mut self.seeds, seeds);
        let lanes = self.comparison_lanes(presets).inspect_err(|_| {
            self.seeds = previous;
        })?;
        self.config = lanes[0].config.clone();
        self.replace_lanes(lanes);
        self.comparison = Some(name);
        Ok(())
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
        self.restart_proof();
        Ok(())
    }

    /// In a comparison the controls show (and edit) the diagnosed run.
    fn follow_focus(&mut self) {
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

    /// Which run of a comparison the diagnosis panel is about; its proof starts over.
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
            self.restart_proof();
        }
        Ok(())
    }

    /// Applies a link's hash: the view flags and lesson ([`course`]), then the experiment.
    /// A lesson link with no experiment of its own opens its step's state.
    /// Returns what was wrong with it; bad values fall back to defaults and the page goes on.
    pub fn apply_hash(&mut self, hash: &str) -> Vec<String> {
        let (experiment, mut notices) = self.course.read_link(hash);
        let state = match (experiment.is_empty(), self.course.step_state()) {
            (true, Some(step)) => step.to_string(),
            _ => experiment,
        };
        notices.extend(self.apply_state(&state));
        notices
    }

    /// What is wrong with `state` as a link: the notices opening it would give (opened in a
    /// scratch playground, so by the same code).
    pub fn problems_of(state: &str) -> Vec<String> {
        match Playground::new(Box::new(|| 0.0)) {
            Ok(mut scratch) => {
                let (experiment, mut notices) = scratch.course.read_view(state);
                notices.extend(scratch.apply_state(&experiment));
                notices
            }
            Err(e) => vec![error_text(&e)],
        }
    }

    /// A lesson file the page should fetch (same origin, relative) for the link it applied.
    pub fn lesson_to_fetch(&self) -> Option<String> {
        self.course.lesson_to_fetch().map(str::to_string)
    }

    /// The fetched lesson file: checked (every step must open without a notice), then, when
    /// the link named no experiment of its own, its step is opened.
    pub fn load_lesson(&mut self, path: &str, json: &str) -> Result<(), LessonError> {
        if self.course.load(path, json, Playground::problems_of)? {
            self.lesson_step(self.course.info().map_or(1, |i| i.step))?;
        }
        Ok(())
    }

    /// Opens step `step` (1-based) of the lesson: its state, with the view flags it sets.
    pub fn lesson_step(&mut self, step: usize) -> Result<(), LessonError> {
        let steps = self.course.info().map_or(0, |i| i.steps);
        let Some(state) = step.checked_sub(1).and_then(|i| self.course.go_to(i)) else {
            return Err(LessonError {
                place: "step".into(),
                message: format!("there is no step {step}; this lesson has 1 to {steps}"),
            });
        };
        let (experiment, _) = self.course.read_view(&state);
        // Checked when the lesson was loaded: a step opens without notices.
        self.apply_state(&experiment);
        Ok(())
    }

    pub fn lesson(&self) -> Option<LessonInfo> {
        self.course.info()
    }

    pub fn view(&self) -> &View {
        &self.course.view
    }

    /// The link to this state with the view flags `flags` (`show=lr&panel=off`, the defaults
    /// for flags it does not name) instead of the page's own: the Embed dialog's URL.
    pub fn embed_link(&self, flags: &str) -> Result<String, ConfigError> {
        let mut view = View::default();
        for pair in flags.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            view.set(key, value)?;
        }
        Ok(self.course.link_with(&self.experiment_hash(), &view))
    }

    /// Applies the experiment's part of a hash: `compare=NAME` (or `preset=NAME`, as the
    /// README documents it) for a comparison, otherwise [`Config::from_query`]; `seeds=N`
    /// sets the multi-seed mode either way.
    fn apply_state(&mut self, hash: &str) -> Vec<String> {
        let query = hash.strip_prefix('#').unwrap_or(hash);
        let key_is = |p: &&str, key: &str| p.split('=').next() == Some(key);
        fn value_of<'a>(pair: &&'a str) -> &'a str {
            pair.split_once('=').map_or("", |(_, v)| v)
        }
        let (seeds, rest): (Vec<&str>, Vec<&str>) = query
            .split('&')
            .filter(|p| !p.is_empty())
            .partition(|p| key_is(p, "seeds"));
        let names_comparison = |p: &&str| {
            key_is(p, "compare") || (key_is(p, "preset") && comparison_named(value_of(p)).is_some())
        };
        let (compare, rest): (Vec<&str>, Vec<&str>) = rest.into_iter().partition(names_comparison);
        let mut notices = Vec::new();
        let mut chosen_seeds = None;
        if let Some(pair) = seeds.last() {
            let value = value_of(pair);
            match value.parse::<usize>() {
                Ok(n) if SEED_COUNTS.contains(&n) => chosen_seeds = Some(n),
                _ => notices.push(format!(
                    "{}; the default is used",
                    error_text(&seeds_error(value))
                )),
            }
        }
        self.seeds = chosen_seeds.unwrap_or(1);
        if let Some(pair) = compare.first() {
            let name = value_of(pair);
            if comparison_named(name).is_some() {
                for pair in rest {
                    let key = pair.split('=').next().unwrap_or(pair);
                    notices.push(format!("{key}: ignored; a comparison fixes every setting"));
                }
                let seeds = chosen_seeds.unwrap_or(COMPARISON_SEEDS);
                if let Err(e) = self.open_comparison(name, seeds) {
                    notices.push(error_text(&e));
                }
                self.faded.clear();
                return notices;
            }
            let allowed: Vec<&str> = COMPARISONS.iter().map(|(n, _)| *n).collect();
            notices.push(format!(
                "compare: unknown comparison '{name}'; allowed: {}",
                allowed.join(", ")
            ));
        }
        // The leading '&' keeps a first key that begins with '#' ("##lr=1") as it was given,
        // so its notice names it.
        let (config, problems) = Config::from_query(&format!("&{}", rest.join("&")));
        notices.extend(
            problems
                .iter()
                .map(|e| format!("{}; the default is used", error_text(e))),
        );
        match self.single_lane(&config) {
            Ok(lane) => {
                self.replace_lanes(vec![lane]);
                self.config = config;
            }
            Err(e) => {
                // Every key was valid on its own but the combination cannot start: fall back
                // to the default experiment rather than leave the page without a run.
                notices.push(format!("{}; the default settings are used", error_text(&e)));
                self.config = Config::default();
                if let Ok(lane) = self.single_lane(&Config::default()) {
                    self.replace_lanes(vec![lane]);
                }
            }
        }
        self.comparison = None;
        self.faded.clear();
        notices
    }

    /// The URL hash that reopens this state, lesson step and view flags included.
    pub fn to_hash(&self) -> String {
        self.course.link(&self.experiment_hash())
    }

    /// The experiment's part of the hash.
    fn experiment_hash(&self) -> String {
        let (state, default_seeds) = match self.comparison {
            Some(name) => (format!("compare={name}"), COMPARISON_SEEDS),
            None => (self.config.to_query(), 1),
        };
        if self.seeds == default_seeds {
            state
        } else {
            format!("{state}&seeds={}", self.seeds)
        }
    }

    fn wants_batch(run: &Trainee, until_epoch: usize) -> bool {
        run.status() == Status::Training && (until_epoch == 0 || run.epoch() < until_epoch)
    }

    /// Trains for at most about `budget_ms`: batch after batch, always of the run that is
    /// furthest behind so that compared runs (and seeds) grow together, and never starting a
    /// batch that is expected to overrun the budget (except the slice's first, so training
    /// always advances). `until_epoch` > 0 stops each run there (the "step one epoch" button).
    /// Once every run on the chart is done, the rest of the budget goes to the proof.
    /// Returns how many epochs of the runs on the chart were completed, so the page redraws
    /// only when something changed.
    pub fn step_for(&mut self, budget_ms: f64, until_epoch: usize) -> usize {
        let mut slice = Slice::new(&self.clock, budget_ms);
        // The workers' epochs first: showing them costs nothing.
        let mut epochs: usize = self
            .lanes
            .iter_mut()
            .flat_map(|l| &mut l.seeds)
            .filter_map(Trainee::remote_mut)
            .map(|r| r.show(until_epoch))
            .sum();
        while let Some((run, pace)) = self
            .lanes
            .iter_mut()
            .flat_map(|l| &mut l.seeds)
            .filter(|s| Self::wants_batch(s, until_epoch))
            .filter_map(Trainee::local_mut)
            .min_by_key(|(_, pace)| pace.batches)
        {
            if !slice.admits(&self.clock, pace.batch_ms) {
                return epochs;
            }
            epochs += usize::from(pace.step(run, &self.clock));
        }
        if until_epoch == 0 {
            self.step_proof(slice);
        }
        epochs
    }

    /// Rows of data preparation done so far (every pass over the data counts its rows): a
    /// slice of the proof adds at most [`PREPARE_ROWS_PER_SLICE`].
    pub fn rows_prepared(&self) -> usize {
        self.data.rows()
    }

    /// Whether any run on the chart would train further with `until_epoch` (0: to the end).
    pub fn training(&self, until_epoch: usize) -> bool {
        self.lanes
            .iter()
            .flat_map(|l| &l.seeds)
            .any(|s| Self::wants_batch(s, until_epoch))
    }

    /// Whether `step_for` has anything left to do: runs to train, or the proof.
    pub fn working(&self) -> bool {
        self.training(0) || matches!(self.proof, Proof::Waiting | Proof::Running { .. })
    }

    /// The runs before the last change, as the chart labels them.
    pub fn faded(&self) -> Vec<FadedRun> {
        self.faded
            .iter()
            .map(|f| FadedRun {
                label: self.faded_label(f),
                settings: f.config.clone(),
                history: f.histories[0].clone(),
            })
            .collect()
    }

    /// Completed epochs of the first run (all runs of a comparison advance together).
    pub fn epoch(&self) -> usize {
        self.lanes.first().map_or(0, |l| l.run().epoch())
    }

    pub fn figures(&self) -> Vec<Figures> {
        self.lanes.iter().map(figures).collect()
    }

    /// Each run's history (its first seed's, in the multi-seed mode).
    pub fn histories(&self) -> Vec<&History> {
        self.lanes.iter().map(|l| l.run().history()).collect()
    }

    pub fn state(&self) -> State {
        let preset = match self.comparison {
            Some(name) => Some(name.to_string()),
            None => PRESETS
                .iter()
                .find(|p| Config::preset(p).ok().as_ref() == Some(&self.config))
                .map(|p| p.to_string()),
        };
        let comparing = self.lanes.len() > 1;
        State {
            settings: self.config.clone(),
            comparison: self.comparison.map(str::to_string),
            preset,
            training: self.training(0),
            seeds: self.seeds,
            editing: comparing.then(|| self.lanes[self.focus].label.clone()),
            note: (comparing && self.seeds == 1).then(|| {
                "One seed cannot show whether these runs differ: a tie, or a gap, may be that \
                 seed's luck. Choose 5 seeds to see the spread."
                    .to_string()
            }),
            view: self.course.view.clone(),
            lesson: self.course.info(),
            lesson_to_fetch: self.lesson_to_fetch(),
        }
    }

    /// The runs as the chart takes them: faded ones labelled by what has changed since.
    fn faded_label(&self, faded: &Faded) -> String {
        let what = match (faded.label.as_str(), self.lanes.len() == 1) {
            ("", _) | (_, true) => difference(&faded.config, &self.config),
            (label, false) => label.to_string(),
        };
        if what.is_empty() {
            "previous run".to_string()
        } else {
            format!("before: {what}")
        }
    }

    pub fn chart_runs(&self) -> Vec<ChartRun<'_>> {
        let faded = self.faded.iter().map(|f| ChartRun {
            label: self.faded_label(f),
            train_color: f.colors.0,
            val_color: f.colors.1,
            histories: f.histories.iter().collect(),
            epochs: f.config.epochs,
            faded: true,
        });
        let current = self.lanes.iter().map(|l| ChartRun {
            label: l.label.clone(),
            train_color: l.colors.0,
            val_color: l.colors.1,
            histories: l.seeds.iter().map(Trainee::history).collect(),
            epochs: l.config.epochs,
            faded: false,
        });
        faded.chain(current).collect()
    }

    /// Draws `metric`'s chart, with the diagnosed run's markers, filling `area`.
    pub fn draw_chart<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        metric: Metric,
        surface: Surface,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let markers: Vec<Marker> = self
            .diagnosis()
            .map_or_else(Vec::new, |d| self.markers(&d))
            .into_iter()
            .filter(|(m, _)| *m == metric)
            .map(|(_, marker)| marker)
            .collect();
        chart::draw(area, metric, &self.chart_runs(), &markers, surface)
    }
}
