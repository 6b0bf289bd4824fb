/**
 * Consent for a remote server the workspace defines: nothing is sent to it before the user approves its exact URL
 * and headers (a token-like header masked in the dialog), and a changed header or sign-in client id asks again,
 * naming the change. The dialog asks to connect, not to run: nothing runs on the user's computer.
 * The server is the hostile HTTP fixture's well-behaved route, in this extension host.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { repoRoot, waitFor } from '../../helpers';
import { Choices } from '../../../../src/vscode/trust/ask';
import { DialogRecorder, trustApi, workspaceFolder, writeFile, type TrustApi } from '../trustHelpers';

interface Fixture {
  origin: string;
  seen: { requests: { method: string; path: string; headers: Record<string, string | undefined> }[] };
  close(): Promise<void>;
}

const TOKEN = 'sk-live-abcdefghijklmnopqrstuvwxyz0123456789';

describe('Trust: consent to connect to a remote workspace server', () => {
  let api: TrustApi;
  let web: Fixture;
  const dialogs = new DialogRecorder();
  const mcpJson = () => vscode.Uri.joinPath(workspaceFolder().uri, '.vscode', 'mcp.json');
  const writeServer = async (team: string, clientId?: string) => {
    const entry = { type: 'http', url: `${web.origin}/ok/mcp`, headers: { 'X-Api-Key': TOKEN, 'X-Team': team }, ...(clientId ? { oauth: { clientId } } : {}) };
    const config = { servers: { 'remote-consent': entry } };
    await writeFile(mcpJson(), JSON.stringify(config, null, 2));
    await api.reloadConfig();
  };
  const handle = () => api.registry.getByName('remote-consent');
  const reached = () => web.seen.requests.filter((r) => r.path === '/ok/mcp').length;

  before(async () => {
    api = await trustApi();
    dialogs.install(api);
    await api.trust.resetAll();
    const mod = (await import(path.join(repoRoot(), 'test/fixtures/http/hostile-http.mjs'))) as { startHostileHttp(): Promise<Fixture> };
    web = await mod.startHostileHttp();
  });

  after(async () => {
    dialogs.uninstall(api);
    await handle()?.stop();
    await vscode.workspace.fs.delete(mcpJson()).then(undefined, () => undefined);
    await api.reloadConfig();
    await web.close();
  });

  it('nothing is sent before approval; the dialog shows the URL and the headers with the token masked', async () => {
    await writeServer('blue');
    const h = await waitFor(handle, 20_000, 'the remote server');
    dialogs.answer = () => undefined;
    await assert.rejects(h.start());
    assert.equal(reached(), 0, 'no request reached the server');
    const asked = dialogs.last('launchConsent');
    assert.ok(asked);
    assert.equal(asked.message, 'Connect to the MCP server "remote-consent" defined by this workspace?');
    assert.deepEqual(asked.choices, [Choices.trustAndConnect, Choices.doNotTrust]);
    assert.ok(asked.detail.includes(`URL: "${web.origin}/ok/mcp"`), asked.detail);
    assert.match(asked.detail, /X-Team: "blue"/);
    assert.match(asked.detail, /X-Api-Key: "•+ \(sha256:[0-9a-f]{8}\)"/);
    assert.ok(!asked.detail.includes(TOKEN), 'the token itself is never shown');
  });

  it('approving connects; a changed header asks again and says what changed', async () => {
    dialogs.answer = () => Choices.trustAndConnect;
    await handle()!.start();
    assert.equal(handle()!.state.kind, 'running');
    assert.ok(reached() > 0);
    const before = dialogs.count('launchConsent');
    await writeServer('red');
    await waitFor(() => dialogs.count('launchConsent') === before + 1, 20_000, 'the consent dialog for the changed header');
    assert.match(dialogs.last('launchConsent')!.detail, /Changed since you approved it:\n {2}• header X-Team: "blue" → "red"/);
    assert.equal(dialogs.last('launchConsent')!.message, 'The MCP server "remote-consent" changed since you approved it. Connect to it?');
    await waitFor(() => handle()?.state.kind === 'running', 20_000, 'running again');
  });

  it('the sign-in client id is part of the approval: a changed oauth.clientId asks again and says what changed', async () => {
    dialogs.answer = () => Choices.trustAndConnect;
    let before = dialogs.count('launchConsent');
    await writeServer('red', 'mcp-host-team');
    await waitFor(() => dialogs.count('launchConsent') === before + 1, 20_000, 'the consent dialog for the added client id');
    assert.match(dialogs.last('launchConsent')!.detail, /Sign-in client: client id "mcp-host-team"/);
    await waitFor(() => handle()?.state.kind === 'running', 20_000, 'running with the approved client id');
    before = dialogs.count('launchConsent');
    const posts = () => web.seen.requests.filter((r) => r.path === '/ok/mcp' && r.method === 'POST').length;
    const postsBefore = posts();
    dialogs.answer = () => undefined;
    await writeServer('red', 'someone-elses-app');
    await waitFor(() => dialogs.count('launchConsent') === before + 1, 20_000, 'the consent dialog for the changed client id');
    const asked = dialogs.last('launchConsent')!;
    assert.match(asked.detail, /Changed since you approved it:\n {2}• sign-in client id \(oauth\.clientId\): "mcp-host-team" → "someone-elses-app"/);
    await waitFor(() => handle()?.state.kind === 'stopped', 20_000, 'not started without approval');
    assert.equal(posts(), postsBefore, 'nothing was sent with the unapproved client id');
  });
});
