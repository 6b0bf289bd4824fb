/**
 * Arguments edited as a JSON document: validated against the tool's schema on save, problems shown as
 * diagnostics in the document (which stays open with what was typed), valid arguments handed back.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { ArgumentLenses, checkArguments, editArgumentsAsJson } from '../../../src/vscode/input/jsonArguments';
import { schemaProblems } from '../../../src/vscode/input/toolArguments';
import { waitFor } from '../helpers';

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
        { serverName: 'test server', itemName: 'search', what: 'tool "search"', initial: { query: '' }, schema, validate },
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
        editArgumentsAsJson({ serverName: 'lens server', itemName: item, what: `tool "${item}"`, initial: { query: 'typed' }, schema, validate }, diagnostics, lenses);
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
});
