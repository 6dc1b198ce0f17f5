// Shared helpers for the page's browser tests (node --test + playwright-core + Debian chromium).
//
// `cargo xtask test` builds and serves the site and sets PLATEAU_URL; to run by hand, start
// `cargo xtask serve` and `PLATEAU_URL=http://127.0.0.1:8000/ node --test tests/e2e/`.
//
//   import { after, test } from 'node:test';
//   import { openPage, closeBrowser } from './harness.mjs';
//   after(closeBrowser);
//   test('...', async () => {
//     const p = await openPage('#lr=0.1');
//     await p.waitForEngine();
//     ... p.page is a playwright Page ...
//     p.assertClean();          // no console errors, failed or off-origin requests
//     await p.screenshot('lr-high');
//     await p.close();
//   });

import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHROMIUM = process.env.PLATEAU_CHROMIUM ?? '/usr/bin/chromium';

// Headless, as root, on a machine whose only network is loopback: no sandbox, and nothing that
// phones home (background networking, component updates, sync, QUIC probes).
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Opens `url` in `page` and waits for its load event. Generous, because a fresh browser's first
 * page on a busy 2-core machine can take tens of seconds; never retried. (Loads that never
 * finished were the old server's doing: tiny_http left the 5th connection of a burst unanswered.
 * `cargo xtask`'s server is thread per connection now, and its own test opens such bursts.)
 * A load that still does not finish fails, naming the requests it was waiting for.
 */
export async function load(page, url) {
  const pending = new Set();
  const add = (req) => pending.add(req.url());
  const done = (req) => pending.delete(req.url());
  page.on('request', add);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  } catch (e) {
    if (e.name === 'TimeoutError') {
      throw new Error(`the load of ${url} did not finish in 120 s; waiting for: ${[...pending].join(', ')}`);
    }
    throw e;
  } finally {
    page.off('request', add);
    page.off('requestfinished', done);
    page.off('requestfailed', done);
  }
}

/** The served site; always ends with '/'. */
export const BASE_URL = (() => {
  const url = process.env.PLATEAU_URL ?? 'http://127.0.0.1:8000/';
  return url.endsWith('/') ? url : `${url}/`;
})();
export const ORIGIN = new URL(BASE_URL).origin;

/** Screenshots land here (gitignored). */
export const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'out');

/**
 * Start Chromium with a fresh, throw-away profile.
 * Returns { context, newPage(), close() }; `context` is a playwright BrowserContext.
 */
export async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  if (!existsSync(CHROMIUM)) {
    // Never skip: a missing browser is a broken test machine.
    throw new Error(`${CHROMIUM} not found: install Debian's chromium (cargo xtask test does)`);
  }
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'plateau-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

let shared = null;

/** Close the browser that openPage() launched (register with node:test's `after`). */
export async function closeBrowser() {
  const pending = shared;
  shared = null;
  if (!pending) return;
  // A failed launch was already reported by the test that triggered it.
  const b = await pending.catch(() => null);
  await b?.close();
}

/**
 * Open the site at `hash` (e.g. '#preset=capacity'; '' for none) in a new page, recording
 * console errors, uncaught exceptions, every request and every failed or 4xx/5xx response.
 * Uses a shared browser unless one from launchBrowser() is given.
 */
export async function openPage(hash = '', { browser } = {}) {
  if (!browser) {
    shared ??= launchBrowser();
    browser = await shared;
  }
  const page = await browser.newPage();
  const consoleErrors = [];
  const requests = [];
  const responses = [];
  const failedRequests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      consoleErrors.push(`${msg.text()}${loc?.url ? ` (${loc.url}:${loc.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (err) => consoleErrors.push(`uncaught: ${err.stack ?? err}`));
  page.on('request', (req) => requests.push(req.url()));
  page.on('requestfailed', (req) =>
    failedRequests.push(`${req.url()}: ${req.failure()?.errorText ?? 'failed'}`),
  );
  page.on('response', (res) =>
    responses.push({ url: res.url(), status: res.status(), type: res.headers()['content-type'] }),
  );

  const h = hash === '' || hash.startsWith('#') ? hash : `#${hash}`;
  const url = `${BASE_URL}${h}`;
  await load(page, url);

  const p = {
    page,
    url,
    consoleErrors,
    requests,
    responses,
    failedRequests,

    /** Requests that left the page's origin (data: and blob: URLs are local). */
    offOriginRequests() {
      return requests.filter((u) => {
        if (u.startsWith('data:') || u.startsWith('blob:')) return false;
        try {
          return new URL(u).origin !== ORIGIN;
        } catch {
          return true;
        }
      });
    },

    /** Responses with status >= 400, as "STATUS URL". */
    httpErrors() {
      return responses.filter((r) => r.status >= 400).map((r) => `${r.status} ${r.url}`);
    },

    /** Throw if anything went wrong so far: console errors, failed/4xx requests, off-origin. */
    assertClean() {
      const problems = [
        ...consoleErrors.map((e) => `console error: ${e}`),
        ...failedRequests.map((e) => `request failed: ${e}`),
        ...p.httpErrors().map((e) => `http error: ${e}`),
        ...p.offOriginRequests().map((u) => `off-origin request: ${u}`),
      ];
      if (problems.length) throw new Error(`page at ${url} was not clean:\n  ${problems.join('\n  ')}`);
    },

    /**
     * Wait until the wasm engine has initialised: the page sets <html data-engine="ready">.
     * On timeout the error carries what the page logged.
     */
    async waitForEngine({ timeout = 30_000 } = {}) {
      try {
        await page.waitForFunction(() => document.documentElement.dataset.engine === 'ready', null, {
          timeout,
        });
      } catch (e) {
        throw new Error(
          `engine not ready after ${timeout} ms (html[data-engine] = ${await page
            .evaluate(() => document.documentElement.dataset.engine)
            .catch(() => '?')}); console errors:\n  ${consoleErrors.join('\n  ') || '(none)'}\n${e.message}`,
        );
      }
    },

    /** Save a full-page PNG as tests/e2e/out/<name>.png and return its path. */
    async screenshot(name) {
      await mkdir(OUT_DIR, { recursive: true });
      const file = path.join(OUT_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },

    close: () => page.close(),
  };
  return p;
}

/** The repository and its native CLI, whose figures the page's must equal. */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'target/release/plateau');

/** Builds the native CLI, or checks it is up to date (call from a `before` hook): a CLI
 *  left from an older tree would compare the page with the wrong engine. `cargo xtask test`
 *  builds it just before the browser tests and sets PLATEAU_CLI_BUILT, so that no cargo runs
 *  (or waits for another's lock) during them. */
export function ensureCli() {
  if (process.env.PLATEAU_CLI_BUILT === '1') return;
  execFileSync('cargo', ['build', '--release', '--bin', 'plateau'], { cwd: ROOT, stdio: 'inherit' });
}

/** A phone: 390×844 CSS px at 3× density. */
export const PHONE = { width: 390, height: 844, deviceScaleFactor: 3, mobile: true };

/**
 * The page at `hash` with its engine ready, optionally as a phone. Playwright cannot change the
 * density of an open page; DevTools can (`p.cdp`), so phone screenshots must go through
 * DevTools too, or Playwright resets the density.
 */
export async function openReady(hash = '', { phone = false } = {}) {
  const p = await openPage(hash);
  await p.waitForEngine();
  if (phone) {
    p.cdp = await p.page.context().newCDPSession(p.page);
    await p.cdp.send('Emulation.setDeviceMetricsOverride', PHONE);
    await p.page.waitForFunction((w) => window.innerWidth === w, PHONE.width);
  }
  return p;
}

/** A PNG of `selector` on a phone page from `openReady(…, { phone: true })`, at its full
 *  density, in tests/e2e/out/ (through DevTools: Playwright would reset the density). */
export async function phoneShot(cdp, page, selector, name) {
  const box = await page.evaluate((sel) => {
    const r = document.querySelector(sel).getBoundingClientRect();
    return { x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height };
  }, selector);
  const { data } = await cdp.send('Page.captureScreenshot', {
    format: 'png', captureBeyondViewport: true, clip: { ...box, scale: 1 },
  });
  await mkdir(OUT_DIR, { recursive: true });
  await writeFile(path.join(OUT_DIR, `${name}.png`), Buffer.from(data, 'base64'));
}

/** What a phone's screen shows right now (the viewport, not the whole page), through DevTools
 *  at its full density, as tests/e2e/out/<name>.png. */
export async function screenShot(cdp, name) {
  const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
  await mkdir(OUT_DIR, { recursive: true });
  await writeFile(path.join(OUT_DIR, `${name}.png`), Buffer.from(data, 'base64'));
}

/**
 * For `page.evaluate`: per visible loss or accuracy chart, how many pixels have the training curves' colour
 * (chart::BLUE), so a test can tell a drawn chart from an empty one.
 */
export const curvePixels = () => [...document.querySelectorAll('#loss-chart, #accuracy-chart')]
  .filter((c) => !c.hidden)
  .map((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] === 0 && data[i + 1] === 114 && data[i + 2] === 178) n += 1;
    }
    return n;
  });

/** `plateau run --json` of the native CLI (see `ensureCli`) for the config in a page hash
 *  (without its '#'): its history and the rules' diagnosis, without the experiments (which
 *  train up to 20 seeds of every fix, and which these comparisons do not read). */
export function nativeRun(hash) {
  const args = ['run', '--json'];
  for (const pair of hash.split('&')) {
    const [key, value = ''] = pair.split('=');
    if (key === 'distort' || key === 'standardize') args.push(value === 'true' ? `--${key}` : `--no-${key}`);
    else args.push(`--${key}=${decodeURIComponent(value)}`);
  }
  args.push('--seeds=0');
  return JSON.parse(execFileSync(CLI, args, { encoding: 'utf8' }));
}

/** Asserts the page's first run (history and figures) equals the native CLI's for the page's
 *  own hash, bit for bit. */
export async function assertMatchesNative(page, what) {
  const { deepEqual, equal } = (await import('node:assert/strict')).default;
  const hash = await page.evaluate(() => location.hash.slice(1));
  const native = nativeRun(hash).history;
  const [history] = await page.evaluate(() => window.plateau.handle().histories());
  deepEqual(history, native, `${what}: browser history differs from native for #${hash}`);
  const [f] = await page.evaluate(() => window.plateau.handle().figures());
  const last = (xs) => xs[xs.length - 1];
  equal(f.epoch, native.loss.length, what);
  equal(f.loss, last(native.loss), what);
  equal(f.accuracy, last(native.accuracy), what);
  equal(f.val_loss, last(native.val_loss), what);
  equal(f.val_accuracy, last(native.val_accuracy), what);
  const best = Math.max(...native.val_accuracy);
  equal(f.best_val_accuracy, best, what);
  equal(f.best_epoch, native.val_accuracy.indexOf(best) + 1, what);
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's violations on the page as it is now, one line each (an empty list is clean). */
export async function axeViolations(page) {
  await page.evaluate(AXE); // through DevTools: the page's CSP does not apply
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ['violations'] });
    return violations.map((v) => `${v.id}: ${v.nodes.length} × ${v.help}`);
  });
}
