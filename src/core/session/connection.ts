/**
 * One launch of a server: its transport (made from a launch description), a fresh SDK client, `initialize`, and
 * bounded requests. A connection is used once: when the transport ends it is done, the server makes a new one.
 */
import type { ConnectionOptions } from './connectionOptions';
import { describeExit, type ConnectionFacts, type MessageTransport, type ProcessExit } from '../transport/types';
import type { Call } from './call';
import { CallTable, withRequestMeta } from './callTable';
import { OVERFLOW_GRACE_MS, OverflowWatch } from './overflow';
import { Emitter, type Event } from '../base/events';
import { formatSeconds } from '../base/format';
import { LogRateLimiter } from '../base/logLimits';
import type { Logger } from '../base/logger';
import { ServerRequestError } from '../protocol/errors';
import { answerError, exitedWhilePending, initializeError, stoppedError } from './errors';
import { sdk } from '../protocol/loadSdk';
import type { ProgressParams } from '../protocol/sdk';
import { DEFAULT_PROBE_TIMEOUT_MS } from './eraProbe';
import { handshake, type ProtocolSession } from './handshake';
import type { ModernSession } from './modernSession';
import { createLegacySession, createModernSession, logServerMessage, type SessionHooks } from './sessionFactory';
import type { SubscriptionFilter } from './subscriptions';
import type { RequestDefaults, RequestOptions, ServerInfo } from './types';
import { answerServerRequest } from './asks/route';
import { modernAnswerer } from './asks/modern';

export type { ConnectionOptions } from './connectionOptions';
export { OVERFLOW_GRACE_MS } from './overflow';
export type { RequestDefaults } from './types';

export class McpConnection {
  private readonly _onDidExit = new Emitter<ProcessExit>();
  /** Fires once when the process exited (crash or stop). */
  readonly onDidExit: Event<ProcessExit> = this._onDidExit.event;

  /** Requests in flight, by their progress token (registered whether or not the token was sent). */
  private readonly calls: CallTable;
  private _exit: ProcessExit | undefined;
  private readonly exited: Promise<ProcessExit>;
  private stopping: string | undefined;
  private closeCalls = 0;
  private _info: ServerInfo | undefined;
  private readonly overflow: OverflowWatch;
  /** The session of the era found by the handshake (undefined before it). */
  private session: ProtocolSession | undefined;
  private modern: ModernSession | undefined;
  /** What runs now: an exit while probing is reported with reason 'exitedOnProbe'. */
  private phase: 'probe' | 'initialize' = 'initialize';
  /** Log messages get the bounds of stderr lines: a flood is counted, not logged; a huge message is cut. */
  private readonly logLimiter: LogRateLimiter;

  private constructor(
    private readonly transport: MessageTransport,
    private readonly options: ConnectionOptions,
    private readonly logger: Logger,
    overflowGraceMs: number,
  ) {
    this.calls = new CallTable(this, sdk().RequestCanceller);
    this.overflow = new OverflowWatch(overflowGraceMs, (seqBefore) => this.failBlockedByOverflow(seqBefore));
    this.logLimiter = new LogRateLimiter((dropped, max) => logger.warn(`(${dropped} log messages not logged: the server sent more than ${max} messages/s)`));
    transport.onDidExit(() => this.logLimiter.dispose());
    this.exited = new Promise((resolve) => {
      transport.onDidExit((exit) => {
        if (this._exit) return;
        this._exit = exit;
        this.overflow.end();
        const stopped = this.stopping ? stoppedError(this.stopping, exit.stderrTail) : undefined;
        this.calls.failAll((p) => stopped ?? exitedWhilePending(p.method, exit, exit.stderrTail));
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
      onLogMessage: (level, text) => {
        // Rate-limited like stderr: a server cannot flood the editor's output through notifications/message.
        if (this.logLimiter.admit()) logServerMessage(this.logger, level, text);
      },
      onServerRequest: (method, params, signal) => answerServerRequest(this.calls, this.options.answers, method, params, signal),
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
      const exitedEarly = this.exited.then((exit): Promise<never> => {
        // An exit nobody here asked for but expected by the transport: the SDK closed it after its initialize
        // failed (a remote transport's send was refused); that rejection explains it, with its code.
        if (exit.expected && !this.stopping) return new Promise<never>(() => undefined);
        throw this.exitedBeforeInitialize(exit);
      });
      exitedEarly.catch(() => {});
      timeout.catch(() => {});
      const o = this.options;
      const answerer = modernAnswerer(o.answers);
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
      if (this.stopping) throw stoppedError(this.stopping);
      this._info = outcome.info;
      return outcome.info;
    } catch (e) {
      const { RpcError, connectionClosedCode } = sdk();
      let error: ServerRequestError;
      if (this.stopping) error = stoppedError(this.stopping);
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

  /** A remote server's connection facts (URL, session, last error, reconnects); undefined for a process. */
  connectionFacts(): ConnectionFacts | undefined {
    return this.transport.connectionFacts?.();
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
    this.overflow.note(e, this.calls.nextSeq);
  }

  /** A message arrived (or the process exited): whatever was over-long has ended. */
  endOverflow(): void {
    this.overflow.end();
  }

  /** The over-long message is still streaming: the requests sent before it began cannot get their answer. */
  private failBlockedByOverflow(seqBefore: number): void {
    const blocked = this.calls.sentBefore(seqBefore);
    this.logger.warn(this.overflow.stuckMessage(blocked.length));
    for (const p of blocked) p.abandon(this.overflow.stuckError(p.method));
  }

  private routeProgress(token: string | number, p: ProgressParams): void {
    if (!this.calls.routeProgress(token, p)) this.logger.debug(`progress for an unknown or finished request (${String(token)}) ignored`);
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
    const call = this.calls.open(method, timeoutMs, capMs, options, this.overflow.count);
    const stampMeta = withProgressToken || options?.onProgress !== undefined;
    const envelope = stampMeta ? this.modern?.envelope : undefined;
    const stamped = envelope !== undefined;
    this.session!.send(
      method,
      stampMeta ? withRequestMeta(params, call.token, envelope) : params,
      // The call owns the modern era's input rounds: they pause its idle timeout and are withdrawn when it ends.
      { signal: call.canceller, timeout: capMs + 60_000, owner: call, ...(stamped ? { stamped } : {}) },
      (r) => call.finish(r, undefined),
      (e: unknown) => this.onRequestError(call, e),
    );
    return call.promise;
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
        call.finish(undefined, this.stopping ? stoppedError(this.stopping) : exitedWhilePending(method, exit, exit?.stderrTail ?? this.stderrTail()));
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
      const err = stoppedError(why);
      if (this.closeCalls === 1) {
        // Let in-flight calls finish while the server drains after EOF; fail the rest when it exits.
        await (this.session ? this.session.close(this.transport) : this.transport.close());
      } else {
        this.calls.failAll(() => err);
        await this.transport.close();
      }
    }
    // The transport resolves close() after the exit; bounded in case a process never spawned.
    if (this.transport.pid !== undefined) await this.waitForExit(1000);
  }
}
