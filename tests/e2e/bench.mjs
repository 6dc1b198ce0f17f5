// Times the benchmark workloads in headless Chromium: our engine as wasm, and TensorFlow.js on
// its wasm and cpu backends, through www/bench.html; then sets them beside the native figures
// and prints one table. Run by `cargo xtask bench`, which serves the site (with TF.js copied
// into tfjs/) and passes:
//
//   PLATEAU_URL=http://127.0.0.1:PORT/ PLATEAU_PAGE_URL=http://127.0.0.1:PORT2/ \
//     node bench.mjs NATIVE.json SITE_DIR PAGE_DIR OUT.json REPORT.txt SUMMARY.json
//
// NATIVE.json is `plateau bench --json`'s output: the workloads ({name, query}) with the
// native figures, the subnormal workload's epoch times and the native f32 peak. SITE_DIR is
// the served bench site; PAGE_DIR the playground's own build (without the bench entry points),
// served at PLATEAU_PAGE_URL: what it fetches before its first chart is the download figure. OUT.json receives everything measured; REPORT.txt
// the printed table; SUMMARY.json the headline figures as one JSON object on one line (what
// `cargo xtask bench --json` prints).
// Environment: BENCH_REPEAT timed runs of our engine after one warm-up (default 5);
// BENCH_TFJS_REPEAT the same for TF.js, per backend (default 3);
// BENCH_CPU_BUDGET_MS, how long one TF.js cpu-backend figure may take before it is cut short
// and only estimated (default 20000); BENCH_CHROMIUM, the browser's full version line.
//
// Not named *.test.mjs: it measures and asserts nothing, and the test runner must not pick it up.

import { readFile, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { BASE_URL, launchBrowser, load } from './harness.mjs';

const [nativeFile, siteDir, pageDir, outFile, reportFile, summaryFile] = process.argv.slice(2);
if (!summaryFile) {
  console.error(
    'usage: PLATEAU_URL=... PLATEAU_PAGE_URL=... node bench.mjs NATIVE.json SITE_DIR PAGE_DIR OUT.json REPORT.txt SUMMARY.json',
  );
  process.exit(2);
}
const repeat = Number(process.env.BENCH_REPEAT ?? 5);
const tfjsRepeat = Number(process.env.BENCH_TFJS_REPEAT ?? 3);
const cpuBudgetMs = Number(process.env.BENCH_CPU_BUDGET_MS ?? 20_000);
// Seed changes timed on the page (the median is reported).
const changeCount = Number(process.env.BENCH_PAGE_CHANGES ?? 20);
const nativeAll = JSON.parse(await readFile(nativeFile, 'utf8'));
const native = nativeAll.workloads;
const loadAtStart = os.loadavg()[0];

// ---- measure in the browser ----

async function measure() {
  const browser = await launchBrowser();
  const problems = [];
  try {
    const page = await browser.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    page.on('response', (res) => {
      if (res.status() >= 400) problems.push(`http ${res.status()}: ${res.url()}`);
    });
    await page.goto(`${BASE_URL}bench.html`, { waitUntil: 'load' });
    const info = await page.evaluate(() => window.plateauBench.ready).catch((e) => {
      throw new Error(`bench page did not start: ${e.message}\n  ${problems.join('\n  ')}`);
    });
    console.log(`TF.js ${info.tfjs}, wasm backend SIMD ${info.simd}, threads ${info.threads}`);

    // window.plateauBench[method](...args) in the page, with a progress line.
    const call = async (name, label, method, ...args) => {
      const t = Date.now();
      const r = await page.evaluate(([m, a]) => window.plateauBench[m](...a), [method, args]);
      const s = ((Date.now() - t) / 1000).toFixed(1);
      console.log(`  ${name.padEnd(18)} ${label.padEnd(10)} ${s.padStart(5)} s`);
      return r;
    };
    // One engine at a time over every workload, ours first: TF.js's garbage is not collected
    // in the middle of our runs, nor one backend's in the other's.
    const workloads = native.map(({ name, query }) => ({ name, query }));
    for (const w of workloads) w.wasm = await call(w.name, 'wasm', 'ours', w.query, repeat);
    for (const w of workloads) {
      w.tfjs_wasm = await call(w.name, 'tfjs-wasm', 'tfjs', w.query, 'wasm', tfjsRepeat);
    }
    for (const w of workloads) {
      w.tfjs_cpu = await call(w.name, 'tfjs-cpu', 'tfjs', w.query, 'cpu', tfjsRepeat, {
        budgetMs: cpuBudgetMs,
      });
    }
    for (const w of workloads) {
      w.flops = await page.evaluate(([q, n]) => window.plateauBench.flops(q, n), [
        w.query,
        w.wasm.figures.epochs,
      ]);
    }
    const sub = nativeAll.subnormal;
    const subnormal = await call(sub.name, 'epochs', 'epochs', sub.query, Math.min(repeat, 3));
    const peak = await call('f32 peak', 'wasm', 'peak');
    if (problems.length) throw new Error(`the bench page was not clean:\n  ${problems.join('\n  ')}`);
    return { info, workloads, subnormal, peak };
  } finally {
    await browser.close();
  }
}

// The playground page in a browser of its own: with the bench page (TF.js, its garbage) still
// open in the same browser, the playground's first load never finished in two runs.
async function measurePage() {
  const browser = await launchBrowser();
  try {
    return await pageTimings(browser);
  } finally {
    await browser.close();
  }
}

// ---- the playground page itself: a change to the whole run drawn, and the band + experiments ----

// The page as it comes (training in its Web Workers), and under a CSP that forbids workers
// (training in its own time slices, as before the pool). A change's figure ends when the page
// finished drawing the whole run (`plateau.drawnAt`, its own clock); the browser presents
// that drawing at its next frame, up to ~17 ms later. The check that waits for it looks once
// a frame, and when it saw the run is reported too (`seen_at_frame_ms`).
async function pageTimings(browser) {
  const withWorkers = await pageTiming(browser, true);
  const ownThread = await pageTiming(browser, false);
  return { ...withWorkers, own_thread: ownThread };
}

async function pageTiming(browser, workers) {
  const page = await browser.newPage();
  try {
    if (!workers) {
      await page.route((url) => url.pathname.endsWith('/index.html'), async (route) => {
        const response = await route.fetch();
        const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; worker-src 'none'";
        await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': csp } });
      });
    }
    // Each worker's messages, timed as they reach the page: when the last epoch of the run on
    // the chart arrived, apart from when the page had drawn it.
    await page.addInitScript(() => {
      window.benchArrivals = [];
      if (typeof Worker === 'undefined') return;
      const Base = Worker;
      window.Worker = class extends Base {
        constructor(...args) {
          super(...args);
          this.addEventListener('message', ({ data }) => {
            if (data.type !== 'updates') return;
            const ended = data.updates.some((u) => u.status.state !== 'training');
            // The worker stamps when it last heard orders and its slice's span on the
            // shared clock (timeOrigin + now); kept here on the page's own.
            const page = (at) => (typeof at === 'number' ? at - performance.timeOrigin : null);
            window.benchArrivals.push({
              t: performance.now(), ended, heard: page(data.heard), sliceEnd: page(data.slice?.[1]),
            });
          });
        }
      };
    });
    // harness.load: generous, and one more try if a first load hangs.
    await load(page, `${BASE_URL}index.html#preset=overfit`);
    await page.waitForFunction(() => document.documentElement.dataset.engine === 'ready', null, { timeout: 120_000 });
    return await page.evaluate(async (changeCount) => {
      const h = () => window.plateau.handle();
      const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
      const until = async (done) => {
        while (!done()) await frame();
      };
      const quiet = () => !h().training(0) && !h().working();
      await until(quiet);
      // Changes of the training seed, each the whole 100-epoch overfit run drawn, the next one
      // coming two frames after (while the last one's experiments train, as when a student
      // tries seed after seed). Where the time goes: the page's own handler, the run's last
      // epoch arriving from a worker (0 on the own thread), and the drawing after it.
      const seed = document.getElementById('seed');
      const changes = [];
      for (let i = 0; i < changeCount; i += 1) {
        const t = performance.now();
        seed.value = String(101 + i);
        seed.dispatchEvent(new Event('change'));
        const handled = performance.now();
        await until(() => !h().training(0) && window.plateau.drawn());
        // When the page finished drawing the whole run, on its clock; `polled` is when this
        // loop, which looks once a frame, saw it (up to a frame later).
        const polled = performance.now();
        const drawn = window.plateau.drawnAt();
        const arrived = window.benchArrivals.filter((a) => a.ended && a.t >= t && a.t <= polled).pop();
        // The worker's part: from the change to its hearing the orders, and from then to the
        // end of the slice the run ended in (the rest of the arrival is the message back).
        const stamped = arrived && arrived.heard !== null && arrived.sliceEnd !== null;
        changes.push({
          total: drawn - t, polled: polled - t, handler: handled - t, arrived: arrived ? arrived.t - t : 0, drawn: arrived ? drawn - arrived.t : 0,
          heard: stamped ? arrived.heard - t : 0, worker: stamped ? arrived.sliceEnd - arrived.heard : 0,
        });
        await frame();
        await frame();
      }
      const median = (key) => {
        const xs = changes.map((c) => c[key]).sort((a, b) => a - b);
        return xs[Math.floor(xs.length / 2)];
      };
      const change_to_full_run_ms = median('total');
      const change_breakdown = {
        changes: changes.length, handler_ms: median('handler'), last_epoch_arrived_ms: median('arrived'),
        arrival_to_drawn_ms: median('drawn'), seen_at_frame_ms: median('polled'), worker_heard_ms: median('heard'), worker_run_ms: median('worker'),
        min_ms: Math.min(...changes.map((c) => c.total)),
        max_ms: Math.max(...changes.map((c) => c.total)),
      };
      await until(quiet);
      // A link to the 5-seed band of another seed: the band's 5 runs, then the experiments' 30
      // (the unchanged settings and 5 fixes, 5 seeds each), from scratch.
      const t = performance.now();
      location.hash = 'preset=overfit&seed=11&seeds=5';
      await until(() => h().state().seeds === 5 && h().experiments().state === 'done' && quiet());
      const band_and_experiments_ms = performance.now() - t;
      return {
        change_to_full_run_ms, change_breakdown, band_and_experiments_ms, workers: window.plateau.workers(),
      };
    }, changeCount);
  } finally {
    await page.close();
  }
}

// ---- sizes of what the pages load ----

const gzipEntry = (file, bytes) => ({ file, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length });

// What the playground fetches before it shows its first chart: its own build (no bench entry
// points, served at PLATEAU_PAGE_URL) opened in a fresh browser (empty cache), every response
// of the page and its workers recorded until the engine is ready, the first run has finished
// and it is drawn. Each file's gzip -9 size is its body's, as a server compressing it would
// send it. What the page fetches later, on demand (a built-in dataset, a lesson), is not in it.
async function firstLoad() {
  const pageUrl = process.env.PLATEAU_PAGE_URL;
  if (!pageUrl) throw new Error('PLATEAU_PAGE_URL (the playground build, served) is not set');
  const base = pageUrl.endsWith('/') ? pageUrl : `${pageUrl}/`;
  const browser = await launchBrowser();
  try {
    const responses = [];
    let recording = true;
    browser.context.on('response', (res) => {
      if (recording) responses.push(res);
    });
    const page = await browser.newPage();
    await load(page, `${base}index.html`);
    await page.waitForFunction(
      () =>
        document.documentElement.dataset.engine === 'ready' &&
        window.plateau.drawn() &&
        !window.plateau.handle().training(0),
      null,
      { timeout: 120_000, polling: 'raf' },
    );
    recording = false;
    const files = new Map();
    for (const res of responses) {
      const url = res.url();
      if (!url.startsWith(base)) throw new Error(`the page fetched off its site: ${url}`);
      if (res.status() >= 400) throw new Error(`http ${res.status()}: ${url}`);
      const file = decodeURIComponent(new URL(url).pathname.slice(new URL(base).pathname.length)) || 'index.html';
      // The workers fetch the same module again (from the browser's cache): count it once.
      if (!files.has(file)) files.set(file, gzipEntry(file, await res.body()));
    }
    await page.close();
    return [...files.values()].sort((a, b) => a.file.localeCompare(b.file));
  } finally {
    await browser.close();
  }
}

async function sizes() {
  const entryIn = (dir) => async (rel) => gzipEntry(rel, await readFile(path.join(dir, rel)));
  const entry = entryIn(siteDir);
  // Every file of the playground's own build (which has no bench page): the first load and
  // what is fetched on demand.
  const files = [];
  for (const d of await readdir(pageDir, { withFileTypes: true })) {
    if (d.name === '.plateau-site') continue;
    if (d.isDirectory()) {
      for (const f of await readdir(path.join(pageDir, d.name))) files.push(`${d.name}/${f}`);
    } else {
      files.push(d.name);
    }
  }
  files.sort((a, b) => a.localeCompare(b));
  const site = await Promise.all(files.map(entryIn(pageDir)));
  const first = await firstLoad();
  const onDemand = site.filter((s) => !first.some((f) => f.file === s.file));
  // TF.js as the bench page loads it for the wasm backend (its SIMD, single-thread .wasm).
  const tfjs = await Promise.all(
    [
      'tf-core.min.js',
      'tf-layers.min.js',
      'tf-backend-cpu.min.js',
      'tf-backend-wasm.min.js',
      'tfjs-backend-wasm-simd.wasm',
    ].map((f) => entry(`tfjs/${f}`)),
  );
  return { first_load: first, on_demand: onDemand, tfjs };
}

// ---- the report ----

const gflops = (w) => w.flops / (w.wasm.train_ms * 1e6);
const gf = (x) => (x == null ? '-' : x.toFixed(1));
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
// Mean of the last 20 epoch times over the first 20 (fewer when the run is short).
const lateToEarly = (ms) => {
  const n = Math.min(20, Math.floor(ms.length / 2));
  return n === 0 ? null : sum(ms.slice(ms.length - n)) / n / (sum(ms.slice(0, n)) / n);
};
const ratio20 = (ms) => {
  const r = lateToEarly(ms);
  return r == null ? '-' : `${r.toFixed(2)}×`;
};

/** The headline figures, keyed as issue 8 asks; `cargo xtask bench --json` prints them. */
function summary({ workloads, subnormal, peak, page }, size) {
  const out = {};
  for (const w of workloads) {
    const n = native.find((x) => x.name === w.name);
    out[w.name.split(',')[0]] = {
      plateau_wasm_ms: w.wasm.train_ms,
      plateau_native_ms: n.train_ms,
      tfjs_wasm_ms: w.tfjs_wasm.skipped ? null : w.tfjs_wasm.train_ms,
      tfjs_cpu_ms: w.tfjs_cpu.skipped ? null : w.tfjs_cpu.train_ms,
      gflops_wasm: gflops(w),
      gflops_native: n.gflops,
    };
  }
  const sub = nativeAll.subnormal;
  out[sub.name] = {
    native_last20_over_first20: lateToEarly(sub.epoch_ms),
    wasm_last20_over_first20: lateToEarly(subnormal),
    native_ms: sum(sub.epoch_ms),
    wasm_ms: sum(subnormal),
  };
  out.peak_gflops_native = nativeAll.peak_gflops;
  out.peak_gflops_wasm = peak;
  out.peak_gflops_native_fma = nativeAll.peak_gflops_fma;
  // What the page downloads before its first chart (not the datasets and lessons it fetches
  // only when opened).
  out.payload_gzip_bytes = sum(size.first_load.map((s) => s.gzip));
  out.first_load_files = size.first_load.map((s) => s.file);
  out.page = page;
  out.load_average = [loadAtStart, os.loadavg()[0]];
  out.cores = os.cpus().length;
  return out;
}

const fmtMs = (ms) => (ms == null ? '-' : ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const ratio = (a, b) => (a == null || b == null ? '-' : `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×`);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const acc = (a) => (a == null ? '-' : a.toFixed(4));

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (r) =>
    r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function report({ info, workloads, subnormal, peak, page }, size) {
  const out = [];
  const notes = [];
  const cpuMs = (w) => (w.tfjs_cpu.skipped ? null : w.tfjs_cpu.train_ms);
  const cpuCell = (w) => {
    if (!w.tfjs_cpu.skipped) return fmtMs(w.tfjs_cpu.train_ms);
    notes.push(
      `${w.name}: TF.js cpu skipped, over the ${cpuBudgetMs / 1000} s budget; its warm-up did ` +
        `${w.tfjs_cpu.batches_done} of ${w.tfjs_cpu.batches} batches, so ≈ ` +
        `${(w.tfjs_cpu.estimate_ms / 1000).toFixed(0)} s per run.`,
    );
    return `skipped`;
  };
  const fewer = workloads.filter((w) => !w.tfjs_cpu.skipped && w.tfjs_cpu.runs < tfjsRepeat);
  for (const w of fewer) notes.push(`${w.name}: TF.js cpu timed ${w.tfjs_cpu.runs} run(s) to stay in budget.`);

  out.push(
    `Training time, ms: median of ${repeat} timed runs (TF.js: ${tfjsRepeat}) after a warm-up; ` +
      'weight init + fit with per-epoch validation.',
  );
  out.push('Data preparation (make_classification → split → scale) is not in these columns: see "data".');
  out.push('');
  const rows = workloads.map((w) => {
    const n = native.find((x) => x.name === w.name);
    return [
      w.name,
      fmtMs(n.train_ms),
      fmtMs(w.wasm.train_ms),
      fmtMs(w.tfjs_wasm.train_ms),
      cpuCell(w),
      ratio(w.wasm.train_ms, n.train_ms),
      ratio(w.tfjs_wasm.train_ms, w.wasm.train_ms),
      ratio(cpuMs(w), w.wasm.train_ms),
      `${fmtMs(n.prep_ms)} / ${fmtMs(w.wasm.prep_ms)}`,
      `${gf(n.gflops)} / ${gf(gflops(w))}`,
    ];
  });
  out.push(
    table(
      [
        'workload',
        'native',
        'wasm',
        'tfjs-wasm',
        'tfjs-cpu',
        'wasm/native',
        'tfjs-wasm/wasm',
        'tfjs-cpu/wasm',
        'data native/wasm',
        'GFLOP/s native/wasm',
      ],
      rows,
    ),
  );
  out.push('');
  out.push(
    `f32 peak of one core, the kernels' instructions (4-lane multiply then add): native ` +
      `${gf(nativeAll.peak_gflops)} GFLOP/s, wasm ${gf(peak)} GFLOP/s; with AVX2 FMA (which the ` +
      `kernels cannot use and keep wasm's bits): ${gf(nativeAll.peak_gflops_fma)} GFLOP/s. ` +
      'GFLOP/s count every product of the dense layers (relu zeros included).',
  );
  const sub = nativeAll.subnormal;
  out.push(
    `${sub.name} (${sub.epoch_ms.length} epochs, each the least of several runs): last 20 / first ` +
      `20 epochs ${ratio20(sub.epoch_ms)} native, ${ratio20(subnormal)} wasm; ` +
      `${fmtMs(sum(sub.epoch_ms))} / ${fmtMs(sum(subnormal))} ms in all.`,
  );
  out.push(
    `page, ${page.workers} worker(s): a seed change to the whole overfit run drawn ` +
      `${fmtMs(page.change_to_full_run_ms)} ms (median of ${page.change_breakdown.changes}, ` +
      `${fmtMs(page.change_breakdown.min_ms)}–${fmtMs(page.change_breakdown.max_ms)}; the handler ` +
      `${fmtMs(page.change_breakdown.handler_ms)}, the worker heard it at ${fmtMs(page.change_breakdown.worker_heard_ms)} ` +
      `and trained the run in ${fmtMs(page.change_breakdown.worker_run_ms)}, ` +
      `the last epoch arrived at ${fmtMs(page.change_breakdown.last_epoch_arrived_ms)}, ` +
      `drawn ${fmtMs(page.change_breakdown.arrival_to_drawn_ms)} after; seen by a once-a-frame check at ` +
      `${fmtMs(page.change_breakdown.seen_at_frame_ms)}); 5-seed band + experiments ${fmtMs(page.band_and_experiments_ms)} ms. ` +
      `Own thread (a CSP forbids workers): ${fmtMs(page.own_thread.change_to_full_run_ms)} ms (handler ` +
      `${fmtMs(page.own_thread.change_breakdown.handler_ms)}) and ` +
      `${fmtMs(page.own_thread.band_and_experiments_ms)} ms; band + experiments with workers ÷ without ` +
      `${(page.band_and_experiments_ms / page.own_thread.band_and_experiments_ms).toFixed(2)}×.`,
  );
  out.push('');
  out.push(
    `native: plateau CLI (release, this machine's default target features); wasm: the same ` +
      `engine in ${process.env.BENCH_CHROMIUM ?? 'Chromium'} headless (SIMD128, one thread);`,
  );
  out.push(
    `tfjs: TensorFlow.js ${info.tfjs} in that browser, tf.sequential + adam, same data and ` +
      `settings; wasm backend SIMD ${info.simd}, threads ${info.threads}.`,
  );
  for (const n of notes) out.push(`note: ${n}`);
  const loads = [loadAtStart, os.loadavg()[0]];
  const cores = os.cpus().length;
  const busy = Math.max(...loads) > cores;
  out.push(
    `machine load (1-min average) ${loads[0].toFixed(1)} at the browser stage's start, ` +
      `${loads[1].toFixed(1)} at its end, on ${cores} cores` +
      (busy ? ': above the core count, other work shares the CPU and times are noisy.' : '.'),
  );

  out.push('');
  out.push(
    'Final val_accuracy (sanity: same model and data, but TF.js draws its own initial weights ' +
      'and batch order, so close, not equal; its runs\' range in brackets):',
  );
  out.push('');
  const accRows = workloads.map((w) => {
    const n = native.find((x) => x.name === w.name);
    const ours = w.wasm.figures.val_accuracy;
    const same = n.val_accuracy === ours ? 'yes' : `NO (${acc(n.val_accuracy)})`;
    const t = (r) => (r.skipped ? 'skipped' : `${acc(r.val_accuracy)} [${acc(r.val_accuracy_min)}–${acc(r.val_accuracy_max)}]`);
    return [w.name, acc(ours), same, t(w.tfjs_wasm), t(w.tfjs_cpu)];
  });
  out.push(table(['workload', 'ours', 'native = wasm', 'tfjs-wasm', 'tfjs-cpu'], accRows));

  out.push('');
  out.push('What the playground page downloads before its first chart (raw / gzip -9; recorded in a');
  out.push('fresh headless Chromium, the page and its workers, until the first run is drawn):');
  const sizeRows = (list) => list.map((s) => [`  ${s.file}`, kib(s.raw), kib(s.gzip)]);
  const total = (list) => ({ raw: list.reduce((a, s) => a + s.raw, 0), gzip: list.reduce((a, s) => a + s.gzip, 0) });
  const pt = total(size.first_load);
  const tt = total(size.tfjs);
  const ot = total(size.on_demand);
  out.push(
    table(['', 'raw', 'gzip'], [
      ...sizeRows(size.first_load),
      ['  total', kib(pt.raw), kib(pt.gzip)],
    ]),
  );
  out.push('');
  out.push('Fetched only when used (a built-in dataset, a lesson, …):');
  out.push(table(['', 'raw', 'gzip'], [...sizeRows(size.on_demand), ['  total', kib(ot.raw), kib(ot.gzip)]]));
  out.push('');
  out.push('For reference, TF.js as the bench page loads it (core + layers + cpu + wasm backend, SIMD .wasm):');
  out.push(table(['', 'raw', 'gzip'], [...sizeRows(size.tfjs), ['  total', kib(tt.raw), kib(tt.gzip)]]));
  out.push(
    `TF.js / playground's first load: ${ratio(tt.raw, pt.raw)} raw, ${ratio(tt.gzip, pt.gzip)} gzip ` +
      '(and TF.js alone draws no chart and makes no data).',
  );
  return `${out.join('\n')}\n`;
}

const measured = { ...(await measure()), page: await measurePage() };
const size = await sizes();
const text = report(measured, size);
await writeFile(reportFile, text);
const headline = summary(measured, size);
await writeFile(summaryFile, `${JSON.stringify(headline)}\n`);
await writeFile(
  outFile,
  `${JSON.stringify(
    {
      browser: process.env.BENCH_CHROMIUM ?? null,
      user_agent: measured.info.userAgent,
      tfjs: measured.info.tfjs,
      tfjs_wasm_simd: measured.info.simd,
      tfjs_wasm_threads: measured.info.threads,
      repeat,
      tfjs_repeat: tfjsRepeat,
      cpu_budget_ms: cpuBudgetMs,
      load_average: [loadAtStart, os.loadavg()[0]],
      cores: os.cpus().length,
      native: nativeAll,
      browser_figures: measured.workloads,
      wasm_subnormal_epoch_ms: measured.subnormal,
      peak_gflops_wasm: measured.peak,
      page: measured.page,
      sizes: size,
      summary: headline,
    },
    null,
    2,
  )}\n`,
);
