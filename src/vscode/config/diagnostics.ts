/** Config problems as diagnostics on the files they belong to (settings problems show in the tree only). */
import * as vscode from 'vscode';
import type { ConfigProblem } from '../../core/config/types';

/** Line/character of an offset in a text (diagnostics are set without opening the document). */
export function positionAt(text: string, offset: number): vscode.Position {
  let line = 0;
  let lineStart = 0;
  const end = Math.max(0, Math.min(offset, text.length));
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return new vscode.Position(line, end - lineStart);
}

const severities: Record<ConfigProblem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Replaces the collection's content with these problems; `texts` maps file paths to the text that was parsed. */
export function setConfigDiagnostics(
  collection: vscode.DiagnosticCollection,
  problems: readonly ConfigProblem[],
  texts: ReadonlyMap<string, string>,
): void {
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const p of problems) {
    const file = p.source.file;
    if (!file) continue;
    const text = texts.get(file) ?? '';
    const start = positionAt(text, p.offset ?? 0);
    const end = positionAt(text, (p.offset ?? 0) + (p.length ?? 0));
    const d = new vscode.Diagnostic(new vscode.Range(start, end), p.message, severities[p.severity]);
    d.source = 'MCP Host';
    if (p.code) d.code = p.code;
    const list = byFile.get(file) ?? [];
    list.push(d);
    byFile.set(file, list);
  }
  collection.clear();
  for (const [file, diags] of byFile) collection.set(vscode.Uri.file(file), diags);
}
