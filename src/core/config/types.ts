/**
 * Shapes of server definitions as MCP Host reads them from the user's files and settings.
 * Contract shared by config/, registry, trust/ and the adapters: change only with care.
 */
import type { OAuthClientEntry } from './oauth';

/** Where a definition came from. Workspace-defined sources need workspace trust and per-server consent. */
export type ConfigSourceKind =
  | 'userSettings' // `mcpHost.servers` in user settings: the user's own, needs no consent
  | 'workspaceSettings' // `mcpHost.servers` in workspace / folder settings
  | 'folderMcpJson' // <folder>/.vscode/mcp.json (VS Code's format: servers, inputs)
  | 'rootMcpJson'; // <folder>/.mcp.json (Claude's format: mcpServers)

export interface ConfigSource {
  readonly kind: ConfigSourceKind;
  /** Absolute path of the file, or undefined for settings. */
  readonly file?: string;
  /** Absolute path of the workspace folder the source belongs to (for ${workspaceFolder}), if any. */
  readonly folder?: string;
}

export function isWorkspaceDefined(source: ConfigSource): boolean {
  return source.kind !== 'userSettings';
}

/** A problem found while reading configuration, reported as data (the adapter shows diagnostics and tree items). */
export interface ConfigProblem {
  readonly severity: 'error' | 'warning' | 'info';
  readonly source: ConfigSource;
  /** JSON path inside the file/setting, e.g. ['servers', 'github', 'args', 2]. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  /** Offset range in the file text, when known (for diagnostics). */
  readonly offset?: number;
  readonly length?: number;
  /** The server the problem belongs to, when it belongs to one. */
  readonly serverName?: string;
  /** Machine-readable code for quick fixes, e.g. 'literal-secret'. */
  readonly code?: string;
}

/** One `inputs` entry (VS Code mcp.json). */
export type InputDefinition =
  | {
      readonly type: 'promptString';
      readonly id: string;
      readonly description?: string;
      readonly default?: string;
      readonly password?: boolean;
    }
  | {
      readonly type: 'pickString';
      readonly id: string;
      readonly description?: string;
      readonly options: readonly string[];
      readonly default?: string;
    };

/** A validated server entry, still with ${...} variables unexpanded. */
export interface ServerEntry {
  readonly type: 'stdio' | 'http' | 'sse' | 'ws' | string;
  readonly command?: string;
  readonly args: readonly string[];
  /** Value null means: unset this variable for the server. Numbers are kept as strings. */
  readonly env: Readonly<Record<string, string | null>>;
  readonly envFile?: string;
  readonly cwd?: string;
  readonly url?: string;
  /** HTTP headers sent with every request to a remote server (http, sse; ws: with the upgrade request). */
  readonly headers?: Readonly<Record<string, string>>;
  /** A remote server's sign-in client (see config/oauth.ts): the secret only as a password `${input:...}`. */
  readonly oauth?: OAuthClientEntry;
  readonly disabled: boolean;
  /** MCP Host extensions (optional): per-server overrides of the global settings. */
  readonly autoStart?: boolean;
  readonly initializeTimeoutSeconds?: number;
  readonly requestTimeoutSeconds?: number;
  /**
   * What `roots/list` answers for this server instead of the workspace folders: URIs or paths (variables
   * `${workspaceFolder}`, `${userHome}`; relative to the definition's folder). `[]` gives no roots.
   */
  readonly roots?: readonly string[];
  /** Sent as `logging/setLevel` after initialize when the server supports logging. */
  readonly logLevel?: LogLevel;
  /**
   * Which MCP protocol era to speak: `auto` (default: probe with server/discover, fall back to initialize),
   * `legacy` (initialize handshake, 2025-11-25 and earlier) or `modern` (2026-07-28, no handshake).
   */
  readonly protocolEra?: 'auto' | 'legacy' | 'modern';
}

/** MCP log levels (RFC 5424 severities), least severe first. */
export const logLevels = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof logLevels)[number];

/** A named server from one source, with the inputs its source declares. */
export interface ServerDefinition {
  /** Unique across sources and stable across reloads: `${source.kind}:${source.file ?? ''}:${name}`. */
  readonly id: string;
  /** The name the user gave it (unique across sources; duplicates are problems and the later one is dropped). */
  readonly name: string;
  readonly source: ConfigSource;
  readonly entry: ServerEntry;
  /** The `inputs` declared by the same source (only mcp.json has them). */
  readonly inputs: readonly InputDefinition[];
  /**
   * Set when the entry has an error (wrong type, missing command, unknown variable, ...): the server is listed
   * so the tree can show it, but `resolveLaunch` refuses it with this message.
   */
  readonly configError?: string;
}

/** Everything read from all sources. A broken source yields problems but never hides the others. */
export interface LoadedConfig {
  readonly servers: readonly ServerDefinition[];
  readonly problems: readonly ConfigProblem[];
}

/** The launch after every variable and input was expanded: what is spawned, exactly. */
export interface ResolvedLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  /** The env entries from the definition (after expansion); null = unset. Not the full environment. */
  readonly env: Readonly<Record<string, string | null>>;
  /** Absolute path of the env file, if any. */
  readonly envFile?: string;
  /**
   * The env file's variables, read once before consent (process/envFile.ts `loadEnvFile`): what the consent
   * dialog shows and hashes is exactly what the process gets; the transport never reads the file again.
   */
  readonly envFileVariables?: Readonly<Record<string, string>>;
  /** Values that came from password inputs: redact them from every log line and tooltip. */
  readonly secrets: readonly string[];
  /** Which password input each of `secrets` came from, so the consent dialog can name it (`input:apiKey`). */
  readonly secretInputs?: readonly { readonly inputId: string; readonly value: string }[];
  /**
   * Set for a remote server (no process: `command` is '' and `args`/`env` are empty): where it is and the headers
   * sent to it, expanded.
   */
  readonly remote?: RemoteLaunch;
}

/** A remote server's expanded url and headers. */
export interface RemoteLaunch {
  /** `http`: Streamable HTTP, falling back to HTTP+SSE on a 4xx to initialize; `sse`: HTTP+SSE; `ws`: WebSocket. */
  readonly type: 'http' | 'sse' | 'ws';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The client MCP Host signs in as (`oauth` of the definition, expanded; the secret from a password input). */
  readonly oauth?: { readonly clientId: string; readonly clientSecret?: string };
}

/** Asks the user for an input value (adapter: quick input). Returns undefined when the user cancels. */
export interface InputPrompter {
  prompt(input: InputDefinition, serverName: string): Promise<string | undefined>;
}

/** Secret storage (adapter: context.secrets). Keys are opaque strings chosen by the core. */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Plain (non-secret) key-value memory (adapter: workspaceState / globalState). */
export interface Memento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Promise<void>;
}

export interface WorkspaceFolderInfo {
  readonly name: string;
  /** Absolute file system path. */
  readonly path: string;
  /** file:// URI (for MCP roots). */
  readonly uri: string;
}
