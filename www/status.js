// The transport's status line and progress bar, from the engine's `status()`: what the runs
// are doing (ready, training, paused, finished, stopped…), how far they are and, on long
// runs, how long the rest will take at the measured pace.
import { $, setText } from './dom.js';

// The progress bar is for long work: a run that ends in a second or two needs none.
const LONG_RUN_SECONDS = 5;

export function showStatus(handle) {
  const status = handle.status();
  setText($('status'), status.text);
  $('status').dataset.state = status.state;
  const bar = $('run-progress');
  const working = ['training', 'stopping', 'paused'].includes(status.state);
  const long = status.eta_seconds !== null && status.eta_seconds > LONG_RUN_SECONDS;
  // Once shown, the bar stays until the run ends (an estimate falling under the threshold
  // must not make it blink).
  bar.hidden = !working || (bar.hidden && !long);
  bar.max = Math.max(status.total, 1);
  bar.value = status.done;
  const stop = $('stop');
  stop.hidden = !working;
  stop.disabled = status.state === 'stopping';
  setText($('play'), status.button);
  $('play').setAttribute('aria-pressed', String(status.button === 'Pause'));
  return status;
}
