/**
 * Sign-in on the legacy HTTP+SSE transport (src/core/transport/sse/): a real authorization server and a legacy
 * endpoint behind the bearer check on 127.0.0.1 (test/fixtures/auth/), both the GET of the event stream and the
 * POSTs checked. A 401 shows "Sign in"; after signing in the stream and every POST carry the bearer token; a token
 * the server stops accepting is refreshed on the 401 (of a POST, or of the GET) and the request retried once.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerHandle } from '../../../../src/core/server/types';
import { startAuthServer, type AuthServerFixture } from '../../../fixtures/auth/authServer';
import { protectedSse, type ProtectedSse } from '../../../fixtures/auth/protectedSse';
import { startResourceServer, type ResourceServerFixture } from '../../../fixtures/auth/resourceServer';
import { MemoryStore, RecordingConsent, followingBrowser } from '../../auth/helpers';
import { createHarness, requestError, type Harness } from '../../server/helpers';

const textOf = (r: { content: readonly { type: string }[] }): string => r.content.map((c) => ('text' in c ? String(c.text) : '')).join('');

void describe('sign-in: a legacy HTTP+SSE server behind OAuth', () => {
  let as: AuthServerFixture;
  let rs: ResourceServerFixture;
  let sse: ProtectedSse;
  let h: Harness;
  let s: ServerHandle;
  const consent = new RecordingConsent();

  before(async () => {
    as = await startAuthServer();
    sse = protectedSse();
    rs = await startResourceServer({ authorizationServers: [as.issuer], tokenInfo: (t) => as.tokenInfo(t), serve: sse.serve, challengeScopes: ['mcp'] });
    h = createHarness({ authServices: { store: new MemoryStore(), browser: followingBrowser(), consent, fetch: (u, i) => fetch(u, i) }, settings: { initializeTimeoutMs: 5000 } });
    [s] = (await h.add(h.def('guarded-sse', [], { type: 'sse', url: rs.url }))) as [ServerHandle];
  });
  after(async () => {
    await h.close();
    await Promise.all([as.close(), rs.close()]);
  });

  const refreshes = () => as.requests.filter((r) => r.params['grant_type'] === 'refresh_token').length;
  const since = (n: number) => rs.requests.slice(n);

  void it('a 401 to the GET of the stream shows "Sign in", with nothing sent to the authorization server', async () => {
    const e = await requestError(s.start());
    assert.equal(e.reason, 'unauthorized', e.message);
    assert.match(e.message, /the GET of the event stream.*sign in/i);
    assert.deepEqual(s.state, { kind: 'stopped', reason: 'needsSignIn' });
    assert.deepEqual(rs.requests, [{ method: 'GET', authorization: '', refused: 401 }], 'one refused GET, no retry without a token');
    assert.equal(as.requests.length, 0);
    assert.equal(sse.streams(), 0);
  });

  void it('after signing in the GET stream and every POST carry the bearer token', async () => {
    await s.auth!.signIn();
    assert.equal(consent.asked.length, 1);
    const n = rs.requests.length;
    await s.start();
    assert.equal(s.state.kind, 'running');
    assert.equal(s.connectionFacts?.transport, 'HTTP+SSE (legacy)');
    assert.equal(textOf(await s.callTool('whoami', {})), 'signed in over SSE');
    const sent = since(n);
    assert.equal(sent[0]?.method, 'GET');
    assert.ok(sent.filter((r) => r.method === 'POST').length >= 3, JSON.stringify(sent));
    for (const r of sent) {
      assert.match(r.authorization, /^Bearer \S+$/, `${r.method} carries the token`);
      assert.equal(r.refused, undefined);
    }
    assert.ok(sse.methods.includes('initialize') && sse.methods.includes('tools/call'), sse.methods.join(','));
  });

  void it('a POST refused with 401 (token no longer accepted) is refreshed and retried once with the new token', async () => {
    const n = rs.requests.length;
    const before = refreshes();
    const old = rs.requests.at(-1)?.authorization;
    as.expireAccessTokens();
    assert.equal(textOf(await s.callTool('whoami', {})), 'signed in over SSE');
    assert.equal(refreshes(), before + 1);
    assert.equal(as.registered.length, 1, 'the refresh uses the registered client');
    const posts = since(n).filter((r) => r.method === 'POST');
    assert.deepEqual(posts.map((r) => r.refused), [401, undefined], JSON.stringify(posts));
    assert.equal(posts[0]?.authorization, old);
    assert.match(posts[1]?.authorization ?? '', /^Bearer \S+$/);
    assert.notEqual(posts[1]?.authorization, old, 'retried with the refreshed token');
    assert.equal(s.state.kind, 'running', 'the stream stayed open');
    assert.equal(s.auth?.state.kind, 'signedIn');
  });

  void it('a GET of the stream refused with 401 is refreshed and retried once; a revoked sign-in goes back to "Sign in"', async () => {
    await s.stop();
    // A fresh sign-in: the token refreshed just now is inside the manager's retry window (a second 401 to it
    // within 30 s means "sign in", by design).
    await s.auth!.signIn();
    as.expireAccessTokens();
    const before = refreshes();
    const n = rs.requests.length;
    await s.start();
    assert.equal(s.state.kind, 'running');
    const gets = since(n).filter((r) => r.method === 'GET');
    assert.deepEqual(gets.map((r) => r.refused), [401, undefined], JSON.stringify(gets));
    assert.notEqual(gets[1]?.authorization, gets[0]?.authorization);
    assert.equal(refreshes(), before + 1);
    // Revoked (after a fresh sign-in): one refresh attempt, refused, then "Sign in" (no loop).
    await s.stop();
    await s.auth!.signIn();
    as.expireAccessTokens();
    as.revokeRefreshTokens();
    const m = rs.requests.length;
    const e = await requestError(s.start());
    assert.equal(e.reason, 'unauthorized', e.message);
    assert.deepEqual(s.state, { kind: 'stopped', reason: 'needsSignIn' });
    assert.equal(refreshes(), before + 2);
    assert.deepEqual(since(m).map((r) => [r.method, r.refused]), [['GET', 401]], 'one refused GET, no retry with a token the server refused');
  });
});
