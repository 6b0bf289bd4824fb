/**
 * The legacy HTTP+SSE transport (MCP 2024-11-05): a GET opens an event stream whose first `endpoint` event names
 * the URL to POST messages to; answers and server messages arrive on the stream. The endpoint must be on the
 * stream's origin (a server's text never makes MCP Host send its headers elsewhere). The session lives as long as
 * the stream: when it ends the transport ends (the server is restarted by its restart policy). An event over
 * `maxMessageBytes` cannot be skipped on this transport: the stream is closed with 'overLimit'.
 */
import { TransportError } from '../errors';
import type { JsonRpcMessage } from '../types';
import { fetchFor, requestSignal, sameOrigin, type FetchLike } from '../http/network';
import { RemoteBase } from '../http/remoteBase';
import { parseMessage, readSse } from '../http/sseReader';
import type { RemoteTransportOptions } from '../http/types';

/** A legacy HTTP+SSE server (`type: sse`, or `type: http` after the fallback). */
export interface SseLaunchSpec extends RemoteTransportOptions {
  readonly kind: 'sse';
}

export function createSseTransport(spec: SseLaunchSpec | RemoteTransportOptions): SseTransport {
  return new SseTransport(spec);
}

export class SseTransport extends RemoteBase {
  private readonly url: URL;
  private readonly doFetch: FetchLike;
  private readonly aborter = new AbortController();
  private endpoint: URL | undefined;
  private closePromise: Promise<void> | undefined;

  constructor(private readonly spec: RemoteTransportOptions) {
    super(spec, 'HTTP+SSE (legacy)');
    this.url = new URL(spec.url);
    this.doFetch = fetchFor(this.url, spec.network ?? {}, (m) => this.log('warn', m));
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('transport already started; create a new one per launch');
    if (this.closing) throw new TransportError('start cancelled', 'cancelled');
    this.log('info', `Connecting to ${this.shownUrl} (HTTP+SSE)`);
    let res: Response;
    try {
      res = await this.fetchAuthorized(
        this.doFetch,
        this.url,
        { method: 'GET', headers: { ...this.spec.headers, Accept: 'text/event-stream' }, signal: this.aborter.signal, redirect: 'manual' },
        'the GET of the event stream',
      );
      if (!res.ok) throw await this.failedStatus(res, 'the GET of the event stream', false);
      const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (type !== 'text/event-stream') {
        void res.body?.cancel().catch(() => undefined);
        throw new TransportError(`the server answered the GET with Content-Type "${type.slice(0, 80) || 'none'}", not an event stream: is ${this.shownUrl} the SSE endpoint?`, 'contentType');
      }
    } catch (e) {
      this.state = 'ended';
      if (e instanceof TransportError && e.code !== 'cancelled') this.noteError(e);
      throw e;
    }
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err?: TransportError): void => {
        if (settled) return;
        settled = true;
        if (err) reject(this.noteError(err));
        else resolve();
      };
      void readSse(res.body, {
        maxEventBytes: this.options.maxMessageBytes,
        onEvent: (e) => {
          if (e.event === 'endpoint') {
            if (this.endpoint) return;
            const endpoint = this.checkEndpoint(e.data);
            if (endpoint instanceof TransportError) {
              void res.body?.cancel().catch(() => undefined);
              return settle(endpoint);
            }
            this.endpoint = endpoint;
            this.state = 'running';
            this.log('debug', `Endpoint ${this.redact(endpoint.pathname)}`);
            return settle();
          }
          if (e.event !== undefined && e.event !== 'message') return;
          const m = parseMessage(e.data);
          if (!m) {
            if (e.data.trim()) this.log('warn', `Ignored an event that is not a JSON-RPC message: ${e.data.slice(0, 200)}`);
            return;
          }
          this.trace('←', e.data);
          this.deliver(m);
        },
      }).then((end) => {
        if (this.closing) return this.end();
        let err: TransportError;
        if (end.kind === 'overLimit') {
          err = new TransportError(`a ${this.limitMessage()}; an HTTP+SSE stream cannot skip it, so the connection was closed`, 'overLimit');
          this.fireError(err);
        } else {
          const how = end.kind === 'failed' ? ` (${(end.error as Error)?.message ?? String(end.error)})` : '';
          err = new TransportError(`the server's event stream ended${how}`, 'streamEnded');
        }
        if (!settled) return settle(new TransportError(`the event stream ended before the server named its endpoint${end.kind === 'overLimit' ? ` (${this.limitMessage()})` : ''}`, 'badEndpoint'));
        this.end(err);
      });
    });
  }

  /** The `endpoint` event's URL, resolved against the stream's URL; only on the same origin. */
  private checkEndpoint(data: string): URL | TransportError {
    let u: URL;
    try {
      u = new URL(data.trim(), this.url);
    } catch {
      return new TransportError(`the server's endpoint event is not a URL: ${JSON.stringify(data.slice(0, 100))}`, 'badEndpoint');
    }
    if (!sameOrigin(u, this.url)) {
      return new TransportError(`the server named an endpoint on another origin (${u.origin}); MCP Host only posts to ${this.url.origin}`, 'badEndpoint');
    }
    return u;
  }

  async send(message: JsonRpcMessage): Promise<void> {
    const endpoint = this.endpoint;
    if (this.state !== 'running' || this.closing || !endpoint) throw new TransportError('Not connected', 'notConnected');
    const text = JSON.stringify(message);
    this.trace('→', text);
    const what = typeof message.method === 'string' ? `the POST of ${message.method}` : 'the POST of an answer';
    try {
      const res = await this.fetchAuthorized(
        this.doFetch,
        endpoint,
        { method: 'POST', headers: { ...this.spec.headers, 'Content-Type': 'application/json' }, body: text, signal: requestSignal(this.aborter.signal), redirect: 'manual' },
        what,
      );
      if (!res.ok) throw await this.failedStatus(res, what, false);
      void res.body?.cancel().catch(() => undefined);
    } catch (e) {
      if (e instanceof TransportError && e.code !== 'cancelled') this.noteError(e);
      throw e;
    }
  }

  close(): Promise<void> {
    this.closePromise ??= (async () => {
      this.closing = true;
      this.aborter.abort();
      this.end();
    })();
    return this.closePromise;
  }
}
