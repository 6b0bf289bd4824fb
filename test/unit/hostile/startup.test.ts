/**
 * Hostile servers, starting and stopping (issue #6, cases 1, 3, 5, 17, 18), through the registry: what the user
 * sees (state, error text, log lines), a healthy neighbour server that is unaffected, and no process left behind
 * (/proc, by the harness marker every server inherits).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerState } from '../../../src/core/server/state';
import type { ServerHandle } from '../../../src/core/server/types';
import { createHarness, isAlive, requestError, waitForState, type Harness } from '../server/helpers';
import { assertNeighbourUnaffected, harnessWithNeighbour, hostile, textOf } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const errorOf = (s: ServerHandle): Extract<ServerState, { kind: 'error' }> => {
  assert.equal(s.state.kind, 'error', JSON.stringify(s.state));
  return s.state as Extract<ServerState, { kind: 'error' }>;
};

void describe('hostile servers: start and stop', { timeout: 60_000 }, () => {
  let h: Harness;
  let neighbour: ServerHandle;
  let neighbourPid: number;

  before(async () => {
    ({ h, neighbour, neighbourPid } = await harnessWithNeighbour());
  });
  after(() => h.close());

  void it('a missing command, cwd or envFile fails at spawn with a clear error and is not retried in a loop', async () => {
    const h2 = createHarness({ settings: { autoStart: true } });
    try {
      await h2.registry.apply(
        h2.config(
          h2.def('no-command', [], { command: 'definitely-not-an-mcp-server-xyz' }),
          h2.def('no-cwd', hostile(), { cwd: path.join(h2.tmp, 'no/such/dir') }),
          h2.def('no-envfile', hostile(), { envFile: path.join(h2.tmp, 'missing.env') }),
        ),
      );
      const [cmd, cwd, envFile] = h2.registry.servers as [ServerHandle, ServerHandle, ServerHandle];
      await Promise.all([cmd, cwd, envFile].map((s) => waitForState(s, (x) => x.kind === 'error')));
      assert.match(errorOf(cmd).message, /"definitely-not-an-mcp-server-xyz".*not found on the PATH/s);
      assert.match(errorOf(cwd).message, /working directory .*no\/such\/dir does not exist/);
      assert.match(errorOf(envFile).message, /env file .*missing\.env does not exist/);
      // Longer than the whole restart backoff (0.1 + 0.2 + 0.4 s): no retry loop, no process.
      await sleep(900);
      for (const s of [cmd, cwd, envFile]) {
        const st = errorOf(s);
        assert.equal(st.retryAt, undefined, `${s.name} is not scheduled for a restart`);
        assert.equal(s.pid, undefined);
        const log = h2.serverLog(s.name);
        // The env file is read before anything is spawned (or asked), so that server never gets to "starting:".
        const starts = s === envFile ? 0 : 1;
        assert.equal(log.lines.filter((l) => l.message.startsWith('starting:')).length, starts, `${s.name} started at most once`);
        assert.ok(log.text('error').includes(st.message), `${s.name}: the error is in its log`);
      }
      assert.deepEqual(h2.alive(), []);
      await assertNeighbourUnaffected(neighbour, neighbourPid);
    } finally {
      await h2.close();
    }
  });

  void it('a wrapper whose real server never answers initialize is stopped after the timeout, whole tree included', async () => {
    // Both the wrapper and its child ignore EOF and SIGTERM: only the SIGKILL to the tree ends them.
    const [s] = await h.add(h.def('mute-wrapper', hostile('--wrapper', '--never-init', '--ignore-eof-term'), { initializeTimeoutSeconds: 1 }));
    const t0 = Date.now();
    const e = await requestError(s!.start());
    const took = Date.now() - t0;
    assert.equal(e.message, 'did not answer initialize within 1 s');
    assert.match(e.stderrTail ?? '', /wrapper: started the real server as pid \d+/);
    assert.equal(errorOf(s!).message, 'did not answer initialize within 1 s');
    assert.match(h.serverLog('mute-wrapper').text('error'), /did not answer initialize within 1 s: stopping its process tree/);
    assert.ok(took < 6000, `took ${took} ms`);
    assert.deepEqual(h.alive(), [neighbourPid], 'only the neighbour is left');
    await assertNeighbourUnaffected(neighbour, neighbourPid);
  });

  void it('banner and log lines on stdout and CRLF line endings are logged and the session continues', async () => {
    const [s] = await h.add(h.def('noisy', hostile('--banner', '--crlf')));
    await s!.start();
    assert.equal(s!.state.kind, 'running');
    assert.deepEqual(
      s!.lists.tools.map((t) => t.name),
      ['echo', 'big', 'image', 'grow', 'slow', 'hang'],
    );
    for (const text of ['a', 'b', 'c']) assert.equal(textOf(await s!.callTool('echo', { text })), text);
    const warnings = h.serverLog('noisy').text('warn');
    assert.match(warnings, /Ignored a stdout line that is not a JSON-RPC message \(servers must log to stderr\): Hostile MCP Server v6\.6\.6 starting/);
    assert.match(warnings, /INFO handling a request/);
    assert.ok(!/\r/.test(warnings), 'CR is not part of the logged line');
    await s!.stop();
    await assertNeighbourUnaffected(neighbour, neighbourPid);
  });

  void it('a server that ignores stdin EOF and SIGTERM is killed within the grace period; a second stop kills at once', async () => {
    const [s] = await h.add(h.def('stubborn', hostile('--ignore-eof-term')));
    await s!.start();
    const pid = s!.pid!;
    const t0 = Date.now();
    await s!.stop();
    const graceful = Date.now() - t0;
    assert.equal(isAlive(pid), false);
    assert.equal(s!.state.kind, 'stopped');
    const log = h.serverLog('stubborn').text();
    assert.match(log, /did not exit 300 ms after stdin closed: sending SIGTERM/);
    assert.match(log, /did not exit 700 ms after SIGTERM: sending SIGKILL/);
    // Grace periods of this suite: 300 ms after EOF + 700 ms after SIGTERM.
    assert.ok(graceful >= 950 && graceful < 4000, `stop took ${graceful} ms`);

    await s!.start();
    const pid2 = s!.pid!;
    const t1 = Date.now();
    const first = s!.stop();
    await sleep(50);
    await Promise.all([first, s!.stop()]);
    const forced = Date.now() - t1;
    assert.equal(isAlive(pid2), false);
    assert.ok(forced < 700, `forced stop took ${forced} ms`);
    await assertNeighbourUnaffected(neighbour, neighbourPid);
  });

  for (const variant of [
    { name: 'npx-like', flags: ['--wrapper', '--ignore-eof-term'], what: 'a wrapper that starts the real server as a grandchild (like npx)' },
    { name: 'setsid-wrapper', flags: ['--wrapper', '--setsid', '--ignore-eof-term'], what: 'a wrapper whose real server escaped into its own session' },
  ]) {
    void it(`${variant.what} leaves zero descendants after stop`, async () => {
      const [s] = await h.add(h.def(variant.name, hostile(...variant.flags)));
      await s!.start();
      const wrapperPid = s!.pid!;
      const m = /pid:(\d+)/.exec(textOf(await s!.callTool('echo', { text: 'who', pid: true })));
      const serverPid = Number(m?.[1]);
      assert.ok(serverPid > 0 && serverPid !== wrapperPid, 'the answer comes from the grandchild');
      assert.equal(h.alive().length, 3, 'neighbour, wrapper and its server');
      const t0 = Date.now();
      await s!.stop();
      const took = Date.now() - t0;
      assert.equal(isAlive(wrapperPid), false);
      assert.equal(isAlive(serverPid), false);
      assert.deepEqual(h.alive(), [neighbourPid]);
      assert.ok(took < 5000, `stop took ${took} ms`);
      await assertNeighbourUnaffected(neighbour, neighbourPid);
    });
  }
});
