// The diagnosis panel: the rules' hypotheses and, as the experiments arrive, each fix's
// measured effect, re-ranked by what helped. Rebuilt from handle.panel() whenever the charts
// are redrawn (an epoch ended or a control changed). Cause items are kept by id and only
// their text changes, so a "try it" button is never replaced under the student's pointer.
// Engine text goes in with textContent only, and every figure, title and threshold is the
// engine's: this module only places them.
import { $, el, setText } from './dom.js';

// What the panel needs of the page: its engine handle, its error guard, what a change does,
// its screen-reader announcements and its timing lists.
let page;

export function wirePanel(deps) {
  page = deps;
}


const capitalized = (text) => text.charAt(0).toUpperCase() + text.slice(1);

const fixText = (fix) => fix.map(([key, value]) => `${key} = ${value}`).join(', ');

const causeNodes = new Map(); // cause id → its <li> and the parts that change

function causeNode(id, panel) {
  let node = causeNodes.get(id);
  if (node) return node;
  const li = el('li', 'cause');
  li.dataset.cause = id;
  const head = el('div', 'cause-head');
  const name = el('span', 'cause-name', panel.titles[id] ?? id);
  const code = el('code', 'cause-id', id);
  const meter = el('meter');
  meter.min = 0;
  meter.max = 1;
  meter.low = panel.present_at;
  meter.optimum = 1;
  const confidence = el('span', 'confidence');
  const verdict = el('span', 'verdict');
  head.append(name, code, meter, confidence, verdict);
  const effect = el('p', 'effect');
  const explanation = el('p', 'explanation');
  const details = el('details', 'evidence');
  const summary = el('summary', '', 'evidence');
  summary.addEventListener('click', () => { causeNodes.get(id).toggled = true; });
  details.append(summary);
  const figures = el('dl');
  details.append(figures);
  // A run made elsewhere has no settings here: its fix is a line of Keras to try.
  const keras = el('p', 'keras-fix');
  keras.append('Try in Keras: ', el('code'));
  const tryIt = el('button', 'try-it');
  tryIt.type = 'button';
  tryIt.addEventListener('click', () => {
    const fix = tryIt.fix ?? [];
    const keys = fix.map(([key]) => key);
    const values = fix.map(([, value]) => value);
    if (page.guard(() => page.handle().applyFix(keys, values))) {
      page.afterChange();
      // The cause (and this button) go away with the old run: keep the keyboard in the
      // panel, at its heading, and say what happened.
      $('diagnosis-title').focus();
      page.announce(`Applied ${fixText(fix)}. Training again; the previous run is faded on the charts.`);
    }
  });
  li.append(head, effect, explanation, details, keras, tryIt);
  node = { li, meter, confidence, verdict, effect, explanation, details, figures, keras, tryIt, evidenceKey: '' };
  causeNodes.set(id, node);
  return node;
}

// The badge of a row whose test has not finished (a finished one shows the engine's
// `verdict_text`).
const STATUS_TEXT = {
  measuring: 'measuring…', queued: 'queued', untested: 'no fix to test',
  stopped: 'stopped: partly measured', not_run: 'not run (stopped)',
  suspected: 'a suspicion: no model here to test it',
};

// One row of the table: the rules' hypothesis (if they suspected the cause) and its fix's
// measured effect (once the experiments reach it).
function updateCause(node, row, rank) {
  const suspected = row.confidence !== null && row.confidence !== undefined;
  node.li.classList.toggle('possible', !row.present && row.status !== 'helps');
  node.li.classList.toggle('ruled-out', row.ruled_out);
  node.li.dataset.status = row.status;
  node.meter.hidden = !suspected;
  node.meter.value = suspected ? row.confidence : 0;
  setText(node.confidence, suspected
    ? `rules: confidence ${row.confidence_text} · ${row.present ? 'present' : 'possible'}`
    : 'not suspected by the rules');
  // A finished test's badge names the figure that decided it (the engine's words).
  const verdict = row.experiment?.complete ? row.experiment.verdict_text : STATUS_TEXT[row.status] ?? row.status;
  // A rule with no test of its own ("near what the data allows") is ruled out by the others'.
  const out = row.experiment ? `ruled out by experiment: ${verdict}` : 'ruled out by experiment';
  setText(node.verdict, row.ruled_out ? out : verdict);
  setText(node.effect, row.effect ?? '');
  node.effect.hidden = !row.effect;
  setText(node.explanation, row.explanation ?? '');
  node.details.hidden = row.evidence.length === 0;
  const evidenceKey = JSON.stringify(row.evidence);
  if (evidenceKey !== node.evidenceKey) {
    node.evidenceKey = evidenceKey;
    node.figures.replaceChildren(...row.evidence.flatMap(([name, figure]) =>
      [el('dt', '', name), el('dd', '', figure)]));
  }
  // The top cause's figures are open, the others folded, unless the student chose.
  if (!node.toggled) node.details.open = rank === 0;
  node.keras.hidden = !row.keras_fix;
  setText(node.keras.lastChild, row.keras_fix ?? '');
  node.tryIt.fix = row.fix;
  node.tryIt.hidden = row.fix.length === 0;
  setText(node.tryIt, `Try it: ${fixText(row.fix)}`);
  node.tryIt.title = `Apply ${fixText(row.fix)} and train again; this run stays, faded`;
}

// The engine's plateau sentence names the epochs of the chart's markers, so the two agree.
function headline(d, run, panel) {
  const { plateau } = panel;
  const so = d.status.state === 'training' && run ? `So far (epoch ${run.epoch} of ${run.epochs}): ` : '';
  if (d.epochs === 0) return 'Training has not finished an epoch yet.';
  const text = `${so}${so ? plateau.charAt(0).toLowerCase() + plateau.slice(1) : plateau}`;
  if (d.causes.length === 0) {
    return `${text} ${panel.too_few_epochs ? 'Too few epochs to name a cause yet.' : 'No likely cause found.'}`;
  }
  return text;
}

function showRunChoice(panel) {
  const box = $('diagnosis-runs');
  box.hidden = panel.runs.length < 2;
  if (box.hidden) return;
  const key = JSON.stringify(panel.runs);
  if (box.dataset.runs !== key) {
    box.dataset.runs = key;
    box.replaceChildren(el('span', 'muted', 'Diagnose and edit:'), ...panel.runs.map((label, i) => {
      const button = el('button', '', label);
      button.type = 'button';
      button.addEventListener('click', () => {
        if (page.guard(() => page.handle().focus(i))) page.afterChange(); // the controls follow the run
      });
      return button;
    }));
  }
  [...box.querySelectorAll('button')].forEach((b, i) =>
    b.setAttribute('aria-pressed', String(i === panel.focus)));
}

let confusionKey = '';

// The diagnosed run's validation confusion matrix once it has ended, under the figures:
// rows the true class, columns the predicted one, the diagonal (right) marked.
function showConfusion(matrix) {
  const key = JSON.stringify(matrix ?? null);
  if (key === confusionKey) return;
  confusionKey = key;
  const table = $('confusion');
  table.hidden = !matrix;
  if (!matrix) return;
  const corner = el('th', 'corner', 'true ↓ predicted →');
  corner.scope = 'col';
  const head = el('tr');
  head.append(corner, ...matrix.classes.map((name) => {
    const th = el('th', '', name);
    th.scope = 'col';
    th.setAttribute('aria-label', `predicted ${name}`);
    return th;
  }));
  table.tHead.replaceChildren(head);
  table.tBodies[0].replaceChildren(...matrix.counts.map((row, i) => {
    const tr = el('tr');
    const th = el('th', '', matrix.classes[i]);
    th.scope = 'row';
    th.setAttribute('aria-label', `true ${matrix.classes[i]}`);
    tr.append(th, ...row.map((count, j) => el('td', i === j ? 'hit' : '', String(count))));
    return tr;
  }));
}

export function showPanel(runs) {
  const start = performance.now();
  const panel = page.handle().panel();
  page.record(page.timings.diagnosisMs, performance.now() - start);
  showConfusion(panel?.confusion);
  if (!panel) return;
  const d = panel.diagnosis;
  showRunChoice(panel);
  const which = panel.seeds > 1
    ? `Seed ${panel.seed}, the first of ${panel.seeds} (the table's run; the curves show their mean). ` : '';
  setText($('diagnosis-headline'), which + headline(d, runs[panel.focus], panel));
  // A run made elsewhere: what its diagnosis can and cannot be, and the way back.
  const outside = panel.outside;
  // (The experiments' box says why the causes stay suspicions: the engine's `outside.note`.)
  const note = outside ? [`Your run: ${outside.name}, ${outside.epochs} epochs.`, outside.unknowns, outside.back].filter(Boolean).join(' ') : '';
  setText($('outside-note'), note);
  $('outside-note').hidden = !note;
  const items = panel.table.map((row, rank) => {
    const node = causeNode(row.cause, panel);
    updateCause(node, row, rank);
    return node.li;
  });
  const list = $('causes');
  const current = [...list.children];
  if (current.length !== items.length || current.some((li, i) => li !== items[i])) {
    list.replaceChildren(...items);
  }
  for (const [id, node] of causeNodes) {
    if (!items.includes(node.li)) { causeNodes.delete(id); }
  }
  // What the instruments show inside the network, marked on the loss chart at its epoch.
  const inside = $('inside-findings');
  const lines = d.inside.map((f) => f.text);
  inside.hidden = lines.length === 0;
  if (inside.dataset.text !== lines.join('|')) {
    inside.dataset.text = lines.join('|');
    inside.replaceChildren(...lines.map((text) => {
      const p = document.createElement('p');
      p.textContent = text;
      return p;
    }));
  }
  page.record(page.timings.panelMs, performance.now() - start);
}

let experimentsKey = '';

// The experiments' box is redrawn on the next showExperiments (the student stopped it).
export function experimentsChanged() {
  experimentsKey = '';
}
let experimentsMeasured = -1;

// The experiments' progress and, once done, the answer they give.
export function showExperiments() {
  const start = performance.now();
  const experiments = page.handle().experiments();
  const key = `${experiments.state}|${experiments.done}|${experiments.text}|${experiments.paused}|${experiments.left}`;
  if (key === experimentsKey) return;
  experimentsKey = key;
  // New evidence (a seed's pair finished, or the experiments ended): the table changes.
  if (experiments.measured !== experimentsMeasured || experiments.state === 'done') showPanel(page.handle().figures());
  experimentsMeasured = experiments.measured;
  const panel = experiments.state === 'done' ? page.handle().panel() : null;
  const answer = panel?.answer ?? '';
  const box = $('experiments');
  box.dataset.state = experiments.state;
  box.dataset.answer = answer;
  const progress = $('experiments-progress');
  progress.hidden = experiments.state !== 'running';
  $('experiments-stop').hidden = experiments.state !== 'running';
  const named = (panel?.answers ?? []).map((id) => panel.titles[id] ?? id);
  const texts = {
    waiting: `When the run finishes, every applicable fix is trained over ${experiments.seeds} seeds next to the unchanged settings (more, up to ${experiments.max_seeds}, while the answer is unsettled), most suspected first, and the causes above are re-ranked by what each fix measurably did.`,
    running: `Testing ${experiments.fixes} fixes and a placebo over ${experiments.seeds} seeds (more, up to ${experiments.max_seeds}, while the answer is unsettled): ${experiments.percent}% trained, ${experiments.paused ? 'paused' : experiments.left ?? 'estimating the time left'}…`,
    done: `Answer, by experiment: ${named.length ? named.join(' or ') : panel?.titles.converged}. ${panel?.answer_text ?? ''}`,
    unavailable: experiments.text,
  };
  setText($('experiments-text'), texts[experiments.state] ?? experiments.text);
  const limit = panel?.data_limit?.text ?? '';
  setText($('data-limit'), limit);
  $('data-limit').hidden = !limit;
  const placebo = panel?.placebo_text ?? '';
  setText($('placebo'), placebo);
  $('placebo').hidden = !placebo;
  if (experiments.state === 'running') {
    progress.max = experiments.total;
    progress.value = experiments.done;
  }
  page.record(page.timings.experimentsMs, performance.now() - start);
}

