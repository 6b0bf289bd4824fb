/**
 * The Servers view and the server commands against real servers (server-everything, server-memory) in the real
 * extension host. The tree is read through the provider the extension returns from activate().
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import type { TreeNode } from '../../../src/vscode/tree/nodes';

const EXTENSION_ID = 'mcp-host.mcp-host';

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 30_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Servers view', () => {
  let api: McpHostApi;
  let repo: string;
  const servers = (extra: Record<string, unknown> = {}) => ({
    everything: {
      command: process.execPath,
      args: [path.join(repo, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
    },
    ...extra,
  });
  const setServers = (value: unknown) => vscode.workspace.getConfiguration('mcpHost').update('servers', value, vscode.ConfigurationTarget.Global);
  const roots = () => api.tree.getChildren() as TreeNode[];
  // The row as VS Code shows it on hover: getTreeItem, then resolveTreeItem (tool/resource/prompt tooltips are built there).
  const item = (node: TreeNode) => {
    const row = api.tree.getTreeItem(node) as vscode.TreeItem;
    return (api.tree.resolveTreeItem?.(row, node, new vscode.CancellationTokenSource().token) as vscode.TreeItem | undefined) ?? row;
  };
  const label = (node: TreeNode) => {
    const l = item(node).label;
    return typeof l === 'string' ? l : l?.label;
  };
  const serverNode = (name: string) => roots().find((n) => n.kind === 'server' && label(n) === name);
  const handle = (name: string) => api.registry.getByName(name);
  const children = (node: TreeNode) => api.tree.getChildren(node) as TreeNode[];
  const stateOf = (name: string) => handle(name)?.state.kind;

  before(async () => {
    const ext = vscode.extensions.getExtension<McpHostApi>(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} is installed`);
    api = await ext.activate();
    repo = ext.extensionPath;
    await setServers(servers());
    await waitFor('server everything in the registry', () => handle('everything'));
  });

  after(async () => {
    await setServers(undefined);
    await api.reloadConfig();
    await waitFor('every server stopped', () => api.registry.servers.every((s) => s.state.kind !== 'running' && s.state.kind !== 'starting'));
  });

  it('a configured server is one root node, stopped until first use', () => {
    const node = serverNode('everything');
    assert.ok(node, 'the server has a node');
    const it = item(node);
    assert.equal(it.contextValue, 'server.stopped');
    assert.equal(it.description, 'stopped');
    assert.equal(it.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.equal((it.iconPath as vscode.ThemeIcon).id, 'circle-outline');
  });

  it('a remote server never started shows its URL in the tooltip without the key in its query', async () => {
    const key = 'sk-' + 'live-5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b';
    await setServers(servers({ keyed: { type: 'http', url: `http://127.0.0.1:9/mcp?api_key=${key}&team=blue` } }));
    await api.reloadConfig();
    const node = await waitFor('the keyed server node', () => serverNode('keyed'));
    const tip = item(node).tooltip;
    const text = typeof tip === 'string' ? tip : (tip?.value ?? '');
    assert.match(text, /team/, 'the URL is in the tooltip');
    assert.ok(!text.includes(key), text);
    await setServers(servers());
    await api.reloadConfig();
  });

  it('expanding a stopped server starts it and shows its tools and resources', async () => {
    const node = serverNode('everything');
    assert.ok(node);
    const first = children(node);
    assert.ok(
      first.some((c) => c.kind === 'info' && c.key === 'starting') || stateOf('everything') === 'running',
      'a starting… row while it starts',
    );
    await waitFor('everything running', () => stateOf('everything') === 'running');
    await waitFor('tools listed', () => (handle('everything')?.lists.tools.length ?? 0) > 0);

    const it = item(node);
    assert.equal(it.contextValue, 'server.running');
    assert.match(String(it.description), /^running · \d+ tools$/);
    assert.equal((it.iconPath as vscode.ThemeIcon).id, 'pass');

    const cats = children(node).filter((c): c is Extract<TreeNode, { kind: 'category' }> => c.kind === 'category');
    assert.deepEqual(
      cats.map((c) => c.category).filter((c) => c === 'tools' || c === 'resources' || c === 'prompts'),
      ['tools', 'resources', 'prompts'],
    );
    const toolsCat = cats.find((c) => c.category === 'tools');
    assert.ok(toolsCat);
    assert.equal(item(toolsCat).label, 'Tools');
    assert.equal(item(toolsCat).description, String(handle('everything')?.lists.tools.length));
    const tools = children(toolsCat);
    const echo = tools.find((t) => t.kind === 'tool' && t.name === 'echo');
    assert.ok(echo, 'the echo tool is listed');
    const echoItem = item(echo);
    assert.equal(echoItem.contextValue, 'tool');
    assert.equal(echoItem.command, undefined, 'clicking a tool runs nothing');
    const tip = echoItem.tooltip as vscode.MarkdownString;
    assert.equal(tip.isTrusted, false);
    assert.match(tip.value, /Arguments/);
    // Listing builds no tooltips (a server with 10,000 tools): VS Code asks resolveTreeItem for one on hover.
    assert.equal((api.tree.getTreeItem(echo) as vscode.TreeItem).tooltip, undefined, 'the tooltip is built on hover, not when the row is listed');

    const resourcesCat = cats.find((c) => c.category === 'resources');
    assert.ok(resourcesCat);
    const resources = children(resourcesCat);
    assert.ok(resources.length > 0, 'resources are listed');
    assert.equal(item(resources[0] as TreeNode).contextValue, 'resource');
  });

  it('stop, start and restart change the state the node shows', async () => {
    const node = serverNode('everything');
    assert.ok(node);
    await waitFor('everything running', () => stateOf('everything') === 'running');
    const firstPid = handle('everything')?.pid;

    await vscode.commands.executeCommand('mcpHost.stopServer', node);
    assert.equal(stateOf('everything'), 'stopped');
    assert.equal(item(node).contextValue, 'server.stopped');
    assert.equal(handle('everything')?.pid, undefined);
    // The last lists stay visible while it is stopped.
    assert.ok(children(node).some((c) => c.kind === 'category'));

    await vscode.commands.executeCommand('mcpHost.startServer', node);
    assert.equal(stateOf('everything'), 'running');
    assert.equal(item(node).contextValue, 'server.running');
    const started = handle('everything')?.pid;
    assert.ok(started !== undefined && started !== firstPid);

    const fired: (TreeNode | undefined | null | void)[] = [];
    const sub = api.tree.onDidChangeTreeData?.((e) => fired.push(...(Array.isArray(e) ? e : [e])));
    try {
      await vscode.commands.executeCommand('mcpHost.restartServer', node);
    } finally {
      sub?.dispose();
    }
    assert.ok(fired.length > 0, 'the view was told');
    assert.ok(
      fired.every((e) => e === node),
      'a state change refreshes only that server node (the same object, so the view keeps what is expanded)',
    );
    assert.equal(stateOf('everything'), 'running');
    const restarted = handle('everything')?.pid;
    assert.ok(restarted !== undefined && restarted !== started, 'restart runs a new process');
  });

  it('a settings edit updates the tree without restarting unchanged servers', async () => {
    await waitFor('everything running', () => stateOf('everything') === 'running');
    const everything = handle('everything') as ServerHandle;
    const pid = everything.pid;
    const memory = { command: process.execPath, args: [path.join(repo, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js')] };

    await setServers(servers({ memory }));
    await waitFor('memory in the tree', () => serverNode('memory'));
    assert.equal(handle('everything'), everything, 'the same handle');
    assert.equal(everything.pid, pid, 'not restarted');
    assert.equal(stateOf('everything'), 'running');
    assert.deepEqual(
      roots().filter((n) => n.kind === 'server').map(label),
      ['everything', 'memory'],
    );

    await setServers(servers());
    await waitFor('memory gone from the tree', () => !serverNode('memory'));
    assert.equal(everything.pid, pid, 'still not restarted');
  });

  it('a broken mcp.json shows a problem node and a diagnostic until it is fixed', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite opens a workspace folder');
    const file = vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json');
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode('{\n  "servers": {\n    "broken": { "command": 42 }\n  }\n}\n'));
    try {
      const problem = await waitFor('a problem node', () => roots().find((n) => n.kind === 'problem'));
      assert.equal(problem.kind === 'problem' && problem.file, file.fsPath);
      const diags = await waitFor('diagnostics on mcp.json', () => {
        const d = vscode.languages.getDiagnostics(file).filter((x) => x.source === 'MCP Host');
        return d.length > 0 ? d : undefined;
      });
      assert.equal(diags[0]?.range.start.line, 2, 'the diagnostic points at the bad entry');
      assert.equal(item(problem).command?.command, 'vscode.open');
    } finally {
      await vscode.workspace.fs.delete(file);
    }
    await waitFor('the problem node gone', () => !roots().some((n) => n.kind === 'problem'));
  });

  it('with no servers configured the view has no rows, so its welcome content shows', async () => {
    await setServers({});
    await waitFor('no roots', () => roots().length === 0);
    await setServers(servers());
    await waitFor('everything back', () => serverNode('everything'));
  });
});
