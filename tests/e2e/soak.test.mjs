// An hour in class, compressed: 1,000 consecutive changes in one page (sliders, selects,
// switches, presets and comparisons, seeds, re-roll, the multi-seed mode, try-it), each
// restarting the run. After the last change the wasm memory and the JS heap (after a garbage
// collection) are within 10 % of what they were after the first 100, nothing logged an error,
// and the page still answers. The wasm memory is the engine's linear memory, which only grows to
// a high-water mark: it is held to 10 % over the second half of the run, and its figure after
// the first 100 changes is printed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeBrowser, openReady } from './harness.mjs';

after(closeBrowser);

const CHANGES = 1000;
const WARM_UP = 100;

// One change of the page, as a student makes it: the control's value and the event the page
// listens for. `i` varies the values so that consecutive changes differ.
const MOVES = [
  (i) => ['input', 'lr', String(-4 + (i % 7) * 0.5)],
  (i) => ['input', 'epochs', String(0.5 + (i % 4) * 0.3)],
  (i) => ['input', 'batch-size', String(3 + (i % 5))],
  (i) => ['input', 'samples', String(2 + (i % 3) * 0.4)],
  (i) => ['input', 'hidden-1', String([8, 32, 64, 0][i % 4])],
  (i) => ['input', 'hidden-2', String([0, 16][i % 2])],
  (i) => ['input', 'l2', String(-5 + (i % 4))],
  (i) => ['change', 'optimizer', ['adam', 'sgd', 'rmsprop'][i % 3]],
  (i) => ['change', 'activation', ['relu', 'tanh', 'sigmoid', 'linear'][i % 4]],
  () => ['toggle', 'distort'],
  () => ['toggle', 'standardize'],
  (i) => ['change', 'seed', String(i)],
  () => ['click', '#reroll'],
  // Seeds and presets cycle together with a period of 4 rounds (64 changes), so the first 100
  // changes include the heaviest state (5 seeds of a 3-run comparison): linear memory only
  // grows to its high-water mark, and that must be reached before the baseline is taken.
  (i) => ['change', 'seeds', ['5', '3', '1', '5'][i % 4]],
  (i) => ['click', `[data-preset="${['learning-rate', 'overfit', 'scaling', 'lr-high'][i % 4]}"]`],
  () => ['try-it'],
];

/** Makes change number `i` in the page, then waits for the next animation frame (which
 *  trains a slice and redraws). Returns what it did, for the log. */
function change(page, i) {
  const move = MOVES[i % MOVES.length](Math.floor(i / MOVES.length));
  return page.evaluate(async ([kind, target, value]) => {
    const $ = (id) => document.getElementById(id);
    if (kind === 'input' || kind === 'change') {
      $(target).value = value;
      $(target).dispatchEvent(new Event(kind));
    } else if (kind === 'toggle') {
      $(target).click();
    } else if (kind === 'click') {
      document.querySelector(target).click();
    } else if (kind === 'try-it') {
      const button = [...document.querySelectorAll('.try-it')].find((b) => !b.hidden);
      if (button) button.click();
      else $('lr').dispatchEvent(new Event('input')); // no cause with a fix yet: a slider
    }
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return kind === 'try-it' ? 'try-it' : `${kind} ${target}${value === undefined ? '' : `=${value}`}`;
  }, move);
}

/** The engine's linear memory and the JS heap after a full garbage collection, in bytes. */
async function memory(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const js = metrics.find((m) => m.name === 'JSHeapUsedSize').value;
  const wasm = await page.evaluate(() => window.plateau.wasmBytes());
  return { wasm, js };
}

const mib = (bytes) => (bytes / 2 ** 20).toFixed(2);

test('1,000 changes in one page: memory stays flat, no error, the page still answers', async () => {
  const p = await openReady('#samples=200&epochs=20&hidden=16');
  const { page } = p;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const started = Date.now();
  let first;
  const trace = []; // every 100 changes
  const kinds = new Set();
  for (let i = 0; i < CHANGES; i++) {
    kinds.add((await change(page, i)).split(/[ =]/).slice(0, 2).join(' '));
    if (i + 1 === WARM_UP) first = await memory(page, cdp);
    if ((i + 1) % 100 === 0) trace.push(await memory(page, cdp));
    const shown = await page.evaluate(() => document.getElementById('error').hidden);
    assert.ok(shown, `change ${i}: the page shows an error: ${await page.locator('#error').textContent()}`);
  }
  // The page still answers: a known setting applies, trains to the end and is drawn.
  await page.evaluate(() => { location.hash = '#samples=200&epochs=5&hidden=8'; });
  await page.waitForFunction(() => {
    const [f] = window.plateau.handle().figures();
    return f.epochs === 5 && f.epoch === 5 && window.plateau.idle();
  }, null, { timeout: 60_000 });
  const last = await memory(page, cdp);
  const seconds = (Date.now() - started) / 1000;
  console.log(`soak: ${CHANGES} changes (${kinds.size} kinds) in ${seconds.toFixed(0)} s; wasm memory`
    + ` ${mib(first.wasm)} → ${mib(last.wasm)} MiB, JS heap ${mib(first.js)} → ${mib(last.js)} MiB`
    + ` (after change ${WARM_UP} → after the last); every 100 changes: wasm`
    + ` [${trace.map((m) => mib(m.wasm)).join(', ')}], JS [${trace.map((m) => mib(m.js)).join(', ')}] MiB`);
  assert.ok(kinds.size >= MOVES.length, `every kind of change was made: ${[...kinds].join(', ')}`);
  const half = trace[trace.length / 2 - 1];
  assert.ok(last.wasm <= half.wasm * 1.1,
    `wasm memory grew over the second half: ${mib(half.wasm)} → ${mib(last.wasm)} MiB`);
  assert.ok(last.js <= first.js * 1.1, `JS heap grew ${mib(first.js)} → ${mib(last.js)} MiB`);
  p.assertClean();
  await p.close();
});
