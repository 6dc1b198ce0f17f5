// Course material in the page: what an embed shows (the engine's view flags), the lesson box,
// the iframe's height for the host page, and the Embed dialog. The engine parses and checks;
// this module only shows, hides and fetches.

import { $, copyText } from './dom.js';

/** Shows and hides the page's parts as the view flags say. */
export function applyView(view) {
  const shown = (name) => view.show === null || view.show.includes(name);
  for (const node of document.querySelectorAll('[data-control]')) {
    node.hidden = !shown(node.dataset.control);
  }
  // A fieldset with no control left is dropped with its legend; no control at all drops the
  // whole column, so a charts-only embed is just the charts.
  let any = false;
  for (const fieldset of document.querySelectorAll('#controls fieldset')) {
    const visible = [...fieldset.querySelectorAll('[data-control]')].some((n) => !n.hidden);
    fieldset.hidden = !visible;
    any ||= visible;
  }
  $('controls').hidden = !any;
  $('diagnosis').hidden = !view.panel;
  for (const selector of ['nav.presets', 'footer', '#inside', '#lr-finder', '#export']) {
    const node = document.querySelector(selector);
    if (node) node.hidden = !view.chrome;
  }
  // The title stays for screen readers (a page has a heading), out of sight.
  document.querySelector('header').classList.toggle('visually-hidden', !view.chrome);
  $('loss-chart').hidden = view.chart === 'accuracy';
  $('accuracy-chart').hidden = view.chart === 'loss';
  document.documentElement.classList.toggle('embedded', !view.chrome);
}

// A lesson file the page cannot fetch because it was opened from disk: `{ path, builtIn }`,
// shown in the lesson box in place of a lesson (see loadLesson).
let unreachable = null;

function link(hash) {
  const a = document.createElement('a');
  a.href = `#${hash}`;
  a.textContent = `#${hash}`;
  return a;
}

/**
 * The lesson box: step k of n, the caption and question, the steps with a problem, Back and
 * Next; or, in a page opened from disk, why its lesson file cannot open here.
 */
export function showLesson(lesson) {
  const box = $('lesson');
  box.hidden = !lesson && !unreachable;
  $('lesson-nav').hidden = !lesson;
  if (!lesson) {
    $('lesson-problems').hidden = true;
    if (unreachable) showUnreachable(unreachable);
    return;
  }
  $('lesson-title').textContent = lesson.title;
  $('lesson-step').textContent = `Step ${lesson.step} of ${lesson.steps}`;
  $('lesson-caption').textContent = lesson.caption;
  $('lesson-question').textContent = lesson.question;
  $('lesson-question').hidden = !lesson.question;
  $('lesson-back').disabled = lesson.step <= 1;
  $('lesson-next').disabled = lesson.step >= lesson.steps;
  // Every step with a problem, on every step, so the author sees them from the first; the
  // step on screen is marked as this one.
  const list = $('lesson-problem-list');
  list.replaceChildren(...lesson.problems.map((p) => {
    const item = document.createElement('li');
    const here = p.step === lesson.step;
    item.textContent = `Step ${p.step}${here ? ' (this step)' : ''}, ${p.field}: ${p.message}`;
    if (here) item.setAttribute('aria-current', 'step');
    return item;
  }));
  $('lesson-problems').hidden = lesson.problems.length === 0;
}

function showUnreachable({ path, builtIn }) {
  $('lesson-title').textContent = 'This lesson needs the page served over http';
  $('lesson-step').textContent = path;
  const code = (text) => Object.assign(document.createElement('code'), { textContent: text });
  $('lesson-caption').replaceChildren(
    `This page was opened as a file (file://), and a browser does not let such a page read other files, so the lesson file '${path}' cannot be loaded. Serve the folder that holds this page and its lessons/ folder over http: `,
    code('cargo xtask serve'),
    ', or any static server (for example ',
    code('python3 -m http.server'),
    ` in that folder), then open the page from its http://localhost address with the same #lesson=${path}.`,
  );
  const question = $('lesson-question');
  question.replaceChildren(
    `The built-in lesson${builtIn.length === 1 ? '' : 's'} work${builtIn.length === 1 ? 's' : ''} here: `,
    ...builtIn.flatMap((name, i) => (i ? [', ', link(`lesson=${name}`)] : [link(`lesson=${name}`)])),
    '.',
  );
  question.hidden = builtIn.length === 0;
}

/**
 * Fetches the lesson file the link names, if any, and hands it to the engine. Same origin only
 * (the engine accepts relative .json paths, and the CSP's connect-src is 'self').
 * Returns the notices to show: a file that could not be loaded or is not a lesson, or each
 * step of the lesson with a problem.
 */
export async function loadLesson(handle) {
  const { lesson_to_fetch: path, built_in_lessons: builtIn } = handle.state();
  unreachable = null;
  if (!path) return [];
  // A page opened from disk cannot fetch; the lesson box says so and how to serve the page
  // (a fetch would only fail with "Failed to fetch", or break the page's CSP).
  if (location.protocol === 'file:') {
    unreachable = { path, builtIn };
    return [];
  }
  let text;
  try {
    const response = await fetch(path, { credentials: 'same-origin' });
    if (!response.ok) return [`lesson: '${path}' could not be loaded (HTTP ${response.status})`];
    text = await response.text();
  } catch (e) {
    return [`lesson: '${path}' could not be loaded (${e instanceof Error ? e.message : e})`];
  }
  try {
    return handle.loadLesson(path, text);
  } catch (e) {
    return [e instanceof Error ? e.message : String(e)];
  }
}

/** Inside an iframe, tells the host page how tall the content is, whenever that changes. */
export function reportHeight() {
  if (window.parent === window) return;
  let last = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    window.parent.postMessage({ type: 'plateau:height', height }, '*');
  };
  new ResizeObserver(post).observe(document.documentElement);
  post();
}

// `controls`: every control `show=` can name, the engine's list (state().view.controls).
function embedFlags(controls) {
  const picked = controls.filter((name) => $(`embed-show-${name}`)?.checked);
  const flags = [];
  if (picked.length < controls.length) flags.push(`show=${picked.join(',')}`);
  if (!$('embed-panel').checked) flags.push('panel=off');
  if (!$('embed-chrome').checked) flags.push('chrome=off');
  if ($('embed-chart').value !== 'both') flags.push(`chart=${$('embed-chart').value}`);
  return flags.join('&');
}

/** Wires the lesson buttons and the Embed dialog; `after()` runs after a change. */
export function wireCourse(handle, guard, after) {
  $('lesson-back').addEventListener('click', () => {
    if (guard(() => handle().lessonStep(handle().state().lesson.step - 1))) after();
  });
  $('lesson-next').addEventListener('click', () => {
    if (guard(() => handle().lessonStep(handle().state().lesson.step + 1))) after();
  });

  const { controls, control_names: names } = handle().state().view;
  const list = $('embed-controls');
  list.replaceChildren(...controls.map((name) => {
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = `embed-show-${name}`;
    box.checked = true;
    label.append(box, ` ${names[name] ?? name}`);
    return label;
  }));
  const update = () => guard(() => {
    const base = location.href.split('#')[0];
    const url = `${base}#${handle().embedHash(embedFlags(controls))}`;
    const height = Number($('embed-height').value) || 900;
    $('embed-iframe').value = `<iframe src="${url.replaceAll('"', '&quot;')}" width="100%" height="${height}" style="border:0" title="Plateau: why is validation accuracy not improving?" loading="lazy"></iframe>`;
    $('embed-jupyter').value = `from IPython.display import IFrame; IFrame(${JSON.stringify(url)}, width="100%", height=${height})`;
  });
  $('embed-dialog').addEventListener('input', update);
  $('embed-open').addEventListener('click', () => {
    update();
    $('embed-dialog').showModal();
  });
  $('embed-close').addEventListener('click', () => $('embed-dialog').close());
  for (const id of ['embed-iframe', 'embed-jupyter']) {
    $(`${id}-copy`).addEventListener('click', () => copyText($(id), $('embed-status')));
  }
}
