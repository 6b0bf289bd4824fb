/**
 * `mcpHost.insertToolResult` (editor title of `mcp-result:` documents): the result's text at the cursors of
 * the text editor that was active before the result opened, as one undoable edit.
 */
import * as vscode from 'vscode';
import { sanitizeLabel } from '../../../core/base/sanitize';
import { utf8Length } from './requests';
import { confirmSize, insertAtCursors } from './insertResource';
import type { ContentServices } from './services';
import { showMessage } from '../../messages';

export function insertToolResultCommand(s: ContentServices) {
  return async (arg?: unknown): Promise<boolean> => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    const entry = (uri && s.results.get(uri)) ?? s.results.lastResult;
    if (!entry) {
      void showMessage('info', 'There is no tool result to insert yet: run a tool first (MCP Host: Run Tool...).');
      return false;
    }
    const editor = await s.results.targetEditor();
    if (!editor) {
      void showMessage('info', 
        'There is no text editor to insert the result into: open a file, place the cursor, then use Insert Result at Cursor again.',
      );
      return false;
    }
    const what = `The result of "${sanitizeLabel(entry.toolName, 80)}"`;
    if (!(await confirmSize(utf8Length(entry.insertText), what, editor.selections.length))) return false;
    if (!(await insertAtCursors(editor, entry.insertText))) {
      void showMessage('error', `Could not insert ${what.toLowerCase()}: the editor refused the edit (is the file read-only?).`);
      return false;
    }
    return true;
  };
}
