/**
 * The transport seam: what every transport (stdio, http, sse, ws) gives the session above
 * it. A transport is structurally the SDK's `Transport` without importing the SDK (only src/core/protocol/sdk.ts
 * may), plus how it ended and a bounded tail of what the server wrote outside the protocol.
 */
import type { Event } from '../base/events';
import type { Logger } from '../base/logger';
import type { TransportErrorCode } from './errors';

/** A parsed JSON-RPC message; the SDK validates its shape. */
export type JsonRpcMessage = Record<string, unknown>;

/** How a server's transport ended (for stdio: how its process exited). */
export interface ProcessExit {
  /** Exit code, or null when killed by a signal (or when the transport has no process). */
  readonly code: number | null;
  /** Signal name such as 'SIGKILL', or null. */
  readonly signal: string | null;
  /** Last lines the server wrote outside the protocol (stdio: stderr), bounded. */
  readonly stderrTail: string;
  /** True when MCP Host asked it to stop (not a crash). */
  readonly expected: boolean;
  /** A transport without a process (remote): why the connection ended, for people ("lost its session (HTTP 404)"). */
  readonly description?: string;
  /** A transport without a process: the code of the failure that ended it (e.g. 'sessionExpired'). */
  readonly reason?: TransportErrorCode;
}

/** "exited with code 3" / "was killed by SIGKILL" / a remote transport's description. */
export function describeExit(exit: Pick<ProcessExit, 'code' | 'signal' | 'description'>): string {
  if (exit.description) return exit.description;
  if (exit.signal) return `was killed by ${exit.signal}`;
  if (exit.code !== null) return `exited with code ${exit.code}`;
  return 'exited';
}

/** What every launch description carries, whatever the transport. */
export interface TransportOptions {
  /** Largest single message accepted, in bytes; a larger one is reported with the code 'overLimit'. */
  readonly maxMessageBytes: number;
  /** Server log (diagnostics at info, traffic at trace). */
  readonly logger: Logger;
}

/**
 * A message transport to one server. Implements the SDK's Transport shape: start/send/close/onmessage/onerror/
 * onclose. Errors passed to `onerror` and thrown by `start` carry a code (see TransportError).
 */
export interface MessageTransport {
  start(): Promise<void>;
  /** `options.headers`: per-message header hints (modern-era HTTP headers); transports without headers ignore them. */
  send(message: JsonRpcMessage, options?: SendOptions): Promise<void>;
  /** Stops the server (stdio: its process tree); resolves when it ended. A second call forces. */
  close(): Promise<void>;
  onmessage?: (message: JsonRpcMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  /** The local process id, for a transport that runs one (stdio); undefined otherwise or once it ended. */
  readonly pid: number | undefined;
  /** Fires once when the transport ended (also after close()). */
  readonly onDidExit: Event<ProcessExit>;
  /** The last lines the server wrote outside the protocol (stdio: stderr), bounded; '' when there are none. */
  stderrTail(): string;
  /**
   * Told the protocol version negotiated by initialize (the SDK calls it): HTTP transports send it as the
   * MCP-Protocol-Version header on every later request.
   */
  setProtocolVersion?(version: string): void;
  /** A remote transport's connection facts for the UI (a server without a process shows these instead of a pid). */
  connectionFacts?(): ConnectionFacts | undefined;
  /** True for a transport that sends headers (HTTP): the session then computes header hints for every message. */
  readonly wantsHeaderHints?: boolean;
  /**
   * True for a transport on which every request gets an answer of its own (Streamable HTTP: the response to its POST),
   * so silence is a slow server, not a legacy one: the era probe waits for the answer (the start timeout bounds it).
   */
  readonly answersEveryRequest?: boolean;
}

/** Per-message options of MessageTransport.send. */
export interface SendOptions {
  /** Header hints of a modern-era request (MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-*). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** What a remote connection is like now; every text is already redacted (no secret in the URL or error). */
export interface ConnectionFacts {
  /** 'Streamable HTTP', 'HTTP+SSE (legacy)' or 'WebSocket'. */
  readonly transport: string;
  /** The URL with password-input values and URL credentials masked. */
  readonly url: string;
  /** The Mcp-Session-Id the server gave, if any. */
  readonly sessionId?: string;
  /** The last network or HTTP failure, if any (the connection may have recovered since). */
  readonly lastError?: string;
  /** How many times a dropped stream was reopened. */
  readonly reconnects: number;
}
