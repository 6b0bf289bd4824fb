/** Errors for people (STYLE rule 7): what happened, why, what to do, and a "Show Log" action. */
import { ServerRequestError, describeError } from '../../core/protocol/errors';
import { transportErrorCode } from '../../core/transport/errors';
import type { LogChannels } from '../contracts';
import { showMessage } from '../messages';

/** The message for people; a JSON-RPC error answer keeps its code ("… (JSON-RPC error -32602)"). */
export function errorText(err: unknown): string {
  return describeError(err);
}

/**
 * A hint for the usual causes of a failed start (by the error's kind and reason, never its text), or undefined.
 * A command that is missing or not executable gets none here: the engine's error already says where it looked
 * and what to do (core/transport/stdio/spawnErrors.ts).
 */
export function startHint(err: unknown): string | undefined {
  const reason = err instanceof ServerRequestError ? err.reason : transportErrorCode(err);
  if (reason === 'initializeTimeout' || (err instanceof ServerRequestError && err.kind === 'timeout'))
    return 'The server did not answer in time: check its log, or raise mcpHost.initializeTimeoutSeconds.';
  return undefined;
}

/**
 * Shows `what` (e.g. "Could not start server 'github'"), the reason, and what to do; "Show Log" opens the
 * server's log (or the host's). Resolves when the notification is closed or acted on.
 */
export async function showError(
  logs: LogChannels,
  what: string,
  err: unknown,
  options: { readonly serverName?: string; readonly todo?: string } = {},
): Promise<void> {
  const why = errorText(err).replace(/[.\s]+$/, '');
  const todo = options.todo ?? startHint(err) ?? 'The log has the details.';
  const log = options.serverName ? logs.channel(options.serverName) : logs.host;
  log.error(`${what}: ${why}`);
  const choice = await showMessage('error', `${what}: ${why}. ${todo}`, 'Show Log');
  if (choice === 'Show Log') log.show(true);
}
