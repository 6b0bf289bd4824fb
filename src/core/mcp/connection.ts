/**
 * One launch of a server: its process (through the stdio transport), a fresh SDK client, `initialize`, and
 * bounded requests. A connection is used once: when the process exits it is done, the server makes a new one.
 */
import type { ResolvedLaunch } from '../config/types';
import type { ProcessExit, StdioTransport, StdioTransportOptions } from '../process/types';
import { Emitter, type Event } from '../util/events';
import { LogRateLimiter, capLogLine } from '../util/logLimits';
import type { Logger } from '../util/logger';
import { ServerRequestError, UnsupportedProtocolVersionError, errorMessage } from './errors';
import { sdk } from './loadSdk';
import type { ListChangedKind, ProgressParams, RequestCanceller, SdkSession } from './sdk';
import type { RequestOptions, ServerInfo } from './types';

export type TransportFactory = (options: StdioTransportOptions) => StdioTransport;

export interface ConnectionOptions {
  readonly launch: ResolvedLaunch;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly maxMessageBytes: number;
  /** Already redacting the launch's secrets. */
  readonly logger: Logger;
  readonly clientInfo: { readonly name: string; readonly version: string };
  readonly listRoots: () => readonly { readonly uri: string; readonly name: string }[];
  readonly stopGraceMs?: { readonly afterEof: number; readonly afterTerm: number };
  readonly createTransport: TransportFactory;
  readonly onListChanged: (kind: ListChangedKind) => void;
  /**
   * How long a message over `maxMessageBytes` may keep streaming (stdout blocked behind it) before the requests
   * that were pending when it began fail with the over-limit error. Default OVERFLOW_GRACE_MS.
   */
  readonly overflowGraceMs?: number;
}

/**
 * A finite over-long message ends within this (the transport then fails exactly the request it answered);
 * one that is still streaming after it is most likely endless, and the pending requests cannot be answered
 * before it ends.
 */
export const OVERFLOW_GRACE_MS = 2000;

/** Default timeouts for requests without explicit ones. */
export interface RequestDefaults {
  readonly timeoutMs: number;
  readonly maxTotalTimeoutMs: number;
}

/** "exited with code 3" / "was killed by SIGKILL". */
export function describeExit(exit: Pick<ProcessExit, 'code' | 'signal'>): string {
  if (exit.signal) return `was killed by ${exit.signal}`;
  if (exit.code !== null) return `exited with code ${exit.code}`;
  return 'exited';
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}


export class McpConnection {
  private readonly _onDidExit = new Emitter<ProcessExit>();
  /** Fires once when the process exited (crash or stop). */
  readonly onDidExit: Event<ProcessExit> = this._onDidExit.event;

  /** Requests in flight, by their progress token (registered whether or not the token was sent). */
  private readonly pending = new Map<string, Call>();
  private nextToken = 1;
  private _exit: ProcessExit | undefined;
  private readonly exited: Promise<ProcessExit>;
  private stopping: string | undefined;
  private closeCalls = 0;
  private _info: ServerInfo | undefined;
  /** Messages discarded for exceeding maxMessageBytes so far, and the last reason (a timeout then says why). */
  private oversized = 0;
  private oversizedReason = '';
  private nextSeq = 1;
  private deadlineTimer: NodeJS.Timeout | undefined;
  /** When deadlineTimer fires (Infinity: not armed). */
  private deadlineAt = Infinity;
  private readonly Canceller: new () => RequestCanceller = sdk().RequestCanceller;
  /** An over-long message is streaming in (started, and no message arrived since). */
  private overflow: { readonly seqBefore: number; readonly since: number; timer: NodeJS.Timeout | undefined } | undefined;

  private constructor(
    private readonly transport: StdioTransport,
    private readonly session: SdkSession,
    private readonly logger: Logger,
    private readonly overflowGraceMs: number,
  ) {
    this.exited = new Promise((resolve) => {
      transport.onDidExit((exit) => {
        if (this._exit) return;
        this._exit = exit;
        this.endOverflow();
        const err = this.stopping
          ? new ServerRequestError(`the server was stopped (${this.stopping})`, 'stopped', { stderrTail: exit.stderrTail })
          : undefined;
        for (const p of [...this.pending.values()]) {
          p.fail(
            err ??
              new ServerRequestError(`the server ${describeExit(exit)} while ${p.method} was pending`, 'exited', {
                stderrTail: exit.stderrTail,
              }),
          );
        }
        this.pending.clear();
        clearTimeout(this.deadlineTimer);
        this.deadlineTimer = undefined;
        this.deadlineAt = Infinity;
        resolve(exit);
        this._onDidExit.fire(exit);
      });
    });
  }

  /** Creates the transport and the SDK client; nothing runs until `initialize()`. */
  static create(options: ConnectionOptions): McpConnection {
    const { logger } = options;
    const transport = options.createTransport({
      launch: options.launch,
      baseEnv: options.baseEnv,
      maxMessageBytes: options.maxMessageBytes,
      logger,
      ...(options.stopGraceMs ? { stopGraceMs: options.stopGraceMs } : {}),
    });
    const ref: { conn?: McpConnection } = {};
    // Log messages get the bounds of stderr lines: a flood is counted, not logged; a huge message is cut.
    const logLimiter = new LogRateLimiter((dropped, max) => logger.warn(`(${dropped} log messages not logged: the server sent more than ${max} messages/s)`));
    transport.onDidExit(() => logLimiter.dispose());
    const session = sdk().createSdkSession({
      clientInfo: options.clientInfo,
      listRoots: options.listRoots,
      onListChanged: (kind) => options.onListChanged(kind),
      onProgress: (token, p) => ref.conn?.routeProgress(token, p),
      onLogMessage: (level, text) => {
        if (!logLimiter.admit()) return;
        const line = `[server ${level}] ${capLogLine(text)}`;
        if (level === 'error' || level === 'critical' || level === 'alert' || level === 'emergency') logger.error(line);
        else if (level === 'warning') logger.warn(line);
        else if (level === 'debug') logger.debug(line);
        else logger.info(line);
      },
      onError: (e) => {
        logger.warn(`protocol: ${e.message.slice(0, 500)}`);
        ref.conn?.noteProtocolError(e);
      },
      onIncoming: () => ref.conn?.endOverflow(),
    });
    ref.conn = new McpConnection(transport, session, logger, options.overflowGraceMs ?? OVERFLOW_GRACE_MS);
    return ref.conn;
  }

  /**
   * Spawns the server and runs `initialize` within `timeoutMs`. On any failure the process is stopped (and
   * waited for) and a ServerRequestError says why (kind 'notRunning', or 'stopped' when close() was called),
   * with the stderr tail.
   */
  async initialize(timeoutMs: number): Promise<ServerInfo> {
    const transport = this.transport;
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new ServerRequestError(`did not answer initialize within ${formatSeconds(timeoutMs)}`, 'notRunning'));
        }, timeoutMs);
      });
      const exitedEarly = this.exited.then((exit): never => {
        throw this.exitedBeforeInitialize(exit);
      });
      exitedEarly.catch(() => {});
      timeout.catch(() => {});
      // The SDK's own initialize timeout stays out of the way; ours closes the process.
      const outcome = await Promise.race([this.session.connect(transport, { timeout: timeoutMs + 60_000 }), exitedEarly, timeout]);
      if (this.stopping) throw new ServerRequestError(`the server was stopped (${this.stopping})`, 'stopped');
      this._info = outcome;
      return outcome;
    } catch (e) {
      const { RpcError, connectionClosedCode } = sdk();
      let error: ServerRequestError;
      if (this.stopping) error = new ServerRequestError(`the server was stopped (${this.stopping})`, 'stopped');
      else if (e instanceof ServerRequestError) error = e;
      else if (e instanceof RpcError && e.code === connectionClosedCode) {
        const exit = await this.waitForExit(2000);
        error = exit ? this.exitedBeforeInitialize(exit) : new ServerRequestError('the connection closed before initialize', 'notRunning');
      } else if (e instanceof UnsupportedProtocolVersionError) error = new ServerRequestError(e.message, 'notRunning');
      else if (e instanceof RpcError) error = new ServerRequestError(`initialize failed: ${e.message} (code ${e.code})`, 'notRunning', { code: e.code, data: e.data });
      else error = new ServerRequestError(errorMessage(e), 'notRunning');
      if (timedOut) this.logger.error(`${error.message}: stopping its process tree`);
      await this.close('initialize failed');
      const tail = error.stderrTail ?? transport.stderrTail();
      throw new ServerRequestError(error.message, error.kind, { ...error.details, stderrTail: tail });
    } finally {
      clearTimeout(timer);
    }
  }

  get info(): ServerInfo {
    if (!this._info) throw new Error('connection not initialized');
    return this._info;
  }

  get pid(): number | undefined {
    return this._exit ? undefined : this.transport.pid;
  }

  get exit(): ProcessExit | undefined {
    return this._exit;
  }

  /** close() was called (the exit that follows is not a crash). */
  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  get isClosing(): boolean {
    return this.stopping !== undefined || this._exit !== undefined;
  }

  stderrTail(): string {
    return this.transport.stderrTail();
  }

  private exitedBeforeInitialize(exit: ProcessExit): ServerRequestError {
    return new ServerRequestError(`${describeExit(exit)} before initialize`, 'notRunning', { stderrTail: exit.stderrTail });
  }

  private async waitForExit(ms: number): Promise<ProcessExit | undefined> {
    if (this._exit) return this._exit;
    let t: NodeJS.Timeout | undefined;
    const r = await Promise.race([this.exited, new Promise<undefined>((res) => (t = setTimeout(() => res(undefined), ms)))]);
    clearTimeout(t);
    return r;
  }

  /**
   * The transport reports an over-long message as an error the moment it crosses the limit (its answer may never
   * come): remember it, and if it is still streaming after the grace period, fail the requests sent before it.
   * TODO(#6): the transport's error is recognised by its text; a structured signal (an error code or class from
   * src/core/process) would be sturdier.
   */
  noteProtocolError(e: Error): void {
    if (!/exceeded .*MiB/.test(e.message)) return;
    this.oversized++;
    this.oversizedReason = e.message.slice(0, 200);
    this.endOverflow();
    const overflow = { seqBefore: this.nextSeq, since: Date.now(), timer: undefined as NodeJS.Timeout | undefined };
    this.overflow = overflow;
    overflow.timer = setTimeout(() => {
      if (this.overflow !== overflow) return;
      overflow.timer = undefined;
      this.failBlockedByOverflow(overflow.seqBefore);
    }, this.overflowGraceMs);
    overflow.timer.unref?.();
  }

  /** A message arrived (or the process exited): whatever was over-long has ended. */
  endOverflow(): void {
    if (!this.overflow) return;
    clearTimeout(this.overflow.timer);
    this.overflow = undefined;
  }

  /** The over-long message is still streaming: the requests sent before it began cannot get their answer. */
  private failBlockedByOverflow(seqBefore: number): void {
    const blocked = [...this.pending.values()].filter((p) => p.seq < seqBefore);
    const grace = formatSeconds(this.overflowGraceMs);
    this.logger.warn(
      `The server has been writing one message beyond the limit for ${grace}: nothing else it writes on stdout can be read until that message ends` +
        (blocked.length ? `; failing ${blocked.length} pending request${blocked.length === 1 ? '' : 's'}` : '') +
        '. Restart the server if it stays unresponsive.',
    );
    for (const p of blocked) {
      p.abandon(
        new ServerRequestError(
          `${p.method} failed: a ${this.oversizedReason} and was discarded (it was probably the answer; the server was still writing it after ${grace})`,
          'invalidResponse',
        ),
      );
    }
  }

  private routeProgress(token: string | number, p: ProgressParams): void {
    const h = this.pending.get(String(token));
    if (h) h.onProgress(p);
    else this.logger.debug(`progress for an unknown or finished request (${String(token)}) ignored`);
  }

  /**
   * A request with our own timers: `timeoutMs` without an answer (reset by progress) and `maxTotalTimeoutMs`
   * overall. Timing out or cancelling sends `notifications/cancelled` (the SDK does it when its signal aborts).
   */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RequestOptions | undefined,
    defaults: RequestDefaults,
    /** Attach a progress token even without onProgress (long calls keep their timeout alive by reporting). */
    withProgressToken = true,
  ): Promise<Record<string, unknown>> {
    if (this._exit || this.stopping) {
      const why = this.stopping ? `the server was stopped (${this.stopping})` : `the server ${describeExit(this._exit!)}`;
      return Promise.reject(new ServerRequestError(why, this.stopping ? 'stopped' : 'exited', { stderrTail: this.stderrTail() }));
    }
    const signal = options?.signal;
    if (signal?.aborted) return Promise.reject(new ServerRequestError(`${method} was cancelled`, 'cancelled'));
    const timeoutMs = options?.timeoutMs ?? defaults.timeoutMs;
    const capMs = Math.max(timeoutMs, options?.maxTotalTimeoutMs ?? defaults.maxTotalTimeoutMs);
    const token = `mcph-${this.nextToken++}`;
    let fullParams = params;
    if (withProgressToken || options?.onProgress) {
      const meta = params?._meta;
      fullParams = {
        ...params,
        _meta: typeof meta === 'object' && meta !== null ? { ...(meta as Record<string, unknown>), progressToken: token } : { progressToken: token },
      };
    }
    const call = new Call(this, method, this.nextSeq++, token, timeoutMs, capMs, options, this.oversized, this.Canceller);
    this.pending.set(token, call);
    if (call.firstDeadline < this.deadlineAt) this.armDeadlineTimer(call.firstDeadline);
    this.session.send(
      method,
      fullParams,
      { signal: call.canceller, timeout: capMs + 60_000 },
      (r) => call.finish(r, undefined),
      (e: unknown) => this.onRequestError(call, e),
    );
    return call.promise;
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

  /** @internal The message of a timeout: an answer cut off for its size never arrives, say so instead of a bare timeout. */
  timeoutMessage(why: string, oversizedBefore: number): string {
    const message =
      this.oversized > oversizedBefore
        ? `${why}; meanwhile a ${this.oversizedReason} and was discarded (it may have been the answer)`
        : this.overflow
          ? `${why}; the server is still writing a message that exceeded the limit (${this.oversizedReason.replace(/^message from server /, '')}), so nothing else it sends can be read`
          : why;
    this.logger.warn(`${message}: cancelling`);
    return message;
  }

  /** @internal */
  warn(message: string): void {
    this.logger.warn(message);
  }

  private onRequestError(call: Call, e: unknown): void {
    if (call.settled) return;
    const method = call.method;
    const { RpcError, connectionClosedCode } = sdk();
    if ((e instanceof RpcError && e.code === connectionClosedCode) || (!(e instanceof RpcError) && this.isClosing)) {
      // The connection closed: say how the process ended (exit code / signal, stderr), once known.
      void this.waitForExit(2000).then((exit) => {
        const err = this.stopping
          ? new ServerRequestError(`the server was stopped (${this.stopping})`, 'stopped')
          : exit
            ? new ServerRequestError(`the server ${describeExit(exit)} while ${method} was pending`, 'exited', { stderrTail: exit.stderrTail })
            : new ServerRequestError(`the connection to the server closed while ${method} was pending`, 'exited', {
                stderrTail: this.stderrTail(),
              });
        call.finish(undefined, err);
      });
      return;
    }
    const invalidAnswer = e instanceof RpcError && (e.data as { invalidAnswer?: unknown } | undefined)?.invalidAnswer === true;
    const err =
      e instanceof RpcError && !invalidAnswer
        ? new ServerRequestError(e.message, 'rpc', { code: e.code, data: e.data })
        : new ServerRequestError(`the server sent an invalid answer to ${method}: ${errorMessage(e).replace(/\s+/g, ' ').slice(0, 300)}`, 'invalidResponse');
    call.finish(undefined, err);
  }

  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    if (this.isClosing) return;
    await this.session.notify(method, params);
  }

  /**
   * Stops the process tree; resolves when it exited. Pending requests fail with "stopped (<why>)".
   * A second call forces (SIGKILL).
   */
  async close(why: string): Promise<void> {
    this.stopping ??= why;
    if (!this._exit) {
      this.closeCalls++;
      const err = new ServerRequestError(`the server was stopped (${why})`, 'stopped');
      if (this.closeCalls === 1) {
        // Let in-flight calls finish while the server drains after EOF; fail the rest when it exits.
        await this.session.close(this.transport);
      } else {
        for (const p of [...this.pending.values()]) p.fail(err);
        await this.transport.close();
      }
    }
    // The transport resolves close() after the exit; bounded in case a process never spawned.
    if (this.transport.pid !== undefined) await this.waitForExit(1000);
  }
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
function onDeadlineTimer(conn: McpConnection): void {
  conn.checkDeadlines();
}

/**
 * One request in flight: its promise and the canceller the SDK watches. A class rather than closures: this is the
 * per-call hot path (several closures, an AbortController and two timers per call cost measurably).
 *
 * No timer of its own: the connection keeps one timer for the earliest deadline of all its calls and checks them
 * when it fires (see McpConnection.checkDeadlines); progress only records when it came.
 */
class Call {
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

  constructor(
    private readonly conn: McpConnection,
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
