/**
 * What one configured server needs from its host (the registry passes it on; src/extension.ts builds it from the
 * editor's services): settings, folders, inputs, secrets, the launch gate, loggers.
 */
import type { Event } from '../base/events';
import type { Logger } from '../base/logger';
import type { InputPrompter, Memento, ResolvedLaunch, SecretStore, ServerDefinition, WorkspaceFolderInfo } from '../config/types';
import type { AuthManagers } from '../auth/services';
import type { NetworkOptions } from '../transport/http/network';
import type { StoppedReason } from './state';
import type { ElicitationPrompter, Sampler } from '../session/asks/types';

export type { WorkspaceFolderInfo } from '../config/types';

/** Global settings (the adapter reads `mcpHost.*`); per-server entry fields override some of them. */
export interface HostSettings {
  readonly autoStart: boolean;
  readonly initializeTimeoutMs: number; // default 30_000
  readonly requestTimeoutMs: number; // default 60_000, reset by progress
  readonly maxTotalTimeoutMs: number; // default 600_000: hard cap even with progress
  readonly maxMessageBytes: number; // default 256 MiB
  readonly restartOnCrash: boolean; // default true
}

export const defaultHostSettings: HostSettings = {
  autoStart: false,
  initializeTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
  maxTotalTimeoutMs: 600_000,
  maxMessageBytes: 256 * 1024 * 1024,
  restartOnCrash: true,
};

/**
 * The largest values a setting may take, whoever sets it (a workspace's settings included): a larger message cap
 * would let a hostile server's answer take the extension host's memory, and a timeout of days is no timeout.
 */
export const HOST_SETTING_LIMITS = {
  maxMessageBytes: 1024 * 1024 * 1024,
  timeoutMs: 24 * 60 * 60 * 1000,
} as const;

/** `settings` with every value within HOST_SETTING_LIMITS (the adapters' readers call it). */
export function withinLimits(settings: HostSettings): HostSettings {
  const t = (ms: number): number => Math.min(ms, HOST_SETTING_LIMITS.timeoutMs);
  return {
    ...settings,
    initializeTimeoutMs: t(settings.initializeTimeoutMs),
    requestTimeoutMs: t(settings.requestTimeoutMs),
    maxTotalTimeoutMs: t(settings.maxTotalTimeoutMs),
    maxMessageBytes: Math.min(settings.maxMessageBytes, HOST_SETTING_LIMITS.maxMessageBytes),
  };
}

/**
 * Decides whether a server may run (workspace trust, per-server consent). Implemented by the trust adapter.
 * The registry asks `blockedReason` without side effects (for the tree), and `approveLaunch` right before
 * spawning, with the fully resolved launch (this may show the consent dialog).
 */
export interface LaunchGate {
  /** Sync and side-effect free: a reason this server cannot run now without asking, e.g. 'needsWorkspaceTrust'. */
  blockedReason(def: ServerDefinition): StoppedReason | undefined;
  /** Called before every spawn of a workspace-defined server; resolves undefined to allow, or a reason to block. */
  approveLaunch(def: ServerDefinition, launch: ResolvedLaunch): Promise<StoppedReason | undefined>;
  /** Fires when trust decisions change (workspace trusted, consent reset): the registry re-evaluates servers. */
  readonly onDidChange: Event<void>;
}

export interface ServerDeps {
  readonly clientInfo: { readonly name: string; readonly version: string };
  /** The editor's environment (process.env of the extension host). */
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly userHome: string;
  readonly settings: () => HostSettings;
  readonly workspaceFolders: () => readonly WorkspaceFolderInfo[];
  readonly inputs: InputPrompter;
  readonly secrets: SecretStore;
  readonly memento: Memento;
  readonly gate: LaunchGate;
  /** One logger per server (adapter: a LogOutputChannel named "MCP Host: <name>"). */
  readonly serverLogger: (serverName: string) => Logger;
  readonly hostLogger: Logger;
  /** How remote servers are reached (the editor's proxy-aware fetch, http.proxy); default: Node's fetch, env proxies. */
  readonly network?: NetworkOptions;
  /**
   * The user-facing half of answering servers (session/asks): without a prompter the client declares no
   * elicitation capability, without a sampler no sampling. Roots are always answered.
   */
  readonly asks?: ClientAskServices;
  /**
   * Sign-in for remote servers (one AuthManager per URL). createHost makes it from `HostDeps.authServices`;
   * without it a 401 is an error that says to put a token in "headers".
   */
  readonly auth?: AuthManagers;
}

/** What the editor (or a terminal) offers for servers' questions. */
export interface ClientAskServices {
  readonly elicitation?: ElicitationPrompter;
  readonly sampler?: Sampler;
  /** Models this server may use for sampling (`mcpHost.sampling.allowedModels`); empty/undefined: any. */
  readonly samplingAllowList?: (serverName: string) => readonly string[] | undefined;
}
