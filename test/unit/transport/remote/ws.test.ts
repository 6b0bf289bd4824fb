/**
 * WebSocket servers through the host: the fixture bridges each connection (subprotocol "mcp", one message per
 * text frame) to a scripted-server process, so calls, progress, cancel, timeouts and a crash behave as on stdio.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, requestError, waitForState, type Harness } from '../../server/helpers';
import { startWsServer, type WsFixture } from '../../../support/remoteFixtures';

const textOf = (r: { content: readonly { type: string }[] }): string =>
  r.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : `[${c.type}]`)).join('\n');

void describe('remote: WebSocket', () => {
  let ws: WsFixture;
  let refusing: WsFixture;
  let h: Harness;
  before(async () => {
    ws = await startWsServer({ env: { TOOL_COUNT: '3' } });
    refusing = await startWsServer({ protocols: ['not-mcp'] });
    h = createHarness({ settings: { maxMessageBytes: 64 * 1024 } });
  });
  after(async () => {
    await h.close();
    await ws.close();
    await refusing.close();
  });

  void it('lists and calls tools, reports progress, cancels, times out, and shows connection facts', async () => {
    const [s] = await h.add(h.def('ws', [], { type: 'ws', url: ws.url('normal') }));
    await s!.start();
    assert.equal(s!.connectionFacts?.transport, 'WebSocket');
    assert.equal(s!.connectionFacts?.url, ws.url('normal'));
    assert.ok(s!.lists.tools.some((t) => t.name === 't2'), 'every tool listed');
    assert.ok(s!.lists.resources.length > 0 && s!.lists.prompts.length > 0);
    assert.equal(textOf(await s!.callTool('echo', { text: 'frame' })), 'frame');
    const steps: number[] = [];
    await s!.callTool('progress', { count: 3, interval: 20 }, { onProgress: (p) => steps.push(p.progress) });
    // Progress reaches callers at most every 100 ms (#10 finding 9), the last report always delivered.
    assert.equal(steps[0], 1);
    assert.equal(steps.at(-1), 3);
    assert.ok(steps.every((p, i) => i === 0 || p > (steps[i - 1] ?? 0)), `in order: ${steps.join(',')}`);
    const ac = new AbortController();
    const c = s!.callTool('hang', {}, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    assert.equal((await requestError(c)).kind, 'cancelled');
    assert.equal((await requestError(s!.callTool('hang', {}, { timeoutMs: 200 }))).kind, 'timeout');
    assert.equal(textOf(await s!.callTool('echo', { text: 'still' })), 'still');
  });

  void it('a server that closes the socket (its process crashed) is reconnected by the restart policy', async () => {
    const [s] = await h.add(h.def('ws-crash', [], { type: 'ws', url: ws.url('normal') }));
    await s!.start();
    const e = await requestError(s!.callTool('crash', {}));
    assert.equal(e.kind, 'exited');
    assert.match(e.message, /closed the WebSocket \(code 1011/);
    await waitForState(s!, (st) => st.kind === 'running', 5000);
    assert.equal(textOf(await s!.callTool('echo', { text: 'back' })), 'back');
  });

  void it('a frame over the size limit closes the socket with a clear over-limit error', async () => {
    const [s] = await h.add(h.def('ws-big', [], { type: 'ws', url: ws.url('normal') }, undefined));
    await s!.start();
    // The echo comes back in one frame larger than the 64 KiB limit.
    const e = await requestError(s!.callTool('echo', { text: 'y'.repeat(100 * 1024) }));
    assert.match(e.message, /exceeded 0\.06 MiB \(mcpHost\.maxMessageSizeMB\); a WebSocket cannot skip it/);
  });

  void it('a server that does not accept the "mcp" subprotocol is refused at the handshake', async () => {
    const [s] = await h.add(h.def('ws-refused', [], { type: 'ws', url: refusing.url('normal') }));
    const e = await requestError(s!.start());
    assert.equal(e.reason, 'handshake', e.message);
    assert.match(e.message, /subprotocol|handshake/);
  });
});
