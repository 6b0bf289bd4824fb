/**
 * Every network failure of a remote server gives a clear, coded error (hostile HTTP fixture in this process,
 * real sockets): DNS, refused, TLS, 401/403, 404, 5xx with the body's first line, redirects to another origin,
 * wrong content type, over-limit answers (JSON and SSE), a stream that stops mid-answer, resumption with
 * Last-Event-ID, a server that never answers, an expired session, the GET stream's reconnects.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createHarness, requestError, waitFor, waitForState, type Harness } from '../../server/helpers';
import { freePort, startHostileHttp, type HostileHttp } from '../../../support/remoteFixtures';
import type { ServerEntry } from '../../../../src/core/config/types';

const textOf = (r: { content: readonly { type: string }[] }): string =>
  r.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : `[${c.type}]`)).join('\n');

void describe('remote: hostile HTTP servers', () => {
  let web: HostileHttp & { BIG: number };
  let h: Harness;
  let n = 0;
  before(async () => {
    web = await startHostileHttp();
    h = createHarness({ settings: { maxMessageBytes: 1024 * 1024, initializeTimeoutMs: 1500 }, tuning: { reconnect: { initialMs: 20, maxMs: 100, maxAttempts: 3 } } });
  });
  after(async () => {
    await h.close();
    await web.close();
  });

  const remote = async (url: string, entry: Partial<ServerEntry> = {}) => {
    const [s] = await h.add(h.def(`r${++n}`, [], { type: 'http', url, ...entry }));
    return s!;
  };
  /** The start's error: its reason (a TransportError code) and message. */
  const startFailure = async (url: string, entry: Partial<ServerEntry> = {}) => {
    const s = await remote(url, entry);
    const e = await requestError(s.start());
    assert.equal(s.state.kind, 'error');
    return { reason: e.reason, message: e.message, server: s };
  };

  void it('a healthy server: session id and MCP-Protocol-Version on every later request, DELETE on stop', async () => {
    const s = await remote(`${web.origin}/ok/mcp`);
    await s.start();
    assert.equal(textOf(await s.callTool('echo', { text: 'hi' })), 'hi');
    const mine = web.seen.requests.filter((r) => r.path === '/ok/mcp' && r.method === 'POST');
    const init = mine.find((r) => r.body?.method === 'initialize')!;
    assert.equal(init.headers['mcp-session-id'], undefined);
    assert.match(init.headers.accept ?? '', /application\/json.*text\/event-stream/);
    const later = mine.filter((r) => r.body?.method === 'tools/call');
    assert.ok(later.length > 0);
    for (const r of later) {
      assert.equal(r.headers['mcp-session-id'], s.connectionFacts?.sessionId);
      assert.equal(r.headers['mcp-protocol-version'], s.info?.protocolVersion);
    }
    const sid = s.connectionFacts?.sessionId;
    await s.stop();
    assert.ok(web.seen.deletes.includes(sid), 'the session was DELETEd');
  });

  void it('DNS failure, connection refused and a TLS certificate error each say what failed and what to do', async () => {
    const dns = await startFailure('http://mcp-host-test.invalid/mcp');
    assert.equal(dns.reason, 'dns', dns.message);
    assert.match(dns.message, /cannot find the host mcp-host-test\.invalid/);
    const port = await freePort();
    const refused = await startFailure(`http://127.0.0.1:${port}/mcp`);
    assert.equal(refused.reason, 'refused', refused.message);
    assert.match(refused.message, /connection refused.*check the URL's port/);

    // A self-signed certificate (made now with openssl).
    const dir = fs.mkdtempSync(path.join(h.tmp, 'tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'k.pem'), '-out', path.join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { stdio: 'ignore' });
    const tls = https.createServer({ key: fs.readFileSync(path.join(dir, 'k.pem')), cert: fs.readFileSync(path.join(dir, 'c.pem')) }, (_q, r) => r.end('{}'));
    await new Promise<void>((r) => tls.listen(0, '127.0.0.1', r));
    try {
      const bad = await startFailure(`https://127.0.0.1:${(tls.address() as { port: number }).port}/mcp`);
      assert.equal(bad.reason, 'tls', bad.message);
      assert.match(bad.message, /TLS certificate .* not accepted .*NODE_EXTRA_CA_CERTS/);
    } finally {
      tls.closeAllConnections();
      await new Promise((r) => tls.close(r));
    }
  });

  void it('401 and 403 say the server needs authorisation; 404 and 5xx name the status and the body line', async () => {
    const u = await startFailure(`${web.origin}/status/401/mcp`);
    assert.equal(u.reason, 'unauthorized');
    assert.match(u.message, /this server needs authorisation/);
    const f = await startFailure(`${web.origin}/status/403/mcp`);
    assert.equal(f.reason, 'forbidden');
    assert.match(f.message, /needs authorisation/);
    const nf = await startFailure(`${web.origin}/status/404/mcp`);
    assert.equal(nf.reason, 'notFound');
    assert.match(nf.message, /HTTP 404.*check the URL.*legacy HTTP\+SSE transport failed too/);
    const e = await startFailure(`${web.origin}/status/500/mcp`);
    assert.equal(e.reason, 'serverError');
    assert.match(e.message, /HTTP 500 .*database is down$/);
  });

  void it('a redirect to another origin is not followed and the headers never reach it; same-origin ones are', async () => {
    const before = web.seen.other.length;
    const r = await startFailure(`${web.origin}/redirect/mcp`, { headers: { Authorization: 'Bearer top-secret' } });
    assert.equal(r.reason, 'redirect');
    assert.match(r.message, /redirected to another origin \(http:\/\/localhost:\d+\).*not sent there/);
    assert.equal(web.seen.other.length, before, 'nothing was sent to the other origin');
    const ok = await remote(`${web.origin}/same-redirect/mcp`);
    await ok.start();
    assert.equal(textOf(await ok.callTool('echo', { text: 'moved' })), 'moved');
  });

  void it('the legacy endpoint event naming another origin is refused', async () => {
    const r = await startFailure(`${web.origin}/legacy-cross/sse`, { type: 'sse' });
    assert.equal(r.reason, 'badEndpoint');
    assert.match(r.message, /endpoint on another origin/);
    assert.equal(web.seen.other.length, 0);
  });

  void it('a wrong content type, an answer over the size limit (JSON or SSE) and a stream that stops fail that call only', async () => {
    const html = await remote(`${web.origin}/html/mcp`);
    await html.start();
    const ct = await requestError(html.callTool('echo', {}));
    assert.equal(ct.kind, 'network');
    assert.equal(ct.reason, 'contentType');
    assert.match(ct.message, /Content-Type "text\/html", not JSON or an event stream/);

    for (const route of ['big', 'bigsse']) {
      const big = await remote(`${web.origin}/${route}/mcp`);
      await big.start();
      const t0 = Date.now();
      const e = await requestError(big.callTool('echo', {}));
      assert.equal(e.reason, 'overLimit', `${route}: ${e.message}`);
      assert.match(e.message, /exceeded 1 MiB \(mcpHost\.maxMessageSizeMB\)/);
      assert.ok(Date.now() - t0 < 3000, 'fails at once, not at the timeout');
      assert.equal(big.state.kind, 'running', 'the connection stays usable');
    }

    const cut = await remote(`${web.origin}/cut/mcp`);
    await cut.start();
    const progress: number[] = [];
    const e = await requestError(cut.callTool('echo', {}, { onProgress: (p) => progress.push(p.progress) }));
    assert.equal(e.reason, 'streamEnded');
    assert.match(e.message, /answer stream stopped before the answer to tools\/call/);
    assert.deepEqual(progress, [1], 'what came before the stop was delivered');
    assert.match(cut.connectionFacts?.lastError ?? '', /stream stopped/);
  });

  void it('an answer stream that stops is resumed with Last-Event-ID after the server\'s retry', async () => {
    const s = await remote(`${web.origin}/resume/mcp`);
    await s.start();
    assert.equal(textOf(await s.callTool('echo', {})), 'resumed');
    assert.ok(web.seen.lastEventIds.includes('e1'));
    assert.ok((s.connectionFacts?.reconnects ?? 0) >= 1);
  });

  void it('a server that never answers initialize fails at the initialize timeout', async () => {
    const t0 = Date.now();
    const r = await startFailure(`${web.origin}/hang/mcp`);
    assert.equal(r.reason, 'initializeTimeout');
    assert.ok(Date.now() - t0 < 5000);
  });

  void it('a 404 on the session starts a new session (initialize again) and the server keeps working', async () => {
    const s = await remote(`${web.origin}/expire/mcp`);
    await s.start();
    const first = s.connectionFacts?.sessionId;
    assert.match(textOf(await s.callTool('echo', {})), /call 1/);
    const e = await requestError(s.callTool('echo', {}));
    // Failed by the refused POST or by the transport's end, whichever comes first: both say why.
    assert.match(e.message, /no longer knows this session \(HTTP 404/);
    await waitForState(s, (st) => st.kind === 'running', 5000);
    assert.notEqual(s.connectionFacts?.sessionId, first, 'a new session');
    assert.match(textOf(await s.callTool('echo', {})), /call 1 in s\d+/);
  });

  void it('the GET stream delivers server messages and is reopened with Last-Event-ID, with bounded retries', async () => {
    const s = await remote(`${web.origin}/getstream/mcp`);
    const seenBefore = web.seen.lastEventIds.length;
    await s.start();
    await waitFor(() => web.seen.lastEventIds.length - seenBefore >= 3, 5000, 'three GETs');
    const ids = web.seen.lastEventIds.slice(seenBefore);
    assert.equal(ids[0], undefined, 'the first GET has no Last-Event-ID');
    assert.match(ids[1] ?? '', /^g\d+$/, 'the next ones resume after the last event');
    assert.ok((s.connectionFacts?.reconnects ?? 0) >= 2);
    // A stream that ends after each event keeps being reopened at the server's pace (retry: 50), not in a storm.
    const t0 = Date.now();
    const count0 = web.seen.lastEventIds.length;
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(web.seen.lastEventIds.length - count0 <= 12, `at most ~one GET per 50 ms (${web.seen.lastEventIds.length - count0} in ${Date.now() - t0} ms)`);
    await s.stop();
  });

  void it('a token in the URL query (?api_key=...) is masked in every log line, the connection facts and errors', async () => {
    const token = 'ghp_' + 'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2';
    const name = `r${n + 1}`;
    const s = await remote(`${web.origin}/ok/mcp?api_key=${token}&team=blue`);
    await s.start();
    await s.callTool('echo', { text: 'x' });
    const facts = JSON.stringify(s.connectionFacts);
    await s.stop();
    const failed = await startFailure(`${web.origin}/status/500/mcp?api_key=${token}`);
    const logged = [...h.serverLog(name).lines, ...h.serverLog(failed.server.name).lines, ...h.hostLog.lines].map((l) => l.message).join('\n');
    assert.ok(logged.includes('team=blue'), 'the rest of the URL is shown');
    for (const [what, text] of [['log', logged], ['facts', facts], ['error', failed.message], ['state', JSON.stringify(failed.server.state)]]) {
      assert.ok(!text!.includes(token), `the token is in the ${what}: ${text!.slice(0, 400)}`);
    }
  });

  void it('a GET stream that says retry: 0 and ends after each event is not reopened in a storm', async () => {
    const s = await remote(`${web.origin}/retry0/mcp`);
    const count = () => web.seen.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/retry0/')).length;
    await s.start();
    await waitFor(() => count() >= 2, 5000, 'the GET stream reopened');
    const count0 = count();
    await new Promise((r) => setTimeout(r, 1000));
    const gets = count() - count0;
    await s.stop();
    // The server's retry is honoured down to a floor: a few reopenings per second, not one per round trip.
    assert.ok(gets <= 12, `${gets} GETs in 1 s`);
  });
});
