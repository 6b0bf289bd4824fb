/**
 * The protocol-era probe and the modern era's header hints over Streamable HTTP (hostile HTTP fixture in this
 * process, real sockets): a 4xx to `server/discover` is that request's error answer, so the probe decides at once;
 * a 400 carrying the JSON-RPC error is read as the answer; a modern server gets MCP-Protocol-Version, Mcp-Method and
 * Mcp-Name on every POST.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, requestError, type Harness } from '../../server/helpers';
import { startHostileHttp, type HostileHttp } from '../../../support/remoteFixtures';

const textOf = (r: { content: readonly { type: string }[] }): string =>
  r.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : `[${c.type}]`)).join('\n');

void describe('remote: protocol eras over Streamable HTTP', () => {
  let web: HostileHttp & { BIG: number };
  let h: Harness;
  let n = 0;
  before(async () => {
    web = await startHostileHttp();
    // A long probe timeout: a probe that waited for it would show in the start time.
    h = createHarness({ tuning: { eraProbeTimeoutMs: 10_000 } });
  });
  after(async () => {
    await h.close();
    await web.close();
  });

  const remote = async (route: string) => {
    const name = `e${++n}`;
    const [s] = await h.add(h.def(name, [], { type: 'http', url: `${web.origin}/${route}/mcp` }));
    return { s: s!, name };
  };
  const posts = (route: string, method: string) => web.seen.requests.filter((r) => r.path === `/${route}/mcp` && r.method === 'POST' && r.body?.method === method);

  void it('an HTTP 400 to server/discover is its error answer: legacy at once, then initialize on the same URL', async () => {
    const { s, name } = await remote('discover400');
    const t0 = Date.now();
    await s.start();
    assert.ok(Date.now() - t0 < 5000, `started in ${Date.now() - t0} ms (the probe did not wait for its timeout)`);
    assert.equal(s.info?.era, 'legacy');
    assert.match(h.serverLog(name).text(), /protocol era: legacy \(server\/discover failed with -32603\)/);
    const [probe] = posts('discover400', 'server/discover');
    assert.equal(probe?.headers['mcp-method'], 'server/discover', 'the probe carries the modern headers');
    assert.equal(probe?.headers['mcp-protocol-version'], '2026-07-28');
    assert.equal(posts('discover400', 'initialize').length, 1);
    assert.equal(textOf(await s.callTool('echo', { text: 'hi' })), 'hi');
  });

  void it('an HTTP 400 to a tools/call fails that call with a coded error; the server keeps running', async () => {
    const { s } = await remote('discover400');
    await s.start();
    const e = await requestError(s.callTool('reject', {}));
    assert.equal(e.kind, 'network');
    assert.equal(e.reason, 'httpStatus');
    assert.match(e.message, /HTTP 400 Bad Request: Bad Request: Server not initialized/);
    assert.equal(s.state.kind, 'running');
    assert.equal(textOf(await s.callTool('echo', { text: 'after' })), 'after');
  });

  void it('a 400 whose body is the JSON-RPC error for the probe is read as that answer (-32022 naming only 2025-11-25)', async () => {
    const { s, name } = await remote('modern400');
    await s.start();
    assert.equal(s.info?.era, 'legacy');
    assert.match(h.serverLog(name).text(), /protocol era: legacy \(it supports 2025-11-25\)/);
  });

  void it('a -32022 refusal that names the version the probe sent is tried once more: modern, not "unsupported"', async () => {
    const { s } = await remote('refuseonce');
    await s.start();
    assert.equal(s.info?.era, 'modern');
    assert.equal(s.info?.protocolVersion, '2026-07-28');
    const probes = posts('refuseonce', 'server/discover');
    assert.equal(probes.length, 2, 'one retry');
    assert.notEqual(probes[0]?.body?.id, probes[1]?.body?.id, 'the retry has a new id');
    assert.equal(probes[1]?.headers['mcp-protocol-version'], '2026-07-28');
    const meta = (probes[1]?.body?.params as { _meta?: Record<string, unknown> } | undefined)?._meta;
    assert.equal(meta?.['io.modelcontextprotocol/protocolVersion'], '2026-07-28');
    assert.equal(textOf(await s.callTool('echo', { text: 'after the retry' })), 'after the retry');
  });

  void it('a server that refuses twice with -32022 naming the very version sent is reported as refusing its own version', async () => {
    const { s } = await remote('refusealways');
    const e = await requestError(s.start());
    assert.equal(e.reason, 'versionRefused');
    assert.match(e.message, /refused MCP protocol version 2026-07-28 twice .*although it lists that version as supported/);
    assert.doesNotMatch(e.message, /does not support/, 'not the message for a version MCP Host does not speak');
    assert.equal(s.state.kind, 'error');
    assert.equal(posts('refusealways', 'server/discover').length, 2, 'tried once more, then gave up');
    assert.equal(posts('refusealways', 'initialize').length, 0, 'no legacy fallback: the server named only a modern version');
  });

  void it('over HTTP a slow answer to the probe is waited for (every POST gets an answer): modern, not legacy', async () => {
    // A short probe timeout, as a stdio server would get: an HTTP server's silence is not a legacy signal.
    const quick = createHarness({ tuning: { eraProbeTimeoutMs: 150 } });
    try {
      const [s] = await quick.add(quick.def('slow', [], { type: 'http', url: `${web.origin}/slowdiscover/mcp` }));
      await s!.start();
      assert.equal(s!.info?.era, 'modern');
      assert.equal(posts('slowdiscover', 'initialize').length, 0, 'never fell back to initialize');
      assert.equal(textOf(await s!.callTool('echo', { text: 'slow but modern' })), 'slow but modern');
    } finally {
      await quick.close();
    }
  });

  void it('a modern server gets MCP-Protocol-Version, Mcp-Method and Mcp-Name on every POST', async () => {
    const { s } = await remote('modern');
    await s.start();
    assert.equal(s.info?.era, 'modern');
    assert.equal(textOf(await s.callTool('echo', { text: 'modern' })), 'modern');
    assert.equal(posts('modern', 'initialize').length, 0);
    const [call] = posts('modern', 'tools/call');
    assert.equal(call?.headers['mcp-method'], 'tools/call');
    assert.equal(call?.headers['mcp-name'], 'echo');
    assert.equal(call?.headers['mcp-protocol-version'], '2026-07-28');
    const [list] = posts('modern', 'tools/list');
    assert.equal(list?.headers['mcp-method'], 'tools/list');
  });
});
