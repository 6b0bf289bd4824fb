/**
 * Tool results as read-only documents: `mcp-result:/<server>/<tool>-<n>.<ext>` served by a content provider
 * (provider documents cannot be edited or saved over). Remembers the text editor that was active before a result
 * opened, so "Insert Result at Cursor" can put the result there.
 */
import * as vscode from 'vscode';
import { RESULT_SCHEME, RESOURCE_SCHEME } from './resourceUri';

export interface ResultEntry {
  readonly uri: vscode.Uri;
  readonly serverName: string;
  readonly toolName: string;
  /** The text the document shows. */
  readonly text: string;
  /** What "Insert Result at Cursor" inserts (the result's text without headers); defaults to `text`. */
  readonly insertText: string;
  /** What "Save Result As…" writes: the whole document, not truncated (built on demand); defaults to `text`. */
  readonly full: () => string;
}

/** Keep this many closed results around (open ones are always kept). */
const KEEP_CLOSED = 20;

export class ResultDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly entries = new Map<string, ResultEntry>();
  private readonly _onDidChange = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this._onDidChange.event;
  private readonly subs: vscode.Disposable[] = [];
  private counter = 0;
  private last: ResultEntry | undefined;
  /** The last text editor that was not one of our read-only documents. */
  private lastTarget: { uri: vscode.Uri; selections: readonly vscode.Selection[] } | undefined;

  constructor() {
    this.subs.push(
      vscode.workspace.registerTextDocumentContentProvider(RESULT_SCHEME, this),
      this._onDidChange,
      vscode.window.onDidChangeActiveTextEditor((e) => this.track(e)),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === vscode.window.activeTextEditor) this.track(e.textEditor);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.onClosed(doc)),
    );
    this.track(vscode.window.activeTextEditor);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.entries.get(uri.toString())?.text ?? 'This result is no longer available. Run the tool again.';
  }

  /** Opens a result document next to the current editor. */
  async open(
    serverName: string,
    toolName: string,
    text: string,
    language: string,
    insertText = text,
    full: () => string = () => text,
  ): Promise<{ entry: ResultEntry; editor: vscode.TextEditor }> {
    const n = ++this.counter;
    const ext = language === 'json' ? 'json' : language === 'markdown' ? 'md' : 'txt';
    const uri = vscode.Uri.from({ scheme: RESULT_SCHEME, path: `/${safeSegment(serverName)}/${safeSegment(toolName)}-${n}.${ext}` });
    const entry: ResultEntry = { uri, serverName, toolName, text, insertText, full };
    this.entries.set(uri.toString(), entry);
    this.last = entry;
    this.prune();
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== language) doc = await vscode.languages.setTextDocumentLanguage(doc, language);
    const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Active });
    return { entry, editor };
  }

  get(uri: vscode.Uri): ResultEntry | undefined {
    return this.entries.get(uri.toString());
  }

  get lastResult(): ResultEntry | undefined {
    return this.last;
  }

  /** The editor to insert into: the last ordinary text editor, shown again if it is not visible. */
  async targetEditor(): Promise<vscode.TextEditor | undefined> {
    const t = this.lastTarget;
    if (!t) return undefined;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === t.uri.toString());
    if (visible) return vscode.window.showTextDocument(visible.document, { viewColumn: visible.viewColumn, preserveFocus: false });
    try {
      const doc = await vscode.workspace.openTextDocument(t.uri);
      const editor = await vscode.window.showTextDocument(doc, { preview: false });
      editor.selections = [...t.selections];
      return editor;
    } catch {
      return undefined;
    }
  }

  private track(editor: vscode.TextEditor | undefined): void {
    if (!editor) return;
    const scheme = editor.document.uri.scheme;
    if (scheme === RESULT_SCHEME || scheme === RESOURCE_SCHEME || scheme === 'output') return;
    this.lastTarget = { uri: editor.document.uri, selections: editor.selections };
  }

  private onClosed(doc: vscode.TextDocument): void {
    if (doc.uri.scheme === RESULT_SCHEME) this.prune();
  }

  private prune(): void {
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const closed = [...this.entries.keys()].filter((k) => !open.has(k) && k !== this.last?.uri.toString());
    for (const k of closed.slice(0, Math.max(0, closed.length - KEEP_CLOSED))) this.entries.delete(k);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.entries.clear();
  }
}

/** A path segment that is readable and safe in a URI and a tab title. */
export function safeSegment(s: string): string {
  const out = s.replace(/[^\w.@-]+/g, '_').slice(0, 80);
  return out === '' || out === '.' || out === '..' ? '_' : out;
}
