// The page's Web Workers: hardwareConcurrency − 1 of them (at least one), each with its own
// wasm instance (www/worker.js). The Playground decides what to train and writes orders; this
// module only carries them: a new run goes to the worker with the fewest, a run's later
// orders follow it, and every report goes back to the Playground.

const START_TIMEOUT_MS = 20000;

// Starts the workers with the page's compiled wasm module. Resolves to a pool once every
// worker is ready, or to `{ error }` saying why the page must train on its own thread (no
// Worker, a host's CSP forbids workers, a worker that fails to load).
export async function startPool(module, { onUpdates, onError }) {
  if (typeof Worker === 'undefined') return { error: 'this browser has no Web Workers' };
  if (!module) return { error: 'the engine was not compiled as a module this page can share' };
  const count = Math.max(1, (navigator.hardwareConcurrency || 2) - 1);
  const workers = [];
  try {
    for (let i = 0; i < count; i += 1) {
      workers.push(new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }));
    }
  } catch (e) {
    workers.forEach((w) => w.terminate());
    return { error: `a worker could not start (${e.message})` };
  }
  const load = workers.map(() => 0);
  const memory = workers.map(() => 0); // each worker's wasm memory, as it last said
  const owner = new Map(); // run id → worker index
  let failed = false;
  let started = false;
  // After the start, a failing worker hands the training back to the page (`onError`);
  // before it, startPool itself says why.
  const fail = (why) => {
    if (failed) return;
    failed = true;
    workers.forEach((w) => w.terminate());
    if (started) onError(why);
  };
  const ready = workers.map((worker, index) => new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data.memoryBytes) memory[index] = data.memoryBytes;
      if (data.type === 'ready') resolve();
      else if (data.type === 'updates') {
        for (const update of data.updates) {
          if (update.status.state !== 'training' && owner.delete(update.id)) load[index] -= 1;
        }
        onUpdates(data.updates);
      } else if (data.type === 'error') {
        reject(new Error(data.message));
        fail(`a worker failed: ${data.message}`);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      const why = event.message || 'its script could not load (a Content-Security-Policy without worker-src?)';
      reject(new Error(why));
      fail(`a worker failed: ${why}`);
    };
    worker.postMessage({ type: 'init', module });
  }));
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the workers did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
  });
  try {
    await Promise.race([Promise.all(ready), timeout]);
  } catch (e) {
    failed = true;
    workers.forEach((w) => w.terminate());
    return { error: e.message };
  } finally {
    clearTimeout(timer);
  }
  started = true;
  return {
    size: count,
    memoryBytes: () => memory.reduce((a, b) => a + b, 0),
    send(orders) {
      if (failed || !orders.length) return;
      const batches = workers.map(() => []);
      for (const order of orders) {
        let index = owner.get(order.id);
        if (order.type === 'start') {
          index = load.indexOf(Math.min(...load));
          owner.set(order.id, index);
          load[index] += 1;
        } else if (index === undefined) {
          continue; // the run has ended: nothing to stop or cancel
        } else if (order.type === 'cancel') {
          owner.delete(order.id);
          load[index] -= 1;
        }
        batches[index].push(order);
      }
      batches.forEach((batch, i) => { if (batch.length) workers[i].postMessage({ type: 'orders', orders: batch }); });
    },
  };
}
