/**
 * Stray processes (issue #10, finding 16), with real processes: a helper the server double-forks into its own
 * session without the launch marker is stopped with the server; a program moved out of the server's cgroup by a
 * launcher (as desktop launchers do for a browser opened for the user) survives Stop although it inherited the
 * marker. Both need a writable cgroup v2 (root here; a desktop session's own scope as a normal user).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as os from 'node:os';
import { reapOrphans } from '../../../../src/core/transport/stdio/orphans';
import { ownCgroupDir } from '../../../../src/core/transport/stdio/cgroup';
import { readStat } from '../../../../src/core/transport/stdio/processTree';
import { fixture, killAll, nodeServer, recordingLogger, repoRoot, survivors, waitFor } from './helpers';

const helperPid = (tail: string): number => Number(/helper (\d+)/.exec(tail)?.[1] ?? 0);

function cgroupWritable(): boolean {
  if (process.platform !== 'linux') return false;
  const dir = ownCgroupDir();
  if (!dir) return false;
  const probe = path.join(dir, `mcph-test-probe-${process.pid}`);
  try {
    fs.mkdirSync(probe);
    fs.rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

const withCgroup = { skip: cgroupWritable() ? false : 'no writable cgroup v2 here (see the report: the marker and tree fallback applies)' };

void test('a helper double-forked with setsid and without the marker does not survive Stop', withCgroup, async () => {
  const { transport } = nodeServer('setsid-helper.mjs', [], { stopGraceMs: { afterEof: 200, afterTerm: 400 } });
  await transport.start();
  const leader = transport.pid as number;
  let helper = 0;
  try {
    await waitFor(() => helperPid(transport.stderrTail()) > 0, 10_000, 'the helper pid');
    helper = helperPid(transport.stderrTail());
    await waitFor(() => readStat(helper)?.ppid !== undefined && readStat(helper)?.ppid !== leader, 5000, 'the helper orphaned');
    const env = fs.readFileSync(`/proc/${helper}/environ`, 'latin1');
    assert.ok(!env.includes('MCP_HOST_PROCESS_TOKEN='), 'the helper has no marker');
    assert.notEqual(readStat(helper)?.pgid, leader, 'the helper left the group');
    const cgroup = transport.cgroupDir;
    assert.ok(cgroup && fs.readFileSync(path.join(cgroup, 'cgroup.procs'), 'latin1').includes(String(helper)), 'the helper is in the server cgroup');
    await transport.close();
    assert.deepEqual(survivors([leader, helper]), [], 'nothing of the server survives Stop');
    assert.equal(fs.existsSync(cgroup), false, 'the server cgroup is removed');
  } finally {
    killAll([helper]);
  }
});

void test('a program moved out of the server cgroup by a launcher survives Stop, marker or not', withCgroup, async () => {
  const { transport } = nodeServer('setsid-helper.mjs', ['--keep-marker'], { stopGraceMs: { afterEof: 200, afterTerm: 400 } });
  const launcherScope = path.join(ownCgroupDir() as string, `mcph-test-browser-${process.pid}`);
  await transport.start();
  const leader = transport.pid as number;
  let browser = 0;
  try {
    await waitFor(() => helperPid(transport.stderrTail()) > 0, 10_000, 'the helper pid');
    browser = helperPid(transport.stderrTail());
    assert.ok(fs.readFileSync(`/proc/${browser}/environ`, 'latin1').includes('MCP_HOST_PROCESS_TOKEN='), 'it inherited the marker');
    // What a desktop launcher (gio, systemd-run --scope) does with a browser it starts: its own scope.
    fs.mkdirSync(launcherScope);
    fs.writeFileSync(path.join(launcherScope, 'cgroup.procs'), String(browser));
    await transport.close();
    assert.deepEqual(survivors([leader]), []);
    assert.deepEqual(survivors([browser]), [browser], 'the program opened for the user is left alone');
  } finally {
    killAll([browser]);
    await waitFor(() => survivors([browser]).length === 0, 5000, 'the browser gone').catch(() => undefined);
    try {
      fs.rmdirSync(launcherScope);
    } catch {
      // not created
    }
  }
});

void test('after the extension host is killed, a marker-less setsid helper is reaped through the recorded cgroup', withCgroup, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcph-cgroup-orphans-'));
  const spec = { recordDir: dir, servers: [{ name: 'helper', command: process.execPath, args: [fixture('setsid-helper.mjs')], env: {} }] };
  const host = spawn(process.execPath, [path.join(repoRoot(), 'test/fixtures/hostile/extension-host.mjs'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  host.stdout.on('data', (d: Buffer) => (out += d.toString()));
  host.stderr.on('data', (d: Buffer) => (err += d.toString()));
  let helper = 0;
  let server = 0;
  try {
    await waitFor(() => /^ready /m.test(out) && /helper (\d+)/.test(err), 20_000, `the host ready and the helper started: ${err}`);
    helper = helperPid(err);
    server = (JSON.parse(/^ready (.*)$/m.exec(out)?.[1] ?? '{}') as Record<string, number>).helper ?? 0;
    host.kill('SIGKILL');
    // The server exits on stdin EOF; its helper (no marker, own session, reparented) stays behind.
    await waitFor(() => survivors([server]).length === 0, 10_000, 'the server gone with its host');
    assert.deepEqual(survivors([helper]), [helper], 'the helper outlived the host');
    const result = await reapOrphans(dir, recordingLogger(), { graceMs: 300 });
    assert.ok(result.signalled.some((p) => p.pid === helper), `the helper was found: ${JSON.stringify(result.signalled)}`);
    assert.deepEqual(result.survivors, []);
    assert.deepEqual(survivors([helper]), []);
    assert.ok(!fs.readdirSync(ownCgroupDir() as string).some((n) => n.startsWith(`mcp-host-${host.pid}-`)), 'its cgroup was removed');
  } finally {
    host.kill('SIGKILL');
    killAll([helper, server]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
