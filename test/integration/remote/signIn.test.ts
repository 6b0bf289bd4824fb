/**
 * Sign-in in the real editor: a protected MCP endpoint and an authorization server on 127.0.0.1 (the unit tests'
 * fixtures), the tree showing "Sign in", the Sign In command completing the browser step (the test follows the
 * authorization redirect to the loopback listener itself, through the test seam that replaces openExternal),
 * tools appearing, Sign Out returning to "Sign in", no token in settings, state or log files, and the sign-in
 * through the extension's URI handler where the loopback listener cannot listen.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import { CommandIds } from '../../../src/vscode/commands/ids';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { readClientMetadataUrl } from '../../../src/vscode/settings';
import { Choices, type AskRequest } from '../../../src/vscode/trust';
import { startAuthServer, type AuthServerFixture } from '../../fixtures/auth/authServer';
import { protectedMcp } from '../../fixtures/auth/protectedMcp';
import { startResourceServer, type ResourceServerFixture } from '../../fixtures/auth/resourceServer';
import { activate, waitFor } from '../helpers';

const SERVER = 'guarded-remote';

/** Every file under `dir` (bounded), as text. */
function readAll(dir: string, max = 2000): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.existsSync(d) ? fs.readdirSync(d, { withFileTypes: true }) : []) {
      if (out.length >= max) return;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out.join('\n');
}

describe('remote: sign in to a server behind OAuth', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  let as: AuthServerFixture;
  let rs: ResourceServerFixture;
  let server: ServerHandle;
  const asked: AskRequest[] = [];
  const opened: string[] = [];
  const node = (): TreeNode => {
    const n = (api.tree.getChildren() as TreeNode[]).find((c) => c.kind === 'server' && c.serverId === server.id);
    assert.ok(n, 'the server has a row');
    return n;
  };
  const row = () => api.tree.getTreeItem(node()) as vscode.TreeItem;

  before(async () => {
    api = await activate<McpHostApi>();
    as = await startAuthServer();
    rs = await startResourceServer({ authorizationServers: [as.issuer], tokenInfo: (t) => as.tokenInfo(t), serve: protectedMcp().serve, challengeScopes: ['mcp'] });
    api.trust.setAsk((r) => {
      asked.push(r);
      return Promise.resolve(r.kind === 'signInConsent' ? Choices.signIn : undefined);
    });
    // The user's browser: GET the authorization URL, take its redirect, GET that (the loopback listener).
    api.auth.setOpenUrl(async (url) => {
      opened.push(url.href);
      const res = await fetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      assert.ok(res.status === 302 && location, `authorize answered ${res.status}`);
      await (await fetch(location)).text();
    });
    await vscode.workspace.getConfiguration('mcpHost').update('servers', { [SERVER]: { type: 'http', url: rs.url } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    server = await waitFor(() => api.registry.getByName(SERVER), 30_000, `server ${SERVER} in the registry`);
  });

  after(async () => {
    api.trust.setAsk(undefined);
    api.auth.setOpenUrl(undefined);
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await Promise.all([as?.close(), rs?.close()]);
  });

  it('a server that answers 401 shows "Sign in" in the tree, without an error', async () => {
    await server.start().catch(() => undefined);
    await waitFor(() => row().description === 'Sign in', 30_000, '"Sign in" on the row');
    assert.deepEqual(server.state, { kind: 'stopped', reason: 'needsSignIn' });
    assert.equal(row().contextValue, 'server.stopped.needsSignIn.remote');
    assert.equal(as.requests.length, 0, 'nothing was sent to the authorization server before the user asked');
  });

  it('Sign In asks first (origin and scopes), completes the browser step, and the tools appear', async () => {
    await vscode.commands.executeCommand(CommandIds.signIn, SERVER);
    const consent = asked.filter((r) => r.kind === 'signInConsent');
    assert.equal(consent.length, 1);
    assert.ok(consent[0]?.detail.includes(new URL(as.issuer).origin), consent[0]?.detail);
    assert.match(consent[0]?.detail ?? '', /Permissions \(scopes\) asked: mcp/);
    assert.equal(opened.length, 1);
    assert.ok(opened[0]?.startsWith(`${as.issuer}/authorize?`), opened[0]);
    // The redirect goes to the loopback listener, or to what asExternalUri made of it (in code-server its port
    // proxy, http://host/proxy/<port>/callback: the redirect crosses code-server as it would for a remote user).
    const redirect = new URL(opened[0] ?? '').searchParams.get('redirect_uri') ?? '';
    assert.match(redirect, /^http:\/\/127\.0\.0\.1:\d+\/callback$|\/proxy\/\d+\/callback$/, redirect);
    await waitFor(() => server.state.kind === 'running' && server.lists.tools.length > 0, 30_000, 'running with tools');
    assert.deepEqual(server.lists.tools.map((t) => t.name), ['whoami']);
    assert.equal(row().description, 'running · 1 tool');
    assert.equal(row().contextValue, 'server.running.remote.signedIn');
    assert.match(rs.seen.at(-1) ?? '', /^Bearer \S+$/);
  });

  it('no token or refresh token in settings, extension state or any log file', async () => {
    const token = /^Bearer (\S+)$/.exec(rs.seen.at(-1) ?? '')?.[1];
    assert.ok(token);
    assert.equal(as.requests.filter((r) => r.params['grant_type'] === 'authorization_code').length, 1);
    const settings = JSON.stringify(vscode.workspace.getConfiguration('mcpHost'));
    assert.ok(!settings.includes(token), 'not in settings');
    assert.ok(!api.trust.dumpState().includes(token), 'not in workspaceState/globalState');
    await new Promise((r) => setTimeout(r, 2000)); // let the log channels flush to disk
    let dir = api.trust.logUri.fsPath;
    while (path.basename(dir) !== 'logs' && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const logs = readAll(dir);
    const userSettings = path.join(path.dirname(dir), 'User', 'settings.json');
    if (fs.existsSync(userSettings)) assert.ok(!fs.readFileSync(userSettings, 'utf8').includes(token), 'not in settings.json');
    assert.ok(logs.includes('Signed in at'), 'the log folder holds the sign-in line (the search covers the right files)');
    assert.ok(!logs.includes(token), 'not in any log file');
  });

  it('Sign Out forgets the sign-in and the row returns to "Sign in"', async () => {
    const before = rs.seen.length;
    await vscode.commands.executeCommand(CommandIds.signOut, SERVER);
    await waitFor(() => row().description === 'Sign in', 30_000, '"Sign in" again');
    assert.deepEqual(rs.seen.slice(before).at(-1), '', 'the restart sent no token');
    assert.equal(server.auth?.state.kind, 'signInNeeded');
    assert.ok(as.requests.some((r) => r.path.endsWith('/revoke')), 'the refresh token was revoked');
  });

  it('where the extension host cannot listen on 127.0.0.1, Sign In completes through the URI handler', async () => {
    // The loopback listener fails to listen (the test seam makes it listen on an address this machine lacks).
    api.auth.setLoopbackUnavailable(true);
    const callbacks: string[] = [];
    // The user's browser: GET the authorization URL and follow its redirect, which now leads to the editor's
    // callback (in code-server its /callback page, which hands the URI to the extension's URI handler). The
    // browser that follows it is the workbench's own (openExternal), as for a user of code-server.
    api.auth.setOpenUrl(async (url) => {
      opened.push(url.href);
      const res = await fetch(url, { redirect: 'manual' });
      const location = res.headers.get('location');
      assert.ok(res.status === 302 && location, `authorize answered ${res.status}`);
      callbacks.push(location);
      // (A stray callback with another state is not sent first here: code-server takes one callback per
      // asExternalUri request id, so it would use up the real one. The unit tests cover strays.)
      assert.ok(await vscode.env.openExternal(vscode.Uri.parse(location, true)), 'the callback was opened');
    });
    try {
      const exchanges = () => as.requests.filter((r) => r.params['grant_type'] === 'authorization_code').length;
      const before = exchanges();
      await vscode.commands.executeCommand(CommandIds.signIn, SERVER);
      const redirect = new URL(opened.at(-1) ?? '').searchParams.get('redirect_uri') ?? '';
      // Not the loopback listener: the extension's callback, as asExternalUri made it reachable (in code-server:
      // its /callback route carrying the vscode:// target; in a desktop window the vscode:// URI itself).
      assert.doesNotMatch(redirect, /\/proxy\/\d+\/callback$|^http:\/\/127\.0\.0\.1:\d+\/callback$/, redirect);
      const target = new URL(redirect);
      const authority = target.searchParams.get('vscode-authority') ?? target.host;
      const cbPath = target.searchParams.get('vscode-path') ?? target.pathname;
      assert.deepEqual([authority, cbPath], ['mcp-host.mcp-host', '/oauth-callback'], redirect);
      assert.equal(exchanges(), before + 1);
      await waitFor(() => server.state.kind === 'running' && server.lists.tools.length > 0, 30_000, 'running with tools');
      assert.equal(server.auth?.state.kind, 'signedIn');
      assert.equal(row().contextValue, 'server.running.remote.signedIn');
      assert.match(rs.seen.at(-1) ?? '', /^Bearer \S+$/);
      assert.equal(callbacks.length, 1);
    } finally {
      api.auth.setLoopbackUnavailable(false);
    }
  });

  it('mcpHost.oauth.clientMetadataUrl: off by default, an https URL from user settings, never http', async () => {
    const c = () => vscode.workspace.getConfiguration('mcpHost');
    assert.equal(readClientMetadataUrl(), null);
    try {
      await c().update('oauth.clientMetadataUrl', 'https://example.org/mcp-host/client.json', vscode.ConfigurationTarget.Global);
      assert.equal(readClientMetadataUrl(), 'https://example.org/mcp-host/client.json');
      await c().update('oauth.clientMetadataUrl', 'http://example.org/client.json', vscode.ConfigurationTarget.Global);
      assert.equal(readClientMetadataUrl(), null);
    } finally {
      await c().update('oauth.clientMetadataUrl', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
