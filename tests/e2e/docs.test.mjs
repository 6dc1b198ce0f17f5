// Documentation that is tested: every page link the README and docs/*.md show a teacher (an
// iframe's `src`, a backticked `#key=value…` hash, a `#preset=NAME` with the names listed after
// it) opens the page without a notice or an error, and a named preset opens that preset.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT, closeBrowser, openReady } from './harness.mjs';

after(closeBrowser);

/** The Markdown files a teacher reads: README.md and docs/*.md. */
function docs() {
  const files = [path.join(ROOT, 'README.md')];
  const dir = path.join(ROOT, 'docs');
  if (existsSync(dir)) {
    for (const name of readdirSync(dir).sort()) {
      if (name.endsWith('.md')) files.push(path.join(dir, name));
    }
  }
  return files;
}

/**
 * The page states a Markdown text links to, as `{ hash, preset, where }`: iframe `src`
 * fragments, and backticked hashes with at least one `key=value`. A `NAME` placeholder is
 * expanded with the backticked names that follow "one of" in the same paragraph.
 */
export function pageLinks(text, file) {
  const links = [];
  const paragraphs = text.split(/\n\s*\n/);
  for (const paragraph of paragraphs) {
    const where = `${path.basename(file)}: ${paragraph.trim().split('\n')[0].slice(0, 60)}`;
    for (const m of paragraph.matchAll(/<iframe[^>]*\ssrc="[^"#]*(#[^"]*)"/g)) {
      links.push({ hash: m[1], where });
    }
    for (const m of paragraph.matchAll(/`(#[^`\s]*=[^`\s]*)`/g)) {
      const hash = m[1];
      if (!hash.includes('NAME')) {
        links.push({ hash, where });
        continue;
      }
      const list = paragraph.slice(m.index).match(/one of ((?:`[^`]+`(?:,\s*|\s+and\s+|\s*))+)/);
      assert.ok(list, `${where}: ${hash} has a NAME but no "one of" list of names after it`);
      for (const [, name] of list[1].matchAll(/`([^`]+)`/g)) {
        links.push({ hash: hash.replace('NAME', name), preset: name, where });
      }
    }
  }
  return links;
}

test('the link finder reads iframes, hashes and NAME lists', () => {
  const text = 'Embed:\n<iframe src="https://x/plateau/#preset=overfit" width="1"></iframe>\n\n'
    + '`#preset=NAME` opens one of `a`, `b-c`; any other key is a setting (`#samples=10&lr=1`).\n\n'
    + 'A heading link [x](#embedding) and `#anchor` are not page states.';
  assert.deepEqual(pageLinks(text, 'README.md').map(({ hash, preset }) => [hash, preset]), [
    ['#preset=overfit', undefined], ['#preset=a', 'a'], ['#preset=b-c', 'b-c'], ['#samples=10&lr=1', undefined],
  ]);
});

test('every page link in README.md and docs/*.md opens without a notice', async () => {
  const links = docs().flatMap((file) => pageLinks(readFileSync(file, 'utf8'), file));
  assert.ok(links.length >= 8, `found only ${links.length} page links in the docs`);
  for (const { hash, preset, where } of links) {
    const p = await openReady(hash);
    const shown = await p.page.evaluate(() => ({
      notice: document.getElementById('notice').hidden
        ? [] : [...document.querySelectorAll('#notice-list li')].map((li) => li.textContent),
      error: document.getElementById('error').hidden ? '' : document.getElementById('error').textContent,
      preset: window.plateau.handle().state().preset,
    }));
    assert.deepEqual(shown.notice, [], `${hash} (${where}) shows a notice`);
    assert.equal(shown.error, '', `${hash} (${where}) shows an error`);
    if (preset) assert.equal(shown.preset, preset, `${hash} (${where}) opens ${preset}`);
    p.assertClean();
    await p.close();
  }
  console.log(`docs: ${links.length} page links opened: ${links.map((l) => l.hash).join(' ')}`);
});
