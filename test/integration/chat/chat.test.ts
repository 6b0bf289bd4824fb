/**
 * Approved servers offered to VS Code's own chat (mcpHost.chat.offerServers, issue #17), in the real editor: the
 * provider MCP Host registers lists the approved user server and the approved workspace server, never the
 * workspace server nobody approved, without secrets; the secrets come only with resolve, right before VS Code
 * starts the server. What VS Code did with it is observed through VS Code itself: its MCP command starts the
 * offered server, its tools appear in vscode.lm.tools, and calling one (vscode.lm.invokeTool) shows the process
 * VS Code spawned got the env file's secret. Turning the setting off removes them from VS Code.
 * VS Code 1.100 has no MCP server definition provider API: there the offer tests are skipped and say so.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import { Choices } from '../../../src/vscode/trust';
import { isFinalMcpApiEngine, type EditorMcpDefinition } from '../../../src/vscode/chat/api';
import { activate, repoRoot, waitFor } from '../helpers';

// VS Code 1.100 has a function of that name, but the proposal before the final API (1.101), which refuses the
// manifest contribution of the final one: MCP Host does not use it there.
const hasApi = 'registerMcpServerDefinitionProvider' in vscode.lm && isFinalMcpApiEngine(vscode.version);
const why = ` (skipped: VS Code ${vscode.version} has no final vscode.lm.registerMcpServerDefinitionProvider, added in 1.101)`;
const test = (title: string, fn: () => Promise<void>) => (hasApi ? it(title, fn) : it.skip(title + why, fn));

const FILE_SECRET = `env-file-secret-${process.pid}-Qm7Xc2`;
/** In the command line of the process of "mine" (only VS Code starts it in this suite). */
const MINE_MARKER = `mine-${process.pid}`;
const TOKEN = 'ghp_' + 'Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa';
/** VS Code's id of a server from MCP Host's provider: `<extension id>/<label>`. */
const vscodeId = (label: string) => `mcp-host.mcp-host/${label}`;

const config = () => vscode.workspace.getConfiguration('mcpHost');
const folder = () => vscode.workspace.workspaceFolders![0]!.uri;

/** The MCP tools VS Code lists now (it names them after the server's own name: `mcp_report-env_env`). */
function vscodeMcpTools(): readonly vscode.LanguageModelToolInformation[] {
  return vscode.lm.tools.filter((t) => t.tags.includes('mcp'));
}

/** Processes whose command line contains `marker` (the real process table). */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

describe('chat: approved servers offered to VS Code’s own chat', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  const reportEnv = path.join(repoRoot(), 'test/fixtures/servers/report-env.mjs');

  before(async () => {
    api = await activate<McpHostApi>();
    if (!hasApi) return;
    const envFile = vscode.Uri.joinPath(folder(), 'mine.env');
    await vscode.workspace.fs.writeFile(envFile, new TextEncoder().encode(`FILE_SECRET=${FILE_SECRET}\n`));
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(folder(), '.vscode', 'mcp.json'),
      new TextEncoder().encode(
        JSON.stringify({
          servers: {
            'approved-ws': { command: process.execPath, args: [reportEnv, 'approved'] },
            theirs: { command: process.execPath, args: [reportEnv, 'never-approved'] },
          },
        }),
      ),
    );
    await config().update('servers', { mine: { command: process.execPath, args: [reportEnv, MINE_MARKER], envFile: envFile.fsPath, env: { GH_TOKEN: TOKEN, PLAIN: 'plain' } } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await waitFor(() => api.registry.getByName('theirs') && api.registry.getByName('mine'), 30_000, 'servers');
    // The user approves the workspace server "approved-ws" in MCP Host's own launch gate (Trust and Run).
    api.trust.setAsk((q) => Promise.resolve(q.kind === 'launchConsent' && q.serverName === 'approved-ws' ? Choices.trustAndRun : undefined));
    await api.registry.getByName('approved-ws')!.start();
    await api.registry.getByName('approved-ws')!.stop();
  });

  after(async () => {
    api.trust.setAsk(undefined);
    await config().update('chat.offerServers', undefined, vscode.ConfigurationTarget.Global);
    await config().update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
  });

  it('the extension activates; with the setting off nothing is registered', () => {
    assert.equal(api.chat.supported, hasApi);
    assert.equal(api.chat.provider(), undefined);
  });

  it('on an engine without the final API, turning the setting on tries nothing (no registration, no error in the log)', async function () {
    if (hasApi) this.skip();
    try {
      await config().update('chat.offerServers', true, vscode.ConfigurationTarget.Global);
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(api.chat.provider(), undefined);
      const log = fs.readFileSync(path.join(api.trust.logUri.fsPath, 'MCP Host.log'), 'utf8');
      assert.ok(log.includes('activated in'), 'the host log was found');
      assert.ok(!log.includes('Chat:'), `the offer was tried: ${log.split('\n').filter((l) => l.includes('Chat:')).join('\n')}`);
    } finally {
      await config().update('chat.offerServers', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('on: VS Code gets the approved servers without secrets; resolve adds them; the unapproved one is never offered', async () => {
    await config().update('chat.offerServers', true, vscode.ConfigurationTarget.Global);
    const provider = await waitFor(() => api.chat.provider(), 10_000, 'the provider to be registered');
    const defs = await provider.provideMcpServerDefinitions();
    assert.deepEqual(defs.map((d) => d.label).sort(), ['approved-ws', 'mine']);
    const listed = JSON.stringify(defs);
    assert.ok(!listed.includes(FILE_SECRET) && !listed.includes(TOKEN), `a secret in the listed definitions: ${listed}`);
    const mine = defs.find((d) => d.label === 'mine') as EditorMcpDefinition & { env: Record<string, unknown>; command: string };
    assert.equal(mine.command, process.execPath);
    assert.equal(mine.env.PLAIN, 'plain');
    const resolved = (await provider.resolveMcpServerDefinition(mine)) as { env: Record<string, unknown> } | undefined;
    assert.ok(resolved);
    assert.equal(resolved.env.FILE_SECRET, FILE_SECRET);
    assert.equal(resolved.env.GH_TOKEN, TOKEN);
  });

  test('VS Code starts the offered server and its process gets the secrets; it does not know the unapproved one', async () => {
    await config().update('chat.offerServers', true, vscode.ConfigurationTarget.Global);
    await waitFor(() => api.chat.provider(), 10_000, 'the provider to be registered');
    assert.equal(vscodeMcpTools().length, 0, 'VS Code runs no MCP server before the test starts one');
    // VS Code asks the provider and registers its servers asynchronously: the start is repeated until it knows "mine".
    const tools = await waitFor(async () => {
      await vscode.commands.executeCommand('workbench.mcp.startServer', vscodeId('mine'), { waitForLiveTools: true });
      const t = vscodeMcpTools();
      return t.length ? t : undefined;
    }, 30_000, `VS Code to list the tools of "mine" (has: ${vscode.lm.tools.map((t) => t.name).join(', ')})`);
    assert.equal(tools.length, 1, tools.map((t) => t.name).join(', '));
    const result = await vscode.lm.invokeTool(tools[0]!.name, { input: {}, toolInvocationToken: undefined });
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    const env = JSON.parse(text) as Record<string, string>;
    assert.equal(env.FILE_SECRET, FILE_SECRET, 'the process VS Code started got the env file value from resolve');
    assert.equal(env.GH_TOKEN, TOKEN);
    assert.equal(processesWith(MINE_MARKER).length, 1, 'VS Code runs the process of "mine"');
    // VS Code knows no server "theirs": asking it to start one runs nothing.
    await vscode.commands.executeCommand('workbench.mcp.startServer', vscodeId('theirs'), { waitForLiveTools: true });
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(processesWith('never-approved'), [], 'no process of the unapproved server');
    assert.equal(vscodeMcpTools().length, 1, 'no tools of another server');
  });

  test('Reset Server Trust withdraws the workspace server; turning the setting off removes every server from VS Code', async () => {
    await config().update('chat.offerServers', true, vscode.ConfigurationTarget.Global);
    const provider = await waitFor(() => api.chat.provider(), 10_000, 'the provider to be registered');
    let changes = 0;
    const sub = provider.onDidChangeMcpServerDefinitions(() => changes++);
    try {
      await api.trust.resetAll();
      await waitFor(() => changes > 0, 10_000, 'a change event after Reset Server Trust');
      assert.deepEqual((await provider.provideMcpServerDefinitions()).map((d) => d.label), ['mine']);
      const before = changes;
      await config().update('chat.offerServers', false, vscode.ConfigurationTarget.Global);
      await waitFor(() => api.chat.provider() === undefined, 10_000, 'the provider to go');
      assert.ok(changes > before, 'VS Code was told the list changed');
      assert.deepEqual(await provider.provideMcpServerDefinitions(), []);
    } finally {
      sub.dispose();
    }
    await waitFor(() => vscodeMcpTools().length === 0, 30_000, 'VS Code to drop the tools of "mine"');
    await waitFor(() => processesWith(MINE_MARKER).length === 0, 10_000, 'VS Code to stop the process of "mine"');
  });
});
