/**
 * `mcpHost.insertResource`: a resource's text at every cursor of the active editor, as one undoable edit.
 * No editor -> says so (and offers to open the resource instead); binary -> refused with the reason; larger
 * than `mcpHost.insertConfirmSizeMB` -> asks first.
 *
 * Automation: `executeCommand('mcpHost.insertResource', node, { variables })` resolves to what was inserted.
 */
import * as vscode from 'vscode';
import { insertConfirmSizeMB } from '../../settings';
import { formatBytes } from '../../../core/content/language';
import { sanitizeLabel } from '../../../core/base/sanitize';
import { resourceDocument, base64Size } from '../../documents/render';
import { RESOURCE_SCHEME, RESULT_SCHEME } from '../../documents/resourceUri';
import { CommandIds } from '../ids';
import { utf8Length } from './requests';
import { readWithProgress, resolveResourceTarget, type ResourceTargetOptions } from './resolveResource';
import type { ContentServices } from './services';
import { showMessage } from '../../messages';

export interface InsertOutcome {
  readonly uri: string;
  readonly text: string;
  readonly cursors: number;
}

/** Editors we may write into: not our read-only documents, not output panes. */
export function isWritableEditor(editor: vscode.TextEditor | undefined): editor is vscode.TextEditor {
  if (!editor) return false;
  const scheme = editor.document.uri.scheme;
  return scheme !== RESOURCE_SCHEME && scheme !== RESULT_SCHEME && scheme !== 'output' && !editor.document.isClosed;
}

/**
 * Replaces every selection with `text` in one edit (one undo step). If the editor was hidden meanwhile (the
 * user switched tabs during a pick), its document is shown again with the same cursors first.
 */
export async function insertAtCursors(editor: vscode.TextEditor, text: string): Promise<boolean> {
  const selections = [...editor.selections];
  if (!vscode.window.visibleTextEditors.includes(editor)) {
    editor = await vscode.window.showTextDocument(editor.document, { preview: false });
    editor.selections = selections;
  }
  return editor.edit(
    (eb) => {
      for (const sel of selections) eb.replace(sel, text);
    },
    { undoStopBefore: true, undoStopAfter: true },
  );
}

/** Asks before inserting more than the configured size. true = go ahead. */
export async function confirmSize(bytes: number, what: string, cursors: number): Promise<boolean> {
  const limitMB = insertConfirmSizeMB();
  if (!(limitMB >= 0) || bytes * Math.max(1, cursors) <= limitMB * 1024 * 1024) return true;
  const at = cursors > 1 ? ` at ${cursors} cursors` : '';
  const choice = await showMessage('warning', 
    `${what} is ${formatBytes(bytes)}. Insert it${at}?`,
    { modal: true, detail: `Above the mcpHost.insertConfirmSizeMB setting (${limitMB} MiB). Large insertions can make the editor slow.` },
    'Insert',
  );
  return choice === 'Insert';
}

export function insertResourceCommand(s: ContentServices) {
  return async (node?: unknown, options?: ResourceTargetOptions): Promise<InsertOutcome | undefined> => {
    const editor = vscode.window.activeTextEditor;
    if (!isWritableEditor(editor)) {
      const open = 'Open Resource Instead';
      const choice = await showMessage('info', 
        'Insert Resource needs a text editor: open a file and place the cursor where the resource should go, then run it again.',
        open,
      );
      if (choice === open) await vscode.commands.executeCommand(CommandIds.openResource, node, options);
      return undefined;
    }
    const target = await resolveResourceTarget(s, node, options, 'Select a resource to insert at the cursor', 'Insert');
    if (!target) return undefined;
    const result = await readWithProgress(s, target.server, target.uri);
    if (!result) return undefined;
    const rendered = resourceDocument(result, target.uri);
    const name = `"${sanitizeLabel(target.uri, 100)}"`;
    if (rendered.binary || rendered.insertText === undefined) {
      const c = result.contents[0];
      const blob = c && typeof (c as { blob?: unknown }).blob === 'string' ? ((c as { blob: string }).blob) : '';
      const open = 'Open Resource';
      void showMessage('error', 
          `${name} is binary (${sanitizeLabel(c?.mimeType ?? 'unknown type', 60)}, ${formatBytes(base64Size(blob))}) and cannot be inserted as text. Open it to see its type and size, or save it to a file.`,
          open,
        )
        .then(async (choice) => {
          if (choice === open) await s.resources.open(target.server.id, target.uri, result);
        });
      return undefined;
    }
    const text = rendered.insertText;
    if (!(await confirmSize(utf8Length(text), `The resource ${name}`, editor.selections.length))) return undefined;
    if (editor.document.isClosed) {
      void showMessage('warning', `The editor was closed while ${name} was read; nothing was inserted. Opening it as a document instead.`);
      await s.resources.open(target.server.id, target.uri, result);
      return undefined;
    }
    const cursors = editor.selections.length;
    if (!(await insertAtCursors(editor, text))) {
      void showMessage('error', `Could not insert ${name}: the editor refused the edit (is the file read-only?).`);
      return undefined;
    }
    return { uri: target.uri, text, cursors };
  };
}
