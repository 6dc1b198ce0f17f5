// "Paste your history": Keras's own history of the article's overfit run, pasted or dropped,
// is drawn on the page's charts as one run and diagnosed as `plateau diagnose` diagnoses the
// same file; a bad history is refused with the parser's words while the playground trains on;
// any change returns to the page's own runs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { axeViolations, CLI, closeBrowser, curvePixels, ensureCli, openPage, ROOT } from './harness.mjs';

before(ensureCli);
after(closeBrowser);

// Made by TensorFlow and Keras (tests/fixtures/gen_keras_history.py): the overfit preset's
// history.history as json.dumps prints it, and its CSVLogger file.
const JSON_FILE = path.join(ROOT, 'tests/fixtures/keras/history_overfit.json');
const CSV_FILE = path.join(ROOT, 'tests/fixtures/keras/history_overfit.csv');

// A short run of the page's own, so the playground has something to go back to quickly.
const SETTINGS = '#samples=100&epochs=40&hidden=16&batch-size=16';

const diagnose = (...args) => JSON.parse(execFileSync(CLI, ['diagnose', ...args, '--json'], { encoding: 'utf8' }));

// The page's panel says what the CLI says of the same file: the same diagnosis object (the
// CLI's has the answer's keys merged in, as `run --json` does) and the same answer.
function assertSameDiagnosis(panel, cli) {
  for (const [key, value] of Object.entries(panel.diagnosis)) {
    assert.deepEqual(value, cli.diagnosis[key], `diagnosis.${key}`);
  }
  assert.equal(panel.answer, cli.diagnosis.answer);
  assert.deepEqual(panel.answers, cli.diagnosis.answers);
  assert.equal(panel.answer_text, cli.diagnosis.answer_text);
  assert.ok(cli.diagnosis.causes.length > 0, 'the overfit run has a cause');
}

const shown = (page) => page.waitForFunction(() => {
  const h = window.plateau?.handle();
  return h && h.state().outside && window.plateau.drawn();
}, null, { timeout: 30_000 });

// What the panel's list shows: each cause's title, badge and Keras line.
const causeTexts = (page) => page.$$eval('#causes li', (items) => items.map((li) => ({
  id: li.dataset.cause,
  keras: li.querySelector('.keras-fix')?.hidden ? null : li.querySelector('.keras-fix code').textContent,
  verdict: li.querySelector('.verdict').textContent,
})));

test('a pasted Keras history is drawn as one run and diagnosed as plateau diagnose does', async () => {
  const p = await openPage(SETTINGS);
  const { page } = p;
  await p.waitForEngine();
  await page.click('#history-paste summary');
  assert.match(await page.textContent('#history-paste .python-line'), /^print\(json\.dumps\(history\.history\)\)$/);
  await page.fill('#history-text', readFileSync(JSON_FILE, 'utf8'));
  await page.click('#history-use');
  await shown(page);

  const pixels = await page.evaluate(curvePixels);
  assert.equal(pixels.length, 2);
  assert.ok(pixels.every((n) => n > 50), `both charts draw the run's training curve: ${pixels}`);
  const [history] = await page.evaluate(() => window.plateau.handle().histories());
  const cli = diagnose(JSON_FILE);
  assert.deepEqual(history, cli.history, 'the curves are the file\'s');
  const panel = await page.evaluate(() => window.plateau.handle().panel());
  assertSameDiagnosis(panel, cli);
  assert.deepEqual(panel.runs, ['your run']);

  const causes = await causeTexts(page);
  assert.deepEqual(causes.map((c) => c.id), cli.diagnosis.causes.map((c) => c.id));
  assert.deepEqual(causes.map((c) => c.keras), cli.diagnosis.causes.map((c) => c.keras_fix));
  assert.ok(causes.every((c) => c.verdict === 'a suspicion: no model here to test it'), JSON.stringify(causes));
  assert.equal(await page.textContent('#experiments-text'), cli.note, 'the honest line');
  const note = await page.textContent('#outside-note');
  assert.ok(cli.unknowns && note.includes(cli.unknowns), note);
  assert.equal(await page.textContent('#play'), 'Back to the playground');
  assert.equal(await page.textContent('#figures tbody td'), 'your run');
  assert.deepEqual(await axeViolations(page), [], 'the page with a pasted history');
  p.assertClean();
  await p.close();
});

test('a dropped CSVLogger file with what is known, then any change returns to the playground', async () => {
  const p = await openPage(SETTINGS);
  const { page } = p;
  await p.waitForEngine();
  await page.click('#history-paste summary');
  await page.fill('#history-classes', '2');
  await page.fill('#history-val-rows', '20');
  const drop = await page.evaluateHandle((text) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], 'training.log.csv', { type: 'text/csv' }));
    return transfer;
  }, readFileSync(CSV_FILE, 'utf8'));
  await page.dispatchEvent('#history-text', 'drop', { dataTransfer: drop });
  await shown(page);
  const panel = await page.evaluate(() => window.plateau.handle().panel());
  assertSameDiagnosis(panel, diagnose(CSV_FILE, '--classes', '2', '--val-rows', '20'));
  assert.equal(await page.evaluate(() => window.plateau.handle().state().data_file), null, 'not taken as data');
  assert.match(await page.textContent('#status'), /training\.log\.csv/);

  // A control changed: the page's own run (with the change) is back and trains.
  await page.selectOption('#optimizer', 'sgd');
  await page.waitForFunction(() => {
    const h = window.plateau.handle();
    return !h.state().outside && h.epoch() >= 2;
  }, null, { timeout: 30_000 });
  assert.equal(await page.isHidden('#outside-note'), true);
  assert.notEqual(await page.textContent('#play'), 'Back to the playground');
  p.assertClean();
  await p.close();
});

test('a bad history says what the parser says, and the playground trains on', async () => {
  const p = await openPage(SETTINGS);
  const { page } = p;
  await p.waitForEngine();
  await page.waitForFunction(() => window.plateau.handle().epoch() >= 2);
  await page.click('#history-paste summary');
  const cliError = (text) => {
    const o = spawnSync(CLI, ['diagnose', '-'], { input: text, encoding: 'utf8' });
    assert.notEqual(o.status, 0);
    return o.stderr.trim().replace(/^error: -: /, '');
  };
  for (const text of ['', 'epoch,loss\n0,0.7\n1,0.6\n', "{'loss': [0.7, 0.6], 'val_loss': [0.7, 0.7]}", 'epoch,loss,val_loss\n0,0.7,nope\n1,0.6,0.6\n']) {
    await page.fill('#history-text', text);
    await page.click('#history-use');
    await page.waitForFunction(() => !document.getElementById('history-error').hidden);
    const error = await page.textContent('#history-error');
    assert.equal(error, `pasted text: ${cliError(text)}`);
    assert.equal(await page.textContent('#error'), error, 'in the page\'s alert too');
    assert.equal(await page.evaluate(() => window.plateau.handle().state().outside), null);
  }
  // Classes out of range: the field is named.
  await page.fill('#history-text', readFileSync(JSON_FILE, 'utf8'));
  await page.fill('#history-classes', '11');
  await page.click('#history-use');
  assert.match(await page.textContent('#history-error'), /^classes: '11' is not a whole number from 2 to 10/);
  // The playground kept its run, and trains the next change.
  assert.equal(await page.evaluate(() => window.plateau.handle().status().state === 'outside'), false);
  await page.selectOption('#optimizer', 'rmsprop');
  await page.waitForFunction(() => {
    const h = window.plateau.handle();
    return h.state().settings.optimizer === 'rmsprop' && h.epoch() >= 2;
  }, null, { timeout: 30_000 });
  assert.deepEqual(await axeViolations(page), [], 'the page with an error');
  p.assertClean();
  await p.close();
});
