/**
 * Protocol-level behaviour of a server connection, against a raw JSON-RPC fixture that misbehaves on purpose
 * (test/fixtures/protocol/scripted-server.mjs): timeouts and cancellation, progress, crashes mid-call, error
 * answers, unknown requests and ids, pagination and cursor cycles, list_changed storms, lenient tool lists.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServerRequestError } from '../../../src/core/protocol/errors';
import type { ServerHandle } from '../../../src/core/server/types';
import { createHarness, recorded, waitFor, waitForState, type Harness } from '../server/helpers';

function rejectsWith(p: Promise<unknown>, check: (e: ServerRequestError) => void): Promise<void> {
  return p.then(
    () => assert.fail('expected a rejection'),
    (e: unknown) => {
      assert.ok(e instanceof ServerRequestError, `expected ServerRequestError, got ${String(e)}`);
      check(e);
    },
  );
}

void describe('mcp protocol against a scripted server', () => {
  let h: Harness;
  let s: ServerHandle | undefined;
  let record: string;

  before(async () => {
    h = createHarness();
    record = path.join(h.tmp, 'record.jsonl');
    [s] = await h.add(h.scripted('proto', 'normal', { RECORD_FILE: record, SERVER_TAG: '' }));
  });
  after(() => h.close());

  void it('starts on first use and keeps server info, instructions and capabilities', async () => {
    assert.equal(s!.state.kind, 'stopped');
    const r = await s!.callTool('echo', { text: 'hi' });
    assert.equal(s!.state.kind, 'running');
    assert.deepEqual(r.content, [{ type: 'text', text: 'hi' }]);
    assert.equal(s!.info?.serverInfo.name, 'scripted');
    assert.equal(s!.info?.instructions, 'Use echo.');
    assert.ok(s!.info?.capabilities.tools);
    assert.match(s!.info?.protocolVersion ?? '', /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(s!.pid && s!.pid > 0);
    assert.match(s!.commandLine ?? '', /scripted-server\.mjs normal$/);
  });

  void it('lists tools leniently: no description and an invalid input schema are kept with warnings', () => {
    const names = s!.lists.tools.map((t) => t.name);
    assert.ok(names.includes('nodesc') && names.includes('badschema') && names.includes('echo'));
    assert.deepEqual(s!.lists.tools.find((t) => t.name === 'badschema')?.inputSchema, { type: 'object' });
    const w = s!.lists.warnings.join('\n');
    assert.match(w, /tool "nodesc" has no description/);
    assert.match(w, /tool "badschema" has an invalid input schema/);
    // resources/list had an entry with a numeric uri: dropped with a warning, the valid one kept.
    assert.deepEqual(
      s!.lists.resources.map((r) => r.uri),
      ['mem://a'],
    );
    assert.match(w, /resources\/list: invalid resource entry/);
    assert.equal(s!.lists.resourceTemplates[0]?.uriTemplate, 'mem://{x}');
    assert.equal(s!.lists.prompts[0]?.name, 'greet');
  });

  void it('reads resources, gets prompts and completes', async () => {
    const r = await s!.readResource('mem://a');
    assert.deepEqual(r.contents, [{ uri: 'mem://a', text: 'hello' }]);
    const p = await s!.getPrompt('greet', { who: 'ada' });
    assert.deepEqual(p.messages[0]?.content, { type: 'text', text: 'hello ada' });
    assert.deepEqual(await s!.complete({ type: 'ref/prompt', name: 'greet' }, { name: 'who', value: 'al' }), ['alpha']);
    await s!.ping();
  });

  void it('a JSON-RPC error surfaces with its code and a clean message', async () => {
    await rejectsWith(s!.readResource('mem://missing'), (e) => {
      assert.equal(e.kind, 'rpc');
      assert.equal(e.code, -32002);
      assert.equal(e.message, 'Resource mem://missing not found');
    });
    await rejectsWith(s!.callTool('rpcerror', {}), (e) => {
      assert.equal(e.code, -32602);
      assert.equal(e.message, 'widget 42 does not exist');
    });
  });

  void it('a request that is never answered times out, sends notifications/cancelled, and ignores the late answer', async () => {
    const t0 = Date.now();
    await rejectsWith(s!.callTool('hang', {}, { timeoutMs: 300 }), (e) => {
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /tools\/call timed out: no answer from the server within 0\.3 s/);
    });
    assert.ok(Date.now() - t0 < 3000);
    const call = recorded(record).filter((m) => m.method === 'tools/call' && (m.params as { name: string }).name === 'hang').at(-1);
    assert.ok(call);
    await waitFor(() => recorded(record).some((m) => m.method === 'notifications/cancelled' && (m.params as { requestId: unknown }).requestId === call.id), 5000, 'notifications/cancelled');
    // The server stays usable.
    assert.equal((await s!.callTool('echo', { text: 'still here' })).content[0]?.type, 'text');
  });

  void it('cancelling through the AbortSignal sends notifications/cancelled and rejects at once', async () => {
    const ac = new AbortController();
    const p = s!.callTool('hang', {}, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await rejectsWith(p, (e) => assert.equal(e.kind, 'cancelled'));
    await waitFor(() => recorded(record).filter((m) => m.method === 'notifications/cancelled').length >= 2, 5000, 'second cancel');
  });

  void it('a short timeout still fires while a call with a longer one is pending (one timer per connection)', async () => {
    const ac = new AbortController();
    const long = s!.callTool('hang', {}, { timeoutMs: 20_000, signal: ac.signal }).catch((e: unknown) => e);
    const t0 = Date.now();
    await rejectsWith(s!.callTool('hang', {}, { timeoutMs: 300 }), (e) => {
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /within 0\.3 s/);
    });
    const took = Date.now() - t0;
    assert.ok(took >= 250 && took < 3000, `took ${took} ms`);
    ac.abort();
    const e = await long;
    assert.ok(e instanceof ServerRequestError && e.kind === 'cancelled', String(e));
  });

  void it('progress resets the timeout, and the hard cap still stops the request', async () => {
    const seen: number[] = [];
    // 6 progress notifications 150 ms apart = ~900 ms, well over the 400 ms idle timeout.
    const r = await s!.callTool('progress', { count: 6, interval: 150 }, { timeoutMs: 400, onProgress: (p) => seen.push(p.progress) });
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6]);
    assert.deepEqual(r.content, [{ type: 'text', text: 'progress done' }]);

    const t0 = Date.now();
    await rejectsWith(s!.callTool('progress', { count: 100, interval: 100 }, { timeoutMs: 400, maxTotalTimeoutMs: 800 }), (e) => {
      assert.equal(e.kind, 'timeout');
      assert.match(e.message, /took longer than 0\.8 s/);
    });
    const took = Date.now() - t0;
    assert.ok(took >= 750 && took < 4000, `took ${took} ms`);
  });

  void it('a final progress notification arriving with the response is still delivered', async () => {
    const seen: string[] = [];
    await s!.callTool('final-progress', {}, { onProgress: (p) => seen.push(p.message ?? '') });
    assert.deepEqual(seen, ['last']);
  });

  void it('an unknown server-to-client request is answered with -32601', async () => {
    const r = await s!.callTool('ask-unknown', {});
    const reply = recorded(record).find((m) => m.event === 'clientReply')?.reply as { error?: { code: number } } | undefined;
    assert.equal(reply?.error?.code, -32601);
    assert.match(JSON.stringify(r.content), /-32601/);
  });

  void it('responses with unknown ids are ignored (logged) and the real answer still arrives', async () => {
    const r = await s!.callTool('unknown-id', {});
    assert.deepEqual(r.content, [{ type: 'text', text: 'after unknown ids' }]);
    assert.match(h.serverLog('proto').text('warn'), /unknown message ID/);
  });

  void it('structured content that does not match the output schema and invalid content blocks do not throw; a non-object result fails cleanly', async () => {
    const r = await s!.callTool('badoutput', {});
    assert.deepEqual(r.structuredContent, { n: 'not a number' });
    await rejectsWith(s!.callTool('badresult', {}), (e) => {
      assert.equal(e.kind, 'invalidResponse');
      assert.match(e.message, /^the server sent an invalid answer to tools\/call/);
    });
    const c = await s!.callTool('badcontent', {});
    assert.equal(c.content.length, 2);
    assert.equal(c.content[1]?.type, 'text');
    assert.match(JSON.stringify(c.content[1]), /hologram/);
  });

  void it('a storm of list_changed notifications causes a bounded number of refreshes', async () => {
    const before = recorded(record).filter((m) => m.event === 'tools/list').length;
    let changes = 0;
    const sub = s!.onDidChangeLists(() => changes++);
    await s!.callTool('storm', { count: 1000 });
    await waitFor(() => changes >= 1, 5000, 'a refresh');
    await new Promise((r) => setTimeout(r, 600));
    sub.dispose();
    const refreshes = recorded(record).filter((m) => m.event === 'tools/list').length - before;
    assert.ok(refreshes >= 1 && refreshes <= 3, `refreshes: ${refreshes}`);
    assert.ok(changes <= 3, `list change events: ${changes}`);
  });

  void it('a server killed with SIGKILL mid-call fails the pending call at once, naming the signal', async () => {
    const hang = s!.callTool('hang', {}, { timeoutMs: 20_000 });
    await new Promise((r) => setTimeout(r, 100));
    const pid = s!.pid!;
    const t0 = Date.now();
    process.kill(pid, 'SIGKILL');
    await rejectsWith(hang, (e) => {
      assert.equal(e.kind, 'exited');
      assert.match(e.message, /was killed by SIGKILL while tools\/call was pending/);
    });
    assert.ok(Date.now() - t0 < 3000, `took ${Date.now() - t0} ms`);
    // restartOnCrash: it comes back with its lists kept meanwhile.
    assert.ok(s!.lists.tools.length > 0);
    const st = await waitForState(s!, (x) => x.kind === 'running' || (x.kind === 'error' && x.retryAt === undefined));
    assert.equal(st.kind, 'running');
    assert.notEqual(s!.pid, pid);
  });

  void it('a crash mid-call reports the exit code and the stderr tail', async () => {
    await rejectsWith(s!.callTool('crash', {}), (e) => {
      assert.equal(e.kind, 'exited');
      assert.match(e.message, /exited with code 2 while tools\/call was pending/);
      assert.match(e.stderrTail ?? '', /panic: crash requested by the test/);
    });
    await waitForState(s!, (x) => x.kind === 'running');
  });
});

void describe('pagination', () => {
  let h: Harness;
  before(() => {
    h = createHarness();
  });
  after(() => h.close());

  void it('follows nextCursor over many pages', async () => {
    const record = path.join(h.tmp, 'pages.jsonl');
    const [s] = await h.add(h.scripted('many', 'normal', { TOOL_COUNT: '2000', PAGE_SIZE: '37', RECORD_FILE: record }));
    await s!.start();
    assert.equal(s!.lists.tools.length, 2000 + 15);
    assert.equal(recorded(record).filter((m) => m.event === 'tools/list').length, Math.ceil(2015 / 37));
    assert.equal(s!.lists.warnings.filter((w) => /cursor|pages/.test(w)).length, 0);
  });

  void it('a cursor cycle is cut with a warning', async () => {
    const [s] = await h.add(h.scripted('cycle', 'normal', { CURSOR_MODE: 'cycle' }));
    await s!.start();
    assert.match(s!.lists.warnings.join('\n'), /repeated a cursor after 3 pages/);
    assert.equal(s!.lists.tools.length, 2);
    assert.match(h.serverLog('cycle').text('warn'), /repeated a cursor/);
  });

  void it('endless new cursors stop at the page cap with a warning', async () => {
    const [s] = await h.add(h.scripted('endless', 'normal', { CURSOR_MODE: 'endless' }));
    await s!.start();
    assert.match(s!.lists.warnings.join('\n'), /stopped after 1000 pages/);
  });
});
