/**
 * Where `mcp-host` finds servers (--config files, the current folder, VS Code's user settings), the
 * --trust-workspace rule, and `${input:...}` values from --input, the environment, or nowhere (exit 3).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, startEverything, startWsServer } from '../../support/remoteFixtures';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/repoRoot';
import { cliSandbox, everything, type CliSandbox } from './helpers';

/** A server entry that records that it ran (a file) before serving as server-everything. */
function recordingEntry(sb: CliSandbox, tag: string): { command: string; args: string[] } {
  const script = sb.write(
    `run-${tag}.mjs`,
    `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(path.join(sb.dir, `ran-${tag}`))}, '1');\nawait import(${JSON.stringify(pathToFileURL(everything()).href)});\n`,
  );
  return { command: process.execPath, args: [script] };
}

void describe('mcp-host configuration sources and trust', () => {
  let sb: CliSandbox;
  before(() => (sb = cliSandbox()));
  after(() => sb.close());

  void it('servers lists the current folder\'s files and VS Code\'s user settings, workspace ones marked', async () => {
    sb.write('.vscode/mcp.json', JSON.stringify({ servers: { ws: recordingEntry(sb, 'ws') } }));
    sb.write('.mcp.json', JSON.stringify({ mcpServers: { claude: { command: 'node', args: ['x.js'] }, remote: { url: 'https://example.com/mcp' } } }));
    sb.write('.config/Code/User/settings.json', `{\n  // comments are fine\n  "mcpHost.servers": { "mine": ${JSON.stringify(recordingEntry(sb, 'mine'))} },\n}`);
    const r = await sb.run(['servers']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^mine {2}\(stdio, user settings \(mcpHost\.servers\)\)$/m);
    assert.match(r.stdout, /^ws {2}\(stdio, .*\.vscode\/mcp\.json\) {2}\[needs --trust-workspace\]$/m);
    assert.match(r.stdout, /^claude {2}\(stdio, .*\.mcp\.json\) {2}\[needs --trust-workspace\]$/m);
    assert.match(r.stdout, /^remote {2}\(http, .*\.mcp\.json\) {2}\[needs --trust-workspace\]$/m);
    const json = JSON.parse((await sb.run(['servers', '--format', 'json'])).stdout) as { name: string; status: string }[];
    assert.deepEqual(json.map((s) => [s.name, s.status]).sort(), [
      ['claude', 'needs --trust-workspace'],
      ['mine', 'ok'],
      ['remote', 'needs --trust-workspace'],
      ['ws', 'needs --trust-workspace'],
    ]);
  });

  void it('a workspace server is refused without --trust-workspace (exit 7, says why, nothing runs) and runs with it', async () => {
    const refused = await sb.run(['tools', 'ws']);
    assert.equal(refused.code, 7);
    assert.match(refused.stderr, /server "ws" is defined by a workspace file .*\.vscode\/mcp\.json.*not started/);
    assert.match(refused.stderr, /--trust-workspace/);
    assert.equal(fs.existsSync(path.join(sb.dir, 'ran-ws')), false, 'the workspace server never ran');
    const trusted = await sb.run(['tools', 'ws', '--trust-workspace']);
    assert.equal(trusted.code, 0, trusted.stderr);
    assert.match(trusted.stdout, /^echo\s/m);
    assert.equal(fs.existsSync(path.join(sb.dir, 'ran-ws')), true);
  });

  void it('a user-settings server runs without --trust-workspace', async () => {
    const r = await sb.run(['call', 'mine', 'get-sum', 'a=1', 'b=2']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'The sum of 1 and 2 is 3.\n');
  });

  void it('--config reads only the named files; Claude Desktop\'s file is the user\'s own (no trust needed)', async () => {
    const claude = sb.write('claude/claude_desktop_config.json', JSON.stringify({ mcpServers: { desk: recordingEntry(sb, 'desk') } }));
    const list = await sb.run(['servers', '--config', claude]);
    assert.match(list.stdout, /^desk {2}\(stdio, .*claude_desktop_config\.json\)$/m);
    assert.doesNotMatch(list.stdout, /^(ws|mine|claude) /m, 'the default sources are not read with --config');
    const r = await sb.run(['ping', 'desk', '--config', claude]);
    assert.equal(r.code, 0, r.stderr);
    const other = sb.write('proj/.mcp.json', JSON.stringify({ mcpServers: { proj: recordingEntry(sb, 'proj') } }));
    assert.equal((await sb.run(['ping', 'proj', '--config', other])).code, 7, 'a project .mcp.json named with --config is still a workspace file');
  });

  void it('a project file named with --config: ${workspaceFolder} and the default cwd are its project folder', async () => {
    const out = path.join(sb.dir, 'where.json');
    const script = sb.write(
      'where.mjs',
      `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(out)}, JSON.stringify({ cwd: process.cwd(), arg: process.env.WHERE }));\nawait import(${JSON.stringify(pathToFileURL(everything()).href)});\n`,
    );
    const file = sb.write('elsewhere/app/.vscode/mcp.json', JSON.stringify({ servers: { where: { command: process.execPath, args: [script], env: { WHERE: '${workspaceFolder}' } } } }));
    const r = await sb.run(['ping', 'where', '--trust-workspace', '--config', file]);
    assert.equal(r.code, 0, r.stderr);
    const app = path.join(sb.dir, 'elsewhere', 'app');
    assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')), { cwd: app, arg: app });
  });

  void it('an unknown server: exit 1 naming the configured ones; an unreadable --config: exit 1', async () => {
    const r = await sb.run(['tools', 'nope']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no server named "nope"/);
    assert.match(r.stderr, /configured servers: .*mine/);
    const missing = await sb.run(['servers', '--config', path.join(sb.dir, 'absent.json')]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /cannot read .*absent\.json/);
  });

  void it('a remote server (--url) is reached over Streamable HTTP: server-everything on 127.0.0.1 lists its tools', async () => {
    const everything = await startEverything('streamableHttp');
    try {
      const r = await sb.run(['tools', '--url', everything.url]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^echo\b/m);
    } finally {
      await everything.stop();
    }
  });

  void it('a server given after -- runs in the current folder: a relative script path works', async () => {
    const app = path.join(sb.dir, 'proj');
    sb.write('proj/srv.mjs', `await import(${JSON.stringify(pathToFileURL(everything()).href)});\n`);
    const r = await sb.run(['tools', '--', process.execPath, 'srv.mjs', 'stdio'], { cwd: app });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^echo\b/m);
  });

  void it('a ws:// --url is reached over WebSocket; another scheme is a usage error', async () => {
    const ws = await startWsServer();
    try {
      const r = await sb.run(['tools', '--url', ws.url('normal')]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^echo\b/m);
    } finally {
      await ws.close();
    }
    const bad = await sb.run(['tools', '--url', 'ftp://127.0.0.1/mcp']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--url must be an http:\/\/, https:\/\/, ws:\/\/ or wss:\/\/ URL, not ftp:/);
  });

  void it('a remote server that cannot be reached exits 4 with the network reason', async () => {
    const port = await freePort(); // free a moment ago: nothing listens there
    const r = await sb.run(['tools', '--url', `http://127.0.0.1:${port}/mcp`]);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /refused/i);
  });
});

void describe('mcp-host inputs', () => {
  let sb: CliSandbox;
  const secret = 'S3cr3t-value-42';
  before(() => {
    sb = cliSandbox();
    sb.write(
      '.vscode/mcp.json',
      JSON.stringify({
        inputs: [{ type: 'promptString', id: 'api-token', description: 'API token', password: true }],
        servers: { env: { command: process.execPath, args: [everything()], env: { API_TOKEN: '${input:api-token}' } } },
      }),
    );
  });
  after(() => sb.close());

  const tokenOf = (stdout: string): string | undefined => (/"API_TOKEN":\s*"([^"]*)"/.exec(stdout) ?? [])[1];

  void it('--input gives the value; --verbose never shows it on stderr', async () => {
    const r = await sb.run(['call', 'env', 'get-env', '--trust-workspace', '--verbose', '--input', `api-token=${secret}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(tokenOf(r.stdout), secret, 'the server got the value');
    assert.match(r.stderr, /trace: ← /, 'the traffic was traced');
    assert.ok(!r.stderr.includes(secret), 'the secret is redacted from the trace and the logs');
  });

  void it('the environment (MCP_HOST_INPUT_API_TOKEN) gives the value', async () => {
    const r = await sb.run(['call', 'env', 'get-env', '--trust-workspace'], { env: { MCP_HOST_INPUT_API_TOKEN: secret } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(tokenOf(r.stdout), secret);
  });

  void it('no value and no terminal: exit 3 (authorisation needed) saying how to pass it, nothing started', async () => {
    const r = await sb.run(['tools', 'env', '--trust-workspace']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /needs the input "api-token" and there is no terminal to ask for it/);
    assert.match(r.stderr, /--input api-token=VALUE or the environment variable MCP_HOST_INPUT_API_TOKEN/);
    assert.deepEqual(sb.alive(), []);
  });
});

void describe('mcp-host remembers each server\'s protocol era between runs', () => {
  let sb: CliSandbox;
  before(() => {
    sb = cliSandbox();
  });
  after(() => sb.close());

  void it('a legacy server that ignores server/discover costs the probe once, not on every run; the cache holds no definition text', async () => {
    const record = path.join(sb.dir, 'record.jsonl');
    const scripted = path.join(repoRoot(), 'test/fixtures/protocol/scripted-server.mjs');
    const args = ['ping', '--', process.execPath, scripted, 'silent-before-init'];
    const first = await sb.run(args, { env: { RECORD_FILE: record } });
    assert.equal(first.code, 0, first.stderr);
    const discovers = () => fs.readFileSync(record, 'utf8').split('\n').filter((l) => l.includes('"server/discover"')).length;
    assert.equal(discovers(), 1, 'the first run probed');
    const second = await sb.run(args, { env: { RECORD_FILE: record } });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(discovers(), 1, 'the second run went straight to initialize');
    const cache = fs.readFileSync(path.join(sb.dir, '.cache/mcp-host/protocol-eras.json'), 'utf8');
    assert.match(cache, /"mcpHost\.protocolEra\.[0-9a-f]{32}":\{"era":"legacy"/);
    assert.ok(!cache.includes('scripted-server') && !cache.includes(process.execPath), cache);
  });
});
