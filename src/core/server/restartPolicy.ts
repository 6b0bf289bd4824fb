/**
 * Restart-on-crash with backoff, bounded: at most `maxRestarts` automatic restarts within `restartWindowMs`,
 * waiting `restartBackoffMs[n]` before the (n+1)th (the last delay repeats). CrashRestarts holds one server's count
 * and its pending restart.
 */
import { formatSeconds } from '../base/format';
import type { Logger } from '../base/logger';
import { errorMessage } from '../protocol/errors';
import { describeExit } from '../transport/types';
import type { ProcessExit } from '../transport/types';
import { errored, type ServerState } from './state';
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

/** What follows an unexpected exit: the error state to show, and the restart to schedule (if any). */
export interface CrashOutcome {
  readonly state: ServerState;
  readonly restart?: { readonly delayMs: number; readonly attempt: number };
}

/** The crash policy: no restart when it is off (or the server was removed), else the policy's decision. */
export function afterCrash(
  policy: RestartPolicy,
  tuning: Pick<ServerTuning, 'restartWindowMs'>,
  exit: ProcessExit,
  restartOnCrash: boolean,
  now: number,
): CrashOutcome {
  const what = describeExit(exit);
  if (!restartOnCrash) return { state: errored(`the server ${what}`, exit.stderrTail) };
  const decision = policy.onCrash(now);
  if (!decision.restart) {
    const why = `it crashed ${decision.crashes} times within ${formatSeconds(tuning.restartWindowMs)}, not restarting it again`;
    // gaveUp: the pickers say why instead of offering a start that would crash again.
    return { state: { kind: 'error', message: `the server ${what}; ${why}`, stderrTail: exit.stderrTail, gaveUp: true } };
  }
  const { delayMs, attempt } = decision;
  return { state: errored(`the server ${what}; restarting in ${formatSeconds(delayMs)}`, exit.stderrTail, now + delayMs), restart: { delayMs, attempt } };
}

/** One server's automatic restarts: the policy's count of crashes and the one restart that may be pending. */
export class CrashRestarts {
  private readonly policy: RestartPolicy;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly tuning: Pick<ServerTuning, 'restartBackoffMs' | 'maxRestarts' | 'restartWindowMs'>) {
    this.policy = new RestartPolicy(tuning);
  }

  /**
   * An unexpected exit: the state to show. When restarts are `enabled` and the policy allows one, `start` runs
   * after the backoff (unless cancelled first, or no longer `wanted()` then: a stop or a new start came between).
   */
  onCrash(exit: ProcessExit, enabled: boolean, log: Logger, wanted: () => boolean, start: () => Promise<void>): ServerState {
    const outcome = afterCrash(this.policy, this.tuning, exit, enabled, Date.now());
    const next = outcome.restart;
    if (next) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!wanted()) return;
        log.info(`restarting after a crash (${next.attempt} of at most ${this.tuning.maxRestarts} within ${formatSeconds(this.tuning.restartWindowMs)})`);
        start().catch((e: unknown) => log.warn(`automatic restart failed: ${errorMessage(e)}`));
      }, next.delayMs);
    }
    return outcome.state;
  }

  /** Drops the pending restart, if any. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** A deliberate restart or a new configuration: crashes before it do not count. */
  reset(): void {
    this.policy.reset();
  }
}
