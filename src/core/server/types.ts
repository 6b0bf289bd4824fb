/**
 * The public face of one configured server, as the registry hands it to adapters.
 * Contract shared by server/, host/ and src/vscode: change only with care.
 */
import type { AuthManager, AuthState } from '../auth/manager';
import type { Disposable, Event } from '../base/events';
import type { LogLevel, ServerDefinition } from '../config/types';
import type { AskRecord } from '../session/asks/types';
import type { RequestOptions, ServerInfo } from '../session/types';
import type { ConnectionFacts } from '../transport/types';
import type { ServerState } from './state';
import type {
  CallToolResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  Tool,
} from '../protocol/sdk';

export type { RequestOptions, ServerInfo } from '../session/types';

/** The last known lists; kept while the server restarts so the UI can still show them. */
export interface ServerLists {
  readonly tools: readonly Tool[];
  readonly resources: readonly Resource[];
  readonly resourceTemplates: readonly ResourceTemplate[];
  readonly prompts: readonly Prompt[];
  /** Warnings about the lists (cursor cycle cap hit, invalid schema, tool without description, ...). */
  readonly warnings: readonly string[];
}

export const emptyLists: ServerLists = { tools: [], resources: [], resourceTemplates: [], prompts: [], warnings: [] };

/** A reference for completion/complete. */
export type CompletionRef = { type: 'ref/prompt'; name: string } | { type: 'ref/resource'; uri: string };

export interface ServerHandle {
  /** Same as definition.id. */
  readonly id: string;
  readonly name: string;
  readonly definition: ServerDefinition;
  readonly state: ServerState;
  /** Known once the server initialized at least once. */
  readonly info: ServerInfo | undefined;
  readonly lists: ServerLists;
  /** The command line as run (secrets redacted), once resolved; for tooltips and logs. */
  readonly commandLine: string | undefined;
  /** Process id of the running server, if any. */
  readonly pid: number | undefined;
  /** A remote server (no process): URL (secrets masked), session id, last error, reconnects; undefined for stdio. */
  readonly connectionFacts: ConnectionFacts | undefined;

  readonly onDidChangeState: Event<ServerState>;
  readonly onDidChangeLists: Event<ServerLists>;
  /**
   * A remote server's sign-in: the AuthManager of its URL, once a start resolved the URL and when the host offers
   * sign-in (undefined otherwise). Its state says whether the tree shows "Sign in".
   */
  readonly auth: AuthManager | undefined;
  readonly onDidChangeAuth: Event<AuthState>;

  /** Idempotent: a second call while starting waits for the first. Resolves when running; rejects with the error. */
  start(): Promise<void>;
  /** Bounded in time; a second call while stopping forces (SIGKILL). Resolves when the process exited. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** Re-list everything now (the lists also refresh on list_changed). */
  refresh(): Promise<void>;
  /** Re-list what a modern server's cache hints (`ttlMs`) say is stale; nothing for legacy servers. */
  refreshStale(): Promise<void>;

  /** Starts the server first if needed (start on first use). */
  callTool(name: string, args: Record<string, unknown>, options?: RequestOptions): Promise<CallToolResult>;
  readResource(uri: string, options?: RequestOptions): Promise<ReadResourceResult>;
  getPrompt(name: string, args: Record<string, string>, options?: RequestOptions): Promise<GetPromptResult>;
  /** completion/complete; returns [] when the server has no completions capability. */
  complete(
    ref: CompletionRef,
    argument: { name: string; value: string },
    context?: Record<string, string>,
    options?: RequestOptions,
  ): Promise<string[]>;
  ping(options?: RequestOptions): Promise<void>;

  /** What the server asked of the client so far (roots given, elicitations, samplings): for tooltips. */
  readonly asked: AskRecord;
  readonly onDidAsk: Event<AskRecord>;
  /** The log level in effect: chosen from the tree this session, else the definition's `logLevel`. */
  readonly logLevel: LogLevel | undefined;
  /** `logging/setLevel` now (starting the server first) and after each restart. */
  setLogLevel(level: LogLevel, options?: RequestOptions): Promise<void>;
  /** Subscribes to `uri` while the disposable lives (when the server supports it); see onDidUpdateResource. */
  subscribeResource(uri: string): Disposable;
  /** `notifications/resources/updated` of a subscribed resource (its URI). */
  readonly onDidUpdateResource: Event<string>;
}
