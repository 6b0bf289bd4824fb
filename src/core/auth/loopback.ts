/**
 * The loopback redirect (RFC 8252 §7.3) for the editor and the CLI: an http listener on 127.0.0.1 on a port the
 * OS picks, answering one path, once. It closes itself after the redirect, on timeout, on abort, or on dispose.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from './errors';
import type { Browser, RedirectReceiver } from './types';

/** The path of the redirect URI (registered as `http://127.0.0.1/callback`; the port varies, RFC 8252 §7.3). */
export const LOOPBACK_PATH = '/callback';
/** How long the user has to finish in the browser. */
export const DEFAULT_REDIRECT_TIMEOUT_MS = 5 * 60_000;
/** Requests to the callback path with another `state` (a stray tab, another program) tolerated before giving up. */
const MAX_STRAY = 16;

export interface LoopbackBrowserOptions {
  /** Opens a URL in the user's browser (VS Code: `env.openExternal`; tests: a fetch that follows the redirect). */
  readonly openUrl: (url: URL) => Promise<void>;
  readonly timeoutMs?: number;
  /** The page shown once the redirect arrived (plain text; no server text is echoed into it). */
  readonly doneText?: string;
  /**
   * The address to listen on instead of 127.0.0.1, read at each sign-in. Tests only: an address this machine does
   * not have makes the listen fail as it does in a sandbox without loopback, to exercise the fallback.
   */
  readonly listenHost?: () => string | undefined;
}

/** A `Browser` whose redirect lands on a one-shot listener on 127.0.0.1. */
export class LoopbackBrowser implements Browser {
  constructor(private readonly options: LoopbackBrowserOptions) {}

  /** Rejects with 'redirectUnavailable' when the listener cannot be opened (the adapter then falls back). */
  async prepare(): Promise<RedirectReceiver> {
    const server = http.createServer();
    const host = this.options.listenHost?.() ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        server.close();
        reject(new AuthError('redirectUnavailable', `MCP Host cannot listen on ${host} for the sign-in redirect (${err.code ?? 'error'}).`, { cause: err }));
      });
      server.listen(0, host, () => {
        server.removeAllListeners('error');
        resolve();
      });
    });
    const port = (server.address() as AddressInfo).port;
    return new LoopbackReceiver(server, `http://127.0.0.1:${port}${LOOPBACK_PATH}`, this.options);
  }
}

class LoopbackReceiver implements RedirectReceiver {
  private closed = false;

  constructor(
    private readonly server: http.Server,
    readonly redirectUri: string,
    private readonly options: LoopbackBrowserOptions,
  ) {
    // Until a wait starts, nothing is expected: answer 404 rather than hold connections open.
    server.on('request', this.notYet);
  }

  private readonly notYet = (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.writeHead(404).end();
  };

  waitForRedirect(authorizationUrl: URL, expectedState: string, signal?: AbortSignal): Promise<URL> {
    if (this.closed) return Promise.reject(new AuthError('redirectTimeout', 'The sign-in listener is already closed.'));
    this.server.off('request', this.notYet);
    return new Promise<URL>((resolve, reject) => {
      let stray = 0;
      const finish = (err: AuthError | undefined, url?: URL) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.dispose();
        if (err) reject(err);
        else resolve(url as URL);
      };
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_REDIRECT_TIMEOUT_MS;
      const timer = setTimeout(() => finish(new AuthError('redirectTimeout', `No answer from the browser within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
      const onAbort = () => finish(new AuthError('redirectTimeout', 'Sign-in cancelled.'));
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.server.on('request', (req, res) => {
        const url = new URL(req.url ?? '/', this.redirectUri);
        if (req.method !== 'GET' || url.pathname !== LOOPBACK_PATH || this.closed) {
          res.writeHead(404).end();
          return;
        }
        if (url.searchParams.get('state') !== expectedState) {
          res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('This sign-in request is not the one MCP Host is waiting for.');
          if (++stray >= MAX_STRAY) finish(new AuthError('stateMismatch', 'Too many redirects with an unexpected state.'));
          return;
        }
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end(this.options.doneText ?? 'MCP Host received the sign-in. You can close this tab.');
        finish(undefined, url);
      });
      this.options.openUrl(authorizationUrl).catch((err: unknown) => finish(new AuthError('redirectTimeout', 'Could not open the browser.', { cause: err })));
    });
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.close();
    this.server.closeAllConnections();
  }
}
