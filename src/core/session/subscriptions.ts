/**
 * `subscriptions/listen` streams of one modern connection (basic/patterns/subscriptions): each is a long-lived
 * request, acknowledged first by `notifications/subscriptions/acknowledged`; every notification on it carries the
 * listen request's id in `_meta` (`io.modelcontextprotocol/subscriptionId`), which is how they are told apart on
 * stdio. Notifications for an id we did not open (or before its acknowledgement) are ignored.
 */
import { RpcError } from '../protocol/errors';
import { META_SUBSCRIPTION_ID } from '../protocol/modern';
import type { ListChangedKind } from '../protocol/sdk';

/** What a listen asks for (SubscriptionFilter in the schema). */
export interface SubscriptionFilter {
  readonly toolsListChanged?: boolean;
  readonly promptsListChanged?: boolean;
  readonly resourcesListChanged?: boolean;
  readonly resourceSubscriptions?: readonly string[];
}

/** At most this many resource URIs per listen (the list is echoed back by the server). */
export const MAX_RESOURCE_SUBSCRIPTIONS = 256;

interface Stream {
  readonly id: number;
  readonly filter: SubscriptionFilter;
  /** What the server agreed to honour, once acknowledged. */
  acked: SubscriptionFilter | undefined;
  settle?: (error: Error | undefined) => void;
}

export interface SubscriptionsHost {
  send(id: number, params: Record<string, unknown>): void;
  cancel(id: number): void;
  newId(): number;
  onListChanged(kind: ListChangedKind): void;
  onResourceUpdated(uri: string): void;
  debug(message: string): void;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function filterOf(raw: unknown): SubscriptionFilter {
  const f = isObject(raw) ? raw : {};
  const uris = Array.isArray(f.resourceSubscriptions) ? f.resourceSubscriptions.filter((u): u is string => typeof u === 'string') : undefined;
  return {
    ...(f.toolsListChanged === true ? { toolsListChanged: true } : {}),
    ...(f.promptsListChanged === true ? { promptsListChanged: true } : {}),
    ...(f.resourcesListChanged === true ? { resourcesListChanged: true } : {}),
    ...(uris ? { resourceSubscriptions: uris.slice(0, MAX_RESOURCE_SUBSCRIPTIONS) } : {}),
  };
}

const listKinds: Readonly<Record<string, { readonly kind: ListChangedKind; readonly flag: keyof SubscriptionFilter }>> = {
  'notifications/tools/list_changed': { kind: 'tools', flag: 'toolsListChanged' },
  'notifications/prompts/list_changed': { kind: 'prompts', flag: 'promptsListChanged' },
  'notifications/resources/list_changed': { kind: 'resources', flag: 'resourcesListChanged' },
};

export class Subscriptions {
  private readonly streams = new Map<number, Stream>();

  constructor(private readonly host: SubscriptionsHost) {}

  /** The streams open now (acknowledged or not). */
  get size(): number {
    return this.streams.size;
  }

  /**
   * Opens a stream and resolves with the filter the server acknowledged; rejects when the server answers the listen
   * with an error, the connection closes, or no acknowledgement comes within `timeoutMs` (the stream is cancelled).
   */
  open(filter: SubscriptionFilter, timeoutMs: number): { readonly id: number; readonly acknowledged: Promise<SubscriptionFilter> } {
    const id = this.host.newId();
    const stream: Stream = { id, filter, acked: undefined };
    this.streams.set(id, stream);
    const done = new Promise<SubscriptionFilter>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close(id);
        reject(new Error(`subscriptions/listen was not acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      stream.settle = (error) => {
        clearTimeout(timer);
        stream.settle = undefined;
        if (error) reject(error);
        else resolve(stream.acked ?? {});
      };
    });
    const params: Record<string, unknown> = {
      notifications: {
        ...filter,
        ...(filter.resourceSubscriptions ? { resourceSubscriptions: filter.resourceSubscriptions.slice(0, MAX_RESOURCE_SUBSCRIPTIONS) } : {}),
      },
    };
    this.host.send(id, params);
    return { id, acknowledged: done };
  }

  /** Cancels one stream at the server (notifications/cancelled) and forgets it. */
  close(id: number): void {
    const s = this.streams.get(id);
    if (!s) return;
    this.streams.delete(id);
    s.settle?.(new Error('the subscription was closed before it was acknowledged'));
    this.host.cancel(id);
  }

  /** The response to a listen request: an error, or the server ending the stream gracefully. True if it was one. */
  onResponse(id: unknown, m: Record<string, unknown>): boolean {
    if (typeof id !== 'number') return false;
    const s = this.streams.get(id);
    if (!s) return false;
    this.streams.delete(id);
    if ('error' in m) {
      const e = isObject(m.error) ? m.error : {};
      const err = new RpcError(typeof e.code === 'number' ? e.code : -32603, typeof e.message === 'string' ? e.message.slice(0, 300) : 'error', e.data);
      if (s.settle) s.settle(err);
      else this.host.debug(`subscription ${id} ended with an error: ${err.message}`);
    } else {
      s.settle?.(new Error('the server ended the subscription before acknowledging it'));
      this.host.debug(`subscription ${id} ended by the server`);
    }
    return true;
  }

  /** A notification that may belong to a stream; dropped unless its subscription id is one of ours, acknowledged. */
  onNotification(method: string, params: Record<string, unknown>): void {
    const meta = isObject(params._meta) ? params._meta : {};
    const sid = meta[META_SUBSCRIPTION_ID];
    const s = typeof sid === 'number' ? this.streams.get(sid) : undefined;
    if (method === 'notifications/subscriptions/acknowledged') {
      if (!s || s.acked) return;
      s.acked = filterOf(params.notifications);
      s.settle?.(undefined);
      return;
    }
    if (!s || !s.acked) {
      this.host.debug(`${method.slice(0, 80)} without a subscription of ours (${JSON.stringify(sid)?.slice(0, 40)}) ignored`);
      return;
    }
    const list = listKinds[method];
    if (list) {
      if (s.acked[list.flag]) this.host.onListChanged(list.kind);
      return;
    }
    if (method === 'notifications/resources/updated' && typeof params.uri === 'string') {
      if (s.acked.resourceSubscriptions?.includes(params.uri)) this.host.onResourceUpdated(params.uri);
      return;
    }
    this.host.debug(`notification ${method.slice(0, 80)} ignored`);
  }

  /** The connection closed: every stream ended (a new connection listens again). */
  closeAll(error: Error): void {
    for (const s of this.streams.values()) s.settle?.(error);
    this.streams.clear();
  }
}
