/**
 * The connect step of a start (./lifecycle.ts): one McpConnection per attempt of ../session/eraConnect.ts, wired to
 * the server's answers (roots, elicitation, sampling in both eras), its list cache, its log level and its resource
 * updates. Kept apart so the lifecycle reads as the sequence of steps it is.
 */
import type { ServerDefinition } from '../config/types';
import { definitionKey } from '../config/definitionKey';
import type { Logger } from '../base/logger';
import { McpConnection } from '../session/connection';
import type { ClientAnswers } from '../session/asks/handlers';
import { connectWithEra } from '../session/eraConnect';
import type { EraMemory } from '../session/eraMemory';
import type { LaunchSpec } from '../transport/launch';
import type { ServerDeps } from './deps';
import type { ListCache } from './listCache';
import type { ServerTuning } from './tuning';
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
}

/** Connects in the right era and initializes (or discovers); rejects with the last attempt's ServerRequestError. */
export function connectServer(
  host: ConnectHost,
  def: ServerDefinition,
  spec: LaunchSpec,
  timeoutMs: number,
  superseded: () => boolean,
): Promise<{ readonly conn: McpConnection; readonly info: ServerInfo }> {
  const { deps, tuning, listCache } = host;
  return connectWithEra(
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
    timeoutMs,
  );
}
