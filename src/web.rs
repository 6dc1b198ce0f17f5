//! The page's one handle on the engine (wasm32 only). It converts, it does not compute:
//! settings arrive as the URL-hash keys of [`Config::set`], runs advance through
//! [`Run::step_batch`] in time slices, figures leave as plain objects, and the curves are drawn
//! by [`chart`] onto the page's two canvases.
//!
//! The plain `impl Playground` is the Rust API; the `#[wasm_bindgen] impl` below it is the
//! JS API, a thin wrapper that turns errors into JS `Error`s naming what was wrong.

use crate::chart::{self, ChartRun, Marker, Metric, Surface};
use crate::config::{Config, ConfigError, DataSettings, Prepared, COMPARISONS, PRESETS};
use crate::train::{History, Run, Status};
use plotters::prelude::{IntoDrawingArea, RGBColor};
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A run being trained on the page.
struct Lane {
    /// Legend text in a comparison; empty for a single run.
    label: String,
    config: Config,
    run: Run,
    colors: (RGBColor, RGBColor),
    pace: Pace,
}

impl Lane {
    fn new(label: String, config: Config, run: Run, colors: (RGBColor, RGBColor)) -> Lane {
        Lane {
            label,
            config,
            run,
            colors,
            pace: Pace::default(),
        }
    }

    /// The expected time of this run's next step.
    fn next_batch_ms(&self) -> f64 {
        self.pace.batch_ms
    }
}

/// How long a run's steps take, so that a time slice does not start work it cannot finish
/// in time. Every step is one training batch or one validation chunk (the engine spreads
/// validation over steps), so one running average serves both.
#[derive(Default)]
struct Pace {
    /// Steps taken since the run started.
    batches: usize,
    batch_ms: f64,
}

impl Pace {
    fn record(&mut self, ms: f64) {
        self.batch_ms = if self.batches == 0 {
            ms
        } else {
            0.7 * self.batch_ms + 0.3 * ms
        };
        self.batches += 1;
    }
}

/// A run from before the student's last change, drawn faded for comparison.
struct Faded {
    label: String,
    config: Config,
    history: History,
    colors: (RGBColor, RGBColor),
}

/// What the page shows under the charts for one run.
#[derive(Serialize)]
pub struct Figures {
    pub label: String,
    /// The run's colour on the chart, as CSS `#rrggbb`, for the table's swatch.
    pub color: String,
    /// Completed epochs, and the planned number.
    pub epoch: usize,
    pub epochs: usize,
    pub loss: Option<f64>,
    pub accuracy: Option<f64>,
    pub val_loss: Option<f64>,
    pub val_accuracy: Option<f64>,
    pub best_val_accuracy: Option<f64>,
    /// 1-based epoch of the best validation accuracy (the first, if tied).
    pub best_epoch: Option<usize>,
    pub status: Status,
}

/// What the controls show: the settings, and which preset or comparison they match.
#[derive(Serialize)]
pub struct State {
    pub settings: Config,
    pub comparison: Option<String>,
    pub preset: Option<String>,
    pub training: bool,
}

/// The data of the last few configs. Most controls (learning rate, layers, optimizer, seed…)
/// leave the data as it was, and preparing 10,000 rows takes tens of milliseconds in wasm:
/// too long for one frame, so it is done once per dataset, not once per change.
#[derive(Default)]
struct DataCache {
    entries: Vec<(DataSettings, Prepared)>,
}

impl DataCache {
    /// Enough for a comparison's datasets plus the one before a change.
    const CAPACITY: usize = 4;

    /// What `config.start()` does, with the data from the cache when it is there.
    fn start(&mut self, config: &Config) -> Result<Run, ConfigError> {
        config.validate()?;
        let key = config.data_settings();
        let index = match self.entries.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                if self.entries.len() == Self::CAPACITY {
                    self.entries.remove(0);
                }
                self.entries.push((key, config.prepare()?));
                self.entries.len() - 1
            }
        };
        config.start_with(&self.entries[index].1)
    }
}

pub struct Playground {
    /// The controls' settings; in a comparison, those of its last run.
    config: Config,
    data: DataCache,
    comparison: Option<&'static str>,
    lanes: Vec<Lane>,
    faded: Vec<Faded>,
    loss_canvas: Option<HtmlCanvasElement>,
    accuracy_canvas: Option<HtmlCanvasElement>,
}

/// Single runs: training blue, validation vermillion (the gap between them is the story).
const SINGLE_COLORS: (RGBColor, RGBColor) = (chart::BLUE, chart::VERMILLION);

/// Milliseconds since the page loaded.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or_else(js_sys::Date::now)
}

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

fn error_text(e: &ConfigError) -> String {
    format!("{}: {}", e.field, e.message)
}

fn last_finite(values: &[f64]) -> Option<f64> {
    values.last().copied().filter(|v| v.is_finite())
}

fn figures(lane: &Lane) -> Figures {
    let (label, run, epochs) = (&lane.label, &lane.run, lane.config.epochs);
    let RGBColor(r, g, b) = lane.colors.0;
    let h = run.history();
    let best = h
        .val_accuracy
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .fold(None, |best: Option<(usize, f64)>, (i, &v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((i, v)),
        });
    Figures {
        label: label.to_string(),
        color: format!("#{r:02x}{g:02x}{b:02x}"),
        epoch: run.epoch(),
        epochs,
        loss: last_finite(&h.loss),
        accuracy: last_finite(&h.accuracy),
        val_loss: last_finite(&h.val_loss),
        val_accuracy: last_finite(&h.val_accuracy),
        best_val_accuracy: best.map(|(_, v)| v),
        best_epoch: best.map(|(i, _)| i + 1),
        status: run.status(),
    }
}

impl Playground {
    /// The default experiment, ready to train.
    pub fn with_canvases(
        loss_canvas: Option<HtmlCanvasElement>,
        accuracy_canvas: Option<HtmlCanvasElement>,
    ) -> Result<Playground, ConfigError> {
        let mut playground = Playground {
            config: Config::default(),
            data: DataCache::default(),
            comparison: None,
            lanes: Vec::new(),
            faded: Vec::new(),
            loss_canvas,
            accuracy_canvas,
        };
        playground.lanes = vec![playground.single_lane(&Config::default())?];
        Ok(playground)
    }

    fn single_lane(&mut self, config: &Config) -> Result<Lane, ConfigError> {
        let run = self.data.start(config)?;
        Ok(Lane::new(String::new(), config.clone(), run, SINGLE_COLORS))
    }

    fn comparison_lanes(&mut self, presets: &[&str]) -> Result<Vec<Lane>, ConfigError> {
        presets
            .iter()
            .zip(chart::PALETTE)
            .map(|(name, color)| {
                let config = Config::preset(name)?;
                let run = self.data.start(&config)?;
                Ok(Lane::new(
                    comparison_label(name, &config),
                    config,
                    run,
                    (color, color),
                ))
            })
            .collect()
    }

    /// The current runs become the faded ones, unless they have not finished an epoch yet
    /// (a slider being dragged): then the older faded runs, which show something, stay.
    fn fade_current(&mut self) {
        if self.lanes.iter().any(|l| l.run.epoch() > 0) {
            self.faded = self
                .lanes
                .drain(..)
                .map(|l| Faded {
                    label: l.label,
                    config: l.config,
                    history: l.run.history().clone(),
                    colors: l.colors,
                })
                .collect();
        }
    }

    /// Changes one setting and restarts with the same seed; the previous run stays, faded.
    /// A rejected value changes nothing.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), ConfigError> {
        let mut next = self.config.clone();
        next.set(key, value)?;
        let lane = self.single_lane(&next)?;
        self.fade_current();
        self.config = next;
        self.comparison = None;
        self.lanes = vec![lane];
        Ok(())
    }

    /// One of the article's experiments ([`PRESETS`]) or comparisons ([`COMPARISONS`]).
    /// A new experiment starts with a clean chart.
    pub fn preset(&mut self, name: &str) -> Result<(), ConfigError> {
        if let Some((name, presets)) = comparison_named(name) {
            self.lanes = self.comparison_lanes(presets)?;
            self.config = self
                .lanes
                .last()
                .expect("comparisons list presets")
                .config
                .clone();
            self.comparison = Some(name);
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
            self.lanes = vec![self.single_lane(&config)?];
            self.config = config;
            self.comparison = None;
        }
        self.faded.clear();
        Ok(())
    }

    /// Restarts the current runs from scratch (same settings, same seed).
    pub fn reset(&mut self) -> Result<(), ConfigError> {
        for lane in &mut self.lanes {
            lane.run = self.data.start(&lane.config)?;
            lane.pace.batches = 0;
        }
        Ok(())
    }

    /// Applies a URL hash: `compare=NAME` for a comparison, otherwise [`Config::from_query`].
    /// Returns what was wrong with it; bad values fall back to defaults and the page goes on.
    pub fn apply_hash(&mut self, hash: &str) -> Vec<String> {
        let query = hash.trim_start_matches('#');
        let (compare, rest): (Vec<&str>, Vec<&str>) = query
            .split('&')
            .filter(|p| !p.is_empty())
            .partition(|p| p.split('=').next() == Some("compare"));
        let mut notices = Vec::new();
        if let Some(pair) = compare.first() {
            let name = pair.split_once('=').map_or("", |(_, v)| v);
            if comparison_named(name).is_some() {
                for pair in rest {
                    let key = pair.split('=').next().unwrap_or(pair);
                    notices.push(format!("{key}: ignored; a comparison fixes every setting"));
                }
                if let Err(e) = self.preset(name) {
                    notices.push(error_text(&e));
                }
                return notices;
            }
            let allowed: Vec<&str> = COMPARISONS.iter().map(|(n, _)| *n).collect();
            notices.push(format!(
                "compare: unknown comparison '{name}'; allowed: {}",
                allowed.join(", ")
            ));
        }
        let (config, problems) = Config::from_query(&rest.join("&"));
        notices.extend(
            problems
                .iter()
                .map(|e| format!("{}; the default is used", error_text(e))),
        );
        match self.single_lane(&config) {
            Ok(lane) => {
                self.lanes = vec![lane];
                self.config = config;
            }
            Err(e) => {
                // Every key was valid on its own but the combination cannot start: fall back
                // to the default experiment rather than leave the page without a run.
                notices.push(format!("{}; the default settings are used", error_text(&e)));
                self.config = Config::default();
                if let Ok(lane) = self.single_lane(&Config::default()) {
                    self.lanes = vec![lane];
                }
            }
        }
        self.comparison = None;
        self.faded.clear();
        notices
    }

    /// The URL hash that reopens this state.
    pub fn to_hash(&self) -> String {
        match self.comparison {
            Some(name) => format!("compare={name}"),
            None => self.config.to_query(),
        }
    }

    fn lane_wants_batch(lane: &Lane, until_epoch: usize) -> bool {
        lane.run.status() == Status::Training
            && (until_epoch == 0 || lane.run.epoch() < until_epoch)
    }

    /// Trains for at most about `budget_ms`: batch after batch, always of the run that is
    /// furthest behind so that compared runs grow together, and never starting a batch that is
    /// expected to overrun the budget (except the slice's first, so training always advances).
    /// `until_epoch` > 0 stops each run there (the "step one epoch" button).
    /// Returns how many epochs were completed, so the page redraws only when something changed.
    pub fn step_for(&mut self, budget_ms: f64, until_epoch: usize) -> usize {
        let start = now_ms();
        let before: usize = self.lanes.iter().map(|l| l.run.epoch()).sum();
        let mut first = true;
        while let Some(lane) = self
            .lanes
            .iter_mut()
            .filter(|l| Self::lane_wants_batch(l, until_epoch))
            .min_by_key(|l| l.pace.batches)
        {
            let batch_start = now_ms();
            if !first && batch_start - start + lane.next_batch_ms() > budget_ms {
                break;
            }
            first = false;
            lane.run.step_batch();
            lane.pace.record(now_ms() - batch_start);
        }
        self.lanes.iter().map(|l| l.run.epoch()).sum::<usize>() - before
    }

    /// Whether any run would train further with `until_epoch` (0: to the end).
    pub fn training(&self, until_epoch: usize) -> bool {
        self.lanes
            .iter()
            .any(|l| Self::lane_wants_batch(l, until_epoch))
    }

    /// Completed epochs of the first run (all runs of a comparison advance together).
    pub fn epoch(&self) -> usize {
        self.lanes.first().map_or(0, |l| l.run.epoch())
    }

    pub fn figures(&self) -> Vec<Figures> {
        self.lanes.iter().map(figures).collect()
    }

    pub fn histories(&self) -> Vec<&History> {
        self.lanes.iter().map(|l| l.run.history()).collect()
    }

    pub fn state(&self) -> State {
        let preset = match self.comparison {
            Some(name) => Some(name.to_string()),
            None => PRESETS
                .iter()
                .find(|p| Config::preset(p).ok().as_ref() == Some(&self.config))
                .map(|p| p.to_string()),
        };
        State {
            settings: self.config.clone(),
            comparison: self.comparison.map(str::to_string),
            preset,
            training: self.training(0),
        }
    }

    /// The runs as the chart takes them: faded ones labelled by what has changed since.
    fn chart_runs(&self) -> Vec<ChartRun<'_>> {
        let single = self.lanes.len() == 1;
        let faded = self.faded.iter().map(|f| {
            let what = match (f.label.as_str(), single) {
                ("", _) | (_, true) => difference(&f.config, &self.config),
                (label, false) => label.to_string(),
            };
            ChartRun {
                label: if what.is_empty() {
                    "previous run".to_string()
                } else {
                    format!("before: {what}")
                },
                train_color: f.colors.0,
                val_color: f.colors.1,
                history: &f.history,
                epochs: f.config.epochs,
                faded: true,
            }
        });
        let current = self.lanes.iter().map(|l| ChartRun {
            label: l.label.clone(),
            train_color: l.colors.0,
            val_color: l.colors.1,
            history: l.run.history(),
            epochs: l.config.epochs,
            faded: false,
        });
        faded.chain(current).collect()
    }

    /// The best validation epoch of a single run; a comparison has too many to mark.
    fn markers(&self) -> Vec<Marker> {
        match (self.lanes.as_slice(), self.figures().first()) {
            (
                [_],
                Some(Figures {
                    best_epoch: Some(epoch),
                    ..
                }),
            ) => vec![Marker {
                epoch: *epoch,
                label: "best val".to_string(),
                color: chart::GREEN,
            }],
            _ => Vec::new(),
        }
    }

    /// Draws both charts at the canvases' current backing size; the page sizes them to
    /// CSS pixels × devicePixelRatio, and text and lines scale with that ratio.
    pub fn draw(&self) -> Result<(), String> {
        self.draw_charts(&[Metric::Loss, Metric::Accuracy])
    }

    pub fn draw_charts(&self, metrics: &[Metric]) -> Result<(), String> {
        let runs = self.chart_runs();
        let markers = self.markers();
        for &metric in metrics {
            let (canvas, markers) = match metric {
                Metric::Loss => (&self.loss_canvas, &[][..]),
                Metric::Accuracy => (&self.accuracy_canvas, &markers[..]),
            };
            let Some(canvas) = canvas else { continue };
            if canvas.width() == 0 || canvas.height() == 0 {
                continue; // hidden or not laid out yet
            }
            // The page sizes the canvas to CSS pixels × devicePixelRatio. (Reading the CSS
            // size here instead would force a page layout on every redraw.)
            let scale = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
            let context: CanvasRenderingContext2d = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .ok_or("the chart canvas has no 2D context")?
                .unchecked_into();
            // The font string plotters-canvas sets for the same text.
            let text_width = |text: &str, size: f64| {
                context.set_font(&format!("normal {size}px sans-serif"));
                context.measure_text(text).map_or(0.0, |m| m.width())
            };
            let surface = Surface {
                scale,
                text_width: &text_width,
            };
            let backend = CanvasBackend::with_canvas_object(canvas.clone())
                .ok_or("the chart canvas has no 2D context")?;
            chart::draw(
                &backend.into_drawing_area(),
                metric,
                &runs,
                markers,
                surface,
            )
            .map_err(|e| format!("drawing the {metric:?} chart failed: {e}"))?;
        }
        Ok(())
    }
}

thread_local! {
    /// The last panic's message, for the page to show: a panic is a bug, but the student should
    /// see a sentence, not a frozen tab.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&message));
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(message));
    }));
}

fn js_error(e: ConfigError) -> JsError {
    JsError::new(&error_text(&e))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    // Plain objects (not Maps) so the page can read `figures[0].val_accuracy`; None → null.
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    value
        .serialize(&serializer)
        .map_err(|e| JsError::new(&format!("converting figures for the page failed: {e}")))
}

/// The JS API. Method names are the page's vocabulary; every failure is a JS `Error` whose
/// message names the setting and what is allowed.
#[wasm_bindgen(js_name = Playground)]
pub struct JsPlayground(Playground);

#[wasm_bindgen(js_class = Playground)]
impl JsPlayground {
    /// A playground drawing onto the two canvases (either may be `undefined`, e.g. in tests).
    #[wasm_bindgen(constructor)]
    pub fn new(
        loss_canvas: Option<HtmlCanvasElement>,
        accuracy_canvas: Option<HtmlCanvasElement>,
    ) -> Result<JsPlayground, JsError> {
        install_panic_hook();
        Playground::with_canvases(loss_canvas, accuracy_canvas)
            .map(JsPlayground)
            .map_err(js_error)
    }

    /// Sets one control by its URL-hash key (`lr`, `hidden`, `samples`, …) and restarts.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), JsError> {
        self.0.set(key, value).map_err(js_error)
    }

    pub fn preset(&mut self, name: &str) -> Result<(), JsError> {
        self.0.preset(name).map_err(js_error)
    }

    pub fn reset(&mut self) -> Result<(), JsError> {
        self.0.reset().map_err(js_error)
    }

    /// Replaces the whole state from a URL hash; returns the list of problems found in it.
    #[wasm_bindgen(js_name = applyHash)]
    pub fn apply_hash(&mut self, hash: &str) -> Vec<String> {
        self.0.apply_hash(hash)
    }

    #[wasm_bindgen(js_name = toHash)]
    pub fn to_hash(&self) -> String {
        self.0.to_hash()
    }

    /// Trains for about `budget_ms` (stopping each run at `until_epoch` if > 0); returns the
    /// number of epochs completed.
    #[wasm_bindgen(js_name = stepFor)]
    pub fn step_for(&mut self, budget_ms: f64, until_epoch: u32) -> u32 {
        self.0.step_for(budget_ms, until_epoch as usize) as u32
    }

    pub fn training(&self, until_epoch: u32) -> bool {
        self.0.training(until_epoch as usize)
    }

    pub fn epoch(&self) -> u32 {
        self.0.epoch() as u32
    }

    /// One object per run: label, epoch, epochs, loss, accuracy, val_loss, val_accuracy,
    /// best_val_accuracy, best_epoch, status.
    pub fn figures(&self) -> Result<JsValue, JsError> {
        to_js(&self.0.figures())
    }

    /// One `{loss, accuracy, val_loss, val_accuracy}` per run, every epoch so far.
    pub fn histories(&self) -> Result<JsValue, JsError> {
        to_js(&self.0.histories())
    }

    /// `{settings, comparison, preset, training}`: what the controls should show.
    pub fn state(&self) -> Result<JsValue, JsError> {
        to_js(&self.0.state())
    }

    pub fn draw(&self) -> Result<(), JsError> {
        self.0.draw().map_err(|e| JsError::new(&e))
    }

    /// Draws one chart, `"loss"` or `"accuracy"`. The page's first drawing compiles most of
    /// the plotting code (wasm functions are compiled when first called); one chart per task
    /// keeps that start-up work out of a single long task.
    #[wasm_bindgen(js_name = drawChart)]
    pub fn draw_chart(&self, name: &str) -> Result<(), JsError> {
        let metric = match name {
            "loss" => Metric::Loss,
            "accuracy" => Metric::Accuracy,
            _ => {
                return Err(JsError::new(&format!(
                    "chart: unknown chart '{name}'; allowed: loss, accuracy"
                )))
            }
        };
        self.0.draw_charts(&[metric]).map_err(|e| JsError::new(&e))
    }

    /// The message of the last panic, if one happened (a bug; the page reports it).
    #[wasm_bindgen(js_name = lastPanic)]
    pub fn last_panic() -> Option<String> {
        LAST_PANIC.with(|p| p.borrow().clone())
    }
}

// ---- Benchmarks: `cargo xtask bench` drives www/bench.html, which calls these two. ----

/// A benchmark workload's Config; a bench query must be clean, so any problem is an error.
fn bench_config(query: &str) -> Result<crate::config::Config, JsError> {
    let (config, problems) = crate::config::Config::from_query(query);
    match problems.first() {
        Some(e) => Err(JsError::new(&format!("bench query `{query}`: {e}"))),
        None => Ok(config),
    }
}

/// Trains a workload (a URL-hash query, e.g. `preset=overfit`) to the end without drawing, as
/// `plateau bench` does natively; the page times the call with `performance.now()`. Returns
/// `{prep_ms, status, epochs, loss, accuracy, val_loss, val_accuracy}` (final figures), where
/// `prep_ms` is the part spent preparing the data, so training alone can be set beside
/// TensorFlow.js, which is handed ready data.
#[wasm_bindgen]
pub fn bench_workload(query: &str) -> Result<JsValue, JsError> {
    let config = bench_config(query)?;
    let now = || {
        web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.now())
    };
    let t = now();
    let prepared = config.prepare().map_err(|e| JsError::new(&e.to_string()))?;
    let prep_ms = now() - t;
    let mut run = config
        .start_with(&prepared)
        .map_err(|e| JsError::new(&e.to_string()))?;
    let status = run.finish();
    let h = run.history();
    let figures = serde_json::json!({
        "prep_ms": prep_ms,
        "status": status,
        "epochs": h.epochs(),
        "loss": h.loss.last(),
        "accuracy": h.accuracy.last(),
        "val_loss": h.val_loss.last(),
        "val_accuracy": h.val_accuracy.last(),
    });
    bench_to_js(&figures)
}

/// A workload's prepared data and training settings, for TensorFlow.js to train on exactly
/// the same numbers: `{config, spec, features, x_train, y_train, x_val, y_val}` with the
/// arrays as row-major `Float32Array`s and `spec` the [`crate::train::TrainSpec`] (optimizer
/// constants included).
#[wasm_bindgen]
pub fn prepared_data(query: &str) -> Result<JsValue, JsError> {
    let config = bench_config(query)?;
    let p = config.prepare().map_err(|e| JsError::new(&e.to_string()))?;
    let out = js_sys::Object::new();
    let set = |key: &str, value: JsValue| {
        js_sys::Reflect::set(&out, &key.into(), &value)
            .map(|_| ())
            .map_err(|e| JsError::new(&format!("{e:?}")))
    };
    set("config", bench_to_js(&config)?)?;
    set("spec", bench_to_js(&config.train_spec())?)?;
    set("features", p.train.features.into())?;
    for (key, values) in [
        ("x_train", &p.train.x),
        ("y_train", &p.train.y),
        ("x_val", &p.val.x),
        ("y_val", &p.val.y),
    ] {
        set(key, js_sys::Float32Array::from(values.as_slice()).into())?;
    }
    Ok(out.into())
}

fn bench_to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}
