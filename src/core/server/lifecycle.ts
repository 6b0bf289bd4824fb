/**
 * The lifecycle of one configured server: the state machine (stopped | starting | running | error), its current
 * connection, start (idempotent: a second start while starting waits for the first), stop (bounded), restart on a
 * crash with backoff, and definition and trust changes. Requests and lists build on it (./server.ts).
 */
import type { ServerDefinition } from '../config/types';
import type { ConnectionFacts, ProcessExit } from '../transport/types';
import { DisposableStore, Emitter, type Event } from '../base/events';
import { redact, redactingLogger, type Logger } from '../base/logger';
import type { McpConnection } from '../session/connection';
import { EraMemory } from '../session/eraMemory';
import { allKinds } from '../session/listFetch';
import { LiveStreams } from '../session/liveStreams';
import { ServerRequestError, errorMessage } from '../protocol/errors';
import type { AuthManager, AuthState } from '../auth/manager';
import { ServerAuth } from './auth';
import type { ServerDeps } from './deps';
import { ListCache } from './listCache';
import { blocked, prepareLaunch, type StepFailure } from './prepare';
import { CrashRestarts } from './restartPolicy';
import { errored, isActive, running, starting, stopped, type ServerState, type StoppedReason } from './state';
import { currentRequestTimeouts, type RequestTimeouts } from './timeouts';
import { ServerStatus } from './status';
import { commandLineOf, staticStoppedReason, type ServerTuning } from './tuning';
import type { ServerInfo, ServerLists } from './types';
import type { ClientAnswers } from '../session/asks/handlers';
import { serverAnswers } from './answers';
import { connectServer, connectedLine, type ConnectHost } from './connect';
import { ResourceUpdates } from './resourceUpdates';
import { logSecretsOf } from './logSecrets';

export class ServerLifecycle {
  readonly onDidChangeState: Event<ServerState>;
  readonly onDidChangeLists: Event<ServerLists>;
  private readonly _onDidUpdateResource = new Emitter<string>();
  /** A subscribed resource changed (either era; see McpServer.subscribeResource). */
  readonly onDidUpdateResource: Event<string> = this._onDidUpdateResource.event;
  /** Bursts of updates coalesced per resource (each event makes its holders read it again). */
  private readonly resourceUpdates: ResourceUpdates;
  /** The sign-in state of the server's URL changed (see `auth`). */
  readonly onDidChangeAuth: Event<AuthState>;

  private _definition: ServerDefinition;
  private readonly status: ServerStatus;
  private _info: ServerInfo | undefined;
  private _commandLine: string | undefined;
  private lastFacts: ConnectionFacts | undefined;
  private secrets: readonly string[] = [];
  protected readonly log: Logger;

  protected conn: McpConnection | undefined;
  private startPromise: Promise<void> | undefined;
  private stopPromise: Promise<void> | undefined;
  /** Bumped by stop() and definition changes: a start that sees another generation gives up. */
  private generation = 0;
  /** Timers and subscriptions of the current launch. */
  private launch = new DisposableStore();
  private readonly restarts: CrashRestarts;
  protected readonly listCache: ListCache;
  /** The subscriptions/listen streams of the modern era, opened again on every launch. */
  protected readonly streams: LiveStreams;
  private readonly eras: EraMemory;
  protected disposed = false;
  /** Timeouts of requests without explicit ones; the same object while nothing changed (read per call). */
  protected readonly requestDefaults: () => RequestTimeouts;
  /** Answers what the server asks (roots, elicitation, sampling); outlives connections (queue, record). */
  protected readonly answers: ClientAnswers;
  private readonly signIn: ServerAuth;

  constructor(
    definition: ServerDefinition,
    private readonly deps: ServerDeps,
    private readonly tuning: ServerTuning,
  ) {
    this._definition = definition;
    this.restarts = new CrashRestarts(tuning);
    this.log = redactingLogger(deps.serverLogger(definition.name), () => this.secrets);
    this.status = new ServerStatus(stopped(this.blockedReason(definition)), this.log, () => this.secrets);
    this.onDidChangeState = this.status.onDidChange;
    this.requestDefaults = currentRequestTimeouts(() => this._definition.entry, () => this.deps.settings());
    this.listCache = new ListCache({
      current: () => this.conn,
      isDisposed: () => this.disposed,
      requestDefaults: () => this.requestDefaults(),
      log: this.log,
      debounceMs: tuning.listDebounceMs,
      maxPages: tuning.maxListPages,
      isLive: (kind) => this.streams.isLive(kind),
      ...(tuning.listMinRefetchMs !== undefined ? { minRefetchMs: tuning.listMinRefetchMs } : {}),
    });
    this.onDidChangeLists = this.listCache.onDidChange;
    this.answers = serverAnswers(() => this._definition, deps, this.log);
    this.streams = new LiveStreams(this.log);
    this.eras = new EraMemory(deps.memento);
    this.signIn = new ServerAuth(deps.auth);
    this.onDidChangeAuth = this.signIn.onDidChange;
    this.resourceUpdates = new ResourceUpdates((uri) => this._onDidUpdateResource.fire(uri), tuning.listDebounceMs, (m) => this.log.warn(m));
  }

  /** A connection initialized (before its lists are fetched): McpServer sets the log level and resubscribes. */
  protected onConnected(_conn: McpConnection): void {}

  /** The log level to ask the server for (McpServer: chosen in the tree, else the definition's). */
  protected currentLogLevel(): string | undefined {
    return this._definition.entry.logLevel;
  }

  /** What the connect step (./connect.ts) uses of this server; `last` is the newest connection it made. */
  private connectHost(): ConnectHost & { readonly last?: McpConnection } {
    const host: ConnectHost & { last?: McpConnection } = {
      deps: this.deps, tuning: this.tuning, log: this.log, answers: this.answers, eras: this.eras, listCache: this.listCache,
      logLevel: () => this.currentLogLevel(),
      setCurrent: (c) => (this.conn = host.last = c),
      isCurrent: (c) => this.conn === c,
      onResourceUpdated: (uri) => this.resourceUpdates.update(uri),
      remoteAuth: (launch) => this.signIn.forLaunch(launch),
      needsSignIn: () => this.signIn.needsSignIn(),
    };
    return host;
  }

  get id(): string {
    return this._definition.id;
  }
  get name(): string {
    return this._definition.name;
  }
  get definition(): ServerDefinition {
    return this._definition;
  }
  get state(): ServerState {
    return this.status.current;
  }
  get info(): ServerInfo | undefined {
    return this._info;
  }
  get lists(): ServerLists {
    return this.listCache.lists;
  }
  get commandLine(): string | undefined {
    return this._commandLine;
  }
  get pid(): number | undefined {
    return this.conn?.pid;
  }
  /** A remote server's connection facts: of the current connection, else of the last one (its last error). */
  get connectionFacts(): ConnectionFacts | undefined {
    const now = this.conn?.connectionFacts();
    if (now) this.lastFacts = now;
    return now ?? this.lastFacts;
  }
  /** A remote server's sign-in (once a start resolved its URL, when the host offers sign-in). */
  get auth(): AuthManager | undefined {
    return this.signIn.manager;
  }
  /** The logger of this server (redacting its secrets). */
  get logger(): Logger {
    return this.log;
  }

  private blockedReason(def: ServerDefinition): StoppedReason | undefined {
    return staticStoppedReason(def) ?? this.deps.gate.blockedReason(def);
  }

  /** True when the server should run autostart logic (configured to autostart and not blocked). */
  get wantsAutoStart(): boolean {
    return this._definition.entry.autoStart ?? this.deps.settings().autoStart;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Lifecycle

  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new ServerRequestError(`${this.name} was removed`, 'notRunning'));
    if (this.isUsable()) return Promise.resolve();
    if (this.startPromise) return this.startPromise;
    this.restarts.cancel();
    const p = this.doStart()
      .catch((e: unknown) => {
        // Every failure doStart foresees sets a state; anything else (a bug, a throwing transport factory) must not
        // leave the server "starting…" forever.
        if (this.state.kind === 'starting' && this.startPromise === p) {
          const msg = errorMessage(e);
          this.log.error(`start failed unexpectedly: ${msg}`);
          this.status.set(errored(msg));
        }
        throw e;
      })
      .finally(() => {
        if (this.startPromise === p) this.startPromise = undefined;
      });
    this.startPromise = p;
    return p;
  }

  /** Running, and not being stopped. */
  protected isUsable(): boolean {
    return this.state.kind === 'running' && this.conn !== undefined && !this.conn.isClosing && !this.stopPromise;
  }

  private async doStart(): Promise<void> {
    // A stop in progress finishes first (restart, configuration change). A stop requested after this start
    // (stop, start, stop) supersedes it: the generation is taken before waiting.
    const gen = this.generation;
    if (this.stopPromise) await this.stopPromise;
    const def = this._definition;
    const reason = this.blockedReason(def);
    if (reason) this.fail(blocked(def, reason));
    this.status.set(starting);
    const superseded = () => gen !== this.generation || this.disposed;
    const stoppedError = () => new ServerRequestError(`start of ${def.name} was cancelled (stopped)`, 'stopped');

    const prepared = await prepareLaunch(def, this.deps, this.tuning, this.log, superseded, (resolved) => {
      // Literal credentials MCP Host recognises are masked like password values (never part of the fingerprint).
      this.secrets = logSecretsOf(resolved);
      this._commandLine = redact(commandLineOf(resolved), this.secrets);
    });
    if ('superseded' in prepared) throw stoppedError();
    if ('failure' in prepared) this.fail(prepared.failure);
    this.launch.dispose();
    this.launch = new DisposableStore();
    const t0 = Date.now();
    const host = this.connectHost();
    const connected = await connectServer(host, def, prepared.launch, superseded);
    if (!('conn' in connected) && this.conn === host.last) this.conn = undefined;
    if ('superseded' in connected) throw stoppedError();
    if ('failure' in connected) this.fail(connected.failure);
    const { conn, info } = connected;
    this.launch.add(conn.onDidExit((exit) => this.onExit(conn, exit)));
    if (conn.exit) this.onExit(conn, conn.exit);
    this._info = info;
    this.log.info(connectedLine(info, Date.now() - t0, conn.pid));
    this.onConnected(conn);
    // Listening first and listing meanwhile: a change between the two is not lost.
    await Promise.all([this.streams.attach(conn), this.listCache.refresh(conn, allKinds)]);
    if (this.conn !== conn || superseded()) {
      if (this.state.kind === 'error') throw new ServerRequestError(this.state.message, 'notRunning', { stderrTail: this.state.stderrTail });
      throw stoppedError();
    }
    this.status.set(running);
  }

  /** The process of `conn` exited: a stop we asked for, or a crash (restart with backoff, bounded). */
  private onExit(conn: McpConnection, exit: ProcessExit): void {
    if (this.conn !== conn) return;
    this.lastFacts = conn.connectionFacts() ?? this.lastFacts;
    this.conn = undefined;
    this.streams.detach(conn);
    this.launch.dispose();
    this.listCache.clearTimer();
    if (exit.expected || conn.isStopping) return; // stop() sets the state
    const gen = this.generation;
    const wanted = () => gen === this.generation && !this.disposed;
    this.status.set(this.restarts.onCrash(exit, this.deps.settings().restartOnCrash && !this.disposed, this.log, wanted, () => this.start()));
  }

  stop(): Promise<void> {
    return this.stopWith('stopped by the user');
  }

  /**
   * Stops the server (bounded: EOF, SIGTERM, SIGKILL); a second call while stopping forces.
   * `why` ends up in the error of calls that were pending.
   */
  stopWith(why: string, finalState?: ServerState): Promise<void> {
    this.generation++;
    this.restarts.cancel();
    this.listCache.clearTimer();
    if (this.stopPromise) {
      void this.conn?.close(why); // second close: SIGKILL now
      return this.stopPromise;
    }
    const conn = this.conn;
    const startP = this.startPromise;
    if (!conn && !startP) {
      this.status.set(finalState ?? stopped(this.blockedReason(this._definition)));
      return Promise.resolve();
    }
    // A start still resolving inputs or waiting for the consent dialog is abandoned, not awaited (stop stays
    // bounded): it sees the new generation and gives up; a new start() does not join it.
    if (startP && !conn) this.startPromise = undefined;
    const p = (async () => {
      if (conn) {
        this.log.info(`stopping (${why})`);
        await conn.close(why);
        // The start that made this connection ends as soon as the process is gone.
        if (startP) await startP.catch(() => undefined);
      }
      // A start that was resolving inputs or asking for consent made no connection yet; a later one may have.
      const late = this.conn;
      if (late && late !== conn) await late.close(why);
      this.conn = undefined;
      this.launch.dispose();
      this.status.set(finalState ?? stopped(this.blockedReason(this._definition)));
    })().finally(() => {
      if (this.stopPromise === p) this.stopPromise = undefined;
    });
    this.stopPromise = p;
    return p;
  }

  async restart(): Promise<void> {
    this.restarts.reset();
    await this.stopWith('restarting');
    await this.start();
  }

  /**
   * A new definition with the same id (the registry saw its key change): restart it if it was running or
   * starting, otherwise just show the new blocked reason.
   */
  async updateDefinition(def: ServerDefinition): Promise<void> {
    const wasActive = isActive(this.state);
    this._definition = def;
    this.restarts.reset();
    if (wasActive) {
      this.log.info('configuration changed: restarting');
      await this.stopWith('configuration changed');
      this.start().catch((e: unknown) => this.log.warn(`restart with the new configuration failed: ${errorMessage(e)}`));
    } else {
      // An error of the old definition is cleared too.
      this.status.set(stopped(this.blockedReason(def)));
    }
  }

  /** Trust decisions changed: block a running server that may no longer run, update a stopped one's reason. */
  async reevaluateGate(): Promise<void> {
    const reason = this.blockedReason(this._definition);
    if (this.state.kind === 'stopped') this.status.set(stopped(reason));
    else if (reason && (this.state.kind === 'running' || this.state.kind === 'starting')) await this.stopWith('no longer trusted', stopped(reason));
  }

  /** Stops the server for good (removed from the configuration, or shutdown). */
  async dispose(why = 'MCP Host is shutting down'): Promise<void> {
    if (this.disposed) return;
    await this.stopWith(why);
    this.disposed = true;
    this.status.dispose();
    this.resourceUpdates.dispose();
    this._onDidUpdateResource.dispose();
    this.answers.dispose();
    this.listCache.dispose();
    this.signIn.dispose();
  }

  /** Shows the state of a failed step and rejects the start with its error. */
  private fail(f: StepFailure): never {
    this.status.set(f.state);
    throw f.error;
  }
}
