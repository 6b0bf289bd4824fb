/**
 * What the remote transports share: the SDK-facing callbacks, one end (onDidExit fires once, with a description
 * instead of an exit code), redacted logging, connection facts, and JSON-RPC error answers made up for a request
 * whose answer cannot arrive (so it fails at once with a coded reason instead of waiting for its timeout).
 */
import { Emitter } from '../../base/events';
import { redact } from '../../base/logger';
import { TRANSPORT_REASON_KEY, TransportError, type TransportErrorCode } from '../errors';
import type { ConnectionFacts, JsonRpcMessage, ProcessExit } from '../types';
import { fetchSameOrigin, redactUrl, statusError, type FetchInit, type FetchLike } from './network';
import type { RemoteTransportOptions } from './types';

/** Longest excerpt of a message written to the trace log. */
const LOG_EXCERPT = 2048;

export function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? String(mib) : mib.toFixed(2);
}

export abstract class RemoteBase {
  onmessage?: (message: JsonRpcMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  private readonly _onDidExit = new Emitter<ProcessExit>();
  readonly onDidExit = this._onDidExit.event;

  protected state: 'new' | 'running' | 'ended' = 'new';
  protected closing = false;
  protected readonly shownUrl: string;
  protected lastError: string | undefined;
  protected reconnects = 0;
  /** The sign-in headers last sent (for a request made outside `fetchAuthorized`, the DELETE of a session). */
  protected authHeaders: Readonly<Record<string, string>> = {};

  protected constructor(
    protected readonly options: RemoteTransportOptions,
    private readonly transportName: string,
  ) {
    this.shownUrl = redactUrl(options.url, options.secrets);
  }

  get pid(): number | undefined {
    return undefined;
  }

  stderrTail(): string {
    return '';
  }

  protected sessionIdForFacts(): string | undefined {
    return undefined;
  }

  connectionFacts(): ConnectionFacts {
    const sessionId = this.sessionIdForFacts();
    return {
      transport: this.transportName,
      url: this.shownUrl,
      reconnects: this.reconnects,
      ...(sessionId !== undefined ? { sessionId } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
    };
  }

  protected redact(text: string): string {
    return this.options.secrets.length ? redact(text, this.options.secrets) : text;
  }

  protected log(level: 'trace' | 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.options.logger[level](this.redact(message));
  }

  protected trace(direction: '→' | '←', text: string): void {
    this.options.logger.trace(`${direction} ${this.redact(text.length > LOG_EXCERPT ? `${text.slice(0, LOG_EXCERPT)}… (${text.length} chars)` : text)}`);
  }

  /**
   * One request with sign-in (when `auth` is given): the provider's current headers (a token refreshed before
   * expiry goes out at once), and on a 401/403 one retry with the headers its hook gives. The caller checks the
   * status (see `failedStatus`).
   */
  protected async fetchAuthorized(doFetch: FetchLike, url: URL, init: FetchInit, what: string): Promise<Response> {
    const auth = this.options.auth;
    if (!auth) return fetchSameOrigin(doFetch, url, init, this.shownUrl, what);
    const sent = await auth.headers();
    this.authHeaders = sent;
    const res = await fetchSameOrigin(doFetch, url, { ...init, headers: withHeaders(init.headers, sent) }, this.shownUrl, what);
    if (res.status !== 401 && res.status !== 403) return res;
    const extra = await auth.authorize({
      status: res.status,
      wwwAuthenticate: res.headers.get('www-authenticate') ?? undefined,
      url: this.options.url,
      sentAuthorization: headerValue(sent, 'authorization'),
    });
    if (!extra || this.closing) return res;
    void res.body?.cancel().catch(() => undefined);
    this.authHeaders = extra;
    return fetchSameOrigin(doFetch, url, { ...init, headers: withHeaders(init.headers, extra) }, this.shownUrl, what);
  }

  /** The coded error of a failed status; a 401/403 the sign-in gave up on says what the user must do. */
  protected failedStatus(res: Response, what: string, session: boolean, body?: string): Promise<TransportError> {
    const refusal = res.status === 401 || res.status === 403 ? this.options.auth?.refusal() : undefined;
    return statusError(res, what, this.shownUrl, session, { ...(refusal !== undefined ? { refusal } : {}), ...(body !== undefined ? { body } : {}) });
  }

  /** A failure worth showing later (facts) and logging now; returns it for throwing. */
  protected noteError<E extends Error>(e: E): E {
    this.lastError = this.redact(e.message);
    this.log('warn', e.message);
    return e;
  }

  protected fireError(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    try {
      this.onerror?.(error);
    } catch {
      // a failing error handler must not break the stream
    }
  }

  protected deliver(message: JsonRpcMessage): void {
    try {
      this.onmessage?.(message);
    } catch (err) {
      this.fireError(err);
    }
  }

  /** Ends request `id` at once with a made-up JSON-RPC error carrying `reason` (see session/errors.ts). */
  protected failRequest(id: string | number, message: string, reason: TransportErrorCode): void {
    this.deliver({ jsonrpc: '2.0', id, error: { code: -32603, message: this.redact(message), data: { [TRANSPORT_REASON_KEY]: reason } } });
  }

  protected limitMessage(): string {
    return `message from server exceeded ${formatMiB(this.options.maxMessageBytes)} MiB (mcpHost.maxMessageSizeMB)`;
  }

  protected overLimitError(): TransportError {
    return new TransportError(this.limitMessage(), 'overLimit');
  }

  /** The connection is over: fires onDidExit and onclose once. `failure` set when it was not asked for. */
  protected end(failure?: TransportError): void {
    if (this.state === 'ended') return;
    this.state = 'ended';
    const expected = this.closing && !failure;
    if (failure) this.lastError = this.redact(failure.message);
    const description = failure ? `lost its connection: ${this.redact(failure.message)}` : 'closed its connection';
    this.log(expected ? 'info' : 'warn', `Connection to ${this.shownUrl} ended${failure ? `: ${failure.message}` : ''}`);
    this._onDidExit.fire({
      code: null,
      signal: null,
      stderrTail: '',
      expected,
      description,
      ...(failure ? { reason: failure.code } : {}),
    });
    this._onDidExit.dispose();
    try {
      this.onclose?.();
    } catch (err) {
      this.log('error', `onclose failed: ${String(err)}`);
    }
  }
}

/** `base` with `extra` on top, names compared case-insensitively (one Authorization header, never two). */
export function withHeaders(base: Readonly<Record<string, string>> | undefined, extra: Readonly<Record<string, string>>): Record<string, string> {
  const names = new Set(Object.keys(extra).map((k) => k.toLowerCase()));
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(base ?? {})) if (!names.has(k.toLowerCase())) out[k] = v;
  return { ...out, ...extra };
}

function headerValue(h: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [k, v] of Object.entries(h)) if (k.toLowerCase() === name) return v;
  return undefined;
}
