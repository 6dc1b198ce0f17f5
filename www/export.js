// Export and share: the charts as PNG (the canvas at the screen's resolution) and SVG, every
// visible run's history as CSV and JSON (with each run's settings and the page's link), the link to this state, and the state as a Python
// script. The engine makes the contents; this module only hands them to the browser.

import { $, copyText } from './dom.js';

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const text = (body, type) => new Blob([body], { type });

/** Wires the Export buttons; `handle()` gives the engine handle, `guard(fn)` runs an engine
 *  call and shows its error in the page. */
export function wireExports(handle, guard) {
  const status = $('export-status');
  const box = $('export-text');
  const stamp = () => new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-');
  for (const chart of ['loss', 'accuracy']) {
    $(`export-${chart}-png`).addEventListener('click', () => {
      $(`${chart}-chart`).toBlob((blob) => {
        if (blob) download(`plateau-${chart}-${stamp()}.png`, blob);
        else status.textContent = `The ${chart} chart could not be turned into a PNG.`;
      }, 'image/png');
    });
    $(`export-${chart}-svg`).addEventListener('click', () => {
      const canvas = $(`${chart}-chart`);
      const width = Math.max(200, Math.min(4000, Math.round(canvas.clientWidth)));
      const height = Math.max(150, Math.min(4000, Math.round(canvas.clientHeight)));
      guard(() => download(`plateau-${chart}-${stamp()}.svg`,
        text(handle().exportSvg(chart, width, height), 'image/svg+xml')));
    });
  }
  $('export-csv').addEventListener('click', () =>
    guard(() => download(`plateau-histories-${stamp()}.csv`, text(handle().exportCsv(location.href), 'text/csv'))));
  $('export-json').addEventListener('click', () =>
    guard(() => download(`plateau-histories-${stamp()}.json`, text(handle().exportJson(location.href), 'application/json'))));
  $('export-link').addEventListener('click', () => {
    box.value = location.href;
    box.rows = 2;
    copyText(box, status);
  });
  $('export-python').addEventListener('click', () => {
    guard(() => {
      box.value = handle().toPython(location.href);
      box.rows = 16;
      copyText(box, status);
    });
  });
}
