/**
 * The protocol era each server definition spoke last time, in memory and in the Memento the adapter persists
 * (workspace state), so a legacy server is not probed on every start (basic/versioning: clients MAY persist the
 * era per server configuration and re-probe if it later fails). Keys are hashes: a definition may hold secrets.
 */
import { createHash } from 'node:crypto';
import type { Memento } from '../config/types';
import type { EraChoice, ProtocolEra } from './types';

/** The Memento keys of remembered eras start with this (the CLI persists only these). */
export const ERA_KEY_PREFIX = 'mcpHost.protocolEra.';
const PREFIX = ERA_KEY_PREFIX;

/** What is remembered about one definition. */
export interface RememberedEra {
  readonly era: ProtocolEra;
  /** The version last spoken (for the log). */
  readonly version: string;
}

export class EraMemory {
  private readonly cache = new Map<string, RememberedEra | null>();

  constructor(private readonly store: Memento) {}

  /** `fingerprint`: whatever identifies how the server is launched (the definition key); hashed before use. */
  private keyOf(fingerprint: string): string {
    return PREFIX + createHash('sha256').update(fingerprint).digest('hex').slice(0, 32);
  }

  recall(fingerprint: string): RememberedEra | undefined {
    const key = this.keyOf(fingerprint);
    let v = this.cache.get(key);
    if (v === undefined) {
      const raw = this.store.get<unknown>(key);
      const ok = typeof raw === 'object' && raw !== null && ((raw as RememberedEra).era === 'legacy' || (raw as RememberedEra).era === 'modern');
      v = ok ? { era: (raw as RememberedEra).era, version: String((raw as RememberedEra).version ?? '') } : null;
      this.cache.set(key, v);
    }
    return v ?? undefined;
  }

  remember(fingerprint: string, value: RememberedEra): void {
    const key = this.keyOf(fingerprint);
    const prev = this.recall(fingerprint);
    if (prev && prev.era === value.era && prev.version === value.version) return;
    this.cache.set(key, value);
    void this.store.update(key, { era: value.era, version: value.version });
  }

  forget(fingerprint: string): void {
    const key = this.keyOf(fingerprint);
    this.cache.set(key, null);
    void this.store.update(key, undefined);
  }
}

/**
 * The era to start with: a pin wins; a remembered legacy era skips the probe; a remembered modern era still probes
 * (the probe is the `server/discover` a modern start needs anyway, and a failed one falls back on its own).
 */
export function startingEra(pinned: EraChoice | undefined, remembered: RememberedEra | undefined): EraChoice {
  if (pinned && pinned !== 'auto') return pinned;
  return remembered?.era === 'legacy' ? 'legacy' : 'auto';
}
