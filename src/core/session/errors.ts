/** How the session turns what the SDK rejects with into ServerRequestErrors (by class and code, never by text). */
import { ServerRequestError, UnsupportedProtocolVersionError, errorMessage, reasonOf, type ServerErrorReason } from '../protocol/errors';
import { modernErrorCodes, resourceNotFoundCodes } from '../protocol/modern';
import { sdk } from '../protocol/loadSdk';
import { describeExit, type ProcessExit } from '../transport/types';
import { REMOTE_FAILURE_CODES, TRANSPORT_REASON_KEY, transportErrorCode, type RemoteFailureCode } from '../transport/errors';

/** What a request gets once close() was called (`why` says by whom). */
export function stoppedError(why: string, stderrTail?: string): ServerRequestError {
  return new ServerRequestError(`the server was stopped (${why})`, 'stopped', stderrTail === undefined ? undefined : { stderrTail });
}

/** What a request pending when the process ended (or the connection closed, `exit` unknown) gets. */
export function exitedWhilePending(method: string, exit: ProcessExit | undefined, stderrTail: string): ServerRequestError {
  const what = exit ? `the server ${describeExit(exit)}` : 'the connection to the server closed';
  return new ServerRequestError(`${what} while ${method} was pending`, 'exited', { stderrTail });
}

/** A failed `initialize` that is not a closed connection or a stop (those need the connection's state). */
export function initializeError(e: unknown): ServerRequestError {
  const { RpcError } = sdk();
  if (e instanceof UnsupportedProtocolVersionError) return new ServerRequestError(e.message, 'notRunning', { reason: 'unsupportedProtocolVersion' });
  if (e instanceof RpcError) return new ServerRequestError(`initialize failed: ${e.message} (code ${e.code})`, 'notRunning', { code: e.code, data: e.data });
  return new ServerRequestError(errorMessage(e), 'notRunning', reasonOf(e));
}

/** A request the server answered with an error, or with something that is not an answer. */
export function answerError(e: unknown, method: string): ServerRequestError {
  const { RpcError } = sdk();
  const invalidAnswer = e instanceof RpcError && (e.data as { invalidAnswer?: unknown } | undefined)?.invalidAnswer === true;
  // A remote transport could not deliver the request (it rejected the send) or its answer (a made-up error answer).
  const code = transportErrorCode(e);
  if (code !== undefined) return new ServerRequestError(`${method} failed: ${errorMessage(e)}`, 'network', { reason: code });
  const madeUp = e instanceof RpcError ? remoteReason(e.data) : undefined;
  if (e instanceof RpcError && madeUp !== undefined) return new ServerRequestError(e.message, 'network', { reason: madeUp });
  if (e instanceof RpcError && !invalidAnswer) {
    if (e.code === modernErrorCodes.missingRequiredClientCapability) {
      const caps = capabilityNames(e.data);
      const what = caps.length ? caps.join(', ') : 'a capability it did not name';
      return new ServerRequestError(`${method} needs a client capability MCP Host did not declare: ${what}`, 'rpc', {
        code: e.code,
        data: e.data,
        reason: 'missingClientCapability',
      });
    }
    const reason = isOverLimitAnswer(e.data) ? 'overLimit' : rpcReason(e.code, method);
    return new ServerRequestError(e.message, 'rpc', { code: e.code, data: e.data, ...(reason ? { reason } : {}) });
  }
  return new ServerRequestError(`the server sent an invalid answer to ${method}: ${errorMessage(e).replace(/\s+/g, ' ').slice(0, 300)}`, 'invalidResponse');
}

/** The reason of an error answer a remote transport made up (its answer stream stopped, ...), if it is one. */
function remoteReason(data: unknown): RemoteFailureCode | undefined {
  const r = typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[TRANSPORT_REASON_KEY] : undefined;
  return typeof r === 'string' && REMOTE_FAILURE_CODES.has(r) ? (r as RemoteFailureCode) : undefined;
}

/** What a JSON-RPC error code means beyond its text (both eras' codes; resource not found was renumbered). */
function rpcReason(code: number, method: string): ServerErrorReason | undefined {
  if (method === 'resources/read' && resourceNotFoundCodes.includes(code)) return 'resourceNotFound';
  if (code === modernErrorCodes.headerMismatch) return 'headerMismatch';
  if (code === modernErrorCodes.unsupportedProtocolVersion) return 'unsupportedProtocolVersion';
  return undefined;
}

/** The capability names of a -32021 error's `data.requiredCapabilities` (an object or a list), bounded and plain. */
function capabilityNames(data: unknown): string[] {
  const req = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).requiredCapabilities : undefined;
  const names = Array.isArray(req) ? req.filter((x): x is string => typeof x === 'string') : typeof req === 'object' && req !== null ? Object.keys(req) : [];
  return names.slice(0, 8).map((n) => n.replace(/[^\w./-]/g, '').slice(0, 40)).filter(Boolean);
}

/**
 * The error answer the transport made up for a discarded over-long answer. A server could send the same marker;
 * at worst its own error is then explained as an answer over the limit.
 */
function isOverLimitAnswer(data: unknown): boolean {
  return typeof data === 'object' && data !== null && (data as Record<string, unknown>)[TRANSPORT_REASON_KEY] === 'overLimit';
}
