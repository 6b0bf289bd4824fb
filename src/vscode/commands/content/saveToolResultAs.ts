/**
 * `mcpHost.saveToolResultAs` (editor title of `mcp-result:` documents): the whole result to a file the user
 * picks. The document shows at most 5 MB (File > Save As would save only that); this writes everything, as the
 * server sent it (JSON re-indented like the document), as UTF-8.
 *
 * Automation: `executeCommand('mcpHost.saveToolResultAs', resultUri, { target: fileUri })` skips the dialog.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../../core/content/language';
import { sanitizeLabel } from '../../../core/base/sanitize';
import { describeError } from '../../../core/protocol/errors';
import type { ContentServices } from './services';
import { setStatusMessage, showMessage } from '../../messages';

export interface SaveToolResultOptions {
  readonly target?: vscode.Uri;
}

export function saveToolResultAsCommand(s: ContentServices) {
  return async (arg?: unknown, options?: SaveToolResultOptions): Promise<vscode.Uri | undefined> => {
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    const entry = uri ? s.results.get(uri) : s.results.lastResult;
    if (!entry) {
      void showMessage('info', 
        uri ? 'This result is no longer available: run the tool again, then save it.' : 'There is no tool result to save yet: run a tool first (MCP Host: Run Tool...).',
      );
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = path.posix.basename(entry.uri.path);
    const target =
      options?.target ??
      (await vscode.window.showSaveDialog({
        title: `Save the result of "${sanitizeLabel(entry.toolName, 80)}" As`,
        saveLabel: 'Save',
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      }));
    if (!target) return undefined;
    let bytes: Buffer;
    try {
      bytes = Buffer.from(entry.full(), 'utf8');
      await vscode.workspace.fs.writeFile(target, bytes);
    } catch (err) {
      void showMessage('error', `Could not save the result to ${sanitizeLabel(target.fsPath, 120)}: ${describeError(err)}`);
      return undefined;
    }
    setStatusMessage(`Saved ${sanitizeLabel(path.posix.basename(target.path), 80)} (${formatBytes(bytes.length)})`, 3000);
    return target;
  };
}
