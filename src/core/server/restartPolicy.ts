/**
 * Restart-on-crash with backoff, bounded: at most `maxRestarts` automatic restarts within `restartWindowMs`,
 * waiting `restartBackoffMs[n]` before the (n+1)th (the last delay repeats).
 */
import type { ServerTuning } from './tuning';

export type RestartDecision =
  /** Restart after `delayMs`; this is restart number `attempt` within the window. */
  | { readonly restart: true; readonly delayMs: number; readonly attempt: number }
  /** The server crashed `crashes` times within the window: leave it in error. */
  | { readonly restart: false; readonly crashes: number };

export class RestartPolicy {
  private times: number[] = [];

  constructor(private readonly tuning: Pick<ServerTuning, 'restartBackoffMs' | 'maxRestarts' | 'restartWindowMs'>) {}

  /** A crash happened at `now`: restart (and count it) or give up. */
  onCrash(now: number): RestartDecision {
    this.times = this.times.filter((t) => now - t < this.tuning.restartWindowMs);
    const n = this.times.length;
    if (n >= this.tuning.maxRestarts) return { restart: false, crashes: n + 1 };
    const backoff = this.tuning.restartBackoffMs;
    const delayMs = backoff[Math.min(n, backoff.length - 1)] ?? 1000;
    this.times.push(now);
    return { restart: true, delayMs, attempt: n + 1 };
  }

  /** A deliberate restart or a new configuration: crashes before it do not count. */
  reset(): void {
    this.times = [];
  }
}
