/**
 * Contract between process/ (spawning, framing, stopping) and mcp/ (the SDK session).
 * The transport below is structurally compatible with the SDK's `Transport` interface without importing the SDK
 * (only src/core/mcp/sdk.ts may import it).
 */
import type { Event } from '../util/events';
import type { Logger } from '../util/logger';
import type { ResolvedLaunch } from '../config/types';

/** A parsed JSON-RPC message; the SDK validates its shape. */
export type JsonRpcMessage = Record<string, unknown>;

/** How a server process ended. */
export interface ProcessExit {
  /** Exit code, or null when killed by a signal. */
  readonly code: number | null;
  /** Signal name such as 'SIGKILL', or null. */
  readonly signal: string | null;
  /** Last lines the server wrote to stderr (bounded). */
  readonly stderrTail: string;
  /** True when MCP Host asked it to stop (not a crash). */
  readonly expected: boolean;
}

export interface StdioTransportOptions {
  readonly launch: ResolvedLaunch;
  /** Base environment (the editor's process.env); editor-internal variables are removed by the transport. */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** Largest single message accepted, in bytes; a larger one is an error (connection closed with a clear reason). */
  readonly maxMessageBytes: number;
  /** Server log (stderr lines at info, traffic at trace). */
  readonly logger: Logger;
  /** Grace periods for stop(): after stdin EOF, then after SIGTERM (ms). */
  readonly stopGraceMs?: { readonly afterEof: number; readonly afterTerm: number };
}

/**
 * A server's child process speaking newline-delimited JSON-RPC on stdio.
 * Implements the SDK's Transport shape: start/send/close/onmessage/onerror/onclose.
 */
export interface StdioTransport {
  start(): Promise<void>;
  send(message: JsonRpcMessage): Promise<void>;
  /** Stops the process tree (EOF, SIGTERM to the group, SIGKILL); resolves when it exited. A second call forces. */
  close(): Promise<void>;
  onmessage?: (message: JsonRpcMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  readonly pid: number | undefined;
  /** The cgroup holding the server's processes (Linux, where the system allows one), for orphan records. */
  readonly cgroupDir?: string | undefined;
  /** Fires once when the process has exited (also after close()). */
  readonly onDidExit: Event<ProcessExit>;
  /** The last stderr lines (bounded). */
  stderrTail(): string;
}
