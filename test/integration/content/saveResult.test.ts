/**
 * "Save Result As…" on a tool result bigger than the document shows (5 MB): the file gets the whole result,
 * not the truncated text of the document. Uses the hostile fixture's `big` tool (one text block of N 'x').
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import { CommandIds } from '../../../src/vscode/commands/ids';
import type { RunToolOutcome } from '../../../src/vscode/commands/content';
import { activate, repoRoot, waitFor } from '../helpers';

const SERVER = 'hostile';
const BYTES = 6 * 1024 * 1024 + 123;

describe('content: Save Result As writes the whole of a big result', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-host-save-result-'));

  before(async () => {
    api = await activate<McpHostApi>();
    const fixture = path.join(repoRoot(), 'test/fixtures/hostile/hostile-server.mjs');
    await vscode.workspace
      .getConfiguration('mcpHost')
      .update('servers', { [SERVER]: { command: process.execPath, args: [fixture] } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    const server = await waitFor(() => api.registry.getByName(SERVER), 30_000, `server ${SERVER} in the registry`);
    await server.start();
    await waitFor(() => server.lists.tools.some((t) => t.name === 'big'), 30_000, 'the big tool listed');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await waitFor(() => api.registry.servers.every((s) => s.state.kind !== 'running' && s.state.kind !== 'starting'), 30_000, 'servers stopped');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a result over the display cap shows a marker naming the save button, and Save Result As saves it exactly', async () => {
    const server = api.registry.getByName(SERVER);
    assert.ok(server);
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(
      CommandIds.runTool,
      { kind: 'tool', serverId: server.id, name: 'big' },
      { arguments: { bytes: BYTES } },
    );
    assert.ok(outcome, 'the tool ran');
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === outcome.document.toString());
    assert.ok(doc, 'the result document is open');
    const shown = doc.getText();
    assert.ok(shown.length < BYTES, `the document shows less than the result (${shown.length} < ${BYTES})`);
    assert.match(shown, /… truncated: showing 5 MB of [\d.]+ MB; use the Save As button in the editor title to get everything\n$/);

    const target = vscode.Uri.file(path.join(dir, 'big.txt'));
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>(CommandIds.saveToolResultAs, outcome.document, { target });
    assert.equal(saved?.fsPath, target.fsPath);
    const written = fs.readFileSync(target.fsPath, 'utf8');
    assert.equal(written.length, BYTES, 'every byte of the result');
    assert.ok(/^x+$/.test(written), 'exactly the text the server sent, no marker');
  });

  it('a small result is saved as the document shows it', async () => {
    const server = api.registry.getByName(SERVER);
    assert.ok(server);
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(
      CommandIds.runTool,
      { kind: 'tool', serverId: server.id, name: 'echo' },
      { arguments: { text: 'saved from the editor title' } },
    );
    assert.ok(outcome);
    const target = vscode.Uri.file(path.join(dir, 'echo.txt'));
    await vscode.commands.executeCommand(CommandIds.saveToolResultAs, outcome.document, { target });
    assert.equal(fs.readFileSync(target.fsPath, 'utf8'), 'saved from the editor title');
  });
});
