/**
 * Arguments edited as a JSON document: validated against the tool's schema on save, problems shown as
 * diagnostics in the document (which stays open with what was typed), valid arguments handed back.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import { ArgumentLenses, checkArguments, editArgumentsAsJson } from '../../../src/vscode/input/jsonArguments';
import { schemaProblems } from '../../../src/vscode/input/toolArguments';
import { activate, waitFor } from '../helpers';

const schema = {
  type: 'object',
  properties: {
    query: { type: 'string', minLength: 1 },
    options: { type: 'object', properties: { limit: { type: 'integer', minimum: 1 } }, required: ['limit'] },
  },
  required: ['query'],
};
const validate = (v: unknown) => schemaProblems(schema, v, 'tool "test"');

describe('content: arguments as a JSON document', function () {
  this.timeout(60_000);
  let privateDir = '';
  before(async () => {
    privateDir = (await activate<McpHostApi>()).privateDir;
  });

  it('reports syntax errors, a non-object and schema errors with their paths; strips "$schema"', async () => {
    const syntax = await checkArguments('{ "query": ', validate);
    assert.ok('problems' in syntax && /syntax/i.test(syntax.problems[0]?.message ?? ''));
    const array = await checkArguments('[1, 2]', validate);
    assert.ok('problems' in array && /object/.test(array.problems[0]?.message ?? ''));
    const nested = await checkArguments('{ "query": "x", "options": { "limit": 0 } }', validate);
    assert.ok('problems' in nested);
    assert.deepEqual(nested.problems[0]?.path, ['options', 'limit']);
    const ok = await checkArguments('// comments are fine\n{ "$schema": "./t.schema.json", "query": "x", "options": { "limit": 3, }, }', validate);
    assert.deepEqual(ok, { value: { query: 'x', options: { limit: 3 } } });
  });

  it('a schema too costly to check (a 26-level anyOf chain) does not block the extension host and warns instead of passing silently', async () => {
    const defs: Record<string, unknown> = { d26: { type: 'string' } };
    for (let i = 0; i < 26; i++) defs[`d${i}`] = { anyOf: [{ $ref: `#/$defs/d${i + 1}` }, { $ref: `#/$defs/d${i + 1}` }] };
    const chain = { type: 'object', properties: { x: { $ref: '#/$defs/d0' } }, required: ['x'], $defs: defs };
    const warnings: string[] = [];
    // The longest the extension host's event loop stalls meanwhile (it used to stall for minutes).
    let last = Date.now();
    let stall = 0;
    const tick = setInterval(() => {
      stall = Math.max(stall, Date.now() - last);
      last = Date.now();
    }, 10);
    const t0 = Date.now();
    const checked = await checkArguments('{ "x": 1 }', (v) => schemaProblems(chain, v, 'tool "deep"', (m) => warnings.push(m)));
    clearInterval(tick);
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
    assert.ok(stall < 500, `the event loop stalled for ${stall} ms`);
    assert.deepEqual(checked, { value: { x: 1 } }, 'the server checks what we could not');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /^The arguments of tool "deep" were not checked: The tool's input schema is too costly to check/);
  });

  it('an invalid document gets diagnostics and stays open; saving valid arguments hands them back', async () => {
    const diagnostics = vscode.languages.createDiagnosticCollection('test-arguments');
    try {
      const pending = editArgumentsAsJson(
        { serverName: 'test server', privateDir, itemName: 'search', what: 'tool "search"', initial: { query: '' }, schema, validate },
        diagnostics,
      );
      const doc = await waitFor(
        () => vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/search.arguments.json')),
        20_000,
        'the arguments document',
      );
      assert.deepEqual(JSON.parse(doc.getText()), { $schema: './search.schema.json', query: '' });
      const replaceAll = async (text: string) => {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(doc.uri, new vscode.Range(0, 0, doc.lineCount, 0), text);
        assert.ok(await vscode.workspace.applyEdit(edit));
        assert.ok(await doc.save(), 'saved');
      };
      await replaceAll('{\n  "query": "",\n  "options": {}\n}\n');
      const problems = await waitFor(() => (diagnostics.get(doc.uri)?.length ? diagnostics.get(doc.uri) : undefined), 10_000, 'diagnostics');
      assert.ok(problems.some((d) => /query/.test(d.message)), problems.map((d) => d.message).join('; '));
      assert.ok(!doc.isClosed, 'the document is kept');
      await replaceAll('{\n  "query": "mcp",\n  "options": { "limit": 5 }\n}\n');
      assert.deepEqual(await pending, { query: 'mcp', options: { limit: 5 } });
      assert.equal(diagnostics.get(doc.uri)?.length ?? 0, 0, 'diagnostics cleared');
    } finally {
      diagnostics.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('the document shows Run and Cancel lenses; Run validates what is typed (saved or not), Cancel gives up', async () => {
    const diagnostics = vscode.languages.createDiagnosticCollection('test-arguments-lenses');
    const lenses = new ArgumentLenses('_mcpHostTest.arguments');
    try {
      const open = (item: string) =>
        editArgumentsAsJson({ serverName: 'lens server', privateDir, itemName: item, what: `tool "${item}"`, initial: { query: 'typed' }, schema, validate }, diagnostics, lenses);
      const pending = open('lensed');
      const doc = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/lensed.arguments.json')), 20_000, 'the document');
      const shown = await waitFor(async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
        return l.length >= 2 ? l : undefined;
      }, 10_000, 'code lenses');
      const titles = shown.map((l) => l.command?.title ?? '');
      assert.ok(titles.some((t) => /Run tool "lensed"/.test(t)) && titles.includes('Cancel'), titles.join(', '));
      const run = shown.find((l) => /Run/.test(l.command?.title ?? ''))!.command!;
      await vscode.commands.executeCommand(run.command, ...(run.arguments ?? []));
      assert.deepEqual(await pending, { query: 'typed' });

      const cancelled = open('cancelled');
      const doc2 = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/cancelled.arguments.json')), 20_000, 'the second document');
      const lenses2 = await waitFor(async () => {
        const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc2.uri);
        return l.length >= 2 ? l : undefined;
      }, 10_000, 'code lenses');
      const cancel = lenses2.find((l) => l.command?.title === 'Cancel')!.command!;
      await vscode.commands.executeCommand(cancel.command, ...(cancel.arguments ?? []));
      assert.equal(await cancelled, undefined);
    } finally {
      lenses.dispose();
      diagnostics.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('the document and its schema are private (0600 in the 0700 storage dir); a planted symlink is refused, not followed', async () => {
    const diagnostics = vscode.languages.createDiagnosticCollection('test-arguments-private');
    const victim = path.join(os.tmpdir(), `mcp-host-victim-${process.pid}`);
    try {
      assert.ok(privateDir.includes('globalStorage'), `the extension's storage: ${privateDir}`);
      assert.ok(!privateDir.startsWith(os.tmpdir() + path.sep), 'not the shared temp dir');
      const pending = editArgumentsAsJson(
        { serverName: 'private server', privateDir, itemName: 'secret', what: 'tool "secret"', initial: { query: 'ghp_typed' }, schema, validate },
        diagnostics,
      );
      const doc = await waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith('/secret.arguments.json')), 20_000, 'the document');
      const file = doc.uri.fsPath;
      assert.ok(file.startsWith(privateDir + path.sep), `${file} is under ${privateDir}`);
      if (process.platform !== 'win32') {
        assert.equal(fs.statSync(file).mode & 0o777, 0o600, 'the arguments file is 0600');
        assert.equal(fs.statSync(path.join(path.dirname(file), 'secret.schema.json')).mode & 0o777, 0o600, 'the schema file is 0600');
        assert.equal(fs.statSync(path.dirname(file)).mode & 0o777, 0o700, 'its directory is 0700');
      }
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      void pending;
      if (process.platform === 'win32') return;
      // Another process planted a link where the next document goes: it is refused and its target untouched.
      fs.writeFileSync(victim, 'original\n');
      const planted = path.join(path.dirname(file), 'planted.arguments.json');
      fs.rmSync(planted, { force: true });
      fs.symlinkSync(victim, planted);
      await assert.rejects(
        editArgumentsAsJson({ serverName: 'private server', privateDir, itemName: 'planted', what: 'tool "planted"', initial: { token: 'x' }, validate }, diagnostics),
        (e: unknown) => (e as { code?: string }).code === 'ESYMLINK',
      );
      assert.equal(fs.readFileSync(victim, 'utf8'), 'original\n', 'the link target was not written');
      fs.rmSync(planted, { force: true });
    } finally {
      fs.rmSync(victim, { force: true });
      diagnostics.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
