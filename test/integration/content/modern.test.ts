/**
 * A 2026-07-28-only server (test/fixtures/modern/server.mjs on the v2 SDK) in the real extension host: the tree shows
 * its tools and names the era and version, and Run Tool works, including a tool that asks for the roots
 * (one multi-round-trip exchange).
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import { CommandIds } from '../../../src/vscode/commands/ids';
import type { RunToolOutcome } from '../../../src/vscode/commands/content';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { activate, extension, waitFor } from '../helpers';

const SERVER = 'modern';

function textOf(result: { content?: unknown }): string {
  const blocks = Array.isArray(result.content) ? (result.content as { type: string; text?: string }[]) : [];
  return blocks.map((b) => b.text ?? '').join('\n');
}

describe('content: a server that speaks only the 2026-07-28 protocol', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  let server: ServerHandle;
  const item = (node: TreeNode) => {
    const row = api.tree.getTreeItem(node) as vscode.TreeItem;
    return (api.tree.resolveTreeItem?.(row, node, new vscode.CancellationTokenSource().token) as vscode.TreeItem | undefined) ?? row;
  };
  const tooltipText = (node: TreeNode): string => {
    const t = item(node).tooltip;
    // Markdown escapes every punctuation character of server text; compare the text as shown.
    return (typeof t === 'string' ? t : (t?.value ?? '')).replace(/\\(.)/g, '$1');
  };

  before(async () => {
    api = await activate<McpHostApi>();
    const entry = path.join(extension().extensionPath, 'test/fixtures/modern/server.mjs');
    await vscode.workspace
      .getConfiguration('mcpHost')
      .update('servers', { [SERVER]: { command: process.execPath, args: [entry, 'modern'] } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    server = await waitFor(() => api.registry.getByName(SERVER), 30_000, `server ${SERVER} in the registry`);
    await server.start();
    await waitFor(() => server.lists.tools.length > 0, 30_000, 'tools listed');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await waitFor(() => api.registry.servers.every((s) => s.state.kind !== 'running' && s.state.kind !== 'starting'), 30_000, 'servers stopped');
  });

  it('the tree lists its tools and the server tooltip names the modern era and its version', () => {
    const node = (api.tree.getChildren() as TreeNode[]).find((n) => n.kind === 'server' && n.serverId === server.id);
    assert.ok(node, 'the server has a row');
    const tip = tooltipText(node);
    assert.match(tip, /2026-07-28 \(modern era: no handshake\)/);
    assert.match(tip, /modern-fixture-modern 2\.0\.0/);
    const all = JSON.stringify(collect(node));
    assert.ok(all.includes('"echo"') && all.includes('"roots"'), `tools in the tree: ${all.slice(0, 400)}`);
  });

  it('Run Tool returns the tool result of a modern call', async () => {
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(
      CommandIds.runTool,
      { kind: 'tool', serverId: server.id, name: 'echo' },
      { arguments: { text: 'from the editor' } },
    );
    assert.ok(outcome, 'the command resolves to its outcome');
    assert.equal(textOf(outcome.result), 'echo: from the editor');
  });

  it('Run Tool on a tool that asks for the roots answers with the workspace folder', async () => {
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(
      CommandIds.runTool,
      { kind: 'tool', serverId: server.id, name: 'roots' },
      { arguments: {} },
    );
    assert.ok(outcome);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    assert.equal(textOf(outcome.result), `roots: ${folder.uri.toString()} (state state-1)`);
  });

  /** Every node under `node` (bounded: a server's categories and their items). */
  function collect(node: TreeNode): TreeNode[] {
    const out: TreeNode[] = [];
    for (const c of (api.tree.getChildren(node) as TreeNode[]) ?? []) {
      out.push(c);
      if (c.kind === 'category') out.push(...((api.tree.getChildren(c) as TreeNode[]) ?? []));
    }
    return out;
  }
});
