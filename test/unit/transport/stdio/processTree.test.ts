import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { isAlive, killProcessTree, listDescendants, listTree, listTreeAsync } from '../../../../src/core/transport/stdio/processTree';
import { killAll, sleep, waitFor } from './helpers';

const linuxOnly = { skip: process.platform !== 'linux' ? 'reads /proc' : false };

void test('a zombie counts as gone and is not listed as a descendant', linuxOnly, async () => {
  // `sh` starts `sleep 0` in the background, then becomes `sleep 5` (exec), which never reaps it: a zombie.
  const child = spawn('/bin/sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
  const pid = child.pid as number;
  try {
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor(() => /\d+\n/.test(out), 10_000, 'the background pid');
    const zombie = Number(out.trim());
    await sleep(300);
    assert.equal(isAlive(zombie), false);
    assert.equal(isAlive(pid), true);
    assert.ok(!listDescendants(pid).includes(zombie));
  } finally {
    killAll([pid]);
  }
});

void test('the tree lists grandchildren, also in another session, synchronously and asynchronously alike', linuxOnly, async () => {
  // sh -> (setsid sleep) and sh -> sleep: one grandchild-level process left the group.
  const child = spawn('/bin/sh', ['-c', 'setsid sleep 30 & sleep 30 & wait'], { stdio: 'ignore', detached: true });
  const pid = child.pid as number;
  let tree: number[] = [];
  try {
    await waitFor(() => listDescendants(pid).length >= 2, 10_000, 'two children');
    tree = listDescendants(pid);
    const asyncTree = (await listTreeAsync(pid)).map((p) => p.pid);
    assert.deepEqual([...asyncTree].sort(), [...tree].sort());
    assert.ok(listTree(pid).every((p) => p.startTime > 0));
    const found = killProcessTree(pid, 'SIGKILL').map((p) => p.pid);
    assert.deepEqual([...found].sort(), [...tree].sort());
    await waitFor(() => [pid, ...tree].every((p) => !isAlive(p)), 10_000, 'all gone');
  } finally {
    killAll([pid, ...tree]);
  }
});
