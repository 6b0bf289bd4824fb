/**
 * An untitled markdown document the transcript streams into: the whole text is replaced on each change, at most
 * every 150 ms and one edit at a time, so a fast stream does not queue edits. The user can save it.
 */
import * as vscode from 'vscode';

export class StreamingDocument {
  private pending: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly document: vscode.TextDocument) {}

  static async open(content: string): Promise<StreamingDocument> {
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(document, { preview: false });
    return new StreamingDocument(document);
  }

  /** Shows `text` soon (later calls win). */
  set(text: string): void {
    this.pending = text;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.write());
    }, 150);
  }

  /** Shows `text` now and resolves when it is in the document. */
  async flush(text: string): Promise<void> {
    this.pending = text;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.writing = this.writing.then(() => this.write());
    await this.writing;
  }

  private async write(): Promise<void> {
    const text = this.pending;
    this.pending = undefined;
    if (text === undefined || this.document.isClosed || text === this.document.getText()) return;
    const edit = new vscode.WorkspaceEdit();
    edit.replace(this.document.uri, new vscode.Range(0, 0, this.document.lineCount, 0), text);
    await vscode.workspace.applyEdit(edit);
  }
}
