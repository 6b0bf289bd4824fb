import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { ProcessExit } from '../../../../src/core/transport/types';
import { isAlive, listDescendants } from '../../../../src/core/transport/stdio/processTree';
import { killAll, nodeServer, survivors, waitFor } from './helpers';

const onPosix = { skip: process.platform === 'win32' ? 'POSIX process groups' : false };

/** Pid of the real server as the wrapper fixture reports it on stderr ("child <pid>"). */
function reportedChild(tail: string): number {
  const m = /child (\d+)/.exec(tail);
  assert.ok(m, `no child pid in stderr: ${tail}`);
  return Number(m[1]);
}

void test('a server that ignores stdin EOF and SIGTERM is killed within the grace periods', onPosix, async () => {
  const { transport, client } = nodeServer('ignore-sigterm.mjs', [], { stopGraceMs: { afterEof: 300, afterTerm: 500 } });
  let exit: ProcessExit | undefined;
  transport.onDidExit((e) => (exit = e));
  await transport.start();
  const pid = transport.pid as number;
  try {
    await client.request('echo', {});
    await waitFor(() => transport.stderrTail().includes('ready'), 10_000, 'ready');
    const t0 = Date.now();
    await transport.close();
    const took = Date.now() - t0;
    assert.equal(isAlive(pid), false);
    assert.equal(exit?.signal, 'SIGKILL');
    assert.equal(exit?.expected, true);
    assert.ok(took >= 750 && took < 5000, `close took ${took} ms`);
    assert.match(transport.stderrTail(), /ignoring SIGTERM/);
  } finally {
    killAll([pid]);
  }
});

void test('a server that exits on stdin EOF ends close() at its exit, long before the grace', onPosix, async () => {
  const { transport, client } = nodeServer('echo-jsonrpc.mjs', [], { stopGraceMs: { afterEof: 10_000, afterTerm: 10_000 } });
  let exit: ProcessExit | undefined;
  transport.onDidExit((e) => (exit = e));
  await transport.start();
  const pid = transport.pid as number;
  try {
    await client.request('echo', {});
    const t0 = Date.now();
    await transport.close();
    const took = Date.now() - t0;
    assert.equal(isAlive(pid), false);
    assert.deepEqual([exit?.code, exit?.signal], [0, null], 'exited by itself on EOF');
    assert.ok(took < 2000, `close took ${took} ms (the grace after EOF was 10 s)`);
  } finally {
    killAll([pid]);
  }
});

void test('a second close() kills at once', onPosix, async () => {
  const { transport, client } = nodeServer('ignore-sigterm.mjs', [], { stopGraceMs: { afterEof: 10_000, afterTerm: 10_000 } });
  await transport.start();
  const pid = transport.pid as number;
  try {
    await client.request('echo', {});
    const t0 = Date.now();
    const first = transport.close();
    await new Promise((r) => setTimeout(r, 100));
    const second = transport.close();
    await Promise.all([first, second]);
    const took = Date.now() - t0;
    assert.equal(isAlive(pid), false);
    assert.ok(took < 3000, `close took ${took} ms (grace was 10 s)`);
  } finally {
    killAll([pid]);
  }
});

for (const variant of [
  { name: 'a wrapper (like npx) whose real server is its child', args: [] as string[] },
  { name: 'a wrapper whose real server escaped with setsid', args: ['--setsid'] },
]) {
  void test(`${variant.name} leaves no descendants after close()`, onPosix, async () => {
    const { transport, client } = nodeServer('wrapper-grandchild.mjs', variant.args, { stopGraceMs: { afterEof: 200, afterTerm: 400 } });
    await transport.start();
    const pid = transport.pid as number;
    let tree: number[] = [];
    try {
      const r = await client.request('echo', { via: 'wrapper' });
      const serverPid = (r.result as { pid: number }).pid;
      tree = listDescendants(pid);
      assert.ok(tree.includes(serverPid), `descendants ${tree.join(',')} lack the server ${serverPid}`);
      assert.equal(reportedChild(transport.stderrTail()), serverPid);
      await transport.close();
      assert.deepEqual(survivors([pid, ...tree]), []);
    } finally {
      killAll([pid, ...tree]);
    }
  });
}

void test('a setsid server orphaned by its exited wrapper is found by its marker and stopped', onPosix, async () => {
  const { transport, client } = nodeServer('wrapper-grandchild.mjs', ['--setsid', '--orphan'], { stopGraceMs: { afterEof: 200, afterTerm: 400 } });
  let exit: ProcessExit | undefined;
  transport.onDidExit((e) => (exit = e));
  await transport.start();
  const pid = transport.pid as number;
  let serverPid = 0;
  try {
    await waitFor(() => /child \d+/.test(transport.stderrTail()), 10_000, 'the child pid');
    serverPid = reportedChild(transport.stderrTail());
    // The wrapper exits after 300 ms: an unexpected exit of the leader; its escaped server must not survive.
    await waitFor(() => exit !== undefined, 10_000, 'the wrapper exit');
    assert.equal(exit?.expected, false);
    await transport.close();
    assert.deepEqual(survivors([pid, serverPid]), []);
    assert.equal(client.closed, true);
  } finally {
    killAll([serverPid]);
  }
});
