/**
 * The rows of the cross-server pickers and the tool rows of the tree, built from real servers in the real
 * extension host: servers that can never start say why instead of offering "Start", app-only tools and tools
 * with an app UI are marked, claimed annotations show at a glance. (Typing into the picker: test/e2e/pickers.)
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import { buildItems, type PickItem } from '../../../src/vscode/commands/content/pickerItems';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { activate, repoRoot, waitFor } from '../helpers';

describe('picker rows and tool marks', () => {
  let api: McpHostApi;
  const fixture = path.join(repoRoot(), 'test/fixtures/servers/papercuts-server.mjs');
  const scripted = path.join(repoRoot(), 'test/fixtures/protocol/scripted-server.mjs');
  const setServers = (value: unknown) => vscode.workspace.getConfiguration('mcpHost').update('servers', value, vscode.ConfigurationTarget.Global);
  const handle = (name: string) => api.registry.getByName(name);
  const rowsFor = (name: string, rows: PickItem[]) =>
    rows.filter((r) => r.kind !== vscode.QuickPickItemKind.Separator && `${r.label} ${r.description ?? ''}`.includes(name));

  before(async () => {
    api = await activate<McpHostApi>();
    await setServers({
      papercuts: { command: process.execPath, args: [fixture] },
      idle: { command: process.execPath, args: [fixture] },
      // A transport MCP Host has no client for (http, sse and ws all run since #12).
      'remote-grpc': { type: 'grpc', url: 'http://127.0.0.1:9/grpc' },
      looper: { command: process.execPath, args: [scripted, 'crash-after-init'] },
    });
    await api.reloadConfig();
    await waitFor(() => handle('looper') && handle('papercuts'), 20_000, 'the servers in the registry');
  });

  after(async () => {
    await setServers(undefined);
    await api.reloadConfig();
  });

  it('a server whose transport is not supported, or whose crash loop MCP Host gave up on, is never offered "Start"', async function () {
    this.timeout(60_000);
    await handle('looper')!.start().catch(() => undefined);
    // Restarts after 1 s, 2 s and 4 s, then MCP Host gives up.
    await waitFor(() => {
      const s = handle('looper')?.state;
      return s?.kind === 'error' && s.gaveUp === true;
    }, 40_000, 'looper to give up');
    const rows = buildItems(api.registry.servers, ['tool']);
    const [sse] = rowsFor('remote-grpc', rows);
    assert.ok(sse, 'the grpc server has a row');
    assert.equal(sse.startServer, undefined, 'no Start for an unsupported transport');
    assert.match(sse.description ?? '', /"grpc" transport, which MCP Host does not support yet/);
    assert.doesNotMatch(sse.description ?? '', /Start/);
    const looper = rowsFor('looper', rows).find((r) => !r.node);
    assert.ok(looper, 'the crash-looping server has a row');
    assert.equal(looper.startServer, undefined, 'no Start for a crash loop MCP Host gave up on');
    assert.equal(looper.blocked?.showLog, true, 'Enter shows its log');
    assert.match(looper.description ?? '', /crashed repeatedly/);
    const [idle] = rowsFor('idle', rows);
    assert.ok(idle?.startServer, 'a stopped server that can start is still offered');
    // The rows of servers with nothing to pick come after every item and have no words in their label, so a
    // filtered list never puts them ahead of a match.
    for (const r of [sse, looper, idle]) assert.match(r.label, /^\$\([\w~-]+\)$/);
  });

  it('app-only tools and tools with an app UI are marked in the picker and the tree tooltip; annotations show as claims', async function () {
    this.timeout(30_000);
    await handle('papercuts')!.start();
    const rows = buildItems(api.registry.servers, ['tool']).filter((r) => r.node?.kind === 'tool' && r.node.serverId === handle('papercuts')!.id);
    const row = (name: string) => rows.find((r) => r.node?.kind === 'tool' && r.node.name === name)!;
    assert.equal(row('echo').label, '$(tools) papercuts: echo', 'the server names the row');
    assert.match(row('app_only').description ?? '', /^app-only/);
    assert.match(row('with_app').detail ?? '', /app UI .*MCP Host does not render yet/);
    assert.match(row('delete_everything').description ?? '', /server says: destructive/);
    assert.match(row('delete_everything').label, /^\$\(flame\)/);
    assert.match(row('greet').description ?? '', /server says: read-only/);
    assert.match(row('greet').label, /^\$\(eye\)/);
    assert.match(row('fetch_page').description ?? '', /server says: open-world, read-only/);

    const tree = api.tree;
    const server = (tree.getChildren() as TreeNode[]).find((n) => n.kind === 'server' && n.serverId === handle('papercuts')!.id)!;
    const toolsCat = (tree.getChildren(server) as TreeNode[]).find((n) => n.kind === 'category' && n.category === 'tools')!;
    const tool = (name: string) => {
      const node = (tree.getChildren(toolsCat) as TreeNode[]).find((n) => n.kind === 'tool' && n.name === name)!;
      const it = tree.getTreeItem(node) as vscode.TreeItem;
      return (tree.resolveTreeItem?.(it, node, new vscode.CancellationTokenSource().token) as vscode.TreeItem | undefined) ?? it;
    };
    const tip = (name: string) => (tool(name).tooltip as vscode.MarkdownString).value;
    assert.match(tip('with_app'), /App UI:\*\* this tool has an app UI .*which MCP Host does not render yet/);
    assert.match(tip('app_only'), /App-only:\*\*/);
    assert.match(String(tool('app_only').description), /^app-only/);
    assert.equal((tool('delete_everything').iconPath as vscode.ThemeIcon).id, 'flame');
    assert.equal((tool('greet').iconPath as vscode.ThemeIcon).id, 'eye');
    assert.match(String(tool('greet').description), /^server says: read-only · Says hello\.$/);
    assert.equal((tool('echo').iconPath as vscode.ThemeIcon).id, 'tools', 'a tool that claims nothing looks as before');
  });
});
