// "Your data": a CSV file of the student's own, chosen, dropped on the page or pasted. The
// engine reads and checks it (its errors name the line, the column and the value); this module
// only carries the text, keeps it in this browser's IndexedDB under the hash the link names
// (`data=NAME@HASH12`), so a reload finds it, and shows what the engine says of it.
import { $, setText } from './dom.js';

const DB_NAME = 'plateau-files';
const STORE = 'files';
// The engine takes 10,000 rows × 100 features; a file far larger is refused before it is read.
const MAX_BYTES = 16 * 1024 * 1024;

function openDb() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') { reject(new Error('this browser has no IndexedDB')); return; }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'hash' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function withStore(mode, work) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const storeFile = (record) => withStore('readwrite', (s) => s.put(record));
const storedFile = (hash) => withStore('readonly', (s) => s.get(hash));

// The file a link's hash names: `data=NAME@HASH12` → the hash, or null.
function linkedHash(hash) {
  const match = /(?:^|[#&])data=([^&]*)/.exec(hash);
  if (!match) return null;
  let value = match[1];
  try { value = decodeURIComponent(value.replace(/\+/g, ' ')); } catch { /* the engine says why */ }
  const at = value.lastIndexOf('@');
  return at < 0 ? null : value.slice(at + 1).toLowerCase();
}

/** Before a link is applied: the file it names, from IndexedDB, given to the engine (a reload,
 *  or a link opened again in this browser). Where it is not stored the engine says so. */
export async function restoreLinkedFile(handle, hash) {
  const wanted = linkedHash(hash);
  if (!wanted) return;
  try {
    const record = await storedFile(wanted);
    if (record) handle.addDataFile(record.name, record.text);
  } catch (e) {
    console.warn(`Your data: the stored file could not be read (${e.message ?? e})`);
  }
}

// A built-in dataset a link names, fetched from the site's datasets/ folder (set by wireOwnData)
// and the hash of the one under way, so that each is fetched once.
let fetchDataset = null;
let fetching = null;

/** Shows the engine's state of the file: its summary, and the dataset controls it sets. */
export function showOwnData(state) {
  const file = state.data_file;
  const wanted = state.wanted_file;
  const summary = $('data-summary');
  if (wanted?.dataset_file && fetchDataset && fetching !== wanted.hash) {
    fetching = wanted.hash;
    fetchDataset(wanted).finally(() => { fetching = null; });
  }
  // A link's file this browser does not have is asked for here too, once its notice is gone.
  const text = file?.summary ?? (wanted?.dataset_file
    ? `Fetching the dataset ${wanted.name}…`
    : wanted ? `This link used your file ${wanted.name}; choose it to continue` : '');
  const choice = $('dataset-choice');
  const dataset = /(?:^|[#&])dataset=([^&]*)/.exec(location.hash)?.[1] ?? '';
  if (document.activeElement !== choice) choice.value = file || wanted ? dataset : '';
  summary.hidden = !text;
  setText(summary, text);
  $('data-clear').hidden = !file;
  const samples = $('samples');
  samples.disabled = Boolean(file);
  samples.title = file ? `Set by your file ${file.name}: choose "Use generated data" to change it` : '';
  // The workers' line would be untrue meanwhile: this line replaces it.
  $('engine-note').hidden = Boolean(file);
  setText($('engine-file-note'), file
    ? "Training on this page's own thread while your file is used (the background workers take generated data only)."
    : '');
}

/** Wires the file chooser, the drop on the page, the pasted text and "Use generated data".
 *  `load(name, text, target)` returns the notices of a link that waited for the file, or
 *  null when the engine refused it (its error is shown and the page keeps its data). */
export function wireOwnData({ handle, guard, afterChange, showNotices, showError: showPageError }) {
  // The page's error box is at its top, out of sight from this control on a long page: the
  // same words go beside the control too (the box at the top is the one read out).
  const showError = (message) => {
    showPageError(message);
    setText($('data-error'), message);
    $('data-error').hidden = !message;
  };
  // A later change clears the page's error box, and this copy with it.
  new MutationObserver(() => { if ($('error').hidden) $('data-error').hidden = true; })
    .observe($('error'), { attributes: true, attributeFilter: ['hidden'] });
  // `keep`: whether to keep the text in this browser for a reload (a built-in dataset is
  // fetched again instead).
  async function use(name, text, target = $('data-target').value, keep = true) {
    let notices = null;
    if (!guard(() => { notices = handle().loadDataFile(name, text, target); })) {
      showError($('error').textContent);
      return false;
    }
    showError('');
    const file = handle().state().data_file;
    showNotices(notices);
    afterChange();
    if (file && keep) {
      try {
        await storeFile({ hash: file.hash, name: file.name, text });
      } catch (e) {
        showNotices([`Your file could not be kept in this browser (${e.message ?? e}): a reload will ask for it again.`]);
      }
    }
    return true;
  }

  // Whether the file was taken.
  async function useFile(file) {
    if (!file) return false;
    if (file.size > MAX_BYTES) {
      showError(`data: the file ${file.name} is ${(file.size / 1048576).toFixed(0)} MB; the page takes at most 10,000 rows × 100 features`);
      return false;
    }
    let text;
    try {
      text = await file.text();
    } catch (e) {
      showError(`data: the file ${file.name} could not be read: ${e.message ?? e}`);
      return false;
    }
    return use(file.name, text);
  }

  // A built-in dataset: fetched from the site, read with its own target column.
  fetchDataset = async (wanted) => {
    try {
      const response = await fetch(`datasets/${wanted.dataset_file}`);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await use(wanted.name, await response.text(), '', false);
    } catch (e) {
      showError(`dataset: ${wanted.name} could not be fetched from datasets/${wanted.dataset_file} (${e.message ?? e}); the single-file page carries no datasets: open the site instead`);
    }
  };
  $('dataset-choice').addEventListener('change', (event) => {
    const name = event.target.value;
    if (name) location.hash = `dataset=${name}`;
  });

  const chooser = $('data-file');
  chooser.addEventListener('change', async () => {
    // After a refusal the chooser is emptied, so the same file, mended, can be chosen again.
    if (!(await useFile(chooser.files[0]))) chooser.value = '';
  });
  $('data-paste-use').addEventListener('click', () => use('pasted.csv', $('data-paste').value));
  $('data-clear').addEventListener('click', () => {
    showError('');
    if (guard(() => handle().clearDataFile())) afterChange();
    chooser.value = '';
  });

  // A file dropped anywhere on the page.
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragover', (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    document.documentElement.classList.add('dropping');
  });
  document.addEventListener('dragleave', (event) => {
    if (!event.relatedTarget) document.documentElement.classList.remove('dropping');
  });
  document.addEventListener('drop', async (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    document.documentElement.classList.remove('dropping');
    await useFile(event.dataTransfer.files[0]);
  });
}
