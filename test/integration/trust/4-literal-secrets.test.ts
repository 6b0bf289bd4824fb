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

/**
 * Asks every code action provider for quick fixes, as the lightbulb does. VS Code cancels a code action request
 * (`Canceled`) when the code action provider registry changes while it runs (getCodeActions compares the
 * providers for the model with the kind-filtered list it started with, so any registration anywhere cancels).
 * Opening `.mcp.json`, the first `json` (not `jsonc`) document of the suite, activates vscode.npm and
 * vscode.extension-editing (`onLanguage:json`), and extension-editing registers a code action provider: on
 * VS Code 1.100 that lands while the request runs, every time. The editor itself asks again when the registry
 * changes; so does this, only on that cancellation, with a bound.
 */
async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  const deadline = Date.now() + 20_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
    } catch (err) {
      const canceled = err instanceof Error && (err.name === 'Canceled' || err.message === 'Canceled');
      if (!canceled || attempt >= 5 || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

async function applyQuickFix(uri: vscode.Uri, title: RegExp): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const diag = await waitFor(() => literalSecretDiagnostics(uri)[0], 20_000, `a literal-secret diagnostic on ${uri.fsPath}`);
  const actions = await quickFixes(uri, diag.range);
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
