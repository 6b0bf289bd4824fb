/**
 * The connect step of a start (./lifecycle.ts): the launch description of the prepared launch, then one
 * McpConnection per attempt of ../session/eraConnect.ts, wired to the server's answers (roots, elicitation,
 * sampling in both eras), its list cache, its log level and its resource updates; and the log lines that say what
 * was started and what answered. Kept apart so the lifecycle reads as the sequence of steps it is.
 */
import type { ResolvedLaunch, ServerDefinition } from '../config/types';
import { definitionKey } from '../config/definitionKey';
import { redact, type Logger } from '../base/logger';
import { McpConnection } from '../session/connection';
import { ServerRequestError, errorMessage } from '../protocol/errors';
import type { ClientAnswers } from '../session/asks/handlers';
import { connectWithEra } from '../session/eraConnect';
import type { EraMemory } from '../session/eraMemory';
import type { RemoteAuth } from '../transport/http/types';
import type { ServerDeps } from './deps';
import type { ListCache } from './listCache';
import { launchSpec, type StepFailure } from './prepare';
import { errored, stopped } from './state';
import { initializeTimeoutMs } from './timeouts';
import { commandLineOf, type ServerTuning } from './tuning';
import type { ServerInfo } from './types';

/** What the connect step needs from the server it starts. */
export interface ConnectHost {
  readonly deps: ServerDeps;
  readonly tuning: ServerTuning;
  readonly log: Logger;
  readonly answers: ClientAnswers;
  readonly eras: EraMemory;
  readonly listCache: ListCache;
  /** The log level now (read for every modern request; the legacy era gets logging/setLevel after connecting). */
  logLevel(): string | undefined;
  /** `c` is the server's connection from now on (so a stop closes it while it starts). */
  setCurrent(c: McpConnection): void;
  /** Whether `c` is still the server's connection (events of an old one are dropped). */
  isCurrent(c: McpConnection): boolean;
  onResourceUpdated(uri: string): void;
  /** The sign-in of a remote launch's URL for its transport (see ./auth.ts). */
  remoteAuth(launch: ResolvedLaunch): RemoteAuth | undefined;
  /** The server cannot run until the user signs in. */
  needsSignIn(): boolean;
}

/**
 * Launches `launch`, connects in the right era and initializes (or discovers). A failure is the last attempt's, as
 * the state to show and the error to reject the start with; a stop that superseded the start ends it.
 */
export async function connectServer(
  host: ConnectHost,
  def: ServerDefinition,
  launch: ResolvedLaunch,
  superseded: () => boolean,
): Promise<{ readonly conn: McpConnection; readonly info: ServerInfo } | { readonly failure: StepFailure } | { readonly superseded: true }> {
  const { deps, tuning, listCache } = host;
  const settings = deps.settings();
  // A remote server has no working directory.
  host.log.info(`starting: ${redact(commandLineOf(launch), launch.secrets)}${launch.remote ? '' : ` (cwd ${launch.cwd})`}`);
  const spec = launchSpec(launch, deps, tuning, settings.maxMessageBytes, host.log, host.remoteAuth(launch));
  try {
    return await connectWithEra(
      {
        pinned: def.entry.protocolEra,
        memory: host.eras,
        fingerprint: definitionKey(def),
        superseded,
        log: host.log,
        make: (era) => {
          const c: McpConnection = McpConnection.create({
            spec,
            era,
            ...(tuning.eraProbeTimeoutMs !== undefined ? { probeTimeoutMs: tuning.eraProbeTimeoutMs } : {}),
            clientInfo: deps.clientInfo,
            answers: host.answers,
            logLevel: () => host.logLevel(),
            createTransport: tuning.createTransport,
            onListChanged: (kind) => listCache.onListChanged(c, kind),
            onResourceUpdated: (uri) => {
              if (host.isCurrent(c)) host.onResourceUpdated(uri);
            },
            toolSchema: (name) => listCache.lists.tools.find((t) => t.name === name)?.inputSchema,
          });
          host.setCurrent(c);
          return c;
        },
      },
      initializeTimeoutMs(def.entry, settings),
    );
  } catch (e) {
    if (superseded() || (e instanceof ServerRequestError && e.kind === 'stopped')) return { superseded: true };
    const failure = initializeFailure(e, launch.secrets);
    // Refused for lack of a sign-in: "Sign in" on the server, not an error (nothing retries until the user acts).
    return { failure: host.needsSignIn() ? { state: stopped('needsSignIn'), error: failure.error } : failure };
  }
}

/** The log line of a connection that answered initialize (or discover) `ms` after its start. */
export function connectedLine(info: ServerInfo, ms: number, pid: number | undefined): string {
  const what = `${info.era === 'modern' ? 'discovered' : 'initialized'} in ${ms} ms: ${info.serverInfo.name} ${info.serverInfo.version}`;
  return `${what} (protocol ${info.protocolVersion}, ${info.era} era, pid ${pid ?? '?'})`;
}

/** `initialize` failed: the error state (its stderr tail) and the error, with the launch's secrets redacted. */
function initializeFailure(e: unknown, secrets: readonly string[]): StepFailure {
  const err = e instanceof ServerRequestError ? e : new ServerRequestError(errorMessage(e), 'notRunning');
  return {
    state: errored(err.message, err.stderrTail ?? ''),
    error: new ServerRequestError(redact(err.message, secrets), err.kind, {
      ...err.details,
      ...(err.stderrTail !== undefined ? { stderrTail: redact(err.stderrTail, secrets) } : {}),
    }),
  };
}
