/**
 * Literal tokens in MCP config files: a warning on the token and a quick fix that moves it out of the file,
 * keeping comments. The suite's workspace ships a fake GitHub token in .vscode/mcp.json and a fake OpenAI key
 * in .mcp.json.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../helpers';
import { trustApi, workspaceFolder } from './trustHelpers';

const literalSecretDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.code === 'literal-secret' && d.source === 'MCP Host');

async function applyQuickFix(uri: vscode.Uri, title: RegExp): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const diag = await waitFor(() => literalSecretDiagnostics(uri)[0], 20_000, `a literal-secret diagnostic on ${uri.fsPath}`);
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diag.range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((a) => title.test(a.title));
  assert.ok(fix?.edit, `a quick fix matching ${title} (have: ${actions.map((a) => a.title).join(' | ')})`);
  assert.ok(await vscode.workspace.applyEdit(fix.edit));
  await doc.save();
  return doc;
}

describe('Trust: literal secrets in config files', () => {
  before(async () => {
    await trustApi();
  });

  it('a token written in .vscode/mcp.json gets a warning on the token itself', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder().uri, '.vscode', 'mcp.json');
    const doc = await vscode.workspace.openTextDocument(uri);
    const diags = await waitFor(() => (literalSecretDiagnostics(uri).length > 0 ? literalSecretDiagnostics(uri) : undefined), 20_000, 'diagnostics');
    assert.equal(diags.length, 1, 'only the literal token, not the ${input:...} reference');
    const d = diags[0] as vscode.Diagnostic;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(doc.getText(d.range), 'ghp_0000FAKE0000TOKEN0000FOR0000TESTS00');
    assert.match(d.message, /GitHub token/);
  });

  it('the quick fix moves it into a password input and keeps the comments', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder().uri, '.vscode', 'mcp.json');
    const doc = await applyQuickFix(uri, /password input/);
    const text = doc.getText();
    assert.ok(!text.includes('ghp_0000FAKE'), 'the token is gone');
    assert.ok(text.includes('"GITHUB_TOKEN": "${input:github-token}"'), text);
    assert.ok(text.includes('// a literal token: the suite expects a warning and a quick fix here'), 'comments survive');
    assert.match(text, /"id": "github-token"[\s\S]*"password": true/);
    assert.ok(text.includes('"id": "ws-token"'), 'the existing input is kept');
    await waitFor(() => literalSecretDiagnostics(uri).length === 0, 10_000, 'the warning to go away');
  });

  it('in .mcp.json (no inputs in that format) the quick fix refers to an environment variable instead', async () => {
    const uri = vscode.Uri.joinPath(workspaceFolder().uri, '.mcp.json');
    const doc = await applyQuickFix(uri, /environment variable/);
    const text = doc.getText();
    assert.ok(!text.includes('sk-proj-FAKE'), 'the key is gone');
    assert.ok(text.includes('"OPENAI_API_KEY": "${OPENAI_API_KEY}"'), text);
    await waitFor(() => literalSecretDiagnostics(uri).length === 0, 10_000, 'the warning to go away');
  });
});
