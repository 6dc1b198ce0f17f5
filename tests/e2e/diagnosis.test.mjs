// The diagnosis panel in a real headless Chromium: for every article preset the panel lists the
// causes the native CLI's rules name, its markers sit at the engine's epochs, its experiments
// (every applicable fix over 5 seeds) equal the CLI's and re-rank the table the same way,
// "try it" applies the fix to the controls and the hash, the
// multi-seed mode draws a band and survives a reload, and the distortion slider lands in the
// hash. Screenshots of every preset with its panel, desktop and phone, land in tests/e2e/out/ —
// look at them.
//
// PLATEAU_URL: the served site (`cargo xtask test` sets it).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { CLI, closeBrowser, ensureCli, openReady } from './harness.mjs';

const PRESETS = ['overfit', 'unscaled', 'scaled', 'lr-high', 'lr-low', 'lr-good'];

before(ensureCli);
after(closeBrowser);

const open = openReady;

/// Training, drawing and the experiments all done.
const settled = (page) => page.waitForFunction(() => window.plateau.idle(), null, { timeout: 180_000 });
const panel = (page) => page.evaluate(() => window.plateau.handle().panel());
const experiments = (page) => page.evaluate(() => window.plateau.handle().experiments());
const hashOf = (page) => page.evaluate(() => location.hash.slice(1));
const accuracyPixels = (page) => page.evaluate(() => document.getElementById('accuracy-chart').toDataURL());
const chartPixels = (page) => page.evaluate(() =>
  ['loss-chart', 'accuracy-chart'].map((id) => document.getElementById(id).toDataURL()));

const native = new Map();
/// `plateau run --preset NAME --json` (with its 5-seed experiments), once per preset.
function nativeRun(preset) {
  if (!native.has(preset)) {
    native.set(preset, JSON.parse(execFileSync(CLI, ['run', '--preset', preset, '--json'], { encoding: 'utf8' })));
  }
  return native.get(preset);
}

/// What the page shows in the panel, read from the DOM.
const shown = (page) => page.evaluate(() => ({
  headline: document.getElementById('diagnosis-headline').textContent,
  causes: [...document.querySelectorAll('#causes > li')].map((li) => ({
    id: li.dataset.cause,
    status: li.dataset.status,
    ruledOut: li.classList.contains('ruled-out'),
    text: li.textContent,
    tryIt: li.querySelector('.try-it').textContent,
  })),
  experiments: document.getElementById('experiments-text').textContent,
  experimentsState: document.getElementById('experiments').dataset.state,
  images: document.querySelectorAll('#diagnosis img').length,
}));

test('every preset: the panel lists the native causes, marks its epochs and tests every fix as the CLI does', async () => {
  const { page, assertClean, screenshot, close } = await open();
  for (const preset of PRESETS) {
    await page.locator(`[data-preset="${preset}"]`).click();
    await settled(page);
    const expected = nativeRun(preset).diagnosis;
    const { diagnosis, markers } = await panel(page);
    assert.equal(diagnosis.causes[0].id, expected.causes[0].id, `${preset}: top cause`);
    assert.deepEqual(diagnosis.causes.map((c) => c.id), expected.causes.map((c) => c.id), `${preset}: causes`);

    const view = await shown(page);
    const p0 = await panel(page);
    const row = (id) => view.causes.find((c) => c.id === id);
    for (const cause of expected.causes) {
      // The panel is the table of fixes tested, one per kind of fix: a cause is left out only
      // when it has no fix, or its kind of fix (the keys it sets) is another row's.
      if (!row(cause.id)) {
        const keys = (fix) => fix.map(([key]) => key).sort().join(',');
        const kindTested = p0.table.some((r) => keys(r.fix) === keys(cause.fix));
        assert.ok(cause.fix.length === 0 || kindTested, `${preset}: ${cause.id}'s fix is tested in no row`);
        continue;
      }
      assert.ok(row(cause.id).text.includes(cause.explanation), `${preset}: ${cause.id}'s explanation shown`);
      const shownConfidence = p0.table.find((r) => r.cause === cause.id)?.confidence_text;
      assert.ok(Math.abs(Number(shownConfidence) - cause.confidence) <= 0.005, `${preset}: confidence ${shownConfidence}`);
      assert.ok(row(cause.id).text.includes(`confidence ${shownConfidence}`), `${preset}: confidence`);
    }
    // The table: every fix the CLI tested, in the CLI's ranking, with the same figures.
    const p = await panel(page);
    assert.deepEqual(p.diagnosis.experiments, expected.experiments, `${preset}: experiments equal the native ones`);
    assert.equal(p.answer, expected.answer, `${preset}: the answer by experiment`);
    assert.equal(view.causes[0].id, p.table[0].cause, `${preset}: the table's first row is the best fix`);
    for (const [i, r] of p.table.entries()) {
      assert.equal(view.causes[i].id, r.cause);
      assert.equal(view.causes[i].status, r.status);
      assert.equal(view.causes[i].ruledOut, r.ruled_out);
      if (r.ruled_out) assert.ok(view.causes[i].text.includes('ruled out by experiment'));
      for (const [key, value] of r.fix) {
        assert.ok(view.causes[i].tryIt.includes(`${key} = ${value}`), `${preset}: try-it names ${key}=${value}`);
      }
      // The engine formats the figures (tests/playground checks them against the CLI's
      // table); the page shows its sentence as it is.
      if (r.experiment) {
        assert.ok(r.effect && view.causes[i].text.includes(r.effect), `${preset}: ${r.cause} shows ${r.effect}: ${view.causes[i].text}`);
      }
    }
    const helped = expected.experiments.some((e) => e.verdict === 'helps');
    if (helped) assert.equal(p.table[0].status, 'helps', `${preset}: a fix helped, it leads`);
    assert.equal(view.images, 0);

    // Markers at the engine's epochs: best and plateau start on the accuracy chart, the
    // counted best validation loss and plateau start on the loss chart; the headline names
    // the same epochs.
    const at = (chart, label) => markers.find((m) => m.chart === chart && m.label === label)?.epoch;
    const start = expected.plateau_epoch ? expected.last_improvement_epoch : undefined;
    assert.equal(at('accuracy', 'best val acc'), expected.best_epoch, `${preset}: best marker`);
    assert.equal(at('accuracy', 'plateau'), start, `${preset}: plateau marker`);
    assert.equal(at('loss', 'best val loss'), expected.counted_loss_epoch, `${preset}: best loss marker`);
    if (start) assert.match(view.headline, new RegExp(`plateaued at epoch ${start}:`));
    assert.match(view.headline, new RegExp(`at epoch ${expected.counted_loss_epoch}\\b`));

    // The experiments' summary names the answer.
    assert.equal((await experiments(page)).state, 'done', `${preset}: experiments finished`);
    assert.equal(view.experimentsState, 'done');
    assert.ok(view.experiments.startsWith('Answer, by experiment: '), view.experiments);
    assert.ok(view.experiments.includes(expected.answer_text), view.experiments);
    assert.ok(view.experiments.includes(`over ${expected.seeds_used} seeds`), view.experiments);
    await screenshot(`diagnosis-${preset}-desktop`);
  }
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  assertClean();
  await close();
});

// On a phone every preset's panel is shot by page.test.mjs, with the page beside it.

test('markers: they change the chart, and follow the run chosen in a comparison', async () => {
  const { page, assertClean, screenshot, close } = await open('#compare=scaling');
  await settled(page);
  const first = await panel(page);
  assert.deepEqual(first.runs, ['unscaled', 'standardized']);
  assert.ok(first.markers.every((m) => m.label.startsWith('unscaled: ')), JSON.stringify(first.markers));
  const before = await accuracyPixels(page);
  await page.locator('#diagnosis-runs button', { hasText: 'standardized' }).click();
  await settled(page);
  const second = await panel(page);
  assert.equal(second.focus, 1);
  assert.ok(second.markers.every((m) => m.label.startsWith('standardized: ')));
  assert.notEqual(second.markers.map((m) => m.epoch).join(), first.markers.map((m) => m.epoch).join());
  assert.notEqual(await accuracyPixels(page), before, 'the curves are the same, only the markers moved');
  assert.equal(second.diagnosis.causes[0].id, nativeRun('scaled').diagnosis.causes[0].id);
  await screenshot('diagnosis-compare-scaling');
  assertClean();
  await close();
});

test('"try it" applies the fix to the controls and the hash, and the old run stays faded', async () => {
  const { page, assertClean, screenshot, close } = await open('#preset=lr-high');
  await settled(page);
  const { diagnosis } = await panel(page);
  const [top] = diagnosis.causes;
  assert.equal(top.id, 'lr_too_high');
  assert.deepEqual(top.fix, [['lr', '0.01']]);
  const before = await chartPixels(page);
  await page.locator(`#causes > li[data-cause="${top.id}"] .try-it`).click();
  assert.ok((await hashOf(page)).includes('lr=0.01'), await hashOf(page));
  assert.equal(await page.locator('#lr-value').textContent(), '0.01');
  await settled(page);
  const now = await chartPixels(page);
  assert.notEqual(now[0], before[0]);
  // The experiments restarted for the new run.
  assert.equal((await experiments(page)).state, 'done');
  assert.notEqual((await panel(page)).diagnosis.causes[0]?.id, 'lr_too_high');

  // A fix with another key: overfit's l2, which has no control but lands in the hash.
  await page.locator('[data-preset="overfit"]').click();
  await settled(page);
  const fix = (await panel(page)).diagnosis.causes[0].fix;
  await page.locator('#causes > li').first().locator('.try-it').click();
  const hash = await hashOf(page);
  for (const [key, value] of fix) assert.ok(hash.includes(`${key}=${value}`), `${key}=${value} in #${hash}`);
  assert.deepEqual(fix, [['l2', '0.01']]);
  assert.equal(await page.locator('#l2-value').textContent(), '0.01', 'the L2 slider shows the fix');
  await settled(page);
  await screenshot('diagnosis-after-try-it');
  assertClean();
  await close();
});

test('multi-seed mode draws a band, keeps the first seed\'s figures, and round-trips the hash', async () => {
  const hash = '#samples=200&epochs=30&hidden=16';
  const { page, assertClean, screenshot, close } = await open(hash);
  await settled(page);
  const single = await chartPixels(page);
  const figuresBefore = await page.evaluate(() => window.plateau.handle().figures());
  await page.locator('#seeds').selectOption('3');
  await settled(page);
  assert.ok((await hashOf(page)).endsWith('&seeds=3'), await hashOf(page));
  const multi = await chartPixels(page);
  assert.notEqual(multi[0], single[0], 'the loss chart shows the band');
  assert.notEqual(multi[1], single[1], 'the accuracy chart shows the band');
  assert.deepEqual(await page.evaluate(() => window.plateau.handle().figures()), figuresBefore,
    'the table and the diagnosis stay on the config\'s own seed');
  const { markers } = await panel(page);
  assert.ok(markers.length > 0 && markers.every((m) => m.label.endsWith(' (seed 0)')), JSON.stringify(markers));
  assert.match(await page.locator('#diagnosis-headline').textContent(), /^Seed 0, the first of 3/);
  await screenshot('diagnosis-seeds-3');

  // The hash reopens the mode; a bad value is listed like any other.
  await page.reload();
  await page.waitForFunction(() => document.documentElement.dataset.engine === 'ready');
  await settled(page);
  assert.equal(await page.locator('#seeds').inputValue(), '3');
  assert.equal(await page.evaluate(() => window.plateau.handle().state().seeds), 3);
  assert.deepEqual(await chartPixels(page), multi, 'the same chart after a reload');

  await page.goto(page.url().replace('seeds=3', 'seeds=4'));
  await page.waitForFunction(() => !document.getElementById('notice').hidden);
  const items = await page.evaluate(() => [...document.querySelectorAll('#notice-list li')].map((li) => li.textContent));
  assert.deepEqual(items, ["seeds: '4' is not one of 1, 3, 5; the default is used"]);
  assert.equal(await page.locator('#seeds').inputValue(), '1');
  assertClean();
  await close();
});

test('the distortion slider lands in the hash, and only matters when distorting', async () => {
  const { page, assertClean, close } = await open('#samples=200&epochs=10&hidden=16');
  await settled(page);
  assert.equal(await page.locator('#distortion').isDisabled(), true);
  await page.locator('#distort').click();
  await settled(page);
  assert.equal(await page.locator('#distortion').isDisabled(), false);
  await page.locator('#distortion').fill('3');
  await settled(page);
  const hash = await hashOf(page);
  assert.ok(hash.includes('distort=true') && hash.includes('distortion=1000'), hash);
  assert.equal(await page.locator('#distortion-value').textContent(), '×1,000');
  await page.locator('#distortion').fill('4');
  await settled(page);
  assert.ok((await hashOf(page)).includes('distortion=10000'));
  const { diagnosis } = await panel(page);
  const unscaled = diagnosis.causes.find((c) => c.id === 'unscaled_features');
  assert.equal(unscaled, undefined, 'standardized: the scales do not reach the network');
  assertClean();
  await close();
});

test('the answer in the page: setup causes, ties, the data\'s limit and the placebo, with the experiments\' wall time', async () => {
  for (const [preset, cause] of [['overfit', 'overfitting'], ['unscaled', 'unscaled_features']]) {
    const { page, assertClean, close } = await open(`#preset=${preset}`);
    await page.waitForFunction(() => window.plateau.handle().experiments().state === 'running', null, { timeout: 120_000 });
    const started = Date.now();
    await settled(page);
    const seconds = (Date.now() - started) / 1000;
    const { fixes, seeds, state } = await experiments(page);
    assert.equal(state, 'done');
    const p = await panel(page);
    const expected = nativeRun(preset).diagnosis;
    // The page's answer is the CLI's, to the letter (the runs are bit-identical).
    assert.deepEqual(p.answers, expected.answers, `${preset}: answers`);
    assert.equal(p.answer_text, expected.answer_text, `${preset}: answer text`);
    assert.equal(p.seeds_used, expected.seeds_used, `${preset}: seeds used`);
    assert.ok(p.answers.includes(cause), `${preset}: ${cause} in ${p.answers}`);
    assert.ok(!p.answers.includes('more_data'), 'the data\'s limit is never the answer');
    const text = await page.locator('#experiments-text').textContent();
    assert.ok(text.includes(p.answer_text), text);
    const limit = await page.locator('#data-limit').textContent();
    assert.equal(limit, p.data_limit?.text ?? '', 'the data\'s limit, under the answer');
    const placebo = await page.locator('#placebo').textContent();
    assert.equal(placebo, p.placebo_text, 'the placebo, beside the answer');
    assert.ok(placebo.includes(p.placebo.verdict_text), placebo);
    console.log(`${preset}: the experiments (${fixes} fixes, a placebo and the unchanged settings, ${seeds} seeds) took ${seconds.toFixed(1)} s of wall time in the page (not asserted); answer: ${p.answers.join(' or ')}`);
    assertClean();
    await close();
  }
});

test('costs: diagnosing, the panel and the experiments per frame, and their wall time', async () => {
  const { page, assertClean, close } = await open('#preset=overfit&seeds=5');
  await page.waitForFunction(() => window.plateau.handle().experiments().state === 'running', null, { timeout: 120_000 });
  const started = Date.now();
  await settled(page);
  const { fixes, seeds } = await experiments(page);
  console.log(`overfit, 5 seeds: the experiments (${fixes} fixes, a placebo and the unchanged settings, ${seeds} seeds) took ${((Date.now() - started) / 1000).toFixed(1)} s of wall time in the page (not asserted)`);
  const t = await page.evaluate(() => window.plateau.timings);
  const stats = (xs) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return `median ${sorted[Math.floor(xs.length / 2)].toFixed(2)} ms, max ${sorted.at(-1).toFixed(1)} ms over ${xs.length}`;
  };
  console.log(`overfit, 5 seeds + experiments: diagnosis ${stats(t.diagnosisMs)}; panel update ${stats(t.panelMs)};`
    + ` experiments status ${stats(t.experimentsMs)}; slowest frame ${JSON.stringify(t.slowestTick, (k, v) => (typeof v === 'number' ? Number(v.toFixed(1)) : v))}`);
  assertClean();
  await close();
});

// The experiments train in the same time slices as the runs on the chart, one batch or
// validation chunk at a time: on a big network the page keeps answering. (Long tasks are
// printed, not asserted: a busy machine makes them; the slicing itself is tested on a fake
// clock natively.)
test('the experiments on a big network: their slices stay short and the page keeps answering', async () => {
  const { page, assertClean, close } = await open('#samples=2000&hidden=256,256,256&epochs=4');
  await page.waitForFunction(() => window.plateau.handle().experiments().state === 'running', null, { timeout: 120_000 });
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longTasks.push(Math.round(entry.duration));
    }).observe({ type: 'longtask' });
  });
  const before = (await experiments(page)).done;
  await page.waitForTimeout(3000);
  // A call is answered while the experiments train: pausing stops it. (The transport button
  // reads "Run again" once the runs have ended; the engine's pause still waits.)
  await page.evaluate(() => window.plateau.handle().pause());
  const { done, total } = await experiments(page);
  const { experimentsSliceMs, slowestTick } = await page.evaluate(() => window.plateau.timings);
  const longTasks = await page.evaluate(() => window.longTasks);
  const sorted = [...experimentsSliceMs].sort((a, b) => a - b);
  console.log(`experiments on 2000 rows, 256×3: ${done - before} epochs in 3 s (${done}/${total});`
    + ` experiments-only slices median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`
    + ` over ${sorted.length}; slowest frame ${slowestTick.totalMs.toFixed(1)} ms; long tasks [${longTasks}]`);
  assert.ok(done > before, 'the experiments advanced');
  assert.ok(experimentsSliceMs.length > 10, 'in many slices');
  const paused = (await experiments(page)).done;
  await page.waitForTimeout(300);
  assert.equal((await experiments(page)).done, paused, 'paused: the experiments wait too');
  // Played to the end: their whole wall time on this network (4 epochs a run), printed.
  const started = Date.now();
  // Played on (a resize asks the page for a frame, and it keeps asking while there is work).
  await page.evaluate(() => { window.plateau.handle().play(); window.dispatchEvent(new Event('resize')); });
  await settled(page);
  const end = await experiments(page);
  console.log(`2000 rows, 256×3, 4 epochs: the experiments' remaining ${end.fixes} fixes × ${end.seeds} seeds finished in ${((Date.now() - started) / 1000).toFixed(1)} s more (not asserted; ${done}/${total} epochs were trained before)`);
  assertClean();
  await close();
});
