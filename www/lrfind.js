// "Find a learning rate": the range test on the run the panel diagnoses, trained in animation
// frames when asked for, its curve drawn by the engine, its suggestion one click from the rate
// control, and what the experiments found when they changed the rate beside it.

import { $, el, setText } from './dom.js';

const SLICE_MS = 8;

export function wireLrFinder({ handle, guard, afterChange, sizeCanvases }) {
  const details = $('lr-finder');
  const canvas = $('lr-find-chart');
  const text = $('lr-find-text');
  const use = $('lr-find-use');
  const experiments = $('lr-find-experiments');
  let suggested = null;

  function show() {
    if (!details.open) return;
    let view = null;
    guard(() => { view = handle().lrFind(); });
    guard(() => handle().drawLrFind(canvas));
    if (!view) {
      setText(text, 'Run the range test to see the curve for these settings.');
      use.hidden = true;
      experiments.replaceChildren();
      return;
    }
    const stale = view.current ? '' : ' The settings have changed since: run it again for these.';
    if (view.running) {
      setText(text, `Batch ${view.steps_done} of ${view.steps}…`);
    } else if (view.suggested_text) {
      setText(text, `Suggested: ${view.suggested_text} (${view.rule}).${stale}`);
    } else {
      setText(text, `No suggestion: the smoothed loss never turned up within ${view.steps_done} batches, so the curve says nothing about the rate (a few rows are memorised at any rate that moves the weights).${stale}`);
    }
    suggested = view.suggested_lr;
    use.hidden = !(view.suggested_text && view.current && !view.running);
    setText(use, `Use ${view.suggested_text}`);
    const lines = view.experiments.length
      ? ['What the experiments found when they changed the rate:', ...view.experiments]
      : ['The experiments change the rate once the run has ended; what they find shows here.'];
    if (experiments.textContent !== lines.join('')) {
      experiments.replaceChildren(...lines.map((line, i) => el('p', i === 0 ? '' : 'lr-find-line', line)));
    }
  }

  function frame() {
    let running = false;
    guard(() => { running = handle().lrFindStep(SLICE_MS); });
    show();
    if (running) requestAnimationFrame(frame);
  }

  $('lr-find-run').addEventListener('click', () => {
    if (guard(() => handle().lrFindStart())) requestAnimationFrame(frame);
  });
  use.addEventListener('click', () => {
    if (suggested !== null && guard(() => handle().set('lr', String(suggested)))) afterChange();
  });
  details.addEventListener('toggle', () => { sizeCanvases(); show(); });
  return show;
}
