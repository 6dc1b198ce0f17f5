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
  for (const selector of ['nav.presets', 'footer', '#export']) {
    const node = document.querySelector(selector);
    if (node) node.hidden = !view.chrome;
  }
  // The title stays for screen readers (a page has a heading), out of sight.
  document.querySelector('header').classList.toggle('visually-hidden', !view.chrome);
  $('loss-chart').hidden = view.chart === 'accuracy';
  $('accuracy-chart').hidden = view.chart === 'loss';
  document.documentElement.classList.toggle('embedded', !view.chrome);
}

/** The lesson box: step k of n, the caption and question, Back and Next. */
export function showLesson(lesson) {
  const box = $('lesson');
  box.hidden = !lesson;
  if (!lesson) return;
  $('lesson-title').textContent = lesson.title;
  $('lesson-step').textContent = `Step ${lesson.step} of ${lesson.steps}`;
  $('lesson-caption').textContent = lesson.caption;
  $('lesson-question').textContent = lesson.question;
  $('lesson-question').hidden = !lesson.question;
  $('lesson-back').disabled = lesson.step <= 1;
  $('lesson-next').disabled = lesson.step >= lesson.steps;
}

/**
 * Fetches the lesson file the link names, if any, and hands it to the engine. Same origin only
 * (the engine accepts relative .json paths, and the CSP's connect-src is 'self').
 * Returns the problem to show, or null.
 */
export async function loadLesson(handle) {
  const path = handle.state().lesson_to_fetch;
  if (!path) return null;
  let text;
  try {
    const response = await fetch(path, { credentials: 'same-origin' });
    if (!response.ok) return `lesson: '${path}' could not be loaded (HTTP ${response.status})`;
    text = await response.text();
  } catch (e) {
    return `lesson: '${path}' could not be loaded (${e instanceof Error ? e.message : e})`;
  }
  try {
    handle.loadLesson(path, text);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
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
