// The values under the pointer on a chart, or at the epoch the arrow keys chose: every run on
// the chart (faded runs and seed bands too) on the loss and accuracy charts, each hidden layer
// on *Inside the network*. The engine gives the figures (`readout(epoch)`) and says where its
// plot is on each canvas (`data-plot`, `data-last-epoch`); this module places a line and a box,
// and tells screen readers the same text when the keys move.

import { $ } from './dom.js';

const loss = (v) => (v >= 1000 ? v.toFixed(0) : v.toPrecision(3));
const percent = (v) => `${(v * 100).toFixed(1)}%`;
const small = (v) => (v === 0 ? '0' : v >= 0.01 && v < 1000 ? v.toPrecision(3) : v.toExponential(1));

/** A figure with its seeds' range when it has several. */
function figure(name, value, seeds, format) {
  if (!value) return null;
  const range = seeds > 1 ? ` (${format(value.min)}–${format(value.max)})` : '';
  return `${name} ${format(value.mean)}${range}`;
}

/** The readout's lines for a chart: runs for the curves, layers for the instruments. */
export function readoutLines(r, inside) {
  const lines = [`Epoch ${r.epoch}`];
  if (inside) {
    if (!r.layers.length) return [...lines, 'not trained this far'];
    r.layers.forEach((l, i) => lines.push(
      `layer ${i + 1} (${r.units[i]} units): step ${small(l.update_ratio)} · gradient ${small(l.grad_norm)}`
      + ` · weights ${small(l.weight_norm)} · dead ${percent(l.dead_share)} · saturated ${percent(l.saturated_share)}`));
    return lines;
  }
  for (const run of r.runs) {
    const parts = [
      figure('loss', run.loss, run.seeds, loss),
      figure('val loss', run.val_loss, run.seeds, loss),
      figure('accuracy', run.accuracy, run.seeds, percent),
      figure('val accuracy', run.val_accuracy, run.seeds, percent),
    ].filter(Boolean);
    const seeds = run.seeds > 1 ? `, mean of ${run.seeds} seeds` : '';
    lines.push(`${run.label}${seeds}: ${parts.length ? parts.join(' · ') : 'not trained this far'}`);
  }
  return lines;
}

/** The plot's place on `canvas` in client pixels, and its last epoch; null before a draw. */
function plotOf(canvas) {
  const [x, y, width, height] = (canvas.dataset.plot ?? '').split(' ').map(Number);
  const last = Number(canvas.dataset.lastEpoch);
  if (!(width > 0) || !(last > 1)) return null;
  const box = canvas.getBoundingClientRect();
  return { left: box.left + x, top: box.top + y, width, height, last };
}

export function wireReadout({ handle, guard }) {
  const box = $('readout');
  const live = $('readout-live');
  const line = $('readout-line');
  let shown = null; // { canvas, epoch }

  function hide() {
    shown = null;
    box.hidden = true;
    line.hidden = true;
  }

  function show(canvas, epoch, announce) {
    const plot = plotOf(canvas);
    if (!plot) return hide();
    epoch = Math.min(Math.max(Math.round(epoch), 1), plot.last);
    let r = null;
    guard(() => { r = handle().readout(epoch); });
    if (!r) return hide();
    shown = { canvas, epoch };
    const lines = readoutLines(r, canvas.id === 'inside-chart');
    box.replaceChildren(...lines.map((text, i) => {
      const p = document.createElement(i === 0 ? 'strong' : 'div');
      p.textContent = text;
      return p;
    }));
    const x = plot.left + ((epoch - 1) / (plot.last - 1)) * plot.width;
    Object.assign(line.style, { left: `${x}px`, top: `${plot.top}px`, height: `${plot.height}px` });
    line.hidden = false;
    box.hidden = false;
    // Beside the line, on the side with room, within the screen.
    const width = box.offsetWidth;
    const left = x + 12 + width <= window.innerWidth ? x + 12 : Math.max(4, x - 12 - width);
    const top = Math.min(Math.max(4, plot.top), window.innerHeight - box.offsetHeight - 4);
    Object.assign(box.style, { left: `${left}px`, top: `${top}px` });
    if (announce) live.textContent = lines.join('. ');
  }

  for (const canvas of [$('loss-chart'), $('accuracy-chart'), $('inside-chart')]) {
    canvas.addEventListener('pointermove', (e) => {
      const plot = plotOf(canvas);
      if (!plot) return;
      show(canvas, 1 + ((e.clientX - plot.left) / plot.width) * (plot.last - 1), false);
    });
    canvas.addEventListener('pointerleave', () => { if (document.activeElement !== canvas) hide(); });
    canvas.addEventListener('focus', () => show(canvas, Math.max(handle().epoch(), 1), true));
    canvas.addEventListener('blur', hide);
    canvas.addEventListener('keydown', (e) => {
      const plot = plotOf(canvas);
      if (!plot || !shown || shown.canvas !== canvas) return;
      const step = { ArrowLeft: -1, ArrowRight: 1, PageDown: -10, PageUp: 10 }[e.key];
      let epoch = null;
      if (step) epoch = shown.epoch + step;
      else if (e.key === 'Home') epoch = 1;
      else if (e.key === 'End') epoch = plot.last;
      else if (e.key === 'Escape') return hide();
      if (epoch === null) return;
      e.preventDefault();
      show(canvas, epoch, true);
    });
  }
  // The box belongs to a place on the screen: a scroll moves the chart from under it.
  window.addEventListener('scroll', () => { if (shown && document.activeElement !== shown.canvas) hide(); }, { passive: true });
  /** After a redraw: the same epoch, with the new figures. */
  return () => { if (shown) show(shown.canvas, shown.epoch, false); };
}
