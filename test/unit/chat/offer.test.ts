/**
 * Which servers are offered to VS Code's own chat and what the editor gets (src/core/chat, issue #17): only what
 * MCP Host would run now, a workspace server only with the exact launch the user approved, and no secret in the
 * listed definition (only in the resolved one). Real launch gate policy, real resolution, real env files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { InputDefinition, ServerDefinition, ServerEntry } from '../../../src/core/config/types';
import { resolveLaunch } from '../../../src/core/config/resolve';
import { chatOfferResolver, decideChatOffer, decideChatOffers, type ChatCandidate, type ChatOfferDeps } from '../../../src/core/chat/offer';
import { envFileSnapshot, launchFingerprint } from '../../../src/core/trust/launch';
import { LaunchConsent, type LaunchConsentHost } from '../../../src/core/trust/launchGate';
import type { ServerState } from '../../../src/core/server/state';
import { MapMemento, MapSecretStore } from '../../support/storage';

// Low entropy on purpose: it does not look like a token, so only the password-input masking hides it.
const PASSWORD = 'swordfish-plain';
const TOKEN = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
const ENVFILE_VALUE = 'from-env-file-9f8e7d';

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcphost-chat-'));
  fs.writeFileSync(path.join(dir, 'server.env'), `FILE_SECRET=${ENVFILE_VALUE}\n`);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const inputs: InputDefinition[] = [{ type: 'promptString', id: 'key', password: true }];

function def(name: string, entry: Partial<ServerEntry>, kind: ServerDefinition['source']['kind'] = 'userSettings'): ServerDefinition {
  const file = kind === 'folderMcpJson' ? path.join(dir, '.vscode/mcp.json') : undefined;
  return {
    id: `${kind}:${file ?? ''}:${name}`,
    name,
    source: { kind, ...(file ? { file, folder: dir } : {}) },
    inputs,
    entry: { type: 'stdio', command: process.execPath, args: [], env: {}, disabled: false, ...entry },
  };
}

class World {
  trusted = true;
  readonly memento = new MapMemento();
  readonly secrets = new MapSecretStore();
  readonly answers: ('approved' | 'denied' | undefined)[] = [];
  prompted = 0;
  readonly consentHost: LaunchConsentHost = {
    isWorkspaceTrusted: () => this.trusted,
    programContext: () => ({ baseEnv: process.env, workspaceFolders: [dir] }),
    secrets: this.secrets,
    askConsent: () => Promise.resolve(this.answers.shift()),
    relativePath: (f) => f,
    log: { info: () => undefined },
  };
  readonly gate = new LaunchConsent(this.memento, this.consentHost);
  readonly ctx = { userHome: dir, baseEnv: process.env, workspaceFolders: () => [{ name: 'w', path: dir, uri: `file://${dir}` }], secrets: this.secrets, memento: this.memento };
  deps(): ChatOfferDeps {
    return { ...chatOfferResolver(this.ctx), gate: this.gate, isWorkspaceTrusted: () => this.trusted };
  }
  /** Starts the server "in MCP Host" once: the input is asked and remembered, the workspace launch approved. */
  async startOnce(d: ServerDefinition, value = PASSWORD): Promise<void> {
    const launch = await resolveLaunch(d, { ...this.ctx, workspaceFolders: this.ctx.workspaceFolders(), inputs: { prompt: () => (this.prompted++, Promise.resolve(value)) } });
    this.answers.push('approved');
    assert.equal(await this.gate.approveLaunch(d, launch), undefined);
  }
}

const idle: ServerState = { kind: 'stopped' };
const cand = (definition: ServerDefinition, state: ServerState = idle): ChatCandidate => ({ definition, state });

void describe('chat offer', () => {
  void it('a user server is offered; secrets (password input, token, env file) only in the resolved definition', async () => {
    const w = new World();
    const d = def('mine', { args: ['srv.js', '--key=${input:key}'], env: { API_KEY: '${input:key}', GH: TOKEN, PLAIN: 'x', GONE: null }, envFile: path.join(dir, 'server.env') });
    await w.startOnce(d);
    const r = await decideChatOffer(cand(d), w.deps());
    assert.ok(r.ok, JSON.stringify(r));
    const { offered, resolved } = r.offer;
    assert.equal(offered.kind, 'stdio');
    assert.equal(resolved.kind, 'stdio');
    if (offered.kind !== 'stdio' || resolved.kind !== 'stdio') return;
    const shown = JSON.stringify(offered);
    for (const s of [PASSWORD, TOKEN, ENVFILE_VALUE]) assert.ok(!shown.includes(s), `offered definition leaks ${s.slice(0, 6)}: ${shown}`);
    assert.equal(offered.env.PLAIN, 'x');
    assert.equal(offered.env.GONE, null);
    assert.ok(!('FILE_SECRET' in offered.env), 'env file variables are not listed');
    assert.equal(offered.command, process.execPath);
    assert.equal(resolved.command, process.execPath);
    assert.deepEqual(resolved.args, ['srv.js', `--key=${PASSWORD}`]);
    assert.deepEqual(resolved.env, { FILE_SECRET: ENVFILE_VALUE, API_KEY: PASSWORD, GH: TOKEN, PLAIN: 'x', GONE: null });
    assert.equal(resolved.cwd, dir, "a user server's cwd is the home folder (here the test's)");
    assert.equal(offered.version, resolved.version);
    assert.match(offered.version, /^[0-9a-f]{16}$/);
    for (const s of [PASSWORD, TOKEN, ENVFILE_VALUE]) assert.ok(r.offer.secrets.includes(s), 'each hidden value is listed for redaction');
  });

  void it('a bare command is the program found on PATH, as MCP Host would spawn it; a missing one is not offered', async () => {
    const w = new World();
    const bin = path.dirname(process.execPath);
    const deps = { ...w.deps(), baseEnv: { ...process.env, PATH: bin } };
    const r = await decideChatOffer(cand(def('bare', { command: path.basename(process.execPath) })), deps);
    assert.ok(r.ok);
    assert.equal(r.offer.resolved.kind === 'stdio' && r.offer.resolved.command, process.execPath);
    assert.deepEqual(await decideChatOffer(cand(def('missing', { command: 'no-such-program-mcphost' })), deps), { ok: false, reason: 'commandNotFound' });
  });

  void it('never asks for an input: a server whose input was never entered is not offered', async () => {
    const w = new World();
    const d = def('fresh', { env: { K: '${input:key}' } });
    assert.deepEqual(await decideChatOffer(cand(d), w.deps()), { ok: false, reason: 'needsInput' });
    assert.equal(w.prompted, 0);
  });

  void it('a restricted workspace offers nothing, not even the user’s own servers', async () => {
    const w = new World();
    w.trusted = false;
    const { offers, skipped } = await decideChatOffers([cand(def('mine', {}))], w.deps());
    assert.equal(offers.length, 0);
    assert.equal(skipped.get(def('mine', {}).id), 'workspaceRestricted');
  });

  void it('disabled, failed, given up, denied and blocked servers are not offered', async () => {
    const w = new World();
    const deps = w.deps();
    const cases: [ChatCandidate, string][] = [
      [cand(def('off', { disabled: true }), { kind: 'stopped', reason: 'disabled' }), 'disabled'],
      [cand(def('crashed', {}), { kind: 'error', message: 'exited', stderrTail: '' }), 'failed'],
      [cand(def('gaveUp', {}), { kind: 'error', message: 'exited', stderrTail: '', gaveUp: true }), 'failed'],
      [cand(def('denied', {}, 'folderMcpJson'), { kind: 'stopped', reason: 'denied' }), 'blocked'],
      [cand({ ...def('broken', {}), configError: 'no command' }), 'failed'],
      [cand(def('ws', { type: 'ws', url: 'ws://localhost:1/' })), 'unsupportedTransport'],
    ];
    for (const [c, reason] of cases) assert.deepEqual(await decideChatOffer(c, deps), { ok: false, reason }, c.definition.name);
    const running = await decideChatOffer(cand(def('up', {}), { kind: 'running' }), deps);
    assert.ok(running.ok, 'a running server is offered');
  });

  void it('a workspace server only with the exact launch the user approved; a changed value or a reset withdraws it', async () => {
    const w = new World();
    const d = def('theirs', { args: ['srv.js'], env: { K: '${input:key}' } }, 'folderMcpJson');
    await resolveLaunch(d, { ...w.ctx, workspaceFolders: w.ctx.workspaceFolders(), inputs: { prompt: () => Promise.resolve(PASSWORD) } });
    assert.deepEqual(await decideChatOffer(cand(d), w.deps()), { ok: false, reason: 'notApproved' }, 'input known, launch never approved');
    await w.startOnce(d);
    const ok = await decideChatOffer(cand(d), w.deps());
    assert.ok(ok.ok, 'approved launch is offered');
    assert.equal(ok.offer.resolved.kind === 'stdio' && ok.offer.resolved.cwd, dir, "a workspace server's cwd is its folder");
    // The password changes (Edit stored input): the launch is not the approved one any more.
    await w.secrets.store([...w.secrets.map.keys()].find((k) => k.startsWith('mcpHost.input:'))!, 'another-password-value-123');
    assert.deepEqual(await decideChatOffer(cand(d), w.deps()), { ok: false, reason: 'notApproved' });
    await w.startOnce(d, 'another-password-value-123');
    assert.ok((await decideChatOffer(cand(d), w.deps())).ok);
    // The definition changes: approval was for the old one.
    const edited = def('theirs', { args: ['other.js'], env: { K: '${input:key}' } }, 'folderMcpJson');
    assert.deepEqual(await decideChatOffer(cand(edited), w.deps()), { ok: false, reason: 'notApproved' });
    await w.gate.reset();
    assert.deepEqual(await decideChatOffer(cand(d), w.deps()), { ok: false, reason: 'notApproved' }, 'Reset Server Trust withdraws it');
  });

  void it('a remote server: headers with secrets masked when listed, complete when resolved; no MCP Host token', async () => {
    const w = new World();
    const d = def('remote', { type: 'http', url: 'https://bob:hunter2-pass@example.com/mcp', headers: { Authorization: 'Bearer ${input:key}', 'X-Team': 'blue', Cookie: 'sid=abc' } });
    await w.startOnce(d);
    const r = await decideChatOffer(cand(d, { kind: 'stopped', reason: 'needsSignIn' }), w.deps());
    assert.ok(r.ok, 'a server waiting for MCP Host’s sign-in is offered: the editor signs in itself');
    const { offered, resolved } = r.offer;
    assert.ok(offered.kind === 'http' && resolved.kind === 'http');
    const shown = JSON.stringify(offered);
    for (const s of [PASSWORD, 'hunter2-pass', 'sid=abc']) assert.ok(!shown.includes(s), `offered leaks ${s}: ${shown}`);
    assert.equal(offered.headers['X-Team'], 'blue');
    assert.deepEqual(resolved.headers, { Authorization: `Bearer ${PASSWORD}`, 'X-Team': 'blue', Cookie: 'sid=abc' });
    assert.equal(resolved.uri, 'https://bob:hunter2-pass@example.com/mcp');
  });

  void it('a remote server whose URL carries a token in its query: masked when listed, complete when resolved', async () => {
    const w = new World();
    const d = def('keyed', { type: 'http', url: `https://mcp.example.com/mcp?api_key=${TOKEN}&team=blue&access_token=${TOKEN}x`, headers: {} });
    await w.startOnce(d);
    const r = await decideChatOffer(cand(d), w.deps());
    assert.ok(r.ok);
    const { offered, resolved, secrets } = r.offer;
    assert.ok(offered.kind === 'http' && resolved.kind === 'http');
    assert.ok(!JSON.stringify(offered).includes(TOKEN), `offered leaks the token: ${offered.uri}`);
    assert.match(offered.uri, /^https:\/\/mcp\.example\.com\/mcp\?api_key=.+&team=blue&access_token=/);
    assert.equal(resolved.uri, `https://mcp.example.com/mcp?api_key=${TOKEN}&team=blue&access_token=${TOKEN}x`);
    assert.ok(secrets.includes(TOKEN), 'kept out of the log too');
  });

  void it('a password in a connection URL or a --password= argument is masked when listed, complete when resolved', async () => {
    const w = new World();
    // The reference Postgres server takes its connection URL as an argument.
    const args = ['server.js', 'postgresql://admin:s3cret-db-pw@db.example/app', '--password=hunter2-arg', '--api-key', 'plain-key-value'];
    const d = def('pg', { args, env: { DATABASE_URL: 'postgres://app:env-db-pw@db.example/app', DB_PASSWORD: 'short-pw' } });
    const r = await decideChatOffer(cand(d), w.deps());
    assert.ok(r.ok && r.offer.offered.kind === 'stdio' && r.offer.resolved.kind === 'stdio');
    const shown = JSON.stringify(r.offer.offered);
    for (const secret of ['s3cret-db-pw', 'hunter2-arg', 'env-db-pw', 'short-pw', 'plain-key-value']) assert.ok(!shown.includes(secret), `offered leaks ${secret}: ${shown}`);
    assert.ok(shown.includes('admin') && shown.includes('db.example/app'), 'the rest stays readable');
    assert.deepEqual(r.offer.resolved.args, args);
    assert.equal(r.offer.resolved.env.DATABASE_URL, 'postgres://app:env-db-pw@db.example/app');
  });

  void it('two servers whose labels sanitise alike: the first is offered (the editor resolves by label)', async () => {
    const w = new World();
    const a = def('same\u200b', {});
    const b = { ...def('same', {}), id: 'other' };
    const { offers, skipped } = await decideChatOffers([cand(a), cand(b)], w.deps());
    assert.equal(offers.length, 1);
    assert.equal(offers[0]!.serverId, a.id);
    assert.equal(skipped.get('other'), 'sameLabel');
  });
});

void describe('chat offer version', () => {
  void it('is keyed even for a launch whose only secret is a literal: not the plain fingerprint a guess could be checked against', async () => {
    const w = new World();
    const d: ServerDefinition = { ...def('literal', { args: ['srv.js', '--password=hunter2-literal'] }), inputs: [] };
    const r = await decideChatOffer(cand(d), w.deps());
    assert.ok(r.ok, JSON.stringify(r));
    const launch = await resolveLaunch(d, { ...w.ctx, workspaceFolders: w.ctx.workspaceFolders(), inputs: { prompt: () => Promise.resolve(undefined) } });
    const plain = launchFingerprint(launch, envFileSnapshot(launch), undefined).slice(0, 16);
    assert.notEqual(r.offer.offered.version, plain, 'the version is not the unkeyed fingerprint');
    assert.match(r.offer.offered.version, /^[0-9a-f]{16}$/);
  });
});
