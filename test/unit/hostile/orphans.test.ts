/**
 * Hostile conditions for the host itself (issue #6, case 19): the extension host killed with SIGKILL. Servers that
 * honour stdin EOF exit by themselves; the others are recorded (src/core/transport/stdio/orphans.ts) and reaped on the next start,
 * without ever killing a process whose pid was recycled or that belongs to a host that is still running.
 * The "extension host" is test/fixtures/hostile/extension-host.mjs running the compiled registry.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createProcessRecorder, processStat, reapOrphans } from '../../../src/core/transport/stdio/orphans';
import { listDescendants } from '../../../src/core/transport/stdio/processTree';
import { createHarness, isAlive, recordingLogger, waitFor, type Harness } from '../server/helpers';
import { hostile, hostileFixture } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts the fixture host with the given servers; resolves with the host and the servers' pids once ready. */
async function startHost(
  recordDir: string,
  servers: { name: string; args: string[] }[],
  marker: string,
): Promise<{ host: ChildProcess; pids: Record<string, number> }> {
  const spec = {
    recordDir,
    servers: servers.map((s) => ({ ...s, command: process.execPath, env: { MCPH_TEST_MARKER: marker } })),
  };
  const host = spawn(process.execPath, [hostileFixture('extension-host.mjs'), JSON.stringify(spec)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  host.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const pids = await new Promise<Record<string, number>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not get ready: ${err}`)), 20_000);
    host.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^ready (.*)$/m.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(JSON.parse(m[1]) as Record<string, number>);
      }
    });
    host.once('exit', (code) => reject(new Error(`the host exited with ${code}: ${err}`)));
  });
  return { host, pids };
}

void describe('orphaned servers after the extension host is killed', { timeout: 60_000 }, () => {
  let h: Harness;
  let dir: string;
  const strays: ChildProcess[] = [];

  before(() => {
    h = createHarness();
    dir = path.join(h.tmp, 'globalStorage', 'processes');
  });
  after(async () => {
    for (const c of strays) c.kill('SIGKILL');
    await h.close(); // asserts that no process with the harness marker is left
  });

  void it('the recorder keeps pid, process group, start time and marker of each running server until it exits', async () => {
    const recorderDir = path.join(h.tmp, 'in-process');
    const recorder = createProcessRecorder(recorderDir, recordingLogger());
    const h2 = createHarness({ tuning: { processRecorder: recorder } });
    try {
      const [s] = await h2.add(h2.def('recorded', hostile(), { args: [...hostile(), 'secret-token-1234'] }));
      await s!.start();
      const pid = s!.pid!;
      const file = JSON.parse(fs.readFileSync(recorder.file, 'utf8')) as {
        owner: { pid: number; startTime: number };
        processes: { pid: number; pgid: number; startTime: number; command: string; marker?: string }[];
      };
      assert.equal(file.owner.pid, process.pid);
      assert.equal(file.owner.startTime, processStat(process.pid)?.startTime);
      assert.equal(file.processes.length, 1);
      const r = file.processes[0]!;
      assert.equal(r.pid, pid);
      assert.equal(r.pgid, pid, 'the server leads its own process group');
      assert.equal(r.startTime, processStat(pid)?.startTime);
      assert.match(r.command, /hostile-server\.mjs secret-token-1234$/);
      assert.match(r.marker ?? '', /^[0-9a-f-]{36}$/);
      await s!.stop();
      assert.equal(fs.existsSync(recorder.file), false, 'no running server: no file');
    } finally {
      await h2.close();
    }
  });

  void it('after a SIGKILL of the host, EOF-honouring servers exit by themselves and the rest are reaped on the next start', async (t) => {
    const { host, pids } = await startHost(
      dir,
      [
        { name: 'polite', args: hostile() },
        { name: 'stubborn', args: hostile('--ignore-eof-term') },
        { name: 'npx-like', args: hostile('--wrapper', '--ignore-eof-term') },
      ],
      h.marker,
    );
    const polite = pids.polite!;
    const stubborn = pids.stubborn!;
    const wrapper = pids['npx-like']!;
    const grandchild = listDescendants(wrapper)[0]!;
    assert.ok(grandchild > 0, 'the wrapper started its server');
    const hostFile = fs.readdirSync(dir).find((f) => f.startsWith(`host-${host.pid}-`));
    assert.ok(hostFile, 'the host recorded its servers');

    // An unrelated process whose pid appears in a dead host's record, with another start time (a recycled pid),
    // and in the record of a host that is still alive (this test process): neither may be touched.
    const stranger = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    strays.push(stranger);
    await waitFor(() => processStat(stranger.pid!) !== undefined, 5000, 'the stranger');
    const strangerStart = processStat(stranger.pid!)!.startTime;
    const recycled = { pid: stranger.pid!, pgid: stranger.pid!, startTime: strangerStart - 7, command: 'recycled pid' };
    fs.writeFileSync(path.join(dir, 'host-4000000-1.json'), JSON.stringify({ owner: { pid: 4000000, startTime: 1 }, processes: [recycled] }));
    const ownStart = processStat(process.pid)!.startTime;
    const liveFile = path.join(dir, `host-${process.pid}-${ownStart}.json`);
    const live = { ...recycled, startTime: strangerStart, command: 'a live window server' };
    fs.writeFileSync(liveFile, JSON.stringify({ owner: { pid: process.pid, startTime: ownStart }, processes: [live] }));

    host.kill('SIGKILL');
    const t0 = Date.now();
    await waitFor(() => !isAlive(polite), 5000, 'the polite server to notice stdin EOF');
    const politeExit = Date.now() - t0;
    await sleep(500);
    assert.ok(isAlive(stubborn), 'a server that ignores EOF outlives the host');
    assert.ok(isAlive(wrapper) && isAlive(grandchild), 'so does the wrapper and its server');

    const log = recordingLogger();
    const t1 = Date.now();
    const result = await reapOrphans(dir, log, { graceMs: 300 });
    const reapTook = Date.now() - t1;
    assert.equal(result.files, 2, 'the dead host and the fake record');
    assert.deepEqual(result.survivors, []);
    for (const pid of [stubborn, wrapper, grandchild]) assert.equal(isAlive(pid), false, `pid ${pid} was reaped`);
    assert.ok(isAlive(stranger.pid!), 'a recycled pid is not killed');
    assert.match(log.text('info'), new RegExp(`stopping server process ${stubborn} \\(.*--ignore-eof-term\\) left running by MCP Host process ${host.pid}`));
    assert.match(log.text('info'), /SIGKILL to .*: still running after SIGTERM/);
    assert.ok(fs.existsSync(liveFile), 'the record of a running host is left alone');
    assert.deepEqual(
      fs.readdirSync(dir).filter((f) => f !== path.basename(liveFile)),
      [],
      'dead hosts’ records are removed',
    );
    t.diagnostic(`host SIGKILL: EOF-honouring server gone after ${politeExit} ms; reaping 3 orphans took ${reapTook} ms (SIGTERM grace 300 ms)`);
    assert.ok(reapTook < 3000, `reaping took ${reapTook} ms`);
    assert.ok(politeExit < 3000, `the polite server took ${politeExit} ms`);
    fs.rmSync(liveFile);
    // Nothing left to do the second time.
    assert.deepEqual(await reapOrphans(dir, log, { graceMs: 300 }), { files: 0, signalled: [], survivors: [] });
  });
});
