//! The floor under the page's first load: what training one run and drawing it costs in wasm,
//! with the playground's own engine and chart code (see `cargo xtask size-floor`).

use wasm_bindgen::prelude::*;

fn error(e: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&e.to_string())
}

/// Trains `query`'s run to its end, as the page's first run.
#[cfg(feature = "engine")]
fn train(query: &str) -> Result<(plateau::History, usize), JsValue> {
    let (config, errors) = plateau::Config::from_query(query);
    if let Some(e) = errors.first() {
        return Err(error(e));
    }
    let (mut run, _) = config.start().map_err(error)?;
    while run.status() == plateau::Status::Training {
        run.step_epoch();
    }
    Ok((run.history().clone(), config.epochs))
}

/// Draws `history` as the page's two charts.
#[cfg(feature = "charts")]
fn draw(
    loss: web_sys::HtmlCanvasElement,
    accuracy: web_sys::HtmlCanvasElement,
    history: &plateau::History,
    epochs: usize,
) -> Result<(), JsValue> {
    use plateau::chart::{draw, ChartRun, Metric, Surface};
    use plotters::prelude::IntoDrawingArea;
    let runs = [ChartRun::single(history, epochs)];
    for (canvas, metric) in [(loss, Metric::Loss), (accuracy, Metric::Accuracy)] {
        let backend = plotters_canvas::CanvasBackend::with_canvas_object(canvas)
            .ok_or("the canvas has no 2d context")?;
        let root = backend.into_drawing_area();
        draw(&root, metric, &runs, &[], Surface::estimated(1.0)).map_err(error)?;
    }
    Ok(())
}

/// The first chart: one run trained and drawn.
#[cfg(all(feature = "engine", feature = "charts"))]
#[wasm_bindgen]
pub fn first_chart(
    loss: web_sys::HtmlCanvasElement,
    accuracy: web_sys::HtmlCanvasElement,
    query: &str,
) -> Result<(), JsValue> {
    let (history, epochs) = train(query)?;
    draw(loss, accuracy, &history, epochs)
}

/// The training alone: the run's last validation accuracy.
#[cfg(all(feature = "engine", not(feature = "charts")))]
#[wasm_bindgen]
pub fn train_only(query: &str) -> Result<f64, JsValue> {
    let (history, _) = train(query)?;
    Ok(history.val_accuracy.last().copied().unwrap_or(f64::NAN))
}

/// The drawing alone: a history handed in as (loss, accuracy, val_loss, val_accuracy) rows.
#[cfg(all(feature = "charts", not(feature = "engine")))]
#[wasm_bindgen]
pub fn draw_only(
    loss: web_sys::HtmlCanvasElement,
    accuracy: web_sys::HtmlCanvasElement,
    rows: &[f64],
) -> Result<(), JsValue> {
    let mut history = plateau::History::default();
    for row in rows.chunks_exact(4) {
        history.loss.push(row[0]);
        history.accuracy.push(row[1]);
        history.val_loss.push(row[2]);
        history.val_accuracy.push(row[3]);
    }
    let epochs = history.loss.len();
    draw(loss, accuracy, &history, epochs)
}
