/**
 * `mcp-host` against the hostile fixtures: servers that crash, never answer, ignore EOF and SIGTERM, or hide
 * behind a wrapper (like npx). Each run must end with the documented exit code and leave no process behind,
 * also when the user presses Ctrl+C (SIGINT) or the CLI gets SIGTERM while a tool runs.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliSandbox, everything, fixture, waitUntil, type CliSandbox } from './helpers';

const node = process.execPath;
const hostile = (...flags: string[]): string[] => ['--', node, fixture('hostile/hostile-server.mjs'), ...flags];

void describe('mcp-host with hostile servers', () => {
  let sb: CliSandbox;
  before(() => (sb = cliSandbox()));
  after(() => sb.close());

  void it('a server that exits before initialize: exit 4 with its exit code and stderr tail', async () => {
    const r = await sb.run(['tools', '--', node, fixture('servers/exit-with-stderr.mjs')]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /exited with code 3/);
    assert.match(r.stderr, /server stderr \(last lines\):\n(.*\n)*fatal: config missing/);
    assert.deepEqual(sb.alive(), []);
  });

  void it('a command that does not exist: exit 4 naming it', async () => {
    const r = await sb.run(['tools', '--', 'mcp-host-no-such-command']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /mcp-host-no-such-command/);
  });

  void it('a server that never answers initialize: exit 6 after --timeout, process stopped', async () => {
    const r = await sb.run(['tools', '--timeout', '1', ...hostile('--never-init', '--ignore-eof-term')]);
    assert.equal(r.code, 6, r.stderr);
    assert.ok(r.ms < 8000, `took ${r.ms} ms`);
    assert.deepEqual(sb.alive(), []);
  });

  void it('a tool that never answers: exit 6 after --timeout, process stopped', async () => {
    const r = await sb.run(['call', 'hang', '--timeout', '1', ...hostile()]);
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /^mcp-host: .*(timed out|timeout|did not answer|no response)/im);
    assert.deepEqual(sb.alive(), []);
  });

  void it('--timeout wins over the server entry\'s own requestTimeoutSeconds', async () => {
    const settings = sb.write(
      'cfg/settings.json',
      JSON.stringify({ 'mcpHost.servers': { slowpoke: { command: node, args: [fixture('hostile/hostile-server.mjs')], requestTimeoutSeconds: 120, initializeTimeoutSeconds: 120 } } }),
    );
    const r = await sb.run(['call', 'slowpoke', 'hang', '--timeout', '1', '--config', settings]);
    assert.equal(r.code, 6, r.stderr);
    assert.ok(r.ms < 8000, `took ${r.ms} ms`);
  });

  void it('a server that exits on stdin EOF ends the run when it exits: no SIGTERM, no wait for the grace', async () => {
    const r = await sb.run(['--verbose', 'tools', ...hostile()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Stopping: closing stdin/);
    assert.match(r.stderr, /Process exited with code 0/);
    assert.doesNotMatch(r.stderr, /did not exit|SIGTERM/, 'stopped by EOF alone');
    assert.deepEqual(sb.alive(), []);
  });

  void it('a server that ignores stdin EOF keeps its grace: SIGTERM only after it', async () => {
    const r = await sb.run(['--verbose', 'tools', '--', node, everything(), 'stdio']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /did not exit 100 ms after stdin closed: sending SIGTERM/);
    assert.deepEqual(sb.alive(), []);
  });

  void it('a wrapper that ignores EOF and SIGTERM with the real server as its grandchild: the whole tree is stopped', async () => {
    const r = await sb.run(['call', 'echo', 'text=hi', ...hostile('--wrapper', '--ignore-eof-term')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hi\n');
    assert.deepEqual(sb.alive(), []);
  });

  void it('a reader that goes away mid-output (| head): no crash, the server tree is still stopped', async () => {
    const run = sb.start(['call', 'big', 'bytes=20000000', ...hostile('--ignore-eof-term')]);
    // Like `| head -c 10`: read a little, then close the pipe.
    run.child.stdout?.once('data', () => run.child.stdout?.destroy());
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EPIPE|Unhandled/);
    assert.deepEqual(sb.alive(), []);
  });
});

void describe('mcp-host interrupted while a tool runs', () => {
  let sb: CliSandbox;
  before(() => (sb = cliSandbox()));
  after(() => sb.close());

  /** Starts `call slow` and resolves once the server received the call. */
  async function startSlowCall(flags: string[]): Promise<ReturnType<CliSandbox['start']>> {
    const record = path.join(sb.dir, `record-${Math.random().toString(36).slice(2)}.jsonl`);
    const run = sb.start(['call', 'slow', 'ms=60000', ...hostile(...flags)], { env: { RECORD_FILE: record } });
    await waitUntil('the tools/call to reach the server', () => fs.existsSync(record) && fs.readFileSync(record, 'utf8').includes('"tools/call"'));
    assert.ok(sb.alive().length >= 2, 'the CLI and its server are running');
    return run;
  }

  void it('Ctrl+C (SIGINT): exit 130, "interrupted", no process left', async () => {
    const run = await startSlowCall([]);
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /^mcp-host: interrupted$/m);
    assert.equal(r.stdout, '');
    assert.deepEqual(sb.alive(), []);
  });

  void it('Ctrl+C with a server tree that ignores EOF and SIGTERM: still nothing left (SIGKILL after the grace)', async () => {
    const run = await startSlowCall(['--wrapper', '--ignore-eof-term']);
    run.child.kill('SIGINT');
    const r = await run.done;
    assert.equal(r.code, 130, r.stderr);
    assert.deepEqual(sb.alive(), []);
  });

  void it('SIGTERM: exit 143, no process left', async () => {
    const run = await startSlowCall([]);
    run.child.kill('SIGTERM');
    const r = await run.done;
    assert.equal(r.code, 143, r.stderr);
    assert.deepEqual(sb.alive(), []);
  });
});
