// A tab in the background, as headless Chromium really does it. With Playwright's focus
// emulation off (Playwright keeps every page "in front"), another tab brought to the front makes
// Chromium throttle this page's rendering: its animation frames, where the page trains, come
// about once a second instead of at the display's rate. (Headless Chromium still reports
// `visibilityState === 'visible'` there, and `Page.setWebLifecycleState {state: 'frozen'}` on
// such a page does nothing: no `freeze` event, training goes on. Overriding `document.hidden`
// and dispatching `visibilitychange` would fake a signal the page does not use and change
// nothing the browser does.)
//
// What is asserted holds however busy the machine is: behind the other tab, training advances
// only in animation frames (sampled by a timer, which keeps running: never an epoch without a
// frame), so the browser's throttling slows it, and a really hidden tab, which gets no frames,
// pauses it. The run is paused with the page's button before going behind and played on there,
// so it is part way whatever the machine's speed. Back in front, the run ends with exactly the
// native CLI's figures: nothing was lost, repeated or changed. The frame and epoch rates in
// front and behind are printed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertMatchesNative, closeBrowser, ensureCli, openReady } from './harness.mjs';

before(ensureCli);
after(closeBrowser);

const EPOCHS = 400;
const HASH = `#samples=1000&epochs=${EPOCHS}&hidden=16&batch-size=32`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The timer's samples (frames so far, epoch) over `ms` of wall time. */
async function watch(page, ms) {
  await page.evaluate(() => { window.bg.samples = []; });
  await sleep(ms);
  return page.evaluate(() => window.bg.samples);
}

function summary(samples) {
  const [first, last] = [samples[0], samples[samples.length - 1]];
  return `${last[0] - first[0]} frames, ${last[1] - first[1]} epochs`;
}

test('behind another tab training slows with the frames, and resumes to the CLI\'s figures', { timeout: 300_000 }, async () => {
  const p = await openReady(HASH);
  const { page } = p;
  // Counts animation frames, and samples (frames, epoch) from a timer every 50 ms.
  await page.evaluate(() => {
    window.bg = { frames: 0, samples: [] };
    const frame = () => { window.bg.frames += 1; requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    setInterval(() => window.bg.samples.push([window.bg.frames, window.plateau.handle().epoch()]), 50);
  });
  // Paused (with the page's own button) once under way, so that however fast or slow the
  // machine is, the run is still training when it goes behind the other tab.
  await page.waitForFunction(() => {
    const h = window.plateau.handle();
    if (h.epoch() < 10) return false;
    if (h.playing()) document.getElementById('play').click();
    return !h.playing();
  }, null, { timeout: 120_000 });
  const cdp = await page.context().newCDPSession(page);

  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
  const other = await page.context().newPage();
  await other.goto('about:blank');
  await other.bringToFront();
  const paused = await page.evaluate(() => window.plateau.handle().epoch());
  assert.ok(paused < EPOCHS, `paused part way (epoch ${paused})`);
  await page.evaluate(() => document.getElementById('play').click()); // plays on, behind
  const behind = await watch(page, 5000);
  const at = await page.evaluate(() => [window.plateau.handle().epoch(), document.visibilityState]);
  await page.bringToFront();
  await other.close();
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
  const front = await watch(page, 2000);
  console.log(`in front: ${summary(front)} in 2 s after; behind another tab: ${summary(behind)} in 5 s`
    + ` (visibilityState '${at[1]}', epoch ${paused} → ${at[0]} of ${EPOCHS} behind it)`);

  assert.ok(behind.length >= 2, 'the timer kept running behind the other tab');
  for (let i = 1; i < behind.length; i++) {
    const [[f0, e0], [f1, e1]] = [behind[i - 1], behind[i]];
    assert.ok(e1 === e0 || f1 > f0, `epoch ${e0} → ${e1} without an animation frame: training`
      + ' must follow the frames, which the browser throttles in the background');
  }

  // Back in front: it trains on to the end, and the figures are the CLI's.
  // (Then the diagnosis's experiments train: the page is not idle, but the run is done.)
  await page.waitForFunction((n) => window.plateau.handle().figures()[0].epoch === n, EPOCHS,
    { timeout: 240_000 });
  const status = await page.evaluate(() => document.getElementById('status').textContent);
  assert.doesNotMatch(status, /NaN|Infinity|undefined/, `the status reads well: ${status}`);
  await assertMatchesNative(page, 'after a while behind another tab');
  p.assertClean();
  await p.close();
});
