/** Errors of the transports, with codes: callers above decide by the code, never by the message. */

/** A launch that failed before the server ran (stdio: the checks before the spawn, and the spawn itself). */
export type LaunchFailureCode =
  /** The command was not found (on PATH, or at its relative path). */
  | 'ENOENT'
  /** The command exists but cannot be executed. */
  | 'EACCES'
  /** The working directory does not exist. */
  | 'ENOCWD'
  /** The working directory is not a directory. */
  | 'ENOTDIR'
  /** The env file could not be read. */
  | 'ENVFILE'
  /** The spawn failed for another reason. */
  | 'ESPAWN';

export type TransportErrorCode =
  | LaunchFailureCode
  /** A message from the server exceeded the size limit (mcpHost.maxMessageSizeMB) and was discarded. */
  | 'overLimit'
  /** Sending while not connected (not started, or already ended). */
  | 'notConnected'
  /** The start was abandoned because the transport was closed meanwhile. */
  | 'cancelled'
  | RemoteFailureCode;

/** Failures reaching a remote server (http, sse, ws): each has its own message saying what to do. */
export type RemoteFailureCode =
  /** The host name did not resolve (DNS). */
  | 'dns'
  /** Nothing listens at the address (connection refused). */
  | 'refused'
  /** The TLS handshake failed: an untrusted, expired or mismatched certificate. */
  | 'tls'
  /** Another network failure: reset, unreachable, connect timeout. */
  | 'network'
  /** HTTP 401: the server needs authorisation. */
  | 'unauthorized'
  /** HTTP 403: the credentials do not allow this. */
  | 'forbidden'
  /** HTTP 404 on a URL (not a session): wrong URL. */
  | 'notFound'
  /** HTTP 404 on a request carrying Mcp-Session-Id: the server ended the session; initialize again. */
  | 'sessionExpired'
  /** Another HTTP 4xx status. */
  | 'httpStatus'
  /** HTTP 5xx: the server failed. */
  | 'serverError'
  /** A redirect that is not followed (to another origin; or too many). */
  | 'redirect'
  /** An answer whose Content-Type is neither JSON nor an event stream. */
  | 'contentType'
  /** A stream (SSE answer, GET stream, WebSocket) ended before the answer it was carrying. */
  | 'streamEnded'
  /** The legacy SSE transport's `endpoint` event was missing, unparsable or on another origin. */
  | 'badEndpoint'
  /** The WebSocket handshake was refused (status, or the `mcp` subprotocol not accepted). */
  | 'handshake';

/** Every RemoteFailureCode, for checking a code that came through data (a made-up error answer). */
export const REMOTE_FAILURE_CODES: ReadonlySet<string> = new Set<RemoteFailureCode>([
  'dns', 'refused', 'tls', 'network', 'unauthorized', 'forbidden', 'notFound', 'sessionExpired', 'httpStatus',
  'serverError', 'redirect', 'contentType', 'streamEnded', 'badEndpoint', 'handshake',
]);

/** A transport failure; `message` is for people, `code` for code. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: TransportErrorCode,
    /** 'unauthorized'/'forbidden' with sign-in: what the user must do ('signInNeeded', 'stepUp'). */
    readonly authRefusal?: 'signInNeeded' | 'stepUp',
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** `data.mcpHostReason` of a JSON-RPC error answer the transport made up itself (an over-long answer discarded). */
export const TRANSPORT_REASON_KEY = 'mcpHostReason';

/** The code of a transport error, or undefined for anything else. */
export function transportErrorCode(e: unknown): TransportErrorCode | undefined {
  return e instanceof TransportError ? e.code : undefined;
}
