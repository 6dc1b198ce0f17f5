//! The page's one handle on the engine (wasm32 only). It converts, it does not compute: the
//! page's state machine is [`Playground`] (pure Rust, tested natively); this module gives it
//! the browser's clock, draws its charts onto the page's two canvases, and turns its errors
//! into JS `Error`s naming what was wrong.

use crate::chart::{Metric, Surface};
use crate::config::ConfigError;
use crate::export;
use crate::playground::{error_text, Playground, Update};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

#[wasm_bindgen]
extern "C" {
    /// The global `performance.now()`: a page's and a worker's alike. (`web_sys::window()`
    /// is `None` in a worker, and `Date.now()` in its place counted whole milliseconds, about
    /// three steps of a small run each, so a worker's slices timed their steps as 0 or 1 ms.)
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;
}

/// Milliseconds since the page (or the worker) started.
fn now_ms() -> f64 {
    performance_now()
}

/// The drawing area and surface of `canvas` at its current backing size, handed to `draw`; the
/// page sizes canvases to CSS pixels × devicePixelRatio, and text and lines scale with that
/// ratio. Sets the canvas's `data-plot` to where the curves went. A canvas not laid out yet
/// (hidden) is left alone.
fn draw_on_canvas<E: std::fmt::Display>(
    canvas: &HtmlCanvasElement,
    what: &str,
    draw: impl FnOnce(
        &plotters::drawing::DrawingArea<crate::chart::ChartBackend, plotters::coord::Shift>,
        Surface,
    ) -> Result<crate::chart::PlotRect, E>,
) -> Result<(), String> {
    if canvas.width() == 0 || canvas.height() == 0 {
        return Ok(()); // hidden or not laid out yet
    }
    // The page sizes the canvas to CSS pixels × devicePixelRatio. (Reading the CSS size
    // here instead would force a page layout on every redraw.)
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
        .map(crate::chart::ChartBackend::Canvas)
        .ok_or("the chart canvas has no 2D context")?;
    let plot = draw(&backend.into_drawing_area(), surface)
        .map_err(|e| format!("drawing the {what} chart failed: {e}"))?;
    // Where the curves are, in CSS pixels within the canvas ("x y width height"): the
    // page's tests measure the plot a student sees from it.
    let css = |v: i32| (v as f64 / scale).round();
    let rect = [plot.x, plot.y, plot.width, plot.height].map(css);
    let _ = canvas.set_attribute("data-plot", &rect.map(|v| v.to_string()).join(" "));
    let _ = canvas.set_attribute("data-last-epoch", &plot.last_epoch.to_string());
    Ok(())
}

/// Draws `playground`'s charts for `metrics` onto their canvases.
fn draw_on_canvases(
    playground: &Playground,
    canvases: [(Metric, &Option<HtmlCanvasElement>); 2],
    metrics: &[Metric],
) -> Result<(), String> {
    for (metric, canvas) in canvases {
        if !metrics.contains(&metric) {
            continue;
        }
        let Some(canvas) = canvas else { continue };
        draw_on_canvas(canvas, &format!("{metric:?}"), |area, surface| {
            playground.draw_chart(area, metric, surface)
        })?;
    }
    Ok(())
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

/// A chart by the name the page uses for it.
fn metric_named(name: &str) -> Result<Metric, JsError> {
    match name {
        "loss" => Ok(Metric::Loss),
        "accuracy" => Ok(Metric::Accuracy),
        _ => Err(JsError::new(&format!(
            "chart: unknown chart '{name}'; allowed: loss, accuracy"
        ))),
    }
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

impl JsPlayground {
    fn draw_charts(&self, metrics: &[Metric]) -> Result<(), JsError> {
        let canvases = [
            (Metric::Loss, &self.loss_canvas),
            (Metric::Accuracy, &self.accuracy_canvas),
        ];
        draw_on_canvases(&self.playground, canvases, metrics).map_err(|e| JsError::new(&e))
    }
}

/// The JS API. Method names are the page's vocabulary; every failure is a JS `Error` whose
/// message names the setting and what is allowed.
#[wasm_bindgen(js_name = Playground)]
pub struct JsPlayground {
    playground: Playground,
    loss_canvas: Option<HtmlCanvasElement>,
    accuracy_canvas: Option<HtmlCanvasElement>,
}

#[wasm_bindgen(js_class = Playground)]
impl JsPlayground {
    /// A playground drawing onto the two canvases (either may be `undefined`, e.g. in tests).
    #[wasm_bindgen(constructor)]
    pub fn new(
        loss_canvas: Option<HtmlCanvasElement>,
        accuracy_canvas: Option<HtmlCanvasElement>,
    ) -> Result<JsPlayground, JsError> {
        install_panic_hook();
        Ok(JsPlayground {
            playground: Playground::new(Box::new(now_ms)).map_err(js_error)?,
            loss_canvas,
            accuracy_canvas,
        })
    }

    /// Sets one control by its URL-hash key (`lr`, `hidden`, `samples`, …) and restarts.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), JsError> {
        self.playground.set(key, value).map_err(js_error)
    }

    /// Restarts with a fresh training seed from the browser's `crypto.getRandomValues`.
    pub fn reroll(&mut self) -> Result<(), JsError> {
        self.playground.reroll().map_err(js_error)
    }

    pub fn preset(&mut self, name: &str) -> Result<(), JsError> {
        self.playground.preset(name).map_err(js_error)
    }

    pub fn reset(&mut self) -> Result<(), JsError> {
        self.playground.reset().map_err(js_error)
    }

    /// Replaces the whole state from a URL hash; returns the list of problems found in it.
    #[wasm_bindgen(js_name = applyHash)]
    pub fn apply_hash(&mut self, hash: &str) -> Vec<String> {
        self.playground.apply_hash(hash)
    }

    #[wasm_bindgen(js_name = toHash)]
    pub fn to_hash(&self) -> String {
        self.playground.to_hash()
    }

    /// Trains for about `budget_ms` (stopping each run at `until_epoch` if > 0); returns the
    /// number of epochs completed.
    #[wasm_bindgen(js_name = stepFor)]
    pub fn step_for(&mut self, budget_ms: f64, until_epoch: u32) -> u32 {
        self.playground.step_for(budget_ms, until_epoch as usize) as u32
    }

    pub fn training(&self, until_epoch: u32) -> bool {
        self.playground.training(until_epoch as usize)
    }

    pub fn epoch(&self) -> u32 {
        self.playground.epoch() as u32
    }

    /// One object per run: label, epoch, epochs, loss, accuracy, val_loss, val_accuracy,
    /// best_val_accuracy, best_epoch, status.
    pub fn figures(&self) -> Result<JsValue, JsError> {
        to_js(&self.playground.figures())
    }

    /// One `{loss, accuracy, val_loss, val_accuracy}` per run, every epoch so far.
    pub fn histories(&self) -> Result<JsValue, JsError> {
        to_js(&self.playground.histories())
    }

    /// `{settings, comparison, preset, training, seeds, editing, note, view, lesson,
    /// lesson_to_fetch, data_file, wanted_file, outside}`: what the controls, the embed's
    /// view, the lesson box, *Your data* and *Paste your history* should show.
    pub fn state(&self) -> Result<JsValue, JsError> {
        to_js(&self.playground.state())
    }

    pub fn draw(&self) -> Result<(), JsError> {
        self.draw_charts(&[Metric::Loss, Metric::Accuracy])
    }

    /// Draws one chart, `"loss"` or `"accuracy"`. The page's first drawing compiles most of
    /// the plotting code (wasm functions are compiled when first called); one chart per task
    /// keeps that start-up work out of a single long task.
    #[wasm_bindgen(js_name = drawChart)]
    pub fn draw_chart(&self, name: &str) -> Result<(), JsError> {
        self.draw_charts(&[metric_named(name)?])
    }

    /// Draws *Inside the network* on `canvas`: the focused run's `gauge` (`update`,
    /// `gradient`, `weights`, `dead` or `saturated`) per hidden layer.
    #[wasm_bindgen(js_name = drawInside)]
    pub fn draw_inside(&self, canvas: &HtmlCanvasElement, gauge: &str) -> Result<(), JsError> {
        let Some(gauge) = crate::chart::Gauge::named(gauge) else {
            let names: Vec<&str> = crate::chart::Gauge::ALL.iter().map(|(n, _)| *n).collect();
            return Err(JsError::new(&format!(
                "inside: unknown instrument '{gauge}'; allowed: {}",
                names.join(", ")
            )));
        };
        draw_on_canvas(canvas, "inside the network", |area, surface| {
            self.playground.draw_inside(area, gauge, surface)
        })
        .map_err(|e| JsError::new(&e))
    }

    /// `{epoch, runs, layers, units}`: every run on the chart at `epoch` (1-based; each figure
    /// `{mean, min, max}` over its seeds, or null before the run reached it), and the focused
    /// run's instruments there, for the charts' hover and keyboard readout.
    pub fn readout(&self, epoch: u32) -> Result<JsValue, JsError> {
        to_js(&self.playground.readout(epoch as usize))
    }

    /// Starts the learning-rate finder on the focused run's settings and data.
    #[wasm_bindgen(js_name = lrFindStart)]
    pub fn lr_find_start(&mut self) -> Result<(), JsError> {
        self.playground.start_lr_find().map_err(js_error)
    }

    /// Trains the finder for about `budget_ms`; whether it is still running.
    #[wasm_bindgen(js_name = lrFindStep)]
    pub fn lr_find_step(&mut self, budget_ms: f64) -> bool {
        self.playground.step_lr_find(budget_ms)
    }

    /// `{running, steps_done, steps, suggested_lr, suggested_text, rule, current, experiments}`,
    /// or null before the finder was asked for.
    #[wasm_bindgen(js_name = lrFind)]
    pub fn lr_find(&self) -> Result<JsValue, JsError> {
        to_js(&self.playground.lr_find_view())
    }

    /// Draws the finder's curve so far on `canvas`.
    #[wasm_bindgen(js_name = drawLrFind)]
    pub fn draw_lr_find(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        draw_on_canvas(canvas, "learning-rate finder", |area, surface| {
            self.playground.draw_lr_find(area, surface)
        })
        .map_err(|e| JsError::new(&e))
    }

    /// The multi-seed mode: 1, 3 or 5 training seeds per run (also the hash's `seeds=`).
    #[wasm_bindgen(js_name = setSeeds)]
    pub fn set_seeds(&mut self, seeds: u32) -> Result<(), JsError> {
        self.playground.set_seeds(seeds as usize).map_err(js_error)
    }

    /// Which run of a comparison the diagnosis is about (an index into `figures()`).
    pub fn focus(&mut self, index: u32) -> Result<(), JsError> {
        self.playground.focus(index as usize).map_err(js_error)
    }

    /// A cause's "try it": its `fix` pairs (keys and values in order) applied to the
    /// diagnosed run's settings, restarted like any change.
    #[wasm_bindgen(js_name = applyFix)]
    pub fn apply_fix(&mut self, keys: Vec<String>, values: Vec<String>) -> Result<(), JsError> {
        let fix: Vec<(String, String)> = keys.into_iter().zip(values).collect();
        self.playground.apply_fix(&fix).map_err(js_error)
    }

    /// One animation frame's work as the transport asks (playing, paused, stepping): training
    /// for about `budget_ms`; returns the epochs completed.
    pub fn frame(&mut self, budget_ms: f64) -> u32 {
        self.playground.frame(budget_ms) as u32
    }

    /// Whether `frame` has work to do: the page asks for another animation frame.
    #[wasm_bindgen(js_name = wantsFrame)]
    pub fn wants_frame(&self) -> bool {
        self.playground.wants_frame()
    }

    pub fn play(&mut self) {
        self.playground.play();
    }

    pub fn pause(&mut self) {
        self.playground.pause();
    }

    pub fn playing(&self) -> bool {
        self.playground.playing()
    }

    /// Trains every run one more epoch, then pauses.
    #[wasm_bindgen(js_name = stepEpoch)]
    pub fn step_epoch(&mut self) {
        self.playground.step_epoch();
    }

    /// The transport button: Pause, Play, or Run again (a reset) once the runs have ended.
    #[wasm_bindgen(js_name = pressPlay)]
    pub fn press_play(&mut self) -> Result<(), JsError> {
        self.playground.press_play().map_err(js_error)
    }

    /// Stop: the runs end with the epoch under way; once they have ended, the experiments stop.
    pub fn stop(&mut self) {
        self.playground.stop();
    }

    /// A slider's drag begins (pointerdown): the run before it stays the faded one.
    #[wasm_bindgen(js_name = beginDrag)]
    pub fn begin_drag(&mut self) {
        self.playground.begin_drag();
    }

    #[wasm_bindgen(js_name = endDrag)]
    pub fn end_drag(&mut self) {
        self.playground.end_drag();
    }

    /// A key press moves a slider (keydown, before its input event): a run of presses
    /// without a pause is one change.
    #[wasm_bindgen(js_name = keyPress)]
    pub fn key_press(&mut self) {
        self.playground.key_press();
    }

    /// `{state, text, done, total, eta_seconds, playing, button}`: the status line, progress bar
    /// and the transport button's word.
    pub fn status(&self) -> Result<JsValue, JsError> {
        to_js(&self.playground.status())
    }

    /// `[{label, settings, history}]`: the faded runs from before the last change.
    pub fn faded(&self) -> Result<JsValue, JsError> {
        to_js(&self.playground.faded())
    }

    /// Whether `stepFor` has work left: runs to train or the experiments.
    pub fn working(&self) -> bool {
        self.playground.working()
    }

    /// `{focus, runs, diagnosis, markers, plateau}` for the diagnosis panel, or `null` without a run.
    /// `diagnosis` is the engine's: `plateau_epoch`, `best_epoch`, `causes: [{id, confidence,
    /// evidence, fix: [[key, value]], explanation}]`, …; `markers`: `[{chart, epoch, label}]`.
    pub fn panel(&self) -> Result<JsValue, JsError> {
        to_js(&self.playground.panel())
    }

    /// The experiments: `{state, done, total, seeds, fixes, measured, text,
    /// eta_seconds, paused}`.
    pub fn experiments(&self) -> Result<JsValue, JsError> {
        to_js(&self.playground.experiments())
    }

    /// The lesson file the link named (`state().lesson_to_fetch`), as fetched: checked, then
    /// its step opens unless the link named an experiment of its own. Returns the notices,
    /// one per problem of a step, naming it (the other steps work). A file that is not a
    /// lesson is an `Error` saying what was wrong; the page keeps its run.
    #[wasm_bindgen(js_name = loadLesson)]
    pub fn load_lesson(&mut self, path: &str, text: &str) -> Result<JsValue, JsError> {
        let notices = self
            .playground
            .load_lesson(path, text)
            .map_err(|e| JsError::new(&e.to_string()))?;
        to_js(&notices)
    }

    /// The curves and the top cause in words, for screen readers.
    pub fn summary(&self) -> String {
        export::text_summary(&self.playground)
    }

    /// The hash for an embed of this state showing what `flags` say (`show=lr&panel=off`).
    #[wasm_bindgen(js_name = embedHash)]
    pub fn embed_hash(&self, flags: &str) -> Result<String, JsError> {
        self.playground.embed_link(flags).map_err(js_error)
    }

    /// Opens step `step` (from 1) of the lesson.
    #[wasm_bindgen(js_name = lessonStep)]
    pub fn lesson_step(&mut self, step: u32) -> Result<(), JsError> {
        self.playground
            .lesson_step(step as usize)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Every visible run's history (faded run included) as CSV, one row per run, seed and
    /// epoch.
    #[wasm_bindgen(js_name = exportCsv)]
    pub fn export_csv(&self, link: &str) -> String {
        let p = &self.playground;
        export::histories_csv(&p.chart_runs(), &p.chart_settings(), link)
    }

    /// The same as JSON: `[{run, faded, planned_epochs, settings, link, histories: [{loss, …}],
    /// confusion}]` (`confusion`: a run's validation confusion matrix once it has ended).
    #[wasm_bindgen(js_name = exportJson)]
    pub fn export_json(&self, link: &str) -> String {
        let p = &self.playground;
        export::histories_json(
            &p.chart_runs(),
            &p.chart_settings(),
            &p.chart_extras(),
            link,
        )
    }

    /// One chart (`"loss"` or `"accuracy"`) as an SVG document of `width` × `height` pixels.
    #[wasm_bindgen(js_name = exportSvg)]
    pub fn export_svg(&self, name: &str, width: u32, height: u32) -> Result<String, JsError> {
        export::chart_svg(&self.playground, metric_named(name)?, (width, height))
            .map_err(|e| JsError::new(&e))
    }

    /// "Copy as Python": the current settings as a scikit-learn + Keras script (a comparison's
    /// as a loop over its runs); `link` is the page address that reopens them, quoted in its
    /// header.
    #[wasm_bindgen(js_name = toPython)]
    pub fn to_python(&self, link: &str) -> String {
        crate::python::script_for(&self.playground.run_configs(), link)
    }

    /// Trains on `text`, the CSV file `name`, with the target column `target` (empty: the
    /// parser's default); returns the notices of a link that was waiting for this file. A
    /// file that cannot be read or trained is an `Error` naming the line, column and value,
    /// or the limit, and the page keeps its data.
    #[wasm_bindgen(js_name = loadDataFile)]
    pub fn load_data_file(
        &mut self,
        name: &str,
        text: &str,
        target: &str,
    ) -> Result<Vec<String>, JsError> {
        let target = Some(target.trim()).filter(|t| !t.is_empty());
        self.playground
            .load_data_file(name, text, target)
            .map_err(js_error)
    }

    /// Gives the engine a file a link may name (a reload) without training on it; returns
    /// its hash.
    #[wasm_bindgen(js_name = addDataFile)]
    pub fn add_data_file(&mut self, name: &str, text: &str) -> String {
        self.playground.add_data_file(name, text)
    }

    /// Back to make_classification's data.
    #[wasm_bindgen(js_name = clearDataFile)]
    pub fn clear_data_file(&mut self) -> Result<(), JsError> {
        self.playground.clear_data_file().map_err(js_error)
    }

    /// *Paste your history*: shows `text` (the file `name`: Keras's `history.history` as
    /// JSON, or a CSV file) in place of the page's runs, diagnosed from its curves alone with
    /// `classes` and `val_rows` (empty: unknown). A history that cannot be read is an `Error`
    /// saying what was wrong and what is allowed; the page keeps what it showed.
    #[wasm_bindgen(js_name = showHistory)]
    pub fn show_history(
        &mut self,
        name: &str,
        text: &str,
        classes: &str,
        val_rows: &str,
    ) -> Result<(), JsError> {
        self.playground
            .show_history(name, text, classes, val_rows)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// Back to the page's own runs; whether a run made elsewhere was shown.
    #[wasm_bindgen(js_name = closeHistory)]
    pub fn close_history(&mut self) -> bool {
        self.playground.close_history()
    }

    /// Trains in the page's workers from now on (`true`), or in its own time slices again.
    #[wasm_bindgen(js_name = useWorkers)]
    pub fn use_workers(&mut self, on: bool) -> Result<(), JsError> {
        self.playground.use_workers(on).map_err(js_error)
    }

    pub fn workers(&self) -> bool {
        self.playground.workers()
    }

    /// The orders for the workers since the last call: `{type: "start", id, query,
    /// priority}`, `{type: "stop", id, epochs}`, `{type: "cancel", id}`.
    #[wasm_bindgen(js_name = takeOrders)]
    pub fn take_orders(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.playground.take_orders())
    }

    /// A worker's reports, as its `Trainer.work` returned them.
    pub fn receive(&mut self, updates: JsValue) -> Result<(), JsError> {
        let updates: Vec<Update> = serde_wasm_bindgen::from_value(updates)
            .map_err(|e| JsError::new(&format!("a worker's report could not be read: {e}")))?;
        for update in &updates {
            self.playground.receive(update);
        }
        Ok(())
    }

    /// The message of the last panic, if one happened (a bug; the page reports it).
    #[wasm_bindgen(js_name = lastPanic)]
    pub fn last_panic() -> Option<String> {
        LAST_PANIC.with(|p| p.borrow().clone())
    }
}

mod worker;

// The benchmark page's entry points: only in the bench build (`--features bench`), so the
// playground's download does not carry them.
#[cfg(feature = "bench")]
mod bench;
