/**
 * One request in flight and its deadlines (see McpConnection.request): a class rather than closures, because
 * this is the per-call hot path.
 */
import { formatSeconds } from '../base/format';
import { ServerRequestError, errorMessage } from '../protocol/errors';
import type { ProgressParams, RequestCanceller } from '../protocol/sdk';
import type { RequestOptions } from './types';

/** What a call needs from its connection. */
export interface CallOwner {
  /** The call settled: drop it from the table. */
  forget(call: Call): void;
  /** The message of a timeout (an over-long answer explains it). */
  timeoutMessage(why: string, oversizedBefore: number): string;
  warn(message: string): void;
  checkDeadlines(): void;
}

/**
 * Least time between two progress reports handed to a caller: a server may report 50,000 times a second, a
 * progress notification needs ten. Reports in between are coalesced; the latest is always delivered.
 */
export const PROGRESS_INTERVAL_MS = 100;

/** Delivers a call's held-back progress report (module-level: no closure). */
function onProgressTimer(call: Call): void {
  call.flushProgress();
}

/** Fires a connection's deadline timer (module-level: no closure). */
export function onDeadlineTimer(conn: CallOwner): void {
  conn.checkDeadlines();
}

/**
 * One request in flight: its promise and the canceller the SDK watches. A class rather than closures: this is the
 * per-call hot path (several closures, an AbortController and two timers per call cost measurably).
 *
 * No timer of its own: the connection keeps one timer for the earliest deadline of all its calls and checks them
 * when it fires (see McpConnection.checkDeadlines); progress only records when it came.
 */
export class Call {
  settled = false;
  readonly promise: Promise<Record<string, unknown>>;
  readonly canceller: RequestCanceller;
  private resolve!: (r: Record<string, unknown>) => void;
  private reject!: (e: ServerRequestError) => void;
  private readonly startedAt: number;
  /** Date.now() of the last progress (or the start): silence is measured from here. */
  private lastActivity: number;
  private onAbort: (() => void) | undefined;
  /** Date.now() of the last progress handed to the caller, the report held back since, and its timer. */
  private progressDeliveredAt = -Infinity;
  private heldProgress: ProgressParams | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  /** Questions of the server to the user open for this call: while any is, silence does not time it out. */
  private awaiting = 0;
  /** Called once when the call settles (questions the server asked for it are withdrawn). */
  private onSettled: (() => void)[] | undefined;

  constructor(
    private readonly conn: CallOwner,
    readonly method: string,
    /** Order of sending (requests sent before an over-long message began may have been answered by it). */
    readonly seq: number,
    readonly token: string,
    private readonly timeoutMs: number,
    private readonly capMs: number,
    private readonly options: RequestOptions | undefined,
    private readonly oversizedBefore: number,
    Canceller: new () => RequestCanceller,
  ) {
    this.promise = new Promise<Record<string, unknown>>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.canceller = new Canceller();
    this.startedAt = this.lastActivity = Date.now();
    const signal = options?.signal;
    if (signal) {
      this.onAbort = () => {
        this.canceller.abort('cancelled by the user');
        this.finish(undefined, new ServerRequestError(`${method} was cancelled`, 'cancelled'));
      };
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  /** The first deadline: no answer within `timeoutMs`. */
  get firstDeadline(): number {
    return this.startedAt + this.timeoutMs;
  }

  /** Settles once: removes the abort listener and the connection's bookkeeping. */
  finish(result: Record<string, unknown> | undefined, error: ServerRequestError | undefined): void {
    if (this.settled) return;
    // The caller sees the last progress before the outcome (the final state of a throttled report is never lost).
    this.flushProgress();
    this.settled = true;
    if (this.onAbort) this.options?.signal?.removeEventListener('abort', this.onAbort);
    this.conn.forget(this);
    if (error) this.reject(error);
    else this.resolve(result!);
    const settled = this.onSettled;
    if (settled === undefined) return;
    this.onSettled = undefined;
    for (const f of settled) f();
  }

  /** Runs `f` when the call settles (at once if it has). */
  whenSettled(f: () => void): void {
    if (this.settled) f();
    else (this.onSettled ??= []).push(f);
  }

  /**
   * The server asked the user something for this call (`what`), or the question closed (undefined). While a
   * question is open the idle timeout waits for the user (the total cap still applies); the caller hears of it.
   */
  awaitInput(what: string | undefined): void {
    if (this.settled) return;
    this.awaiting = Math.max(0, this.awaiting + (what === undefined ? -1 : 1));
    this.lastActivity = Date.now();
    try {
      this.options?.onAwaitingInput?.(what);
    } catch (e) {
      this.conn.warn(`input listener failed: ${errorMessage(e)}`);
    }
  }

  /** The connection is gone: fail without notifying the server. */
  fail(error: ServerRequestError): void {
    this.finish(undefined, error);
  }

  /** Fail and cancel it at the server (notifications/cancelled). */
  abandon(error: ServerRequestError): void {
    this.canceller.abort(error.message);
    this.finish(undefined, error);
  }

  /** Every report keeps the call alive; the caller gets at most one per PROGRESS_INTERVAL_MS, the latest. */
  onProgress(p: ProgressParams): void {
    if (this.settled) return;
    const now = (this.lastActivity = Date.now());
    if (!this.options?.onProgress) return;
    if (this.progressTimer === undefined && now - this.progressDeliveredAt >= PROGRESS_INTERVAL_MS) {
      this.deliverProgress(p, now);
      return;
    }
    this.heldProgress = p;
    if (this.progressTimer === undefined) {
      this.progressTimer = setTimeout(onProgressTimer, this.progressDeliveredAt + PROGRESS_INTERVAL_MS - now, this);
      this.progressTimer.unref?.();
    }
  }

  /** Delivers the held-back report, if any. */
  flushProgress(): void {
    if (this.progressTimer === undefined) return;
    clearTimeout(this.progressTimer);
    this.progressTimer = undefined;
    const p = this.heldProgress;
    this.heldProgress = undefined;
    if (p && !this.settled) this.deliverProgress(p, Date.now());
  }

  private deliverProgress(p: ProgressParams, now: number): void {
    this.progressDeliveredAt = now;
    try {
      this.options?.onProgress?.(p);
    } catch (e) {
      this.conn.warn(`progress listener failed: ${errorMessage(e)}`);
    }
  }

  /**
   * Times the call out if a limit passed by `now`: `timeoutMs` since the last progress (or the start), or the
   * total cap (only when it is longer than `timeoutMs`). Returns its next deadline, Infinity once settled.
   */
  checkDeadline(now: number): number {
    if (this.settled) return Infinity;
    const { method, timeoutMs, capMs } = this;
    if (this.awaiting > 0) this.lastActivity = now;
    const idleAt = this.lastActivity + timeoutMs;
    const capAt = capMs > timeoutMs ? this.startedAt + capMs : Infinity;
    if (capAt <= now && capAt <= idleAt) {
      this.timeOut(`${method} took longer than ${formatSeconds(capMs)} (the maximum, even with progress)`);
      return Infinity;
    }
    if (idleAt <= now) {
      this.timeOut(`${method} timed out: no answer from the server within ${formatSeconds(timeoutMs)}`);
      return Infinity;
    }
    return Math.min(idleAt, capAt);
  }

  private timeOut(why: string): void {
    const message = this.conn.timeoutMessage(why, this.oversizedBefore);
    this.canceller.abort(message);
    this.finish(undefined, new ServerRequestError(message, 'timeout', { code: -32001 }));
  }
}
