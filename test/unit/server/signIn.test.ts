/**
 * A remote MCP server behind OAuth, end to end through the engine (registry -> server -> Streamable HTTP transport
 * -> AuthManager): a real authorization server and a protected MCP endpoint on 127.0.0.1 (test/fixtures/auth/),
 * the browser step completed by following the authorization redirect into the real loopback listener.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { maskingLogger, SecretSet } from '../../../src/core/auth/secretSet';
import type { ServerHandle } from '../../../src/core/server/types';
import { startAuthServer, type AuthServerFixture } from '../../fixtures/auth/authServer';
import { protectedMcp, type ProtectedMcp } from '../../fixtures/auth/protectedMcp';
import { startResourceServer, type ResourceServerFixture } from '../../fixtures/auth/resourceServer';
import { MemoryStore, RecordingConsent, followingBrowser } from '../auth/helpers';
import { createHarness, recordingLogger, requestError, type Harness } from './helpers';

const textOf = (r: { content: readonly { type: string }[] }): string => r.content.map((c) => ('text' in c ? String(c.text) : '')).join('');

void describe('sign-in: a remote server behind OAuth', () => {
  let as: AuthServerFixture;
  let rs: ResourceServerFixture;
  let mcp: ProtectedMcp;
  let h: Harness;
  const store = new MemoryStore();
  const consent = new RecordingConsent();
  const opened: URL[] = [];
  const secrets = new SecretSet();
  let s: ServerHandle;

  before(async () => {
    as = await startAuthServer();
    mcp = protectedMcp();
    rs = await startResourceServer({ authorizationServers: [as.issuer], tokenInfo: (t) => as.tokenInfo(t), serve: mcp.serve, challengeScopes: ['mcp'] });
    h = createHarness({ authServices: { store, browser: followingBrowser(opened), consent, secrets, fetch: (u, i) => fetch(u, i) }, settings: { initializeTimeoutMs: 5000 } });
    [s] = (await h.add(h.def('guarded', [], { type: 'http', url: rs.url }))) as [ServerHandle];
  });
  after(async () => {
    await h.close();
    await Promise.all([as.close(), rs.close()]);
  });

  const tokenRequests = (grant: string) => as.requests.filter((r) => r.path.endsWith('/token') && r.params['grant_type'] === grant).length;
  const stored = () => [...store.map.values()].join('\n');
  const logs = () => [h.hostLog.text(), h.serverLog('guarded').text()].join('\n');

  void it('a 401 shows "Sign in" (stopped, needsSignIn) and asks nothing of anyone until the user signs in', async () => {
    for (let i = 0; i < 2; i++) {
      const e = await requestError(s.start());
      assert.equal(e.reason, 'unauthorized', e.message);
      assert.match(e.message, /sign in/i);
      assert.deepEqual(s.state, { kind: 'stopped', reason: 'needsSignIn' });
      assert.equal(s.auth?.state.kind, 'signInNeeded');
    }
    // No discovery, no consent, no browser: a 401 alone never reaches an authorization server.
    assert.equal(as.requests.length, 0);
    assert.equal(consent.asked.length, 0);
    assert.equal(opened.length, 0);
    // One refused POST per start: no retry loop.
    assert.deepEqual(rs.seen, ['', '']);
  });

  void it('after signing in the server starts, its tools list and every request carries the bearer token', async () => {
    await s.auth!.signIn();
    assert.equal(consent.asked.length, 1);
    assert.equal(consent.asked[0]?.authorizationServerOrigin, new URL(as.issuer).origin);
    assert.deepEqual(consent.asked[0]?.scopes, ['mcp']);
    assert.equal(opened.length, 1);
    assert.equal(s.auth?.state.kind, 'signedIn');
    const before = rs.seen.length;
    await s.start();
    assert.equal(s.state.kind, 'running');
    assert.deepEqual(s.lists.tools.map((t) => t.name), ['whoami']);
    assert.equal(textOf(await s.callTool('whoami', {})), 'signed in');
    const sent = rs.seen.slice(before);
    assert.ok(sent.length >= 3, String(sent.length));
    for (const a of sent) assert.match(a, /^Bearer \S+$/);
    assert.ok(mcp.methods.includes('tools/list'));
  });

  void it('an access token the server stops accepting is refreshed on the 401 and the request retried', async () => {
    const refreshes = tokenRequests('refresh_token');
    as.expireAccessTokens();
    assert.equal(textOf(await s.callTool('whoami', {})), 'signed in');
    assert.equal(tokenRequests('refresh_token'), refreshes + 1);
    assert.equal(s.auth?.state.kind, 'signedIn');
  });

  void it('more scopes asked with 403 insufficient_scope: a coded "unauthorized" (stepUp), "Sign in" for the larger scope', async () => {
    rs.requiredScopes = ['mcp', 'admin'];
    try {
      const e = await requestError(s.callTool('whoami', {}));
      assert.equal(e.reason, 'unauthorized', e.message);
      assert.match(e.message, /more permissions/);
      assert.deepEqual(s.auth?.state, { kind: 'signInNeeded', reason: 'stepUp', scopes: ['mcp', 'admin'] });
    } finally {
      rs.requiredScopes = [];
    }
    await s.auth!.signIn();
    assert.deepEqual(consent.asked.at(-1)?.previouslyApproved, ['mcp']);
    assert.equal(textOf(await s.callTool('whoami', {})), 'signed in');
  });

  void it('a revoked sign-in leads back to "Sign in" after one refresh attempt, not to a loop', async () => {
    as.revokeRefreshTokens();
    as.expireAccessTokens();
    const refreshes = tokenRequests('refresh_token');
    const e = await requestError(s.callTool('whoami', {}));
    assert.equal(e.reason, 'unauthorized', e.message);
    assert.equal(s.auth?.state.kind, 'signInNeeded');
    const again = await requestError(s.callTool('whoami', {}));
    assert.equal(again.reason, 'unauthorized');
    assert.equal(tokenRequests('refresh_token'), refreshes + 1);
  });

  void it('sign out forgets tokens and the registered client; the next start shows "Sign in" again', async () => {
    await s.auth!.signIn();
    await s.restart();
    assert.equal(s.state.kind, 'running');
    const token = /^Bearer (\S+)$/.exec(rs.seen.at(-1) ?? '')?.[1];
    assert.ok(token);
    assert.ok(stored().includes(token), 'the token is kept in the secret store');
    // The token is registered for redaction: a logger masking with the set (as the extension's are) never writes it.
    const masked = recordingLogger();
    maskingLogger(masked, secrets).warn(`Authorization: Bearer ${token}`);
    assert.equal(masked.text(), 'Authorization: Bearer ••••••');
    assert.ok(!logs().includes(token), 'no token in the logs');
    await s.auth!.signOut();
    assert.equal(s.auth?.state.kind, 'signedOut');
    assert.equal(store.map.size, 0, [...store.map.keys()].join(', '));
    await s.stop();
    await requestError(s.start());
    assert.deepEqual(s.state, { kind: 'stopped', reason: 'needsSignIn' });
    assert.ok(!logs().includes(token));
  });
});

void describe('sign-in: refresh before expiry reaches the wire', () => {
  void it('a token about to expire is refreshed before each request, so the server never sees it refused', async () => {
    const as = await startAuthServer({ accessTokenTtlSec: 30 });
    const mcp = protectedMcp();
    const rs = await startResourceServer({ authorizationServers: [as.issuer], tokenInfo: (t) => as.tokenInfo(t), serve: mcp.serve });
    const store = new MemoryStore();
    const h = createHarness({ authServices: { store, browser: followingBrowser(), consent: new RecordingConsent(), fetch: (u, i) => fetch(u, i) } });
    try {
      const [s] = (await h.add(h.def('early', [], { type: 'http', url: rs.url }))) as [ServerHandle];
      await requestError(s.start());
      await s.auth!.signIn();
      const issued = [...store.map.values()].map((v) => /"accessToken":"([^"]+)"/.exec(v)?.[1]).find((t) => t !== undefined);
      assert.ok(issued);
      const seenBefore = rs.seen.length;
      await s.start();
      const sent = rs.seen.slice(seenBefore);
      // 30 s left is inside the default 60 s skew: refreshed before the first request, not after a 401.
      assert.ok(as.requests.some((r) => r.params['grant_type'] === 'refresh_token'));
      assert.ok(!sent.includes(`Bearer ${issued}`), 'the expiring token was not sent');
      assert.ok(mcp.methods.includes('initialize'));
      // While running too: each request asks for the current headers, so it carries the token refreshed just before.
      await s.callTool('whoami', {});
      const current = [...store.map.values()].map((v) => /"accessToken":"([^"]+)"/.exec(v)?.[1]).find((t) => t !== undefined);
      assert.equal(rs.seen.at(-1), `Bearer ${current}`);
      assert.notEqual(rs.seen.at(-1), sent[0]);
    } finally {
      await h.close();
      await Promise.all([as.close(), rs.close()]);
    }
  });
});
