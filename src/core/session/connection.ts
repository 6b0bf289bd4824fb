/**
 * One launch of a server: its transport (made from a launch description), a fresh SDK client, `initialize`, and
 * bounded requests. A connection is used once: when the transport ends it is done, the server makes a new one.
 */
import type { LaunchSpec, TransportFactory } from '../transport/launch';
import { describeExit, type MessageTransport, type ProcessExit } from '../transport/types';
import { Call, onDeadlineTimer } from './call';
import { OVERFLOW_GRACE_MS, OverflowWatch } from './overflow';
import { Emitter, type Event } from '../base/events';
import { formatSeconds } from '../base/format';
import type { Logger } from '../base/logger';
import { ServerRequestError } from '../protocol/errors';
import { answerError, initializeError } from './errors';
import { sdk } from '../protocol/loadSdk';
import type { ListChangedKind, ProgressParams, RequestCanceller } from '../protocol/sdk';
import { DEFAULT_PROBE_TIMEOUT_MS } from './eraProbe';
import { handshake, type ProtocolSession } from './handshake';
import { rootsOnlyAnswerer, type InputAnswerer } from './inputAnswers';
import type { ModernSession } from './modernSession';
import { createLegacySession, createModernSession, type SessionHooks } from './sessionFactory';
import type { SubscriptionFilter } from './subscriptions';
import type { EraChoice, RequestDefaults, RequestOptions, ServerInfo } from './types';


export interface ConnectionOptions {
  /** How to reach the server (its logger already redacts the launch's secrets). */
  readonly spec: LaunchSpec;
  readonly clientInfo: { readonly name: string; readonly version: string };
  readonly listRoots: () => readonly { readonly uri: string; readonly name: string }[];
  readonly createTransport: TransportFactory;
  readonly onListChanged: (kind: ListChangedKind) => void;
  /**
   * How long a message over `maxMessageBytes` may keep streaming (stdout blocked behind it) before the requests
   * that were pending when it began fail with the over-limit error. Default OVERFLOW_GRACE_MS.
   */
  readonly overflowGraceMs?: number;
  /** How to pick the protocol era (default 'auto': probe with server/discover, fall back to initialize). */
  readonly era?: EraChoice;
  /** How long the server/discover probe waits before the server counts as legacy. Default DEFAULT_PROBE_TIMEOUT_MS. */
  readonly probeTimeoutMs?: number;
  /** Answers input requests of modern `input_required` results. Default: roots only (see ./inputAnswers.ts). */
  readonly answerer?: InputAnswerer;
  /** A subscribed resource changed (modern `notifications/resources/updated`). */
  readonly onResourceUpdated?: (uri: string) => void;
  /** The input schema of a tool by name (for the x-mcp-header hints of HTTP transports). */
  readonly toolSchema?: (name: string) => unknown;
}

export { OVERFLOW_GRACE_MS } from './overflow';
export type { RequestDefaults } from './types';

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
  private nextSeq = 1;
  private deadlineTimer: NodeJS.Timeout | undefined;
  /** When deadlineTimer fires (Infinity: not armed). */
  private deadlineAt = Infinity;
  private readonly Canceller: new () => RequestCanceller = sdk().RequestCanceller;
  private readonly overflow: OverflowWatch;
  /** The session of the era found by the handshake (undefined before it). */
  private session: ProtocolSession | undefined;
  private modern: ModernSession | undefined;
  /** What runs now: an exit while probing is reported with reason 'exitedOnProbe'. */
  private phase: 'probe' | 'initialize' = 'initialize';

  private constructor(
    private readonly transport: MessageTransport,
    private readonly options: ConnectionOptions,
    private readonly logger: Logger,
    overflowGraceMs: number,
  ) {
    this.overflow = new OverflowWatch(overflowGraceMs, (seqBefore) => this.failBlockedByOverflow(seqBefore));
    this.exited = new Promise((resolve) => {
      transport.onDidExit((exit) => {
        if (this._exit) return;
        this._exit = exit;
        this.overflow.end();
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

  /** Creates the transport; nothing runs until `initialize()`. */
  static create(options: ConnectionOptions): McpConnection {
    const transport = options.createTransport(options.spec);
    return new McpConnection(transport, options, options.spec.logger, options.overflowGraceMs ?? OVERFLOW_GRACE_MS);
  }

  private onProtocolError(e: Error): void {
    this.logger.warn(`protocol: ${e.message.slice(0, 500)}`);
    this.noteProtocolError(e);
  }

  private hooks(): SessionHooks {
    return {
      logger: this.logger,
      onProgress: (token, p) => this.routeProgress(token, p),
      onProtocolError: (e) => this.onProtocolError(e),
      onIncoming: () => this.endOverflow(),
    };
  }

  /**
   * Opens a `subscriptions/listen` stream (modern era only) and resolves with what the server acknowledged.
   * Returns a function that closes the stream again.
   */
  async listen(filter: SubscriptionFilter, timeoutMs: number): Promise<{ readonly acknowledged: SubscriptionFilter; readonly close: () => void } | undefined> {
    const m = this.modern;
    if (!m || this.isClosing) return undefined;
    const stream = m.listen(filter, timeoutMs);
    const acknowledged = await stream.acknowledged;
    return { acknowledged, close: () => m.subscriptions.close(stream.id) };
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
          reject(new ServerRequestError(`did not answer initialize within ${formatSeconds(timeoutMs)}`, 'notRunning', { reason: 'initializeTimeout' }));
        }, timeoutMs);
      });
      const exitedEarly = this.exited.then((exit): never => {
        throw this.exitedBeforeInitialize(exit);
      });
      exitedEarly.catch(() => {});
      timeout.catch(() => {});
      const o = this.options;
      const answerer = o.answerer ?? rootsOnlyAnswerer(o.listRoots);
      const started = handshake(transport, {
        era: o.era ?? 'auto',
        probeTimeoutMs: Math.min(o.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS, timeoutMs),
        clientInfo: o.clientInfo,
        answerer,
        legacy: () => (this.session = createLegacySession(o, this.hooks())),
        modern: (version) => (this.session = this.modern = createModernSession(transport, o, this.hooks(), version, answerer)),
        onPhase: (phase) => (this.phase = phase),
        log: (m) => this.logger.info(m),
        // The SDK's own initialize timeout stays out of the way; ours closes the process.
        sdkTimeoutMs: timeoutMs + 60_000,
      });
      const outcome = await Promise.race([started, exitedEarly, timeout]);
      if (this.stopping) throw new ServerRequestError(`the server was stopped (${this.stopping})`, 'stopped');
      this._info = outcome.info;
      return outcome.info;
    } catch (e) {
      const { RpcError, connectionClosedCode } = sdk();
      let error: ServerRequestError;
      if (this.stopping) error = new ServerRequestError(`the server was stopped (${this.stopping})`, 'stopped');
      else if (e instanceof ServerRequestError) error = e;
      else if (e instanceof RpcError && e.code === connectionClosedCode) {
        const exit = await this.waitForExit(2000);
        error = exit ? this.exitedBeforeInitialize(exit) : new ServerRequestError('the connection closed before initialize', 'notRunning');
      } else error = initializeError(e);
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

  /** The transport sends headers (HTTP): header hints are computed, and tools with invalid ones are left out. */
  get sendsHeaders(): boolean {
    return this.transport.wantsHeaderHints === true;
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
    if (this.phase === 'probe') {
      return new ServerRequestError(`${describeExit(exit)} when asked server/discover`, 'notRunning', { stderrTail: exit.stderrTail, reason: 'exitedOnProbe' });
    }
    return new ServerRequestError(`${describeExit(exit)} before initialize`, 'notRunning', { stderrTail: exit.stderrTail });
  }

  private async waitForExit(ms: number): Promise<ProcessExit | undefined> {
    if (this._exit) return this._exit;
    let t: NodeJS.Timeout | undefined;
    const r = await Promise.race([this.exited, new Promise<undefined>((res) => (t = setTimeout(() => res(undefined), ms)))]);
    clearTimeout(t);
    return r;
  }

  /** A protocol-level error: an over-long message starts the overflow watch (see ./overflow.ts). */
  noteProtocolError(e: Error): void {
    this.overflow.note(e, this.nextSeq);
  }

  /** A message arrived (or the process exited): whatever was over-long has ended. */
  endOverflow(): void {
    this.overflow.end();
  }

  /** The over-long message is still streaming: the requests sent before it began cannot get their answer. */
  private failBlockedByOverflow(seqBefore: number): void {
    const blocked = [...this.pending.values()].filter((p) => p.seq < seqBefore);
    this.logger.warn(this.overflow.stuckMessage(blocked.length));
    for (const p of blocked) p.abandon(this.overflow.stuckError(p.method));
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
    // The modern envelope goes into the same _meta as the progress token: one copy of the params per call.
    const envelope = this.modern?.envelope;
    let stamped = false;
    if (withProgressToken || options?.onProgress) {
      const meta = params?._meta;
      const base = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>) : undefined;
      fullParams = { ...params, _meta: envelope ? { ...base, progressToken: token, ...envelope } : { ...base, progressToken: token } };
      stamped = envelope !== undefined;
    }
    const call = new Call(this, method, this.nextSeq++, token, timeoutMs, capMs, options, this.overflow.count, this.Canceller);
    this.pending.set(token, call);
    if (call.firstDeadline < this.deadlineAt) this.armDeadlineTimer(call.firstDeadline);
    this.session!.send(
      method,
      fullParams,
      { signal: call.canceller, timeout: capMs + 60_000, ...(stamped ? { stamped } : {}) },
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
    const message = this.overflow.explainTimeout(why, oversizedBefore);
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
    // The modern session fails a call itself with a coded error (input it cannot give, too many input rounds).
    call.finish(undefined, e instanceof ServerRequestError ? e : answerError(e, method));
  }

  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    if (this.isClosing || !this.session) return;
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
        await (this.session ? this.session.close(this.transport) : this.transport.close());
      } else {
        for (const p of [...this.pending.values()]) p.fail(err);
        await this.transport.close();
      }
    }
    // The transport resolves close() after the exit; bounded in case a process never spawned.
    if (this.transport.pid !== undefined) await this.waitForExit(1000);
  }
}
