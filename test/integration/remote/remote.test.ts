/**
 * A remote server in the real editor: server-everything in its Streamable HTTP mode on 127.0.0.1 (started and
 * stopped by this suite), configured as { "type": "http", "url" }: the tree lists it with its connection facts,
 * Run Tool and Insert Resource work as for a local server.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort } from '../../support/remoteFixtures';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import { CommandIds } from '../../../src/vscode/commands/ids';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import type { InsertOutcome, RunToolOutcome } from '../../../src/vscode/commands/content';
import { RESULT_SCHEME } from '../../../src/vscode/documents/resourceUri';
import { activate, extension, repoRoot, waitFor } from '../helpers';

const SERVER = 'everything-remote';
const ARCHITECTURE = 'demo://resource/static/document/architecture.md';

describe('remote: a Streamable HTTP server in the editor', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  let server: ServerHandle;
  let child: ChildProcess | undefined;
  let url: string;
  const children = (node: TreeNode) => api.tree.getChildren(node) as TreeNode[];
  const item = (node: TreeNode) => {
    const row = api.tree.getTreeItem(node) as vscode.TreeItem;
    return (api.tree.resolveTreeItem?.(row, node, new vscode.CancellationTokenSource().token) as vscode.TreeItem | undefined) ?? row;
  };

  before(async () => {
    api = await activate<McpHostApi>();
    const entry = path.join(extension().extensionPath, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    const port = await freePort();
    url = `http://127.0.0.1:${port}/mcp`;
    const proc = spawn(process.execPath, [entry, 'streamableHttp'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    let err = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server-everything did not start: ${err}`)), 30_000);
      proc.stderr?.on('data', (d: Buffer) => {
        err += d.toString('utf8');
        if (/listening on port/i.test(err)) {
          clearTimeout(timer);
          resolve();
        }
      });
      proc.once('exit', (code) => reject(new Error(`server-everything exited with ${code}: ${err}`)));
    });
    await vscode.workspace.getConfiguration('mcpHost').update('servers', { [SERVER]: { type: 'http', url } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    server = await waitFor(() => api.registry.getByName(SERVER), 30_000, `server ${SERVER} in the registry`);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await waitFor(() => api.registry.servers.every((s) => s.state.kind !== 'running' && s.state.kind !== 'starting'), 30_000, 'servers stopped');
    child?.kill('SIGKILL');
  });

  it('expanding the server connects and lists its tools; its tooltip shows the URL and session, not a process', async () => {
    const node = (api.tree.getChildren() as TreeNode[]).find((n) => n.kind === 'server' && n.serverId === server.id);
    assert.ok(node, 'the remote server has a root node');
    children(node);
    await waitFor(() => server.state.kind === 'running' && server.lists.tools.length > 0, 30_000, 'running with tools');
    const cats = children(node).filter((c): c is Extract<TreeNode, { kind: 'category' }> => c.kind === 'category');
    const tools = children(cats.find((c) => c.category === 'tools')!);
    assert.ok(tools.some((t) => t.kind === 'tool' && t.name === 'echo'), 'echo is listed');
    assert.match(String(item(node).description), /^running · \d+ tools$/);
    const tip = (item(node).tooltip as vscode.MarkdownString).value;
    const unescaped = tip.replace(/\\(.)/g, '$1');
    assert.ok(unescaped.includes(url), `the URL is shown: ${tip}`);
    assert.match(tip, /Session/);
    assert.match(tip, /Streamable HTTP/);
    assert.equal(server.pid, undefined);
  });

  it('Run Tool returns the result in an mcp-result document', async () => {
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(
      CommandIds.runTool,
      { kind: 'tool', serverId: server.id, name: 'echo' } satisfies TreeNode,
      { arguments: { message: 'over HTTP' } },
    );
    assert.ok(outcome, 'the command resolves to its outcome');
    assert.equal(outcome.document.scheme, RESULT_SCHEME);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === outcome.document.toString());
    assert.equal(doc?.getText(), 'Echo: over HTTP');
  });

  it('Insert Resource puts the resource text at the cursor', async () => {
    const expected = await server.readResource(ARCHITECTURE, { timeoutMs: 30_000 });
    const text = (expected.contents[0] as { text?: string } | undefined)?.text;
    assert.ok(typeof text === 'string' && text.length > 100);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'notes.txt'));
    const editor = await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    editor.selections = [new vscode.Selection(1, 0, 1, 0)];
    const outcome = await vscode.commands.executeCommand<InsertOutcome | undefined>(CommandIds.insertResource, {
      kind: 'resource',
      serverId: server.id,
      uri: ARCHITECTURE,
    } satisfies TreeNode);
    assert.equal(outcome?.cursors, 1);
    const lines = before.split('\n');
    assert.equal(doc.getText(), [lines[0], `${text}${lines[1]}`, ...lines.slice(2)].join('\n'));
    await vscode.commands.executeCommand('workbench.action.files.revert', doc.uri);
  });

  it('a WebSocket server (type "ws") runs a tool through the bundled ws client', async () => {
    const mod = (await import(path.join(repoRoot(), 'test/fixtures/ws/ws-server.mjs'))) as {
      startWsServer(): Promise<{ url(mode?: string): string; close(): Promise<void> }>;
    };
    const ws = await mod.startWsServer();
    try {
      await vscode.workspace
        .getConfiguration('mcpHost')
        .update('servers', { [SERVER]: { type: 'http', url }, 'ws-remote': { type: 'ws', url: ws.url('normal') } }, vscode.ConfigurationTarget.Global);
      await api.reloadConfig();
      const wsServer = await waitFor(() => api.registry.getByName('ws-remote'), 30_000, 'the ws server');
      await wsServer.start();
      assert.equal(wsServer.connectionFacts?.transport, 'WebSocket');
      const r = await wsServer.callTool('echo', { text: 'one frame' });
      assert.deepEqual(r.content, [{ type: 'text', text: 'one frame' }]);
      await wsServer.stop();
    } finally {
      await ws.close();
    }
  });
});
