/**
 * The last known lists of one server (tools, resources, templates, prompts, warnings): refreshed on start, on
 * request and on `list_changed` (debounced, never two at once), and kept while the server restarts.
 */
import { Emitter, type Event } from '../base/events';
import type { Logger } from '../base/logger';
import type { ListChangedKind } from '../protocol/sdk';
import type { McpConnection, RequestDefaults } from '../session/connection';
import { allKinds, fetchLists } from '../session/listFetch';
import type { ListKind } from '../session/paging';
import { emptyLists, type ServerLists } from './types';

/** What the cache asks of its server. */
export interface ListCacheHost {
  /** The connection in use now, if any. */
  current(): McpConnection | undefined;
  /** The server was removed: nothing is stored any more. */
  isDisposed(): boolean;
  requestDefaults(): RequestDefaults;
  readonly log: Logger;
  readonly debounceMs: number;
  /** Cap against cursor cycles. */
  readonly maxPages: number;
  /** A subscriptions/listen stream keeps this kind current (modern servers): its TTL need not be watched. */
  isLive(kind: ListKind): boolean;
  /** The shortest time a hinted list counts as fresh. Default MIN_REFETCH_MS. */
  readonly minRefetchMs?: number;
}

/**
 * A list whose cache hint says ttlMs 0 (the v2 SDK's default) would be fetched again on every look: look again at
 * most this often. Lists without a hint (legacy servers) never go stale by time; notifications keep them current.
 */
export const MIN_REFETCH_MS = 5000;

export class ListCache {
  private readonly _onDidChange = new Emitter<ServerLists>();
  readonly onDidChange: Event<ServerLists> = this._onDidChange.event;

  private _lists: ServerLists = emptyLists;
  private readonly kindWarnings = new Map<ListKind, readonly string[]>();
  private readonly dirty = new Set<ListKind>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing = false;
  /** Until when each kind's list is fresh by its cache hint (kinds without a hint are not here). */
  private readonly freshUntil = new Map<ListKind, number>();

  constructor(private readonly host: ListCacheHost) {}

  get lists(): ServerLists {
    return this._lists;
  }

  onListChanged(conn: McpConnection, kind: ListChangedKind): void {
    if (conn !== this.host.current()) return;
    this.host.log.debug(`notifications/${kind}/list_changed`);
    this.dirty.add(kind);
    this.scheduleRefresh();
  }

  /** Forgets pending list_changed refreshes (the connection ended or the server stops). */
  clearTimer(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.dirty.clear();
  }

  /** At most one refresh per debounce window, and never two at once: a storm costs a bounded number of lists. */
  private scheduleRefresh(): void {
    if (this.refreshTimer || this.refreshing) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.runDirtyRefresh();
    }, this.host.debounceMs);
  }

  private async runDirtyRefresh(): Promise<void> {
    const conn = this.host.current();
    if (!conn || this.dirty.size === 0) return;
    const kinds = [...this.dirty];
    this.dirty.clear();
    this.refreshing = true;
    try {
      await this.refresh(conn, kinds);
    } finally {
      this.refreshing = false;
      if (this.dirty.size > 0 && this.host.current() === conn) this.scheduleRefresh();
    }
  }

  /** Lists the given kinds the server offers (capabilities), following cursors; failures become warnings. */
  async refresh(conn: McpConnection, kinds: readonly ListKind[] = allKinds): Promise<void> {
    const { next, warnings: fetched, hints } = await fetchLists(conn, kinds, this.host.requestDefaults(), this.host.maxPages);
    for (const [kind, w] of fetched) this.kindWarnings.set(kind, w);
    const now = Date.now();
    for (const kind of kinds) {
      const h = hints.get(kind);
      if (h) this.freshUntil.set(kind, now + Math.max(h.ttlMs, this.host.minRefetchMs ?? MIN_REFETCH_MS));
      else if (fetched.has(kind)) this.freshUntil.delete(kind);
    }
    // A connection that was stopped meanwhile: its failures say nothing about the server's lists.
    if (this.host.isDisposed() || (conn !== this.host.current() && conn.isClosing)) return;
    const warnings = allKinds.flatMap((k) => this.kindWarnings.get(k) ?? []);
    // A Set: 'includes' per warning made re-listing quadratic in the number of warnings.
    const known = new Set(this._lists.warnings);
    for (const w of warnings) if (!known.has(w)) this.host.log.warn(w);
    this._lists = {
      tools: next.tools ?? this._lists.tools,
      resources: next.resources ?? this._lists.resources,
      resourceTemplates: next.resourceTemplates ?? this._lists.resourceTemplates,
      prompts: next.prompts ?? this._lists.prompts,
      warnings,
    };
    this.host.log.debug(
      `lists: ${this._lists.tools.length} tools, ${this._lists.resources.length} resources, ` +
        `${this._lists.resourceTemplates.length} templates, ${this._lists.prompts.length} prompts`,
    );
    this._onDidChange.fire(this._lists);
  }

  /**
   * The kinds whose cache hint expired and that no subscription keeps current (server/utilities/caching: re-fetch
   * a stale list when it is needed, not on a timer).
   */
  staleKinds(now = Date.now()): ListKind[] {
    return [...this.freshUntil].filter(([kind, until]) => until <= now && !this.host.isLive(kind)).map(([kind]) => kind);
  }

  dispose(): void {
    this.clearTimer();
    this._onDidChange.dispose();
  }
}
