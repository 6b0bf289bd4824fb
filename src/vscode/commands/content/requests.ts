/**
 * Shared plumbing of the content commands: bounded requests with progress and Cancel, and errors for people (with
 * "Show Log"). A server that is not running is started through ../startServer.ts (startWithFeedback).
 */
import * as vscode from 'vscode';
import { describeError } from '../../../core/protocol/errors';
import type { RequestOptions, ServerHandle } from '../../../core/server/types';
import { sanitizeLabel } from '../../../core/base/sanitize';
import type { FeatureDeps } from '../../contracts';
import { requestTimeoutsFor } from '../../settings';
import { showMessage, withProgress } from '../../messages';

/** Timeouts for one request to `server`: its own `requestTimeoutSeconds`, else the global settings. */
export function requestTimeouts(server: ServerHandle): { timeoutMs: number; maxTotalTimeoutMs: number } {
  return requestTimeoutsFor(server.definition.entry);
}

/** Request options tied to a cancellation token (token -> AbortController -> signal). Dispose when done. */
export function boundedOptions(
  server: ServerHandle,
  token: vscode.CancellationToken | undefined,
  onProgress?: RequestOptions['onProgress'],
  onAwaitingInput?: RequestOptions['onAwaitingInput'],
): { options: RequestOptions; dispose(): void } {
  const abort = new AbortController();
  const sub = token?.onCancellationRequested(() => abort.abort(new CancelledError()));
  if (token?.isCancellationRequested) abort.abort(new CancelledError());
  const options: RequestOptions = {
    signal: abort.signal,
    ...requestTimeouts(server),
    ...(onProgress ? { onProgress } : {}),
    ...(onAwaitingInput ? { onAwaitingInput } : {}),
  };
  return { options, dispose: () => sub?.dispose() };
}

/** The user cancelled: never shown as an error. */
export class CancelledError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'CancelledError';
  }
}

export function isCancellation(err: unknown, token?: vscode.CancellationToken): boolean {
  if (token?.isCancellationRequested) return true;
  if (err instanceof CancelledError) return true;
  if (err instanceof vscode.CancellationError) return true;
  return err instanceof Error && err.name === 'AbortError';
}

/**
 * Runs one bounded request in a cancellable notification that shows the server's progress messages.
 * Resolves undefined when the user cancelled; rethrows every other failure.
 */
export async function withRequestProgress<T>(
  server: ServerHandle,
  title: string,
  run: (options: RequestOptions) => Promise<T>,
): Promise<T | undefined> {
  return withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      let reported = 0;
      // The server asked the user something for this call: the notification says an input is awaited.
      const awaiting = (what: string | undefined) => progress.report({ message: what ? `${what} (asked by the server)` : '' });
      const req = boundedOptions(server, token, (p) => {
        const message = p.message ? sanitizeLabel(p.message, 120) : undefined;
        let increment: number | undefined;
        if (typeof p.total === 'number' && p.total > 0) {
          const pct = Math.min(100, Math.max(0, (p.progress / p.total) * 100));
          increment = pct - reported;
          reported = pct;
        }
        progress.report({
          ...(message !== undefined ? { message } : typeof p.total === 'number' ? { message: `${p.progress}/${p.total}` } : {}),
          ...(increment !== undefined && increment > 0 ? { increment } : {}),
        });
      }, awaiting);
      try {
        return await run(req.options);
      } catch (err) {
        if (isCancellation(err, token)) return undefined;
        throw err;
      } finally {
        req.dispose();
      }
    },
  );
}

/**
 * "<what>: <why>. <what to do>" with a "Show Log" button. Also written to the server's log channel so the log
 * tells the same story.
 */
export function showServerError(deps: FeatureDeps, server: ServerHandle, what: string, err: unknown): void {
  const why = sanitizeLabel(describeError(err), 400);
  try {
    deps.logs.channel(server.name).error(`${what}: ${why}`);
  } catch {
    // logging must never hide the message itself
  }
  void showMessage('error', `${what}: ${why}`, 'Show Log').then((choice) => {
    if (choice === 'Show Log') deps.logs.showServerLog(server.name);
  });
}

/** The server a tree node / picked item belongs to, or a message when it is gone. */
export function serverById(deps: FeatureDeps, serverId: string): ServerHandle | undefined {
  const server = deps.registry.get(serverId) ?? deps.registry.getByName(serverId);
  if (!server) void showMessage('warning', `MCP server "${sanitizeLabel(serverId, 80)}" is no longer configured.`);
  return server;
}

/** Bytes of a string as UTF-8, for size checks. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
