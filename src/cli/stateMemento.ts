/**
 * The CLI's Memento: everything in memory for one run (input values are never kept between runs), except the
 * protocol era each server definition spoke, which is kept in a small cache file so the next run does not probe
 * again (a legacy server that ignores `server/discover` costs the probe's timeout on every probe). The file holds
 * hashed keys and `{ era, version }` only: nothing of the definition, no secrets. A damaged or oversized file is
 * ignored; writes are atomic (temporary file + rename) so parallel runs never leave a torn file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Memento } from '../core/config/types';
import { ERA_KEY_PREFIX } from '../core/session/eraMemory';

/** A cache file larger than this is not read (it was not written by this code). */
const MAX_FILE_BYTES = 256 * 1024;
/** Definitions remembered at most; the oldest are dropped first. */
const MAX_ENTRIES = 500;

/** `$XDG_CACHE_HOME/mcp-host/protocol-eras.json` (default `~/.cache`). */
export function eraCacheFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'mcp-host', 'protocol-eras.json');
}

export class CliStateMemento implements Memento {
  private readonly memory = new Map<string, unknown>();
  private eras: Map<string, unknown> | undefined;

  constructor(private readonly file: string) {}

  get<T>(key: string): T | undefined {
    if (!key.startsWith(ERA_KEY_PREFIX)) return this.memory.get(key) as T | undefined;
    return this.loadEras().get(key) as T | undefined;
  }

  update(key: string, value: unknown): Promise<void> {
    if (!key.startsWith(ERA_KEY_PREFIX)) {
      if (value === undefined) this.memory.delete(key);
      else this.memory.set(key, value);
      return Promise.resolve();
    }
    const eras = this.loadEras();
    eras.delete(key);
    if (value !== undefined) eras.set(key, value);
    while (eras.size > MAX_ENTRIES) eras.delete(eras.keys().next().value as string);
    this.save(eras);
    return Promise.resolve();
  }

  private loadEras(): Map<string, unknown> {
    if (this.eras) return this.eras;
    this.eras = new Map();
    try {
      if (fs.statSync(this.file).size <= MAX_FILE_BYTES) {
        const data: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
        if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
          for (const [k, v] of Object.entries(data)) if (k.startsWith(ERA_KEY_PREFIX)) this.eras.set(k, v);
        }
      }
    } catch {
      // No cache yet, or one that cannot be read: start empty (the next start probes).
    }
    return this.eras;
  }

  /** Synchronous: the run may end right after the start that learnt the era. A cache that cannot be written is skipped. */
  private save(eras: Map<string, unknown>): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.writeFileSync(tmp, JSON.stringify(Object.fromEntries(eras)), { mode: 0o600 });
      fs.renameSync(tmp, this.file);
    } catch {
      fs.rmSync(tmp, { force: true });
    }
  }
}
