/**
 * Server lifecycle: failures before and during initialize, idempotent start, stop, crash restarts with bounded
 * backoff, gate and definition-driven stopped reasons.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerState } from '../../../src/core/server/state';
import { createHarness, isAlive, recorded, requestError, waitForState, type Harness } from './helpers';

const startError = (p: Promise<unknown>) => requestError(p, 'expected start to fail');
const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

void describe('server lifecycle', () => {
  let h: Harness;
  before(() => {
    h = createHarness();
  });
  after(() => h.close());

  void it('a server that exits during initialize reports its exit code and stderr tail', async () => {
    const [s] = await h.add(h.scripted('early-exit', 'exit-before-init'));
    const e = await startError(s!.start());
    assert.equal(e.message, 'exited with code 3 before initialize');
    assert.match(e.stderrTail ?? '', /fatal: API_KEY is not set/);
    const st = s!.state as Extract<ServerState, { kind: 'error' }>;
    assert.equal(st.kind, 'error');
    assert.equal(st.message, 'exited with code 3 before initialize');
    assert.match(st.stderrTail, /API_KEY/);
    assert.equal(st.retryAt, undefined, 'a failed initialize is not restarted in a loop');
  });

  void it('a server that never answers initialize is stopped after the initialize timeout', async () => {
    const [s] = await h.add(h.scripted('mute', 'never-init', {}, { initializeTimeoutSeconds: 1 }));
    const t0 = Date.now();
    const e = await startError(s!.start());
    assert.equal(e.message, 'did not answer initialize within 1 s');
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    assert.equal(s!.state.kind, 'error');
    assert.equal(s!.pid, undefined);
    assert.deepEqual(h.alive(), [], 'the process tree is gone');
  });

  void it('an unsupported protocol version fails cleanly, naming both versions', async () => {
    const [s] = await h.add(h.scripted('old', 'bad-version'));
    const e = await startError(s!.start());
    assert.match(e.message, /protocol version 1999-01-01/);
    assert.match(e.message, /2025-11-25/);
    assert.equal(s!.state.kind, 'error');
  });

  void it('a command that does not exist fails with a clear error', async () => {
    const [s] = await h.add(h.def('missing', [], { command: 'definitely-not-a-command-xyz' }));
    const e = await startError(s!.start());
    assert.match(e.message, /definitely-not-a-command-xyz/);
    assert.equal(s!.state.kind, 'error');
  });

  void it('an unexpected failure while starting ends in the error state, not "starting" forever', async () => {
    const broken = createHarness({
      tuning: {
        createTransport: () => {
          throw new Error('transport factory exploded');
        },
      },
    });
    try {
      const [s] = await broken.add(broken.def('broken', []));
      await assert.rejects(s!.start(), /transport factory exploded/);
      const st = s!.state as Extract<ServerState, { kind: 'error' }>;
      assert.equal(st.kind, 'error');
      assert.match(st.message, /transport factory exploded/);
    } finally {
      await broken.close();
    }
  });

  void it('the per-server requestTimeoutSeconds overrides the global request timeout', async () => {
    const [s] = await h.add(h.scripted('quick-timeout', 'normal', {}, { requestTimeoutSeconds: 1 }));
    const t0 = Date.now();
    const e = await startError(s!.callTool('hang', {}));
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /within 1 s/);
    assert.ok(Date.now() - t0 < 4000);
    await s!.stop();
  });

  void it('the starting line names the working directory of a local server, and none for a remote one', async () => {
    const [local] = await h.add(h.scripted('cwd-local'));
    await local!.start();
    assert.match(h.serverLog('cwd-local').text(), new RegExp(`starting: .*scripted-server\\.mjs.* \\(cwd ${escapeRegExp(h.tmp)}\\)`));
    await local!.stop();
    // Nothing listens on port 9: the start fails after the line was written.
    const [remote] = await h.add(h.def('cwd-remote', [], { type: 'http', url: 'http://127.0.0.1:9/mcp' }));
    await startError(remote!.start());
    const line = h.serverLog('cwd-remote').text().split('\n').find((l) => l.includes('starting: '));
    assert.ok(line, h.serverLog('cwd-remote').text());
    assert.match(line, /starting: http http:\/\/127\.0\.0\.1:9\/mcp/);
    assert.doesNotMatch(line, /cwd/, 'a remote server has no working directory');
  });

  void it('two concurrent starts run exactly one process', async () => {
    const record = path.join(h.tmp, 'twice.jsonl');
    const [s] = await h.add(h.scripted('twice', 'normal', { RECORD_FILE: record }));
    const states: string[] = [];
    const sub = s!.onDidChangeState((x) => states.push(x.kind));
    await Promise.all([s!.start(), s!.start(), s!.callTool('echo', { text: 'x' })]);
    sub.dispose();
    assert.equal(recorded(record).filter((m) => m.method === 'initialize').length, 1);
    assert.deepEqual(states, ['starting', 'running']);
    await s!.stop();
    assert.equal(s!.state.kind, 'stopped');
  });

  void it('stop ends the process and a call afterwards starts it again', async () => {
    const [s] = await h.add(h.scripted('restartable'));
    await s!.start();
    const pid = s!.pid!;
    await s!.stop();
    assert.equal(isAlive(pid), false);
    assert.equal(s!.pid, undefined);
    assert.equal(s!.state.kind, 'stopped');
    assert.ok(s!.lists.tools.length > 0, 'lists are kept while stopped');
    await s!.callTool('echo', { text: 'again' });
    assert.notEqual(s!.pid, pid);
    await s!.restart();
    assert.equal(s!.state.kind, 'running');
  });

  void it('a call pending when the user stops the server fails cleanly', async () => {
    const [s] = await h.add(h.scripted('stopped-mid-call'));
    await s!.start();
    // Observe the failure from the start: the call may fail before stop() resolves (the process exits first).
    const failed = startError(s!.callTool('hang', {}));
    await new Promise((r) => setTimeout(r, 50));
    await s!.stop();
    const e = await failed;
    assert.equal(e.kind, 'stopped');
    assert.match(e.message, /stopped by the user/);
  });

  void it('a second stop forces the kill of a server that ignores EOF and SIGTERM', async () => {
    // Wrapper that ignores SIGTERM and stdin EOF after initialize: only SIGKILL ends it.
    const [s] = await h.add(h.def('stubborn', ['-e', STUBBORN]));
    await s!.start();
    const pid = s!.pid!;
    const t0 = Date.now();
    const first = s!.stop();
    await new Promise((r) => setTimeout(r, 50));
    await Promise.all([first, s!.stop()]);
    assert.ok(Date.now() - t0 < 900, `forced stop took ${Date.now() - t0} ms`);
    assert.equal(isAlive(pid), false);
  });

  void it('a crash loop is restarted with backoff at most 3 times, then stays in error', async () => {
    const record = path.join(h.tmp, 'loop.jsonl');
    const [s] = await h.add(h.scripted('looper', 'crash-after-init', { RECORD_FILE: record }));
    const states: ServerState[] = [];
    const sub = s!.onDidChangeState((x) => states.push(x));
    await s!.start();
    const final = await waitForState(s!, (x) => x.kind === 'error' && x.retryAt === undefined, 20_000);
    sub.dispose();
    assert.match((final as { message: string }).message, /exited with code 1; it crashed 4 times within 60 s, not restarting it again/);
    assert.equal(final.kind === 'error' && final.gaveUp, true, 'the state says MCP Host gave up (pickers stop offering Start)');
    assert.match((final as { stderrTail: string }).stderrTail, /going down/);
    assert.equal(recorded(record).filter((m) => m.method === 'initialize').length, 4);
    const retries = states.filter((x) => x.kind === 'error' && x.retryAt !== undefined);
    assert.equal(retries.length, 3);
    assert.ok(retries.every((x) => x.kind === 'error' && x.gaveUp === undefined), 'a scheduled restart has not given up');
    assert.match((retries[0] as { message: string }).message, /restarting in 0\.1 s/);
    assert.match((retries[2] as { message: string }).message, /restarting in 0\.4 s/);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal(recorded(record).filter((m) => m.method === 'initialize').length, 4, 'no restart after giving up');
  });

  void it('disabled, unsupported and blocked servers stay stopped with the reason and start no process', async () => {
    const [d, u, b] = await h.add(
      h.scripted('off', 'normal', {}, { disabled: true }),
      h.def('remote', [], { type: 'carrier-pigeon' }),
      h.scripted('blocked'),
    );
    assert.deepEqual(d!.state, { kind: 'stopped', reason: 'disabled' });
    assert.deepEqual(u!.state, { kind: 'stopped', reason: 'unsupportedType' });
    await assert.rejects(d!.callTool('echo', {}), /cannot start: disabled/);
    await assert.rejects(u!.start(), /not supported|does not know/);
    h.gate.blocked.set('blocked', 'needsWorkspaceTrust');
    h.gate.fire();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(b!.state, { kind: 'stopped', reason: 'needsWorkspaceTrust' });
    await assert.rejects(b!.start(), /needs workspace trust/);
    assert.equal(b!.pid, undefined);
  });

  void it('a workspace-defined server asks the gate before spawning and a denial stops it', async () => {
    const def = h.scripted('ws-server');
    const wsDef = { ...def, id: 'folderMcpJson:/x/.vscode/mcp.json:ws-server', source: { kind: 'folderMcpJson' as const, file: '/x/.vscode/mcp.json', folder: h.tmp } };
    const [s] = await h.add(wsDef);
    h.gate.blocked.delete('ws-server');
    await s!.start();
    assert.ok(h.gate.approvals.includes('ws-server'));
    await s!.stop();
    // Denied at the consent step (blockedReason says nothing: the dialog decides).
    const gate = h.gate as unknown as { approveLaunch: () => Promise<string | undefined> };
    const orig = gate.approveLaunch;
    gate.approveLaunch = () => Promise.resolve('denied');
    await assert.rejects(s!.start(), /not trusted/);
    gate.approveLaunch = orig;
    assert.deepEqual(s!.state, { kind: 'stopped', reason: 'denied' });
    assert.equal(s!.pid, undefined);
  });

  void it('stop while the consent dialog is open returns at once; the abandoned start spawns nothing', async () => {
    const def = h.scripted('ws-slow-consent');
    const wsDef = { ...def, id: 'folderMcpJson:/y/.vscode/mcp.json:ws-slow-consent', source: { kind: 'folderMcpJson' as const, file: '/y/.vscode/mcp.json', folder: h.tmp } };
    const [s] = await h.add(wsDef);
    const gate = h.gate as unknown as { approveLaunch: () => Promise<string | undefined> };
    const orig = gate.approveLaunch;
    let answer: (v: string | undefined) => void = () => {};
    gate.approveLaunch = () => new Promise((r) => (answer = r));
    const first = s!.start();
    await waitForState(s!, (x) => x.kind === 'starting');
    const t0 = Date.now();
    await s!.stop();
    assert.ok(Date.now() - t0 < 200, 'stop did not wait for the dialog');
    assert.equal(s!.state.kind, 'stopped');
    answer(undefined); // the user approves late: the abandoned start gives up
    await assert.rejects(first, /cancelled/);
    assert.equal(s!.pid, undefined);
    gate.approveLaunch = orig;
    await s!.start();
    assert.equal(s!.state.kind, 'running');
    await s!.stop();
  });
});

// Answers initialize and tools/list, ignores SIGTERM and stdin EOF.
const STUBBORN = `
process.on('SIGTERM', () => {});
let buf = '';
process.stdin.on('data', (d) => {
  buf += d;
  let i;
  while ((i = buf.indexOf('\\n')) >= 0) {
    const m = JSON.parse(buf.slice(0, i)); buf = buf.slice(i + 1);
    if (m.method === 'initialize') process.stdout.write(JSON.stringify({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: m.params.protocolVersion, capabilities: {}, serverInfo: { name: 'stubborn', version: '1' } } }) + '\\n');
  }
});
process.stdin.on('end', () => {});
setInterval(() => {}, 1000);
`;
