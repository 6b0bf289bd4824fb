import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  ConfigResolveError,
  loadConfig,
  restrictedFolderUseMessage,
  workspaceFolderFields,
  resolveLaunch,
  type ConfigInput,
  type ServerDefinition,
} from '../../../src/core/config';
import { folderInfo, makeContext, tempDir, writeFile } from './helpers';

function one(input: ConfigInput, name?: string): ServerDefinition {
  const config = loadConfig(input);
  const def = name ? config.servers.find((s) => s.name === name) : config.servers[0];
  assert.ok(def, `no server ${name ?? ''} in ${JSON.stringify(config)}`);
  return def;
}

function fromMcpJson(folder: string, servers: unknown, inputs: unknown[] = []): ServerDefinition {
  const text = JSON.stringify({ inputs, servers });
  return one({ files: [{ kind: 'folderMcpJson', path: path.join(folder, '.vscode/mcp.json'), folder, text }] });
}

void test('every variable kind expands in command, args, env, cwd and envFile', async () => {
  const ws = '/work/app';
  const def = fromMcpJson(ws, {
    s: {
      command: '${workspaceFolder}${/}bin${pathSeparator}server',
      args: ['${workspaceFolderBasename}', '${userHome}/x', '${env:TOKEN_FROM_ENV}', '[${env:NOT_SET}]', '${workspaceFolder:other}', '${input:name}'],
      env: { HOME_DIR: '${userHome}', N: 7, GONE: null },
      cwd: '${workspaceFolder}/sub',
      envFile: '${workspaceFolder:other}/.env',
    },
  }, [{ type: 'promptString', id: 'name' }]);
  const ctx = makeContext({ workspaceFolders: [folderInfo(ws), folderInfo('/work/other')] });
  ctx.inputs.answers['name'] = 'typed';
  const launch = await resolveLaunch(def, ctx);
  assert.deepEqual(launch, {
    command: `/work/app${path.sep}bin${path.sep}server`,
    args: ['app', '/home/user/x', 'env-value', '[]', '/work/other', 'typed'],
    env: { HOME_DIR: '/home/user', N: '7', GONE: null },
    cwd: '/work/app/sub',
    envFile: '/work/other/.env',
    secrets: [],
  });
});

void test('an unknown variable fails with an error naming the server and the field', async () => {
  const def = one({ userSettings: { s: { command: 'node', args: ['ok', '${config:editor.tabSize}'] } }, files: [] });
  assert.match(def.configError ?? '', /not supported by MCP Host/);
  await assert.rejects(resolveLaunch(def, makeContext()), (e: unknown) => {
    assert.ok(e instanceof ConfigResolveError);
    assert.equal(e.serverName, 's');
    assert.match(e.message, /Server "s": \$\{config:editor\.tabSize\} is not supported/);
    return true;
  });
  // Even a definition built by hand (no load-time check) never keeps the variable text.
  const handmade: ServerDefinition = { ...def, configError: undefined, entry: { ...def.entry, args: ['${bogus}'] } };
  await assert.rejects(resolveLaunch(handmade, makeContext()), (e: unknown) => {
    assert.ok(e instanceof ConfigResolveError);
    assert.equal(e.field, 'args[0]');
    assert.match(e.message, /\$\{bogus\} is not a known variable \(supported: /);
    return true;
  });
});

void test('${workspaceFolder:NAME} of a folder that is not open names the open folders', async () => {
  const def = fromMcpJson('/w/a', { s: { command: 'x', args: ['${workspaceFolder:nope}'] } });
  await assert.rejects(resolveLaunch(def, makeContext({ workspaceFolders: [folderInfo('/w/a')] })), /\$\{workspaceFolder:nope\} in args\[0\] names no open folder \(open: "a"\)/);
});

void test("cwd defaults to the source folder; a user server's default cwd is always the home folder", async () => {
  const fileDef = fromMcpJson('/ws/one', { s: { command: 'x' } });
  assert.equal((await resolveLaunch(fileDef, makeContext())).cwd, '/ws/one');
  const wsSettings = one({ workspaceSettings: [{ value: { w: { command: 'x' } } }], files: [] });
  assert.equal((await resolveLaunch(wsSettings, makeContext({ workspaceFolders: [folderInfo('/ws/one')] }))).cwd, '/ws/one');

  // The user's own server never starts in the open folder unasked: launchers (npx, uvx, python -m) read code
  // and settings from their working directory. ${workspaceFolder} in args still names the folder.
  const user = one({ userSettings: { u: { command: 'x', args: ['${workspaceFolder}'] } }, files: [] });
  const single = await resolveLaunch(user, makeContext({ workspaceFolders: [folderInfo('/ws/one')] }));
  assert.equal(single.cwd, '/home/user');
  assert.deepEqual(single.args, ['/ws/one']);

  const noArgs = one({ userSettings: { u: { command: 'x' } }, files: [] });
  assert.equal((await resolveLaunch(noArgs, makeContext())).cwd, '/home/user');
  assert.equal((await resolveLaunch(noArgs, makeContext({ workspaceFolders: [folderInfo('/ws/one')] }))).cwd, '/home/user');
  assert.equal((await resolveLaunch(noArgs, makeContext({ workspaceFolders: [folderInfo('/a'), folderInfo('/b')] }))).cwd, '/home/user');
  await assert.rejects(
    resolveLaunch(user, makeContext({ workspaceFolders: [folderInfo('/a'), folderInfo('/b')] })),
    /uses \$\{workspaceFolder\} in args\[0\], but it is defined in user settings and 2 folders are open: write \$\{workspaceFolder:NAME\}/,
  );
  await assert.rejects(resolveLaunch(user, makeContext()), /but no workspace folder is open/);

  // Asked for explicitly, the folder is honoured.
  const inFolder = one({ userSettings: { u: { command: 'x', cwd: '${workspaceFolder}' } }, files: [] });
  assert.equal((await resolveLaunch(inFolder, makeContext({ workspaceFolders: [folderInfo('/ws/one')] }))).cwd, '/ws/one');
});

void test("a user server's relative cwd, envFile and command resolve against the home folder, even with one folder open", async () => {
  const user = one({ userSettings: { u: { command: 'bin/server', cwd: 'projects', envFile: 'secrets.env' } }, files: [] });
  const u = await resolveLaunch(user, makeContext({ workspaceFolders: [folderInfo('/ws/one')] }));
  assert.equal(u.cwd, '/home/user/projects');
  assert.equal(u.envFile, '/home/user/secrets.env');
  assert.equal(u.command, '/home/user/projects/bin/server');
  const noCwd = one({ userSettings: { u: { command: './server', envFile: '.env' } }, files: [] });
  const n = await resolveLaunch(noCwd, makeContext({ workspaceFolders: [folderInfo('/ws/one')] }));
  assert.equal(n.command, '/home/user/server');
  assert.equal(n.envFile, '/home/user/.env');
});

void test('workspaceFolderFields names the fields of a definition that make the workspace folder supply what runs', () => {
  const user = one({
    userSettings: { u: { command: '${workspaceFolder}/bin/s', cwd: '${workspaceFolder:app}', envFile: '${workspaceFolderBasename}.env', args: ['${workspaceFolder}'] } },
    files: [],
  });
  assert.deepEqual(workspaceFolderFields(user), ['command', 'cwd', 'envFile']);
  assert.deepEqual(workspaceFolderFields(one({ userSettings: { u: { command: 'x', args: ['${workspaceFolder}'], cwd: '${userHome}/p' } }, files: [] })), []);

  const cwdOnly = one({ userSettings: { u: { command: 'npx', cwd: '${workspaceFolder}' } }, files: [] });
  const msg = restrictedFolderUseMessage(cwdOnly) ?? '';
  assert.match(msg, /"u" \(user settings\) takes "cwd": "\$\{workspaceFolder\}" from the workspace folder/);
  assert.match(msg, /Restricted Mode/);
  assert.match(msg, /Trust the workspace to run it, or remove "cwd"/);
  assert.match(restrictedFolderUseMessage(user) ?? '', /use paths outside the workspace/);
  assert.equal(restrictedFolderUseMessage(one({ userSettings: { u: { command: 'npx' } }, files: [] })), undefined);
});

void test('relative cwd and envFile resolve against the source folder, ~ against the home folder', async (t) => {
  const ws = tempDir(t);
  const envFile = writeFile(path.join(ws, 'config/.env'), 'A=1\n');
  const def = fromMcpJson(ws, { s: { command: './bin/run', cwd: 'sub', envFile: 'config/.env' } });
  const launch = await resolveLaunch(def, makeContext());
  assert.equal(launch.cwd, path.join(ws, 'sub'));
  assert.equal(launch.envFile, envFile);
  // A relative command with a slash is made absolute against the launch cwd (what the OS would do anyway).
  assert.equal(launch.command, path.join(ws, 'sub/bin/run'));

  const user = one({ userSettings: { u: { command: '~/bin/server', cwd: '~/projects', envFile: 'secrets.env', args: ['~/kept'] } }, files: [] });
  const u = await resolveLaunch(user, makeContext());
  assert.equal(u.command, '/home/user/bin/server');
  assert.equal(u.cwd, '/home/user/projects');
  assert.equal(u.envFile, '/home/user/secrets.env');
  assert.deepEqual(u.args, ['~/kept']);
});

void test('a bare command name is kept for PATH lookup', async () => {
  const def = fromMcpJson('/w', { s: { command: 'npx', args: ['-y', 'pkg'] } });
  const launch = await resolveLaunch(def, makeContext());
  assert.equal(launch.command, 'npx');
});

void test("Claude's ${VAR} and ${VAR:-default} work in .mcp.json; an unset ${VAR} without default is an error", async () => {
  const text = JSON.stringify({ mcpServers: { s: { command: '${TOOLS}/srv', args: ['${MISSING:-fallback}', '${TOKEN_FROM_ENV}'], env: { K: '${userHome}' } } } });
  const def = one({ files: [{ kind: 'rootMcpJson', path: '/w/.mcp.json', folder: '/w', text }] });
  const launch = await resolveLaunch(def, makeContext({ baseEnv: { TOOLS: '/opt/tools', TOKEN_FROM_ENV: 't' } }));
  assert.equal(launch.command, '/opt/tools/srv');
  assert.deepEqual(launch.args, ['fallback', 't']);
  assert.deepEqual(launch.env, { K: '/home/user' });
  await assert.rejects(resolveLaunch(def, makeContext({ baseEnv: {} })), /\$\{TOOLS\} in command needs the environment variable TOOLS, which is not set/);
});

void test('remote servers resolve to their url and headers; broken entries are refused with a message for people', async () => {
  const config = loadConfig({ userSettings: { h: { type: 'http', url: 'https://x/${env:P}', headers: { 'X-Tenant': '${env:T}' } }, nocmd: { args: [] }, bad: { type: 'ws', url: '${env:P}' } }, files: [] });
  const launch = await resolveLaunch(config.servers[0]!, makeContext({ baseEnv: { P: 'mcp', T: 'acme' } }));
  assert.deepEqual(launch.remote, { type: 'http', url: 'https://x/mcp', headers: { 'X-Tenant': 'acme' } });
  assert.equal(launch.command, '');
  await assert.rejects(resolveLaunch(config.servers[2]!, makeContext({ baseEnv: { P: 'http://x' } })), /Server "bad": "url" must start with ws:\/\/ or wss:\/\//);
  await assert.rejects(resolveLaunch(config.servers[1]!, makeContext()), (e: unknown) => {
    assert.ok(e instanceof ConfigResolveError);
    assert.match(e.message, /Server "nocmd" has no "command"/);
    return true;
  });
});

void test('a password input in a header or url is asked once, expanded, and listed as a secret to redact', async () => {
  const text = JSON.stringify({
    inputs: [{ type: 'promptString', id: 'token', password: true }],
    servers: { r: { type: 'http', url: 'https://h/mcp?key=${input:token}', headers: { Authorization: 'Bearer ${input:token}' } } },
  });
  const def = one({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  let asked = 0;
  const launch = await resolveLaunch(def, makeContext({ inputs: { prompt: () => (asked++, Promise.resolve('s3cret-value')) } }));
  assert.equal(asked, 1);
  assert.deepEqual(launch.remote, { type: 'http', url: 'https://h/mcp?key=s3cret-value', headers: { Authorization: 'Bearer s3cret-value' } });
  assert.deepEqual(launch.secrets, ['s3cret-value']);
});

void test('"oauth": a client id, and a client secret only from a password input (a literal secret is refused)', async () => {
  const mcpJson = (servers: unknown, inputs: unknown[] = []) =>
    loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text: JSON.stringify({ inputs, servers }) }] });
  const ok = mcpJson(
    { r: { type: 'http', url: 'https://h/mcp', oauth: { clientId: 'mcp-host', clientSecret: '${input:cs}' } } },
    [{ type: 'promptString', id: 'cs', password: true }],
  );
  assert.deepEqual(ok.problems, []);
  const launch = await resolveLaunch(ok.servers[0]!, makeContext({ inputs: { prompt: () => Promise.resolve('client-s3cret') } }));
  assert.deepEqual(launch.remote?.oauth, { clientId: 'mcp-host', clientSecret: 'client-s3cret' });
  assert.deepEqual(launch.secrets, ['client-s3cret']);

  const literal = mcpJson({ r: { type: 'http', url: 'https://h/mcp', oauth: { clientId: 'mcp-host', clientSecret: 'hunter2' } } });
  const p = literal.problems.find((x) => x.code === 'literal-secret');
  assert.ok(p, JSON.stringify(literal.problems));
  assert.match(p.message, /must be a password input/);
  assert.equal(literal.servers[0]?.entry.oauth, undefined);

  // An input that is not a password would put the secret in plain settings storage: refused at launch.
  const plain = mcpJson({ r: { type: 'http', url: 'https://h/mcp', oauth: { clientId: 'id', clientSecret: '${input:cs}' } } }, [{ type: 'promptString', id: 'cs' }]);
  await assert.rejects(resolveLaunch(plain.servers[0]!, makeContext({ inputs: { prompt: () => Promise.resolve('visible') } })), /must come from an input declared with "password": true/);

  const noId = mcpJson({ r: { type: 'http', url: 'https://h/mcp', oauth: { clientSecret: '${input:cs}' } } });
  assert.ok(noId.problems.some((x) => /"oauth.clientId" of server "r" must be/.test(x.message)));
});
