/**
 * Tools in a model's hands, in the real editor: Ask a Model with Tools and Show Context Cost against
 * server-everything, with the "scripted" model of a test extension loaded beside MCP Host
 * (test/fixtures/lm-provider), which asks for the tool calls its question scripts. The extension registers its
 * model with vscode.lm.registerLanguageModelChatProvider, which engines before VS Code 1.104 do not have: there
 * the tests are skipped and say so.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import { CommandIds } from '../../../src/vscode/commands/ids';
import type { AskModelOptions, AskModelOutcome, ContextCostOutcome } from '../../../src/vscode/agent';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { activate, extension, waitFor } from '../helpers';

const hasProviderApi = typeof (vscode.lm as { registerLanguageModelChatProvider?: unknown }).registerLanguageModelChatProvider === 'function';
const why = ` (skipped: VS Code ${vscode.version} has no vscode.lm.registerLanguageModelChatProvider, so no test model can be registered)`;
const test = (title: string, fn: () => Promise<void>) => (hasProviderApi ? it(title, fn) : it.skip(title + why, fn));

interface ProviderExports {
  readonly requests: { round: number; tools: { name: string; description: string; inputSchema: unknown }[]; lastResult: string }[];
}

describe('lm: a model calls the tools of MCP servers', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  let everything: ServerHandle;
  let provider: ProviderExports;
  let modelId: string;

  const ask = (question: string, script: unknown[], more: Partial<AskModelOptions> = {}) =>
    vscode.commands.executeCommand<AskModelOutcome | undefined>(CommandIds.askModel, { modelId, servers: ['everything'], question: `${question} SCRIPT:${JSON.stringify(script)}`, ...more } satisfies AskModelOptions);
  const docText = async (uri: vscode.Uri) => (await vscode.workspace.openTextDocument(uri)).getText();

  before(async function () {
    if (!hasProviderApi) this.skip();
    api = await activate<McpHostApi>();
    const [model] = await waitFor(async () => {
      const list = await vscode.lm.selectChatModels({ vendor: 'mcphost-test', id: 'scripted' });
      return list.length > 0 ? list : undefined;
    }, 30_000, 'the scripted test model to be registered');
    modelId = model!.id;
    const ext = vscode.extensions.getExtension<ProviderExports>('mcp-host.mcp-host-test-lm-provider');
    provider = ext!.isActive ? ext!.exports : await ext!.activate();
    const entry = path.join(extension().extensionPath, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    await vscode.workspace.getConfiguration('mcpHost').update('servers', { everything: { command: process.execPath, args: [entry, 'stdio'] } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    everything = await waitFor(() => api.registry.getByName('everything'), 30_000, 'everything');
    await everything.start();
  });

  after(async () => {
    if (!hasProviderApi) return;
    api.trust.setAsk(undefined);
    await vscode.workspace.getConfiguration('mcpHost').update('agent.maxRounds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('two rounds: the model calls echo, gets the result and answers; the transcript document shows it all', async () => {
    const before = provider.requests.length;
    const out = await ask('Echo hi.', [{ call: 'echo', args: { message: 'hi from the model' } }, { answer: 'The server said: $LAST' }]);
    assert.ok(out);
    assert.deepEqual(out.transcript.end, { kind: 'answered' });
    const reqs = provider.requests.slice(before);
    assert.equal(reqs.length, 2);
    const echo = reqs[0]!.tools.find((t) => t.name === 'echo');
    assert.ok(echo && JSON.stringify(echo.inputSchema).includes('message'), 'echo offered with its input schema');
    assert.equal(reqs[1]!.lastResult, 'Echo: hi from the model');
    const text = await docText(out.document);
    assert.equal(out.document.scheme, 'untitled');
    assert.match(text, /Tool call: `echo` of `everything`[\s\S]*"message": "hi from the model"[\s\S]*Outcome: result[\s\S]*Echo: hi from the model[\s\S]*## Answer[\s\S]*The server said: Echo: hi from the model/);
  });

  test('server and model text in the transcript is no link that runs a command or opens a local file', async () => {
    const hostile = 'See [settings](command:workbench.action.openSettings), file:///etc/passwd, <file:///etc/hosts> and https://example.com/ok';
    const out = await ask('Echo it.', [{ call: 'echo', args: { message: hostile } }, { answer: 'Done: $LAST' }]);
    assert.ok(out);
    // Wait for the link providers on the settled document (its one http link is found), then check every target.
    let targets: string[] = [];
    await waitFor(async () => {
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', out.document, 1000);
      targets = links.map((l) => l.target?.toString(true) ?? '(no target)');
      return targets.some((t) => t.startsWith('https://example.com/ok'));
    }, 30_000, 'the link providers ran on the transcript');
    assert.deepEqual(targets.filter((t) => !/^https?:\/\//i.test(t)), [], `links: ${targets.join(', ')}`);
  });

  test('a refused confirmation is handed back to the model', async () => {
    const asked: string[] = [];
    await vscode.workspace.getConfiguration('mcpHost').update('autoApproveTools', {}, vscode.ConfigurationTarget.Global);
    api.trust.setAsk((q) => {
      asked.push(q.kind);
      return Promise.resolve(undefined); // the user closes the confirmation
    });
    try {
      // Not read-only (a read-only tool of a trusted server runs without asking).
      const out = await ask('Toggle.', [{ call: 'toggle-simulated-logging', args: {} }, { answer: 'got: $LAST' }]);
      assert.ok(out);
      assert.deepEqual(asked, ['toolConfirm'], 'Run Tool’s confirmation was asked');
      assert.equal(out.transcript.rounds[0]!.calls[0]!.status, 'refused');
      assert.match(out.transcript.rounds[1]!.text, /^got: The user did not allow this tool call/);
      assert.match(await docText(out.document), /Outcome: refused in the confirmation/);
    } finally {
      api.trust.setAsk(undefined);
      await vscode.workspace.getConfiguration('mcpHost').update('autoApproveTools', { everything: true }, vscode.ConfigurationTarget.Global);
    }
  });

  test('a tool error is handed back to the model', async () => {
    const out = await ask('Sum badly.', [{ call: 'get-sum', args: { a: 'x' } }, { answer: 'error seen: $LAST' }]);
    assert.ok(out);
    const c = out.transcript.rounds[0]!.calls[0]!;
    assert.ok(c.status === 'error' || c.status === 'failed', c.status);
    assert.match(out.transcript.rounds[1]!.text, /^error seen: (The tool reported an error|The tool call failed)/);
  });

  test('the round cap (mcpHost.agent.maxRounds) stops a model that keeps calling tools', async () => {
    await vscode.workspace.getConfiguration('mcpHost').update('agent.maxRounds', 2, vscode.ConfigurationTarget.Global);
    try {
      const before = provider.requests.length;
      const out = await ask('Forever.', [{ call: 'echo', args: { message: 'again' } }]);
      assert.ok(out);
      assert.deepEqual(out.transcript.end, { kind: 'roundCap', maxRounds: 2 });
      assert.equal(provider.requests.length - before, 2);
      assert.match(await docText(out.document), /round cap \(2, setting `mcpHost\.agent\.maxRounds`\)/);
    } finally {
      await vscode.workspace.getConfiguration('mcpHost').update('agent.maxRounds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('cancel mid-loop stops the running tool call, and a later cancel stops the model request', async () => {
    const abort = new AbortController();
    const t0 = Date.now();
    const out = await ask('Long.', [{ call: 'trigger-long-running-operation', args: { duration: 30, steps: 30 } }, { answer: 'never' }], {
      signal: abort.signal,
      onUpdate: (t) => {
        if (t.rounds[0]?.calls[0]?.status === 'running') setTimeout(() => abort.abort(), 500);
      },
    });
    assert.ok(out);
    assert.deepEqual(out.transcript.end, { kind: 'cancelled' });
    assert.equal(out.transcript.rounds[0]!.calls[0]!.status, 'cancelled');
    assert.ok(Date.now() - t0 < 15_000, `took ${Date.now() - t0} ms`);

    const abort2 = new AbortController();
    const out2 = await ask('Hang.', [{ hang: true }], { signal: abort2.signal, onUpdate: (t) => t.rounds[0]?.text && setTimeout(() => abort2.abort(), 300) });
    assert.deepEqual(out2?.transcript.end, { kind: 'cancelled' });
    assert.match(await docText(out2!.document), /thinking…[\s\S]*\*\*Cancelled\.\*\*/);
  });

  test('Show Context Cost counts each tool in tokens of the chosen model, and the tooltip shows the server total', async () => {
    const out = await vscode.commands.executeCommand<ContextCostOutcome | undefined>(CommandIds.showContextCost, { modelId, sort: 'tokens' });
    assert.ok(out);
    const server = out.cost.servers.find((s) => s.serverName === 'everything');
    assert.ok(server && server.tools.length === everything.lists.tools.length);
    // The test model counts one token per 4 characters of the definition's JSON.
    for (const t of server.tools) assert.ok(t.tokens !== undefined && t.tokens >= Math.floor(t.bytes / 4) - 1 && t.tokens <= Math.ceil(t.bytes / 4) + 1, `${t.name}: ${t.tokens} tokens for ${t.bytes} bytes`);
    assert.equal(server.tokens, server.tools.reduce((a, t) => a + t.tokens!, 0));
    const text = await docText(out.document);
    assert.match(text, new RegExp(`\\| \`everything\` \\| ${server.tools.length} \\| ${server.tokens} \\| ${server.bytes} \\|`));
    const rows = text.split('## Tools')[1]!.split('\n').filter((l) => l.startsWith('| `')).map((l) => Number(l.split(' | ')[2]));
    assert.deepEqual(rows, [...rows].sort((a, b) => b - a), 'sorted by tokens');
    const item = await api.tree.getTreeItem({ kind: 'server', serverId: everything.id } as TreeNode);
    const tip = (typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '')).replace(/\\/g, '');
    assert.match(tip, new RegExp(`Tool definitions:\\*\\* ${server.tools.length} tools, ${server.bytes} bytes \\(${server.tokens} tokens for Scripted Test Model\\)`));
  });
});

describe('lm: context cost without a model (every engine)', function () {
  this.timeout(120_000);
  let api: McpHostApi;

  before(async () => {
    api = await activate<McpHostApi>();
    const entry = path.join(extension().extensionPath, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    await vscode.workspace.getConfiguration('mcpHost').update('servers', { plain: { command: process.execPath, args: [entry, 'stdio'] } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await (await waitFor(() => api.registry.getByName('plain'), 30_000, 'plain')).start();
  });

  after(async () => {
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Show Context Cost without a model lists bytes only, and the tooltip shows the server total in bytes', async () => {
    const plain = api.registry.getByName('plain')!;
    const out = await vscode.commands.executeCommand<ContextCostOutcome | undefined>(CommandIds.showContextCost, { sort: 'bytes' });
    assert.ok(out);
    const server = out.cost.servers.find((s) => s.serverName === 'plain')!;
    assert.equal(server.tools.length, plain.lists.tools.length);
    assert.equal(server.tokens, undefined);
    assert.ok(server.bytes > 1000, `${server.bytes} bytes`);
    const text = await (await vscode.workspace.openTextDocument(out.document)).getText();
    assert.match(text, /no model \(none available\): bytes only/);
    assert.match(text, new RegExp(`\\| \`plain\` \\| ${server.tools.length} \\| – \\| ${server.bytes} \\|`));
    const item = await api.tree.getTreeItem({ kind: 'server', serverId: plain.id } as TreeNode);
    const tip = (typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '')).replace(/\\/g, '');
    assert.match(tip, new RegExp(`Tool definitions:\\*\\* ${server.tools.length} tools, ${server.bytes} bytes\\n`));
  });
});
