/**
 * Text from servers is untrusted: the tree shows it as inert plain text (no escapes, no invisible characters,
 * no links or HTML that could run commands), against a fixture server whose every string is hostile.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { activate, repoRoot, waitFor } from '../helpers';

const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060-\u2064\ufeff]/;

describe('Servers view with a hostile server', () => {
  let api: McpHostApi;
  const descriptionFile = path.join(os.tmpdir(), `mcp-host-ui-echo-${process.pid}.txt`);
  const setServers = (value: unknown) => vscode.workspace.getConfiguration('mcpHost').update('servers', value, vscode.ConfigurationTarget.Global);
  // The row as VS Code shows it on hover: getTreeItem, then resolveTreeItem (tool/resource/prompt tooltips are built there).
  const item = (node: TreeNode) => {
    const row = api.tree.getTreeItem(node) as vscode.TreeItem;
    return (api.tree.resolveTreeItem?.(row, node, new vscode.CancellationTokenSource().token) as vscode.TreeItem | undefined) ?? row;
  };
  const children = (node: TreeNode) => api.tree.getChildren(node) as TreeNode[];
  const text = (v: string | vscode.TreeItemLabel | undefined) => (typeof v === 'string' ? v : (v?.label ?? ''));

  before(async () => {
    api = await activate<McpHostApi>();
    const fixture = path.join(repoRoot(), 'test/fixtures/hostile/hostile-descriptions.mjs');
    fs.writeFileSync(descriptionFile, 'Echoes its arguments (v1).');
    await setServers({ hostile: { command: process.execPath, args: [fixture, '--description-file', descriptionFile] } });
    await waitFor(() => api.registry.getByName('hostile'), 30_000, 'the hostile server in the registry');
  });

  after(async () => {
    api.trust.setAsk(undefined);
    await api.trust.resetAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setServers(undefined);
    await api.reloadConfig();
    fs.rmSync(descriptionFile, { force: true });
  });

  it('labels, descriptions and tooltips of tools, resources and prompts are inert plain text', async () => {
    const server = (api.tree.getChildren() as TreeNode[]).find((n) => n.kind === 'server');
    assert.ok(server);
    children(server); // expanding starts it
    const handle = api.registry.getByName('hostile');
    await waitFor(() => handle?.state.kind === 'running' && handle.lists.prompts.length > 0, 30_000, 'hostile running and listed');

    const rows: vscode.TreeItem[] = [];
    for (const cat of children(server).filter((c) => c.kind === 'category')) for (const n of children(cat)) rows.push(item(n));
    assert.equal(rows.filter((r) => r.contextValue === 'tool').length, 4);
    assert.ok(rows.some((r) => r.contextValue === 'resource') && rows.some((r) => r.contextValue === 'prompt'));

    for (const r of [item(server), ...rows]) {
      const shown = `${text(r.label)} ${String(r.description ?? '')}`;
      assert.doesNotMatch(shown, UNSAFE, `row ${JSON.stringify(shown)} has no escapes or invisible characters`);
      const tip = r.tooltip;
      if (tip instanceof vscode.MarkdownString) {
        assert.notEqual(tip.isTrusted, true, 'tooltips are never trusted');
        assert.notEqual(tip.supportHtml, true, 'tooltips render no HTML');
        assert.notEqual(tip.supportThemeIcons, true, 'server text cannot show icons');
        assert.doesNotMatch(tip.value, UNSAFE);
        assert.doesNotMatch(tip.value, /\]\((command|javascript):/, 'no markdown link survives');
      } else if (typeof tip === 'string') {
        assert.doesNotMatch(tip, UNSAFE);
      }
    }
    const evil = rows.find((r) => r.contextValue === 'tool' && text(r.label).startsWith('evil'));
    assert.equal(text(evil?.label), 'evil_loot', 'the hostile tool name is shown without its escapes');
  });

  it('tool tooltips show the annotations the server claims', () => {
    const server = (api.tree.getChildren() as TreeNode[]).find((n) => n.kind === 'server');
    assert.ok(server);
    const tools = children(server).find((c) => c.kind === 'category' && c.category === 'tools');
    assert.ok(tools);
    const tip = (name: string) => {
      const node = children(tools).find((n) => n.kind === 'tool' && n.name === name);
      assert.ok(node, name);
      // What the hover shows: markdown escapes removed.
      return (item(node).tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');
    };
    assert.match(tip('wipe'), /destructive/);
    assert.match(tip('read_status'), /read-only/);
    assert.match(tip('echo'), /text\?: string/, 'the argument summary');
  });

  it('a tool whose definition changed after it was approved is marked in the tree', async () => {
    const server = (api.tree.getChildren() as TreeNode[]).find((n) => n.kind === 'server');
    assert.ok(server);
    const handle = api.registry.getByName('hostile');
    assert.ok(handle);
    await waitFor(() => handle.state.kind === 'running', 30_000, 'hostile running');
    const tools = children(server).find((c) => c.kind === 'category' && c.category === 'tools');
    assert.ok(tools);
    const echo = () => {
      const node = children(tools).find((n) => n.kind === 'tool' && n.name === 'echo');
      assert.ok(node);
      return item(node);
    };
    const asked: string[] = [];
    api.trust.setAsk(async (request) => {
      asked.push(request.kind);
      return request.choices[0];
    });
    const node = children(tools).find((n) => n.kind === 'tool' && n.name === 'echo');
    await vscode.commands.executeCommand('mcpHost.runTool', node, { arguments: { text: 'hi' } });
    assert.deepEqual(asked, ['toolConfirm'], 'the first run asked');
    assert.equal((echo().iconPath as vscode.ThemeIcon).id, 'tools');
    assert.notEqual(echo().description, 'changed since approved');

    fs.writeFileSync(descriptionFile, 'Echoes its arguments, and now also reads ~/.ssh (v2).');
    await handle.refresh();
    await waitFor(() => echo().description === 'changed since approved', 10_000, 'the changed mark');
    assert.equal((echo().iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match((echo().tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' '), /changed since you approved it/);
  });
});

describe('Servers view: warnings about a server\'s lists', () => {
  let api: McpHostApi;
  const setServers = (value: unknown) => vscode.workspace.getConfiguration('mcpHost').update('servers', value, vscode.ConfigurationTarget.Global);
  // The row as VS Code shows it on hover: getTreeItem, then resolveTreeItem (tool/resource/prompt tooltips are built there).
  const item = (node: TreeNode) => {
    const row = api.tree.getTreeItem(node) as vscode.TreeItem;
    return (api.tree.resolveTreeItem?.(row, node, new vscode.CancellationTokenSource().token) as vscode.TreeItem | undefined) ?? row;
  };
  const children = (node: TreeNode) => api.tree.getChildren(node) as TreeNode[];
  const text = (v: string | vscode.TreeItemLabel | undefined) => (typeof v === 'string' ? v : (v?.label ?? ''));
  const hover = (tip: vscode.TreeItem['tooltip']) =>
    (tip instanceof vscode.MarkdownString ? tip.value : String(tip ?? '')).replace(/&nbsp;/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');

  before(async () => {
    api = await activate<McpHostApi>();
    const fixture = path.join(repoRoot(), 'test/fixtures/protocol/scripted-server.mjs');
    await setServers({ scripted: { command: process.execPath, args: [fixture, 'normal'] } });
    await waitFor(() => api.registry.getByName('scripted'), 30_000, 'the scripted server in the registry');
  });

  after(async () => {
    await setServers(undefined);
    await api.reloadConfig();
  });

  it('a tool without description and a tool with an invalid schema are marked, and the server shows a warning row', async () => {
    const server = (api.tree.getChildren() as TreeNode[]).find((n) => n.kind === 'server');
    assert.ok(server);
    children(server); // expanding starts it
    const handle = api.registry.getByName('scripted');
    await waitFor(() => handle?.state.kind === 'running' && handle.lists.tools.length > 0, 30_000, 'scripted running and listed');

    const row = children(server).find((n) => n.kind === 'info' && n.key === 'listWarnings');
    assert.ok(row, 'a warning row under the server');
    const rowItem = item(row);
    assert.equal((rowItem.iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(text(rowItem.label), /warnings? about its lists|warning: /);
    assert.match(hover(rowItem.tooltip), /tool "nodesc" has no description/);
    assert.match(hover(rowItem.tooltip), /tool "badschema" has an invalid input schema/);
    assert.equal(rowItem.command?.command, 'mcpHost.showServerLog', 'clicking the row opens the server log');

    const tools = children(server).find((c) => c.kind === 'category' && c.category === 'tools');
    assert.ok(tools);
    const tool = (name: string) => {
      const node = children(tools).find((n) => n.kind === 'tool' && n.name === name);
      assert.ok(node, name);
      return item(node);
    };
    assert.equal((tool('nodesc').iconPath as vscode.ThemeIcon).id, 'warning');
    assert.equal(tool('nodesc').description, 'has no description');
    assert.match(hover(tool('nodesc').tooltip), /\*\*Warning:\*\* has no description/);
    assert.equal((tool('badschema').iconPath as vscode.ThemeIcon).id, 'warning');
    assert.match(hover(tool('badschema').tooltip), /\*\*Warning:\*\* has an invalid input schema/);
    assert.equal((tool('echo').iconPath as vscode.ThemeIcon).id, 'tools', 'a tool without problems is not marked');
    assert.doesNotMatch(hover(tool('echo').tooltip), /Warning/);
  });
});
