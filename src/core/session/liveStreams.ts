/**
 * The `subscriptions/listen` streams a server keeps open in the modern era: one for list changes (what the server's
 * capabilities offer) and one for the resources someone watches. Opened again on every new connection (the server
 * holds no subscription state across restarts), replaced when the watched resources change.
 */
import type { Logger } from '../base/logger';
import { errorMessage } from '../protocol/errors';
import type { McpConnection } from './connection';
import type { SubscriptionFilter } from './subscriptions';

/** How long a listen waits for its acknowledgement before it is given up (the lists still work without it). */
export const LISTEN_ACK_TIMEOUT_MS = 10_000;

export class LiveStreams {
  private conn: McpConnection | undefined;
  private closeResources: (() => void) | undefined;
  private watched: readonly string[] = [];
  /** What the list-changes stream of the current connection was acknowledged for. */
  private listAck: SubscriptionFilter | undefined;

  constructor(
    private readonly log: Logger,
    private readonly ackTimeoutMs = LISTEN_ACK_TIMEOUT_MS,
  ) {}

  /**
   * A new connection: listens for the list changes its capabilities offer, and for the watched resources. Resolves
   * when both are acknowledged or failed (a failure is a warning: the lists still refresh on request).
   */
  async attach(conn: McpConnection): Promise<void> {
    this.conn = conn;
    this.closeResources = undefined;
    this.listAck = undefined;
    if (conn.info.era !== 'modern') return;
    const caps = conn.info.capabilities as Record<string, { listChanged?: unknown; subscribe?: unknown } | undefined>;
    const filter: SubscriptionFilter = {
      ...(caps.tools?.listChanged ? { toolsListChanged: true } : {}),
      ...(caps.prompts?.listChanged ? { promptsListChanged: true } : {}),
      ...(caps.resources?.listChanged ? { resourcesListChanged: true } : {}),
    };
    const jobs: Promise<void>[] = [];
    if (Object.keys(filter).length) {
      jobs.push(
        this.open(conn, filter, 'list changes', (ack) => {
          if (this.conn === conn) this.listAck = ack;
        }).then(() => undefined),
      );
    }
    jobs.push(this.openResources(conn));
    await Promise.all(jobs);
  }

  /** The connection ended: its streams ended with it. */
  detach(conn: McpConnection): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.closeResources = undefined;
    this.listAck = undefined;
  }

  /** A stream of the current connection reports changes of this list (so its cache needs no TTL checks). */
  isLive(kind: 'tools' | 'resources' | 'prompts'): boolean {
    const a = this.listAck;
    return !!a && (kind === 'tools' ? !!a.toolsListChanged : kind === 'prompts' ? !!a.promptsListChanged : !!a.resourcesListChanged);
  }

  /** Watches these resource URIs from now on (modern servers that offer resource subscriptions). */
  async watchResources(uris: readonly string[]): Promise<void> {
    this.watched = [...new Set(uris)];
    const conn = this.conn;
    this.closeResources?.();
    this.closeResources = undefined;
    if (conn) await this.openResources(conn);
  }

  private async openResources(conn: McpConnection): Promise<void> {
    const caps = conn.info.capabilities as { resources?: { subscribe?: unknown } };
    if (conn.info.era !== 'modern' || !this.watched.length || !caps.resources?.subscribe) return;
    const close = await this.open(conn, { resourceSubscriptions: this.watched }, 'resource updates');
    if (close && this.conn === conn) this.closeResources = close;
    else close?.();
  }

  private async open(
    conn: McpConnection,
    filter: SubscriptionFilter,
    what: string,
    onAck?: (ack: SubscriptionFilter) => void,
  ): Promise<(() => void) | undefined> {
    try {
      const s = await conn.listen(filter, this.ackTimeoutMs);
      if (!s) return undefined;
      onAck?.(s.acknowledged);
      const asked = Object.keys(filter).filter((k) => k !== 'resourceSubscriptions' && !(k in s.acknowledged));
      this.log.debug(`subscriptions/listen for ${what} acknowledged${asked.length ? ` (without ${asked.join(', ')})` : ''}`);
      return s.close;
    } catch (e) {
      if (!conn.isClosing) this.log.warn(`subscriptions/listen for ${what} failed: ${errorMessage(e)}; lists refresh only on request`);
      return undefined;
    }
  }
}
