/**
 * The redirect through the editor's URI handler (issue #13), for an extension host that cannot listen on
 * 127.0.0.1: the loopback listener's failure makes the adapter's FallbackBrowser use the URI-handler receiver; the
 * browser is played by fetching the authorization URL and handing its redirect to `deliver`, the way the editor's
 * URI handler does. The real authorization server fixture checks the redirect URI, PKCE and the code; the engine
 * checks `state` and `iss` exactly as for the loopback redirect.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAuthError } from '../../../src/core/auth/errors';
import { LoopbackBrowser } from '../../../src/core/auth/loopback';
import { FallbackBrowser, UriRedirectBrowser } from '../../../src/core/auth/uriRedirect';
import { followingBrowser, request, setup } from './helpers';

/** The editor's callback URI, as asExternalUri leaves it in a desktop window. */
const CALLBACK = 'vscode://mcp-host.mcp-host/oauth-callback';
/** An address this machine does not have (TEST-NET-1): listening on it fails as it does without loopback. */
const UNLISTENABLE = '192.0.2.1';

/** The URI handler's side: what the browser was sent to, and the callbacks handed to `deliver`. */
function editor(opts: { timeoutMs?: number; before?: (location: URL, b: UriRedirectBrowser) => void; open?: boolean } = {}) {
  const opened: URL[] = [];
  const delivered: boolean[] = [];
  const fallbacks: string[] = [];
  const uri: UriRedirectBrowser = new UriRedirectBrowser({
    redirectUri: () => Promise.resolve(CALLBACK),
    timeoutMs: opts.timeoutMs ?? 5000,
    openUrl: async (url) => {
      opened.push(url);
      if (opts.open === false) return;
      const res = await fetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      if (res.status !== 302 || !location) throw new Error(`authorize answered ${res.status}`);
      const back = new URL(location);
      opts.before?.(back, uri);
      // The editor receives `vscode://…/oauth-callback?code=…&state=…&iss=…` and the adapter passes it on.
      delivered.push(uri.deliver(back));
    },
  });
  const loopback = new LoopbackBrowser({ openUrl: () => Promise.reject(new Error('not this way')), listenHost: () => UNLISTENABLE });
  const browser = new FallbackBrowser(loopback, uri, (e) => fallbacks.push(e.code));
  return { browser, uri, opened, delivered, fallbacks };
}

void describe('sign-in through the URI handler when 127.0.0.1 cannot be listened on', () => {
  void it('falls back, registers the editor callback, completes with PKCE and resource; requests then carry the token', async () => {
    const s = await setup({}, { challengeScopes: ['read'] });
    try {
      const e = editor();
      const m = s.manager({ browser: e.browser });
      assert.equal((await request(m, s.rs.url)).status, 401);
      await m.signIn();
      assert.deepEqual(e.fallbacks, ['redirectUnavailable']);
      assert.equal(m.state.kind, 'signedIn');
      assert.deepEqual(s.as.registered.map((c) => c.redirectUris), [[CALLBACK]]);
      assert.equal(e.opened[0]?.searchParams.get('redirect_uri'), CALLBACK);
      assert.deepEqual(e.delivered, [true]);
      const token = s.as.requests.find((r) => r.path === '/token');
      assert.equal(token?.params['redirect_uri'], CALLBACK, 'the token request names the same redirect');
      assert.equal(token?.params['resource'], s.rs.url);
      assert.equal(e.uri.waiting, 0, 'nothing left waiting');
      assert.deepEqual(await request(m, s.rs.url), { status: 200, outcomes: [] });
      // A refresh (no browser step) uses the client registered for the editor callback.
      s.as.expireAccessTokens();
      assert.deepEqual(await request(m, s.rs.url), { status: 200, outcomes: ['retry'] });
      assert.equal(s.as.registered.length, 1);
      // A late or repeated callback completes nothing.
      assert.equal(e.uri.deliver(new URL(`${CALLBACK}?code=x&state=${e.opened[0]?.searchParams.get('state') ?? ''}`)), false);
    } finally {
      await s.close();
    }
  });

  void it('a callback with another state is ignored; the right one completes the waiting sign-in', async () => {
    const s = await setup();
    try {
      const strays: boolean[] = [];
      const e = editor({
        before: (back, b) => {
          const forged = new URL(back.href);
          forged.searchParams.set('state', 'not-the-state');
          forged.searchParams.set('code', 'forged-code');
          strays.push(b.deliver(forged), b.deliver(new URL(`${CALLBACK}?code=no-state`)));
        },
      });
      const m = s.manager({ browser: e.browser });
      await request(m, s.rs.url);
      await m.signIn();
      assert.deepEqual(strays, [false, false]);
      assert.equal(m.state.kind, 'signedIn');
      assert.ok(!s.as.requests.some((r) => r.params['code'] === 'forged-code'), 'the forged code was never exchanged');
    } finally {
      await s.close();
    }
  });

  void it('the issuer (RFC 9207 iss) is checked as for the loopback redirect', async () => {
    const s = await setup({ iss: 'wrong' });
    try {
      const e = editor();
      const m = s.manager({ browser: e.browser });
      await request(m, s.rs.url);
      await assert.rejects(m.signIn(), (err) => isAuthError(err, 'issuerResponseMismatch'));
      assert.deepEqual(e.delivered, [true]);
      assert.ok(!s.as.requests.some((r) => r.path === '/token'), 'no token request after a wrong iss');
    } finally {
      await s.close();
    }
  });

  void it('a registration made for the loopback redirect is replaced when the sign-in goes through the URI handler', async () => {
    const s = await setup();
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      assert.equal(s.as.registered.length, 1);
      assert.match(s.as.registered[0]?.redirectUris[0] ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      const e = editor();
      await s.manager({ browser: e.browser }).signIn();
      assert.equal(s.as.registered.length, 2, 'registered again for the editor callback');
      assert.deepEqual(s.as.registered[1]?.redirectUris, [CALLBACK]);
      // Back on loopback: the stored registration holds the editor callback only, so loopback registers again; a
      // later loopback sign-in (another port) reuses that one (RFC 8252 §7.3: the port does not matter).
      await s.manager({ browser: followingBrowser(s.opened) }).signIn();
      await s.manager({ browser: followingBrowser(s.opened) }).signIn();
      assert.equal(s.as.registered.length, 3);
    } finally {
      await s.close();
    }
  });

  void it('times out, is cancelled by abort and dispose, and holds one sign-in per state', async () => {
    const b = new UriRedirectBrowser({ redirectUri: () => Promise.resolve(CALLBACK), openUrl: () => Promise.resolve(), timeoutMs: 100 });
    const r1 = await b.prepare();
    await assert.rejects(r1.waitForRedirect(new URL('https://as.example/a'), 'S1'), (e) => isAuthError(e, 'redirectTimeout'));
    assert.equal(b.waiting, 0);
    const slow = new UriRedirectBrowser({ redirectUri: () => Promise.resolve(CALLBACK), openUrl: () => Promise.resolve(), timeoutMs: 60_000 });
    const ac = new AbortController();
    const r2 = await slow.prepare();
    const p2 = r2.waitForRedirect(new URL('https://as.example/a'), 'S2', ac.signal);
    const r3 = await slow.prepare();
    await assert.rejects(r3.waitForRedirect(new URL('https://as.example/a'), 'S2'), (e) => isAuthError(e, 'stateMismatch'), 'a second waiter for one state');
    ac.abort();
    await assert.rejects(p2, (e) => isAuthError(e, 'redirectTimeout'));
    assert.equal(slow.deliver(new URL(`${CALLBACK}?code=c&state=S2`)), false, 'cancelled: nothing waits');
    const r4 = await slow.prepare();
    const p4 = r4.waitForRedirect(new URL('https://as.example/a'), 'S4');
    r4.dispose();
    await assert.rejects(p4, (e) => isAuthError(e, 'redirectTimeout'));
    assert.equal(slow.waiting, 0);
    // Two sign-ins at once (two servers): each callback reaches its own.
    const [ra, rb] = [await slow.prepare(), await slow.prepare()];
    const pa = ra.waitForRedirect(new URL('https://as.example/a'), 'A');
    const pb = rb.waitForRedirect(new URL('https://as.example/b'), 'B');
    assert.equal(slow.deliver(new URL(`${CALLBACK}?code=cb&state=B`)), true);
    assert.equal(slow.deliver(new URL(`${CALLBACK}?code=ca&state=A`)), true);
    assert.equal((await pa).searchParams.get('code'), 'ca');
    assert.equal((await pb).searchParams.get('code'), 'cb');
  });

  void it('the loopback listener that cannot listen reports redirectUnavailable; other failures do not switch', async () => {
    const lb = new LoopbackBrowser({ openUrl: () => Promise.resolve(), listenHost: () => UNLISTENABLE });
    await assert.rejects(lb.prepare(), (e) => isAuthError(e, 'redirectUnavailable'));
    const failing = { prepare: () => Promise.reject(new Error('asExternalUri failed')) };
    const used: string[] = [];
    const fb = new FallbackBrowser(failing, { prepare: () => (used.push('fallback'), Promise.reject(new Error('unused'))) });
    await assert.rejects(fb.prepare(), /asExternalUri failed/);
    assert.deepEqual(used, []);
  });
});
