import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ProcessExit } from '../../../../src/core/transport/types';
import { createStdioTransport, recoverResponseId } from '../../../../src/core/transport/stdio/stdioTransport';
import { SpawnError } from '../../../../src/core/transport/stdio/spawnErrors';
import { isAlive, listDescendants } from '../../../../src/core/transport/stdio/processTree';
import { loadEnvFile } from '../../../../src/core/transport/stdio/envFile';
import { MiniClient, fixture, nodeServer, recordingLogger, repoRoot, waitFor } from './helpers';

const MiB = 1024 * 1024;

void test('an echo server answers and close() ends it with an expected exit, then onclose', async () => {
  const { transport, client } = nodeServer('echo-jsonrpc.mjs');
  const events: string[] = [];
  let exit: ProcessExit | undefined;
  transport.onDidExit((e) => {
    exit = e;
    events.push('exit');
  });
  transport.onclose = () => events.push('close');
  await transport.start();
  assert.ok(transport.pid && transport.pid > 0);
  const r = await client.request('echo', { hello: 'wörld', n: [1, 2] });
  assert.deepEqual(r.result, { hello: 'wörld', n: [1, 2] });
  await transport.close();
  assert.deepEqual(events, ['exit', 'close']);
  assert.equal(exit?.expected, true);
  assert.equal(exit?.code, 0);
  await assert.rejects(transport.send({ jsonrpc: '2.0', method: 'x' }), /Not connected/);
});

void test('banner and log lines on stdout, JSON non-objects, JSON logs and CRLF endings are skipped with a warning', async () => {
  const { transport, client, logger } = nodeServer('echo-jsonrpc.mjs', ['--banner', '--crlf']);
  await transport.start();
  try {
    const r = await client.request('echo', { ok: true });
    assert.deepEqual(r.result, { ok: true });
    const warnings = logger.text('warn');
    assert.match(warnings, /not a JSON-RPC message.*Server v1\.0 starting/);
    assert.match(warnings, /\[info\] listening on stdio/);
    assert.match(warnings, /: \[1,2\]/);
    assert.match(warnings, /"just a string"/);
    assert.match(warnings, /pino-style log line/);
    assert.equal(client.messages.length, 1, 'only the response reached onmessage');
    assert.equal(client.errors.length, 0);
  } finally {
    await transport.close();
  }
});

void test('messages sent in one tick reach the server in at most two writes (the first at once, the rest together)', async () => {
  const { transport, client } = nodeServer('echo-jsonrpc.mjs');
  await transport.start();
  try {
    await client.request('ping');
    const replies = Array.from({ length: 40 }, () => client.request('chunk'));
    const chunks = new Set((await Promise.all(replies)).map((m) => (m.result as { chunk: number }).chunk));
    assert.ok(chunks.size <= 2, `40 messages of one tick arrived in ${chunks.size} reads`);
  } finally {
    await transport.close();
  }
});

void test('a 50 MiB result arrives whole and the connection stays usable', async () => {
  const { transport, client, logger } = nodeServer('echo-jsonrpc.mjs');
  await transport.start();
  try {
    const r = await client.request('big', { bytes: 50 * MiB }, 60_000);
    assert.equal((r.result as { text: string }).text.length, 50 * MiB);
    const again = await client.request('echo', { after: 'big' });
    assert.deepEqual(again.result, { after: 'big' });
    // The trace log holds an excerpt, never the whole message.
    const longest = Math.max(...logger.lines.map((l) => l.message.length));
    assert.ok(longest < 4096, `longest log line ${longest}`);
  } finally {
    await transport.close();
  }
});

void test('a result over maxMessageBytes fails its request with a clear error and the connection stays open', async () => {
  const { transport, client } = nodeServer('endless-line.mjs', [], { maxMessageBytes: 1 * MiB });
  await transport.start();
  try {
    const r = await client.request('grow', { bytes: 3 * MiB });
    const error = r.error as { code: number; message: string };
    assert.match(error.message, /message from server exceeded 1 MiB \(mcpHost\.maxMessageSizeMB\)/);
    assert.equal(client.errors.length, 1);
    assert.match(client.errors[0]?.message ?? '', /exceeded 1 MiB/);
    assert.equal(client.closed, false);
    const after = await client.request('echo', { still: 'open' });
    assert.deepEqual(after.result, { still: 'open' });
  } finally {
    await transport.close();
  }
});

void test('a line that grows forever does not grow memory past the limit and is reported at once', async () => {
  const { transport, client } = nodeServer('endless-line.mjs', [], { maxMessageBytes: 4 * MiB });
  await transport.start();
  try {
    const rss0 = process.memoryUsage().rss;
    void client.request('grow', {}, 120_000).catch(() => undefined);
    await waitFor(() => client.errors.length > 0, 20_000, 'the overflow error');
    assert.match(client.errors[0]?.message ?? '', /exceeded 4 MiB/);
    // Let at least 100 MiB more stream through.
    const cpu0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1500));
    const rss1 = process.memoryUsage().rss;
    assert.ok(rss1 - rss0 < 64 * MiB, `rss grew by ${((rss1 - rss0) / MiB).toFixed(1)} MiB`);
    assert.ok(process.cpuUsage(cpu0).user > 0);
  } finally {
    await transport.close();
  }
});

void test('a stderr flood and a 1 MB stderr line are drained, logged bounded and kept as a bounded tail', async () => {
  const { transport, client, logger } = nodeServer('stderr-flood.mjs', ['--seconds', '1.5']);
  await transport.start();
  try {
    // Echo keeps answering while stderr floods: stderr is being drained.
    for (let i = 0; i < 5; i++) {
      const r = await client.request('echo', { i });
      assert.equal((r.result as { i: number }).i, i);
    }
    await waitFor(() => transport.stderrTail().includes('flood done'), 30_000, 'the end of the flood');
    const r = await client.request('echo', {});
    const flooded = (r.result as { flooded: number }).flooded;
    assert.ok(flooded > 1000, `only ${flooded} lines flooded`);
    const tail = transport.stderrTail();
    assert.ok(tail.length <= 16 * 1024, `tail is ${tail.length} chars`);
    assert.ok(tail.split('\n').length <= 50);
    const big = logger.lines.find((l) => l.message.startsWith('BIGyyy'));
    assert.ok(big, 'the 1 MB line is logged');
    assert.ok(big.message.length < 4096, `1 MB line logged as ${big.message.length} chars`);
    assert.ok(big.message.endsWith('[line of 1048579 bytes truncated]'), big.message.slice(-80));
    assert.ok(logger.lines.every((l) => l.message.length < 4096));
  } finally {
    await transport.close();
  }
});

void test('a server that exits during startup reports code, stderr tail and unexpected exit before onclose', async () => {
  const { transport, client } = nodeServer('exit-with-stderr.mjs');
  const exits: ProcessExit[] = [];
  transport.onDidExit((e) => exits.push(e));
  await transport.start();
  await waitFor(() => client.closed, 10_000, 'onclose');
  assert.equal(exits.length, 1);
  assert.equal(exits[0]?.code, 3);
  assert.equal(exits[0]?.signal, null);
  assert.equal(exits[0]?.expected, false);
  assert.equal(exits[0]?.stderrTail, 'starting\nfatal: config missing\nbye');
  await transport.close(); // harmless after exit
});

void test('a server that exits on request reports its exit code and stderr', async () => {
  const { transport, client } = nodeServer('echo-jsonrpc.mjs');
  let exit: ProcessExit | undefined;
  transport.onDidExit((e) => (exit = e));
  await transport.start();
  await transport.send({ jsonrpc: '2.0', id: 1, method: 'exit', params: { code: 7 } });
  await waitFor(() => client.closed, 10_000, 'onclose');
  assert.equal(exit?.code, 7);
  assert.match(exit?.stderrTail ?? '', /exiting with 7/);
});

void test('the server environment: VSCODE_* stripped, envFile over the editor, env over envFile, null unsets', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-env-'));
  const envFile = path.join(dir, '.env');
  fs.writeFileSync(envFile, '# test\nFROM_FILE=file\nBOTH=file\nexport QUOTED="a b"\n');
  const { envFileVariables } = await loadEnvFile({ command: 'node', args: [], cwd: dir, env: {}, envFile, secrets: [] });
  const { transport, client } = nodeServer('echo-jsonrpc.mjs', [], {
    baseEnv: { ...process.env, VSCODE_IPC_HOOK: '/tmp/h.sock', VSCODE_PID: '1', ELECTRON_RUN_AS_NODE: '1', DROP_ME: 'x', BASE_ONLY: 'base', BOTH: 'base' },
    envFile,
    envFileVariables,
    env: { BOTH: 'env', DROP_ME: null, ARG: 'with spaces; $(echo no-shell)' },
  });
  await transport.start();
  try {
    const env = (await client.request('env')).result as Record<string, string>;
    assert.equal(env.VSCODE_IPC_HOOK, undefined);
    assert.equal(env.VSCODE_PID, undefined);
    assert.equal(env.ELECTRON_RUN_AS_NODE, undefined);
    assert.equal(env.DROP_ME, undefined);
    assert.equal(env.BASE_ONLY, 'base');
    assert.equal(env.FROM_FILE, 'file');
    assert.equal(env.QUOTED, 'a b');
    assert.equal(env.BOTH, 'env');
    assert.equal(env.ARG, 'with spaces; $(echo no-shell)');
    assert.equal(env.PATH, process.env.PATH);
  } finally {
    await transport.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

void test('arguments reach the server literally (no shell) and cwd is honoured', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-cwd-'));
  const argsDump = path.join(dir, 'args.mjs');
  fs.writeFileSync(argsDump, 'process.stderr.write(JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd() }) + "\\n");\n');
  const tricky = ['$HOME', '"quoted"', 'a b', '*', '; echo pwned', '`id`', "it's"];
  const logger = recordingLogger();
  const t = createStdioTransport({
    launch: { command: process.execPath, args: [argsDump, ...tricky], cwd: dir, env: {}, secrets: [] },
    baseEnv: process.env,
    maxMessageBytes: MiB,
    logger,
  });
  let exit: ProcessExit | undefined;
  t.onDidExit((e) => (exit = e));
  await t.start();
  await waitFor(() => exit !== undefined, 10_000, 'exit');
  const dumped = JSON.parse(exit?.stderrTail ?? '{}') as { argv: string[]; cwd: string };
  assert.deepEqual(dumped.argv, tricky);
  assert.equal(fs.realpathSync(dumped.cwd), fs.realpathSync(dir));
  fs.rmSync(dir, { recursive: true, force: true });
});

function launchWith(partial: { command: string; cwd?: string; envFile?: string; env?: Record<string, string | null> }) {
  return createStdioTransport({
    launch: { args: [], cwd: repoRoot(), env: {}, secrets: [], ...partial },
    baseEnv: process.env,
    maxMessageBytes: MiB,
    logger: recordingLogger(),
  });
}

void test('a command that is not on PATH fails start() naming the command, the cwd and the PATH searched', async () => {
  const t = launchWith({ command: 'definitely-not-a-real-mcp-server', env: { PATH: '/nonexistent/bin:/usr/bin' } });
  await assert.rejects(t.start(), (err: unknown) => {
    assert.ok(err instanceof SpawnError);
    assert.equal(err.code, 'ENOENT');
    assert.match(err.message, /"definitely-not-a-real-mcp-server"/);
    assert.match(err.message, /not found on the PATH/);
    assert.ok(err.message.includes('/nonexistent/bin:/usr/bin'));
    assert.ok(err.message.includes(repoRoot()));
    return true;
  });
  assert.equal(t.pid, undefined);
});

void test('a missing relative command path and a missing cwd each give a precise error', async () => {
  await assert.rejects(launchWith({ command: './no-such-server.sh' }).start(), (e: SpawnError) => {
    assert.equal(e.code, 'ENOENT');
    assert.ok(e.message.includes(path.join(repoRoot(), 'no-such-server.sh')));
    return true;
  });
  await assert.rejects(launchWith({ command: 'node', cwd: '/no/such/dir' }).start(), (e: SpawnError) => {
    assert.equal(e.code, 'ENOCWD');
    assert.match(e.message, /working directory \/no\/such\/dir does not exist/);
    return true;
  });
});

void test('a command that exists but is not executable is reported as such', { skip: process.platform === 'win32' }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-noexec-'));
  const file = path.join(dir, 'server.sh');
  fs.writeFileSync(file, '#!/bin/sh\necho hi\n', { mode: 0o644 });
  await assert.rejects(launchWith({ command: file }).start(), (e: SpawnError) => {
    assert.equal(e.code, 'EACCES');
    assert.match(e.message, /is not executable/);
    return true;
  });
  fs.rmSync(dir, { recursive: true, force: true });
});

void test('secrets are redacted from the log', async () => {
  const logger = recordingLogger();
  const t = createStdioTransport({
    launch: { command: process.execPath, args: [fixture('echo-jsonrpc.mjs'), '--token=s3cr3t-value'], cwd: repoRoot(), env: {}, secrets: ['s3cr3t-value'] },
    baseEnv: process.env,
    maxMessageBytes: MiB,
    logger,
  });
  await t.start();
  await t.send({ jsonrpc: '2.0', id: 1, method: 'echo', params: { token: 's3cr3t-value' } });
  await waitFor(() => logger.text().includes('←'), 10_000, 'the response');
  await t.close();
  assert.ok(!logger.text().includes('s3cr3t-value'));
  assert.match(logger.text(), /••••••/);
});

void test('the id of an oversized response is recovered only when unambiguous', () => {
  assert.equal(recoverResponseId({ head: '{"jsonrpc":"2.0","id":12,"result":{"content":[', tail: 'xx"}]}}' }), 12);
  assert.equal(recoverResponseId({ head: '{"result":{"contents":[{"text":"', tail: '"}]},"jsonrpc":"2.0","id":"a-1"}' }), 'a-1');
  // A request from the server (method first) with its id at the end is not a response to us.
  assert.equal(recoverResponseId({ head: '{"method":"sampling/createMessage","params":{', tail: '},"jsonrpc":"2.0","id":3}' }), undefined);
  // An "id" inside the content is not taken for the message id.
  assert.equal(recoverResponseId({ head: '{"result":{"x":"', tail: '"id":4}' }), 4);
  assert.equal(recoverResponseId({ head: 'garbage', tail: '"id":4}' }), undefined);
});

void test('the real server-everything initializes and lists its tools over the transport, and leaves nothing behind', async () => {
  const logger = recordingLogger();
  const t = createStdioTransport({
    launch: {
      command: process.execPath,
      args: [path.join(repoRoot(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
      cwd: repoRoot(),
      env: {},
      secrets: [],
    },
    baseEnv: process.env,
    maxMessageBytes: 256 * MiB,
    logger,
  });
  const client = new MiniClient(t);
  await t.start();
  const pid = t.pid as number;
  let tree: number[] = [];
  try {
    const init = await client.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '0' } }, 60_000);
    assert.equal((init.result as { serverInfo: { name: string } }).serverInfo.name.length > 0, true);
    await t.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    const tools = await client.request('tools/list', {}, 60_000);
    const names = (tools.result as { tools: { name: string }[] }).tools.map((x) => x.name);
    assert.ok(names.includes('echo'), names.join(','));
    tree = listDescendants(pid);
  } finally {
    await t.close();
  }
  assert.deepEqual([pid, ...tree].filter((p) => isAlive(p)), []);
});
