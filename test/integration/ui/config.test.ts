/** Writing configuration: the mcp.json template and Add Server's edit keep the user's comments and load cleanly. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import { addServerToMcpJson, ensureMcpJson, MCP_JSON_TEMPLATE } from '../../../src/vscode/config/mcpJsonFile';
import { activate, waitFor } from '../helpers';

describe('Server configuration files', () => {
  let api: McpHostApi;
  let folder: vscode.WorkspaceFolder;
  let file: vscode.Uri;
  const read = async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(file));

  before(async () => {
    api = await activate<McpHostApi>();
    const f = vscode.workspace.workspaceFolders?.[0];
    assert.ok(f, 'the suite opens a workspace folder');
    folder = f;
    file = vscode.Uri.joinPath(folder.uri, '.vscode', 'mcp.json');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(file).then(undefined, () => undefined);
    await api.reloadConfig();
  });

  it('a missing .vscode/mcp.json is created from a template that loads without problems', async () => {
    await ensureMcpJson(folder);
    assert.equal(await read(), MCP_JSON_TEMPLATE);
    await api.reloadConfig();
    assert.deepEqual(api.registry.problems.filter((p) => p.source.file === file.fsPath), []);
    assert.equal(api.registry.servers.length, 0);
  });

  it('adding a server keeps the comments and other entries of mcp.json, and the new server appears', async () => {
    const original = '{\n  // my servers\n  "servers": {\n    "first": { "command": "node", "args": ["a.js"] } // keep me\n  }\n}\n';
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, '.vscode'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(original));
    await addServerToMcpJson(folder, 'added', { type: 'stdio', command: 'node', args: ['b c.js'] });
    const text = await read();
    assert.match(text, /\/\/ my servers/);
    assert.match(text, /\/\/ keep me/);
    assert.match(text, /"added": \{/);
    await api.reloadConfig();
    const added = await waitFor(() => api.registry.getByName('added'), 10_000, 'the added server');
    assert.deepEqual(added.definition.entry.args, ['b c.js']);
    assert.ok(api.registry.getByName('first'));
    await assert.rejects(addServerToMcpJson(folder, 'added', { command: 'x' }), /already exists/);
  });

  it('a reload that catches mcp.json half written (empty) does not drop its servers', async () => {
    const full = JSON.stringify({ servers: { keep: { command: 'node', args: ['k.js'] } } });
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, '.vscode'));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(full));
    await api.reloadConfig();
    const kept = await waitFor(() => api.registry.getByName('keep'), 10_000, 'the server');
    // An editor saving the file: truncated, then filled a moment later, while a reload reads it.
    await vscode.workspace.fs.writeFile(file, new Uint8Array());
    const reloading = api.reloadConfig();
    await new Promise((r) => setTimeout(r, 30));
    await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(full));
    await reloading;
    await api.reloadConfig();
    assert.equal(api.registry.getByName('keep'), kept, 'the same server, never removed and added back');
  });
});
