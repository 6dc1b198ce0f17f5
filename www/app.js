// The page: reads the controls, keeps the URL hash, schedules training in animation frames,
// and shows what the engine reports. Every number and every curve comes from the wasm handle.
import init, { Playground } from './pkg/plateau.js';

// Training time per animation frame. Drawing takes a few ms more; together they stay well
// under the 50 ms that makes a task "long", so the page answers while a big run trains.
const SLICE_MS = 10;

const $ = (id) => document.getElementById(id);
const lossCanvas = $('loss-chart');
const accuracyCanvas = $('accuracy-chart');

let handle;
let playing = true;
let stepUntil = 0; // > 0 while "step one epoch" runs: the epoch to stop at
let frame = 0;
let dirty = true; // the charts show an older state than the handle
let drawPostponed = false; // the last frame trained too long to draw as well
let changedAt = 0; // when the last control change happened, for the latency figure

// Timings the e2e tests read; nothing in the page depends on them.
const timings = { changeToDrawMs: [], drawMs: [], slowestFrame: { trainMs: 0, drawMs: 0 } };

// Two significant digits: what a slider can usefully select on a log scale.
const round2 = (x) => Number(x.toPrecision(2));

// Each slider: how its position maps to the setting, and back.
const sliders = {
  lr: { toValue: (p) => round2(10 ** p), toPosition: (v) => Math.log10(v) },
  epochs: { toValue: (p) => Math.round(round2(10 ** p)), toPosition: (v) => Math.log10(v) },
  'batch-size': { toValue: (p) => 2 ** p, toPosition: (v) => Math.log2(v) },
  samples: { toValue: (p) => Math.round(round2(10 ** p)), toPosition: (v) => Math.log10(v) },
};

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.hidden = !message;
}

function showNotices(notices) {
  const list = $('notice-list');
  list.replaceChildren(...notices.map((text) => {
    const item = document.createElement('li');
    item.textContent = text; // hash text is never parsed as HTML
    return item;
  }));
  $('notice').hidden = notices.length === 0;
}

function newHandle() {
  handle = new Playground(lossCanvas, accuracyCanvas);
  return handle.applyHash(location.hash);
}

// Runs a call into the engine; a failure is shown and the page goes on. A panic (a bug)
// leaves the wasm instance unusable, so the handle is rebuilt from the URL.
function guard(call) {
  try {
    call();
    return true;
  } catch (e) {
    let message = e instanceof Error ? e.message : String(e);
    if (e instanceof WebAssembly.RuntimeError) {
      message = `Internal error: ${Playground.lastPanic() ?? message}. The page was restarted.`;
      try { newHandle(); } catch { /* the error above is already shown */ }
    }
    showError(message);
    syncControls();
    return false;
  }
}

function syncControls() {
  const { settings, preset } = handle.state();
  const values = {
    lr: settings.learning_rate,
    epochs: settings.epochs,
    'batch-size': settings.batch_size,
    samples: settings.samples,
  };
  for (const [id, value] of Object.entries(values)) {
    $(id).value = sliders[id].toPosition(value);
    $(`${id}-value`).textContent = String(value);
  }
  for (let i = 0; i < 3; i++) {
    const units = settings.hidden[i] ?? 0;
    $(`hidden-${i + 1}`).value = units;
    $(`hidden-${i + 1}-value`).textContent = units === 0 ? 'off' : String(units);
  }
  $('optimizer').value = settings.optimizer;
  $('activation').value = settings.activation;
  $('distort').checked = settings.distort;
  $('standardize').checked = settings.standardize;
  $('seed').value = settings.seed;
  for (const button of document.querySelectorAll('[data-preset]')) {
    button.setAttribute('aria-pressed', String(button.dataset.preset === preset));
  }
}

function afterChange() {
  history.replaceState(null, '', `#${handle.toHash()}`);
  showError('');
  syncControls();
  changedAt = performance.now();
  dirty = true;
  schedule();
}

function change(key, value) {
  if (guard(() => handle.set(key, String(value)))) afterChange();
}

function hiddenValue() {
  return [1, 2, 3].map((i) => $(`hidden-${i}`).value).join(',');
}

function fmt(value, digits = 3) {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

const STATUS_TEXT = {
  training: () => 'training',
  finished: () => 'finished',
  diverged: (s) => `diverged at epoch ${s.epoch} (a loss became NaN or infinite)`,
  early_stopped: (s) => `stopped early after epoch ${s.epoch}`,
};

function showFigures() {
  const runs = handle.figures();
  const rows = runs.map((run) => {
    const row = document.createElement('tr');
    const cells = [
      run.label || 'this run',
      `${run.epoch}/${run.epochs}`,
      fmt(run.loss),
      fmt(run.accuracy),
      fmt(run.val_loss),
      fmt(run.val_accuracy),
      run.best_epoch ? `${fmt(run.best_val_accuracy)} @ ${run.best_epoch}` : '–',
    ];
    for (const text of cells) {
      const cell = document.createElement('td');
      cell.textContent = text;
      row.append(cell);
    }
    if (runs.length > 1) {
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = run.color;
      row.firstChild.prepend(swatch);
    }
    return row;
  });
  $('figures').tBodies[0].replaceChildren(...rows);
  const first = runs[0];
  const states = [...new Set(runs.map((r) => STATUS_TEXT[r.status.state]?.(r.status) ?? r.status.state))];
  $('status').textContent = first ? `epoch ${first.epoch} of ${first.epochs}: ${states.join(', ')}` : '';
  $('play').textContent = playing ? 'Pause' : 'Play';
  $('play').setAttribute('aria-pressed', String(playing));
}

// Backing store = CSS size × devicePixelRatio, so lines and text are crisp on HiDPI screens.
function sizeCanvases() {
  const ratio = window.devicePixelRatio || 1;
  for (const canvas of [lossCanvas, accuracyCanvas]) {
    const width = Math.round(canvas.clientWidth * ratio);
    const height = Math.round(canvas.clientHeight * ratio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
      dirty = true;
    }
  }
  schedule();
}

function tick() {
  frame = 0;
  const frameStart = performance.now();
  const wantsTraining = stepUntil > 0 || playing;
  if (!drawPostponed && wantsTraining && handle.training(stepUntil)) {
    guard(() => { if (handle.stepFor(SLICE_MS, stepUntil) > 0) dirty = true; });
  }
  if (stepUntil > 0 && !handle.training(stepUntil)) stepUntil = 0;
  if (dirty) {
    const start = performance.now();
    // A slice that ran long (the batch that ends an epoch validates the whole validation set)
    // leaves the drawing to the next frame, so the two never add up to one long task.
    if (!drawPostponed && start - frameStart > 2 * SLICE_MS) {
      drawPostponed = true;
      schedule();
      return;
    }
    drawPostponed = false;
    if (guard(() => handle.draw())) dirty = false;
    const end = performance.now();
    timings.drawMs.push(end - start);
    if (end - frameStart > timings.slowestFrame.trainMs + timings.slowestFrame.drawMs) {
      timings.slowestFrame = { trainMs: start - frameStart, drawMs: end - start };
    }
    if (changedAt) {
      timings.changeToDrawMs.push(end - changedAt);
      changedAt = 0;
    }
    showFigures();
  }
  if ((playing && handle.training(0)) || stepUntil > 0) schedule();
}

function schedule() {
  if (!frame) frame = requestAnimationFrame(tick);
}

function wireControls() {
  for (const id of Object.keys(sliders)) {
    $(id).addEventListener('input', () => {
      const value = sliders[id].toValue(Number($(id).value));
      $(`${id}-value`).textContent = String(value);
      change(id, value);
    });
  }
  for (const input of document.querySelectorAll('.hidden-layer')) {
    input.addEventListener('input', () => change('hidden', hiddenValue()));
  }
  for (const id of ['optimizer', 'activation']) {
    $(id).addEventListener('change', () => change(id, $(id).value));
  }
  for (const id of ['distort', 'standardize']) {
    $(id).addEventListener('change', () => change(id, $(id).checked));
  }
  $('seed').addEventListener('change', () => change('seed', $('seed').value));
  $('reroll').addEventListener('click', () => {
    change('seed', Math.floor(Math.random() * 2 ** 32));
  });
  $('controls').addEventListener('submit', (e) => e.preventDefault());

  for (const button of document.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => {
      if (guard(() => handle.preset(button.dataset.preset))) afterChange();
    });
  }
  $('play').addEventListener('click', () => {
    playing = !playing;
    stepUntil = 0;
    dirty = true; // refreshes the button
    schedule();
  });
  $('step').addEventListener('click', () => {
    playing = false;
    stepUntil = handle.epoch() + 1;
    dirty = true;
    schedule();
  });
  $('reset').addEventListener('click', () => {
    if (guard(() => handle.reset())) afterChange();
  });
  $('notice-close').addEventListener('click', () => showNotices([]));

  // Someone edits the hash in the address bar or follows a link to another state.
  window.addEventListener('hashchange', () => {
    let notices = [];
    if (guard(() => { notices = handle.applyHash(location.hash); })) {
      showNotices(notices);
      afterChange();
    }
  });
  new ResizeObserver(sizeCanvases).observe(lossCanvas);
  window.addEventListener('resize', sizeCanvases); // devicePixelRatio changes with zoom
}

// Yields to the browser, so that start-up is several short tasks rather than one long one.
const nextTask = () => new Promise((resolve) => setTimeout(resolve));

async function main() {
  await init();
  // Each first call compiles more of the wasm module, so the start is spread over tasks:
  // the engine on the default experiment, then the linked one, then one chart.
  await nextTask();
  handle = new Playground(lossCanvas, accuracyCanvas);
  await nextTask();
  showNotices(handle.applyHash(location.hash));
  await nextTask();
  sizeCanvases();
  guard(() => handle.drawChart('loss'));
  await nextTask();
  wireControls();
  afterChange();
  // For the end-to-end tests (read-only use): the handle, the timings, and whether the page
  // has drawn everything there is to draw.
  window.plateau = { handle: () => handle, timings, idle: () => frame === 0 && !dirty };
  document.documentElement.dataset.engine = 'ready';
}

main().catch((e) => {
  document.documentElement.dataset.engine = 'failed';
  showError(`The playground could not start: ${e instanceof Error ? e.message : e}`);
});
