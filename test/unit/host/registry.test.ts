/**
 * The registry over real servers: the npm reference servers (everything, filesystem, memory) and the scripted
 * fixture. Configuration diffs, edits while a call runs, autostart with bounded concurrency, trust changes,
 * redaction, tool names shared by servers, and disposal leaving no process behind.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerDefinition } from '../../../src/core/config/types';
import { ServerRequestError } from '../../../src/core/protocol/errors';
import type { ServerHandle } from '../../../src/core/server/types';
import { createHarness, isAlive, referenceServer, waitForState, type Harness } from '../server/helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const text = (r: { content: readonly { type: string }[] }): string =>
  r.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : `[${c.type}]`)).join('\n');

void describe('registry with the reference servers', () => {
  let h: Harness;
  let everything: ServerHandle;
  let filesystem: ServerHandle;
  let memory: ServerHandle;
  let scripted: ServerHandle;
  const must = (s: ServerHandle | undefined): ServerHandle => {
    assert.ok(s);
    return s;
  };

  before(async () => {
    h = createHarness();
    fs.writeFileSync(path.join(h.tmp, 'hello.txt'), 'hello from the test\n');
    const all = await h.add(
      h.def('everything', [referenceServer('server-everything'), 'stdio']),
      h.def('filesystem', [referenceServer('server-filesystem'), h.tmp]),
      h.def('memory', [referenceServer('server-memory')], { env: { MEMORY_FILE_PATH: path.join(h.tmp, 'memory.jsonl') } }),
      h.scripted('scripted'),
    );
    [everything, filesystem, memory, scripted] = all.map(must) as [ServerHandle, ServerHandle, ServerHandle, ServerHandle];
  });
  after(() => h.close());

  void it('server-everything: tools, resources (paginated), prompts, a call with progress, roots', async () => {
    await everything.start();
    const tools = everything.lists.tools.map((t) => t.name);
    assert.ok(tools.includes('echo') && tools.includes('get-sum'), tools.join(','));
    assert.ok(everything.lists.resources.length > 0);
    assert.ok(everything.lists.prompts.length > 0);
    assert.equal(text(await everything.callTool('echo', { message: 'hi' })), 'Echo: hi');
    assert.match(text(await everything.callTool('get-sum', { a: 2, b: 3 })), /5/);
    const progress: number[] = [];
    await everything.callTool('trigger-long-running-operation', { duration: 1, steps: 4 }, { onProgress: (p) => progress.push(p.progress) });
    assert.deepEqual(progress, [1, 2, 3, 4]);
    const first = everything.lists.resources[0]!;
    const read = await everything.readResource(first.uri);
    assert.equal(read.contents[0]?.uri, first.uri);
    // Roots: answered from the workspace folders; a change is announced and the server asks again.
    assert.ok(tools.includes('get-roots-list'), 'the server saw the roots capability');
    assert.ok(text(await everything.callTool('get-roots-list', {})).includes(`file://${h.tmp}`));
    h.folders = [...h.folders, { name: 'other', path: '/tmp/other-root', uri: 'file:///tmp/other-root' }];
    h.registry.notifyRootsChanged();
    await sleep(300);
    assert.ok(text(await everything.callTool('get-roots-list', {})).includes('file:///tmp/other-root'));
    await everything.ping();
  });

  void it('server-filesystem reads a file of the allowed directory', async () => {
    const r = await filesystem.callTool('read_text_file', { path: path.join(h.tmp, 'hello.txt') });
    assert.match(text(r), /hello from the test/);
    const denied = await filesystem.callTool('read_text_file', { path: '/etc/hostname' });
    assert.equal(denied.isError, true);
  });

  void it('server-memory keeps entities across calls', async () => {
    await memory.callTool('create_entities', { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] });
    const graph = await memory.callTool('read_graph', {});
    assert.match(text(graph), /Ada/);
  });

  void it('the same tool name on two servers is listed on both, kept apart, and logged', async () => {
    await scripted.start();
    assert.ok(scripted.lists.tools.some((t) => t.name === 'echo'));
    assert.ok(everything.lists.tools.some((t) => t.name === 'echo'));
    assert.match(h.hostLog.text('info'), /tool "echo" is offered by several servers \(everything, scripted\)/);
    assert.equal(text(await scripted.callTool('echo', { text: 'mine' })), 'mine');
    assert.equal(text(await everything.callTool('echo', { message: 'theirs' })), 'Echo: theirs');
  });
});

void describe('registry configuration diffs', () => {
  let h: Harness;
  before(() => {
    h = createHarness();
  });
  after(() => h.close());

  void it('apply adds, keeps, restarts changed and removes servers', async () => {
    const a = h.scripted('a', 'normal', { SERVER_TAG: 'v1:' });
    const b = h.scripted('b');
    const c = h.scripted('c');
    let changes = 0;
    const sub = h.registry.onDidChangeServers(() => changes++);
    await h.registry.apply(h.config(a, b, c));
    assert.deepEqual(
      h.registry.servers.map((s) => s.name),
      ['a', 'b', 'c'],
    );
    assert.equal(changes, 1);
    const [sa, sb, sc] = h.registry.servers;
    await Promise.all([sa!.start(), sb!.start(), sc!.start()]);
    const pidB = sb!.pid!;
    const pidC = sc!.pid!;

    // a changes while a call runs; c is removed; b is unchanged.
    const a2 = h.scripted('a', 'normal', { SERVER_TAG: 'v2:' });
    const slow = sa!.callTool('slow', { ms: 300 }).then(
      (r) => ({ ok: text(r) }),
      (e: unknown) => ({ err: e }),
    );
    await new Promise((r) => setTimeout(r, 50));
    await h.registry.apply(h.config(a2, b));
    sub.dispose();
    const outcome = await slow;
    if ('err' in outcome) {
      assert.ok(outcome.err instanceof ServerRequestError);
      assert.match(outcome.err.message, /configuration changed/);
    } else {
      assert.equal(outcome.ok, 'slow done');
    }
    assert.deepEqual(
      h.registry.servers.map((s) => s.name),
      ['a', 'b'],
    );
    assert.equal(h.registry.get(c.id), undefined);
    assert.equal(isAlive(pidC), false, 'the removed server was stopped');
    assert.equal(sb!.pid, pidB, 'the unchanged server kept running');
    await waitForState(sa!, (s) => s.kind === 'running');
    assert.equal(sa!.definition, a2);
    assert.equal(text(await sa!.callTool('echo', { text: 'x' })), 'v2:x');
  });

  void it('a changed definition of a stopped server stays stopped; disabling shows the reason', async () => {
    const d = h.scripted('d');
    await h.add(d);
    const s = h.registry.getByName('d')!;
    await h.registry.apply(h.config(...h.registry.servers.map((x) => x.definition).filter((x) => x.name !== 'd'), { ...d, entry: { ...d.entry, args: [...d.entry.args, 'x'] } }));
    assert.equal(s.state.kind, 'stopped');
    assert.equal(s.pid, undefined);
    await h.registry.apply(h.config(...h.registry.servers.map((x) => x.definition).filter((x) => x.name !== 'd'), { ...d, entry: { ...d.entry, disabled: true } }));
    assert.deepEqual(s.state, { kind: 'stopped', reason: 'disabled' });
  });

  void it('secrets from password inputs are redacted from the command line and the logs', async () => {
    const secret = 'sk-very-secret-123';
    const h2 = createHarness({ inputs: { prompt: () => Promise.resolve(secret) } });
    try {
      const def: ServerDefinition = {
        ...h2.scripted('secretive'),
        inputs: [{ type: 'promptString', id: 'token', password: true, description: 'Token' }],
      };
      const withSecret: ServerDefinition = { ...def, entry: { ...def.entry, args: [...def.entry.args, '--token', '${input:token}'] } };
      const [s] = await h2.add(withSecret);
      await s!.start();
      assert.ok(s!.commandLine?.includes('••••••'), s!.commandLine);
      assert.ok(!s!.commandLine?.includes(secret));
      const log = h2.serverLog('secretive').text();
      assert.ok(log.includes('--token'), 'the launch was logged');
      assert.ok(!log.includes(secret), 'no secret in the log');

      // A server that prints its token to stderr and dies: the error state and the thrown error are redacted.
      const leaky: ServerDefinition = {
        ...def,
        id: 'userSettings::leaky',
        name: 'leaky',
        entry: { ...def.entry, args: ['-e', 'console.error("token=" + process.argv[1]); process.exit(4)', '${input:token}'] },
      };
      const [l] = await h2.add(leaky);
      const err = await l!.start().then(
        () => assert.fail('should fail'),
        (e: unknown) => e as ServerRequestError,
      );
      assert.match(err.message, /exited with code 4 before initialize/);
      assert.ok(!JSON.stringify(l!.state).includes(secret), JSON.stringify(l!.state));
      assert.match(JSON.stringify(l!.state), /token=••••••/);
      assert.ok(!(err.stderrTail ?? '').includes(secret));
      assert.ok(!h2.serverLog('leaky').text().includes(secret));
    } finally {
      await h2.close();
    }
  });
});

void describe('registry autostart, trust changes and disposal', () => {
  void it('autostart runs servers with bounded concurrency; the first is usable early', async () => {
    // No hold limit: on a loaded machine a start may take longer than the default 2 s and hand its slot on.
    const h = createHarness({ settings: { autoStart: true }, tuning: { startConcurrency: 2, startHoldLimitMs: 0 } });
    try {
      let starting = 0;
      let maxStarting = 0;
      const defs = Array.from({ length: 5 }, (_, i) => h.scripted(`auto${i}`));
      const subs = h.registry.onDidChangeServer(() => {
        starting = h.registry.servers.filter((s) => s.state.kind === 'starting').length;
        maxStarting = Math.max(maxStarting, starting);
      });
      await h.registry.apply(h.config(...defs, h.scripted('manual', 'normal', {}, { autoStart: false })));
      await Promise.all(h.registry.servers.filter((s) => s.name !== 'manual').map((s) => waitForState(s, (x) => x.kind === 'running')));
      subs.dispose();
      assert.ok(maxStarting <= 2, `at most 2 starting at once, saw ${maxStarting}`);
      assert.equal(h.registry.getByName('manual')!.state.kind, 'stopped', 'per-server autoStart: false wins');
    } finally {
      await h.close();
    }
  });

  void it('a start the user asks for does not wait behind queued auto-starts', async () => {
    const h = createHarness({ settings: { autoStart: true }, tuning: { startConcurrency: 1, startHoldLimitMs: 0 } });
    try {
      // q0 holds the single slot for 1.5 s (its initialize answer is late); q1..q3 wait for it; the user opens q3.
      await h.registry.apply(h.config(h.scripted('q0', 'slow-init'), ...Array.from({ length: 3 }, (_, i) => h.scripted(`q${i + 1}`))));
      await h.registry.getByName('q3')!.start();
      assert.equal(h.registry.getByName('q0')!.state.kind, 'starting', 'q0 still holds the slot');
      assert.notEqual(h.registry.getByName('q1')!.state.kind, 'running', 'q1 waits for q0, q3 did not');
      assert.notEqual(h.registry.getByName('q2')!.state.kind, 'running', 'q2 waits for q0 and q1, q3 did not');
      await Promise.all(h.registry.servers.map((s) => waitForState(s, (x) => x.kind === 'running')));
    } finally {
      await h.close();
    }
  });

  void it('enabling a disabled server in the configuration autostarts it', async () => {
    const h = createHarness({ settings: { autoStart: true } });
    try {
      const off = h.scripted('toggled', 'normal', {}, { disabled: true });
      await h.registry.apply(h.config(off));
      const s = h.registry.getByName('toggled')!;
      assert.deepEqual(s.state, { kind: 'stopped', reason: 'disabled' });
      await h.registry.apply(h.config({ ...off, entry: { ...off.entry, disabled: false } }));
      await waitForState(s, (x) => x.kind === 'running');
    } finally {
      await h.close();
    }
  });

  void it('a server blocked by trust starts when the gate allows it (autostart)', async () => {
    const h = createHarness({ settings: { autoStart: true } });
    try {
      h.gate.blocked.set('gated', 'needsWorkspaceTrust');
      await h.registry.apply(h.config(h.scripted('gated')));
      const s = h.registry.getByName('gated')!;
      assert.deepEqual(s.state, { kind: 'stopped', reason: 'needsWorkspaceTrust' });
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(s.pid, undefined);
      h.gate.blocked.delete('gated');
      h.gate.fire();
      await waitForState(s, (x) => x.kind === 'running');
      // Trust revoked (consent reset): a running server stops with the reason.
      h.gate.blocked.set('gated', 'needsConsent');
      h.gate.fire();
      await waitForState(s, (x) => x.kind === 'stopped' && x.reason === 'needsConsent');
      assert.equal(s.pid, undefined);
    } finally {
      await h.close();
    }
  });

  void it('dispose with 10 running servers leaves zero processes', async () => {
    const h = createHarness();
    const defs = Array.from({ length: 10 }, (_, i) => h.scripted(`many${i}`));
    await h.registry.apply(h.config(...defs));
    await Promise.all(h.registry.servers.map((s) => s.start()));
    const pids = h.registry.servers.map((s) => s.pid!);
    assert.equal(new Set(pids).size, 10);
    assert.equal(h.alive().length, 10);
    // A call in flight during shutdown fails cleanly instead of hanging.
    const inFlight = h.registry.servers[0]!.callTool('hang', {}).catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await h.close(); // asserts no process with the harness marker is left (/proc)
    assert.ok(Date.now() - t0 < 5000, `dispose took ${Date.now() - t0} ms`);
    for (const pid of pids) assert.equal(isAlive(pid), false);
    const e = await inFlight;
    assert.ok(e instanceof ServerRequestError && e.kind === 'stopped', String(e));
  });
});
