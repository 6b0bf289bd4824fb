/**
 * createHost with terminal services: loggers to stderr, `${input:...}` from flags, the environment or the
 * terminal, nothing remembered between runs (in-memory stores), and a launch gate that lets workspace-defined
 * servers run only with --trust-workspace. Servers do not restart after a crash: a one-shot command reports it.
 */
import * as os from 'node:os';
import { Emitter } from '../core/base/events';
import type { AuthServices } from '../core/auth/services';
import type { Logger } from '../core/base/logger';
import { isWorkspaceDefined, type InputPrompter, type ServerDefinition } from '../core/config/types';
import { createHost, type Host } from '../core/host/createHost';
import { defaultHostSettings, type HostSettings, type LaunchGate } from '../core/host/types';
import type { ClientAskServices } from '../core/server/deps';
import type { StoppedReason } from '../core/server/state';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MemorySecretStore } from './auth';
import { CliStateMemento, eraCacheFile } from './stateMemento';

export interface CliHostOptions {
  readonly version: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  readonly trustWorkspace: boolean;
  /** Definitions from the user's own sources: never gated. */
  readonly userLevel: ReadonlySet<string>;
  readonly inputs: InputPrompter;
  readonly serverLogger: (name: string) => Logger;
  readonly hostLogger: Logger;
  /** Sign-in to remote servers (src/cli/auth.ts). */
  readonly authServices?: AuthServices;
  /** Answers to servers' questions (src/cli/asks.ts). */
  readonly asks?: ClientAskServices;
}

/** The gate of the CLI: the decision is the --trust-workspace flag, asked of nobody. */
export class CliGate implements LaunchGate {
  private readonly emitter = new Emitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly trustWorkspace: boolean,
    private readonly userLevel: ReadonlySet<string>,
  ) {}

  blockedReason(def: ServerDefinition): StoppedReason | undefined {
    return !this.trustWorkspace && isWorkspaceDefined(def.source) && !this.userLevel.has(def.id) ? 'needsWorkspaceTrust' : undefined;
  }

  approveLaunch(def: ServerDefinition): Promise<StoppedReason | undefined> {
    return Promise.resolve(this.blockedReason(def));
  }
}

/** How long a server may take to exit after stdin EOF, then after SIGTERM (ms). */
export const CLI_STOP_GRACE_MS = { afterEof: 100, afterTerm: 2000 } as const;

/** The settings of one run: --timeout bounds the start and each request (progress does not extend it). */
export function cliSettings(timeoutMs: number | undefined): HostSettings {
  return {
    ...defaultHostSettings,
    autoStart: false,
    restartOnCrash: false,
    ...(timeoutMs !== undefined ? { initializeTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs, maxTotalTimeoutMs: timeoutMs } : {}),
  };
}

export function createCliHost(o: CliHostOptions): { host: Host; gate: CliGate } {
  const gate = new CliGate(o.trustWorkspace, o.userLevel);
  const settings = cliSettings(o.timeoutMs);
  const folder = { name: path.basename(o.cwd) || o.cwd, path: o.cwd, uri: pathToFileURL(o.cwd).toString() };
  // No processRecordDir: a one-shot command stops its servers on exit and on Ctrl+C; records on disk would cost
  // every run a write for the rare SIGKILL, after which a stdio server sees EOF on stdin and exits anyway.
  const host = createHost(
    {
      clientInfo: { name: 'mcp-host', version: o.version },
      baseEnv: o.env,
      userHome: os.homedir(),
      settings: () => settings,
      workspaceFolders: () => [folder],
      inputs: o.inputs,
      secrets: new MemorySecretStore(),
      memento: new CliStateMemento(eraCacheFile(o.env)),
      gate,
      serverLogger: o.serverLogger,
      hostLogger: o.hostLogger,
      ...(o.authServices ? { authServices: o.authServices } : {}),
      ...(o.asks ? { asks: o.asks } : {}),
    },
    // A one-shot command waits for nothing after its answer: a server that ignores EOF on stdin (server-everything
    // does) gets SIGTERM after 100 ms instead of the editor's 1 s. SIGKILL still follows 2 s later.
    { stopGraceMs: CLI_STOP_GRACE_MS },
  );
  return { host, gate };
}
