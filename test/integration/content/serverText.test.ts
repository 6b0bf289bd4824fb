/**
 * Server text never becomes a link that runs a command (issue #10, finding 1), in the real editor: the link
 * providers VS Code runs on result, prompt and markdown resource documents find no target that is not http(s);
 * notifications and progress built from a tool's hostile error and progress text carry no link or icon syntax;
 * Insert at Cursor still puts the server's exact text; Copy URI never puts a line break on the clipboard.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import type { ShownMessage } from '../../../src/vscode/messages';
import { CommandIds } from '../../../src/vscode/commands/ids';
import type { InsertOutcome, RunToolOutcome, UsePromptOutcome } from '../../../src/vscode/commands/content';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { activate, repoRoot, waitFor } from '../helpers';

// VS Code's pattern for links in notification, progress and quick input messages (parseLinkedText in
// src/vs/base/common/linkedText.ts) and for `$(icon)`s (renderLabelWithIcons).
const VSCODE_LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/i;
const VSCODE_ICON = /\$\([a-z0-9-]+?(?:~[a-z0-9-]*?)?\)/i;

/** Every link VS Code's link providers find in `uri` (resolving lazy ones), as target strings. */
async function linkTargets(uri: vscode.Uri): Promise<string[]> {
  const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', uri, 1000);
  return links.map((l) => l.target?.toString(true) ?? '(no target)');
}

/** Waits until the link providers have run on the document (its one http link is found), then returns all. */
async function settledTargets(uri: vscode.Uri, expected: RegExp): Promise<string[]> {
  let last: string[] = [];
  await waitFor(async () => (last = await linkTargets(uri)).some((t) => expected.test(t)), 30_000, `the link providers ran on ${uri.toString()}`);
  return last;
}

const unsafe = (targets: string[]) => targets.filter((t) => !/^https?:\/\//i.test(t));

describe('server text is never a link that runs a command', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  let server: ServerHandle;
  const shown: ShownMessage[] = [];
  let sub: vscode.Disposable | undefined;

  before(async () => {
    api = await activate<McpHostApi>();
    const fixture = path.join(repoRoot(), 'test/fixtures/hostile/hostile-descriptions.mjs');
    await vscode.workspace
      .getConfiguration('mcpHost')
      .update('servers', { hostile: { command: process.execPath, args: [fixture, '--links'] } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    server = await waitFor(() => api.registry.getByName('hostile'), 30_000, 'the hostile server in the registry');
    await server.start();
    await waitFor(() => server.lists.tools.some((t) => t.name === 'trap') && server.lists.prompts.length > 0, 30_000, 'hostile listed');
    sub = api.onDidShowMessage((m) => shown.push(m));
    // Tools whose definitions hold hidden characters are always confirmed: say yes.
    api.trust.setAsk(async (request) => request.choices[0]);
  });

  after(async () => {
    sub?.dispose();
    api.trust.setAsk(undefined);
    await api.trust.resetAll();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await waitFor(() => api.registry.servers.every((s) => s.state.kind !== 'running' && s.state.kind !== 'starting'), 30_000, 'servers stopped');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('(control) the markdown link provider does find command links in a plain markdown document', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: '[x](command:workbench.action.quit) [y](https://example.com/ok)' });
    const targets = await settledTargets(doc.uri, /example\.com\/ok/);
    assert.ok(targets.some((t) => t.startsWith('command:')), `without MCP Host the command link is live: ${targets.join(' | ')}`);
  });

  it('a tool result document of hostile text has no link whose target is not http(s)', async () => {
    const node: TreeNode = { kind: 'tool', serverId: server.id, name: 'echo' };
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, node, { arguments: { text: 'x' } });
    assert.ok(outcome, 'the tool ran');
    const doc = await vscode.workspace.openTextDocument(outcome.document);
    assert.equal(doc.languageId, 'markdown', 'the result stays markdown');
    assert.deepEqual(unsafe(await settledTargets(doc.uri, /example\.com\/ok/)), []);
  });

  it('a prompt document of hostile text has no link whose target is not http(s)', async () => {
    const node: TreeNode = { kind: 'prompt', serverId: server.id, name: 'hostile' };
    const outcome = await vscode.commands.executeCommand<UsePromptOutcome | undefined>(CommandIds.usePrompt, node, { arguments: { x: 'y' }, action: 'open' });
    assert.ok(outcome?.document, 'the prompt opened as a document');
    assert.deepEqual(unsafe(await settledTargets(outcome.document, /example\.com\/ok/)), []);
  });

  it('a text/markdown resource document has no link whose target is not http(s), and Insert puts its exact text', async () => {
    const node: TreeNode = { kind: 'resource', serverId: server.id, uri: 'hostile://note' };
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(CommandIds.openResource, node);
    assert.ok(uri, 'the resource opened');
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'markdown', 'the resource opened as markdown');
    assert.deepEqual(unsafe(await settledTargets(doc.uri, /example\.com\/ok/)), []);

    const sent = await server.readResource('hostile://note');
    const text = (sent.contents[0] as { text?: string } | undefined)?.text ?? '';
    assert.match(text, /\(command:workbench\.action\.files\.newUntitledFile\)/, 'the server sent a command link');
    const target = await vscode.workspace.openTextDocument({ content: '' });
    await vscode.window.showTextDocument(target);
    const inserted = await vscode.commands.executeCommand<InsertOutcome | undefined>(CommandIds.insertResource, node);
    assert.ok(inserted, 'inserted');
    assert.equal(target.getText(), text, 'Insert at Cursor puts exactly what the server sent');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('notifications and progress built from a tool error and progress text hold no link or icon syntax', async () => {
    shown.length = 0;
    const node: TreeNode = { kind: 'tool', serverId: server.id, name: 'trap' };
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, node, { arguments: { query: 'x' } });
    assert.ok(outcome?.result.isError, 'the tool answered isError');
    const error = await waitFor(() => shown.find((m) => m.kind === 'error' && m.text.includes('Session expired')), 10_000, 'the error notification');
    assert.ok(shown.some((m) => m.kind === 'progress' && m.text.includes('Working')), `the progress message was shown: ${JSON.stringify(shown)}`);
    for (const m of shown) {
      assert.doesNotMatch(m.text, VSCODE_LINK, `${m.kind}: ${m.text}`);
      assert.doesNotMatch(m.text, VSCODE_ICON, `${m.kind}: ${m.text}`);
    }
    assert.match(error.text, /Sign in again/, 'the words of the error are still shown');
    assert.deepEqual(unsafe(await linkTargets(outcome.document)), []);
  });

  it('Copy URI puts no line break or other hidden character on the clipboard, and says so', async () => {
    shown.length = 0;
    const node: TreeNode = { kind: 'resource', serverId: server.id, uri: 'hostile://note\nrm -rf ~\u202e\u0007' };
    const copied = await vscode.commands.executeCommand<string | undefined>(CommandIds.copyResourceUri, node);
    const clip = await vscode.env.clipboard.readText();
    assert.equal(clip, 'hostile://note%0Arm -rf ~%E2%80%AE%07');
    assert.equal(copied, clip);
    assert.ok(shown.some((m) => m.kind === 'warning' && /percent-encoded/.test(m.text)), `the user is told: ${JSON.stringify(shown)}`);
  });
});
