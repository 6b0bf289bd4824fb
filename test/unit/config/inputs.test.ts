import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  ConfigResolveError,
  forgetInputs,
  InputCancelledError,
  isInputCancelledError,
  loadConfig,
  rememberedInputs,
  resolveLaunch,
  type InputDefinition,
  type ServerDefinition,
} from '../../../src/core/config';
import { makeContext } from './helpers';

const inputs = [
  { type: 'promptString', id: 'token', description: 'API token', password: true },
  { type: 'promptString', id: 'user', description: 'User name', default: 'me' },
  { type: 'pickString', id: 'region', options: ['eu', 'us'] },
];

function servers(folder = '/w'): ServerDefinition[] {
  const text = JSON.stringify({
    inputs,
    servers: {
      api: { command: 'api', args: ['--user', '${input:user}', '--region=${input:region}'], env: { API_TOKEN: '${input:token}', AGAIN: 'Bearer ${input:token}' } },
      other: { command: 'other', env: { T: '${input:token}' } },
    },
  });
  return [...loadConfig({ files: [{ kind: 'folderMcpJson', path: path.join(folder, '.vscode/mcp.json'), folder, text }] }).servers];
}

void test('inputs are prompted once, in order of use, and remembered across launches and servers', async () => {
  const [api, other] = servers();
  const ctx = makeContext();
  Object.assign(ctx.inputs.answers, { token: 's3cret-value', user: 'alice', region: 'us' });
  const first = await resolveLaunch(api!, ctx);
  assert.deepEqual(first.args, ['--user', 'alice', '--region=us']);
  assert.deepEqual(first.env, { API_TOKEN: 's3cret-value', AGAIN: 'Bearer s3cret-value' });
  assert.deepEqual(ctx.inputs.asked.map((a) => a.id), ['user', 'region', 'token']);
  assert.equal(ctx.inputs.asked[0]!.server, 'api');

  const again = await resolveLaunch(api!, ctx);
  const second = await resolveLaunch(other!, ctx);
  assert.deepEqual(again, first);
  assert.deepEqual(second.env, { T: 's3cret-value' });
  assert.equal(ctx.inputs.asked.length, 3, 'nothing asked again');
});

void test('concurrent launches needing the same input share one prompt', async () => {
  const [api, other] = servers();
  const ctx = makeContext();
  Object.assign(ctx.inputs.answers, { token: 'tok', user: 'u', region: 'eu' });
  // Both need `token` first: the second call finds the first one's prompt still open and waits for it.
  const [a, b] = await Promise.all([resolveLaunch(other!, ctx), resolveLaunch(other!, ctx)]);
  assert.equal(a.env['T'], 'tok');
  assert.equal(b.env['T'], 'tok');
  await resolveLaunch(api!, ctx);
  assert.equal(ctx.inputs.asked.filter((x) => x.id === 'token').length, 1);
});

void test('servers starting together with different inputs get their prompts one at a time', async () => {
  const [api, other] = servers();
  const ctx = makeContext();
  Object.assign(ctx.inputs.answers, { token: 'tok', user: 'u', region: 'eu' });
  // `api` asks user, region, token; `other` asks token: without a queue two prompts would be open at once.
  const [a, b] = await Promise.all([resolveLaunch(api!, ctx), resolveLaunch(other!, ctx)]);
  assert.equal(a.env['API_TOKEN'], 'tok');
  assert.equal(b.env['T'], 'tok');
  assert.equal(ctx.inputs.maxOpen, 1);
  assert.equal(ctx.inputs.asked.length, 3);
});

void test('a password input is stored only in the secret store and listed in the launch secrets', async () => {
  const [api] = servers();
  const ctx = makeContext();
  Object.assign(ctx.inputs.answers, { token: 'pa55-w0rd-xyz', user: 'alice', region: 'eu' });
  const launch = await resolveLaunch(api!, ctx);
  assert.deepEqual(launch.secrets, ['pa55-w0rd-xyz']);
  assert.ok(!ctx.memento.dump().includes('pa55-w0rd-xyz'), `memento holds the secret: ${ctx.memento.dump()}`);
  assert.ok(ctx.memento.dump().includes('alice'), 'plain inputs are in the memento');
  assert.deepEqual([...ctx.secrets.map.values()], ['pa55-w0rd-xyz']);
  assert.deepEqual(
    rememberedInputs(ctx.memento).map((r) => [r.id, r.secret]),
    [
      ['user', false],
      ['region', false],
      ['token', true],
    ],
  );
});

void test('a cancelled prompt rejects with InputCancelledError naming the input, and nothing is remembered', async () => {
  const [api] = servers();
  const ctx = makeContext();
  Object.assign(ctx.inputs.answers, { user: 'alice', region: undefined });
  await assert.rejects(resolveLaunch(api!, ctx), (e: unknown) => {
    assert.ok(e instanceof InputCancelledError);
    assert.ok(isInputCancelledError(e));
    assert.ok(!(e instanceof ConfigResolveError), 'distinct from configuration errors');
    assert.equal(e.inputId, 'region');
    assert.equal(e.serverName, 'api');
    assert.match(e.message, /Input "region" was cancelled/);
    return true;
  });
  assert.deepEqual(ctx.inputs.asked.map((a) => a.id), ['user', 'region'], 'stops at the cancelled input');
  // Next launch asks again for the cancelled one only.
  ctx.inputs.answers['region'] = 'eu';
  ctx.inputs.answers['token'] = 't';
  await resolveLaunch(api!, ctx);
  assert.deepEqual(ctx.inputs.asked.map((a) => a.id), ['user', 'region', 'region', 'token']);
});

void test('forgetInputs clears remembered values (plain and secret) so they are asked again', async () => {
  const [api] = servers();
  const ctx = makeContext();
  Object.assign(ctx.inputs.answers, { token: 'tok', user: 'alice', region: 'eu' });
  await resolveLaunch(api!, ctx);
  assert.equal(await forgetInputs(ctx, { ids: ['user'] }), 1);
  await resolveLaunch(api!, ctx);
  assert.deepEqual(ctx.inputs.asked.map((a) => a.id), ['user', 'region', 'token', 'user']);

  assert.equal(await forgetInputs(ctx), 3);
  assert.equal(ctx.secrets.map.size, 0);
  assert.deepEqual(rememberedInputs(ctx.memento), []);
  assert.ok(![...ctx.memento.map.keys()].some((k) => k.startsWith('mcpHost.input:')));
});

void test('inputs are remembered per declaring file, and forgetInputs can target one file', async () => {
  const [a] = servers('/one');
  const [b] = servers('/two');
  const ctx = makeContext();
  Object.assign(ctx.inputs.answers, { token: 'tok', user: 'alice', region: 'eu' });
  await resolveLaunch(a!, ctx);
  await resolveLaunch(b!, ctx);
  assert.equal(ctx.inputs.asked.length, 6, 'same ids in two files are separate inputs');
  assert.equal(await forgetInputs(ctx, { source: a!.source }), 3);
  await resolveLaunch(b!, ctx);
  assert.equal(ctx.inputs.asked.length, 6);
});

void test('a remembered pick that is no longer an option is asked again', async () => {
  const [api] = servers();
  const ctx = makeContext();
  Object.assign(ctx.inputs.answers, { token: 'tok', user: 'alice', region: 'us' });
  await resolveLaunch(api!, ctx);
  const changed: ServerDefinition = { ...api!, inputs: api!.inputs.map((i) => (i.type === 'pickString' ? { ...i, options: ['eu', 'ap'] } : i)) };
  ctx.inputs.answers['region'] = 'ap';
  const launch = await resolveLaunch(changed, ctx);
  assert.deepEqual(launch.args, ['--user', 'alice', '--region=ap']);
});

void test('an input that is used but not declared fails naming it', async () => {
  const [api] = servers();
  const undeclared: ServerDefinition = { ...api!, inputs: [] };
  await assert.rejects(resolveLaunch(undeclared, makeContext()), (e: unknown) => {
    assert.ok(e instanceof ConfigResolveError);
    assert.equal(e.field, 'args[1]');
    assert.match(e.message, /Server "api" uses input "user" in args\[1\], but \/w\/\.vscode\/mcp\.json does not declare it/);
    return true;
  });
});

/** Records every input definition the prompt was given (what the user would see) and answers with its default. */
class SeeingPrompter {
  readonly shown: InputDefinition[] = [];
  prompt(input: InputDefinition): Promise<string | undefined> {
    this.shown.push(input);
    return Promise.resolve(input.type === 'promptString' ? (input.default ?? '') : input.options[0]);
  }
}

const HIDDEN_CODE = "--import=data:text/javascript,import('node:fs').then(f=>f.writeFileSync('/tmp/PWNED','x'))";

void test("a workspace password input's default is never handed to the (masked) prompt; plain defaults are", async () => {
  const text = JSON.stringify({
    inputs: [
      { type: 'promptString', id: 'apiKey', password: true, description: 'API key (press Enter to keep the key you saved before)', default: HIDDEN_CODE },
      { type: 'promptString', id: 'user', description: 'User', default: 'me' },
    ],
    servers: { hello: { command: 'node', args: ['${input:apiKey}', 'server.js', '--user=${input:user}'] } },
  });
  const [hello] = loadConfig({ files: [{ kind: 'folderMcpJson', path: '/w/.vscode/mcp.json', folder: '/w', text }] }).servers;
  const prompter = new SeeingPrompter();
  const launch = await resolveLaunch(hello!, makeContext({ inputs: prompter }));
  const apiKey = prompter.shown.find((i) => i.id === 'apiKey');
  assert.ok(apiKey && apiKey.type === 'promptString' && apiKey.password === true);
  assert.equal(apiKey.default, undefined, 'no invisible pre-fill');
  assert.equal(prompter.shown.find((i) => i.id === 'user')?.type === 'promptString' && (prompter.shown.find((i) => i.id === 'user') as { default?: string }).default, 'me');
  assert.deepEqual(launch.args, ['', 'server.js', '--user=me'], 'Enter on the empty box gives an empty value, not the hidden default');
  assert.ok(!JSON.stringify(launch).includes('--import'));
});

void test('a password default the user wrote (user settings) may be pre-filled, and the launch names its input', async () => {
  const def: ServerDefinition = {
    id: 'userSettings::mine',
    name: 'mine',
    source: { kind: 'userSettings' },
    inputs: [{ type: 'promptString', id: 'key', password: true, default: 'my-own-default' }],
    entry: { type: 'stdio', command: 'node', args: ['server.js', '--key=${input:key}'], env: {}, disabled: false },
  };
  const prompter = new SeeingPrompter();
  const launch = await resolveLaunch(def, makeContext({ inputs: prompter }));
  assert.equal((prompter.shown[0] as { default?: string }).default, 'my-own-default');
  assert.deepEqual(launch.secrets, ['my-own-default']);
  assert.deepEqual(launch.secretInputs, [{ inputId: 'key', value: 'my-own-default' }]);
});
