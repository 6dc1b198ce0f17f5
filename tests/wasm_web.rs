//! The page's handle on the engine, in headless Chromium (`cargo xtask test`): what the page
//! calls, the errors it shows, the hash it keeps, and the pixels it draws.
#![cfg(target_arch = "wasm32")]

use plateau::web::{JsPlayground, Playground};
use plateau::Config;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

fn playground() -> Playground {
    Playground::with_canvases(None, None).unwrap()
}

/// A small, quick experiment: 3 epochs on 60 rows.
fn small(p: &mut Playground) {
    let notices = p.apply_hash("#samples=60&epochs=3&hidden=8&batch-size=16");
    assert!(notices.is_empty(), "{notices:?}");
}

fn train_to_the_end(p: &mut Playground) {
    while p.training(0) {
        p.step_for(50.0, 0);
    }
}

fn js_message(e: wasm_bindgen::JsError) -> String {
    let value: JsValue = e.into();
    value.unchecked_into::<js_sys::Error>().message().into()
}

#[wasm_bindgen_test]
fn a_new_playground_starts_the_default_experiment_untrained() {
    let p = playground();
    let figures = p.figures();
    assert_eq!(figures.len(), 1);
    assert_eq!((figures[0].epoch, figures[0].epochs), (0, 100));
    assert_eq!(figures[0].val_accuracy, None);
    assert_eq!(p.to_hash(), Config::default().to_query());
    assert_eq!(p.state().preset.as_deref(), Some("lr-good"));
}

#[wasm_bindgen_test]
fn step_for_trains_in_slices_and_stops_at_the_requested_epoch() {
    let mut p = playground();
    small(&mut p);
    p.step_for(1e9, 1);
    assert_eq!(p.epoch(), 1, "stops at the requested epoch");
    assert!(!p.training(1) && p.training(0));
    train_to_the_end(&mut p);
    let f = &p.figures()[0];
    assert_eq!(f.epoch, 3);
    assert!(f.loss.unwrap() > 0.0 && (0.0..=1.0).contains(&f.val_accuracy.unwrap()));
    let best = f.best_val_accuracy.unwrap();
    let h = p.histories()[0];
    assert_eq!(h.val_accuracy[f.best_epoch.unwrap() - 1], best);
    assert!(h.val_accuracy.iter().all(|&v| v <= best));
}

#[wasm_bindgen_test]
fn the_page_run_equals_the_engine_run_for_the_same_config() {
    let mut p = playground();
    small(&mut p);
    train_to_the_end(&mut p);
    let (config, _) = Config::from_query(&p.to_hash());
    let (mut run, _) = config.start().unwrap();
    run.finish();
    assert_eq!(
        p.histories()[0],
        run.history(),
        "slicing must not change the numbers"
    );
}

#[wasm_bindgen_test]
fn a_change_that_keeps_the_data_reuses_it_and_still_equals_the_engine_run() {
    let mut p = playground();
    small(&mut p);
    p.set("lr", "0.01").unwrap();
    p.set("hidden", "4,4").unwrap();
    train_to_the_end(&mut p);
    let (config, _) = Config::from_query(&p.to_hash());
    let (mut run, _) = config.start().unwrap();
    run.finish();
    assert_eq!(p.histories()[0], run.history());
}

#[wasm_bindgen_test]
fn a_bad_value_is_a_js_error_naming_the_setting_and_its_range() {
    let mut p = JsPlayground::new(None, None).unwrap();
    let before = p.to_hash();
    let message = js_message(p.set("lr", "5").unwrap_err());
    assert!(
        message.starts_with("lr:") && message.contains("allowed"),
        "{message}"
    );
    let message = js_message(p.set("hidden", "8,8,8,8").unwrap_err());
    assert!(message.contains("at most 3"), "{message}");
    let message = js_message(p.set("colour", "red").unwrap_err());
    assert!(message.contains("colour"), "{message}");
    let message = js_message(p.preset("nope").unwrap_err());
    assert!(
        message.contains("overfit") && message.contains("learning-rate"),
        "{message}"
    );
    assert_eq!(p.to_hash(), before, "a rejected value changes nothing");
}

#[wasm_bindgen_test]
fn a_change_restarts_with_the_same_seed_and_keeps_the_previous_run() {
    let mut p = playground();
    small(&mut p);
    train_to_the_end(&mut p);
    p.set("lr", "0.01").unwrap();
    assert_eq!(p.figures()[0].epoch, 0, "restarted");
    assert_eq!(p.state().settings.seed, Config::default().seed);
    assert!(p.to_hash().contains("lr=0.01"));
}

#[wasm_bindgen_test]
fn comparisons_train_their_runs_together() {
    let mut p = playground();
    p.preset("learning-rate").unwrap();
    assert_eq!(p.to_hash(), "compare=learning-rate");
    let labels: Vec<String> = p.figures().into_iter().map(|f| f.label).collect();
    assert_eq!(labels, ["lr 0.1", "lr 0.0001", "lr 0.001"]);
    p.step_for(1e9, 2);
    assert!(p.figures().iter().all(|f| f.epoch == 2));
    p.set("epochs", "5").unwrap();
    assert_eq!(p.figures().len(), 1, "a change leaves the comparison");
    assert_eq!(p.state().settings.learning_rate, 0.001);
}

#[wasm_bindgen_test]
fn the_hash_round_trips_and_a_garbage_hash_is_listed_not_fatal() {
    let mut p = playground();
    p.set("hidden", "64,0,16").unwrap();
    p.set("distort", "true").unwrap();
    let hash = p.to_hash();
    let mut q = playground();
    assert!(q.apply_hash(&format!("#{hash}")).is_empty());
    assert_eq!(q.state().settings, p.state().settings);

    let notices = q.apply_hash("#lr=abc&<img src=x onerror=alert(1)>=1&compare=zzz&epochs=7");
    assert_eq!(notices.len(), 3, "{notices:?}");
    assert!(notices.iter().any(|n| n.starts_with("lr:")));
    assert!(notices.iter().any(|n| n.starts_with("compare:")));
    assert_eq!(q.state().settings.epochs, 7, "good keys still apply");
    assert_eq!(q.figures().len(), 1);

    let notices = q.apply_hash("#compare=scaling&lr=0.1");
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(q.figures().len(), 2);
}

fn canvas(width: u32, height: u32) -> HtmlCanvasElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let canvas: HtmlCanvasElement = document.create_element("canvas").unwrap().unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    document.body().unwrap().append_child(&canvas).unwrap();
    canvas
}

fn pixels(canvas: &HtmlCanvasElement) -> Vec<u8> {
    let context: CanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    context.get_image_data(0.0, 0.0, w, h).unwrap().data().0
}

#[wasm_bindgen_test]
fn draw_paints_both_canvases_and_the_curves_change_them() {
    let (loss, accuracy) = (canvas(600, 300), canvas(600, 300));
    let mut p = Playground::with_canvases(Some(loss.clone()), Some(accuracy.clone())).unwrap();
    small(&mut p);
    p.draw().unwrap();
    let empty = (pixels(&loss), pixels(&accuracy));
    assert!(
        empty.0.chunks(4).any(|px| px[..3] != [255, 255, 255]),
        "axes drawn"
    );
    train_to_the_end(&mut p);
    p.draw().unwrap();
    assert_ne!(pixels(&loss), empty.0);
    assert_ne!(pixels(&accuracy), empty.1);
    // A zero-sized (hidden) canvas is skipped, not an error.
    let hidden = canvas(0, 0);
    Playground::with_canvases(Some(hidden), None)
        .unwrap()
        .draw()
        .unwrap();
}
