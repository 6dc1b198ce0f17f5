//! A worker's handle on the engine: `www/worker.js` gives each Web Worker one [`Trainer`],
//! passes it the page's orders and posts back what it reports.

use super::now_ms;
use crate::playground::{Order, Trainer};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_name = Trainer)]
pub struct JsTrainer {
    trainer: Trainer,
}

#[wasm_bindgen(js_class = Trainer)]
impl JsTrainer {
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsTrainer {
        super::install_panic_hook();
        JsTrainer {
            trainer: Trainer::new(Box::new(now_ms)),
        }
    }

    /// One of the page's orders (`Playground.takeOrders`); a run that cannot start is an
    /// `Error` naming the setting.
    pub fn order(&mut self, order: JsValue) -> Result<(), JsError> {
        let order: Order = serde_wasm_bindgen::from_value(order)
            .map_err(|e| JsError::new(&format!("a worker got an order it cannot read: {e}")))?;
        self.trainer.order(order).map_err(|e| JsError::new(&e))
    }

    pub fn busy(&self) -> bool {
        self.trainer.busy()
    }

    /// Trains for about `budget_ms`; the runs' new epochs, for `Playground.receive`.
    pub fn work(&mut self, budget_ms: f64) -> Result<JsValue, JsError> {
        // Not the JSON-compatible serializer: a diverged run's NaN must stay NaN.
        serde_wasm_bindgen::to_value(&self.trainer.work(budget_ms))
            .map_err(|e| JsError::new(&format!("a worker's report could not be written: {e}")))
    }
}

impl Default for JsTrainer {
    fn default() -> JsTrainer {
        JsTrainer::new()
    }
}
