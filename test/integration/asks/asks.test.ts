/**
 * What servers ask, answered in the real editor: the elicitation quick input of server-everything, URL consent
 * (declined: nothing is opened), withdrawal when the outer call is cancelled, and a resource document that updates
 * in place on notifications/resources/updated. Quick inputs are driven with the workbench's quick-input commands.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import { CommandIds } from '../../../src/vscode/commands/ids';
import type { RunToolOutcome } from '../../../src/vscode/commands/content';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { serverTooltip } from '../../../src/vscode/tree/tooltips';
import { activate, extension, waitFor } from '../helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const textOf = (r: { content?: unknown }) => ((r.content ?? []) as { text?: string }[]).map((b) => b.text ?? '').join('\n');

describe('asks: what servers ask, in the editor', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  let everything: ServerHandle;
  let asking: ServerHandle;

  before(async () => {
    api = await activate<McpHostApi>();
    const repo = extension().extensionPath;
    const entry = path.join(repo, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    const fixture = path.join(repo, 'test/fixtures/protocol/asking-server.mjs');
    await vscode.workspace.getConfiguration('mcpHost').update(
      'servers',
      { everything: { command: process.execPath, args: [entry, 'stdio'] }, asking: { command: process.execPath, args: [fixture] } },
      vscode.ConfigurationTarget.Global,
    );
    await api.reloadConfig();
    everything = await waitFor(() => api.registry.getByName('everything'), 30_000, 'everything');
    asking = await waitFor(() => api.registry.getByName('asking'), 30_000, 'asking');
    await Promise.all([everything.start(), asking.start()]);
    await waitFor(() => everything.lists.tools.some((t) => t.name === 'trigger-elicitation-request'), 30_000, 'conditional tools');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
  });

  const run = (server: ServerHandle, name: string, args: Record<string, unknown>) =>
    vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, { kind: 'tool', serverId: server.id, name } as TreeNode, { arguments: args });

  it('form elicitation: Fill in, then the schema-driven steps; Escape on a step is Cancel', async () => {
    const asked = everything.asked.elicitations;
    const p = run(everything, 'trigger-elicitation-request', {});
    await waitFor(() => everything.asked.elicitations > asked, 30_000, 'the elicitation to open');
    await sleep(500);
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'); // "Fill in"
    await sleep(500);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen'); // Escape on the first field
    const outcome = await p;
    assert.ok(outcome);
    assert.match(textOf(outcome.result), /User cancelled the elicitation dialog/);
  });

  it('form elicitation: Decline on the first step is the decline action', async () => {
    const asked = everything.asked.elicitations;
    const p = run(everything, 'trigger-elicitation-request', {});
    await waitFor(() => everything.asked.elicitations > asked, 30_000, 'the elicitation to open');
    await sleep(500);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'); // "Decline"
    const outcome = await p;
    assert.ok(outcome);
    assert.match(textOf(outcome.result), /User declined to provide the requested information/);
  });

  it('URL consent: the link is shown, declining opens nothing and the server hears decline', async () => {
    const asked = everything.asked.urlElicitations;
    const p = run(everything, 'trigger-url-elicitation', { url: 'https://example.com/consent', message: 'Please sign in' });
    await waitFor(() => everything.asked.urlElicitations > asked, 30_000, 'the URL question to open');
    await sleep(500);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem'); // "Decline"
    const outcome = await p;
    assert.ok(outcome);
    assert.match(textOf(outcome.result), /User declined to open the URL/);
  });

  it('a cancelled call withdraws its open question', async () => {
    const cts = new vscode.CancellationTokenSource();
    const asked = asking.asked.elicitations;
    const p = asking.callTool('ask-hang', {}, { signal: abortOn(cts.token) });
    await waitFor(() => asking.asked.elicitations > asked, 30_000, 'the form to open');
    cts.cancel();
    await assert.rejects(p);
    const replies = await waitFor(async () => {
      const r = JSON.parse(textOf(await asking.callTool('replies', {}))) as { error?: { message: string } }[];
      return r.length > 0 ? r : undefined;
    }, 10_000, 'the reply');
    assert.match(replies[0]?.error?.message ?? '', /withdrawn/);
  });

  it('the server tooltip lists what the server asked and the roots it was given', () => {
    const tip = serverTooltip(everything).value.replace(/\\/g, ''); // the markdown escapes of untrusted text
    assert.match(tip, /Asked of MCP Host:\*\* [^\n]*roots[^\n]*input \(form\) \d+×/);
    assert.match(tip, /Roots given:\*\* file/);
  });

  it('Set Server Log Level sends logging/setLevel and is kept for the session', async () => {
    await vscode.commands.executeCommand(CommandIds.setLogLevel, 'asking', 'debug');
    assert.equal(asking.logLevel, 'debug');
    assert.match(serverTooltip(asking).value, /Log level:\*\* debug/);
  });

  it('an open resource document updates in place on notifications/resources/updated', async () => {
    await vscode.commands.executeCommand(CommandIds.openResource, { kind: 'resource', serverId: asking.id, uri: 'mem://live' } as TreeNode);
    const doc = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'mcp-host-resource' && d.getText().includes('version')), 20_000, 'the resource document');
    const before = doc.getText();
    await asking.callTool('touch', { uri: 'mem://live' });
    await waitFor(() => doc.getText() !== before && doc.getText().includes('version'), 20_000, 'the document to update');
  });
});

function abortOn(token: vscode.CancellationToken): AbortSignal {
  const c = new AbortController();
  token.onCancellationRequested(() => c.abort());
  return c.signal;
}
