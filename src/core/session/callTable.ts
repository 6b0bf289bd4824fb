/**
 * The calls of one connection in flight, by progress token and in sending order, with one timer for the earliest
 * deadline of all of them (see ./call.ts). McpConnection owns one; what a timeout says and where warnings go stay
 * with the connection.
 */
import type { ServerRequestError } from '../protocol/errors';
import type { ProgressParams, RequestCanceller } from '../protocol/sdk';
import { Call, onDeadlineTimer, type CallOwner } from './call';
import type { RequestOptions } from './types';

/**
 * `params` with `progressToken` (and the modern era's per-request `envelope`) in its `_meta`: one copy of the params
 * per call, the caller's own `_meta` fields kept.
 */
export function withRequestMeta(
  params: Record<string, unknown> | undefined,
  token: string,
  envelope: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const meta = params?._meta;
  const base = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : undefined;
  return { ...params, _meta: envelope ? { ...base, progressToken: token, ...envelope } : { ...base, progressToken: token } };
}

/** What the table needs from its connection. */
export interface CallTableHost {
  /** The message of a timeout (an over-long answer explains it). */
  timeoutMessage(why: string, oversizedBefore: number): string;
  warn(message: string): void;
}

/** The user-facing calls: what a server's question may belong to (see ./asks/route.ts). */
const USER_METHODS: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

export class CallTable implements CallOwner {
  private readonly pending = new Map<string, Call>();
  private nextToken = 1;
  private seq = 1;
  private deadlineTimer: NodeJS.Timeout | undefined;
  /** When deadlineTimer fires (Infinity: not armed). */
  private deadlineAt = Infinity;

  constructor(
    private readonly host: CallTableHost,
    private readonly Canceller: new () => RequestCanceller,
  ) {}

  /** The sequence number the next call gets (calls sent before an over-long message began have smaller ones). */
  get nextSeq(): number {
    return this.seq;
  }

  /** A new call in the table, its first deadline armed. */
  open(method: string, timeoutMs: number, capMs: number, options: RequestOptions | undefined, oversizedBefore: number): Call {
    const token = `mcph-${this.nextToken++}`;
    const call = new Call(this, method, this.seq++, token, timeoutMs, capMs, options, oversizedBefore, this.Canceller);
    this.pending.set(token, call);
    if (call.firstDeadline < this.deadlineAt) this.armDeadlineTimer(call.firstDeadline);
    return call;
  }

  /** Progress for `token`'s call; false when no call has that token (finished, or never ours). */
  routeProgress(token: string | number, p: ProgressParams): boolean {
    const call = this.pending.get(String(token));
    call?.onProgress(p);
    return call !== undefined;
  }

  /** The calls a question of the server may belong to (see ./asks/route.ts). */
  userCalls(): Call[] {
    return [...this.pending.values()].filter((c) => USER_METHODS.has(c.method));
  }

  /** The calls sent before sequence number `seq`. */
  sentBefore(seq: number): Call[] {
    return [...this.pending.values()].filter((c) => c.seq < seq);
  }

  /** Fails every call (the connection is gone or forced closed) and stops the deadline timer. */
  failAll(error: (call: Call) => ServerRequestError): void {
    for (const call of [...this.pending.values()]) call.fail(error(call));
    this.pending.clear();
    clearTimeout(this.deadlineTimer);
    this.deadlineTimer = undefined;
    this.deadlineAt = Infinity;
  }

  /** @internal Called by Call when it settles. */
  forget(call: Call): void {
    this.pending.delete(call.token);
  }

  /**
   * One timer for the deadlines of all calls, armed for the earliest: a call only compares its first deadline with
   * it (sequential calls with the same timeout never re-arm it). Settled calls leave it armed; when it fires it
   * times out what is due and re-arms for the next deadline, if any call is left. Unref'd: while calls are pending
   * the server's pipes keep the process alive, and a stale timer must not.
   */
  private armDeadlineTimer(at: number): void {
    if (this.deadlineTimer) clearTimeout(this.deadlineTimer);
    this.deadlineAt = at;
    this.deadlineTimer = setTimeout(onDeadlineTimer, Math.max(0, at - Date.now()), this);
    this.deadlineTimer.unref?.();
  }

  /** @internal The deadline timer fired. */
  checkDeadlines(): void {
    this.deadlineTimer = undefined;
    this.deadlineAt = Infinity;
    if (this.pending.size === 0) return;
    const now = Date.now();
    let next = Infinity;
    for (const call of [...this.pending.values()]) {
      const at = call.checkDeadline(now);
      if (at < next) next = at;
    }
    if (next < this.deadlineAt) this.armDeadlineTimer(next);
  }

  /** @internal */
  timeoutMessage(why: string, oversizedBefore: number): string {
    return this.host.timeoutMessage(why, oversizedBefore);
  }

  /** @internal */
  warn(message: string): void {
    this.host.warn(message);
  }
}
