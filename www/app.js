// The page: reads the controls, keeps the URL hash, schedules training in animation frames,
// and shows what the engine reports. Every number and every curve comes from the wasm handle.
import init, { Playground } from './pkg/plateau.js';
import { $, setText } from './dom.js';
import { syncControls as showControls, wireControls as wireSettings } from './controls.js';
import { showStatus } from './status.js';
import { wasmSource } from './wasm-source.js';
import { startPool } from './pool.js';
import { experimentsChanged, showPanel, showExperiments, wirePanel } from './panel.js';
import { wireExports } from './export.js';
import { applyView, loadLesson, reportHeight, showLesson, wireCourse } from './course.js';
import { restoreLinkedFile, showOwnData, wireOwnData } from './owndata.js';
import { showHistoryState, wireHistory } from './history.js';
import { wireReadout } from './readout.js';
import { wireLrFinder } from './lrfind.js';

// Training time per animation frame. Drawing takes a few ms more; together they stay well
// under the 50 ms that makes a task "long", so the page answers while a big run trains.
const SLICE_MS = 10;


const lossCanvas = $('loss-chart');
const accuracyCanvas = $('accuracy-chart');
const insideCanvas = $('inside-chart');
const inside = $('inside');
const insideGauge = $('inside-gauge');

let handle;
let pool = null; // the Web Workers that train, once started (www/pool.js)
let frame = 0;
let dirty = true; // the charts show an older state than the handle
let drawPostponed = false; // the last frame trained too long to draw as well
let changedAt = 0; // when the last control change happened, for the latency figure
let drawnAt = 0; // when the charts were last drawn (performance.now()), for the bench
let refreshReadout = () => {}; // the hover/keyboard readout, after a redraw (www/readout.js)
let refreshLrFinder = () => {}; // the learning-rate finder's text, after a change (www/lrfind.js)

// Timings the e2e tests read; nothing in the page depends on them. `panelMs`: diagnosing and
// updating the panel (`diagnosisMs`: the engine's part of it); `experimentsMs`: reading the experiments'
// state; `experimentsSliceMs`: time slices that trained only the experiments; `slowestTick`: the frame whose whole work took longest, and its parts.
const timings = {
  changeToDrawMs: [], drawMs: [], diagnosisMs: [], panelMs: [], experimentsMs: [], experimentsSliceMs: [],
  slowestTick: { totalMs: 0, trainMs: 0, drawMs: 0, afterMs: 0 },
  slowestFrame: { trainMs: 0, drawMs: 0 },
};

// Keeps the last 1,000 figures of a timing list: a page left open for an hour in class must
// not grow a list per frame (the soak test found these lists growing without end).
function record(list, value) {
  if (list.length >= 1000) list.shift();
  list.push(value);
}

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
  // A link's file is not a misunderstood setting: its notice stands alone.
  $('notice-intro').hidden = notices.every((text) => text.startsWith('This link used your file'));
}

function newHandle() {
  handle = new Playground(lossCanvas, accuracyCanvas);
  if (pool) handle.useWorkers(true);
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
  const state = handle.state();
  showControls(state);
  applyView(state.view);
  showLesson(state.lesson);
  showOwnData(state);
  showHistoryState(state);
}

// A link's hash, applied: its notices, and its lesson file fetched and checked (the engine
// says which file; a bad one is one more notice and the page goes on).
async function openLink() {
  let notices = [];
  await restoreLinkedFile(handle, location.hash); // a file the link names, kept in this browser
  if (!guard(() => { notices = handle.applyHash(location.hash); })) return;
  syncControls(); // the view applies at once, before any fetch
  const problems = await loadLesson(handle);
  showNotices([...notices, ...problems]);
}

// The runs the engine wants trained in the workers, and those it no longer wants.
function sendOrders() {
  // Also while a file keeps the training on the page: the runs given out before are cancelled.
  if (pool) guard(() => pool.send(handle.takeOrders()));
}

function afterChange() {
  // Any change is to the page's own runs: a run made elsewhere on the charts gives way.
  handle.closeHistory();
  sendOrders();
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

function fmt(value, digits = 3) {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

function showFigures() {
  const runs = handle.figures();
  const { seeds, settings } = handle.state();
  const single = seeds > 1 ? `seed ${settings.seed}` : 'this run';
  const rows = runs.map((run) => {
    const row = document.createElement('tr');
    const cells = [
      run.label || single,
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
  showPanel(runs);
  showStatus(handle);
}

// Backing store = CSS size × devicePixelRatio, so lines and text are crisp on HiDPI screens.
function sizeCanvases() {
  const ratio = window.devicePixelRatio || 1;
  for (const canvas of [lossCanvas, accuracyCanvas, insideCanvas, $('lr-find-chart')]) {
    const width = Math.round(canvas.clientWidth * ratio);
    const height = Math.round(canvas.clientHeight * ratio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
      dirty = true;
    }
  }
  // On phones the transport and loss chart stick to the top: focus and scrolling stop below.
  const live = document.querySelector('.charts');
  const sticky = getComputedStyle(live).position === 'sticky';
  document.documentElement.style.setProperty('--live-height', sticky ? `${live.offsetHeight + 8}px` : '0px');
  schedule();
}

function tick() {
  frame = 0;
  const frameStart = performance.now();
  // The runs on the chart, then (when they are done and the page plays) the experiments; the
  // engine knows whether the page plays, pauses or steps one epoch.
  if (!drawPostponed && handle.wantsFrame()) {
    const experimentsOnly = !handle.training(0);
    guard(() => { if (handle.frame(SLICE_MS) > 0) dirty = true; });
    sendOrders(); // the experiments' runs start within a frame
    if (experimentsOnly) record(timings.experimentsSliceMs, performance.now() - frameStart);
  }
  const trained = performance.now();
  let drawMs = 0;
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
    // A closed <details> lays its canvas out at 0 × 0, and the engine leaves it alone.
    if (inside.open) guard(() => handle.drawInside(insideCanvas, insideGauge.value));
    refreshReadout();
    refreshLrFinder();
    const end = performance.now();
    drawMs = end - start;
    drawnAt = end;
    record(timings.drawMs, drawMs);
    if (end - frameStart > timings.slowestFrame.trainMs + timings.slowestFrame.drawMs) {
      timings.slowestFrame = { trainMs: start - frameStart, drawMs: end - start };
    }
    if (changedAt) {
      record(timings.changeToDrawMs, end - changedAt);
      changedAt = 0;
    }
    showFigures();
  }
  showStatusAndAnnounce(); // the progress moves within an epoch too
  showExperiments();
  const end = performance.now();
  if (end - frameStart > timings.slowestTick.totalMs) {
    timings.slowestTick = {
      totalMs: end - frameStart, trainMs: trained - frameStart, drawMs, afterMs: end - trained - drawMs,
    };
  }
  if (handle.wantsFrame()) schedule();
}

// A polite announcement for screen readers (the status line itself changes every few
// frames while training, too often to be read out).
function announce(text) {
  setText($('announce'), text);
}

let lastState = '';

function showStatusAndAnnounce() {
  const status = showStatus(handle);
  if (status.state !== lastState) {
    // "training" is announced by the control that started it; the rest are news. A finished
    // run is announced with what its curves show, since the charts are pictures.
    if (lastState && status.state !== 'training') {
      announce(status.state === 'finished' ? handle.summary() : status.text);
    }
    lastState = status.state;
  }
}

function schedule() {
  if (!frame) frame = requestAnimationFrame(tick);
}

// A worker's report. One that ends a run on the chart is shown and drawn in this task, not
// at the next animation frame, so that frame presents the whole run without first waiting
// for the drawing (a few ms: up to a quarter of the 16.7 ms between frames). Other reports
// (partial epochs, the experiments') wait for the frame, so a busy worker never makes the
// page draw more than once a frame for them.
function received(updates) {
  const charted = handle.training(0);
  if (guard(() => handle.receive(updates)) && charted && updates.some((u) => u.status.state !== 'training')) {
    if (frame) cancelAnimationFrame(frame);
    tick(); // schedules the next frame if there is more to do
  } else {
    schedule();
  }
}

function wireControls() {
  wireSettings({
    change,
    drag: (begins) => (begins ? handle.beginDrag() : handle.endDrag()),
    keyPress: () => handle.keyPress(),
    // The fresh seed comes from the engine (crypto.getRandomValues through getrandom).
    reroll: () => { if (guard(() => handle.reroll())) afterChange(); },
  });
  $('seeds').addEventListener('change', () => {
    if (guard(() => handle.setSeeds(Number($('seeds').value)))) afterChange();
  });
  // Inside the network: another instrument, or the chart opened (its canvas gets a size).
  insideGauge.addEventListener('change', () => { dirty = true; schedule(); });
  inside.addEventListener('toggle', sizeCanvases);

  for (const button of document.querySelectorAll('[data-preset]')) {
    button.addEventListener('click', () => {
      if (guard(() => handle.preset(button.dataset.preset))) afterChange();
    });
  }
  $('play').addEventListener('click', () => {
    // Pause, Play, or Run again once the runs have ended (a reset: the link stays the same).
    if (guard(() => handle.pressPlay())) afterChange();
  });
  $('step').addEventListener('click', () => {
    handle.stepEpoch(); // back to the page's runs too, if a pasted run was shown
    syncControls();
    dirty = true;
    schedule();
  });
  for (const id of ['stop', 'experiments-stop']) {
    $(id).addEventListener('click', () => {
      handle.stop();
      experimentsChanged(); // the experiments' box says it stopped
      afterChange(); // a stopped run is one of fewer epochs: the link and the slider say so
    });
  }
  $('reset').addEventListener('click', () => {
    if (guard(() => handle.reset())) afterChange();
  });
  $('notice-close').addEventListener('click', () => showNotices([]));

  // Someone edits the hash in the address bar or follows a link to another state.
  window.addEventListener('hashchange', async () => {
    await openLink();
    afterChange();
  });
  new ResizeObserver(sizeCanvases).observe(lossCanvas);
  window.addEventListener('resize', sizeCanvases); // devicePixelRatio changes with zoom
}

// Where the engine trains, said in a quiet line under the figures.
function showEngine(text) {
  setText($('engine-note'), text);
  document.documentElement.dataset.workers = String(pool ? pool.size : 0);
}

// The workers take over the training once they are ready; until then, and for good if they
// cannot start, the runs wait for them or train in the page's time slices.
async function startWorkers(module) {
  if (!module) {
    showEngine("Training on this page's own thread: the single-file page carries no worker script.");
    return;
  }
  const started = await startPool(module, {
    onUpdates: received,
    onError: (why) => {
      pool = null;
      guard(() => handle.useWorkers(false));
      showEngine(`Training on this page's own thread: ${why}.`);
      dirty = true;
      schedule();
    },
  });
  if (started.error) {
    guard(() => handle.useWorkers(false));
    showEngine(`Training on this page's own thread: ${started.error}.`);
  } else {
    pool = started;
    const cores = navigator.hardwareConcurrency || '?';
    showEngine(`Training in ${pool.size} background worker${pool.size === 1 ? '' : 's'} (${cores} cores here), so the page stays responsive.`);
    sendOrders();
  }
  dirty = true;
  schedule();
}

// The engine compiled once: the page instantiates it, and so does every worker.
async function compileEngine() {
  const url = new URL('./pkg/plateau_bg.wasm', import.meta.url);
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A server that does not say application/wasm.
    return WebAssembly.compile(await (await fetch(url)).arrayBuffer());
  }
}

// Yields to the browser, so that start-up is several short tasks rather than one long one.
const nextTask = () => new Promise((resolve) => setTimeout(resolve));

async function main() {
  // The single-file page holds the wasm bytes and has no worker script to start.
  const module = wasmSource ? null : await compileEngine();
  const wasm = await init({ module_or_path: wasmSource || module });
  // Each first call compiles more of the wasm module, so the start is spread over tasks:
  // the engine on the default experiment, then the linked one, then each chart, then the
  // diagnosis.
  await nextTask();
  handle = new Playground(lossCanvas, accuracyCanvas);
  // Before any frame: a frame shows the panel.
  wirePanel({ handle: () => handle, guard, afterChange, announce, record, timings });
  // The runs the link opens go to the workers as soon as they are ready.
  if (module && typeof Worker !== 'undefined') guard(() => handle.useWorkers(true));
  const workers = startWorkers(module);
  await nextTask();
  await openLink();
  await nextTask();
  sizeCanvases();
  guard(() => handle.drawChart('loss'));
  await nextTask();
  guard(() => handle.drawChart('accuracy'));
  await nextTask();
  guard(() => handle.drawInside(insideCanvas, insideGauge.value));
  await nextTask();
  guard(() => handle.panel()); // compiles the diagnosis
  await nextTask();
  wireControls();
  wireExports(() => handle, guard);
  wireOwnData({ handle: () => handle, guard, afterChange, showNotices, showError });
  // A pasted run is not a change to the page's runs: the link stays, the charts redraw.
  const shown = () => { showError(''); syncControls(); dirty = true; schedule(); };
  wireHistory({ handle: () => handle, guard, shown, afterChange, announce });
  refreshReadout = wireReadout({ handle: () => handle, guard });
  refreshLrFinder = wireLrFinder({ handle: () => handle, guard, afterChange, sizeCanvases });
  wireCourse(() => handle, guard, afterChange);
  reportHeight();
  afterChange();
  // For the end-to-end tests (read-only use): the handle, the timings, and whether the page
  // has drawn everything there is to draw.
  // `wasmBytes`: the engines' linear memory, the page's and its workers', for the soak test.
  await workers;
  window.plateau = {
    handle: () => handle, timings, idle: () => frame === 0 && !dirty,
    workers: () => (pool ? pool.size : 0),
    drawn: () => !dirty,
    drawnAt: () => drawnAt,
    wasmBytes: () => wasm.memory.buffer.byteLength + (pool ? pool.memoryBytes() : 0),
  };
  document.documentElement.dataset.engine = 'ready';
}

main().catch((e) => {
  document.documentElement.dataset.engine = 'failed';
  showError(`The playground could not start: ${e instanceof Error ? e.message : e}`);
});
