/**
 * The launch gate's policy without an editor (src/core/trust/launchGate.ts, issue #11): what blocks a workspace
 * server, when the user is asked, what is remembered. The editor's part (dialogs, workspace trust) is a host
 * interface; here a test host answers the dialog.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResolvedLaunch, ServerDefinition } from '../../../src/core/config/types';
import { LaunchConsent, type LaunchConsentHost } from '../../../src/core/trust/launchGate';
import { MapMemento, MapSecretStore } from '../../support/storage';

function def(name: string, args: string[] = [], kind: ServerDefinition['source']['kind'] = 'folderMcpJson'): ServerDefinition {
  return {
    id: `${kind}::${name}`,
    name,
    source: { kind, file: '/w/.vscode/mcp.json' },
    inputs: [],
    entry: { type: 'stdio', command: 'node', args, env: {}, disabled: false },
  };
}

const launchOf = (d: ServerDefinition): ResolvedLaunch => ({ command: 'node', args: [...d.entry.args], cwd: '/w', env: {}, secrets: [] });

function remoteDef(name: string, type: 'http' | 'sse' | 'ws'): ServerDefinition {
  return { id: `folderMcpJson::${name}`, name, source: { kind: 'folderMcpJson', file: '/w/.vscode/mcp.json' }, inputs: [], entry: { type, url: 'https://h/mcp', args: [], env: {}, disabled: false } };
}

const remoteLaunchOf = (type: 'http' | 'sse' | 'ws', url: string): ResolvedLaunch => ({ command: '', args: [], cwd: '/w', env: {}, secrets: [], remote: { type, url, headers: {} } });

function host(answers: ('approved' | 'denied' | undefined)[], trusted = true): LaunchConsentHost & { asked: string[]; actions: string[] } {
  const asked: string[] = [];
  const actions: string[] = [];
  return {
    asked,
    actions,
    isWorkspaceTrusted: () => trusted,
    programContext: () => ({ baseEnv: process.env, workspaceFolders: ['/w'] }),
    secrets: new MapSecretStore(),
    askConsent: async (d, message, detail, action) => {
      asked.push(`${d.name}: ${message}\n${detail}`);
      actions.push(action);
      await new Promise((r) => setTimeout(r, 10));
      return answers.shift();
    },
    relativePath: (f) => f.replace('/w/', ''),
    log: { info: () => undefined },
  };
}

void describe('launch gate policy', () => {
  void it('user-settings servers pass without asking; workspace servers need a trusted workspace', async () => {
    const untrusted = new LaunchConsent(new MapMemento(), host([], false));
    const mine = def('mine', [], 'userSettings');
    assert.equal(untrusted.blockedReason(mine), undefined);
    assert.equal(await untrusted.approveLaunch(mine, launchOf(mine)), undefined);
    const theirs = def('theirs');
    assert.equal(untrusted.blockedReason(theirs), 'needsWorkspaceTrust');
    assert.equal(await untrusted.approveLaunch(theirs, launchOf(theirs)), 'needsWorkspaceTrust');
  });

  void it('two starts at once show one dialog; the approval is remembered for the exact launch', async () => {
    const h = host(['approved']);
    const gate = new LaunchConsent(new MapMemento(), h);
    const d = def('s', ['a.js']);
    const [a, b] = await Promise.all([gate.approveLaunch(d, launchOf(d)), gate.approveLaunch(d, launchOf(d))]);
    assert.deepEqual([a, b], [undefined, undefined]);
    assert.equal(h.asked.length, 1);
    assert.match(h.asked[0]!, /Defined in \.vscode\/mcp\.json/);
    assert.equal(await gate.approveLaunch(d, launchOf(d)), undefined);
    assert.equal(h.asked.length, 1, 'not asked again for the same launch');
    assert.equal(gate.consentState(d), 'approved');
  });

  void it('a denial blocks the definition until it changes; a changed launch asks again saying what changed', async () => {
    const h = host(['denied', undefined]);
    const gate = new LaunchConsent(new MapMemento(), h);
    const d = def('s', ['a.js']);
    assert.equal(await gate.approveLaunch(d, launchOf(d)), 'denied');
    assert.equal(gate.blockedReason(d), 'denied');
    const changed = def('s', ['b.js']);
    assert.equal(gate.blockedReason(changed), undefined);
    assert.equal(gate.consentState(changed), 'changed');
    assert.equal(await gate.approveLaunch(changed, launchOf(changed)), 'needsConsent', 'dialog dismissed');
    assert.match(h.asked[1]!, /changed since you declined it/);
  });

  void it('a remote server is asked about as a connection ("Connect to ...?"), a command as a program to run', async () => {
    const h = host(['approved', 'approved', 'approved']);
    const gate = new LaunchConsent(new MapMemento(), h);
    const cmd = def('cmd', ['a.js']);
    await gate.approveLaunch(cmd, launchOf(cmd));
    assert.match(h.asked[0]!, /^cmd: Run the MCP server "cmd" defined by this workspace\?/);
    for (const type of ['http', 'sse', 'ws'] as const) {
      const r = remoteDef(`r-${type}`, type);
      await gate.approveLaunch(r, remoteLaunchOf(type, 'https://h/mcp'));
    }
    assert.deepEqual(h.asked.slice(1).map((a) => a.split('\n')[0]), [
      'r-http: Connect to the MCP server "r-http" defined by this workspace?',
      'r-sse: Connect to the MCP server "r-sse" defined by this workspace?',
      'r-ws: Connect to the MCP server "r-ws" defined by this workspace?',
    ]);
    assert.deepEqual(h.actions, ['run', 'connect', 'connect', 'connect']);
  });

  void it('a changed sign-in client id of an approved remote server asks again ("Connect to it?") and names the change', async () => {
    const h = host(['approved', 'approved']);
    const gate = new LaunchConsent(new MapMemento(), h);
    const r = remoteDef('r', 'http');
    const approved = { ...remoteLaunchOf('http', 'https://h/mcp'), remote: { type: 'http' as const, url: 'https://h/mcp', headers: {}, oauth: { clientId: 'mcp-host' } } };
    assert.equal(await gate.approveLaunch(r, approved), undefined);
    assert.match(h.asked[0]!, /Sign-in client: client id "mcp-host"/);
    assert.equal(await gate.approveLaunch(r, approved), undefined);
    assert.equal(h.asked.length, 1, 'the same client: not asked again');
    const changed = { ...approved, remote: { ...approved.remote, oauth: { clientId: 'someone-else' } } };
    assert.equal(await gate.approveLaunch(r, changed), undefined);
    assert.equal(h.asked.length, 2, 'another client id asks again');
    assert.match(h.asked[1]!, /^r: The MCP server "r" changed since you approved it\. Connect to it\?/);
    assert.match(h.asked[1]!, /Changed since you approved it:\n {2}• sign-in client id \(oauth\.clientId\): "mcp-host" → "someone-else"/);
  });

  void it('reset forgets decisions', async () => {
    const gate = new LaunchConsent(new MapMemento(), host(['approved']));
    const d = def('s');
    await gate.approveLaunch(d, launchOf(d));
    assert.equal(await gate.reset(), 1);
    assert.equal(gate.consentState(d), 'unknown');
  });
  void it('isLaunchApproved: the exact approved launch only, without asking and without making a fingerprint key', async () => {
    const h = host(['approved']);
    const gate = new LaunchConsent(new MapMemento(), h);
    const d = def('s', ['a.js']);
    const withPassword: ResolvedLaunch = { ...launchOf(d), env: { K: 'pw-1' }, secrets: ['pw-1'] };
    assert.equal(await gate.isLaunchApproved(d, withPassword), false);
    assert.equal(h.asked.length, 0, 'never asks');
    assert.equal((h.secrets as MapSecretStore).map.size, 0, 'no key made for a check');
    assert.equal(await gate.approveLaunch(d, withPassword), undefined);
    assert.equal(await gate.isLaunchApproved(d, withPassword), true);
    assert.equal(await gate.isLaunchApproved(d, { ...withPassword, env: { K: 'pw-2' }, secrets: ['pw-2'] }), false, 'another password value');
    assert.equal(await gate.isLaunchApproved(d, { ...withPassword, cwd: '/elsewhere' }), false, 'another cwd');
    assert.equal(await gate.isLaunchApproved(def('mine', [], 'userSettings'), launchOf(d)), true, 'a user server needs no approval');
  });
});
