/**
 * The loopback redirect listener (RFC 8252 §7.3): 127.0.0.1 on a port the OS picks, one path, one redirect with
 * the expected state, then closed; closed on timeout, abort and dispose too.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAuthError } from '../../../src/core/auth/errors';
import { LoopbackBrowser } from '../../../src/core/auth/loopback';

const refused = async (url: string) => {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
};

void describe('loopback redirect', () => {
  void it('resolves with the redirect carrying the expected state, ignores strays, then stops listening', async () => {
    let opened: URL | undefined;
    const b = new LoopbackBrowser({ openUrl: (u) => {
        opened = u;
        return Promise.resolve();
      }, timeoutMs: 5000 });
    const r = await b.prepare();
    assert.match(r.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    const waiting = r.waitForRedirect(new URL('https://as.example/authorize'), 'S1');
    assert.equal(opened?.href, 'https://as.example/authorize');
    assert.equal((await fetch(`${r.redirectUri.replace('/callback', '/other')}?state=S1`)).status, 404);
    assert.equal((await fetch(`${r.redirectUri}?code=evil&state=S0`)).status, 400);
    const ok = await fetch(`${r.redirectUri}?code=c1&state=S1&iss=https%3A%2F%2Fas.example`);
    assert.equal(ok.status, 200);
    assert.match(await ok.text(), /close this tab/);
    const url = await waiting;
    assert.equal(url.searchParams.get('code'), 'c1');
    assert.ok(await refused(`${r.redirectUri}?code=c2&state=S1`), 'one-shot: the listener is closed');
  });

  void it('times out, rejecting with redirectTimeout, and closes', async () => {
    const b = new LoopbackBrowser({ openUrl: () => Promise.resolve(), timeoutMs: 100 });
    const r = await b.prepare();
    await assert.rejects(r.waitForRedirect(new URL('https://as.example/a'), 's'), (e) => isAuthError(e, 'redirectTimeout'));
    assert.ok(await refused(r.redirectUri));
  });

  void it('an abort or dispose closes it', async () => {
    const b = new LoopbackBrowser({ openUrl: () => Promise.resolve() });
    const r = await b.prepare();
    const ac = new AbortController();
    const p = r.waitForRedirect(new URL('https://as.example/a'), 's', ac.signal);
    ac.abort();
    await assert.rejects(p, (e) => isAuthError(e, 'redirectTimeout'));
    assert.ok(await refused(r.redirectUri));
    const r2 = await b.prepare();
    r2.dispose();
    assert.ok(await refused(r2.redirectUri));
  });

  void it('a browser that cannot be opened fails the wait at once', async () => {
    const b = new LoopbackBrowser({ openUrl: () => Promise.reject(new Error('no browser')), timeoutMs: 60_000 });
    const r = await b.prepare();
    await assert.rejects(r.waitForRedirect(new URL('https://as.example/a'), 's'), (e) => isAuthError(e, 'redirectTimeout'));
  });
});
