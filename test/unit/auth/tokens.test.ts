/**
 * Tokens after sign-in (issue #13): refreshed before expiry and on a 401, a 403 insufficient_scope turned into a
 * step-up for the union of scopes, a revoked grant leading to "sign in" without a loop, tokens bound to their
 * resource, kept across restarts in the SecretStore only, and masked in logs.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secretKey } from '../../../src/core/auth/store';
import type { AuthState } from '../../../src/core/auth/manager';
import { recordingLogger } from '../../support/recordingLogger';
import { request, setup } from './helpers';

const tokenRequests = (s: Awaited<ReturnType<typeof setup>>, grant: string) => s.as.requests.filter((r) => r.path === '/token' && r.params['grant_type'] === grant).length;

void describe('tokens', () => {
  void it('refreshes before expiry (inside the skew), with the resource parameter, and rotates the refresh token', async () => {
    const s = await setup({ accessTokenTtlSec: 30 });
    try {
      const m = s.manager({ refreshSkewMs: 60_000 });
      await request(m, s.rs.url);
      await m.signIn();
      const before = await m.headers(); // 30 s left < 60 s skew: refreshed now
      assert.equal(tokenRequests(s, 'refresh_token'), 1);
      const refreshReq = s.as.requests.find((r) => r.params['grant_type'] === 'refresh_token');
      assert.equal(refreshReq?.params['resource'], s.rs.url);
      assert.equal((await request(m, s.rs.url)).status, 200);
      assert.ok(before['authorization']?.startsWith('Bearer at-'));
    } finally {
      await s.close();
    }
  });

  void it('does not refresh while the token is fresh', async () => {
    const s = await setup({ accessTokenTtlSec: 3600 });
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      await m.headers();
      assert.equal((await request(m, s.rs.url)).status, 200);
      assert.equal(tokenRequests(s, 'refresh_token'), 0);
    } finally {
      await s.close();
    }
  });

  void it('on a 401 for a signed-in server refreshes once and retries', async () => {
    const s = await setup();
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      s.as.expireAccessTokens();
      assert.deepEqual(await request(m, s.rs.url), { status: 200, outcomes: ['retry'] });
      assert.equal(tokenRequests(s, 'refresh_token'), 1);
      assert.equal(m.state.kind, 'signedIn');
    } finally {
      await s.close();
    }
  });

  void it('a revoked refresh token leads to signInNeeded, not a loop (one refresh attempt, no browser)', async () => {
    const s = await setup();
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      const states: AuthState['kind'][] = [];
      m.onDidChangeState((st) => states.push(st.kind));
      s.as.expireAccessTokens();
      s.as.revokeRefreshTokens();
      const r = await request(m, s.rs.url, 10);
      assert.deepEqual(r, { status: 401, outcomes: ['signInNeeded'] });
      assert.equal(tokenRequests(s, 'refresh_token'), 1);
      assert.deepEqual(states, ['signInNeeded']);
      assert.equal(m.state.kind === 'signInNeeded' && m.state.reason, 'expired');
      assert.equal(s.store.map.has(secretKey('tokens', s.rs.url, s.as.issuer)), false, 'the dead tokens are forgotten');
      // Later requests do not hammer the token endpoint either.
      assert.deepEqual(await request(m, s.rs.url, 10), { status: 401, outcomes: ['signInNeeded'] });
      assert.equal(tokenRequests(s, 'refresh_token'), 1);
      assert.equal(s.opened.length, 1, 'no browser opened by itself');
    } finally {
      await s.close();
    }
  });

  void it('an unreachable authorization server on a 401 keeps the refresh token for a later attempt', async () => {
    const s = await setup();
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      s.as.expireAccessTokens();
      await s.as.close();
      assert.deepEqual(await request(m, s.rs.url), { status: 401, outcomes: ['signInNeeded'] });
      assert.equal(m.state.kind === 'signInNeeded' && m.state.lastError?.code, 'network');
      assert.ok(s.store.map.has(secretKey('tokens', s.rs.url, s.as.issuer)), 'the refresh token is kept');
    } finally {
      await s.close();
    }
  });

  void it('a refreshed token that is rejected again gives signInNeeded (bounded retries)', async () => {
    const s = await setup();
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      // The resource now rejects every token: refresh works, but its token is refused too.
      s.rs.server.removeAllListeners('request');
      s.rs.server.on('request', (_req, res) => res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' }).end());
      const r = await request(m, s.rs.url, 10);
      assert.deepEqual(r.outcomes, ['retry', 'signInNeeded']);
      assert.equal(tokenRequests(s, 'refresh_token'), 1);
    } finally {
      await s.close();
    }
  });

  void it('a 403 insufficient_scope asks to sign in again for the union of scopes, then succeeds', async () => {
    const s = await setup({}, { challengeScopes: ['read'] });
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      s.rs.requiredScopes = ['write'];
      assert.deepEqual(await request(m, s.rs.url), { status: 403, outcomes: ['signInNeeded'] });
      assert.deepEqual(m.state, { kind: 'signInNeeded', reason: 'stepUp', scopes: ['read', 'write'] });
      await m.signIn();
      assert.equal(s.opened[1]?.searchParams.get('scope'), 'read write');
      assert.deepEqual(s.consent.asked[1]?.scopes, ['read', 'write'], 'the larger scope is shown before the browser opens');
      assert.deepEqual(s.consent.asked[1]?.previouslyApproved, ['read']);
      assert.equal((await request(m, s.rs.url)).status, 200);
      // A 403 asking for nothing new is forbidden, not another sign-in.
      s.rs.requiredScopes = ['read'];
      s.rs.server.removeAllListeners('request');
      s.rs.server.on('request', (_req, res) => res.writeHead(403, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="read"' }).end());
      assert.deepEqual(await request(m, s.rs.url), { status: 403, outcomes: ['forbidden'] });
    } finally {
      await s.close();
    }
  });

  void it('tokens stay in the SecretStore across restarts and are bound to their server and resource', async () => {
    const s = await setup();
    try {
      const m = s.manager();
      await request(m, s.rs.url);
      await m.signIn();
      const again = s.manager();
      assert.equal((await again.initialize()).kind, 'signedIn');
      assert.equal((await request(again, s.rs.url)).status, 200);
      assert.equal(s.opened.length, 1);
      // Another server (another URL) never gets these tokens.
      const other = s.manager({ serverUrl: `${s.rs.origin}/other` });
      assert.deepEqual(await other.headers(), {});
      // A token record whose resource is another server's is not sent even under this server's key.
      const key = secretKey('tokens', s.rs.url, s.as.issuer);
      const rec = JSON.parse(s.store.map.get(key) ?? '{}') as Record<string, unknown>;
      s.store.map.set(key, JSON.stringify({ ...rec, resource: 'http://127.0.0.1:1/mcp' }));
      const third = s.manager();
      assert.deepEqual(await third.headers(), {});
    } finally {
      await s.close();
    }
  });

  void it('tokens are registered for redaction and never written to the log', async () => {
    const s = await setup();
    try {
      const log = recordingLogger(1000);
      const m = s.manager({ logger: log });
      await request(m, s.rs.url);
      await m.signIn();
      const h = (await m.headers())['authorization'] ?? '';
      const token = h.slice('Bearer '.length);
      const rec = JSON.parse(s.store.map.get(secretKey('tokens', s.rs.url, s.as.issuer)) ?? '{}') as { refreshToken: string };
      assert.equal(s.secrets.mask(`GET with ${h} and ${rec.refreshToken}`), 'GET with Bearer •••••• and ••••••');
      assert.ok(log.lines.length > 0);
      assert.ok(!log.text().includes(token) && !log.text().includes(rec.refreshToken));
    } finally {
      await s.close();
    }
  });
});
