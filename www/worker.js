// One training engine per Web Worker. The page sends the compiled wasm module once, then the
// Playground's orders; the worker trains in short slices (so a cancel is heard within one)
// and posts each slice's new epochs back. It draws nothing and decides nothing.
import init, { Trainer } from './pkg/plateau.js';

// The chart's runs train in slices of this (two when that ends them: `Trainer::work`); a slice
// with only the experiments' runs stops at 5 ms, since a student's change is heard only
// between slices.
const SLICE_MS = 25;
let trainer = null;
// On the page's clock (`performance.timeOrigin + now()`, shared across threads), so that the
// bench can split a change's time: when the last orders arrived, and each slice's span.
const now = () => performance.timeOrigin + performance.now();
let heard = null;
let memory = null; // the engine's linear memory, whose size the page's soak test reads
const early = []; // orders that came before the engine was ready
// A MessageChannel wakes the loop without setTimeout's 4 ms clamp for nested timers.
const wake = new MessageChannel();
let scheduled = false;

function report(error, id) {
  postMessage({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
}

function obey(order) {
  try { trainer.order(order); } catch (e) { report(e, order.id); }
}

function schedule() {
  if (!scheduled && trainer && trainer.busy()) {
    scheduled = true;
    wake.port2.postMessage(null);
  }
}

wake.port1.onmessage = () => {
  scheduled = false;
  try {
    const start = now();
    const updates = trainer.work(SLICE_MS);
    if (updates.length) {
      const slice = [start, now()];
      postMessage({ type: 'updates', updates, memoryBytes: memory.buffer.byteLength, slice, heard });
    }
  } catch (e) {
    report(e);
    return;
  }
  schedule();
};

self.onmessage = async ({ data }) => {
  if (data.type === 'init') {
    try {
      ({ memory } = await init({ module_or_path: data.module }));
      trainer = new Trainer();
    } catch (e) {
      report(e);
      return;
    }
    early.splice(0).forEach(obey);
    postMessage({ type: 'ready', memoryBytes: memory.buffer.byteLength });
  } else if (data.type === 'orders') {
    heard = now();
    if (trainer) data.orders.forEach(obey); else early.push(...data.orders);
  }
  schedule();
};
