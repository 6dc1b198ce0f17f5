// The charts as a student sees them: on a phone the pinned loss chart leaves the curves room,
// an exported SVG keeps the markers' labels off the curves, Inside the network shows the
// instruments with values on hover and from the keyboard, and the learning-rate finder runs.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { axeViolations, CLI, closeBrowser, ensureCli, openReady, OUT_DIR, phoneShot, screenShot } from './harness.mjs';

after(closeBrowser);

const trained = (page) => page.waitForFunction(
  () => window.plateau.handle().figures().every((f) => f.status.state !== 'training'),
  null, { timeout: 180_000 });

/** The plot's rectangle inside a canvas, as the engine drew it: { x, y, width, height } in
 *  CSS pixels. */
const plotRect = (page, id) => page.evaluate((id) => {
  const canvas = document.getElementById(id);
  const [x, y, width, height] = (canvas.dataset.plot ?? '').split(' ').map(Number);
  return { x, y, width, height, canvas: canvas.getBoundingClientRect().height };
}, id);

test('on a phone the pinned loss chart of a comparison has a plot at least 200 px tall', { timeout: 300_000 }, async () => {
  const { page, cdp, assertClean, close } = await openReady('#compare=learning-rate', { phone: true });
  await trained(page);
  // The engine draws at the canvas's new size after the phone's layout.
  await page.waitForFunction(() => {
    const c = document.getElementById('loss-chart');
    return c.dataset.plot && Math.abs(c.width - c.clientWidth * devicePixelRatio) < 2;
  });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const plot = await plotRect(page, 'loss-chart');
  await phoneShot(cdp, page, '.charts', 'chart-phone-compare-loss');
  await screenShot(cdp, 'chart-phone-compare-screen');
  const pinned = await page.evaluate(() => getComputedStyle(document.querySelector('.charts')).position);
  assert.equal(pinned, 'sticky', 'the loss chart is the pinned one');
  assert.ok(plot.height >= 200, `the plot is ${plot.height} px tall in a ${plot.canvas} px canvas`);
  assert.ok(plot.y >= 0 && plot.y + plot.height <= plot.canvas, JSON.stringify(plot));
  assert.equal((await page.evaluate(() => window.plateau.handle().figures())).length, 3);
  assertClean();
  await close();
});

test('the SVG export of a comparison draws its marker labels above the plot', { timeout: 300_000 }, async () => {
  const { page, assertClean, close } = await openReady('#compare=learning-rate');
  await trained(page);
  const svg = await page.evaluate(() => window.plateau.handle().exportSvg('loss', 720, 420));
  await mkdir(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, 'chart-compare-loss.svg');
  await writeFile(file, svg);
  // The export says where its plot is; every marker label (a text naming a best, a plateau
  // or an early stop), as the browser lays it out, ends above the plot's top.
  const found = await page.evaluate((svg) => {
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const host = document.body.appendChild(document.importNode(doc.documentElement, true));
    const [x, y, width, height] = host.dataset.plot.split(' ').map(Number);
    const labels = [...host.querySelectorAll('text')]
      .filter((t) => /best|plateau|early stop/.test(t.textContent))
      .map((t) => {
        const b = t.getBBox();
        return { text: t.textContent.trim(), top: b.y, bottom: b.y + b.height };
      });
    host.remove();
    return { plot: { x, y, width, height }, labels };
  }, svg);
  assert.ok(found.plot.height > 0, `the SVG says where its plot is: ${JSON.stringify(found.plot)}`);
  assert.ok(found.labels.length >= 2, `the comparison's loss chart has markers: ${JSON.stringify(found.labels)}`);
  for (const label of found.labels) {
    assert.ok(label.bottom <= found.plot.y,
      `'${label.text}' (y ${label.top.toFixed(1)}–${label.bottom.toFixed(1)}) reaches into the plot at y ${found.plot.y}`);
  }
  assertClean();
  // The export as a browser renders it, for looking at.
  await page.setContent(`<body style="margin:0">${svg}</body>`);
  await page.screenshot({ path: path.join(OUT_DIR, 'chart-compare-loss-svg.png'),
    clip: { x: 0, y: 0, width: 720, height: 420 } });
  await close();
});

test('the Embed dialog names the controls as the page does, not by their keys', { timeout: 120_000 }, async () => {
  const { page, assertClean, close } = await openReady('');
  await page.click('#export summary');
  await page.locator('#embed-open').click();
  const names = await page.locator('#embed-controls label').allTextContents();
  const keys = await page.evaluate(() => window.plateau.handle().state().view.controls);
  assert.equal(names.length, keys.length);
  for (const [i, key] of keys.entries()) {
    const name = names[i].trim();
    assert.notEqual(name, key, `the box for ${key} shows its key`);
    // The name is the page's label of that control (its first words).
    const label = await page.evaluate((key) =>
      document.querySelector(`label[data-control="${key}"]`)?.textContent.trim().toLowerCase(), key);
    const stem = name.toLowerCase().replace(/s$/, '');
    assert.ok(label?.startsWith(stem.split(' ')[0]), `${key}: the dialog says '${name}', the page '${label}'`);
  }
  assert.ok(names.some((n) => n.trim() === 'Learning rate') && names.some((n) => n.trim() === 'Batch size'));
  assertClean();
  await close();
});

test('a link with a dataset size out of range opens clamped, with a notice naming value and range', { timeout: 120_000 }, async () => {
  const { page, assertClean, close } = await openReady('#samples=5&epochs=3');
  await page.waitForFunction(() => !document.getElementById('notice').hidden);
  const notice = await page.textContent('#notice-list');
  assert.match(notice, /samples: 5 is out of range; allowed 10 to 10000; 10 is used/);
  const shown = await page.evaluate(() => ({
    engine: window.plateau.handle().state().settings.samples,
    slider: Number(document.getElementById('samples-value').textContent.replace(/\D/g, '')),
    min: 10 ** Number(document.getElementById('samples').min),
  }));
  assert.deepEqual(shown, { engine: 10, slider: 10, min: 10 }, 'the engine, the slider and its range agree');
  // The least size the slider allows opens without a notice.
  await page.evaluate(() => { location.hash = 'samples=20&epochs=3'; });
  await page.waitForFunction(() => window.plateau.handle().state().settings.samples === 20);
  assert.equal(await page.isHidden('#notice'), true);
  assertClean();
  await close();
});

test('inside the network: the collapse of a rate of 0.3 shows as dead units, each instrument draws, values read by keyboard and pointer', { timeout: 300_000 }, async () => {
  const { page, assertClean, close } = await openReady('#preset=overfit&lr=0.3&hidden=64,64&epochs=20');
  await trained(page);
  /** Pixels of each layer's colour (chart::BLUE, chart::VERMILLION) in the plot's upper and
   *  lower halves, once the chart shows the gauge. */
  const lines = (gauge) => page.evaluate(async (gauge) => {
    const select = document.getElementById('inside-gauge');
    select.value = gauge;
    select.dispatchEvent(new Event('change'));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const canvas = document.getElementById('inside-chart');
    const s = devicePixelRatio;
    const [x, y, w, h] = canvas.dataset.plot.split(' ').map((v) => Number(v) * s);
    const { data } = canvas.getContext('2d').getImageData(x, y, w, h);
    const count = { blue: [0, 0], vermillion: [0, 0] };
    for (let i = 0; i < data.length; i += 4) {
      const half = Math.floor(i / 4 / w) < h / 2 ? 0 : 1;
      if (data[i] === 0 && data[i + 1] === 114 && data[i + 2] === 178) count.blue[half] += 1;
      if (data[i] === 213 && data[i + 1] === 94 && data[i + 2] === 0) count.vermillion[half] += 1;
    }
    return count;
  }, gauge);
  // Most of the second layer's ReLUs die (its line high), the first layer's live (its line at 0).
  const dead = await lines('dead');
  assert.ok(dead.vermillion[0] > 3 * dead.vermillion[1], `layer 2 mostly dead: ${JSON.stringify(dead)}`);
  assert.ok(dead.blue[1] > 3 * dead.blue[0], `layer 1 alive: ${JSON.stringify(dead)}`);
  for (const gauge of ['update', 'gradient', 'weights', 'saturated']) {
    // (Where both layers' lines coincide, the second is drawn over the first.)
    const drawn = await lines(gauge);
    const pixels = [...drawn.blue, ...drawn.vermillion].reduce((a, b) => a + b);
    assert.ok(pixels > 200, `${gauge}: ${JSON.stringify(drawn)}`);
  }
  // The keyboard: focus the chart, End reads the last epoch, arrows step; screen readers
  // hear the same text.
  await page.focus('#inside-chart');
  await page.keyboard.press('End');
  const heard = await page.textContent('#readout-live');
  assert.match(heard, /^Epoch 20\. layer 1 \(64 units\): step .* dead 0\.0% .*\. layer 2 \(64 units\): .* dead (\d+\.\d)%/, heard);
  const deadAt20 = await page.evaluate(() => window.plateau.handle().readout(20).layers[1].dead_share);
  assert.ok(heard.includes(`dead ${(deadAt20 * 100).toFixed(1)}%`), heard);
  await page.keyboard.press('ArrowLeft');
  assert.match(await page.textContent('#readout-live'), /^Epoch 19\. /);
  assert.equal(await page.isVisible('#readout'), true);
  assert.deepEqual(await axeViolations(page), [], 'the chart focused, its readout shown');
  // The pointer over the loss chart: the run's four figures at the epoch under it.
  const at = await page.evaluate(() => {
    const c = document.getElementById('loss-chart');
    c.scrollIntoView();
    const b = c.getBoundingClientRect();
    const [x, y, w, h] = c.dataset.plot.split(' ').map(Number);
    return { x: b.left + x + w * (9 / 19), y: b.top + y + h / 2 };
  });
  await page.mouse.move(at.x, at.y);
  const shown = await page.textContent('#readout');
  const val = await page.evaluate(() => window.plateau.handle().readout(10).runs[0].val_loss.mean);
  assert.ok(shown.startsWith('Epoch 10this run: loss '), shown);
  assert.ok(shown.includes(`val loss ${val.toPrecision(3)}`), shown);
  // A closed chart is not drawn, and the page goes on.
  await page.click('#inside summary');
  assert.equal(await page.evaluate(() => document.getElementById('inside').open), false);
  assertClean();
  await close();
});

test('the learning-rate finder suggests what plateau lr-find does, and one click uses it', { timeout: 300_000 }, async () => {
  await ensureCli();
  const native = JSON.parse(execFileSync(CLI, ['lr-find', '--preset', 'unscaled', '--json'], { encoding: 'utf8' }));
  const { page, assertClean, close } = await openReady('#preset=unscaled');
  await page.click('#lr-finder summary');
  await page.click('#lr-find-run');
  await page.waitForFunction(() => /^Suggested|^No suggestion/.test(document.getElementById('lr-find-text').textContent), null, { timeout: 60_000 });
  const view = await page.evaluate(() => window.plateau.handle().lrFind());
  assert.equal(view.suggested_lr, native.suggested_lr, 'the page and the CLI suggest the same rate');
  assert.equal(view.steps_done, native.lrs.length);
  const plot = await page.evaluate(() => document.getElementById('lr-find-chart').dataset.plot);
  assert.ok(plot && Number(plot.split(' ')[2]) > 200, `the curve is drawn: ${plot}`);
  await page.click('#lr-find-use');
  const lr = await page.evaluate(() => window.plateau.handle().state().settings.learning_rate);
  assert.equal(lr, native.suggested_lr, 'the rate control took the suggestion');
  assert.match(await page.textContent('#lr-find-text'), /^Suggested: /);
  assert.doesNotMatch(await page.textContent('#lr-find-text'), /changed since/, 'a new rate keeps the curve current');
  assert.deepEqual(await axeViolations(page), [], 'the finder open');
  assertClean();
  await close();
});
