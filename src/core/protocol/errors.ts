/**
 * Errors that requests to a server reject with. They carry what the UI needs to explain the failure
 * ("what happened, why, what to do") without parsing messages.
 */
import { transportErrorCode, type TransportErrorCode } from '../transport/errors';

export type ServerErrorKind =
  /** The server answered with a JSON-RPC error (`code`, clean `message`, optional `data`). */
  | 'rpc'
  /** No response (or progress) within the request timeout, or the hard cap was hit. */
  | 'timeout'
  /** The caller cancelled (AbortSignal). */
  | 'cancelled'
  /** The server process exited while the request was pending (crash, kill). */
  | 'exited'
  /** MCP Host stopped the server (user stop, configuration change, shutdown) while the request was pending. */
  | 'stopped'
  /** The server cannot run now (disabled, blocked by trust, unsupported type, failed to start). */
  | 'notRunning'
  /** The server sent something that is not a valid answer. */
  | 'invalidResponse'
  /** A remote server could not be reached for this request (network, HTTP status, stream stopped): `reason` says which. */
  | 'network';

/** A more precise cause than the kind, for callers that explain or recover (never read the message for it). */
export type ServerErrorReason =
  /** The transport failed: a launch failure (ENOENT, EACCES, ...), a message over the limit, ... */
  | TransportErrorCode
  /** The server did not answer `initialize` in time. */
  | 'initializeTimeout'
  /** The server speaks a protocol version MCP Host does not. */
  | 'unsupportedProtocolVersion'
  /** A modern server refused (-32022) the very protocol version it lists as supported, on a retry too. */
  | 'versionRefused'
  /** The server exited when probed with `server/discover` (a legacy server that allows nothing before initialize). */
  | 'exitedOnProbe'
  /** A pinned modern server did not answer `server/discover` as a modern server. */
  | 'notModern'
  /** The server asked (`input_required`) for input MCP Host did not declare: elicitation or sampling without a prompter. */
  | 'inputNotSupported'
  /** An `input_required` input request was refused or could not be answered (declined, no model, invalid request, ...). */
  | 'inputRefused'
  /** The server kept answering `input_required` beyond the round limit. */
  | 'tooManyInputRounds'
  /** -32021: the request needs a client capability MCP Host did not declare (`data.requiredCapabilities`). */
  | 'missingClientCapability'
  /** -32020: the HTTP headers did not match the body. */
  | 'headerMismatch'
  /** resources/read: -32002 (up to 2025-11-25) or -32602 (2026-07-28). */
  | 'resourceNotFound';

/** A failed request or start: `kind` says why (and `reason` more precisely); `message` is for people. */
export class ServerRequestError extends Error {
  override readonly name = 'ServerRequestError';
  constructor(
    message: string,
    readonly kind: ServerErrorKind,
    readonly details: {
      /** JSON-RPC error code (kind 'rpc'; -32001 for timeouts). */
      readonly code?: number;
      readonly data?: unknown;
      /** Last stderr lines of the server (kind 'exited' / 'notRunning'). */
      readonly stderrTail?: string;
      readonly reason?: ServerErrorReason;
    } = {},
  ) {
    super(message);
  }

  get code(): number | undefined {
    return this.details.code;
  }

  get stderrTail(): string | undefined {
    return this.details.stderrTail;
  }

  get reason(): ServerErrorReason | undefined {
    return this.details.reason;
  }
}

/** A JSON-RPC error answer (or an SDK-level failure mapped to a code), with the SDK's prefixes removed. */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** The server answered `initialize` with a protocol version this host cannot speak. */
export class UnsupportedProtocolVersionError extends Error {
  override readonly name = 'UnsupportedProtocolVersionError';
  constructor(
    readonly serverVersion: string,
    readonly supportedVersions: readonly string[],
  ) {
    super(
      `the server speaks MCP protocol version ${serverVersion}, which MCP Host does not support ` +
        `(MCP Host speaks ${supportedVersions.join(', ')}); update the server or MCP Host`,
    );
  }
}

/** "MCP error -32602: MCP error -32602: Resource x not found" -> "Resource x not found". */
export function cleanRpcMessage(message: string): string {
  let m = message;
  for (;;) {
    const next = m.replace(/^\s*MCP error -?\d+:\s*/, '');
    if (next === m) return m.trim() || 'unknown error';
    m = next;
  }
}

/**
 * The text to show people for a failed request: the message, plus the JSON-RPC code when the server answered
 * with an error ("widget 42 does not exist (JSON-RPC error -32602)").
 */
export function describeError(e: unknown): string {
  if (e instanceof ServerRequestError && e.kind === 'rpc' && e.code !== undefined) return `${e.message} (JSON-RPC error ${e.code})`;
  return errorMessage(e);
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The reason a lower layer's error carries (a transport error's code), if any. */
export function reasonOf(e: unknown): { readonly reason?: ServerErrorReason } {
  if (e instanceof ServerRequestError) return e.reason !== undefined ? { reason: e.reason } : {};
  const code = transportErrorCode(e);
  return code !== undefined ? { reason: code } : {};
}
