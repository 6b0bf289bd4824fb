/** What a connection is made with: the launch, the client's identity, the answers to server questions, the era choice. */
import type { LaunchSpec, TransportFactory } from '../transport/launch';
import type { ListChangedKind } from '../protocol/sdk';
import type { ConnectionAnswers } from './asks/route';
import type { EraChoice } from './types';

export interface ConnectionOptions {
  /** How to reach the server (its logger already redacts the launch's secrets). */
  readonly spec: LaunchSpec;
  readonly clientInfo: { readonly name: string; readonly version: string };
  /**
   * Answers what the server asks (roots, elicitation, sampling): legacy server-to-client requests, and the input
   * requests of modern `input_required` results (through ./asks/modern.ts). Its capabilities are declared.
   */
  readonly answers: ConnectionAnswers;
  readonly createTransport: TransportFactory;
  readonly onListChanged: (kind: ListChangedKind) => void;
  /**
   * How long a message over `maxMessageBytes` may keep streaming (stdout blocked behind it) before the requests
   * that were pending when it began fail with the over-limit error. Default OVERFLOW_GRACE_MS.
   */
  readonly overflowGraceMs?: number;
  /** How to pick the protocol era (default 'auto': probe with server/discover, fall back to initialize). */
  readonly era?: EraChoice;
  /** How long the server/discover probe waits before the server counts as legacy. Default DEFAULT_PROBE_TIMEOUT_MS. */
  readonly probeTimeoutMs?: number;
  /** A subscribed resource changed (`notifications/resources/updated`, either era). */
  readonly onResourceUpdated?: (uri: string) => void;
  /** The log level the modern era sends in every request's `_meta` (the legacy era uses logging/setLevel). */
  readonly logLevel?: () => string | undefined;
  /** The input schema of a tool by name (for the x-mcp-header hints of HTTP transports). */
  readonly toolSchema?: (name: string) => unknown;
}
