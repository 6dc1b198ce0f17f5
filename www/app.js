// PLACEHOLDER for tooling: replaced by the real page at merge.
import init, { engine_version } from './pkg/plateau.js';

await init();
document.getElementById('version').textContent = engine_version();
// Browser tests wait for this: the wasm engine has initialised.
document.documentElement.dataset.engine = 'ready';
