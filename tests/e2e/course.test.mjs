// Course material in a real browser: a focused embed in a cross-origin iframe under a strict
// host CSP, the built-in lesson stepped through, a bad lesson file, the keyboard alone, and an
// axe-core scan of the full page, an embed and a lesson.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, test } from 'node:test';
import { axeViolations, BASE_URL, closeBrowser, curvePixels, launchBrowser, openReady, OUT_DIR } from './harness.mjs';
import path from 'node:path';

after(closeBrowser);

// What a strict LMS page would send: nothing inline, nothing from elsewhere but the frame.
const HOST_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

// The host's few lines from the README: size each Plateau iframe to the height it reports.
const HOST_JS = `addEventListener('message', (e) => {
  if (e.data?.type !== 'plateau:height') return;
  for (const f of document.querySelectorAll('iframe')) {
    if (f.contentWindow === e.source) f.style.height = e.data.height + 'px';
  }
  document.body.dataset.reported = String(e.data.height);
});`;

/** A host page on another origin (another port) embedding `src`. */
async function hostPage(src, siteUrl) {
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>Course page</title>
<script src="host.js"></script></head><body><h1>Week 3: plateaus</h1>
<iframe src="${src}" width="100%" height="400" title="Plateau"></iframe></body></html>`;
  const server = createServer((req, res) => {
    const js = req.url === '/host.js';
    res.writeHead(200, {
      'content-type': js ? 'text/javascript' : 'text/html',
      'content-security-policy': `${HOST_CSP}; frame-src ${new URL(siteUrl).origin}`,
    });
    res.end(js ? HOST_JS : html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

test('a focused embed in a cross-origin iframe under a strict CSP shows one control, both charts, and its height', { timeout: 120_000 }, async () => {
  // The site as `cargo xtask serve` serves it, on another origin than the host page.
  const host = await hostPage(`${BASE_URL}#preset=overfit&show=lr&panel=off&chrome=off`, BASE_URL);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(host.url, { timeout: 120_000 });
    const frame = page.frameLocator('iframe');
    const inner = page.frames().find((f) => f.url().startsWith(BASE_URL));
    assert.ok(inner, 'the iframe loads the playground');
    await inner.waitForFunction(() => document.documentElement.dataset.engine === 'ready', null, { timeout: 60_000 });
    await inner.waitForFunction(() => window.plateau.idle() && !window.plateau.handle().training(0), null, { timeout: 60_000 });
    const controls = await inner.evaluate(() =>
      [...document.querySelectorAll('#controls input, #controls select, #seeds')]
        .filter((n) => n.offsetParent !== null).map((n) => n.id));
    assert.deepEqual(controls, ['lr'], 'exactly one control');
    assert.equal(await frame.locator('#diagnosis').isVisible(), false, 'panel=off');
    const header = await frame.locator('header').boundingBox();
    assert.ok(header.height <= 1, 'chrome=off: the title is out of sight (kept for screen readers)');
    assert.equal(await frame.locator('nav.presets').isVisible(), false, 'chrome=off');
    const pixels = await inner.evaluate(curvePixels);
    assert.equal(pixels.length, 2);
    assert.ok(pixels.every((n) => n > 100), `both charts drawn: ${pixels}`);
    await page.waitForFunction(() => document.body.dataset.reported, null, { timeout: 10_000 });
    const reported = Number(await page.evaluate(() => document.body.dataset.reported));
    const content = await inner.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
    assert.equal(reported, content, 'the host is told the content height');
    const frameHeight = await page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height);
    assert.ok(Math.abs(frameHeight - content) <= 4, `iframe sized ${frameHeight} for ${content}`);
    await page.screenshot({ path: path.join(OUT_DIR, 'embed-in-lms.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    host.close();
  }
});

test('the built-in lesson steps through every state, and Back returns', { timeout: 120_000 }, async () => {
  const p = await openReady('#lesson=article');
  try {
    const { page } = p;
    const step = () => page.textContent('#lesson-step');
    assert.equal(await step(), 'Step 1 of 5');
    assert.equal(await page.evaluate(() => window.plateau.handle().state().preset), 'overfit');
    const seen = [];
    for (let i = 1; i <= 5; i += 1) {
      // The real-data step's dataset is fetched by the page before it trains.
      if (i === 5) await page.waitForFunction(() => window.plateau.handle().state().data_file !== null);
      const state = await page.evaluate(() => window.plateau.handle().state());
      seen.push(state.data_file ? `dataset=${state.data_file.name}`
        : state.comparison ?? state.preset ?? `lr=${state.settings.learning_rate}`);
      assert.match(page.url(), new RegExp(`#lesson=article&step=${i}&`));
      assert.notEqual((await page.textContent('#lesson-caption')).trim(), '');
      if (i < 5) await page.click('#lesson-next');
    }
    assert.deepEqual(seen, ['overfit', 'scaling', 'learning-rate', 'lr=0.3', 'dataset=breast-cancer']);
    assert.match(page.url(), /&dataset=breast-cancer/);
    assert.equal(await page.isChecked('#standardize'), false);
    assert.equal(await page.isDisabled('#lesson-next'), true);
    await page.screenshot({ path: path.join(OUT_DIR, 'lesson-last-step.png') });
    await page.click('#lesson-back');
    assert.equal(await step(), 'Step 4 of 5');
    p.assertClean();
  } finally {
    await p.close();
  }
});

// The controls a student can see, by id.
const visibleControls = (page) => page.evaluate(() =>
  [...document.querySelectorAll('#controls input, #controls select, #seeds')]
    .filter((n) => n.offsetParent !== null).map((n) => n.id));

/** Serves `body` (an object is sent as JSON) for every request to `glob` on `page`. */
const serveLesson = (page, glob, body) => page.route(glob, (route) =>
  route.fulfill({ contentType: 'application/json', body: typeof body === 'string' ? body : JSON.stringify(body) }));

const showing = (page, text) => page.waitForFunction((t) => document.getElementById('lesson-step').textContent === t, text);

test('a lesson file is fetched from the same origin; a file that is not a lesson gives a notice and stays in the link', { timeout: 90_000 }, async () => {
  const p = await openReady();
  try {
    const { page } = p;
    await serveLesson(page, '**/lessons/good.json', {
      title: 'Mine', steps: [{ state: 'samples=300&hidden=8', caption: 'one', question: 'q?' }, { state: 'lr=0.01', caption: 'two' }],
    });
    await page.evaluate(() => { location.hash = 'lesson=lessons/good.json'; });
    await showing(page, 'Step 1 of 2');
    assert.equal(await page.evaluate(() => window.plateau.handle().state().settings.samples), 300);
    assert.equal(await page.isHidden('#lesson-problems'), true, 'a good lesson marks no step');

    // Not a lesson (a step without its caption): a notice, no box, the page keeps a run, and
    // the address still names the lesson and its step, so a reload after the fix opens it.
    let fixed = false;
    await page.route('**/lessons/broken.json', (route) => route.fulfill({
      contentType: 'application/json',
      body: fixed
        ? JSON.stringify({ title: 'Fixed', steps: [{ state: 'epochs=7', caption: 'one' }, { state: 'epochs=9', caption: 'two' }] })
        : '{"title": "Broken", "steps": [{"state": "epochs=9"}]}',
    }));
    await page.evaluate(() => { location.hash = 'lesson=lessons/broken.json&step=2'; });
    await page.waitForFunction(() => !document.getElementById('notice').hidden);
    assert.match(await page.textContent('#notice-list'), /lesson file: is not a lesson: missing field `caption`/);
    assert.equal(await page.isHidden('#lesson'), true);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.engine), 'ready');
    assert.ok(await page.evaluate(() => window.plateau.handle().figures().length === 1), 'the page keeps a run');
    await page.waitForFunction(() => window.plateau.idle());
    assert.equal(new URL(page.url()).hash, '#lesson=lessons/broken.json&step=2');
    fixed = true;
    await page.reload();
    await p.waitForEngine();
    await showing(page, 'Step 2 of 2');
    assert.equal(await page.textContent('#lesson-title'), 'Fixed');
    assert.equal(await page.evaluate(() => window.plateau.handle().state().settings.epochs), 9, 'the step opened, not the default page');

    await page.evaluate(() => { location.hash = 'lesson=lessons/missing.json'; });
    await page.waitForFunction(() => /could not be loaded \(HTTP 404\)/.test(document.getElementById('notice-list').textContent));
    await page.waitForFunction(() => window.plateau.idle());
    assert.match(page.url(), /#lesson=lessons\/missing\.json$/);
    await page.evaluate(() => { location.hash = 'lesson=https://elsewhere.example/x.json'; });
    await page.waitForFunction(() => /is not a lesson/.test(document.getElementById('notice-list').textContent));
    assert.deepEqual(p.offOriginRequests(), []);
  } finally {
    await p.close();
  }
});

test('one bad step is marked in the lesson box and named in a notice; the other steps work', { timeout: 90_000 }, async () => {
  const p = await openReady();
  try {
    const { page } = p;
    await serveLesson(page, '**/lessons/rates.json', {
      title: 'Rates',
      steps: [
        { state: 'lr=0.01&epochs=20', caption: 'A moderate rate.' },
        { state: 'lr=7&hidden=8&epochs=20', caption: 'Far too fast.' },
        { state: 'compare=learning-rate', caption: 'Three rates.' },
      ],
    });
    await page.evaluate(() => { location.hash = 'lesson=lessons/rates.json'; });
    await showing(page, 'Step 1 of 3');
    await page.waitForFunction(() => !document.getElementById('notice').hidden);
    const notices = await page.$$eval('#notice-list li', (items) => items.map((i) => i.textContent));
    assert.equal(notices.length, 1, notices.join('\n'));
    assert.match(notices[0], /^lesson step 2, state: lr: 7 .*allowed/);
    // Marked on every step, the one on screen as "this step".
    const marks = () => page.$$eval('#lesson-problem-list li', (items) => items.map((i) => [i.textContent, i.getAttribute('aria-current')]));
    assert.equal(await page.isVisible('#lesson-problems'), true);
    let [[text, current]] = await marks();
    assert.match(text, /^Step 2, state: lr: 7 .*allowed/);
    assert.equal(current, null);
    assert.equal(await page.evaluate(() => window.plateau.handle().state().settings.learning_rate), 0.01);

    await page.click('#lesson-next');
    await showing(page, 'Step 2 of 3');
    [[text, current]] = await marks();
    assert.match(text, /^Step 2 \(this step\), state: lr: 7 /);
    assert.equal(current, 'step');
    const { settings } = await page.evaluate(() => window.plateau.handle().state());
    assert.deepEqual(settings.hidden, [8], 'the bad step opens with its valid settings');
    assert.equal(settings.epochs, 20);
    assert.ok(settings.learning_rate !== 7 && settings.learning_rate <= 1, `a rate the page allows: ${settings.learning_rate}`);
    assert.match(page.url(), /#lesson=lessons\/rates\.json&step=2&/);
    await page.screenshot({ path: path.join(OUT_DIR, 'lesson-bad-step.png') });
    assert.deepEqual(await axeViolations(page), [], 'the marked step');

    await page.click('#lesson-next');
    await showing(page, 'Step 3 of 3');
    assert.equal(await page.evaluate(() => window.plateau.handle().figures().length), 3);
    await page.click('#lesson-back');
    await page.click('#lesson-back');
    await showing(page, 'Step 1 of 3');
    assert.equal(await page.evaluate(() => window.plateau.handle().state().settings.learning_rate), 0.01);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('Back and Next restore a step\'s whole view: from a one-slider comparison back to every control and the diagnosis', { timeout: 90_000 }, async () => {
  const p = await openReady();
  try {
    const { page } = p;
    await page.setViewportSize({ width: 1280, height: 900 });
    await serveLesson(page, '**/lessons/views.json', {
      title: 'Learning rates, step by step',
      steps: [
        { state: 'preset=overfit', caption: 'Too much capacity: every control, and the diagnosis under the charts.' },
        { state: 'samples=300&hidden=32,16', caption: 'Three times the data, a smaller network: every control again, and the diagnosis.' },
        { state: 'compare=learning-rate&show=lr&panel=off', caption: 'Three learning rates: only the rate to move, no diagnosis yet.' },
      ],
    });
    await page.evaluate(() => { location.hash = 'lesson=lessons/views.json'; });
    await showing(page, 'Step 1 of 3');
    const all = await visibleControls(page);
    assert.ok(all.length > 10 && all.includes('lr'), `every control: ${all}`);
    assert.equal(await page.isVisible('#diagnosis'), true);

    await page.click('#lesson-next');
    await page.click('#lesson-next');
    await showing(page, 'Step 3 of 3');
    assert.deepEqual(await visibleControls(page), ['lr'], 'step 3: one slider');
    assert.equal(await page.isHidden('#diagnosis'), true, 'step 3: panel=off');
    assert.match(page.url(), /&show=lr&panel=off$/);
    await page.waitForFunction(() => window.plateau.handle().figures()[0].epoch >= 10);
    await page.screenshot({ path: path.join(OUT_DIR, 'lesson-step-3-one-slider.png'), fullPage: true });

    for (const [step, setting] of [[2, 300], [1, 100]]) {
      await page.click('#lesson-back');
      await showing(page, `Step ${step} of 3`);
      if (step === 2) {
        await page.waitForFunction(() => window.plateau.handle().figures()[0].epoch >= 10);
        await page.screenshot({ path: path.join(OUT_DIR, 'lesson-back-full-view.png'), fullPage: true });
      }
      assert.deepEqual(await visibleControls(page), all, `step ${step}: every control again`);
      assert.equal(await page.isVisible('#diagnosis'), true, `step ${step}: the diagnosis again`);
      assert.doesNotMatch(page.url(), /show=|panel=/);
      assert.equal(await page.evaluate(() => window.plateau.handle().state().settings.samples), setting);
      assert.equal(await page.evaluate(() => window.plateau.handle().state().comparison), null);
    }
    await page.click('#lesson-next');
    await showing(page, 'Step 2 of 3');
    await page.click('#lesson-next');
    await showing(page, 'Step 3 of 3');
    assert.deepEqual(await visibleControls(page), ['lr'], 'forward again: one slider');

    // Reloaded on step 3 (its link carries its flags), Back still brings every control back.
    await page.reload();
    await p.waitForEngine();
    await showing(page, 'Step 3 of 3');
    assert.deepEqual(await visibleControls(page), ['lr']);
    await page.click('#lesson-back');
    await showing(page, 'Step 2 of 3');
    assert.deepEqual(await visibleControls(page), all);
    assert.equal(await page.isVisible('#diagnosis'), true);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('the keyboard alone moves a slider, and the run restarts with it', { timeout: 60_000 }, async () => {
  const p = await openReady('#samples=100&epochs=5');
  try {
    const { page } = p;
    await page.focus('#lr');
    const focused = await page.evaluate(() => getComputedStyle(document.activeElement, ':focus-visible').outlineStyle);
    assert.notEqual(focused, 'none', 'focus is visible');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(() => /&lr=0\.0013&/.test(location.hash));
    assert.equal(await page.evaluate(() => window.plateau.handle().state().settings.learning_rate), 0.0013);
  } finally {
    await p.close();
  }
});


test('axe-core finds no violations: the full page, a focused embed, a lesson; 360 px has no sideways scroll', { timeout: 120_000 }, async () => {
  for (const hash of ['#preset=overfit', '#preset=overfit&show=lr,hidden&panel=off&chrome=off', '#lesson=article&step=2']) {
    const p = await openReady(hash);
    try {
      await p.page.waitForFunction(() => window.plateau.idle());
      assert.deepEqual(await axeViolations(p.page), [], hash);
      await p.page.setViewportSize({ width: 360, height: 800 });
      await p.page.waitForTimeout(200);
      const overflow = await p.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${hash}: ${overflow} px of sideways scroll at 360 px`);
    } finally {
      await p.close();
    }
  }
});
