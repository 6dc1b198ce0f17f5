// The page as a student and a teacher met it (issue 11): a truthful status after Pause, Reset
// and the end; the faded run after a slider drag is the run from where the drag started; focus
// after "Try it"; the controls in a comparison show the run they edit; on a phone the learning-
// rate slider and the loss chart are on screen together; long runs and the experiments show progress
// and a time estimate, and can be stopped. Screenshots land in tests/e2e/out/ — look at them.
//
// No timing is asserted: the tests wait for values to change, never for how fast.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { closeBrowser, openReady, PHONE, screenShot } from './harness.mjs';

after(closeBrowser);

const settled = (page) => page.waitForFunction(() => window.plateau.idle(), null, { timeout: 180_000 });
const status = (page) => page.evaluate(() => ({
  text: document.getElementById('status').textContent,
  state: document.getElementById('status').dataset.state,
  epoch: window.plateau.handle().figures()[0].epoch,
  progress: document.getElementById('run-progress').hidden ? null : document.getElementById('run-progress').value,
}));
const epochReached = (page, epoch) => page.waitForFunction(
  (e) => window.plateau.handle().figures()[0].epoch >= e, epoch, { timeout: 180_000 });
const stateIs = (page, state) => page.waitForFunction(
  (s) => document.getElementById('status').dataset.state === s, state, { timeout: 180_000 });

test('the status says paused, ready and finished, never a stale "training"', async () => {
  const { page, assertClean, screenshot, close } = await openReady('#samples=3000&hidden=128,128');
  await epochReached(page, 2);
  assert.equal((await status(page)).state, 'training');
  await page.locator('#play').click();
  const paused = await status(page);
  assert.equal(paused.state, 'paused');
  assert.match(paused.text, new RegExp(`^paused at epoch ${paused.epoch} of 100 \\(\\d+%\\): press Play to go on$`));
  assert.equal(await page.locator('#play').textContent(), 'Play');
  await page.waitForTimeout(500);
  assert.equal((await status(page)).epoch, paused.epoch, 'paused means no training');
  await screenshot('state-paused');

  await page.locator('#reset').click();
  await settled(page);
  const ready = await status(page);
  assert.deepEqual([ready.state, ready.text, ready.epoch], ['ready', 'ready: press Play to train 100 epochs', 0]);

  await page.evaluate(() => { location.hash = '#samples=200&epochs=15&hidden=16'; });
  await page.locator('#play').click();
  await settled(page);
  const finished = await status(page);
  assert.deepEqual([finished.state, finished.text], ['finished', 'finished: 15 epochs']);
  // The end is announced politely, with what the curves show (the charts are pictures).
  const summary = await page.evaluate(() => window.plateau.handle().summary());
  assert.ok(summary.length > 0);
  assert.equal(await page.locator('#announce').textContent(), summary, 'announced politely');
  assertClean();
  await close();
});

test('after a slider drag, the faded run is the run from where the drag started', async () => {
  const { page, assertClean, screenshot, close } = await openReady('#samples=200&epochs=40&hidden=16');
  await settled(page);
  const before = await page.evaluate(() => ({
    history: window.plateau.handle().histories()[0],
    lr: window.plateau.handle().state().settings.learning_rate,
  }));
  // Drag the thumb from its place to the far right in small moves, letting the page train
  // the runs passed through (as a student's slow drag does).
  const box = await page.locator('#lr').boundingBox();
  const y = box.y + box.height / 2;
  const x0 = box.x + box.width * ((Math.log10(before.lr) + 5) / 5);
  await page.mouse.move(x0, y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) {
    await page.mouse.move(x0 + ((box.x + box.width - x0) * i) / 10, y);
    await page.waitForTimeout(60);
  }
  await page.mouse.up();
  await settled(page);
  const after = await page.evaluate(() => ({
    faded: window.plateau.handle().faded(),
    lr: window.plateau.handle().state().settings.learning_rate,
  }));
  assert.ok(after.lr > 0.5, `dragged to the right end: lr ${after.lr}`);
  assert.equal(after.faded.length, 1);
  assert.equal(after.faded[0].settings.learning_rate, before.lr, 'the faded run is the drag start');
  assert.equal(after.faded[0].label, `before: lr=${before.lr}`);
  assert.deepEqual(after.faded[0].history, before.history, 'its whole run, as it was');
  await screenshot('state-after-drag');
  assertClean();
  await close();
});

test('"Try it" leaves focus on the panel heading and announces the change', async () => {
  const { page, assertClean, close } = await openReady('#preset=lr-high');
  await settled(page);
  const tryIt = page.locator('#causes > li .try-it:not([hidden])').first();
  const label = await tryIt.textContent();
  // Every announcement from now on: the run the fix starts may finish (in a worker) before the
  // next read, and its summary is announced then, after the fix's.
  await page.evaluate(() => {
    const box = document.getElementById('announce');
    window.announced = [];
    new MutationObserver(() => window.announced.push(box.textContent))
      .observe(box, { childList: true, characterData: true, subtree: true });
  });
  await tryIt.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.announced.length > 0);
  const focus = await page.evaluate(() => ({
    id: document.activeElement.id,
    name: document.activeElement.textContent,
    announced: window.announced[0],
  }));
  assert.equal(focus.id, 'diagnosis-title');
  assert.equal(focus.name, 'Why is validation not improving?');
  assert.equal(focus.announced, `Applied ${label.replace(/^Try it: /, '')}. Training again; the previous run is faded on the charts.`);
  assertClean();
  await close();
});

test('in a comparison the controls show the run they edit, and it opens with 5 seeds', async () => {
  const { page, assertClean, screenshot, close } = await openReady();
  await page.locator('[data-preset="scaling"]').click();
  const shown = () => page.evaluate(() => ({
    editing: document.getElementById('editing').hidden ? null : document.getElementById('editing-run').textContent,
    distort: document.getElementById('distort').checked,
    standardize: document.getElementById('standardize').checked,
    seeds: document.getElementById('seeds').value,
    note: document.getElementById('comparison-note').hidden ? null : document.getElementById('comparison-note').textContent,
    pressed: [...document.querySelectorAll('#diagnosis-runs button[aria-pressed="true"]')].map((b) => b.textContent),
    engine: window.plateau.handle().state().settings,
  }));
  await page.waitForFunction(() => !document.getElementById('diagnosis-runs').hidden);
  let view = await shown();
  assert.deepEqual([view.editing, view.distort, view.standardize, view.seeds, view.note],
    ['unscaled', true, false, '5', null]);
  assert.deepEqual(view.pressed, ['unscaled'], 'the panel and the controls name the same run');
  await page.locator('#diagnosis-runs button', { hasText: 'standardized' }).click();
  // The controls follow at once; the panel, which names the pressed run, draws on the next frame.
  await page.waitForFunction(() => document.querySelector('#diagnosis-runs button[aria-pressed="true"]')?.textContent === 'standardized');
  view = await shown();
  assert.deepEqual([view.editing, view.distort, view.standardize], ['standardized', true, true]);
  assert.deepEqual(view.pressed, ['standardized']);
  assert.equal(view.engine.standardize, true, 'the controls are the engine\'s run');
  await screenshot('state-compare-scaling');

  await page.locator('#seeds').selectOption('1');
  view = await shown();
  assert.match(view.note ?? '', /^One seed cannot show whether these runs differ/);
  assertClean();
  await close();
});

test('on a phone the learning-rate slider and the loss chart are on screen together', async () => {
  const { page, cdp, assertClean, close } = await openReady('', { phone: true });
  for (const width of [390, 360]) {
    const height = width === 390 ? 844 : 740;
    await cdp.send('Emulation.setDeviceMetricsOverride', { ...PHONE, width, height });
    await page.waitForFunction((w) => window.innerWidth === w, width);
    await settled(page);
    await page.locator('#lr').scrollIntoViewIfNeeded();
    const rects = await page.evaluate(() => {
      const r = (id) => {
        const b = document.getElementById(id).getBoundingClientRect();
        return { top: b.top, bottom: b.bottom, left: b.left, right: b.right };
      };
      return { lr: r('lr'), loss: r('loss-chart'), w: window.innerWidth, h: window.innerHeight,
        overflow: document.documentElement.scrollWidth - window.innerWidth };
    });
    for (const id of ['lr', 'loss']) {
      const b = rects[id];
      assert.ok(b.top >= 0 && b.bottom <= rects.h && b.left >= 0 && b.right <= rects.w,
        `${width}px: #${id} on screen: ${JSON.stringify(rects)}`);
    }
    assert.ok(rects.lr.top >= rects.loss.bottom, `${width}px: the slider is not under the chart`);
    assert.ok(rects.overflow <= 0, `${width}px: the page is ${rects.overflow}px wider than the screen`);
    await screenShot(cdp, `phone-${width}-slider-and-chart`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenShot(cdp, `phone-${width}-top`);
  }
  assertClean();
  await close();
});

test('a long run shows progress and a time estimate that move, and Stop ends it', async () => {
  const { page, assertClean, screenshot, close } = await openReady('#samples=10000&hidden=256,256,256&epochs=100');
  await page.waitForFunction(() => !document.getElementById('run-progress').hidden
    && /(about .* left|a few seconds left)$/.test(document.getElementById('status').textContent),
  null, { timeout: 180_000 });
  const first = await status(page);
  assert.match(first.text, /^training: epoch \d+ of 100 · \d+% · (about .* left|a few seconds left)$/);
  await page.waitForFunction((v) => Number(document.getElementById('run-progress').value) > v,
    first.progress, { timeout: 180_000 });
  await page.waitForFunction((t) => document.getElementById('status').textContent !== t,
    first.text, { timeout: 180_000 });
  const later = await status(page);
  console.log(`largest setting: "${first.text}" then "${later.text}"`);
  await screenshot('state-long-run-progress');

  await page.locator('#stop').click();
  await stateIs(page, 'stopped');
  const stopped = await status(page);
  assert.match(stopped.text, /^stopped by you after epoch \d+ of 100$/);
  assert.ok(await page.evaluate(() => location.hash.includes(`epochs=${window.plateau.handle().figures()[0].epoch}`)),
    'the link reopens the run as it was stopped');
  assert.ok(await page.locator('#run-progress').isHidden());
  assert.equal(await page.locator('#play').textContent(), 'Run again', 'the run has ended');
  await page.evaluate(() => window.plateau.handle().pause()); // the experiments must not start training on this setting
  assertClean();
  await close();
});

test('the experiments show their progress and time left, and can be stopped', async () => {
  const { page, assertClean, screenshot, close } = await openReady('#preset=overfit&samples=400');
  const text = () => page.locator('#experiments-text').textContent();
  await page.waitForFunction(
    () => /(about .* left|a few seconds left)…$/.test(document.getElementById('experiments-text').textContent),
    null, { timeout: 180_000 });
  const first = await page.evaluate(() => window.plateau.handle().experiments());
  assert.equal(first.state, 'running');
  assert.ok(await page.locator('#experiments-progress').isVisible());
  const firstText = await text();
  await page.waitForFunction((done) => window.plateau.handle().experiments().done > done, first.done, { timeout: 180_000 });
  await page.waitForFunction((t) => document.getElementById('experiments-text').textContent !== t, firstText,
    { timeout: 180_000 });
  console.log(`experiments: "${firstText}" then "${await text()}"`);
  await screenshot('state-experiments-progress');
  await page.waitForFunction(() => window.plateau.handle().experiments().measured > 0, null, { timeout: 180_000 });
  await page.locator('#experiments-stop').click();
  await page.waitForFunction(() => document.getElementById('experiments').dataset.state === 'unavailable');
  assert.match(await text(), /^You stopped the experiments at \d+% trained/);
  // What they measured is kept, with its seeds; what they never reached says so.
  const rows = await page.evaluate(() => window.plateau.handle().panel().table
    .filter((r) => r.experiment)
    .map((r) => ({ cause: r.cause, status: r.status, seeds: r.experiment.seeds, complete: r.experiment.complete, effect: r.effect })));
  const badges = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#causes > li')]
    .map((li) => [li.dataset.status, li.textContent])));
  assert.ok(rows.some((r) => r.seeds > 0), JSON.stringify(rows));
  for (const row of rows) {
    if (row.complete) continue;
    if (row.seeds === 0) {
      assert.equal(row.status, 'not_run');
      assert.ok(badges.not_run.includes('not run (stopped)'));
    } else {
      assert.equal(row.status, 'stopped');
      assert.match(row.effect, new RegExp(`, ${row.seeds} seeds?, stopped\\)`));
    }
  }
  await settled(page);
  assertClean();
  await close();
});

// Comparisons, the keyboard and the transport as a student and a teacher met them (round 2).

test('Re-roll keeps a comparison: every run trains again on one new seed', async () => {
  const { page, assertClean, screenshot, close } = await openReady('#compare=learning-rate');
  await epochReached(page, 1);
  const labels = () => page.evaluate(() => window.plateau.handle().figures().map((f) => f.label));
  const before = await labels();
  assert.equal(before.length, 3);
  await page.locator('#reroll').click();
  const after = await page.evaluate(() => ({
    state: window.plateau.handle().state(),
    seed: window.plateau.handle().panel().seed,
    hash: location.hash,
  }));
  assert.equal(after.state.comparison, 'learning-rate', 'the comparison stays');
  assert.deepEqual(await labels(), before, 'the same runs');
  assert.equal(after.state.seeds, 5);
  assert.equal(after.hash, `#compare=learning-rate&seed=${after.state.settings.seed}`, 'the link reopens it');
  assert.equal(after.seed, after.state.settings.seed, 'the diagnosed run has the new seed');
  await epochReached(page, 20);
  await screenshot('state-rerolled-comparison');
  assertClean();
  await close();
});

test('a run of key presses on a slider is one change, until focus leaves', async () => {
  const { page, assertClean, close } = await openReady('#lr=0.1&samples=200&epochs=15&hidden=16');
  await epochReached(page, 15);
  const start = await page.evaluate(() => window.plateau.handle().histories()[0]);
  await page.locator('#lr').focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
  const faded = () => page.evaluate(() => window.plateau.handle().faded());
  const after = await faded();
  const lr = await page.evaluate(() => window.plateau.handle().state().settings.learning_rate);
  assert.ok(lr < 0.1, `the keys moved the slider: lr ${lr}`);
  assert.equal(after.length, 1);
  assert.equal(after[0].label, 'before: lr=0.1', 'the faded run is the one before the first press');
  assert.deepEqual(after[0].history, start, 'its whole run, as it was');
  // Focus leaves and comes back: the next press is a new change, from where the keys left it.
  // That run fades only once it shows an epoch (a run with none leaves the older faded run in
  // place, as a drag does), so wait for one: on a busy machine the press came first.
  await page.keyboard.press('Tab');
  await epochReached(page, 1);
  await page.locator('#lr').focus();
  await page.keyboard.press('ArrowRight');
  const next = await faded();
  assert.equal(next[0].settings.learning_rate, lr, 'a new change after focus left');
  assertClean();
  await close();
});

test('"Skip to controls" is first in the tab order, shows on focus and reaches the sliders', async () => {
  const { page, assertClean, close } = await openReady();
  const hash = await page.evaluate(() => location.hash);
  await page.keyboard.press('Tab');
  const skip = await page.evaluate(() => {
    const node = document.activeElement;
    const box = node.getBoundingClientRect();
    return { id: node.id, text: node.textContent, top: box.top, height: box.height };
  });
  assert.deepEqual([skip.id, skip.text], ['skip-to-controls', 'Skip to controls']);
  assert.ok(skip.top >= 0 && skip.height > 0, `on screen when focused: ${JSON.stringify(skip)}`);
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'lr', 'the first control');
  assert.equal(await page.evaluate(() => location.hash), hash, 'the link is not the page\'s state');
  assertClean();
  await close();
});

test('in an embed without the panel, the comparison note points at nothing hidden and a key press keeps the runs, faded', async () => {
  const { page, assertClean, screenshot, close } = await openReady('#compare=learning-rate&show=lr&panel=off');
  await epochReached(page, 5);
  const note = await page.locator('#editing').textContent();
  assert.ok(await page.locator('#editing').isVisible());
  assert.ok(!note.includes('diagnosis'), note);
  assert.match(note, /^These controls show the run lr 0\.1\. Changing one ends the comparison/);
  await page.locator('#lr').focus();
  await page.keyboard.press('ArrowRight');
  const after = await page.evaluate(() => ({
    runs: window.plateau.handle().figures().length,
    faded: window.plateau.handle().faded().map((f) => f.settings.learning_rate),
  }));
  assert.equal(after.runs, 1, 'the edited run goes on alone');
  assert.deepEqual(after.faded, [0.1, 0.0001, 0.001], 'as the note said, the compared runs stay, faded');
  await epochReached(page, 5);
  await screenshot('state-embed-after-key');
  assertClean();
  await close();
});

test('the transport button reads "Run again" once the run has finished, and runs it again', async () => {
  const { page, assertClean, close } = await openReady('#samples=200&epochs=15&hidden=16');
  await settled(page);
  const hash = await page.evaluate(() => location.hash);
  const first = await page.evaluate(() => window.plateau.handle().histories()[0]);
  assert.equal(await page.locator('#play').textContent(), 'Run again');
  const restarted = await page.evaluate(() => {
    document.getElementById('play').click();
    return window.plateau.handle().epoch();
  });
  assert.equal(restarted, 0, 'pressed, it trains the run again from the start');
  await settled(page);
  assert.deepEqual(await page.evaluate(() => window.plateau.handle().histories()[0]), first, 'the same run');
  assert.equal(await page.evaluate(() => location.hash), hash);
  assertClean();
  await close();
});
