/**
 * One launch of a server: its transport (made from a launch description), a fresh SDK client, `initialize`, and
 * bounded requests. A connection is used once: when the transport ends it is done, the server makes a new one.
 */
import type { LaunchSpec, TransportFactory } from '../transport/launch';
import { describeExit, type ConnectionFacts, type MessageTransport, type ProcessExit } from '../transport/types';
import { Call, onDeadlineTimer } from './call';
import { OVERFLOW_GRACE_MS, OverflowWatch } from './overflow';
import { Emitter, type Event } from '../base/events';
import { formatSeconds } from '../base/format';
import { LogRateLimiter, capLogLine } from '../base/logLimits';
import type { Logger } from '../base/logger';
import { ServerRequestError } from '../protocol/errors';
import { answerError, initializeError } from './errors';
import { sdk } from '../protocol/loadSdk';
import type { ListChangedKind, ProgressParams, RequestCanceller, SdkSession } from '../protocol/sdk';
import type { RequestDefaults, RequestOptions, ServerInfo } from './types';
import { answerServerRequest, type ConnectionAnswers } from './asks/route';


export interface ConnectionOptions {
  /** How to reach the server (its logger already redacts the launch's secrets). */
  readonly spec: LaunchSpec;
  readonly clientInfo: { readonly name: string; readonly version: string };
  /** Answers what the server asks (roots, elicitation, sampling); its capabilities are declared in initialize. */
  readonly answers: ConnectionAnswers;
  /** `notifications/resources/updated`. */
  readonly onResourceUpdated?: (uri: string) => void;
  readonly createTransport: TransportFactory;
  readonly onListChanged: (kind: ListChangedKind) => void;
  /**
   * How long a message over `maxMessageBytes` may keep streaming (stdout blocked behind it) before the requests
   * that were pending when it began fail with the over-limit error. Default OVERFLOW_GRACE_MS.
   */
  readonly overflowGraceMs?: number;
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

  private constructor(
    private readonly transport: MessageTransport,
    private readonly session: SdkSession,
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

  /** Creates the transport and the SDK client; nothing runs until `initialize()`. */
  static create(options: ConnectionOptions): McpConnection {
    const { logger } = options.spec;
    const transport = options.createTransport(options.spec);
    const ref: { conn?: McpConnection } = {};
    // Log messages get the bounds of stderr lines: a flood is counted, not logged; a huge message is cut.
    const logLimiter = new LogRateLimiter((dropped, max) => logger.warn(`(${dropped} log messages not logged: the server sent more than ${max} messages/s)`));
    transport.onDidExit(() => logLimiter.dispose());
    const session = sdk().createSdkSession({
      clientInfo: options.clientInfo,
      capabilities: options.answers.capabilities,
      onServerRequest: (method, params, signal) => answerServerRequest(ref.conn, options.answers, method, params, signal),
      onElicitationComplete: (id) => options.answers.notifyElicitationComplete?.(id),
      onResourceUpdated: (uri) => options.onResourceUpdated?.(uri),
      onListChanged: (kind) => options.onListChanged(kind),
      onProgress: (token, p) => ref.conn?.routeProgress(token, p),
      onLogMessage: (level, text) => {
        // Rate-limited like stderr: a server cannot flood the editor's output through notifications/message.
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
    if (withProgressToken || options?.onProgress) {
      const meta = params?._meta;
      fullParams = {
        ...params,
        _meta: typeof meta === 'object' && meta !== null ? { ...(meta as Record<string, unknown>), progressToken: token } : { progressToken: token },
      };
    }
    const call = new Call(this, method, this.nextSeq++, token, timeoutMs, capMs, options, this.overflow.count, this.Canceller);
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

  /** @internal The calls a question of the server may belong to (see ./asks/route.ts). */
  userCalls(): Call[] {
    return [...this.pending.values()].filter((c) => c.method === 'tools/call' || c.method === 'prompts/get' || c.method === 'resources/read');
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
    call.finish(undefined, answerError(e, method));
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
