/**
 * Remote servers through the host against the reference server (server-everything) in its Streamable HTTP and
 * legacy SSE modes on 127.0.0.1: lists, tools, resources, prompts, progress, cancel, timeout, and `type: http`
 * falling back to SSE. No mock: real HTTP, a real server process, stopped by each suite.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHarness, requestError, type Harness } from '../../server/helpers';
import { startEverything, type RunningEverything } from '../../../support/remoteFixtures';
import type { ServerHandle } from '../../../../src/core/server/types';

const textOf = (r: { content: readonly { type: string }[] }): string =>
  r.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : `[${c.type}]`)).join('\n');

async function exercise(server: ServerHandle, expectTransport: string): Promise<void> {
  await server.start();
  assert.equal(server.state.kind, 'running');
  assert.equal(server.pid, undefined, 'a remote server has no process');
  const facts = server.connectionFacts;
  assert.ok(facts, 'connection facts are shown instead of a pid');
  assert.equal(facts.transport, expectTransport);
  // Tree data: every list came over the network.
  const names = server.lists.tools.map((t) => t.name);
  assert.ok(names.includes('echo') && names.includes('trigger-long-running-operation'), names.join(', '));
  assert.ok(server.lists.resources.length > 0, 'resources listed');
  assert.ok(server.lists.prompts.some((p) => p.name === 'simple-prompt'), 'prompts listed');

  assert.equal(textOf(await server.callTool('echo', { message: 'über the wire' })), 'Echo: über the wire');
  const uri = server.lists.resources[0]!.uri;
  const read = await server.readResource(uri);
  assert.equal(read.contents[0]?.uri, uri);
  const prompt = await server.getPrompt('simple-prompt', {});
  assert.ok(prompt.messages.length > 0);

  // Progress arrives while the call runs (on the answer's event stream).
  const steps: number[] = [];
  await server.callTool('trigger-long-running-operation', { duration: 0.6, steps: 3 }, { onProgress: (p) => steps.push(p.progress) });
  assert.deepEqual(steps, [1, 2, 3]);

  // Cancel and timeout work as for stdio: the call fails at once with its kind.
  const ac = new AbortController();
  const cancelled = server.callTool('trigger-long-running-operation', { duration: 5, steps: 5 }, { signal: ac.signal });
  setTimeout(() => ac.abort(), 100);
  assert.equal((await requestError(cancelled)).kind, 'cancelled');
  const t0 = Date.now();
  const timedOut = await requestError(server.callTool('trigger-long-running-operation', { duration: 5, steps: 1 }, { timeoutMs: 300 }));
  assert.equal(timedOut.kind, 'timeout');
  assert.ok(Date.now() - t0 < 3000);
  // Still usable after both.
  assert.equal(textOf(await server.callTool('echo', { message: 'again' })), 'Echo: again');
}

void describe('remote: server-everything over Streamable HTTP', () => {
  let everything: RunningEverything;
  let h: Harness;
  before(async () => {
    everything = await startEverything('streamableHttp');
    h = createHarness();
  });
  after(async () => {
    await h.close();
    await everything.stop();
  });

  void it('lists, calls a tool, reads a resource, gets a prompt, reports progress, cancels and times out', async () => {
    const [server] = await h.add(h.def('everything-http', [], { type: 'http', url: everything.url }));
    await exercise(server!, 'Streamable HTTP');
    const facts = server!.connectionFacts!;
    assert.match(facts.sessionId ?? '', /^[0-9a-f-]{36}$/, 'the session id is kept');
    assert.equal(facts.url, everything.url);
    await server!.stop();
    assert.match(everything.output(), /session termination request/, 'stop DELETEs the session');
  });
});

void describe('remote: server-everything over legacy HTTP+SSE', () => {
  let everything: RunningEverything;
  let h: Harness;
  before(async () => {
    everything = await startEverything('sse');
    h = createHarness();
  });
  after(async () => {
    await h.close();
    await everything.stop();
  });

  void it('type "sse" works like a local server', async () => {
    const [server] = await h.add(h.def('everything-sse', [], { type: 'sse', url: everything.url }));
    await exercise(server!, 'HTTP+SSE (legacy)');
  });

  void it('type "http" falls back to SSE when the POST of initialize gets a 4xx', async () => {
    const [server] = await h.add(h.def('everything-fallback', [], { type: 'http', url: everything.url }));
    await server!.start();
    assert.equal(server!.connectionFacts?.transport, 'HTTP+SSE (legacy)');
    assert.equal(textOf(await server!.callTool('echo', { message: 'old' })), 'Echo: old');
    assert.ok(h.serverLog('everything-fallback').lines.some((l) => /trying the legacy HTTP\+SSE transport/.test(l.message)));
  });
});
