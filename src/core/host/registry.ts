/**
 * All configured servers. `apply` takes a newly loaded configuration as a diff keyed by definition id:
 * changed definitions restart (when they were running), removed ones stop, new ones are added and auto-started
 * with bounded concurrency so the first becomes usable early.
 */
import { definitionKey as defaultDefinitionKey } from '../config/definitionKey';
import { resolveLaunch as defaultResolveLaunch } from '../config/resolve';
import type { ConfigProblem, LoadedConfig, ServerDefinition } from '../config/types';
import { McpServer } from '../server/server';
import { defaultTuning, type ServerTuning } from '../server/tuning';
import { errorMessage } from '../protocol/errors';
import type { ServerHandle } from '../server/types';
import { createStartLimiter, type StartLimiter } from './startQueue';
import { createTransport, type TransportFactory } from '../transport/launch';
import type { RegistryDeps, ServerRegistry } from './types';
import { DisposableStore, Emitter, type Event } from '../base/events';

/** Internal tuning (tests shorten the timings); every field is optional. */
export interface RegistryOptions extends Partial<ServerTuning> {
  readonly createTransport?: TransportFactory;
  readonly definitionKey?: (def: ServerDefinition) => string;
  /** How many servers auto-start at once. Default `defaultStartConcurrency()` (one per core, at least 2). */
  readonly startConcurrency?: number;
  /**
   * An auto-start holds its slot at most this long (default 2000 ms; 0: until it settles), so a server that waits on
   * the network (`npx` downloading) does not hold up the others.
   */
  readonly startHoldLimitMs?: number;
}

interface Entry {
  readonly server: McpServer;
  key: string;
  readonly subscriptions: DisposableStore;
}

class Registry implements ServerRegistry {
  private readonly _onDidChangeServers = new Emitter<void>();
  readonly onDidChangeServers: Event<void> = this._onDidChangeServers.event;
  private readonly _onDidChangeServer = new Emitter<ServerHandle>();
  readonly onDidChangeServer: Event<ServerHandle> = this._onDidChangeServer.event;

  private entries = new Map<string, Entry>();
  private order: McpServer[] = [];
  private _problems: readonly ConfigProblem[] = [];
  private readonly tuning: ServerTuning;
  private readonly keyOf: (def: ServerDefinition) => string;
  /** Auto-starts only: a start the user asks for (command, tree expansion, first call) runs at once, ahead of them. */
  private readonly starts: StartLimiter;
  private readonly disposables = new DisposableStore();
  private disposing: Promise<void> | undefined;
  /** Tool names offered by more than one server, as last reported (so each overlap is logged once). */
  private sharedToolNames = new Map<string, string>();
  /** apply() calls run one after the other. */
  private applying: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: RegistryDeps,
    options: RegistryOptions,
  ) {
    this.tuning = {
      ...defaultTuning,
      createTransport,
      resolveLaunch: defaultResolveLaunch,
      ...stripUndefined(options),
    };
    this.keyOf = options.definitionKey ?? defaultDefinitionKey;
    this.starts = createStartLimiter({
      ...(options.startConcurrency !== undefined ? { concurrency: Math.max(1, options.startConcurrency) } : {}),
      ...(options.startHoldLimitMs !== undefined ? { holdLimitMs: options.startHoldLimitMs } : {}),
    });
    this.disposables.add(deps.gate.onDidChange(() => this.onGateChanged()));
  }

  get servers(): readonly ServerHandle[] {
    return this.order;
  }

  get problems(): readonly ConfigProblem[] {
    return this._problems;
  }

  get(id: string): ServerHandle | undefined {
    return this.entries.get(id)?.server;
  }

  getByName(name: string): ServerHandle | undefined {
    return this.order.find((s) => s.name === name);
  }

  apply(config: LoadedConfig): Promise<void> {
    const run = this.applying.then(() => this.doApply(config));
    this.applying = run.catch(() => undefined);
    return run;
  }

  private async doApply(config: LoadedConfig): Promise<void> {
    if (this.disposing) return;
    const log = this.deps.hostLogger;
    const next = new Map<string, ServerDefinition>();
    for (const def of config.servers) if (!next.has(def.id)) next.set(def.id, def);

    const removed = [...this.entries.values()].filter((e) => !next.has(e.server.id));
    const changed: { entry: Entry; def: ServerDefinition }[] = [];
    const added: McpServer[] = [];
    for (const def of next.values()) {
      const entry = this.entries.get(def.id);
      const key = this.keyOf(def);
      if (!entry) {
        const server = new McpServer(def, this.deps, this.tuning);
        const subscriptions = new DisposableStore();
        subscriptions.add(server.onDidChangeState(() => this._onDidChangeServer.fire(server)));
        subscriptions.add(server.onDidChangeAuth(() => this._onDidChangeServer.fire(server)));
        subscriptions.add(
          server.onDidChangeLists(() => {
            this.checkSharedToolNames();
            this._onDidChangeServer.fire(server);
          }),
        );
        this.entries.set(def.id, { server, key, subscriptions });
        added.push(server);
      } else if (entry.key !== key) {
        entry.key = key;
        changed.push({ entry, def });
      }
    }
    for (const e of removed) {
      this.entries.delete(e.server.id);
      e.subscriptions.dispose();
    }
    const orderChanged = this.order.map((s) => s.id).join('\n') !== [...next.keys()].join('\n');
    this.order = [...next.keys()].map((id) => this.entries.get(id)!.server);
    const problemsChanged = JSON.stringify(this._problems) !== JSON.stringify(config.problems);
    this._problems = config.problems;
    if (removed.length || added.length || problemsChanged || changed.length) {
      log.info(`configuration: ${added.length} added, ${changed.length} changed, ${removed.length} removed, ${this.order.length} servers`);
    }
    if (orderChanged || problemsChanged) this._onDidChangeServers.fire();

    await Promise.all([
      ...removed.map((e) =>
        e.server
          .dispose('removed from the configuration')
          .catch((err: unknown) => log.warn(`stopping removed server ${e.server.name} failed: ${errorMessage(err)}`)),
      ),
      ...changed.map(async ({ entry, def }) => {
        const server = entry.server;
        const before = server.state;
        await server.updateDefinition(def);
        this._onDidChangeServer.fire(server);
        // Now startable after being disabled, blocked or failed: autostart applies as for a new server.
        const wasIdle = before.kind === 'stopped' && !before.reason;
        if (!wasIdle && before.kind !== 'running' && before.kind !== 'starting' && server.wantsAutoStart) this.autoStart(server);
      }),
    ]);
    if (removed.length) this.checkSharedToolNames();
    for (const s of added) if (s.wantsAutoStart) this.autoStart(s);
  }

  private autoStart(server: McpServer): void {
    if (server.state.kind !== 'stopped' || server.state.reason) return;
    this.starts
      .run(async () => {
        if (this.disposing || this.entries.get(server.id)?.server !== server) return;
        if (server.state.kind !== 'stopped' || server.state.reason) return;
        try {
          await server.start();
        } catch (e) {
          this.deps.hostLogger.warn(`auto-start of ${server.name} failed: ${errorMessage(e)}`);
        }
      })
      .catch(() => undefined); // only when the queue was disposed (shutdown): the start was not wanted any more
  }

  private onGateChanged(): void {
    if (this.disposing) return;
    for (const server of this.order) {
      const wasBlocked = server.state.kind === 'stopped' && server.state.reason !== undefined;
      void server.reevaluateGate().then(
        () => {
          if (wasBlocked && server.state.kind === 'stopped' && !server.state.reason && server.wantsAutoStart) this.autoStart(server);
        },
        (e: unknown) => this.deps.hostLogger.warn(`re-checking trust of ${server.name} failed: ${errorMessage(e)}`),
      );
    }
  }

  /** Tools with the same name on several servers stay apart (each server has its own); log the overlap once. */
  private checkSharedToolNames(): void {
    const owners = new Map<string, string[]>();
    for (const s of this.order) {
      for (const t of s.lists.tools) {
        const list = owners.get(t.name) ?? [];
        list.push(s.name);
        owners.set(t.name, list);
      }
    }
    const now = new Map<string, string>();
    for (const [tool, servers] of owners) {
      if (servers.length < 2) continue;
      const who = servers.join(', ');
      now.set(tool, who);
      if (this.sharedToolNames.get(tool) !== who) {
        this.deps.hostLogger.info(`tool "${tool}" is offered by several servers (${who}); they are kept apart by server`);
      }
    }
    this.sharedToolNames = now;
  }

  /** Tool names offered by more than one server: name -> server names. */
  get toolNameOverlaps(): ReadonlyMap<string, string> {
    return this.sharedToolNames;
  }

  notifyRootsChanged(): void {
    for (const s of this.order) s.notifyRootsChanged();
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.disposables.dispose();
      this.starts.dispose();
      const all = [...this.entries.values()];
      await Promise.all(
        all.map((e) =>
          e.server.dispose().catch((err: unknown) => this.deps.hostLogger.warn(`stopping ${e.server.name} failed: ${errorMessage(err)}`)),
        ),
      );
      for (const e of all) e.subscriptions.dispose();
      this._onDidChangeServers.dispose();
      this._onDidChangeServer.dispose();
    })();
    return this.disposing;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Creates the registry of every configured server. `options` is for tests and tuning (transport factory,
 * shorter backoff and grace periods); the extension passes none.
 */
export function createServerRegistry(deps: RegistryDeps, options: RegistryOptions = {}): ServerRegistry {
  return new Registry(deps, options);
}
