/**
 * The one way text reaches a notification, a progress report or the status bar (STYLE rule 12). VS Code turns
 * `[label](command:id?args)` in a notification or progress message into a link that runs the command, and
 * `$(name)` into an icon; messages here often hold server text (tool errors, JSON-RPC error messages, progress
 * messages, server and tool names, URIs). So every message passes through `sanitizeMessage` whole, here, and
 * lint forbids calling `vscode.window.show*Message`, `withProgress` or `setStatusBarMessage` anywhere else.
 */
import * as vscode from 'vscode';
import { sanitizeMessage } from '../core/base/sanitize';

export type MessageKind = 'info' | 'warning' | 'error';

/** A message exactly as it was handed to VS Code (after sanitising). */
export interface ShownMessage {
  readonly kind: MessageKind | 'progress' | 'status';
  readonly text: string;
}

const shown = new vscode.EventEmitter<ShownMessage>();
/** Fires for every message shown through this module: the host API passes it on for tests. */
export const onDidShowMessage: vscode.Event<ShownMessage> = shown.event;

const PROGRESS_MAX = 300;

/** A notification (or a modal dialog with `options`); resolves to the button chosen. */
export function showMessage(kind: MessageKind, message: string, ...items: string[]): Thenable<string | undefined>;
export function showMessage(kind: MessageKind, message: string, options: vscode.MessageOptions, ...items: string[]): Thenable<string | undefined>;
export function showMessage(kind: MessageKind, message: string, ...rest: (string | vscode.MessageOptions)[]): Thenable<string | undefined> {
  const text = sanitizeMessage(message);
  shown.fire({ kind, text });
  const [first] = rest;
  const items = rest.filter((r): r is string => typeof r === 'string');
  const w = vscode.window;
  if (first !== undefined && typeof first !== 'string') {
    const options: vscode.MessageOptions = { ...first, ...(first.detail !== undefined ? { detail: sanitizeMessage(first.detail) } : {}) };
    if (kind === 'error') return w.showErrorMessage(text, options, ...items);
    return kind === 'warning' ? w.showWarningMessage(text, options, ...items) : w.showInformationMessage(text, options, ...items);
  }
  if (kind === 'error') return w.showErrorMessage(text, ...items);
  return kind === 'warning' ? w.showWarningMessage(text, ...items) : w.showInformationMessage(text, ...items);
}

/** `vscode.window.withProgress` whose title and every reported message are sanitised. */
export function withProgress<R>(
  options: vscode.ProgressOptions,
  task: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<R>,
): Thenable<R> {
  const title = options.title === undefined ? undefined : sanitizeMessage(options.title, PROGRESS_MAX);
  if (title !== undefined) shown.fire({ kind: 'progress', text: title });
  return vscode.window.withProgress({ ...options, ...(title !== undefined ? { title } : {}) }, (progress, token) =>
    task(
      {
        report: (value) => {
          const message = value.message === undefined ? undefined : sanitizeMessage(value.message, PROGRESS_MAX);
          if (message !== undefined) shown.fire({ kind: 'progress', text: message });
          progress.report({ ...value, ...(message !== undefined ? { message } : {}) });
        },
      },
      token,
    ),
  );
}

/** A status bar message (which draws `$(icon)`s) for `ms` milliseconds. */
export function setStatusMessage(message: string, ms: number): vscode.Disposable {
  const text = sanitizeMessage(message, 200);
  shown.fire({ kind: 'status', text });
  return vscode.window.setStatusBarMessage(text, ms);
}
