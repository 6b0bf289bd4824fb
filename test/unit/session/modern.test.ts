/**
 * The 2026-07-28 ("modern") protocol through createHost and the registry, against real stdio servers on the v2 SDK
 * (test/fixtures/modern/server.mjs in modern-only, dual and legacy-only modes), a legacy server that exits on any
 * first request but initialize, and a raw modern server that breaks rules (test/fixtures/modern/raw-modern.mjs).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { McpServer } from '../../../src/core/server/server';
import { createTransport } from '../../../src/core/transport/launch';
import type { MessageTransport, SendOptions } from '../../../src/core/transport/types';
import type { ServerHandle } from '../../../src/core/server/types';
import { createHarness, recorded, repoRoot, requestError, waitFor, waitForState, type Harness } from '../server/helpers';
import { TestPrompter, TestSampler, untilAborted } from './askHelpers';

const fixture = (name: string): string => path.join(repoRoot(), 'test/fixtures/modern', name);
const V = 'io.modelcontextprotocol/';
const textOf = (r: { content: unknown[] }): string => (r.content[0] as { text?: string }).text ?? '';
const methods = (file: string): string[] => recorded(file).map((m) => String(m.method));

void describe('modern era against a modern-only server', () => {
  let h: Harness;
  let s: ServerHandle;
  let record: string;
  // The user-facing half of the answers, as the serverasks unit tests use it: the MRTR rounds go through the same
  // ClientAnswers as legacy server-to-client requests.
  const prompter = new TestPrompter();
  const sampler = new TestSampler();

  before(async () => {
    h = createHarness({ asks: { elicitation: prompter, sampler } });
    record = path.join(h.tmp, 'modern.jsonl');
    s = (await h.add(h.def('modern', [fixture('server.mjs'), 'modern'], { env: { RECORD_FILE: record } })))[0]!;
  });
  after(() => h.close());

  void it('discovers the server instead of initializing, and names the era and version', async () => {
    await s.start();
    assert.equal(s.info?.era, 'modern');
    assert.equal(s.info?.protocolVersion, '2026-07-28');
    assert.equal(s.info?.serverInfo.name, 'modern-fixture-modern');
    assert.equal(s.info?.instructions, 'fixture instructions');
    assert.ok(!methods(record).includes('initialize'), 'no initialize is sent to a modern server');
    assert.equal(methods(record)[0], 'server/discover');
    assert.match(h.serverLog('modern').text(), /discovered in \d+ ms: modern-fixture-modern 2\.0\.0 \(protocol 2026-07-28, modern era/);
  });

  void it('lists tools, resources, templates and prompts', () => {
    assert.ok(['echo', 'add', 'roots', 'confirm'].every((n) => s.lists.tools.some((t) => t.name === n)));
    assert.deepEqual(
      s.lists.resources.map((r) => r.uri),
      ['note://main'],
    );
    assert.deepEqual(
      s.lists.resourceTemplates.map((r) => r.uriTemplate),
      ['greeting://{name}'],
    );
    assert.deepEqual(
      s.lists.prompts.map((p) => p.name),
      ['review'],
    );
  });

  void it('calls tools, reads resources and gets prompts', async () => {
    assert.equal(textOf(await s.callTool('echo', { text: 'hi' })), 'echo: hi');
    const add = await s.callTool('add', { a: 2, b: 3 });
    assert.deepEqual(add.structuredContent, { sum: 5 });
    const note = await s.readResource('note://main');
    assert.equal((note.contents[0] as { text?: string }).text, 'note v1');
    const greet = await s.readResource('greeting://ada');
    assert.equal((greet.contents[0] as { text?: string }).text, 'hello ada');
    const p = await s.getPrompt('review', { code: 'x = 1' });
    assert.deepEqual(p.messages[0]?.content, { type: 'text', text: 'Please review: x = 1' });
  });

  void it('every request carries the _meta envelope: version, capabilities, client info', () => {
    const requests = recorded(record).filter((m) => m.id !== undefined);
    assert.ok(requests.length >= 8);
    for (const m of requests) {
      const meta = (m.params as { _meta?: Record<string, unknown> } | undefined)?._meta ?? {};
      assert.equal(meta[`${V}protocolVersion`], '2026-07-28', `${String(m.method)} carries the version`);
      assert.deepEqual(
        meta[`${V}clientCapabilities`],
        { roots: {}, elicitation: { form: {}, url: {} }, sampling: { tools: {} }, extensions: { [`${V}tasks`]: {} } },
        `${String(m.method)} carries the capabilities (roots without listChanged: the modern era has no roots notification)`,
      );
      assert.deepEqual(meta[`${V}clientInfo`], { name: 'mcp-host-tests', version: '0.0.0' });
    }
  });

  void it('ping, which the modern era does not have, asks server/discover instead', async () => {
    await s.ping();
    const last = recorded(record).filter((m) => m.id !== undefined).at(-1);
    assert.equal(last?.method, 'server/discover');
  });

  void it('progress arrives for a modern call', async () => {
    const seen: number[] = [];
    const r = await s.callTool('slow', { steps: 3 }, { onProgress: (p) => seen.push(p.progress) });
    assert.equal(textOf(r), 'done after 3');
    assert.deepEqual(seen, [1, 2, 3]);
  });

  void it('input_required for roots is answered from the workspace folders and retried with a new id and the exact state', async () => {
    const before = recorded(record).length;
    const r = await s.callTool('roots', {});
    assert.equal(textOf(r), `roots: ${h.folders[0]!.uri} (state state-1)`);
    const calls = recorded(record)
      .slice(before)
      .filter((m) => m.method === 'tools/call');
    assert.equal(calls.length, 2);
    assert.notEqual(calls[0]!.id, calls[1]!.id);
    const retry = calls[1]!.params as Record<string, unknown>;
    assert.equal(retry.requestState, 'state-1');
    assert.deepEqual(retry.inputResponses, { where: { roots: [{ uri: h.folders[0]!.uri, name: 'ws' }] } });
    assert.equal((calls[0]!.params as Record<string, unknown>).requestState, undefined);
  });

  void it('two input rounds complete; a server that asks forever is cut off with a coded error', async () => {
    assert.equal(textOf(await s.callTool('roots-twice', {})), 'two rounds: 1 roots, state round-2');
    const e = await requestError(s.callTool('roots-forever', {}));
    assert.equal(e.reason, 'tooManyInputRounds');
    assert.equal(s.state.kind, 'running');
  });

  void it('an elicitation round is answered through the handlers and the prompter, and the call retried with the answer', async () => {
    prompter.answerForm = () => Promise.resolve({ action: 'accept', content: { ok: true } });
    const before = recorded(record).length;
    const awaiting: (string | undefined)[] = [];
    const r = await s.callTool('confirm', {}, { onAwaitingInput: (what) => awaiting.push(what) });
    assert.equal(textOf(r), 'confirmed: accept');
    const asked = prompter.forms.at(-1)!;
    assert.equal(asked.question.message, 'Deploy now?');
    assert.equal(asked.ctx.server.name, 'modern');
    assert.deepEqual(awaiting, ['Waiting for your input', undefined], 'the call hears that input is awaited, then no longer');
    const retry = recorded(record)
      .slice(before)
      .filter((m) => m.method === 'tools/call')
      .at(-1)!.params as Record<string, unknown>;
    assert.deepEqual(retry.inputResponses, { confirm: { action: 'accept', content: { ok: true } } });
    assert.equal(s.asked.elicitations, 1, 'recorded for the tooltip like a legacy elicitation');
  });

  void it('while the user is asked, the call\'s idle timeout waits (the round pauses it, as legacy asks do)', async () => {
    prompter.answerForm = () => new Promise((resolve) => setTimeout(() => resolve({ action: 'decline' }), 900));
    const r = await s.callTool('confirm', {}, { timeoutMs: 300 });
    assert.equal(textOf(r), 'confirmed: decline');
  });

  void it('cancelling the call withdraws the open question (its prompt closes)', async () => {
    let withdrawn = false;
    prompter.answerForm = async (_q, ctx) => {
      await untilAborted(ctx.signal, undefined);
      withdrawn = true;
      return { action: 'cancel' };
    };
    const ac = new AbortController();
    const call = s.callTool('confirm', {}, { signal: ac.signal });
    await waitFor(() => prompter.open === 1, 5000, 'the form to open');
    ac.abort();
    const e = await requestError(call);
    assert.equal(e.kind, 'cancelled');
    await waitFor(() => withdrawn, 5000, 'the prompt to be withdrawn');
    assert.equal(s.state.kind, 'running');
  });

  void it('a sampling round is answered through the handlers and the sampler (consent, model choice)', async () => {
    const r = await s.callTool('summarize', {});
    assert.equal(textOf(r), 'summarized');
    const run = sampler.runs.at(-1)!;
    assert.deepEqual(run.request.messages[0]?.content, [{ type: 'text', text: 'Summarize' }]);
    assert.equal(run.request.maxTokens, 10);
    assert.equal(sampler.consents, 1);
    assert.equal(s.state.kind, 'running');
  });

  void it('list changes arrive through subscriptions/listen, also after a restart', async () => {
    const listens = () => recorded(record).filter((m) => m.method === 'subscriptions/listen');
    assert.equal(listens().length, 1);
    assert.deepEqual((listens()[0]!.params as Record<string, unknown>).notifications, { toolsListChanged: true, promptsListChanged: true, resourcesListChanged: true });
    await s.callTool('add-tool', { name: 'first' });
    await waitFor(() => s.lists.tools.some((t) => t.name === 'first'), 5000, 'the tree to list the new tool');
    await s.restart();
    assert.equal(listens().length, 2, 'the new process is listened to again');
    await s.callTool('add-tool', { name: 'second' });
    await waitFor(() => s.lists.tools.some((t) => t.name === 'second'), 5000, 'the new tool after the restart');
  });

  void it('a watched resource reports updates, and keeps doing so after a restart', async () => {
    const server = s as McpServer;
    const updates: string[] = [];
    const sub = server.onDidUpdateResource((uri) => updates.push(uri));
    const listensFor = () => recorded(record).filter((m) => m.method === 'subscriptions/listen' && (m.params as { notifications?: { resourceSubscriptions?: unknown } }).notifications?.resourceSubscriptions);
    const held = server.subscribeResource('note://main');
    await waitFor(() => listensFor().length === 1, 5000, 'a subscriptions/listen for the subscribed resource');
    await new Promise((r) => setTimeout(r, 200)); // its acknowledgement
    await s.callTool('touch', { text: 'v2' });
    await waitFor(() => updates.length === 1, 5000, 'the resource update');
    await s.restart();
    await s.callTool('touch', { text: 'v3' });
    await waitFor(() => updates.length === 2, 5000, 'the resource update after the restart');
    sub.dispose();
    held.dispose();
    assert.deepEqual(updates, ['note://main', 'note://main']);
  });
});

void describe('modern era without elicitation or sampling services', () => {
  let h: Harness;
  before(() => {
    h = createHarness();
  });
  after(() => h.close());

  void it('a server asking for a capability the client did not declare gets it refused: the coded -32021 error', async () => {
    const record = path.join(h.tmp, 'plain.jsonl');
    const [s] = await h.add(h.def('plain', [fixture('server.mjs'), 'modern'], { env: { RECORD_FILE: record } }));
    await s!.start();
    const caps = (recorded(record).find((m) => m.method === 'server/discover')!.params as { _meta: Record<string, unknown> })._meta[`${V}clientCapabilities`];
    assert.deepEqual(caps, { roots: {}, extensions: { [`${V}tasks`]: {} } }, 'neither elicitation nor sampling is declared');
    const e = await requestError(s!.callTool('confirm', {}));
    assert.equal(e.reason, 'missingClientCapability');
    assert.equal(e.code, -32021);
    assert.match(e.message, /tools\/call needs a client capability MCP Host did not declare: elicitation/);
    const e2 = await requestError(s!.callTool('summarize', {}));
    assert.equal(e2.reason, 'missingClientCapability');
    assert.match(e2.message, /: sampling$/);
    assert.equal(s!.state.kind, 'running');
  });
});

void describe('era detection', () => {
  let h: Harness;
  before(() => {
    h = createHarness({ tuning: { eraProbeTimeoutMs: 1500 } });
  });
  after(() => h.close());

  void it('a dual-era server is spoken to in the modern era', async () => {
    const [s] = await h.add(h.def('dual', [fixture('server.mjs'), 'dual']));
    await s!.start();
    assert.equal(s!.info?.era, 'modern');
    assert.equal(textOf(await s!.callTool('echo', { text: 'd' })), 'echo: d');
  });

  void it('a legacy-only server answers the probe with an error and is initialized on the same process', async () => {
    const record = path.join(h.tmp, 'legacy.jsonl');
    const [s] = await h.add(h.def('legacy', [fixture('server.mjs'), 'legacy'], { env: { RECORD_FILE: record } }));
    await s!.start();
    assert.equal(s!.info?.era, 'legacy');
    assert.equal(s!.info?.protocolVersion, '2025-11-25');
    assert.deepEqual(methods(record).slice(0, 3), ['server/discover', 'initialize', 'notifications/initialized']);
    assert.equal(textOf(await s!.callTool('echo', { text: 'l' })), 'echo: l');
    assert.match(h.serverLog('legacy').text(), /protocol era: legacy \(server\/discover failed with -32601\)/);
    assert.match(h.serverLog('legacy').text(), /\(protocol 2025-11-25, legacy era/);
  });

  void it('a legacy server that exits on the probe is started again in legacy mode, without an error, and remembered', async () => {
    const record = path.join(h.tmp, 'strict.jsonl');
    const [s] = await h.add(h.def('strict', [fixture('strict-legacy.mjs')], { env: { RECORD_FILE: record } }));
    const states: string[] = [];
    s!.onDidChangeState((st) => states.push(st.kind));
    await s!.start();
    assert.equal(s!.info?.era, 'legacy');
    assert.ok(!states.includes('error'), `states: ${states.join(', ')}`);
    assert.equal(textOf(await s!.callTool('hello', {})), 'hello from strict-legacy');
    assert.deepEqual(methods(record).slice(0, 2), ['server/discover', 'initialize']);
    assert.match(h.serverLog('strict').text(), /starting it again in legacy mode/);
    // The next start skips the probe.
    fs.rmSync(record);
    await s!.restart();
    assert.equal(methods(record)[0], 'initialize');
  });

  void it('a server remembered as legacy that became modern-only is probed again', async () => {
    const modeFile = path.join(h.tmp, 'mode.txt');
    fs.writeFileSync(modeFile, 'legacy');
    const [s] = await h.add(h.def('upgraded', [fixture('server.mjs')], { env: { MODE_FILE: modeFile } }));
    await s!.start();
    assert.equal(s!.info?.era, 'legacy');
    await s!.restart();
    assert.equal(s!.info?.era, 'legacy');
    fs.writeFileSync(modeFile, 'modern');
    await s!.restart();
    assert.equal(s!.info?.era, 'modern');
    assert.match(h.serverLog('upgraded').text(), /remembered as legacy but refused initialize .*probing its protocol era again/);
  });

  void it('protocolEra "modern" against a legacy server fails with a coded error; "legacy" never probes', async () => {
    const [m] = await h.add(h.def('pinned-modern', [fixture('server.mjs'), 'legacy'], { protocolEra: 'modern' }));
    const e = await requestError(m!.start());
    assert.equal(e.reason, 'notModern');
    await waitForState(m!, (st) => st.kind === 'error');
    const record = path.join(h.tmp, 'pinned-legacy.jsonl');
    const [l] = await h.add(h.def('pinned-legacy', [fixture('server.mjs'), 'dual'], { protocolEra: 'legacy', env: { RECORD_FILE: record } }));
    await l!.start();
    assert.equal(l!.info?.era, 'legacy');
    assert.equal(methods(record)[0], 'initialize');
  });
});

void describe('modern era defences (a raw server breaking rules)', () => {
  let h: Harness;
  let s: ServerHandle;
  before(async () => {
    h = createHarness();
    s = (await h.add(h.def('raw', [fixture('raw-modern.mjs')])))[0]!;
    await s.start();
  });
  after(() => h.close());

  void it('input the client never declared fails the call cleanly, naming what was asked for', async () => {
    const e = await requestError(s.callTool('ask', {}));
    assert.equal(e.reason, 'inputNotSupported');
    assert.equal(e.code, -32601);
    assert.match(e.message, /the server asked for user input \(elicitation\), requested as "github_login", which MCP Host did not declare and does not answer/);
    assert.equal(s.state.kind, 'running');
  });

  void it('list_changed without our subscription id is ignored; with it the tools refresh', async () => {
    await s.callTool('stray', {});
    await new Promise((r) => setTimeout(r, 400));
    assert.ok(!s.lists.tools.some((t) => t.name === 'v2'), 'stray notifications do not refresh');
    await s.callTool('stray', { real: true });
    await waitFor(() => s.lists.tools.some((t) => t.name === 'v3'), 5000, 'the refresh from the real subscription');
  });

  void it('a tool call that becomes a task is polled to its result, each poll shown as progress', async () => {
    const messages: string[] = [];
    const r = await s.callTool('long', {}, { onProgress: (p) => messages.push(p.message ?? '') });
    assert.equal(textOf(r), 'long done');
    assert.deepEqual(messages, ['queued', 'step 1', 'step 2']);
  });

  void it('cancelling a call that became a task sends tasks/cancel (not notifications/cancelled)', async () => {
    const record = path.join(h.tmp, 'tasks.jsonl');
    const [t] = await h.add(h.def('tasks', [fixture('raw-modern.mjs')], { env: { RECORD_FILE: record } }));
    const ac = new AbortController();
    const call = t!.callTool('forever', {}, { signal: ac.signal, onProgress: (p) => p.progress >= 3 && ac.abort() });
    const e = await requestError(call);
    assert.equal(e.kind, 'cancelled');
    await waitFor(() => methods(record).includes('tasks/cancel'), 5000, 'tasks/cancel');
    const cancel = recorded(record).find((m) => m.method === 'tasks/cancel');
    assert.deepEqual((cancel!.params as Record<string, unknown>).taskId, 'task-1');
    assert.ok(!methods(record).includes('notifications/cancelled'));
    const polls = methods(record).filter((m) => m === 'tasks/get').length;
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(methods(record).filter((m) => m === 'tasks/get').length, polls, 'polling stops');
  });

  void it('an unknown resultType is an invalid answer, not a result', async () => {
    const e = await requestError(s.callTool('badtype', {}));
    assert.equal(e.kind, 'invalidResponse');
    assert.match(e.message, /resultType "task_pending"/);
  });
});

void describe('cache hints (ttlMs) of modern lists', () => {
  let h: Harness;
  before(() => {
    h = createHarness({ tuning: { listMinRefetchMs: 0 } });
  });
  after(() => h.close());

  const listCalls = (file: string) => methods(file).filter((m) => m === 'tools/list').length;

  void it('a list whose ttlMs expired is fetched again when needed; a fresh one is not', async () => {
    const stale = path.join(h.tmp, 'stale.jsonl');
    const fresh = path.join(h.tmp, 'fresh.jsonl');
    const [a, b] = await h.add(
      h.def('ttl0', [fixture('raw-modern.mjs')], { env: { RECORD_FILE: stale, TTL_MS: '0', NO_LIST_CHANGED: '1' } }),
      h.def('ttl120', [fixture('raw-modern.mjs')], { env: { RECORD_FILE: fresh, TTL_MS: '120000', NO_LIST_CHANGED: '1' } }),
    );
    await Promise.all([a!.start(), b!.start()]);
    assert.equal(listCalls(stale), 1);
    await Promise.all([a!.refreshStale(), b!.refreshStale()]);
    assert.equal(listCalls(stale), 2, 'ttlMs 0: stale at once');
    assert.equal(listCalls(fresh), 1, 'ttlMs 120000: still fresh');
  });

  void it('a list kept current by a subscription, or a legacy list, is not fetched again by time', async () => {
    const live = path.join(h.tmp, 'live.jsonl');
    const legacy = path.join(h.tmp, 'legacy.jsonl');
    const [a, b] = await h.add(
      h.def('live', [fixture('raw-modern.mjs')], { env: { RECORD_FILE: live, TTL_MS: '0' } }),
      h.def('old', [fixture('server.mjs'), 'legacy'], { env: { RECORD_FILE: legacy } }),
    );
    await Promise.all([a!.start(), b!.start()]);
    await Promise.all([a!.refreshStale(), b!.refreshStale()]);
    assert.equal(listCalls(live), 1);
    assert.equal(listCalls(legacy), 1);
  });
});

void describe('header hints for transports that send headers', () => {
  let h: Harness;
  const sent: { method: unknown; headers: SendOptions['headers'] }[] = [];
  before(() => {
    // The real stdio transport, announcing that it sends headers and recording the hints it is given.
    h = createHarness({
      tuning: {
        createTransport: (spec) => {
          const inner = createTransport(spec);
          return new Proxy(inner, {
            get(t, k) {
              if (k === 'wantsHeaderHints') return true;
              if (k === 'send') {
                return (m: Record<string, unknown>, o?: SendOptions) => {
                  sent.push({ method: m.method, headers: o?.headers });
                  return t.send(m);
                };
              }
              const v: unknown = Reflect.get(t, k);
              return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
            },
          }) as MessageTransport;
        },
      },
    });
  });
  after(() => h.close());

  void it('a modern tools/call gets MCP-Protocol-Version, Mcp-Method, Mcp-Name and its x-mcp-header parameter', async () => {
    const [s] = await h.add(h.def('headers', [fixture('server.mjs'), 'modern']));
    assert.equal(textOf(await s!.callTool('regional', { region: 'eu west', q: 'select' })), 'select in eu west');
    const call = sent.find((x) => x.method === 'tools/call');
    assert.deepEqual(call?.headers, {
      'MCP-Protocol-Version': '2026-07-28',
      'Mcp-Method': 'tools/call',
      'Mcp-Name': 'regional',
      'Mcp-Param-Region': 'eu west',
    });
    assert.deepEqual(sent.find((x) => x.method === 'tools/list')?.headers, { 'MCP-Protocol-Version': '2026-07-28', 'Mcp-Method': 'tools/list' });
  });

  void it('a tool with an invalid x-mcp-header is left out with a warning when headers are sent (kept on stdio)', async () => {
    const [s] = await h.add(h.def('badheader', [fixture('raw-modern.mjs')], { env: { BAD_HEADER_TOOL: '1' } }));
    await s!.start();
    assert.ok(!s!.lists.tools.some((t) => t.name === 'badheader'));
    assert.ok(s!.lists.tools.some((t) => t.name === 'ask'), 'the other tools stay');
    assert.match(s!.lists.warnings.join('\n'), /tool "badheader" left out: x-mcp-header "N" is on a property that is not a string, integer or boolean/);
    const plain = createHarness();
    try {
      const [p] = await plain.add(plain.def('badheader', [fixture('raw-modern.mjs')], { env: { BAD_HEADER_TOOL: '1' } }));
      await p!.start();
      assert.ok(p!.lists.tools.some((t) => t.name === 'badheader'));
    } finally {
      await plain.close();
    }
  });
});
