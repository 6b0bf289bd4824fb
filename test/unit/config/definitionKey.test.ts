import assert from 'node:assert/strict';
import { test } from 'node:test';
import { definitionKey, definitionScope, loadConfig, type ServerDefinition } from '../../../src/core/config';

function def(text: string, folder = '/w'): ServerDefinition {
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: `${folder}/.vscode/mcp.json`, folder, text }] });
  return config.servers[0]!;
}

const base = `{
  "inputs": [{ "type": "promptString", "id": "tok", "password": true }, { "type": "promptString", "id": "unused" }],
  "servers": { "s": { "command": "node", "args": ["a.js", "--x"], "env": { "A": "1", "T": "\${input:tok}" }, "cwd": "sub" } }
}`;

void test('definitionKey is the same whatever the key order, whitespace or comments', () => {
  const reordered = `{
    // same server, written differently
    "servers": { "s": { "cwd": "sub", "env": { "T": "\${input:tok}", "A": 1 }, "args": ["a.js", "--x"], "command": "node", "type": "stdio", } },
    "inputs": [{ "id": "unused", "type": "promptString" }, { "password": true, "id": "tok", "type": "promptString" }],
  }`;
  assert.equal(definitionKey(def(reordered)), definitionKey(def(base)));
});

void test('definitionKey changes when args, env, the folder or a referenced input change', () => {
  const k = definitionKey(def(base));
  assert.notEqual(definitionKey(def(base.replace('"--x"', '"--y"'))), k);
  assert.notEqual(definitionKey(def(base.replace('["a.js", "--x"]', '["--x", "a.js"]'))), k, 'arg order matters');
  assert.notEqual(definitionKey(def(base.replace('"A": "1"', '"A": "2"'))), k);
  assert.notEqual(definitionKey(def(base, '/other')), k);
  assert.notEqual(definitionKey(def(base.replace('"password": true', '"password": false'))), k);
});

void test('definitionKey ignores inputs the server does not use and autoStart', () => {
  const k = definitionKey(def(base));
  assert.equal(definitionKey(def(base.replace('"id": "unused"', '"id": "unused", "description": "changed"'))), k);
  assert.equal(definitionKey(def(base.replace('"cwd": "sub"', '"cwd": "sub", "autoStart": true'))), k);
});

void test('definitionKey changes when a configuration error appears', () => {
  const broken = base.replace('"args": ["a.js", "--x"]', '"args": ["a.js", {}]');
  assert.notEqual(definitionKey(def(broken)), definitionKey(def(base)));
});

void test('definitionScope tells servers of the same name apart by where they are defined', () => {
  const text = '{ "servers": { "db": { "command": "x" } } }';
  const inA = def(text, '/projects/a');
  const inB = def(text, '/projects/b');
  const claude = loadConfig({ files: [{ kind: 'rootMcpJson', path: '/projects/a/.mcp.json', folder: '/projects/a', text: '{ "mcpServers": { "db": { "command": "x" } } }' }] }).servers[0]!;
  const user = loadConfig({ userSettings: { db: { command: 'x' } }, files: [], workspaceFolders: ['/projects/a'] }).servers[0]!;
  const wsSettings = loadConfig({ workspaceSettings: [{ value: { db: { command: 'x' } } }], files: [] }).servers[0]!;
  const scopes = [inA, inB, claude, user, wsSettings].map((d) => definitionScope(d, 'file:///projects/a.code-workspace'));
  assert.equal(new Set(scopes).size, 5, scopes.join('\n'));
  assert.equal(definitionScope(user, 'one'), definitionScope(user, 'other'), "the user's own server is the same in every workspace");
  assert.notEqual(definitionScope(wsSettings, 'one'), definitionScope(wsSettings, 'other'), 'workspace settings belong to their workspace');
  assert.equal(definitionScope(inA, 'one'), definitionScope(def(text, '/projects/a'), 'other'), 'the same file is the same source');
});
