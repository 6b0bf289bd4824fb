/**
 * Warns about tokens written in plain text in `.vscode/mcp.json` / `.mcp.json` and offers a quick fix that
 * moves each into a password input (kept in the editor's secret storage), keeping comments intact.
 */
import * as vscode from 'vscode';
import { CONFIG_FILES, CONFIG_FILES_GLOB, configFileOf } from '../../core/config/files';
import { positionAt } from '../config/diagnostics';
import { findLiteralSecrets, moveSecretToEnvReference, moveSecretToInput, type LiteralSecret } from '../../core/trust/secrets';

export const LITERAL_SECRET_CODE = 'literal-secret';
const SOURCE = 'MCP Host';

export function isMcpConfigFile(uri: vscode.Uri): boolean {
  return configFileOf(uri.path) !== undefined;
}

/** `claude`: `.mcp.json`, whose format has no inputs (the fix refers to an environment variable instead). */
export function secretDiagnostics(text: string, format: 'vscode' | 'claude' = 'vscode'): vscode.Diagnostic[] {
  const remedy =
    format === 'vscode'
      ? 'Move it into a password input: it is then asked once and kept in the editor\'s secret storage.'
      : 'Refer to an environment variable instead (${NAME}) and set it outside the repository.';
  return findLiteralSecrets(text).map((s) => {
    const where = s.field === 'args' ? `argument ${Number(s.key) + 1}` : `${s.field === 'env' ? 'env' : 'header'} ${s.key}`;
    const d = new vscode.Diagnostic(
      new vscode.Range(positionAt(text, s.offset), positionAt(text, s.offset + s.length)),
      `This looks like a ${s.label} in plain text (${where} of server "${s.serverName}"). Anyone who can read this file can use it. ${remedy}`,
      vscode.DiagnosticSeverity.Warning,
    );
    d.source = SOURCE;
    d.code = LITERAL_SECRET_CODE;
    return d;
  });
}

/** Maps a diagnostic back to the secret it is about (re-found in the current text). */
function secretAt(doc: vscode.TextDocument, range: vscode.Range): LiteralSecret | undefined {
  const text = doc.getText();
  const offset = doc.offsetAt(range.start);
  return findLiteralSecrets(text).find((s) => offset >= s.valueOffset && offset <= s.valueOffset + s.valueLength);
}

/** A single replace of the part that differs: the undo step is small and the cursor stays put. */
function minimalEdit(doc: vscode.TextDocument, before: string, after: string): vscode.WorkspaceEdit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(start), doc.positionAt(endB)), after.slice(start, endA));
  return edit;
}

export class LiteralSecretActions implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diag of context.diagnostics) {
      if (diag.code !== LITERAL_SECRET_CODE || diag.source !== SOURCE) continue;
      const secret = secretAt(doc, diag.range);
      if (!secret) continue;
      const before = doc.getText();
      const editorOptions = vscode.window.visibleTextEditors.find((e) => e.document === doc)?.options;
      const formatting = {
        insertSpaces: editorOptions?.insertSpaces !== false,
        tabSize: typeof editorOptions?.tabSize === 'number' ? editorOptions.tabSize : 2,
        eol: doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n',
      };
      let action: vscode.CodeAction;
      if (configFileOf(doc.uri.path)?.format === 'vscode') {
        const moved = moveSecretToInput(before, secret, formatting);
        action = new vscode.CodeAction(`Move the ${secret.label} into a password input (\${input:${moved.inputId}})`, vscode.CodeActionKind.QuickFix);
        action.edit = minimalEdit(doc, before, moved.text);
      } else {
        // .mcp.json (Claude's format) has no inputs: refer to an environment variable the user sets elsewhere.
        const moved = moveSecretToEnvReference(before, secret, formatting);
        action = new vscode.CodeAction(`Replace the ${secret.label} with the environment variable \${${moved.variable}}`, vscode.CodeActionKind.QuickFix);
        action.edit = minimalEdit(doc, before, moved.text);
      }
      action.diagnostics = [diag];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}

/** Diagnostics for MCP config files: open documents as typed, and files on disk in the workspace folders. */
export function registerLiteralSecretDiagnostics(log: vscode.LogOutputChannel): vscode.Disposable[] {
  const collection = vscode.languages.createDiagnosticCollection('mcpHost.literalSecrets');
  const update = (uri: vscode.Uri, text: string): void => {
    try {
      collection.set(uri, secretDiagnostics(text, configFileOf(uri.path)?.format === 'vscode' ? 'vscode' : 'claude'));
    } catch (err) {
      log.warn(`Could not check ${uri.fsPath} for literal secrets: ${String(err)}`);
    }
  };
  const fromDisk = async (uri: vscode.Uri): Promise<void> => {
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) return; // the document wins
    try {
      update(uri, new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    } catch {
      collection.delete(uri); // gone
    }
  };
  const scanFolders = (): void => {
    for (const f of vscode.workspace.workspaceFolders ?? []) {
      for (const file of CONFIG_FILES) void fromDisk(vscode.Uri.joinPath(f.uri, ...file.segments));
    }
  };
  const watcher = vscode.workspace.createFileSystemWatcher(CONFIG_FILES_GLOB);
  const disposables: vscode.Disposable[] = [
    collection,
    watcher,
    watcher.onDidChange((u) => void fromDisk(u)),
    watcher.onDidCreate((u) => void fromDisk(u)),
    watcher.onDidDelete((u) => collection.delete(u)),
    vscode.workspace.onDidOpenTextDocument((d) => isMcpConfigFile(d.uri) && update(d.uri, d.getText())),
    vscode.workspace.onDidChangeTextDocument((e) => isMcpConfigFile(e.document.uri) && update(e.document.uri, e.document.getText())),
    vscode.workspace.onDidCloseTextDocument((d) => isMcpConfigFile(d.uri) && void fromDisk(d.uri)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => scanFolders()),
    vscode.languages.registerCodeActionsProvider(
      ['file', 'vscode-remote'].flatMap((scheme) => CONFIG_FILES.map((f) => ({ scheme, pattern: `**/${f.segments.join('/')}` }))),
      new LiteralSecretActions(),
      { providedCodeActionKinds: LiteralSecretActions.providedCodeActionKinds },
    ),
  ];
  for (const d of vscode.workspace.textDocuments) if (isMcpConfigFile(d.uri)) update(d.uri, d.getText());
  scanFolders();
  return disposables;
}
