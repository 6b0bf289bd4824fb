/**
 * The Streamable HTTP transport (MCP 2025-11-25): every message is a POST with `Accept: application/json,
 * text/event-stream`; an answer comes back as JSON or as an SSE stream; `Mcp-Session-Id` from the initialize
 * answer is sent on every later request, and `MCP-Protocol-Version` once negotiated. After initialization a GET
 * stream carries server messages when the server offers one (405: it does not); a dropped stream is reopened with
 * `Last-Event-ID`, waiting the server's `retry:` or a doubling backoff, bounded. An answer stream that stops before
 * its answer resumes the same way (when its events had ids), else its request fails with 'streamEnded'.
 * A 404 to a request carrying the session ends the transport with 'sessionExpired' (the server restarts it with a
 * fresh initialize). close() DELETEs the session.
 *
 * Everything is bounded by `maxMessageBytes`: a JSON body or an SSE event over it fails its request with
 * 'overLimit' and the connection stays usable. Redirects are followed only within the URL's origin.
 */
import { TransportError } from '../errors';
import type { JsonRpcMessage, SendOptions } from '../types';
import { fetchFor, fetchSameOrigin, readBodyPrefix, requestSignal, type FetchInit, type FetchLike } from './network';
import { RemoteBase } from './remoteBase';
import { parseMessage, readSse } from './sseReader';
import { DEFAULT_RECONNECT, type HttpLaunchSpec } from './types';

/** Answer streams resumed at most this many times each. */
const MAX_RESUMES = 3;
/** A session id must be visible ASCII (spec); a longer one than this is refused as junk. */
const MAX_SESSION_ID = 1024;
const DELETE_TIMEOUT_MS = 2000;
/** A GET stream open at least this long counts as healthy when it ends. */
const HEALTHY_STREAM_MS = 10_000;
/** How much of a 4xx body is read for a JSON-RPC error answer in it. */
const MAX_ERROR_BODY = 64 * 1024;
/**
 * A server's `retry:` is honoured between these bounds: below the floor a stream that ends after each event
 * (`retry: 0`) would be reopened once per round trip for ever (hundreds of requests and refreshes a second).
 */
const MIN_SERVER_RETRY_MS = 250;
const MAX_SERVER_RETRY_MS = 60_000;

type Id = string | number;

export function createStreamableHttpTransport(spec: HttpLaunchSpec): StreamableHttpTransport {
  return new StreamableHttpTransport(spec);
}

export class StreamableHttpTransport extends RemoteBase {
  /** Modern-era requests carry header hints (MCP-Protocol-Version, Mcp-Method, Mcp-Name, Mcp-Param-*). */
  readonly wantsHeaderHints = true;
  /** A legacy server answers a POST it does not understand at once (HTTP 4xx): the era probe needs no timer here. */
  readonly answersEveryRequest = true;
  private readonly url: URL;
  private readonly doFetch: FetchLike;
  private readonly aborter = new AbortController();
  private sessionId: string | undefined;
  private protocolVersion: string | undefined;
  private getStreamStarted = false;
  /** The server's `retry:` (ms), if it sent one. */
  private retryMs: number | undefined;
  private closePromise: Promise<void> | undefined;

  constructor(private readonly spec: HttpLaunchSpec) {
    super(spec, 'Streamable HTTP');
    this.url = new URL(spec.url);
    this.doFetch = fetchFor(this.url, spec.network ?? {}, (m) => this.log('warn', m));
  }

  protected override sessionIdForFacts(): string | undefined {
    return this.sessionId;
  }

  start(): Promise<void> {
    if (this.state !== 'new') return Promise.reject(new Error('transport already started; create a new one per launch'));
    if (this.closing) return Promise.reject(new TransportError('start cancelled', 'cancelled'));
    // Nothing to connect: the first POST (initialize) reaches the server.
    this.state = 'running';
    this.log('info', `Connecting to ${this.shownUrl} (Streamable HTTP)`);
    return Promise.resolve();
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
  }

  private headers(accept: string, extra?: Record<string, string>): Record<string, string> {
    const h: Record<string, string> = { ...this.spec.headers, ...this.authHeaders, Accept: accept, ...extra };
    if (this.sessionId !== undefined) h['Mcp-Session-Id'] = this.sessionId;
    if (this.protocolVersion !== undefined) h['MCP-Protocol-Version'] = this.protocolVersion;
    return h;
  }

  /**
   * One request with redirects kept in the origin, sign-in (see RemoteBase.fetchAuthorized), and a status check.
   * `passClientErrors`: a 4xx other than 401/403 (and 404 on the session) is returned, not thrown.
   */
  private async request(init: Omit<FetchInit, 'signal' | 'redirect'>, what: string, passStatus?: number, passClientErrors = false): Promise<Response> {
    const withSession = this.sessionId !== undefined;
    const res = await this.fetchAuthorized(this.doFetch, this.url, { ...init, signal: requestSignal(this.aborter.signal), redirect: 'manual' }, what);
    if (res.ok || res.status === passStatus) return res;
    if (passClientErrors && res.status >= 400 && res.status < 500 && res.status !== 401 && res.status !== 403 && !(res.status === 404 && withSession)) return res;
    const err = await this.failedStatus(res, what, withSession);
    if (err.code === 'sessionExpired') this.end(err);
    throw err;
  }

  /** `options.headers`: the modern era's header hints for this message (after our own, before the session's). */
  async send(message: JsonRpcMessage, options?: SendOptions): Promise<void> {
    if (this.state !== 'running' || this.closing) throw new TransportError('Not connected', 'notConnected');
    const text = JSON.stringify(message);
    this.trace('→', text);
    const method = typeof message.method === 'string' ? message.method : undefined;
    const id = 'id' in message && method !== undefined ? (message.id as Id) : undefined;
    const what = method ? `the POST of ${method}` : 'the POST of an answer';
    // A 4xx to a request is its answer (an error for that id), so a caller such as the era probe sees it as one;
    // initialize keeps the throw (the fallback to HTTP+SSE is decided on it).
    const answerable = id !== undefined && method !== 'initialize';
    let res: Response;
    try {
      const headers = this.headers('application/json, text/event-stream', { 'Content-Type': 'application/json', ...options?.headers });
      res = await this.request({ method: 'POST', headers, body: text }, what, undefined, answerable);
    } catch (e) {
      if (e instanceof TransportError && e.code !== 'cancelled') this.noteError(e);
      throw e;
    }
    if (answerable && !res.ok) return this.answerClientError(res, id, what);
    if (method === 'initialize') this.takeSessionId(res);
    if (id === undefined || res.status === 202) {
      void res.body?.cancel().catch(() => undefined);
      if (method === 'notifications/initialized') this.openGetStream();
      return;
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (type === 'application/json') void this.readJsonAnswer(res, id, method ?? '');
    else if (type === 'text/event-stream') void this.readAnswerStream(res, id, method ?? '', 0);
    else {
      void res.body?.cancel().catch(() => undefined);
      throw this.noteError(
        new TransportError(`the server answered ${method ?? 'a request'} with Content-Type "${type.slice(0, 80) || 'none'}", not JSON or an event stream: is ${this.shownUrl} the MCP endpoint?`, 'contentType'),
      );
    }
  }

  /**
   * A 4xx to request `id`: the JSON-RPC error answer for `id` in its body (a modern server says why, e.g. -32022 with
   * the versions it supports), else a made-up error answer coded 'notFound' / 'httpStatus' (see session/errors.ts).
   */
  private async answerClientError(res: Response, id: Id, what: string): Promise<void> {
    const text = await readBodyPrefix(res, MAX_ERROR_BODY);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const m = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
    if (m && m.jsonrpc === '2.0' && m.id === id && typeof m.error === 'object' && m.error !== null) {
      this.trace('←', text);
      this.deliver(m as JsonRpcMessage);
      return;
    }
    const err = this.noteError(await this.failedStatus(res, what, false, text));
    this.failRequest(id, err.message, err.code);
  }

  private takeSessionId(res: Response): void {
    const sid = res.headers.get('mcp-session-id');
    if (sid === null) return;
    if (sid.length > MAX_SESSION_ID || !/^[\x21-\x7e]+$/.test(sid)) {
      this.log('warn', 'The server sent an invalid Mcp-Session-Id (not visible ASCII, or too long): ignored');
      return;
    }
    this.sessionId = sid;
    this.log('debug', `Session ${sid}`);
  }

  /** A JSON answer: read bounded, then each message of it (one, or a batch) delivered. */
  private async readJsonAnswer(res: Response, id: Id, method: string): Promise<void> {
    const reader = res.body?.getReader();
    if (!reader) return this.failRequest(id, `the server sent an empty answer to ${method}`, 'streamEnded');
    const parts: Uint8Array[] = [];
    let bytes = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        if (bytes > this.options.maxMessageBytes) {
          void reader.cancel().catch(() => undefined);
          this.log('warn', `Discarded the answer to ${method} after ${bytes} bytes: ${this.limitMessage()}`);
          this.fireError(this.overLimitError());
          return this.failRequest(id, `The result was discarded: ${this.limitMessage()}`, 'overLimit');
        }
        parts.push(value);
      }
    } catch (e) {
      if (this.closing) return;
      const err = this.noteError(new TransportError(`the answer to ${method} stopped after ${bytes} bytes (${(e as Error).message})`, 'streamEnded'));
      return this.failRequest(id, err.message, 'streamEnded');
    }
    const text = Buffer.concat(parts).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return this.failRequest(id, `the server's answer to ${method} is not valid JSON (${bytes} bytes)`, 'contentType');
    }
    this.trace('←', text);
    const messages = Array.isArray(value) ? value.slice(0, 10_000) : [value];
    for (const m of messages) {
      if (typeof m === 'object' && m !== null && (m as JsonRpcMessage).jsonrpc === '2.0') this.deliver(m as JsonRpcMessage);
      else this.log('warn', 'Ignored a JSON value in an answer that is not a JSON-RPC message');
    }
  }

  /**
   * An answer stream (SSE) for request `id`: its events are delivered until the answer; a stream that stops first
   * resumes with Last-Event-ID (bounded), or fails the request.
   */
  private async readAnswerStream(res: Response, id: Id, method: string, resumes: number): Promise<void> {
    const { answered, lastEventId, end } = await this.pump(res, id);
    if (answered || this.closing || this.state !== 'running') return;
    if (end === 'overLimit') {
      this.fireError(this.overLimitError());
      return this.failRequest(id, `The result was discarded: ${this.limitMessage()}`, 'overLimit');
    }
    if (lastEventId !== undefined && resumes < MAX_RESUMES) {
      this.reconnects++;
      await delay(this.retryMs ?? this.spec.reconnect?.initialMs ?? DEFAULT_RECONNECT.initialMs, this.aborter.signal);
      if (this.closing || this.state !== 'running') return;
      this.log('info', `The answer stream of ${method} stopped: resuming after event ${lastEventId}`);
      try {
        const again = await this.request({ method: 'GET', headers: this.headers('text/event-stream', { 'Last-Event-ID': lastEventId }) }, `resuming the answer to ${method}`);
        return await this.readAnswerStream(again, id, method, resumes + 1);
      } catch (e) {
        if (this.closing) return;
        const err = e instanceof TransportError ? e : new TransportError(String(e), 'network');
        return this.failRequest(id, `the answer stream of ${method} stopped and could not be resumed: ${err.message}`, 'streamEnded');
      }
    }
    const err = this.noteError(new TransportError(`the server's answer stream stopped before the answer to ${method}`, 'streamEnded'));
    this.failRequest(id, err.message, 'streamEnded');
  }

  /** Reads an SSE response, delivering its messages; tells whether the answer to `waitingFor` came. */
  private async pump(res: Response, waitingFor: Id | undefined): Promise<{ answered: boolean; events: number; lastEventId: string | undefined; end: 'ended' | 'overLimit' | 'failed' }> {
    let answered = false;
    let events = 0;
    let lastEventId: string | undefined;
    const end = await readSse(res.body, {
      maxEventBytes: this.options.maxMessageBytes,
      onRetry: (ms) => (this.retryMs = Math.min(Math.max(ms, MIN_SERVER_RETRY_MS), MAX_SERVER_RETRY_MS)),
      onEvent: (e) => {
        events++;
        if (e.id !== undefined && e.id !== '') lastEventId = e.id;
        if (e.event !== undefined && e.event !== 'message') return;
        const m = parseMessage(e.data);
        if (!m) {
          if (e.data.trim()) this.log('warn', `Ignored an event that is not a JSON-RPC message: ${e.data.slice(0, 200)}`);
          return;
        }
        this.trace('←', e.data);
        if (waitingFor !== undefined && m.id === waitingFor && !('method' in m)) answered = true;
        this.deliver(m);
      },
    });
    if (end.kind === 'failed' && !this.closing) this.log('debug', `stream failed: ${(end.error as Error).message ?? String(end.error)}`);
    return { answered, events, lastEventId, end: end.kind };
  }

  /** The GET stream for server messages, reopened with backoff while the transport runs (405: not offered). */
  private openGetStream(): void {
    if (this.getStreamStarted) return;
    this.getStreamStarted = true;
    void this.runGetStream();
  }

  private async runGetStream(): Promise<void> {
    const timing = this.spec.reconnect ?? DEFAULT_RECONNECT;
    let failures = 0;
    let lastEventId: string | undefined;
    while (this.state === 'running' && !this.closing) {
      let events = 0;
      const openedAt = Date.now();
      try {
        const res = await this.request(
          { method: 'GET', headers: this.headers('text/event-stream', lastEventId !== undefined ? { 'Last-Event-ID': lastEventId } : {}) },
          'the GET of the event stream',
          405,
        );
        if (res.status === 405) {
          void res.body?.cancel().catch(() => undefined);
          this.log('debug', 'The server offers no GET stream (405): server messages come only with answers');
          return;
        }
        const type = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== 'text/event-stream') {
          void res.body?.cancel().catch(() => undefined);
          throw new TransportError(`the event stream has Content-Type "${type?.slice(0, 80) ?? ''}"`, 'contentType');
        }
        const r = await this.pump(res, undefined);
        events = r.events;
        lastEventId = r.lastEventId ?? lastEventId;
        if (r.end === 'overLimit') this.fireError(this.overLimitError());
      } catch (e) {
        if (this.closing || this.state !== 'running') return;
        if (e instanceof TransportError) this.noteError(e);
      }
      if (this.closing || this.state !== 'running') return;
      // A stream that delivered something, or stayed open a while (an idle stream cut by a proxy or undici's body
      // timeout), was healthy: only quick failures in a row count towards giving up.
      failures = events > 0 || Date.now() - openedAt > HEALTHY_STREAM_MS ? 0 : failures + 1;
      if (failures >= timing.maxAttempts) {
        this.log('warn', `The event stream failed ${failures} times in a row: not reopening it (requests still work)`);
        return;
      }
      const backoff = Math.min(timing.maxMs, timing.initialMs * 2 ** Math.max(0, failures - 1));
      const wait = failures === 0 ? (this.retryMs ?? timing.initialMs) : Math.max(this.retryMs ?? 0, backoff);
      this.reconnects++;
      this.log('info', `Reopening the event stream in ${wait} ms${lastEventId !== undefined ? ` (after event ${lastEventId})` : ''}`);
      await delay(wait, this.aborter.signal);
    }
  }

  close(): Promise<void> {
    this.closePromise ??= this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<void> {
    this.closing = true;
    const hadSession = this.sessionId !== undefined && this.state === 'running';
    this.aborter.abort();
    if (hadSession) {
      // Tell the server the session is over (405: it does not let clients end sessions). Bounded.
      try {
        const res = await fetchSameOrigin(
          this.doFetch,
          this.url,
          { method: 'DELETE', headers: this.headers('application/json, text/event-stream'), signal: AbortSignal.timeout(DELETE_TIMEOUT_MS), redirect: 'manual' },
          this.shownUrl,
          'the DELETE of the session',
        );
        void res.body?.cancel().catch(() => undefined);
        this.log('debug', `DELETE of the session: HTTP ${res.status}`);
      } catch (e) {
        this.log('debug', `DELETE of the session failed: ${(e as Error).message}`);
      }
    }
    this.end();
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
