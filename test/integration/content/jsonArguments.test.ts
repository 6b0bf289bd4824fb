/**
 * Arguments edited as a JSON document: validated against the tool's schema on save, problems shown as
 * diagnostics in the document (which stays open with what was typed), valid arguments handed back.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { checkArguments, editArgumentsAsJson } from '../../../src/vscode/input/jsonArguments';
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
const validate = (v: unknown) => schemaProblems(schema, v);

describe('content: arguments as a JSON document', function () {
  this.timeout(60_000);

  it('reports syntax errors, a non-object and schema errors with their paths; strips "$schema"', () => {
    const syntax = checkArguments('{ "query": ', validate);
    assert.ok('problems' in syntax && /syntax/i.test(syntax.problems[0]?.message ?? ''));
    const array = checkArguments('[1, 2]', validate);
    assert.ok('problems' in array && /object/.test(array.problems[0]?.message ?? ''));
    const nested = checkArguments('{ "query": "x", "options": { "limit": 0 } }', validate);
    assert.ok('problems' in nested);
    assert.deepEqual(nested.problems[0]?.path, ['options', 'limit']);
    const ok = checkArguments('// comments are fine\n{ "$schema": "./t.schema.json", "query": "x", "options": { "limit": 3, }, }', validate);
    assert.deepEqual(ok, { value: { query: 'x', options: { limit: 3 } } });
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
});
