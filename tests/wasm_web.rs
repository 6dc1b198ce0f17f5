//! The page's handle on the engine, in headless Chromium (`cargo xtask test`): the JS API's
//! errors, the browser clock's slices, and the pixels it draws. The state machine behind it
//! is tested natively in `tests/playground.rs`.
#![cfg(target_arch = "wasm32")]

use plateau::web::JsPlayground;
use plateau::Config;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A small, quick experiment: 3 epochs on 60 rows.
fn small(p: &mut JsPlayground) {
    let notices = p.apply_hash("#samples=60&epochs=3&hidden=8&batch-size=16");
    assert!(notices.is_empty(), "{notices:?}");
}

fn train_to_the_end(p: &mut JsPlayground) {
    while p.training(0) {
        p.step_for(50.0, 0);
    }
}

fn js_message(e: wasm_bindgen::JsError) -> String {
    let value: JsValue = e.into();
    value.unchecked_into::<js_sys::Error>().message().into()
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
    let message = js_message(p.draw_chart("speed").unwrap_err());
    assert!(message.contains("loss, accuracy"), "{message}");
    assert_eq!(p.to_hash(), before, "a rejected value changes nothing");
}

/// With the browser's real clock the slices still compute exactly the engine's run.
#[wasm_bindgen_test]
fn slices_on_the_browser_clock_equal_the_engine_run() {
    let mut p = JsPlayground::new(None, None).unwrap();
    small(&mut p);
    p.step_for(1e9, 1);
    assert_eq!(p.epoch(), 1, "stops at the requested epoch");
    train_to_the_end(&mut p);
    let (config, _) = Config::from_query(&p.to_hash());
    let (mut run, _) = config.start().unwrap();
    run.finish();
    let histories: Vec<plateau::History> =
        serde_wasm_bindgen::from_value(p.histories().unwrap()).unwrap();
    assert_eq!(&histories[0], run.history());
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
    let mut p = JsPlayground::new(Some(loss.clone()), Some(accuracy.clone())).unwrap();
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
    JsPlayground::new(Some(hidden), None)
        .unwrap()
        .draw()
        .unwrap();
}

#[wasm_bindgen_test]
fn several_seeds_draw_a_band() {
    let (loss, accuracy) = (canvas(600, 300), canvas(600, 300));
    let mut p = JsPlayground::new(Some(loss.clone()), Some(accuracy.clone())).unwrap();
    small(&mut p);
    train_to_the_end(&mut p);
    p.draw().unwrap();
    let single = pixels(&accuracy);
    p.set_seeds(5).unwrap();
    train_to_the_end(&mut p);
    p.draw().unwrap();
    assert_ne!(pixels(&accuracy), single);
}
