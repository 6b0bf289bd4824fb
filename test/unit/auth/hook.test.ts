/**
 * The auth engine behind the HTTP transport's authorize hook (called only on 401/403; the transport keeps the
 * headers it gets and retries once), against the real fixtures on 127.0.0.1.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { authorizeHook, transportAuth, type TransportAuthorizeHook } from '../../../src/core/auth/hook';
import { setup } from './helpers';

/** What the `http` branch's StreamableHttpTransport.request does with the hook: keep headers, one retry. */
function transport(url: string, hook: TransportAuthorizeHook) {
  let authHeaders: Record<string, string> = {};
  return async (): Promise<number> => {
    const send = (h: Record<string, string>) => fetch(url, { method: 'POST', headers: { ...h, 'content-type': 'application/json' }, body: '{}' });
    let res = await send(authHeaders);
    if (res.status === 401 || res.status === 403) {
      const extra = await hook({ status: res.status, wwwAuthenticate: res.headers.get('www-authenticate') ?? undefined, url });
      if (extra) {
        authHeaders = { ...authHeaders, ...extra };
        res = await send(authHeaders);
      }
    }
    await res.text();
    return res.status;
  };
}

const refreshes = (s: Awaited<ReturnType<typeof setup>>) => s.as.requests.filter((r) => r.params['grant_type'] === 'refresh_token').length;

void describe('authorize hook', () => {
  void it('not signed in: fails (undefined) and the state asks for sign-in; after sign-in the first 401 is answered without a refresh', async () => {
    const s = await setup();
    try {
      const m = s.manager();
      const call = transport(s.rs.url, authorizeHook(m));
      assert.equal(await call(), 401);
      assert.equal(m.state.kind, 'signInNeeded');
      await m.signIn();
      const call2 = transport(s.rs.url, authorizeHook(m)); // a new connection after sign-in
      assert.equal(await call2(), 200);
      assert.equal(await call2(), 200);
      assert.equal(refreshes(s), 0, 'a request without the token is not a rejected token');
    } finally {
      await s.close();
    }
  });

  void it('a rejected current token is refreshed once per window; a refused refresh ends in signInNeeded', async () => {
    const s = await setup();
    try {
      const m = s.manager({ retryWindowMs: 1000 });
      await transport(s.rs.url, authorizeHook(m))();
      await m.signIn();
      const call = transport(s.rs.url, authorizeHook(m));
      assert.equal(await call(), 200);
      s.as.expireAccessTokens();
      assert.equal(await call(), 200);
      assert.equal(refreshes(s), 1);
      // Rejected again at once: that refreshed token is bad, sign in (no second refresh inside the window).
      s.as.expireAccessTokens();
      assert.equal(await call(), 401);
      assert.equal(refreshes(s), 1);
      assert.equal(m.state.kind, 'signInNeeded');
      await m.signIn();
      assert.equal(await call(), 200);
      await new Promise((r) => setTimeout(r, 1100));
      // Expired later (outside the window): refreshed as usual.
      s.as.expireAccessTokens();
      assert.equal(await call(), 200);
      assert.equal(refreshes(s), 2);
      s.as.expireAccessTokens();
      s.as.revokeRefreshTokens();
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal(await call(), 401);
      assert.equal(await call(), 401);
      assert.equal(refreshes(s), 3, 'one more attempt, then no loop');
      assert.equal(m.state.kind, 'signInNeeded');
    } finally {
      await s.close();
    }
  });
});

void describe('transportAuth (headers before each request)', () => {
  void it('a 401 to a request sent with a token replaced meanwhile is answered with the current one, without a refresh or "Sign in"', async () => {
    const s = await setup();
    try {
      const m = s.manager();
      await m.signIn();
      const auth = transportAuth(m);
      const old = (await auth.headers())['authorization'];
      s.as.expireAccessTokens();
      // Two requests carried the old token; the first 401 refreshes it, the second must not count as a rejection.
      const first = await auth.authorize({ status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', url: s.rs.url, sentAuthorization: old });
      assert.ok(first?.['authorization'] && first['authorization'] !== old);
      const second = await auth.authorize({ status: 401, wwwAuthenticate: 'Bearer error="invalid_token"', url: s.rs.url, sentAuthorization: old });
      assert.deepEqual(second, first);
      assert.equal(refreshes(s), 1);
      assert.equal(m.state.kind, 'signedIn');
      assert.equal(auth.refusal(), undefined);
      // A 401 to the current token is a rejection: refreshed once more at most, then "Sign in".
      s.as.revokeRefreshTokens();
      s.as.expireAccessTokens();
      assert.equal(await auth.authorize({ status: 401, wwwAuthenticate: undefined, url: s.rs.url, sentAuthorization: first?.['authorization'] }), undefined);
      assert.equal(auth.refusal(), 'signInNeeded');
    } finally {
      await s.close();
    }
  });
});
