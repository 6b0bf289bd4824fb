/**
 * Running tools, reading/inserting resources and using prompts against server-everything, in the real extension
 * host. Commands are driven with a tree node plus their automation options (no quick input needed).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import { CommandIds } from '../../../src/vscode/commands/ids';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import type { InsertOutcome, RunToolOutcome, UsePromptOutcome } from '../../../src/vscode/commands/content';
import { insertAtCursors } from '../../../src/vscode/commands/content/insertResource';
import { safeDocument } from '../../../src/core/trust/safeDocument';
import { parseResourceDocumentUri, RESOURCE_SCHEME, RESULT_SCHEME, resourceDocumentUri } from '../../../src/vscode/documents/resourceUri';
import { activate, extension, waitFor } from '../helpers';

const SERVER = 'everything';
const ARCHITECTURE = 'demo://resource/static/document/architecture.md';

function textOf(result: { content?: unknown }): string {
  const blocks = Array.isArray(result.content) ? (result.content as { type: string; text?: string }[]) : [];
  return blocks
    .filter((b) => b.type === 'text')
    .map((b) => b.text ?? '')
    .join('\n');
}

function openDoc(uri: vscode.Uri): vscode.TextDocument {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  assert.ok(doc, `document ${uri.toString()} is open`);
  return doc;
}

describe('content: tools, resources and prompts of server-everything', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  let server: ServerHandle;
  let notes: vscode.Uri;
  const tool = (name: string): TreeNode => ({ kind: 'tool', serverId: server.id, name });
  const resource = (uri: string): TreeNode => ({ kind: 'resource', serverId: server.id, uri });

  before(async () => {
    api = await activate<McpHostApi>();
    const repo = extension().extensionPath;
    const entry = path.join(repo, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    assert.ok(fs.existsSync(entry), `server-everything is installed at ${entry}`);
    await vscode.workspace
      .getConfiguration('mcpHost')
      .update('servers', { [SERVER]: { command: process.execPath, args: [entry, 'stdio'] } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    server = await waitFor(() => api.registry.getByName(SERVER), 30_000, `server ${SERVER} in the registry`);
    await server.start();
    await waitFor(() => server.lists.tools.length > 0 && server.lists.resources.length > 0, 30_000, 'tools and resources listed');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the suite opens a workspace folder');
    notes = vscode.Uri.joinPath(folder.uri, 'notes.txt');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    await waitFor(() => api.registry.servers.every((s) => s.state.kind !== 'running' && s.state.kind !== 'starting'), 30_000, 'servers stopped');
  });

  afterEach(async () => {
    // Leave notes.txt as it was for the next test (undo/redo history aside).
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === notes.toString());
    if (doc?.isDirty) await vscode.commands.executeCommand('workbench.action.files.revert', notes);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('running echo with arguments given returns its text in a read-only mcp-result document', async () => {
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, tool('echo'), {
      arguments: { message: 'hello from the content suite' },
    });
    assert.ok(outcome, 'the command resolves to its outcome');
    assert.equal(textOf(outcome.result), 'Echo: hello from the content suite');
    assert.equal(outcome.document.scheme, RESULT_SCHEME);
    assert.match(outcome.document.path, /^\/everything\/echo-\d+\.\w+$/);
    const doc = openDoc(outcome.document);
    assert.equal(doc.getText(), 'Echo: hello from the content suite');
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    assert.ok(editor, 'the result is shown in an editor');
    const edited = await Promise.resolve(editor.edit((eb) => eb.insert(new vscode.Position(0, 0), 'tampered '))).catch(() => false);
    assert.equal(doc.getText(), 'Echo: hello from the content suite', `the result document cannot be edited (edit() said ${String(edited)})`);
  });

  it('running a tool of a stopped server starts it first', async () => {
    await server.stop();
    assert.equal(server.state.kind, 'stopped');
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, tool('echo'), { arguments: { message: 'after a stop' } });
    assert.equal(server.state.kind, 'running');
    assert.equal(outcome && textOf(outcome.result), 'Echo: after a stop');
  });

  it('structured content opens as pretty JSON', async () => {
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, tool('get-structured-content'), {
      arguments: { location: 'Chicago' },
    });
    assert.ok(outcome);
    const doc = openDoc(outcome.document);
    assert.equal(doc.languageId, 'json');
    assert.deepEqual(JSON.parse(doc.getText()), outcome.result.structuredContent);
    assert.ok(doc.getText().includes('\n  '), 'indented');
  });

  it('an image result is saved to a private PNG file (extension storage, 0700/0600) next to the result', async () => {
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, tool('get-tiny-image'), { arguments: {} });
    assert.ok(outcome);
    assert.ok(outcome.files.length >= 1, 'one file per image');
    const file = outcome.files[0]!;
    // Issue #10 finding 7: never the shared system temp dir; the extension's own storage, private to the user.
    const storage = extension().exports as McpHostApi | undefined;
    const privateDir = storage?.privateDir ?? '(no private dir)';
    assert.ok(!file.startsWith(os.tmpdir() + path.sep), `not under the shared temp dir: ${file}`);
    assert.ok(file.startsWith(privateDir + path.sep), `saved under ${privateDir}: ${file}`);
    assert.ok(privateDir.includes('globalStorage'), `the private dir is the extension's global storage: ${privateDir}`);
    if (process.platform !== 'win32') {
      assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'the file is 0600');
      for (let d = path.dirname(file); d.length > privateDir.length; d = path.dirname(d)) assert.equal(fs.statSync(d).mode & 0o777, 0o700, `${d} is 0700`);
      assert.equal(fs.statSync(privateDir).mode & 0o777, 0o700, 'the private dir is 0700');
    }
    const bytes = fs.readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG');
  });

  it('a result flagged isError is shown with its text and reported as an error', async () => {
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, tool('get-sum'), {
      arguments: { a: 'not a number', b: 2 },
    });
    assert.ok(outcome, 'the error result still opens');
    assert.equal(outcome.result.isError, true);
    const doc = openDoc(outcome.document);
    assert.ok(doc.getText().length > 0 && doc.getText().includes(textOf(outcome.result).split('\n')[0]!), 'the document shows the error text');
    assert.ok(doc.getText().startsWith('**The tool reported an error** (`isError: true`)'), `the document says it is an error at its top: ${doc.getText().slice(0, 80)}`);
  });

  it('Insert Result at Cursor puts the last result into the editor that was active before', async () => {
    const doc = await vscode.workspace.openTextDocument(notes);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    const before = doc.getText();
    const outcome = await vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, tool('echo'), { arguments: { message: 'inserted' } });
    assert.ok(outcome);
    assert.equal(vscode.window.activeTextEditor?.document.uri.scheme, RESULT_SCHEME, 'the result is the active editor');
    const ok = await vscode.commands.executeCommand<boolean>(CommandIds.insertToolResult, outcome.document);
    assert.equal(ok, true);
    const lines = before.split('\n');
    assert.equal(doc.getText(), [lines[0], `Echo: inserted${lines[1]}`, ...lines.slice(2)].join('\n'));
  });

  it('inserting a resource puts exactly its text at every cursor, and one undo removes it', async () => {
    const expected = await server.readResource(ARCHITECTURE, { timeoutMs: 30_000 });
    const first = expected.contents[0] as { text?: string } | undefined;
    const text = first?.text;
    assert.ok(typeof text === 'string' && text.length > 100, 'the resource has text');
    const doc = await vscode.workspace.openTextDocument(notes);
    const editor = await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    // Three cursors, one of them a selection that the text replaces.
    editor.selections = [new vscode.Selection(0, 0, 0, 0), new vscode.Selection(1, 0, 1, 6), new vscode.Selection(2, 10, 2, 10)];
    const offsets = editor.selections.map((s) => [doc.offsetAt(s.start), doc.offsetAt(s.end)] as const);
    const outcome = await vscode.commands.executeCommand<InsertOutcome | undefined>(CommandIds.insertResource, resource(ARCHITECTURE));
    assert.ok(outcome, 'the command resolves to what it inserted');
    assert.equal(outcome.cursors, 3);
    assert.equal(outcome.text, text);
    let want = before;
    for (const [start, end] of [...offsets].sort((a, b) => b[0] - a[0])) want = want.slice(0, start) + text + want.slice(end);
    assert.equal(doc.getText(), want, 'the text at each cursor, selection replaced');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => doc.getText() === before, 10_000, 'one undo restores the file');
  });

  it('a large insertion (8 MiB at 3 cursors) is still one edit and one undo', async function () {
    const doc = await vscode.workspace.openTextDocument(notes);
    const editor = await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    editor.selections = [new vscode.Selection(0, 0, 0, 0), new vscode.Selection(1, 0, 1, 0), new vscode.Selection(2, 0, 2, 0)];
    const line = 'x'.repeat(1023) + '\n';
    const big = line.repeat(8 * 1024);
    const t0 = Date.now();
    assert.ok(await insertAtCursors(editor, big));
    const inserted = Date.now() - t0;
    assert.equal(doc.getText().length, before.length + 3 * big.length);
    const t1 = Date.now();
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('undo');
    await waitFor(() => doc.getText() === before, 30_000, 'one undo restores the file');
    // The measurement shows in the results (title as reported after the run).
    if (this.test) this.test.title += ` [insert ${inserted} ms, undo ${Date.now() - t1} ms]`;
  });

  it('inserting with no text editor open says so and changes nothing', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const outcome = await Promise.race([
      vscode.commands.executeCommand<InsertOutcome | undefined>(CommandIds.insertResource, resource(ARCHITECTURE)),
      // The command waits on an information message; not answering it is fine: nothing was inserted.
      new Promise<'waiting'>((r) => setTimeout(() => r('waiting'), 1500)),
    ]);
    assert.ok(outcome === undefined || outcome === 'waiting');
    assert.equal(vscode.window.activeTextEditor, undefined);
  });

  it('a binary resource is refused for insertion and the file stays unchanged', async () => {
    const doc = await vscode.workspace.openTextDocument(notes);
    await vscode.window.showTextDocument(doc);
    const before = doc.getText();
    const node: TreeNode = { kind: 'resourceTemplate', serverId: server.id, uriTemplate: 'demo://resource/dynamic/blob/{resourceId}' };
    const outcome = await vscode.commands.executeCommand<InsertOutcome | undefined>(CommandIds.insertResource, node, { variables: { resourceId: '1' } });
    assert.equal(outcome, undefined);
    assert.equal(doc.getText(), before);
  });

  it('open resource gives a read-only mcp-host-resource document in the language of its MIME type', async () => {
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(CommandIds.openResource, resource(ARCHITECTURE));
    assert.ok(uri);
    assert.equal(uri.scheme, RESOURCE_SCHEME);
    assert.deepEqual(parseResourceDocumentUri(uri), { serverId: server.id, resourceUri: ARCHITECTURE });
    const doc = openDoc(uri);
    assert.equal(doc.languageId, 'markdown');
    const expected = await server.readResource(ARCHITECTURE, { timeoutMs: 30_000 });
    // Its relative links are escaped (`](` -> `]\(`: shown as text, no link; server text links only to http(s)).
    const shown = safeDocument((expected.contents[0] as { text: string }).text, 'markdown').text;
    assert.equal(doc.getText(), shown);
    assert.equal(doc.getText().replace(/\]\\\(/g, ']('), (expected.contents[0] as { text: string }).text, 'nothing else changed');
    const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
    assert.ok(editor);
    await Promise.resolve(editor.edit((eb) => eb.insert(new vscode.Position(0, 0), 'tampered'))).catch(() => false);
    assert.equal(doc.getText(), shown, 'read-only');
  });

  it('a template with its variable given opens the expanded resource', async () => {
    const node: TreeNode = { kind: 'resourceTemplate', serverId: server.id, uriTemplate: 'demo://resource/dynamic/text/{resourceId}' };
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(CommandIds.openResource, node, { variables: { resourceId: '7' } });
    assert.ok(uri);
    assert.equal(parseResourceDocumentUri(uri)?.resourceUri, 'demo://resource/dynamic/text/7');
    assert.ok(openDoc(uri).getText().length > 0);
  });

  it('a binary resource opens as a summary and Save As writes its exact bytes', async () => {
    const node: TreeNode = { kind: 'resourceTemplate', serverId: server.id, uriTemplate: 'demo://resource/dynamic/blob/{resourceId}' };
    const uri = await vscode.commands.executeCommand<vscode.Uri | undefined>(CommandIds.openResource, node, { variables: { resourceId: '2' } });
    assert.ok(uri);
    const doc = openDoc(uri);
    assert.match(doc.getText(), /Binary resource/);
    const target = vscode.Uri.file(path.join(os.tmpdir(), `mcp-host-content-test-${process.pid}.bin`));
    const saved = await vscode.commands.executeCommand<vscode.Uri | undefined>(CommandIds.saveResourceAs, uri, { target });
    assert.equal(saved?.fsPath, target.fsPath);
    const expected = await server.readResource('demo://resource/dynamic/blob/2', { timeoutMs: 30_000 });
    const blob = (expected.contents[0] as { blob: string }).blob;
    // The server stamps the blob with the time: compare with the digits masked.
    const mask = (b: Buffer) => b.toString('latin1').replace(/\d+/g, '#');
    assert.equal(mask(fs.readFileSync(target.fsPath)), mask(Buffer.from(blob, 'base64')));
    fs.rmSync(target.fsPath, { force: true });
  });

  it('Copy URI copies the resource URI itself', async () => {
    await vscode.commands.executeCommand(CommandIds.copyResourceUri, resource(ARCHITECTURE));
    assert.equal(await vscode.env.clipboard.readText(), ARCHITECTURE);
  });

  it('a prompt with arguments opens its messages as markdown', async () => {
    const node: TreeNode = { kind: 'prompt', serverId: server.id, name: 'args-prompt' };
    const outcome = await vscode.commands.executeCommand<UsePromptOutcome | undefined>(CommandIds.usePrompt, node, {
      arguments: { city: 'Lisbon', state: 'Lisboa' },
      action: 'open',
    });
    assert.ok(outcome?.document);
    const doc = openDoc(outcome.document);
    assert.equal(doc.languageId, 'markdown');
    assert.match(doc.getText(), /Lisbon/);
  });

  it('a prompt inserted at the cursor puts its text there', async () => {
    const doc = await vscode.workspace.openTextDocument(notes);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    const node: TreeNode = { kind: 'prompt', serverId: server.id, name: 'args-prompt' };
    const outcome = await vscode.commands.executeCommand<UsePromptOutcome | undefined>(CommandIds.usePrompt, node, {
      arguments: { city: 'Porto' },
      action: 'insert',
    });
    assert.equal(outcome?.action, 'insert');
    assert.match(doc.getText().split('\n')[0] ?? '', /Porto/);
  });

  it('resource document URIs round-trip server ids and URIs with any characters', () => {
    for (const [id, uri] of [
      ['userSettings::Everything Server', 'demo://resource/static/document/architecture.md'],
      ['folderMcpJson:/w/.vscode/mcp.json:ümlaut_x', 'file:///a%20b/c.txt?x=1#frag'],
      ['', 'urn:isbn:0451450523'],
    ] as const) {
      const u = resourceDocumentUri(id, uri);
      const reparsed = vscode.Uri.parse(u.toString());
      assert.deepEqual(parseResourceDocumentUri(reparsed), { serverId: id, resourceUri: uri }, u.toString());
    }
  });
});
