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
  | 'cancelled';

/** A transport failure; `message` is for people, `code` for code. */
export class TransportError extends Error {
  constructor(
    message: string,
    readonly code: TransportErrorCode,
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
