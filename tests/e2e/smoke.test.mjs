// The page loads, the wasm engine initialises, and nothing leaves the page's origin.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { closeBrowser, openPage } from './harness.mjs';

after(closeBrowser);

test('page loads and the wasm engine initialises, offline and without errors', { timeout: 90_000 }, async () => {
  const p = await openPage();
  try {
    await p.waitForEngine();

    const wasm = p.responses.find((r) => r.url.endsWith('.wasm'));
    assert.ok(wasm, `no .wasm was fetched; requests: ${p.requests.join(', ')}`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.type, 'application/wasm', 'the server must send .wasm as application/wasm');

    await p.screenshot('smoke');
    assert.deepEqual(p.offOriginRequests(), [], 'requests that left the origin');
    assert.deepEqual(p.consoleErrors, [], 'console errors');
    p.assertClean();
  } finally {
    await p.close();
  }
});
