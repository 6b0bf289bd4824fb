import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { configFilePaths, definitionKey, loadConfig, type ConfigFileInput, type ConfigInput, type ConfigProblem } from '../../../src/core/config';
import { pointed, tempDir, writeFile } from './helpers';

/** What the adapter does: read the files that exist in each folder, in the documented order. */
function readFolders(folders: string[], extra: Partial<ConfigInput> = {}): ConfigInput {
  const files: ConfigFileInput[] = [];
  for (const folder of folders) {
    for (const f of configFilePaths(folder)) {
      if (fs.existsSync(f.path)) files.push({ ...f, folder, text: fs.readFileSync(f.path, 'utf8') });
    }
  }
  return { files, ...extra };
}

function only(problems: readonly ConfigProblem[], code: string): ConfigProblem {
  const found = problems.filter((p) => p.code === code);
  assert.equal(found.length, 1, `expected one ${code} problem, got: ${JSON.stringify(problems.map((p) => p.message), null, 1)}`);
  return found[0]!;
}

const vscodeMcpJson = `{
  // Inputs are asked once and remembered
  "inputs": [
    { "type": "promptString", "id": "github-token", "description": "GitHub token", "password": true },
    { "type": "pickString", "id": "region", "options": ["eu", "us"], "default": "eu", },
  ],
  "servers": {
    /* the reference server */
    "everything": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-everything"],
      "dev": { "watch": "src/**/*.ts" },
    },
    "github": {
      "command": "docker",
      "args": ["run", "-i", "--rm", "-e", "GITHUB_PERSONAL_ACCESS_TOKEN", "ghcr.io/github/github-mcp-server"],
      "env": { "GITHUB_PERSONAL_ACCESS_TOKEN": "\${input:github-token}", "REGION": "\${input:region}", "RETRIES": 3, "DEBUG": null },
      "envFile": "\${workspaceFolder}/.env",
      "gallery": true,
      "version": "1.0.0",
    },
    "remote": { "type": "http", "url": "https://api.example.com/mcp", "headers": { "Authorization": "Bearer x" } },
  },
}
`;

void test('a VS Code mcp.json with comments, trailing commas and inputs loads every server and its inputs', (t) => {
  const ws = tempDir(t);
  const file = writeFile(path.join(ws, '.vscode/mcp.json'), vscodeMcpJson);
  const config = loadConfig(readFolders([ws]));

  assert.deepEqual(
    config.servers.map((s) => s.name),
    ['everything', 'github', 'remote'],
  );
  const github = config.servers.find((s) => s.name === 'github')!;
  assert.deepEqual(github.source, { kind: 'folderMcpJson', file, folder: ws });
  assert.equal(github.id, `folderMcpJson:${file}:github`);
  assert.equal(github.entry.type, 'stdio');
  assert.equal(github.entry.command, 'docker');
  assert.deepEqual(github.entry.env, { GITHUB_PERSONAL_ACCESS_TOKEN: '${input:github-token}', REGION: '${input:region}', RETRIES: '3', DEBUG: null });
  assert.equal(github.entry.envFile, '${workspaceFolder}/.env');
  assert.equal(github.configError, undefined);
  assert.deepEqual(github.inputs, [
    { type: 'promptString', id: 'github-token', description: 'GitHub token', password: true },
    { type: 'pickString', id: 'region', options: ['eu', 'us'], default: 'eu' },
  ]);
  const remote = config.servers.find((s) => s.name === 'remote')!;
  assert.equal(remote.entry.type, 'http');
  assert.deepEqual(remote.entry.headers, { Authorization: 'Bearer x' });

  // Only notes: `dev` is an info, gallery/version are quiet; the http server is a plain remote server (#12).
  assert.equal(config.problems.filter((p) => p.severity === 'error').length, 0, JSON.stringify(config.problems));
  const dev = only(config.problems, 'ignored-key');
  assert.equal(dev.severity, 'info');
  assert.deepEqual(dev.path, ['servers', 'everything', 'dev']);
  assert.equal(pointed(vscodeMcpJson, dev), '"dev"');
  assert.equal(config.problems.filter((p) => p.serverName === 'remote').length, 0, JSON.stringify(config.problems));
});

void test('a Claude .mcp.json (no type, url means http) loads next to mcp.json', (t) => {
  const ws = tempDir(t);
  writeFile(path.join(ws, '.vscode/mcp.json'), '{ "servers": { "a": { "command": "node", "args": ["a.js"] } } }');
  const claudeText = JSON.stringify(
    {
      mcpServers: {
        filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
        sentry: { url: 'https://mcp.sentry.dev/mcp' },
        api: { type: 'stdio', command: '${HOME}/bin/api', env: { KEY: '${API_KEY:-none}' } },
      },
    },
    null,
    2,
  );
  const file = writeFile(path.join(ws, '.mcp.json'), claudeText);
  const config = loadConfig(readFolders([ws]));
  assert.deepEqual(
    config.servers.map((s) => [s.name, s.source.kind, s.entry.type]),
    [
      ['a', 'folderMcpJson', 'stdio'],
      ['filesystem', 'rootMcpJson', 'stdio'],
      ['sentry', 'rootMcpJson', 'http'],
      ['api', 'rootMcpJson', 'stdio'],
    ],
  );
  assert.deepEqual(config.servers[1]!.source, { kind: 'rootMcpJson', file, folder: ws });
  // Claude's ${VAR} syntax is understood in .mcp.json: no unknown-variable problem.
  assert.deepEqual(
    config.problems.map((p) => p.code),
    [],
  );
});

void test('a Claude Desktop config copied as .mcp.json works, its other top-level keys are only noted', (t) => {
  const ws = tempDir(t);
  const text = `{
  "globalShortcut": "Ctrl+Space",
  "mcpServers": {
    "memory": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"], "env": { "MEMORY_FILE_PATH": "/tmp/memory.json" } },
    "sqlite": { "command": "uvx", "args": ["mcp-server-sqlite", "--db-path", "~/test.db"] }
  }
}`;
  writeFile(path.join(ws, '.mcp.json'), text);
  const config = loadConfig(readFolders([ws]));
  assert.deepEqual(
    config.servers.map((s) => s.name),
    ['memory', 'sqlite'],
  );
  assert.ok(config.servers.every((s) => s.configError === undefined));
  const shortcut = only(config.problems, 'unknown-key');
  assert.equal(shortcut.severity, 'info');
  assert.equal(pointed(text, shortcut), '"globalShortcut"');
  const tilde = only(config.problems, 'tilde-in-args');
  assert.equal(tilde.severity, 'info');
  assert.deepEqual(tilde.path, ['mcpServers', 'sqlite', 'args', 2]);
  assert.match(tilde.message, /\$\{userHome\}\/test\.db/);
});

void test('an unknown key is a warning at the key with a did-you-mean suggestion', () => {
  const text = '{ "servers": { "s": { "comand": "node", "command": "node", "arg": ["x"] } } }';
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  const unknown = config.problems.filter((p) => p.code === 'unknown-key');
  assert.deepEqual(
    unknown.map((p) => [p.severity, p.path, pointed(text, p), p.serverName]),
    [
      ['warning', ['servers', 's', 'comand'], '"comand"', 's'],
      ['warning', ['servers', 's', 'arg'], '"arg"', 's'],
    ],
  );
  assert.match(unknown[0]!.message, /did you mean "command"\?/);
  assert.match(unknown[1]!.message, /did you mean "args"\?/);
  // Warnings do not keep the server from starting.
  assert.equal(config.servers[0]!.configError, undefined);
});

void test('wrong types are errors at the value, coercible numbers are warnings, and an error keeps the server from starting', () => {
  const text = `{ "servers": { "s": {
    "command": "node",
    "args": ["a", 8080, {"x": 1}],
    "env": { "A": true, "B": ["no"], "C": 1 },
    "cwd": 42,
    "disabled": "yes",
    "requestTimeoutSeconds": -1
  } } }`;
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  const summary = config.problems.map((p) => [p.severity, p.path.join('.'), pointed(text, p)]);
  assert.deepEqual(summary, [
    ['warning', 'servers.s.args.1', '8080'],
    ['error', 'servers.s.args.2', '{"x": 1}'],
    ['warning', 'servers.s.env.A', 'true'],
    ['error', 'servers.s.env.B', '["no"]'],
    ['error', 'servers.s.cwd', '42'],
    ['error', 'servers.s.disabled', '"yes"'],
    ['error', 'servers.s.requestTimeoutSeconds', '-1'],
  ]);
  const s = config.servers[0]!;
  assert.deepEqual(s.entry.args, ['a', '8080']);
  assert.deepEqual(s.entry.env, { A: 'true', C: '1' });
  assert.match(s.configError ?? '', /Argument 2 of server "s" must be a string, not an object/);
});

void test('a server without command is listed with a "missing command" error at its name', () => {
  const text = '{ "servers": { "nocmd": { "args": ["x"] } } }';
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  const p = only(config.problems, 'missing-command');
  assert.equal(p.severity, 'error');
  assert.deepEqual(p.path, ['servers', 'nocmd']);
  assert.equal(pointed(text, p), '"nocmd"');
  assert.match(p.message, /has no "command": add the program to run/);
  assert.equal(config.servers[0]!.name, 'nocmd');
  assert.equal(config.servers[0]!.configError, p.message);
});

void test('a command with spaces and no args gets a hint to split it into args', () => {
  const text = '{ "servers": { "s": { "command": "npx -y some-server" } } }';
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  const p = only(config.problems, 'command-with-spaces');
  assert.equal(p.severity, 'warning');
  assert.equal(pointed(text, p), '"npx -y some-server"');
});

void test('a syntax error is reported with its offset and does not hide the file\'s other servers or other sources', (t) => {
  const ws = tempDir(t);
  // A missing comma between two servers, and a string cut off inside the second server.
  const broken = `{
  "servers": {
    "good": { "command": "node", "args": ["good.js"] }
    "half": { "command": "node", "args": ["half.js
  }
}`;
  writeFile(path.join(ws, '.vscode/mcp.json'), broken);
  writeFile(path.join(ws, '.mcp.json'), '{ "mcpServers": { "claude-one": { "command": "uvx", "args": ["x"] } } }');
  const config = loadConfig(readFolders([ws], { userSettings: { mine: { command: 'node' } } }));

  assert.deepEqual(
    config.servers.map((s) => s.name),
    ['mine', 'good', 'half', 'claude-one'],
  );
  const syntax = config.problems.filter((p) => p.code === 'syntax');
  assert.ok(syntax.length >= 2, JSON.stringify(syntax));
  assert.equal(syntax[0]!.severity, 'error');
  assert.match(syntax[0]!.message, /Syntax error: a comma \(,\) was expected/);
  assert.equal(pointed(broken, syntax[0]!), '"half"');
  assert.ok(syntax.some((p) => /string is not closed/.test(p.message)));
  // The entry with the error inside is listed but will not start; the intact one is fine.
  assert.equal(config.servers.find((s) => s.name === 'good')!.configError, undefined);
  assert.match(config.servers.find((s) => s.name === 'half')!.configError ?? '', /syntax error/);
});

void test('a file that is not an object, or a servers value that is not an object, is an error and yields no servers', () => {
  const config = loadConfig({
    userSettings: ['not', 'an', 'object'],
    files: [
      { kind: 'folderMcpJson', path: '/a/.vscode/mcp.json', folder: '/a', text: '[1, 2]' },
      { kind: 'rootMcpJson', path: '/a/.mcp.json', folder: '/a', text: '{ "mcpServers": [] }' },
      { kind: 'rootMcpJson', path: '/b/.mcp.json', folder: '/b', text: '{ "mcpServers": { "ok": { "command": "x" } } }' },
    ],
  });
  assert.deepEqual(
    config.servers.map((s) => s.name),
    ['ok'],
  );
  assert.deepEqual(
    config.problems.map((p) => [p.source.kind, p.path, p.severity]),
    [
      ['userSettings', ['mcpHost.servers'], 'error'],
      ['folderMcpJson', [], 'error'],
      ['rootMcpJson', ['mcpServers'], 'error'],
    ],
  );
});

void test('an empty file is fine and a file without servers says so', () => {
  const config = loadConfig({
    files: [
      { kind: 'folderMcpJson', path: '/a/.vscode/mcp.json', folder: '/a', text: '' },
      { kind: 'folderMcpJson', path: '/b/.vscode/mcp.json', folder: '/b', text: '{ "inputs": [] }' },
    ],
  });
  assert.deepEqual(config.servers, []);
  assert.deepEqual(
    config.problems.map((p) => [p.source.file, p.severity, p.code]),
    [['/b/.vscode/mcp.json', 'info', 'no-servers']],
  );
});

void test('a duplicate server name across sources: the later one is dropped with a warning naming the first', () => {
  const text = '{\n  "servers": {\n    "shared": { "command": "from-file" },\n    "own": { "command": "x" }\n  }\n}';
  const config = loadConfig({
    userSettings: { shared: { command: 'from-user' } },
    files: [
      { kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text },
      { kind: 'rootMcpJson', path: '/w/.mcp.json', folder: '/w', text: '{"mcpServers": {"own": {"command": "y"}}}' },
    ],
  });
  assert.deepEqual(
    config.servers.map((s) => [s.name, s.entry.command]),
    [
      ['shared', 'from-user'],
      ['own', 'x'],
    ],
  );
  const dups = config.problems.filter((p) => p.code === 'duplicate-server');
  assert.equal(dups.length, 2);
  assert.equal(dups[0]!.source.file, '/w/.vscode/mcp.json');
  assert.deepEqual(dups[0]!.path, ['servers', 'shared']);
  assert.equal(pointed(text, dups[0]!), '"shared"');
  assert.match(dups[0]!.message, /already defined in user settings \(mcpHost\.servers\)/);
  assert.equal(dups[1]!.source.file, '/w/.mcp.json');
  assert.match(dups[1]!.message, /already defined in \/w\/\.vscode\/mcp\.json/);
});

void test('a key repeated in one object: the last one wins and the earlier one is flagged', () => {
  const text = '{ "servers": { "s": { "command": "old" }, "s": { "command": "new" } } }';
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  assert.deepEqual(
    config.servers.map((s) => s.entry.command),
    ['new'],
  );
  const p = only(config.problems, 'duplicate-key');
  assert.equal(p.offset, text.indexOf('"s"'));
});

void test('servers from user and workspace settings carry their source; problems there have the setting path', () => {
  const config = loadConfig({
    userSettings: { u: { command: 'node', args: ['u.js'], autoStart: true, initializeTimeoutSeconds: 5 } },
    workspaceSettings: [{ value: { w: { command: 'python', args: [1] } } }, { value: { f: { command: 'go' } }, folder: '/ws/f' }],
    files: [],
  });
  assert.deepEqual(
    config.servers.map((s) => [s.name, s.source]),
    [
      ['u', { kind: 'userSettings' }],
      ['w', { kind: 'workspaceSettings' }],
      ['f', { kind: 'workspaceSettings', folder: '/ws/f' }],
    ],
  );
  assert.equal(config.servers[0]!.entry.autoStart, true);
  assert.equal(config.servers[0]!.entry.initializeTimeoutSeconds, 5);
  const coerced = only(config.problems, 'coerced');
  assert.deepEqual(coerced.path, ['mcpHost.servers', 'w', 'args', 0]);
  assert.equal(coerced.offset, undefined);
});

void test('settings servers belong to the workspace folder when exactly one is open', () => {
  const one = loadConfig({ userSettings: { u: { command: 'x' } }, workspaceSettings: [{ value: { w: { command: 'y' } } }], files: [], workspaceFolders: ['/only'] });
  assert.deepEqual(
    one.servers.map((s) => s.source.folder),
    ['/only', '/only'],
  );
  const two = loadConfig({ userSettings: { u: { command: 'x' } }, files: [], workspaceFolders: ['/a', '/b'] });
  assert.equal(two.servers[0]!.source.folder, undefined);
  // Same server, same id (its state and trust survive), but a different launch key (it restarts in the new folder).
  assert.equal(two.servers[0]!.id, one.servers[0]!.id);
  assert.notEqual(definitionKey(two.servers[0]!), definitionKey(one.servers[0]!));
});

void test('remote types (http and its aliases, sse, ws) load without problems; an unknown type is an error', () => {
  const text = '{ "servers": { "h": { "type": "http", "url": "https://x" }, "s": { "type": "sse", "url": "https://y" }, "bad": { "type": "stdoi", "command": "x" }, "local": { "type": "local", "command": "x" }, "r": { "type": "streamable-http", "url": "http://127.0.0.1/mcp" }, "c": { "type": "streamableHttp", "url": "http://a/mcp" }, "w": { "type": "ws", "url": "ws://127.0.0.1:9/" }, "w2": { "url": "wss://h/mcp" } } }';
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  assert.deepEqual(
    config.servers.map((s) => [s.name, s.entry.type]),
    [
      ['h', 'http'],
      ['s', 'sse'],
      ['bad', 'stdoi'],
      ['local', 'stdio'],
      ['r', 'http'],
      ['c', 'http'],
      ['w', 'ws'],
      ['w2', 'ws'],
    ],
  );
  assert.deepEqual(config.problems.map((p) => p.code), ['unknown-type']);
  const bad = only(config.problems, 'unknown-type');
  assert.equal(bad.severity, 'error');
  assert.match(bad.message, /did you mean "stdio"\?/);
  assert.equal(pointed(text, bad), '"stdoi"');
});

void test('unknown variables and undeclared inputs are errors at the string that uses them', () => {
  const text = `{
  "inputs": [{ "type": "command", "id": "cmd", "command": "x.y" }],
  "servers": { "s": { "command": "node", "args": ["\${config:editor.fontSize}", "\${input:nope}", "\${input:cmd}", "--root=\${workspaceRoot}"] } }
}`;
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  const problems = config.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(
    problems.map((p) => [p.code, p.path.join('.'), pointed(text, p)]),
    [
      ['unknown-variable', 'servers.s.args.0', '${config:editor.fontSize}'],
      ['undeclared-input', 'servers.s.args.1', '${input:nope}'],
      ['undeclared-input', 'servers.s.args.2', '${input:cmd}'],
      ['unknown-variable', 'servers.s.args.3', '${workspaceRoot}'],
    ],
  );
  assert.match(problems[0]!.message, /not supported by MCP Host/);
  assert.match(problems[1]!.message, /input "nope", which is not declared: add \{ "type": "promptString", "id": "nope"/);
  assert.match(problems[2]!.message, /"command" MCP Host does not support/);
  assert.match(problems[3]!.message, /not a known variable/);
  // A string with escapes cannot map offsets 1:1: the whole string is pointed at instead.
  const escaped = '{ "servers": { "s": { "command": "node", "args": ["a\\"b ${nope}"] } } }';
  const p = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text: escaped }] }).problems[0]!;
  assert.equal(pointed(escaped, p), '"a\\"b ${nope}"');
  assert.ok(config.problems.some((p) => p.code === 'unsupported-input' && p.severity === 'warning'));
});

void test('input declarations are validated: missing id, unknown type, pickString without options', () => {
  const text = '{ "inputs": [ { "type": "promptString" }, { "type": "promptstring", "id": "a" }, { "type": "pickString", "id": "b", "options": [] }, "x" ], "servers": {} }';
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  assert.deepEqual(
    config.problems.map((p) => [p.code, p.path.join('.')]),
    [
      ['missing-id', 'inputs.0'],
      ['unknown-type', 'inputs.1.type'],
      ['missing-options', 'inputs.2.options'],
      ['wrong-type', 'inputs.3'],
    ],
  );
  assert.match(config.problems[1]!.message, /did you mean "promptString"\?/);
});

void test('mcpServers in a VS Code mcp.json is read, with a hint to rename it', () => {
  const text = '{ "mcpServers": { "s": { "command": "x" } } }';
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  assert.deepEqual(
    config.servers.map((s) => s.name),
    ['s'],
  );
  const p = only(config.problems, 'wrong-key');
  assert.equal(pointed(text, p), '"mcpServers"');
});

void void test('"enabled": false disables a server; sandbox requests are warned about because MCP Host does not sandbox', () => {
  const text = '{ "mcpServers": { "off": { "command": "x", "enabled": false }, "boxed": { "command": "y", "sandboxEnabled": true } } }';
  const config = loadConfig({ files: [{ kind: 'rootMcpJson', path: '/w/.mcp.json', folder: '/w', text }] });
  assert.deepEqual(
    config.servers.map((s) => [s.name, s.entry.disabled]),
    [
      ['off', true],
      ['boxed', false],
    ],
  );
  const p = only(config.problems, 'ignored-key');
  assert.equal(p.severity, 'warning');
  assert.match(p.message, /runs with your full permissions/);
  assert.equal(pointed(text, p), '"sandboxEnabled"');
});

void test('configFilePaths lists .vscode/mcp.json then .mcp.json of a folder', () => {
  assert.deepEqual(configFilePaths('/ws/app'), [
    { kind: 'folderMcpJson', path: path.join('/ws/app', '.vscode', 'mcp.json') },
    { kind: 'rootMcpJson', path: path.join('/ws/app', '.mcp.json') },
  ]);
});

void test('a remote entry without url, or with a url of the wrong scheme, is an error pointing at it', () => {
  const text = '{ "servers": { "nourl": { "type": "http" }, "wrong": { "type": "ws", "url": "http://x/" }, "junk": { "type": "sse", "url": "not a url" }, "later": { "type": "http", "url": "${input:u}" } }, "inputs": [{ "type": "promptString", "id": "u" }] }';
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  const byServer = (n: string) => config.problems.filter((p) => p.serverName === n).map((p) => [p.code, p.severity]);
  assert.deepEqual(byServer('nourl'), [['missing-url', 'error']]);
  assert.deepEqual(byServer('wrong'), [['bad-url', 'error']]);
  assert.match(config.problems.find((p) => p.serverName === 'wrong')!.message, /must start with ws:\/\/ or wss:\/\//);
  assert.deepEqual(byServer('junk'), [['bad-url', 'error']]);
  assert.deepEqual(byServer('later'), [], 'a url made of variables is checked when it is resolved');
});

void test('"protocolEra" pins a server to an era; any other value is an error at the value', () => {
  const text = `{ "servers": {
    "m": { "command": "node", "protocolEra": "modern" },
    "l": { "command": "node", "protocolEra": "legacy" },
    "x": { "command": "node", "protocolEra": "2026" }
  } }`;
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  assert.deepEqual(
    config.servers.map((s) => s.entry.protocolEra),
    ['modern', 'legacy', undefined],
  );
  assert.deepEqual(
    config.problems.map((p) => [p.severity, p.path.join('.'), pointed(text, p)]),
    [['error', 'servers.x.protocolEra', '"2026"']],
  );
  assert.match(config.problems[0]!.message, /must be "auto", "legacy" or "modern"/);
});
