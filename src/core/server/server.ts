/**
 * One configured server as the adapters use it (ServerHandle): the lifecycle (./lifecycle.ts), the cached lists
 * (./listCache.ts), and requests that start the server on first use and parse answers leniently.
 */
import { ServerRequestError, errorMessage } from '../protocol/errors';
import { sdk } from '../protocol/loadSdk';
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '../protocol/sdk';
import type { McpConnection } from '../session/connection';
import { allKinds } from '../session/listFetch';
import { ServerLifecycle } from './lifecycle';
import type { CompletionRef, RequestOptions, ServerHandle } from './types';
import type { Disposable, Event } from '../base/events';
import type { LogLevel } from '../config/types';
import type { AskRecord } from '../session/asks/types';
import { AnswerErrorCode } from '../session/asks/types';

// The tuning and the launch helpers moved to ./tuning; re-exported for existing importers.
export { defaultTuning, staticStoppedReason, type LaunchResolver, type ServerTuning } from './tuning';

export class McpServer extends ServerLifecycle implements ServerHandle {
  /** Resources open somewhere (documents), by URI, with how many holders: subscribed while the count is > 0. */
  private readonly subscribed = new Map<string, number>();
  /** Set from the tree for this session; else the definition's `logLevel`. */
  private chosenLogLevel: LogLevel | undefined;

  get asked(): AskRecord {
    return this.answers.record;
  }

  get onDidAsk(): Event<AskRecord> {
    return this.answers.onDidAsk;
  }

  get logLevel(): LogLevel | undefined {
    return this.chosenLogLevel ?? this.definition.entry.logLevel;
  }

  protected override currentLogLevel(): string | undefined {
    return this.logLevel;
  }

  protected override onConnected(conn: McpConnection): void {
    const level = this.logLevel;
    const caps = conn.info.capabilities;
    // The modern era has neither: the level goes in every request's _meta, subscriptions are listened to (LiveStreams).
    if (conn.info.era === 'modern') return;
    if (level && caps.logging) this.sendQuietly(conn, 'logging/setLevel', { level });
    if (caps.resources?.subscribe) for (const uri of this.subscribed.keys()) this.sendQuietly(conn, 'resources/subscribe', { uri });
  }

  private sendQuietly(conn: McpConnection, method: string, params: Record<string, unknown>): void {
    conn.request(method, params, undefined, this.requestDefaults(), false).catch((e: unknown) => this.log.warn(`${method} failed: ${errorMessage(e)}`));
  }

  /**
   * `logging/setLevel` now (starting the server if needed) and after every restart of this session; in the modern
   * era the level goes in the `_meta` of every request from now on (there is no logging/setLevel).
   */
  async setLogLevel(level: LogLevel, options?: RequestOptions): Promise<void> {
    this.chosenLogLevel = level;
    const conn = await this.connection(options?.signal);
    if (conn.info.era === 'modern') {
      this.log.info(`log level set to ${level} (sent with every request)`);
      return;
    }
    if (!conn.info.capabilities.logging) {
      throw new ServerRequestError(`${this.name} does not support setting a log level (no "logging" capability)`, 'rpc', { code: AnswerErrorCode.methodNotFound });
    }
    await conn.request('logging/setLevel', { level }, options, this.requestDefaults(), false);
    this.log.info(`log level set to ${level}`);
  }

  /**
   * Keeps `uri` subscribed while the returned disposable lives, when the server supports subscriptions:
   * `resources/subscribe` in the legacy era, a `subscriptions/listen` stream for the subscribed set in the modern era
   * (./liveStreams.ts, opened again after a restart). `onDidUpdateResource` fires for its updates. Several holders
   * share one subscription.
   */
  subscribeResource(uri: string): Disposable {
    const n = this.subscribed.get(uri) ?? 0;
    this.subscribed.set(uri, n + 1);
    const conn = this.conn;
    if (n === 0) this.watchSubscribed();
    if (n === 0 && conn && this.isUsable() && conn.info.era === 'legacy' && conn.info.capabilities.resources?.subscribe) this.sendQuietly(conn, 'resources/subscribe', { uri });
    let done = false;
    return {
      dispose: () => {
        if (done) return;
        done = true;
        const left = (this.subscribed.get(uri) ?? 1) - 1;
        if (left > 0) {
          this.subscribed.set(uri, left);
          return;
        }
        this.subscribed.delete(uri);
        this.watchSubscribed();
        const c = this.conn;
        if (c && this.isUsable() && c.info.era === 'legacy' && c.info.capabilities.resources?.subscribe) this.sendQuietly(c, 'resources/unsubscribe', { uri });
      },
    };
  }

  /**
   * Runs `run`; when the server answers -32042 (URL elicitation required) the user is offered the link(s) and,
   * once they say it is done, the call is retried once.
   */
  private withUrlRetry<T>(options: RequestOptions | undefined, run: () => Promise<T>): Promise<T> {
    // Not an async function: the per-call path pays one promise (the catch), not an async frame and an await.
    let p: Promise<T>;
    try {
      p = run();
    } catch (e) {
      p = Promise.reject(e as Error);
    }
    return p.catch((e: unknown) => this.retryAfterUrl(e, options, run));
  }

  private async retryAfterUrl<T>(e: unknown, options: RequestOptions | undefined, run: () => Promise<T>): Promise<T> {
    if (!(e instanceof ServerRequestError && e.kind === 'rpc' && e.code === AnswerErrorCode.urlElicitationRequired)) throw e;
    const ctx = {
      server: this.answers.server,
      signal: options?.signal ?? new AbortController().signal,
      awaitingInput: (what: string | undefined) => options?.onAwaitingInput?.(what),
    };
    const retry = await this.answers.resolveUrlRequired(e.details.data, ctx).catch(() => false);
    if (!retry) throw e;
    this.log.info('retrying the call after the URL elicitation completed');
    return run();
  }

  async refresh(): Promise<void> {
    const conn = this.conn;
    if (!conn || this.state.kind !== 'running') {
      await this.start();
      return;
    }
    await this.listCache.refresh(conn, allKinds);
  }

  /**
   * Re-lists the kinds whose cache hint (`ttlMs`, modern servers) expired and that no subscription keeps current.
   * Cheap to call whenever the lists are about to be shown; legacy lists never go stale by time.
   */
  async refreshStale(): Promise<void> {
    const conn = this.conn;
    if (!conn || this.state.kind !== 'running') return;
    const kinds = this.listCache.staleKinds();
    if (kinds.length) await this.listCache.refresh(conn, kinds);
  }

  notifyRootsChanged(): void {
    const conn = this.conn;
    // The modern era has no roots/list_changed: roots travel with each input_required answer.
    if (!conn || this.state.kind !== 'running' || conn.info.era === 'modern') return;
    conn.notify('notifications/roots/list_changed').catch((e: unknown) => this.log.debug(`roots/list_changed not sent: ${errorMessage(e)}`));
  }

  /** The running connection, starting the server first if needed (start on first use). */
  protected async connection(signal?: AbortSignal): Promise<McpConnection> {
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
    const raw = await this.withUrlRetry(options, () => this.request('tools/call', { name, arguments: args }, options));
    const { value, problems } = sdk().toCallToolResult(raw);
    for (const p of problems) this.log.warn(`tools/call ${name}: ${p}`);
    return value;
  }

  async readResource(uri: string, options?: RequestOptions): Promise<ReadResourceResult> {
    const raw = await this.withUrlRetry(options, () => this.request('resources/read', { uri }, options));
    return this.parse(() => sdk().toReadResourceResult(raw));
  }

  async getPrompt(name: string, args: Record<string, string>, options?: RequestOptions): Promise<GetPromptResult> {
    const raw = await this.withUrlRetry(options, () => this.request('prompts/get', { name, arguments: args }, options));
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

  /** `ping` (legacy); the modern era has none, and `server/discover` shows just as well that the server answers. */
  async ping(options?: RequestOptions): Promise<void> {
    const conn = await this.connection(options?.signal);
    await conn.request(conn.info.era === 'modern' ? 'server/discover' : 'ping', undefined, options, this.requestDefaults(), false);
  }

  /** The modern era's resource stream follows the subscribed set (a legacy connection ignores it). */
  private watchSubscribed(): void {
    this.streams.watchResources([...this.subscribed.keys()]).catch((e: unknown) => this.log.warn(`watching resources failed: ${errorMessage(e)}`));
  }

  private parse<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw new ServerRequestError(errorMessage(e), 'invalidResponse');
    }
  }
}
