// "Your data": a CSV file chosen (and dropped) on the page trains bit for bit as
// `plateau run --data` trains it, its link names it (data=NAME@HASH12), a reload finds it in
// IndexedDB, a fresh browser asks for it, and a bad file is named by line and column while the
// page keeps its run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { axeViolations, CLI, ensureCli, launchBrowser, openPage } from './harness.mjs';

before(ensureCli);


const SETTINGS = '#epochs=6&hidden=8&batch-size=16&lr=0.01';

// 120 rows of three features and a 0/1 label that depends on them.
function csv() {
  const rows = ['width,height,age,label'];
  for (let i = 0; i < 120; i += 1) {
    const [a, b, c] = [i % 7, (i * 3) % 11, (i * 5) % 13];
    rows.push(`${a}.5,${b},${c},${a + b > 8 ? 1 : 0}`);
  }
  return `${rows.join('\n')}\n`;
}
const TEXT = csv();
const HASH12 = createHash('sha256').update(TEXT).digest('hex').slice(0, 12);
// Line 4 has a word in column 'height'.
const BAD = TEXT.split('\n').map((line, i) => (i === 3 ? line.replace(/,\d+,/, ',tall,') : line)).join('\n');

let dir;
let file;
let bad;
const browsers = [];

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'plateau-owndata-'));
  file = path.join(dir, 'own.csv');
  bad = path.join(dir, 'bad.csv');
  await writeFile(file, TEXT);
  await writeFile(bad, BAD);
});
after(async () => { for (const b of browsers) await b.close(); });

async function browser() {
  const b = await launchBrowser();
  browsers.push(b);
  return b;
}

// `plateau run --data FILE --json` for the page's hash: the file's rows and features are left
// to the file, as the CLI asks.
function nativeRunOnFile(hash, data = file) {
  const args = ['run', '--json', '--seeds=0', `--data=${data}`];
  for (const pair of hash.split('&')) {
    const [key, value = ''] = pair.split('=');
    if (['samples', 'features', 'informative', 'classes', 'data'].includes(key)) continue;
    if (key === 'distort' || key === 'standardize') args.push(value === 'true' ? `--${key}` : `--no-${key}`);
    else args.push(`--${key}=${decodeURIComponent(value)}`);
  }
  return JSON.parse(execFileSync(CLI, args, { encoding: 'utf8' }));
}

const finished = (page) => page.waitForFunction(() => {
  const h = window.plateau?.handle();
  return h && !h.training(0) && h.epoch() > 0;
}, null, { timeout: 60_000 });

const ready = (page) => page.waitForFunction(() => document.documentElement.dataset.engine === 'ready', null, { timeout: 60_000 });

test('a chosen file trains as the CLI trains it, its link names it, and a reload finds it', async () => {
  const b = await browser();
  const p = await openPage(SETTINGS, { browser: b });
  const { page } = p;
  await ready(page);
  await page.setInputFiles('#data-file', file);
  await page.waitForFunction(() => !document.getElementById('data-summary').hidden);
  const summary = await page.textContent('#data-summary');
  assert.match(summary, /^own\.csv: 120 rows × 3 features, target 'label' \(/);
  assert.match(await page.textContent('.own-data'), /Nothing is uploaded: the file stays in this browser\./);
  assert.equal(await page.isDisabled('#samples'), true);
  assert.match(await page.getAttribute('#samples', 'title'), /Set by your file own\.csv/);
  assert.deepEqual(await axeViolations(page), [], 'the page with a file');
  const hash = await page.evaluate(() => location.hash.slice(1));
  assert.ok(hash.includes(`&data=own.csv@${HASH12}`), hash);
  await finished(page);
  const [history] = await page.evaluate(() => window.plateau.handle().histories());
  assert.deepEqual(history, nativeRunOnFile(hash).history, 'the page and plateau run --data differ');
  assert.equal(history.loss.length, 6);

  // A reload: the file comes back from IndexedDB, with the link's settings.
  await page.reload();
  await ready(page);
  assert.equal(await page.evaluate(() => location.hash.slice(1)), hash);
  assert.equal(await page.isHidden('#notice'), true);
  assert.equal(await page.textContent('#data-summary'), summary);
  await finished(page);
  const [again] = await page.evaluate(() => window.plateau.handle().histories());
  assert.deepEqual(again, history);

  // A bad file: the error names the line, the column and the value; the run stays.
  await page.setInputFiles('#data-file', bad);
  await page.waitForFunction(() => !document.getElementById('error').hidden);
  const error = await page.textContent('#error');
  assert.match(error, /bad\.csv/);
  assert.match(error, /line 4/);
  assert.match(error, /'height'/);
  assert.match(error, /tall/);
  assert.equal(await page.textContent('#data-error'), error, 'beside the control too');
  assert.equal(await page.textContent('#data-summary'), summary);
  assert.equal(await page.evaluate(() => location.hash.slice(1)), hash);
  const [kept] = await page.evaluate(() => window.plateau.handle().histories());
  assert.deepEqual(kept, history, 'the chart keeps its run');

  // Three classes train too, with a softmax output, bit for bit as the CLI trains the file.
  const three = path.join(dir, 'three.csv');
  await writeFile(three, TEXT.split('\n').map((line, i) => (i > 0 && line ? line.replace(/,[01]$/, `,${i % 3}`) : line)).join('\n'));
  await page.setInputFiles('#data-file', three);
  await page.waitForFunction(() => document.getElementById('data-summary').textContent.startsWith('three.csv'));
  assert.match(await page.textContent('#data-summary'), /^three\.csv: 120 rows × 3 features, target 'label' \(.*2.*\)/);
  await finished(page);
  const threeHash = await page.evaluate(() => location.hash.slice(1));
  const [threeHistory] = await page.evaluate(() => window.plateau.handle().histories());
  const native = nativeRunOnFile(threeHash, three);
  assert.deepEqual(threeHistory, native.history, 'three classes: the page and the CLI differ');
  // Its validation confusion matrix under the figures is the CLI's, rows the true class.
  await page.waitForSelector('#confusion:not([hidden])');
  const cells = await page.$$eval('#confusion tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  const { classes, counts } = native.confusion;
  assert.deepEqual(cells, [['true ↓ predicted →', ...classes], ...counts.map((row, i) => [classes[i], ...row.map(String)])]);
  assert.deepEqual(await axeViolations(page), [], 'the page with its confusion matrix');

  // Back to generated data: the controls and the link forget the file.
  await page.click('#data-clear');
  assert.equal(await page.isHidden('#data-summary'), true);
  assert.equal(await page.isHidden('#data-error'), true);
  assert.equal(await page.isDisabled('#samples'), false);
  assert.ok(!(await page.evaluate(() => location.hash)).includes('data='));

  // Pasted text is taken like a file.
  await page.click('.data-paste summary');
  await page.fill('#data-paste', TEXT);
  await page.click('#data-paste-use');
  await page.waitForFunction(() => document.getElementById('data-summary').textContent.startsWith('pasted.csv:'));
  assert.ok((await page.evaluate(() => location.hash)).includes(`data=pasted.csv@${HASH12}`));
  await page.click('#data-clear');

  // A file dropped on the page is taken like a chosen one.
  await page.evaluate((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    document.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, TEXT);
  await page.waitForFunction(() => document.getElementById('data-summary').textContent.startsWith('dropped.csv:'));
  assert.ok((await page.evaluate(() => location.hash)).includes(`data=dropped.csv@${HASH12}`));
  p.assertClean();
});

test('a link opened in a fresh browser asks for its file and goes on once it is chosen', async () => {
  const link = `${SETTINGS.slice(1)}&data=own.csv@${HASH12}`;
  const b = await browser();
  const p = await openPage(link, { browser: b });
  const { page } = p;
  await ready(page);
  await page.waitForFunction(() => !document.getElementById('notice').hidden);
  assert.match(await page.textContent('#notice'), /This link used your file own\.csv; choose it to continue/);
  const waiting = await page.evaluate(() => window.plateau.handle().state());
  assert.equal(waiting.settings.data, undefined);
  assert.equal(waiting.wanted_file.name, 'own.csv');
  assert.equal(await page.textContent('#data-summary'), 'This link used your file own.csv; choose it to continue');
  await page.setInputFiles('#data-file', file);
  await page.waitForFunction(() => document.getElementById('data-summary').textContent.startsWith('own.csv:'));
  assert.equal(await page.isHidden('#notice'), true);
  const settings = await page.evaluate(() => window.plateau.handle().state().settings);
  assert.equal(settings.epochs, 6, "the link's settings");
  assert.equal(settings.learning_rate, 0.01);
  assert.ok((await page.evaluate(() => location.hash)).includes(`data=own.csv@${HASH12}`));
  await finished(page);
  p.assertClean();
});
