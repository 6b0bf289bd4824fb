/**
 * A hostile or broken configuration source costs little and never hides the other sources (issue 10, finding 13).
 * The files are generated, as a hostile workspace would write them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig, type ConfigInput } from '../../../src/core/config';

const userServers = { mine: { command: 'node', args: ['my-server.js'] } };
const goodFile = { kind: 'folderMcpJson' as const, path: '/good/.vscode/mcp.json', folder: '/good', text: '{ "servers": { "good": { "command": "x" } } }' };

function withBadFile(text: string, kind: 'folderMcpJson' | 'rootMcpJson' = 'folderMcpJson'): ConfigInput {
  return {
    userSettings: userServers,
    files: [{ kind, path: '/bad/.vscode/mcp.json', folder: '/bad', text }, goodFile],
  };
}

for (const [what, open, close] of [
  ['arrays', '[', ']'],
  ['objects', '{"a":', '}'],
] as const) {
  void test(`a file nested 200,000 deep in ${what} lists the other sources' servers and gets a problem of its own`, () => {
    const depth = 200_000;
    const text = `{ "servers": { "deep": { "command": "x", "args": ${open.repeat(depth)}1${close.repeat(depth)} } } }`;
    const config = loadConfig(withBadFile(text));
    assert.deepEqual(
      config.servers.map((s) => s.name),
      ['mine', 'good'],
    );
    const bad = config.problems.filter((p) => p.source.file === '/bad/.vscode/mcp.json' && p.severity === 'error');
    assert.equal(bad.length, 1, JSON.stringify(config.problems.map((p) => p.message)));
    assert.equal(bad[0]!.code, 'too-deep');
    assert.match(bad[0]!.message, /nested more than \d+ levels deep/);
  });
}

void test('a deeply nested value in settings is a problem of that setting, the files still load', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const config = loadConfig({ userSettings: { mine: { command: 'x', args: deep } }, files: [goodFile] });
  assert.ok(config.servers.some((s) => s.name === 'good'));
  const p = config.problems.find((q) => q.source.kind === 'userSettings' && q.severity === 'error');
  assert.equal(p?.code, 'too-deep');
});

void test('a file nested 93 levels deep is still read normally', () => {
  const text = `{ "servers": { "ok": { "command": "x", "args": ["a"], "dev": ${'{"a":'.repeat(90)}1${'}'.repeat(90)} } } }`;
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  assert.deepEqual(
    config.servers.map((s) => s.name),
    ['ok'],
  );
  assert.deepEqual(config.problems.filter((p) => p.severity === 'error'), []);
});

for (const [where, text] of [
  ['at the top of mcp.json', (k: string) => `{ "servers": { "s": { "command": "x" } }, ${JSON.stringify(k)}: 1 }`],
  ['in a server entry', (k: string) => `{ "servers": { "s": { "command": "x", ${JSON.stringify(k)}: 1 } } }`],
  ['as a server type', (k: string) => `{ "servers": { "s": { "type": ${JSON.stringify(k)}, "command": "x" } } }`],
  ['in an input', (k: string) => `{ "inputs": [{ "type": "promptString", "id": "a", ${JSON.stringify(k)}: 1 }], "servers": {} }`],
] as const) {
  void test(`a 200 KB unknown key ${where} is reported quickly, without a suggestion`, () => {
    const key = 'k'.repeat(200_000);
    const input: ConfigInput = { files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text: text(key) }] };
    loadConfig(input); // warm up the code paths once, then time a reload
    const started = performance.now();
    const config = loadConfig(input);
    const ms = performance.now() - started;
    assert.ok(ms < 200, `reload took ${ms.toFixed(0)} ms`);
    const p = config.problems.find((q) => q.code === 'unknown-key' || q.code === 'unknown-type');
    assert.ok(p, JSON.stringify(config.problems.map((q) => q.code)));
    assert.doesNotMatch(p.message, /did you mean/);
    assert.ok(p.message.length < 1000, `message is ${p.message.length} characters long`);
  });
}

void test('a near-miss short key still gets its suggestion', () => {
  const text = '{ "servers": { "s": { "comand": "x" } } }';
  const config = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] });
  const p = config.problems.find((q) => q.code === 'unknown-key');
  assert.match(p?.message ?? '', /did you mean "command"\?/);
});

void test('a source that fails in an unforeseen way becomes an error problem of that source; the others still load', () => {
  // A settings value whose reading throws (a getter): stands for any failure nobody foresaw in one source.
  const throwing = Object.defineProperty({}, 'boom', { enumerable: true, get: () => { throw new TypeError('unreadable'); } });
  const config = loadConfig({ userSettings: throwing, files: [goodFile] });
  assert.deepEqual(
    config.servers.map((s) => s.name),
    ['good'],
  );
  const p = config.problems.find((q) => q.source.kind === 'userSettings');
  assert.equal(p?.code, 'load-failed');
  assert.equal(p.severity, 'error');
  assert.match(p.message, /TypeError/);
});
