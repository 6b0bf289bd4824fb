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

// The tuning and the launch helpers moved to ./tuning; re-exported for existing importers.
export { defaultTuning, staticStoppedReason, type LaunchResolver, type ServerTuning } from './tuning';

export class McpServer extends ServerLifecycle implements ServerHandle {
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

  /** `ping` (legacy); the modern era has none, and `server/discover` shows just as well that the server answers. */
  async ping(options?: RequestOptions): Promise<void> {
    const conn = await this.connection(options?.signal);
    await conn.request(conn.info.era === 'modern' ? 'server/discover' : 'ping', undefined, options, this.requestDefaults(), false);
  }

  /**
   * Watches these resources for `notifications/resources/updated` (modern servers offering resource subscriptions;
   * see onDidUpdateResource). Replaces the previous set; kept across restarts. TODO(#16): live resources in the UI.
   */
  watchResources(uris: readonly string[]): Promise<void> {
    return this.streams.watchResources(uris);
  }

  private parse<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw new ServerRequestError(errorMessage(e), 'invalidResponse');
    }
  }
}
