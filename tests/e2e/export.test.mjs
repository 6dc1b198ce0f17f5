// Export and share: the downloads hold what the page shows, and Copy as Python / Copy link
// put the right text in front of the student.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, test } from 'node:test';
import { closeBrowser, openReady } from './harness.mjs';

after(closeBrowser);

async function downloaded(page, buttonId) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`#${buttonId}`)]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

test('PNG, SVG, CSV and JSON downloads hold the charts and every visible run', { timeout: 120_000 }, async () => {
  const p = await openReady('#samples=100&epochs=12&hidden=16');
  try {
    const { page } = p;
    await page.waitForFunction(() => window.plateau.idle() && !window.plateau.handle().training(0));
    await page.evaluate(() => { location.hash = 'samples=100&epochs=12&hidden=16&lr=0.01'; });
    await page.waitForFunction(() => window.plateau.idle() && !window.plateau.handle().training(0));
    await page.click('#export summary');

    const png = await downloaded(page, 'export-loss-png');
    assert.match(png.name, /^plateau-loss-.*\.png$/);
    assert.deepEqual([...png.bytes.subarray(1, 4)], [...Buffer.from('PNG')]);
    const [width, height] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
    const canvas = await page.evaluate(() => {
      const c = document.getElementById('loss-chart');
      return [c.width, c.height];
    });
    assert.deepEqual([width, height], canvas, 'the PNG is the canvas at its backing resolution');

    const svg = (await downloaded(page, 'export-accuracy-svg')).bytes.toString();
    assert.ok(svg.startsWith('<svg') && svg.includes('Accuracy') && svg.includes('polyline'));

    // A hash change from the address bar starts a new experiment: one run, 12 epochs.
    const csv = (await downloaded(page, 'export-csv')).bytes.toString().trim().split('\n');
    assert.equal(csv[0], 'run,faded,seed,epoch,loss,accuracy,val_loss,val_accuracy,settings,link');
    const history = await page.evaluate(() => window.plateau.handle().histories()[0]);
    const current = csv.slice(1).filter((row) => row.startsWith('"current run",false,0,'));
    assert.equal(current.length, 12);
    assert.deepEqual(current[11].split(',').slice(4, 8).map(Number),
      ['loss', 'accuracy', 'val_loss', 'val_accuracy'].map((k) => history[k][11]));

    const json = JSON.parse((await downloaded(page, 'export-json')).bytes.toString());
    assert.equal(json.at(-1).run, 'current run');
    assert.deepEqual(json.at(-1).histories[0].val_accuracy, history.val_accuracy);
    // Each run says what was trained, and the page it came from.
    const url = await page.evaluate(() => location.href);
    assert.equal(json.at(-1).link, url);
    const settings = new URLSearchParams(json.at(-1).settings);
    assert.deepEqual(['samples', 'epochs', 'hidden', 'lr'].map((k) => settings.get(k)),
      ['100', '12', '16', '0.01'], json.at(-1).settings);
    assert.ok(current[11].endsWith(`"${json.at(-1).settings}","${url}"`), current[11]);
    p.assertClean();
  } finally {
    await p.close();
  }
});

test('Copy as Python shows the script for the current state, and Copy link the address', { timeout: 60_000 }, async () => {
  const p = await openReady('#samples=300&hidden=64,8&optimizer=sgd&lr=0.05&distort=true&standardize=false');
  try {
    const { page } = p;
    await page.click('#export summary');
    await page.click('#export-python');
    const script = await page.inputValue('#export-text');
    assert.match(script, /make_classification\(n_samples=300,/);
    assert.match(script, /\nX\[:, 0\] \*= 100\.0/);
    assert.match(script, /# scaler = StandardScaler/);
    assert.match(script, /layers\.Dense\(64, activation="relu"\),\n {4}layers\.Dense\(8,/);
    assert.match(script, /keras\.optimizers\.SGD\(learning_rate=0\.05\)/);
    assert.ok(script.includes(page.url()), 'the script quotes the link that reopens the state');
    assert.notEqual(await page.textContent('#export-status'), '');
    await page.click('#export-link');
    assert.equal(await page.inputValue('#export-text'), page.url());
    p.assertClean();
  } finally {
    await p.close();
  }
});
