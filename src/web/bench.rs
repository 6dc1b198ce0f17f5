//! The bench page's entry points (`cargo xtask bench` builds the site with `--features bench`
//! and drives www/bench.html, which calls these). The playground's build leaves them out.

use super::now_ms;
use wasm_bindgen::prelude::*;

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
    let t = now_ms();
    let prepared = config.prepare().map_err(|e| JsError::new(&e.to_string()))?;
    let prep_ms = now_ms() - t;
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

/// Per-epoch wall times (ms) of training a workload to the end, the least of `repeat` runs
/// per epoch ([`crate::bench::epoch_times`]), as `plateau bench` measures natively.
#[wasm_bindgen]
pub fn bench_epoch_times(query: &str, repeat: u32) -> Result<Vec<f64>, JsError> {
    let config = bench_config(query)?;
    crate::bench::epoch_times(&config, repeat as usize, &now_ms)
        .map_err(|e| JsError::new(&e.to_string()))
}

/// This core's f32 peak in GFLOP/s with SIMD128 multiply and add ([`crate::bench::peak_gflops`]).
#[wasm_bindgen]
pub fn bench_peak_gflops() -> f64 {
    crate::bench::peak_gflops(&now_ms, 100.0)
}

/// Nominal FLOPs of training a workload's `epochs` epochs ([`crate::bench::training_flops`]).
#[wasm_bindgen]
pub fn bench_flops(query: &str, epochs: u32) -> Result<f64, JsError> {
    let mut config = bench_config(query)?;
    let prepared = config.prepare().map_err(|e| JsError::new(&e.to_string()))?;
    config.epochs = epochs as usize;
    Ok(crate::bench::training_flops(
        &config,
        prepared.train.len(),
        prepared.val.len(),
    ))
}
