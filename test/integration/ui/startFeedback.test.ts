/**
 * Every way the UI starts a server gives the same feedback (src/vscode/commands/startServer.ts, startWithFeedback):
 * the Start command, and a content command that needs its server running (Run Tool), say the same things in the same
 * words, observed as the extension shows them (the host API's onDidShowMessage).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ShownMessage } from '../../../src/vscode/messages';
import { activate, waitFor } from '../helpers';

describe('start feedback', () => {
  let api: McpHostApi;
  let sub: vscode.Disposable | undefined;
  const shown: ShownMessage[] = [];
  const setServers = (value: unknown) => vscode.workspace.getConfiguration('mcpHost').update('servers', value, vscode.ConfigurationTarget.Global);
  const handle = (name: string) => api.registry.getByName(name);

  before(async () => {
    api = await activate<McpHostApi>();
    await setServers({ 'never-starts': { command: 'mcp-host-test-no-such-command' } });
    await api.reloadConfig();
    await waitFor(() => handle('never-starts'), 20_000, 'the server in the registry');
    sub = api.onDidShowMessage((m) => shown.push(m));
  });

  after(async () => {
    sub?.dispose();
    await setServers(undefined);
    await api.reloadConfig();
  });

  /** What the extension showed while `run` ran, up to its error. */
  async function feedbackOf(run: () => Thenable<unknown>): Promise<string[]> {
    shown.length = 0;
    await run();
    await waitFor(() => shown.some((m) => m.kind === 'error'), 20_000, 'the error message');
    return shown.map((m) => `${m.kind}: ${m.text}`);
  }

  it('a server that cannot start says so in the same words from the Start command and from Run Tool', async function () {
    this.timeout(60_000);
    const fromCommand = await feedbackOf(() => vscode.commands.executeCommand('mcpHost.startServer', 'never-starts'));
    assert.equal(handle('never-starts')?.state.kind, 'error');
    const node = { kind: 'tool', serverId: handle('never-starts')!.id, name: 'anything' };
    const fromRunTool = await feedbackOf(() => vscode.commands.executeCommand('mcpHost.runTool', node));
    assert.deepEqual(fromRunTool, fromCommand);
    assert.ok(fromCommand.some((m) => m.startsWith('progress: Starting MCP server')), fromCommand.join('\n'));
    const error = fromCommand.find((m) => m.startsWith("error: Could not start MCP server 'never-starts'"));
    assert.ok(error, fromCommand.join('\n'));
    // The engine's error says where it looked and what to do; the editor adds no second, different piece of advice.
    assert.match(error, /not found on the PATH/);
    assert.equal(error.match(/absolute path/g)?.length, 1, error);
  });
});
