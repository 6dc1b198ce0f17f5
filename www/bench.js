// The benchmark page's side: times our wasm engine and TensorFlow.js on the same workloads.
// `tests/e2e/bench.mjs` (run by `cargo xtask bench`) calls window.plateauBench; this file
// only measures and reports, it never decides what to run.
//
//   await plateauBench.ready                      -> {tfjs, simd, threads}
//   await plateauBench.ours(query, repeat)        -> {train_ms, prep_ms, runs, figures}
//   await plateauBench.tfjs(query, backend, repeat, {budgetMs})
//                                                  -> {train_ms, runs, val_accuracy, ...}
//   plateauBench.epochs(query, repeat)            -> per-epoch ms, least of `repeat` runs
//   plateauBench.peak()                           -> this core's f32 peak, GFLOP/s (SIMD128)
//   plateauBench.flops(query, epochs)             -> nominal FLOPs of training `epochs` epochs
//
// Every measurement is the median of `repeat` timed runs after warming up (see `warmUp`).

import init, {
  bench_epoch_times, bench_flops, bench_peak_gflops, bench_workload, prepared_data,
} from './pkg/plateau.js';

/* global tf */

const log = (line) => {
  document.getElementById('log').textContent += `${line}\n`;
};
const setStatus = (text) => {
  document.getElementById('status').textContent = text;
  document.documentElement.dataset.bench = text;
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

async function start() {
  if (typeof tf === 'undefined' || !tf.wasm || !tf.layers) {
    throw new Error('TensorFlow.js is missing from tfjs/: run this page through `cargo xtask bench`');
  }
  await init();
  // Single-threaded like our engine (threads would also need a cross-origin-isolated page);
  // SIMD when the browser has it, as our module is built with SIMD128.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  tf.wasm.setWasmPaths('tfjs/');
  await tf.setBackend('wasm');
  await tf.ready();
  const info = {
    tfjs: tf.version_core,
    simd: await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'),
    threads: await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'),
    userAgent: navigator.userAgent,
  };
  log(`TF.js ${info.tfjs}, wasm backend SIMD ${info.simd}, threads ${info.threads}`);
  setStatus('ready');
  return info;
}

// V8 runs a wasm function first as quickly compiled baseline code (Liftoff) and swaps in the
// optimised code (TurboFan) only for later calls, once its background compile is done: a
// call under way never switches. One warm-up call measured Liftoff code in some timed runs
// (lr-good 18.4 ms in one `ours` call, 8.5 ms in the next). So warm up for a while.
const WARM_UP_MS = 1000;
const WARM_UP_CALLS = 3;
/** The shortest stretch a timed measurement of ours covers. */
const MIN_TIMED_MS = 20;

function warmUp(call) {
  const start = performance.now();
  for (let i = 0; i < WARM_UP_CALLS || performance.now() - start < WARM_UP_MS; i++) call();
}

/** Our engine: prepare the data and train to the end, all inside one wasm call. */
async function ours(query, repeat) {
  warmUp(() => bench_workload(query));
  const train = [];
  const prep = [];
  let figures = null;
  for (let i = 0; i < repeat; i++) {
    // A run shorter than the clock's resolution (a --tiny workload) is timed over several
    // calls, so that its time is never read as 0 ms.
    let calls = 0;
    let prepMs = 0;
    const t = performance.now();
    do {
      figures = bench_workload(query);
      prepMs += figures.prep_ms;
      calls += 1;
    } while (performance.now() - t < MIN_TIMED_MS);
    const total = performance.now() - t;
    prep.push(prepMs / calls);
    train.push((total - prepMs) / calls);
  }
  const out = { train_ms: median(train), prep_ms: median(prep), runs: repeat, figures };
  log(`ours       ${query}: ${out.train_ms.toFixed(1)} ms (+${out.prep_ms.toFixed(1)} ms data)`);
  return out;
}

/** Keras's model in TF.js: Dense hidden layers, a sigmoid output, the run's optimizer. */
function buildModel(spec, features) {
  if (spec.early_stopping) throw new Error('the TF.js benchmark does not do early stopping');
  const model = tf.sequential();
  const dense = (units, activation, first) =>
    tf.layers.dense({
      units,
      activation,
      ...(first ? { inputShape: [features] } : {}),
      kernelInitializer: 'glorotUniform',
      biasInitializer: 'zeros',
      ...(spec.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: spec.l2 }) } : {}),
    });
  spec.hidden.forEach((units, i) => {
    model.add(dense(units, spec.activation, i === 0));
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  });
  model.add(dense(1, 'sigmoid', spec.hidden.length === 0));
  const o = spec.optimizer;
  let optimizer;
  if (o.name === 'adam') {
    optimizer = tf.train.adam(o.learning_rate, o.beta_1, o.beta_2, o.epsilon);
  } else if (o.name === 'rmsprop') {
    optimizer = tf.train.rmsprop(o.learning_rate, o.rho, o.momentum, o.epsilon);
  } else if (o.momentum > 0) {
    optimizer = tf.train.momentum(o.learning_rate, o.momentum, o.nesterov);
  } else {
    optimizer = tf.train.sgd(o.learning_rate);
  }
  model.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  return model;
}

const last = (history, ...keys) => {
  for (const k of keys) {
    const v = history.history[k];
    if (v && v.length) return v[v.length - 1];
  }
  return null;
};

/**
 * TF.js on `backend` ('wasm' or 'cpu'), trained on the engine's own prepared data with the
 * workload's settings. Timed: building and compiling the model, then `fit` (validation
 * included). If the warm-up run passes `budgetMs` (or its pace says it will, by half as much
 * again), it is stopped and the full run's time is extrapolated from the batches done; fewer
 * timed runs are made when `repeat` of them would pass the budget.
 */
async function tfjs(query, backend, repeat, { budgetMs = Infinity } = {}) {
  await tf.setBackend(backend);
  await tf.ready();
  const d = prepared_data(query);
  const spec = d.spec;
  const n = d.y_train.length;
  const nv = d.y_val.length;
  const xs = tf.tensor2d(d.x_train, [n, d.features]);
  const ys = tf.tensor2d(d.y_train, [n, 1]);
  const xv = tf.tensor2d(d.x_val, [nv, d.features]);
  const yv = tf.tensor2d(d.y_val, [nv, 1]);
  const batches = Math.ceil(n / spec.batch_size) * spec.epochs;

  const once = async (deadline) => {
    const t = performance.now();
    const model = buildModel(spec, d.features);
    let done = 0;
    const callbacks = deadline
      ? {
          onBatchEnd: () => {
            done += 1;
            // Stop at the deadline, or as soon as the pace so far says the run will pass it.
            const elapsed = performance.now() - t;
            const projected = done >= 10 && elapsed > 1000 ? (elapsed * batches) / done : 0;
            if (elapsed > deadline || projected > 1.5 * deadline) model.stopTraining = true;
          },
        }
      : undefined;
    const history = await model.fit(xs, ys, {
      batchSize: spec.batch_size,
      epochs: spec.epochs,
      shuffle: spec.shuffle,
      validationData: [xv, yv],
      verbose: 0,
      callbacks,
      yieldEvery: 'never',
    });
    const ms = performance.now() - t;
    const valAccuracy = last(history, 'val_acc', 'val_accuracy');
    model.optimizer.dispose();
    model.dispose();
    return { ms, valAccuracy, stopped: deadline ? done < batches : false, done };
  };

  try {
    const warm = await once(Number.isFinite(budgetMs) ? budgetMs : 0);
    if (warm.stopped) {
      const estimate = (warm.ms * batches) / Math.max(1, warm.done);
      log(`tfjs-${backend} ${query}: skipped, ≈ ${(estimate / 1000).toFixed(0)} s per run`);
      return { skipped: true, estimate_ms: estimate, batches_done: warm.done, batches };
    }
    const runs = Math.max(1, Math.min(repeat, Math.floor(budgetMs / warm.ms)));
    const times = [];
    const accs = [warm.valAccuracy];
    for (let i = 0; i < runs; i++) {
      const r = await once(0);
      times.push(r.ms);
      accs.push(r.valAccuracy);
    }
    const out = {
      train_ms: median(times),
      runs,
      val_accuracy: accs[accs.length - 1],
      val_accuracy_min: Math.min(...accs),
      val_accuracy_max: Math.max(...accs),
    };
    log(`tfjs-${backend} ${query}: ${out.train_ms.toFixed(1)} ms (${runs} runs)`);
    return out;
  } finally {
    tf.dispose([xs, ys, xv, yv]);
  }
}

const ready = start().catch((e) => {
  setStatus(`failed: ${e.message}`);
  throw e;
});
const epochs = (query, repeat) => Array.from(bench_epoch_times(query, repeat));
// The peak's loop is one long call, so its first call runs Liftoff code (13 GFLOP/s against
// 35–38 for the calls after it): the best of three.
const peak = () => Math.max(...[1, 2, 3].map(() => bench_peak_gflops()));
const flops = (query, n) => bench_flops(query, n);
window.plateauBench = { ready, ours, tfjs, epochs, peak, flops };
