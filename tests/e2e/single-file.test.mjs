// `cargo xtask dist --single-file`: one HTML file, opened from disk (file://), trains and draws
// both charts with nothing fetched. `cargo xtask test` builds it and sets PLATEAU_SINGLE_FILE.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { curvePixels, launchBrowser, OUT_DIR, ROOT } from './harness.mjs';

const FILE = process.env.PLATEAU_SINGLE_FILE ?? path.join(ROOT, 'target/e2e-single/plateau.html');

// A browser with one page, recording console errors and every request the page makes.
async function openFromDisk() {
  assert.ok(existsSync(FILE), `${FILE} is missing: run \`cargo xtask dist --single-file\` or \`cargo xtask test\``);
  const browser = await launchBrowser();
  const page = await browser.newPage();
  const errors = [];
  const requests = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e}`));
  page.on('request', (r) => requests.push(r.url()));
  return { browser, page, errors, requests };
}

// The single file opened from disk with `hash`, its engine ready.
async function goto(page, errors, hash) {
  await page.goto(`${pathToFileURL(FILE)}${hash}`, { timeout: 120_000 });
  await page.waitForFunction(() => document.documentElement.dataset.engine, null, { timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.engine), 'ready', errors.join('\n'));
}

test('the single file trains and draws both charts from file://, fetching nothing', { timeout: 120_000 }, async () => {
  const { browser, page, errors, requests } = await openFromDisk();
  try {
    await goto(page, errors, '#samples=100&epochs=20&hidden=16');
    await page.waitForFunction(() => window.plateau.idle(), null, { timeout: 60_000 });
    const figures = await page.evaluate(() => window.plateau.handle().figures());
    assert.equal(figures[0].epoch, 20, 'the run from the link trained to the end');
    const blue = await page.evaluate(curvePixels);
    assert.equal(blue.length, 2);
    assert.ok(blue.every((n) => n > 100), `both charts have training curves: ${blue}`);
    const csp = await page.evaluate(() =>
      document.querySelector('meta[http-equiv="Content-Security-Policy"]').content);
    assert.match(csp, /script-src 'sha256-[^']+' 'wasm-unsafe-eval'/, 'only the inline bundle may run');
    assert.deepEqual(requests.filter((r) => !r.startsWith('file:') && !r.startsWith('data:')), []);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: path.join(OUT_DIR, 'single-file.png') });
  } finally {
    await browser.close();
  }
});

test('from file://, a lesson file is explained, not fetched, and the built-in lesson works', { timeout: 120_000 }, async () => {
  const { browser, page, errors, requests } = await openFromDisk();
  try {
    await goto(page, errors, '#lesson=lessons/example.json');
    await page.waitForFunction(() => !document.getElementById('lesson').hidden, null, { timeout: 10_000 });
    assert.equal(await page.textContent('#lesson-title'), 'This lesson needs the page served over http');
    const caption = await page.textContent('#lesson-caption');
    assert.match(caption, /'lessons\/example\.json'/);
    assert.match(caption, /cargo xtask serve/);
    assert.match(caption, /static server/);
    assert.equal(await page.isHidden('#lesson-nav'), true, 'no Back or Next without a lesson');
    assert.equal(await page.isHidden('#notice'), true, 'not a setting that was not understood');
    await page.screenshot({ path: path.join(OUT_DIR, 'single-file-lesson-file.png') });
    // The address keeps the lesson, so the same link works once the page is served.
    assert.match(page.url(), /#lesson=lessons\/example\.json$/);
    // The built-in lesson, offered in the box, opens here.
    await page.click('#lesson-question a');
    await page.waitForFunction(() => /^Step 1 of \d+$/.test(document.getElementById('lesson-step').textContent), null, { timeout: 30_000 });
    assert.match(page.url(), /#lesson=article&step=1&/);
    assert.equal(await page.isVisible('#lesson-nav'), true);
    await page.click('#lesson-next');
    await page.waitForFunction(() => document.getElementById('lesson-step').textContent.startsWith('Step 2 of'));
    assert.deepEqual(requests.filter((r) => !r.startsWith('file:') && !r.startsWith('data:')), []);
    assert.deepEqual(requests.filter((r) => new URL(r).pathname.includes('/lessons/')), [], 'the lesson file is not fetched');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
