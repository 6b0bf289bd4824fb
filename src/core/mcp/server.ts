/**
 * One configured server: the state machine (stopped | starting | running | error), its current connection,
 * the last known lists, restart-on-crash with backoff, and requests that start the server on first use.
 */
import { isInputCancelledError } from '../config/inputs';
import { isWorkspaceDefined, type ResolvedLaunch, type ServerDefinition } from '../config/types';
import type { ProcessExit } from '../process/types';
import type { HostSettings, RegistryDeps } from '../registryTypes';
import { DisposableStore, Emitter, type Event } from '../util/events';
import { redact, type Logger } from '../util/logger';
import { McpConnection, describeExit, formatSeconds, type RequestDefaults } from './connection';
import { ServerRequestError, errorMessage } from './errors';
import { allKinds, fetchLists } from './listFetch';
import type { ListKind } from './lists';
import { sdk } from './loadSdk';
import { RestartPolicy } from './restartPolicy';
import type { CallToolResult, GetPromptResult, ListChangedKind, ReadResourceResult } from './sdk';
import { describeState, errored, running, starting, stopped, type ServerState, type StoppedReason } from './state';
import { commandLineOf, staticStoppedReason, type ServerTuning } from './tuning';
import { emptyLists, type CompletionRef, type RequestOptions, type ServerHandle, type ServerInfo, type ServerLists } from './types';

// The tuning and the launch helpers moved to ./tuning; re-exported for existing importers.
export { defaultTuning, staticStoppedReason, type LaunchResolver, type ServerTuning } from './tuning';

export class McpServer implements ServerHandle {
  private readonly _onDidChangeState = new Emitter<ServerState>();
  readonly onDidChangeState: Event<ServerState> = this._onDidChangeState.event;
  private readonly _onDidChangeLists = new Emitter<ServerLists>();
  readonly onDidChangeLists: Event<ServerLists> = this._onDidChangeLists.event;

  private _definition: ServerDefinition;
  private _state: ServerState;
  private _info: ServerInfo | undefined;
  private _lists: ServerLists = emptyLists;
  private readonly kindWarnings = new Map<ListKind, readonly string[]>();
  private _commandLine: string | undefined;
  private secrets: readonly string[] = [];
  private readonly log: Logger;

  private conn: McpConnection | undefined;
  private startPromise: Promise<void> | undefined;
  private stopPromise: Promise<void> | undefined;
  /** Bumped by stop() and definition changes: a start that sees another generation gives up. */
  private generation = 0;
  /** Timers and subscriptions of the current launch. */
  private launch = new DisposableStore();
  private restartTimer: NodeJS.Timeout | undefined;
  private readonly restarts: RestartPolicy;
  private readonly dirty = new Set<ListKind>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing = false;
  private disposed = false;
  private lastDefaults: RequestDefaults | undefined;

  constructor(
    definition: ServerDefinition,
    private readonly deps: RegistryDeps,
    private readonly tuning: ServerTuning,
  ) {
    this._definition = definition;
    this.restarts = new RestartPolicy(tuning);
    this._state = stopped(this.blockedReason(definition));
    const inner = deps.serverLogger(definition.name);
    const r = (m: string) => redact(m, this.secrets);
    this.log = {
      trace: (m) => inner.trace(r(m)),
      debug: (m) => inner.debug(r(m)),
      info: (m) => inner.info(r(m)),
      warn: (m) => inner.warn(r(m)),
      error: (m) => inner.error(r(m)),
    };
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
    return this._state;
  }
  get info(): ServerInfo | undefined {
    return this._info;
  }
  get lists(): ServerLists {
    return this._lists;
  }
  get commandLine(): string | undefined {
    return this._commandLine;
  }
  get pid(): number | undefined {
    return this.conn?.pid;
  }
  /** The logger of this server (redacting its secrets). */
  get logger(): Logger {
    return this.log;
  }

  private settings(): HostSettings {
    return this.deps.settings();
  }

  private blockedReason(def: ServerDefinition): StoppedReason | undefined {
    return staticStoppedReason(def) ?? this.deps.gate.blockedReason(def);
  }

  private setState(state: ServerState): void {
    // Error texts may quote the command line or stderr: no secret reaches the UI.
    const s =
      state.kind === 'error' && this.secrets.length
        ? errored(redact(state.message, this.secrets), redact(state.stderrTail, this.secrets), state.retryAt)
        : state;
    const prev = this._state;
    if (JSON.stringify(prev) === JSON.stringify(s)) return;
    this._state = s;
    if (s.kind !== prev.kind || s.kind === 'error') {
      const text = s.kind === 'error' ? `error: ${s.message}` : describeState(s);
      if (s.kind === 'error') this.log.error(text);
      else this.log.info(`state: ${text}`);
    }
    this._onDidChangeState.fire(s);
  }

  /** True when the server should run autostart logic (configured to autostart and not blocked). */
  get wantsAutoStart(): boolean {
    return this._definition.entry.autoStart ?? this.settings().autoStart;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Lifecycle

  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new ServerRequestError(`${this.name} was removed`, 'notRunning'));
    if (this.isUsable()) return Promise.resolve();
    if (this.startPromise) return this.startPromise;
    this.clearRestartTimer();
    const p = this.doStart()
      .catch((e: unknown) => {
        // Every failure doStart foresees sets a state; anything else (a bug, a throwing transport factory) must not
        // leave the server "starting…" forever.
        if (this._state.kind === 'starting' && this.startPromise === p) {
          const msg = errorMessage(e);
          this.log.error(`start failed unexpectedly: ${msg}`);
          this.setState(errored(msg));
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
  private isUsable(): boolean {
    return this._state.kind === 'running' && this.conn !== undefined && !this.conn.isClosing && !this.stopPromise;
  }

  private async doStart(): Promise<void> {
    // A stop in progress finishes first (restart, configuration change). A stop requested after this start
    // (stop, start, stop) supersedes it: the generation is taken before waiting.
    const gen = this.generation;
    if (this.stopPromise) await this.stopPromise;
    const def = this._definition;
    const reason = this.blockedReason(def);
    if (reason) {
      this.setState(stopped(reason));
      throw new ServerRequestError(`${def.name} cannot start: ${describeState(stopped(reason))}`, 'notRunning');
    }
    this.setState(starting);
    const superseded = () => gen !== this.generation || this.disposed;
    const stoppedError = () => new ServerRequestError(`start of ${def.name} was cancelled (stopped)`, 'stopped');

    let launch: ResolvedLaunch;
    try {
      launch = await this.tuning.resolveLaunch(def, {
        userHome: this.deps.userHome,
        baseEnv: this.deps.baseEnv,
        workspaceFolders: this.deps.workspaceFolders(),
        inputs: this.deps.inputs,
        secrets: this.deps.secrets,
        memento: this.deps.memento,
      });
    } catch (e) {
      if (superseded()) throw stoppedError();
      if (isInputCancelledError(e)) {
        this.setState(stopped());
        throw new ServerRequestError(e.message, 'cancelled');
      }
      const msg = `configuration: ${errorMessage(e)}`;
      this.setState(errored(msg));
      throw new ServerRequestError(msg, 'notRunning');
    }
    if (superseded()) throw stoppedError();
    this.secrets = launch.secrets;
    this._commandLine = redact(commandLineOf(launch), launch.secrets);

    if (isWorkspaceDefined(def.source)) {
      let denied: StoppedReason | undefined;
      try {
        denied = await this.deps.gate.approveLaunch(def, launch);
      } catch (e) {
        denied = 'needsConsent';
        this.log.warn(`trust check failed: ${errorMessage(e)}`);
      }
      if (superseded()) throw stoppedError();
      if (denied) {
        this.setState(stopped(denied));
        throw new ServerRequestError(`${def.name} cannot start: ${describeState(stopped(denied))}`, 'notRunning');
      }
    }

    try {
      // The SDK loads on the first start (dist/vendor.js in the VSIX): a broken installation is an error shown on
      // the server, not a start that never ends.
      sdk();
    } catch (e) {
      const msg = `the MCP client library could not be loaded (${errorMessage(e)}); reinstalling MCP Host may help`;
      this.log.error(msg);
      this.setState(errored(msg));
      throw new ServerRequestError(msg, 'notRunning');
    }
    const settings = this.settings();
    const initTimeout = def.entry.initializeTimeoutSeconds ? def.entry.initializeTimeoutSeconds * 1000 : settings.initializeTimeoutMs;
    this.log.info(`starting: ${this._commandLine} (cwd ${launch.cwd})`);
    const t0 = Date.now();
    const conn = McpConnection.create({
      launch,
      baseEnv: this.deps.baseEnv,
      maxMessageBytes: settings.maxMessageBytes,
      logger: this.log,
      clientInfo: this.deps.clientInfo,
      listRoots: () => this.deps.workspaceFolders().map((f) => ({ uri: f.uri, name: f.name })),
      ...(this.tuning.stopGraceMs ? { stopGraceMs: this.tuning.stopGraceMs } : {}),
      createTransport: this.tuning.createTransport,
      onListChanged: (kind) => this.onListChanged(conn, kind),
    });
    this.launch.dispose();
    this.launch = new DisposableStore();
    this.conn = conn;
    let info: ServerInfo;
    try {
      info = await conn.initialize(initTimeout);
    } catch (e) {
      if (this.conn === conn) this.conn = undefined;
      if (superseded() || (e instanceof ServerRequestError && e.kind === 'stopped')) throw stoppedError();
      const err = e instanceof ServerRequestError ? e : new ServerRequestError(errorMessage(e), 'notRunning');
      this.setState(errored(err.message, err.stderrTail ?? ''));
      throw new ServerRequestError(redact(err.message, this.secrets), err.kind, {
        ...err.details,
        ...(err.stderrTail !== undefined ? { stderrTail: redact(err.stderrTail, this.secrets) } : {}),
      });
    }
    this.launch.add(conn.onDidExit((exit) => this.onExit(conn, exit)));
    if (conn.exit) this.onExit(conn, conn.exit);
    this._info = info;
    this.log.info(
      `initialized in ${Date.now() - t0} ms: ${info.serverInfo.name} ${info.serverInfo.version} ` +
        `(protocol ${info.protocolVersion}, pid ${conn.pid ?? '?'})`,
    );
    await this.refreshLists(conn, allKinds);
    if (this.conn !== conn || superseded()) {
      if (this._state.kind === 'error') throw new ServerRequestError(this._state.message, 'notRunning', { stderrTail: this._state.stderrTail });
      throw stoppedError();
    }
    this.setState(running);
  }

  /** The process of `conn` exited: a stop we asked for, or a crash (restart with backoff, bounded). */
  private onExit(conn: McpConnection, exit: ProcessExit): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.launch.dispose();
    this.clearRefreshTimer();
    if (exit.expected || conn.isStopping) return; // stop() sets the state
    const what = describeExit(exit);
    const s = this.settings();
    if (!s.restartOnCrash || this.disposed) {
      this.setState(errored(`the server ${what}`, exit.stderrTail));
      return;
    }
    const now = Date.now();
    const decision = this.restarts.onCrash(now);
    if (!decision.restart) {
      this.setState({
        kind: 'error',
        message: `the server ${what}; it crashed ${decision.crashes} times within ${formatSeconds(this.tuning.restartWindowMs)}, not restarting it again`,
        stderrTail: exit.stderrTail,
        gaveUp: true,
      });
      return;
    }
    const delay = decision.delayMs;
    this.setState(errored(`the server ${what}; restarting in ${formatSeconds(delay)}`, exit.stderrTail, now + delay));
    const gen = this.generation;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (gen !== this.generation || this.disposed) return;
      this.log.info(`restarting after a crash (${decision.attempt} of at most ${this.tuning.maxRestarts} within ${formatSeconds(this.tuning.restartWindowMs)})`);
      this.start().catch((e: unknown) => this.log.warn(`automatic restart failed: ${errorMessage(e)}`));
    }, delay);
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  private clearRefreshTimer(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.dirty.clear();
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
    this.clearRestartTimer();
    this.clearRefreshTimer();
    if (this.stopPromise) {
      void this.conn?.close(why); // second close: SIGKILL now
      return this.stopPromise;
    }
    const conn = this.conn;
    const startP = this.startPromise;
    if (!conn && !startP) {
      this.setState(finalState ?? stopped(this.blockedReason(this._definition)));
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
      this.setState(finalState ?? stopped(this.blockedReason(this._definition)));
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
    const wasActive =
      this._state.kind === 'running' || this._state.kind === 'starting' || (this._state.kind === 'error' && this._state.retryAt !== undefined);
    this._definition = def;
    this.restarts.reset();
    if (wasActive) {
      this.log.info('configuration changed: restarting');
      await this.stopWith('configuration changed');
      this.start().catch((e: unknown) => this.log.warn(`restart with the new configuration failed: ${errorMessage(e)}`));
    } else if (this._state.kind !== 'error' || this.blockedReason(def)) {
      this.setState(stopped(this.blockedReason(def)));
    } else {
      this.setState(stopped());
    }
  }

  /** Trust decisions changed: block a running server that may no longer run, update a stopped one's reason. */
  async reevaluateGate(): Promise<void> {
    const reason = this.blockedReason(this._definition);
    if (this._state.kind === 'stopped') {
      this.setState(stopped(reason));
    } else if (reason && (this._state.kind === 'running' || this._state.kind === 'starting')) {
      await this.stopWith('no longer trusted', stopped(reason));
    }
  }

  notifyRootsChanged(): void {
    const conn = this.conn;
    if (!conn || this._state.kind !== 'running') return;
    conn.notify('notifications/roots/list_changed').catch((e: unknown) => this.log.debug(`roots/list_changed not sent: ${errorMessage(e)}`));
  }

  /** Stops the server for good (removed from the configuration, or shutdown). */
  async dispose(why = 'MCP Host is shutting down'): Promise<void> {
    if (this.disposed) return;
    await this.stopWith(why);
    this.disposed = true;
    this._onDidChangeState.dispose();
    this._onDidChangeLists.dispose();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Lists

  private onListChanged(conn: McpConnection, kind: ListChangedKind): void {
    if (conn !== this.conn) return;
    this.log.debug(`notifications/${kind}/list_changed`);
    this.dirty.add(kind);
    this.scheduleRefresh();
  }

  /** At most one refresh per debounce window, and never two at once: a storm costs a bounded number of lists. */
  private scheduleRefresh(): void {
    if (this.refreshTimer || this.refreshing) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.runDirtyRefresh();
    }, this.tuning.listDebounceMs);
  }

  private async runDirtyRefresh(): Promise<void> {
    const conn = this.conn;
    if (!conn || this.dirty.size === 0) return;
    const kinds = [...this.dirty];
    this.dirty.clear();
    this.refreshing = true;
    try {
      await this.refreshLists(conn, kinds);
    } finally {
      this.refreshing = false;
      if (this.dirty.size > 0 && this.conn === conn) this.scheduleRefresh();
    }
  }

  async refresh(): Promise<void> {
    const conn = this.conn;
    if (!conn || this._state.kind !== 'running') {
      await this.start();
      return;
    }
    await this.refreshLists(conn, allKinds);
  }

  private listDefaults(): RequestDefaults {
    return this.requestDefaults();
  }

  /** Lists the given kinds the server offers (capabilities), following cursors; failures become warnings. */
  private async refreshLists(conn: McpConnection, kinds: readonly ListKind[]): Promise<void> {
    const { next, warnings: fetched } = await fetchLists(conn, kinds, this.listDefaults(), this.tuning.maxListPages);
    for (const [kind, w] of fetched) this.kindWarnings.set(kind, w);
    // A connection that was stopped meanwhile: its failures say nothing about the server's lists.
    if (this.disposed || (conn !== this.conn && conn.isClosing)) return;
    const warnings = allKinds.flatMap((k) => this.kindWarnings.get(k) ?? []);
    for (const w of warnings) if (!this._lists.warnings.includes(w)) this.log.warn(w);
    this._lists = {
      tools: next.tools ?? this._lists.tools,
      resources: next.resources ?? this._lists.resources,
      resourceTemplates: next.resourceTemplates ?? this._lists.resourceTemplates,
      prompts: next.prompts ?? this._lists.prompts,
      warnings,
    };
    this.log.debug(
      `lists: ${this._lists.tools.length} tools, ${this._lists.resources.length} resources, ` +
        `${this._lists.resourceTemplates.length} templates, ${this._lists.prompts.length} prompts`,
    );
    this._onDidChangeLists.fire(this._lists);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Requests

  private requestDefaults(): RequestDefaults {
    const s = this.settings();
    const perServer = this._definition.entry.requestTimeoutSeconds;
    const timeoutMs = perServer ? perServer * 1000 : s.requestTimeoutMs;
    // Per call: reuse the last object while nothing changed.
    const d = this.lastDefaults;
    if (d && d.timeoutMs === timeoutMs && d.maxTotalTimeoutMs === s.maxTotalTimeoutMs) return d;
    return (this.lastDefaults = { timeoutMs, maxTotalTimeoutMs: s.maxTotalTimeoutMs });
  }

  /** The running connection, starting the server first if needed (start on first use). */
  private async connection(signal?: AbortSignal): Promise<McpConnection> {
    if (this.isUsable() && this.conn) return this.conn;
    if (signal?.aborted) throw new ServerRequestError('cancelled', 'cancelled');
    let onAbort: (() => void) | undefined;
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(new ServerRequestError('cancelled while the server was starting', 'cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    aborted.catch(() => {});
    try {
      await Promise.race([this.start(), aborted]);
    } finally {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
    if (!this.conn) throw new ServerRequestError(`${this.name} is not running`, 'notRunning');
    return this.conn;
  }

  private request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RequestOptions | undefined,
    progress = true,
  ): Promise<Record<string, unknown>> {
    // The common case (running) without the extra promise of awaiting connection().
    if (this.isUsable() && this.conn) return this.conn.request(method, params, options, this.requestDefaults(), progress);
    return this.connection(options?.signal).then((conn) => conn.request(method, params, options, this.requestDefaults(), progress));
  }

  async callTool(name: string, args: Record<string, unknown>, options?: RequestOptions): Promise<CallToolResult> {
    const raw = await this.request('tools/call', { name, arguments: args }, options);
    const { value, problems } = sdk().toCallToolResult(raw);
    for (const p of problems) this.log.warn(`tools/call ${name}: ${p}`);
    return value;
  }

  async readResource(uri: string, options?: RequestOptions): Promise<ReadResourceResult> {
    const raw = await this.request('resources/read', { uri }, options);
    return this.parse(() => sdk().toReadResourceResult(raw));
  }

  async getPrompt(name: string, args: Record<string, string>, options?: RequestOptions): Promise<GetPromptResult> {
    const raw = await this.request('prompts/get', { name, arguments: args }, options);
    return this.parse(() => sdk().toGetPromptResult(raw));
  }

  async complete(
    ref: CompletionRef,
    argument: { name: string; value: string },
    context?: Record<string, string>,
    options?: RequestOptions,
  ): Promise<string[]> {
    const conn = await this.connection(options?.signal);
    if (!conn.info.capabilities.completions) return [];
    const params: Record<string, unknown> = { ref, argument };
    if (context) params.context = { arguments: context };
    const raw = await conn.request('completion/complete', params, options, this.requestDefaults(), false);
    return this.parse(() => sdk().toCompleteResult(raw)).completion.values;
  }

  async ping(options?: RequestOptions): Promise<void> {
    await this.request('ping', undefined, options, false);
  }

  private parse<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw new ServerRequestError(errorMessage(e), 'invalidResponse');
    }
  }
}
