/**
 * The WebSocket transport: subprotocol `mcp`, one JSON-RPC message per text frame (as the Python reference client
 * and server do). The `ws` package (Node 20 has no stable WebSocket); headers go with the upgrade request, no
 * redirect is followed. A frame over `maxMessageBytes` makes `ws` close the connection (1009): the transport ends
 * with 'overLimit' (a WebSocket cannot skip part of a message). Proxies: inside VS Code the editor's patched
 * http/https agents apply to the upgrade request; in a terminal the connection is direct. Sign-in: the upgrade
 * carries the provider's headers; a 401/403 to it is told to the provider (which refreshes, or asks for a sign-in).
 * When the provider gives new headers the upgrade is tried once more on a new socket (a refused upgrade cannot be
 * retried on its own socket), as the HTTP transports retry a request once; otherwise the start fails.
 */
import type WebSocket from 'ws';
import { TransportError } from '../errors';
import type { JsonRpcMessage } from '../types';
import { authRefusalError, networkError } from '../http/network';
import { RemoteBase, withHeaders } from '../http/remoteBase';
import { parseMessage } from '../http/sseReader';
import type { RemoteTransportOptions } from '../http/types';

/** The `ws` client class, loaded on the first WebSocket start (the package is in the lazy vendor bundle). */
const loadWebSocket = async () => (await import('ws')).WebSocket;

/** A WebSocket server (`type: ws`). */
export interface WsLaunchSpec extends RemoteTransportOptions {
  readonly kind: 'ws';
}

const HANDSHAKE_TIMEOUT_MS = 30_000;
const CLOSE_GRACE_MS = 2000;

export function createWsTransport(spec: WsLaunchSpec): WsTransport {
  return new WsTransport(spec);
}

export class WsTransport extends RemoteBase {
  private socket: WebSocket | undefined;
  private closePromise: Promise<void> | undefined;
  private failure: TransportError | undefined;

  constructor(private readonly spec: WsLaunchSpec) {
    super(spec, 'WebSocket');
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('transport already started; create a new one per launch');
    if (this.closing) throw new TransportError('start cancelled', 'cancelled');
    this.log('info', `Connecting to ${this.shownUrl} (WebSocket)`);
    this.WebSocketClass ??= await loadWebSocket();
    await this.connect(this.spec.auth ? await this.spec.auth.headers() : {}, false);
  }

  private WebSocketClass: Awaited<ReturnType<typeof loadWebSocket>> | undefined;

  /** One upgrade with the sign-in headers `sent`; after a 401/403 the provider renewed, one more (`retried`). */
  private connect(sent: Readonly<Record<string, string>>, retried: boolean): Promise<void> {
    const auth = this.spec.auth;
    const WebSocketClass = this.WebSocketClass;
    if (!WebSocketClass) throw new TransportError('the WebSocket transport was not started', 'cancelled');
    const socket = new WebSocketClass(this.spec.url, ['mcp'], {
      headers: withHeaders(this.spec.headers, sent),
      maxPayload: this.options.maxMessageBytes,
      followRedirects: false,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
      perMessageDeflate: false,
    });
    this.socket = socket;
    return new Promise<void>((resolve, reject) => {
      let opened = false;
      const fail = (err: TransportError): void => {
        this.state = 'ended';
        reject(this.noteError(err));
      };
      // Set once the upgrade was answered with a status: terminating that socket makes `ws` emit "closed before
      // the connection was established", which must not pre-empt the answer (the sign-in is asked asynchronously).
      let answered = false;
      socket.on('unexpected-response', (_req, res) => {
        answered = true;
        const status = res.statusCode ?? 0;
        res.resume();
        socket.terminate();
        if ((status === 401 || status === 403) && auth) {
          const wwwAuthenticate = typeof res.headers['www-authenticate'] === 'string' ? res.headers['www-authenticate'] : undefined;
          const code = status === 401 ? 'unauthorized' : 'forbidden';
          // Told on the retry's refusal too (the provider then asks for a sign-in), but never a third upgrade.
          const told = auth.authorize({ status, wwwAuthenticate, url: this.spec.url, sentAuthorization: sent['authorization'] ?? sent['Authorization'] });
          void told.then(
            (retry) => {
              if (retry && !retried && !this.closing) {
                this.log('info', `The WebSocket upgrade was refused with HTTP ${status}; trying once more with the renewed sign-in`);
                return this.connect(retry, true).then(resolve, reject);
              }
              const refusal = auth.refusal();
              if (refusal) return fail(authRefusalError(status, 'the WebSocket upgrade', refusal));
              fail(new TransportError(`the WebSocket upgrade was refused with HTTP ${status}${retried ? ' again after the sign-in was renewed' : ''}`, code));
            },
            () => fail(new TransportError(`the WebSocket upgrade was refused with HTTP ${status}`, code)),
          );
        } else if (status === 401) fail(new TransportError('the WebSocket upgrade was refused with HTTP 401: this server needs authorisation; if it takes a token, put it in "headers"', 'unauthorized'));
        else if (status === 403) fail(new TransportError('the WebSocket upgrade was refused with HTTP 403 (forbidden): this server needs authorisation that the configured credentials do not give', 'forbidden'));
        else if (status >= 300 && status < 400) fail(new TransportError(`the WebSocket upgrade was redirected (HTTP ${status}); MCP Host does not follow it: put the final URL in the configuration`, 'redirect'));
        else if (status === 404) fail(new TransportError(`the WebSocket upgrade got HTTP 404 (not found) from ${this.shownUrl}: check the URL`, 'notFound'));
        else fail(new TransportError(`the WebSocket upgrade got HTTP ${status} instead of 101: is ${this.shownUrl} a WebSocket endpoint?`, status >= 500 ? 'serverError' : 'handshake'));
      });
      socket.once('open', () => {
        opened = true;
        if (socket.protocol !== 'mcp') {
          socket.terminate();
          return fail(new TransportError(`the server did not accept the WebSocket subprotocol "mcp" (it chose "${socket.protocol.slice(0, 40)}")`, 'handshake'));
        }
        if (this.closing) {
          socket.terminate();
          return fail(new TransportError('start cancelled', 'cancelled'));
        }
        this.state = 'running';
        resolve();
      });
      socket.on('error', (err: Error & { code?: string }) => {
        if (answered) return;
        if (!opened) {
          const net = networkError(err, this.shownUrl);
          // ws's own handshake checks (a missing or unexpected subprotocol, a bad accept key) carry no network code.
          return fail(net.code === 'network' && err.code === undefined ? new TransportError(`the WebSocket handshake with ${this.shownUrl} failed: ${err.message}`, 'handshake') : net);
        }
        if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
          this.failure = new TransportError(`a ${this.limitMessage()}; a WebSocket cannot skip it, so the connection was closed`, 'overLimit');
          this.fireError(this.failure);
        } else {
          this.failure ??= this.noteError(new TransportError(`the WebSocket failed: ${err.message}`, 'network'));
        }
      });
      socket.on('close', (code, reason) => {
        if (!opened) return;
        if (this.closing) return this.end();
        const why = reason.toString('utf8').slice(0, 200);
        this.end(this.failure ?? new TransportError(`the server closed the WebSocket (code ${code}${why ? `: ${why}` : ''})`, 'streamEnded'));
      });
      socket.on('message', (data, isBinary) => {
        if (isBinary) {
          this.log('warn', 'Ignored a binary WebSocket frame (MCP uses text frames)');
          return;
        }
        const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
        const m = parseMessage(text);
        if (!m) {
          this.log('warn', `Ignored a frame that is not a JSON-RPC message: ${text.slice(0, 200)}`);
          return;
        }
        this.trace('←', text);
        this.deliver(m);
      });
    });
  }

  send(message: JsonRpcMessage): Promise<void> {
    const socket = this.socket;
    if (this.state !== 'running' || this.closing || !socket || socket.readyState !== socket.OPEN) {
      return Promise.reject(new TransportError('Not connected', 'notConnected'));
    }
    const text = JSON.stringify(message);
    this.trace('→', text);
    return new Promise((resolve, reject) => {
      socket.send(text, (err) => (err ? reject(new TransportError(`sending over the WebSocket failed: ${err.message}`, 'network')) : resolve()));
    });
  }

  close(): Promise<void> {
    this.closePromise ??= (async () => {
      this.closing = true;
      const socket = this.socket;
      if (!socket || this.state !== 'running') {
        socket?.terminate();
        this.end();
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          socket.terminate();
          resolve();
        }, CLOSE_GRACE_MS);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.close(1000, 'client closing');
      });
      this.end();
    })();
    return this.closePromise;
  }
}
