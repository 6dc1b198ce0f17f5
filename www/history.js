// "Paste your history": a run made elsewhere (Keras's history.history as JSON, or a CSVLogger
// or other CSV file), pasted, chosen or dropped on its box. The engine reads and checks it (its
// errors say what was wrong and what is allowed), draws it on the charts in place of the
// page's runs and diagnoses it from its curves alone; this module only carries the text and
// the two optional figures, and shows what the engine says. Any change to a control returns
// to the page's runs (the page's afterChange closes the history).
import { $, setText } from './dom.js';

// A history is at most a few thousand epochs of a few numbers: a file far larger is not one.
const MAX_BYTES = 4 * 1024 * 1024;

/** Shows whether a run made elsewhere is on the charts (the engine's `state().outside`). */
export function showHistoryState(state) {
  $('history-back').hidden = !state.outside;
  // Inside the network is the page's own network; a history brings none. (The embed's view
  // has just set it, so only hiding is left here.)
  if (state.outside) $('inside').hidden = true;
}

/** Wires the box, the file chooser, the drop on the box, Diagnose and Back. `shown()` redraws
 *  the page after the engine took a history; `afterChange()` is the page's, for Back. */
export function wireHistory({ handle, guard, shown, afterChange, announce }) {
  // The page's error box (read out) is at its top; the same words go beside the box too.
  const showError = (message) => {
    setText($('history-error'), message);
    $('history-error').hidden = !message;
  };
  new MutationObserver(() => { if ($('error').hidden) showError(''); })
    .observe($('error'), { attributes: true, attributeFilter: ['hidden'] });

  function use(name, text) {
    const classes = $('history-classes').value;
    const valRows = $('history-val-rows').value;
    if (!guard(() => handle().showHistory(name, text, classes, valRows))) {
      showError($('error').textContent);
      return false;
    }
    showError('');
    shown();
    const { outside } = handle().state();
    announce(`${outside.label}: ${outside.epochs} epochs from ${outside.name}, on the charts and diagnosed from its curves alone.`);
    return true;
  }

  async function useFile(file) {
    if (!file) return;
    if (file.size > MAX_BYTES) {
      showError(`${file.name}: ${(file.size / 1048576).toFixed(1)} MB is not a Keras history; a history is loss and val_loss per epoch, a few kB`);
      return;
    }
    let text;
    try {
      text = await file.text();
    } catch (e) {
      showError(`${file.name}: the file could not be read: ${e.message ?? e}`);
      return;
    }
    $('history-text').value = text;
    use(file.name, text);
  }

  $('history-use').addEventListener('click', () => use('pasted text', $('history-text').value));
  const chooser = $('history-file');
  chooser.addEventListener('change', async () => {
    await useFile(chooser.files[0]);
    chooser.value = ''; // the same file, mended, can be chosen again
  });

  // A file dropped on the box is a history, not data to train on: the page's own drop
  // (Your data) must not see it.
  const box = $('history-text');
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  box.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    event.dataTransfer.dropEffect = 'copy';
  });
  box.addEventListener('drop', async (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    document.documentElement.classList.remove('dropping');
    await useFile(event.dataTransfer.files[0]);
  });

  $('history-back').addEventListener('click', () => {
    if (guard(() => handle().closeHistory())) afterChange();
  });
}
