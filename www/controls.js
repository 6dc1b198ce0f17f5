// The side panel of controls: each slider's scale, showing the engine's settings, and the
// events that change them. A drag is one change: the engine keeps the run from where the
// drag started as the faded "before" run (pointerdown … pointerup/change).
import { $, grouped, setText } from './dom.js';

// Two significant digits: what a slider can usefully select on a log scale.
const round2 = (x) => Number(x.toPrecision(2));

// Each slider: how its position maps to the setting, and back.
const sliders = {
  lr: { toValue: (p) => round2(10 ** p), toPosition: (v) => Math.log10(v) },
  epochs: { toValue: (p) => Math.round(round2(10 ** p)), toPosition: (v) => Math.log10(v) },
  'batch-size': { toValue: (p) => 2 ** p, toPosition: (v) => Math.log2(v) },
  samples: { toValue: (p) => Math.round(round2(10 ** p)), toPosition: (v) => Math.log10(v) },
  classes: { toValue: (p) => p, toPosition: (v) => v },
  // Far left (10^-5) is off: 0.
  l2: {
    toValue: (p) => (p <= -5 ? 0 : round2(10 ** p)),
    toPosition: (v) => (v === 0 ? -5 : Math.log10(v)),
    text: (v) => (v === 0 ? 'off' : String(v)),
  },
  // Far left is off: 0.
  dropout: {
    toValue: (p) => round2(p),
    toPosition: (v) => v,
    text: (v) => (v === 0 ? 'off' : String(v)),
  },
  'early-stopping': {
    toValue: (p) => p,
    toPosition: (v) => v,
    text: (v) => (v === 0 ? 'off' : `${v} epochs`),
  },
  distortion: {
    toValue: (p) => round2(10 ** p),
    toPosition: (v) => Math.log10(v),
    text: (v) => `×${grouped(v)}`,
  },
};

const sliderText = (id, value) => (sliders[id].text ?? String)(value);

/** Shows `state` (the engine's `state()`) in the controls. */
export function syncControls(state) {
  const { settings, preset, seeds, editing, editing_note: editingNote, note } = state;
  const values = {
    lr: settings.learning_rate,
    epochs: settings.epochs,
    'batch-size': settings.batch_size,
    samples: settings.samples,
    classes: settings.classes,
    distortion: settings.distortion,
    l2: settings.l2,
    dropout: settings.dropout,
    'early-stopping': settings.early_stopping,
  };
  for (const [id, value] of Object.entries(values)) {
    $(id).value = sliders[id].toPosition(value);
    $(`${id}-value`).textContent = sliderText(id, value);
  }
  $('distortion').disabled = !settings.distort;
  // A file's target decides its classes.
  const file = state.data_file;
  $('classes').disabled = Boolean(file);
  $('classes').title = file ? `Set by your file ${file.name}: choose "Use generated data" to change it` : '';
  if (file) $('classes-value').textContent = 'your file\'s';
  $('seeds').value = String(seeds);
  for (let i = 0; i < 3; i++) {
    const units = settings.hidden[i] ?? 0;
    $(`hidden-${i + 1}`).value = units;
    $(`hidden-${i + 1}-value`).textContent = units === 0 ? 'off' : String(units);
  }
  $('optimizer').value = settings.optimizer;
  $('activation').value = settings.activation;
  $('distort').checked = settings.distort;
  $('standardize').checked = settings.standardize;
  $('seed').value = settings.seed;
  for (const button of document.querySelectorAll('[data-preset]')) {
    button.setAttribute('aria-pressed', String(button.dataset.preset === preset));
  }
  // In a comparison the controls are one run's: say which, and that a change leaves it.
  $('editing').hidden = !editing;
  setText($('editing-run'), editing ?? '');
  setText($('editing-note'), editingNote ?? '');
  $('comparison-note').hidden = !note;
  setText($('comparison-note'), note ?? '');
}

// The keys that move a range input.
const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']);

const hiddenValue = () => [1, 2, 3].map((i) => $(`hidden-${i}`).value).join(',');

/**
 * Wires the controls: `change(key, value)` applies a setting, `drag(begins)` tells the
 * engine a slider's drag begins (true) or ends (false), `reroll()` restarts with a fresh seed.
 */
export function wireControls({ change, drag, keyPress, reroll }) {
  const ranges = [...document.querySelectorAll('#controls input[type="range"]')];
  // Keys move a slider in steps; the engine counts a run of presses (until a pause or focus
  // leaves) as one change, like a drag.
  let keying = false;
  for (const input of ranges) {
    input.addEventListener('pointerdown', () => { keying = false; drag(true); });
    input.addEventListener('keydown', (e) => {
      if (!SLIDER_KEYS.has(e.key)) return;
      keying = true;
      keyPress();
    });
    input.addEventListener('blur', () => { if (keying) { keying = false; drag(false); } });
    // `change` fires when the thumb is let go (and after each key press, which must not end
    // the run of presses).
    input.addEventListener('change', () => { if (!keying) drag(false); });
  }
  // The thumb may be let go outside the slider.
  for (const end of ['pointerup', 'pointercancel']) window.addEventListener(end, () => drag(false));
  for (const id of Object.keys(sliders)) {
    $(id).addEventListener('input', () => {
      const value = sliders[id].toValue(Number($(id).value));
      $(`${id}-value`).textContent = sliderText(id, value);
      change(id, value);
    });
  }
  for (const input of document.querySelectorAll('.hidden-layer')) {
    input.addEventListener('input', () => change('hidden', hiddenValue()));
  }
  for (const id of ['optimizer', 'activation']) {
    $(id).addEventListener('change', () => change(id, $(id).value));
  }
  for (const id of ['distort', 'standardize']) {
    $(id).addEventListener('change', () => change(id, $(id).checked));
  }
  $('seed').addEventListener('change', () => change('seed', $('seed').value));
  $('reroll').addEventListener('click', reroll);
  // "Skip to controls": focus the first control an embed shows. Not a plain #controls link:
  // the page's hash is its state.
  $('skip-to-controls').addEventListener('click', (e) => {
    e.preventDefault();
    const first = [...document.querySelectorAll('#controls input, #controls select, #controls button')]
      .find((node) => !node.disabled && node.offsetParent !== null);
    first?.focus();
  });
  $('controls').addEventListener('submit', (e) => e.preventDefault());
}
