/**
 * Starting a connection with the right protocol era, so the user never sees the era question: a pinned era is
 * used as is; otherwise the remembered one (./eraMemory.ts) or the probe decides. Two recoveries, each at most once
 * per start: a legacy server that exits when probed is started again in legacy mode, and a server remembered as
 * legacy that now refuses `initialize` is probed afresh (it may have become modern).
 */
import type { Logger } from '../base/logger';
import { ServerRequestError } from '../protocol/errors';
import type { McpConnection } from './connection';
import { startingEra, type EraMemory } from './eraMemory';
import type { EraChoice, ServerInfo } from './types';

export interface EraConnectDeps {
  /** The definition's `protocolEra`, if set. */
  readonly pinned: EraChoice | undefined;
  readonly memory: EraMemory;
  /** Identifies the definition in the memory (hashed there). */
  readonly fingerprint: string;
  /** Makes a connection speaking `era` (the caller makes it current, so a stop can close it). */
  make(era: EraChoice): McpConnection;
  /** A stop or a new definition superseded this start: no second attempt. */
  superseded(): boolean;
  readonly log: Logger;
}

/** Connects and initializes (or discovers); rejects with the ServerRequestError of the last attempt. */
export async function connectWithEra(d: EraConnectDeps, timeoutMs: number): Promise<{ readonly conn: McpConnection; readonly info: ServerInfo }> {
  const pinned = d.pinned && d.pinned !== 'auto' ? d.pinned : undefined;
  const remembered = pinned ? undefined : d.memory.recall(d.fingerprint);
  let era = startingEra(pinned, remembered);
  for (let attempt = 0; ; attempt++) {
    const conn = d.make(era);
    try {
      const info = await conn.initialize(timeoutMs);
      if (!pinned) d.memory.remember(d.fingerprint, { era: info.era, version: info.protocolVersion });
      return { conn, info };
    } catch (e) {
      if (attempt > 0 || pinned || d.superseded() || !(e instanceof ServerRequestError)) throw e;
      if (era === 'auto' && e.reason === 'exitedOnProbe') {
        // Also a server that exits at start whatever it is sent: its second start fails the same way and says so.
        d.log.info(`the server ${e.message} (a legacy server may allow nothing before initialize); starting it again in legacy mode`);
        era = 'legacy';
        continue;
      }
      const refused = e.code !== undefined || e.reason === 'unsupportedProtocolVersion';
      if (era === 'legacy' && remembered?.era === 'legacy' && refused) {
        d.log.info(`the server was remembered as legacy but refused initialize (${e.message}); probing its protocol era again`);
        d.memory.forget(d.fingerprint);
        era = 'auto';
        continue;
      }
      throw e;
    }
  }
}
