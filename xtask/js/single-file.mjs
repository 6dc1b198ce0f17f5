// `cargo xtask dist --single-file`: turns a built site folder into one HTML file that works
// opened from disk (file://) and uploaded to an LMS as a single file. esbuild bundles the page's
// modules and the wasm bytes into one module script; the stylesheet is inlined; the page's
// Content-Security-Policy keeps 'self' out of script-src (a file has no origin to trust) and
// admits exactly this inline script by its SHA-256 hash.
//
// usage: node single-file.mjs SITE_DIR OUT_FILE
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const [site, out] = process.argv.slice(2);
if (!site || !out) {
  console.error('usage: node single-file.mjs SITE_DIR OUT_FILE');
  process.exit(2);
}

// A copy of the site whose wasm-source.js hands the glue the bytes instead of a URL.
const work = mkdtempSync(path.join(tmpdir(), 'plateau-single-'));
try {
  cpSync(site, work, { recursive: true });
  writeFileSync(path.join(work, 'wasm-source.js'),
    "import bytes from './pkg/plateau_bg.wasm';\nexport const wasmSource = bytes;\n");
  const bundle = await build({
    entryPoints: [path.join(work, 'app.js')],
    bundle: true,
    format: 'esm',
    write: false,
    minify: true,
    loader: { '.wasm': 'binary' },
    logLevel: 'warning',
  });
  // `</script` inside the code would end the element early.
  const script = bundle.outputFiles[0].text.replaceAll('</script', '<\\/script');
  const hash = createHash('sha256').update(script).digest('base64');

  let html = readFileSync(path.join(site, 'index.html'), 'utf8');
  const css = readFileSync(path.join(site, 'style.css'), 'utf8');
  const replaceOnce = (pattern, replacement, what) => {
    if (!pattern.test(html)) throw new Error(`index.html: no ${what} to replace`);
    html = html.replace(pattern, () => replacement);
  };
  replaceOnce(/<script type="module" src="app\.js"><\/script>/, '', 'app.js script tag');
  replaceOnce(/<link rel="stylesheet" href="style\.css">/, `<style>\n${css}</style>`, 'stylesheet link');
  replaceOnce(/<link rel="icon"[^>]*>/, '', 'favicon link');
  replaceOnce(/script-src 'self'/, `script-src 'sha256-${hash}'`, "CSP script-src 'self'");
  // The module runs after parsing either way; at the end of the body it reads most naturally.
  replaceOnce(/<\/body>/, `<script type="module">${script}</script>\n</body>`, '</body>');
  writeFileSync(out, html);
  console.log(`${out}: ${(Buffer.byteLength(html) / 1024).toFixed(1)} KiB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
