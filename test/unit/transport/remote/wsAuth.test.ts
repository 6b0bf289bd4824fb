/**
 * Sign-in on the WebSocket transport (src/core/transport/ws/): a real authorization server and a WebSocket
 * endpoint on 127.0.0.1 that refuses an upgrade without a valid bearer token (test/fixtures/auth/protectedWs.ts).
 * A refused upgrade cannot be retried on its socket, so after a 401 the provider renews (refresh) and the
 * transport upgrades once more on a new socket within the same start, as the HTTP transports retry once.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { transportAuth } from '../../../../src/core/auth/hook';
import { AuthManager } from '../../../../src/core/auth/manager';
import type { TransportError } from '../../../../src/core/transport/errors';
import type { JsonRpcMessage } from '../../../../src/core/transport/types';
import { createWsTransport, type WsTransport } from '../../../../src/core/transport/ws/wsTransport';
import { startAuthServer, type AuthServerFixture } from '../../../fixtures/auth/authServer';
import { startProtectedWs, type ProtectedWsFixture } from '../../../fixtures/auth/protectedWs';
import { recordingLogger } from '../../../support/recordingLogger';
import { MemoryStore, RecordingConsent, followingBrowser } from '../../auth/helpers';

void describe('sign-in: a WebSocket server behind OAuth', () => {
  let as: AuthServerFixture;
  let ws: ProtectedWsFixture;
  let m: AuthManager;
  const open: WsTransport[] = [];

  before(async () => {
    as = await startAuthServer();
    ws = await startProtectedWs({ authorizationServers: [as.issuer], tokenInfo: (t) => as.tokenInfo(t) });
    m = new AuthManager({ serverUrl: ws.url, store: new MemoryStore(), browser: followingBrowser(), consent: new RecordingConsent(), fetch: (u, i) => fetch(u, i), clientMetadataDocumentUrl: null });
  });
  after(async () => {
    await Promise.all(open.map((t) => t.close()));
    m.dispose();
    await Promise.all([as.close(), ws.close()]);
  });

  const transport = () => {
    const t = createWsTransport({ kind: 'ws', url: ws.url, headers: {}, secrets: [], maxMessageBytes: 1 << 20, logger: recordingLogger(200), auth: transportAuth(m) });
    open.push(t);
    return t;
  };
  /** One request over an open transport, answered by the fixture. */
  const call = (t: WsTransport, method: string) =>
    new Promise<JsonRpcMessage>((resolve) => {
      t.onmessage = resolve;
      void t.send({ jsonrpc: '2.0', id: 1, method, params: { name: 'whoami', arguments: {} } });
    });
  const refreshes = () => as.requests.filter((r) => r.params['grant_type'] === 'refresh_token').length;

  void it('a refused upgrade without a token fails the start with "Sign in" and is not retried', async () => {
    await assert.rejects(transport().start(), (e: TransportError) => e.code === 'unauthorized' && e.authRefusal === 'signInNeeded' && /sign in/i.test(e.message));
    assert.deepEqual(ws.upgrades, [{ authorization: '', refused: true }]);
    assert.equal(m.state.kind, 'signInNeeded');
  });

  void it('after signing in the upgrade carries the bearer token', async () => {
    await m.signIn();
    const t = transport();
    await t.start();
    assert.match(ws.upgrades.at(-1)?.authorization ?? '', /^Bearer \S+$/);
    assert.equal(ws.upgrades.at(-1)?.refused, false);
    assert.deepEqual((await call(t, 'tools/call'))['result'], { content: [{ type: 'text', text: 'signed in over WebSocket' }] });
  });

  void it('a 401 to the upgrade (token no longer accepted) is refreshed and the upgrade retried once within the same start', async () => {
    const n = ws.upgrades.length;
    const before = refreshes();
    as.expireAccessTokens();
    const t = transport();
    await t.start();
    const tried = ws.upgrades.slice(n);
    assert.deepEqual(tried.map((u) => u.refused), [true, false]);
    assert.notEqual(tried[1]?.authorization, tried[0]?.authorization, 'the retry carries the refreshed token');
    assert.equal(refreshes(), before + 1);
    assert.deepEqual((await call(t, 'tools/call'))['result'], { content: [{ type: 'text', text: 'signed in over WebSocket' }] });
    assert.equal(m.state.kind, 'signedIn');
  });

  void it('a retry refused again ends the start with "Sign in": no third upgrade, no loop', async () => {
    await m.signIn(); // outside the retry window of the refresh above
    const n = ws.upgrades.length;
    ws.refuseAll = true;
    try {
      await assert.rejects(transport().start(), (e: TransportError) => e.code === 'unauthorized' && e.authRefusal === 'signInNeeded');
      assert.deepEqual(ws.upgrades.slice(n).map((u) => u.refused), [true, true]);
      assert.equal(m.state.kind, 'signInNeeded');
    } finally {
      ws.refuseAll = false;
    }
  });
});
