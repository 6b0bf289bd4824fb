/**
 * The redirect through the editor's URI handler, for an extension host that cannot listen on 127.0.0.1 (a sandbox,
 * a locked-down remote): the authorization server redirects to the editor's own URI (`vscode://<extension id>/
 * oauth-callback`, made reachable by `asExternalUri`), the editor hands the URI to the extension, and the adapter
 * passes it to `deliver`. The sign-in waiting for that `state` gets it; the flow then checks `state` and `iss`
 * exactly as for the loopback redirect (flow.ts `checkRedirect`): this receiver only routes.
 *
 * Which receiver a sign-in uses is the adapter's choice (`FallbackBrowser`: loopback first, this one when the
 * listener cannot be opened); the engine only sees a `Browser`.
 */
import { AuthError, isAuthError } from './errors';
import { DEFAULT_REDIRECT_TIMEOUT_MS } from './loopback';
import type { Browser, RedirectReceiver } from './types';

/** Sign-ins waiting at once (each has its own random state); more is a bug or abuse, refused. */
const MAX_PENDING = 8;

export interface UriRedirectOptions {
  /** The redirect URI for a new sign-in (the editor: its URI handler's callback made external with asExternalUri). */
  readonly redirectUri: () => Promise<string>;
  /** Opens a URL in the user's browser. */
  readonly openUrl: (url: URL) => Promise<void>;
  readonly timeoutMs?: number;
}

interface Pending {
  readonly resolve: (url: URL) => void;
}

/** A `Browser` whose redirect comes back through the editor's URI handler; see the file comment. */
export class UriRedirectBrowser implements Browser {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly options: UriRedirectOptions) {}

  async prepare(): Promise<RedirectReceiver> {
    const redirectUri = await this.options.redirectUri();
    return new UriRedirectReceiver(redirectUri, this.options, this.pending);
  }

  /**
   * A callback URI the editor delivered. Resolves the sign-in waiting for its `state` and returns true; false when
   * none waits (a stray, repeated or late callback: ignored, it cannot complete anything).
   */
  deliver(url: URL): boolean {
    const state = url.searchParams.get('state');
    const p = state === null ? undefined : this.pending.get(state);
    if (!p) return false;
    p.resolve(url);
    return true;
  }

  /** How many sign-ins wait for a callback now. */
  get waiting(): number {
    return this.pending.size;
  }
}

class UriRedirectReceiver implements RedirectReceiver {
  private cancel: ((err: AuthError) => void) | undefined;
  private disposed = false;

  constructor(
    readonly redirectUri: string,
    private readonly options: UriRedirectOptions,
    private readonly pending: Map<string, Pending>,
  ) {}

  waitForRedirect(authorizationUrl: URL, expectedState: string, signal?: AbortSignal): Promise<URL> {
    if (this.disposed || this.cancel) return Promise.reject(new AuthError('redirectTimeout', 'This sign-in already waited for its redirect.'));
    // One sign-in per state: a state is random per sign-in, so a second waiter for it cannot be legitimate.
    if (this.pending.has(expectedState)) return Promise.reject(new AuthError('stateMismatch', 'Another sign-in is already waiting with this state.'));
    if (this.pending.size >= MAX_PENDING) return Promise.reject(new AuthError('redirectTimeout', 'Too many sign-ins are waiting for the browser; finish or cancel one first.'));
    return new Promise<URL>((resolve, reject) => {
      const finish = (err: AuthError | undefined, url?: URL) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(expectedState);
        this.cancel = () => undefined;
        if (err) reject(err);
        else resolve(url as URL);
      };
      const timeoutMs = this.options.timeoutMs ?? DEFAULT_REDIRECT_TIMEOUT_MS;
      const timer = setTimeout(() => finish(new AuthError('redirectTimeout', `No answer from the browser within ${Math.round(timeoutMs / 1000)} s.`)), timeoutMs);
      const onAbort = () => finish(new AuthError('redirectTimeout', 'Sign-in cancelled.'));
      this.cancel = (err) => finish(err);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(expectedState, { resolve: (url) => finish(undefined, url) });
      this.options.openUrl(authorizationUrl).catch((err: unknown) => finish(new AuthError('redirectTimeout', 'Could not open the browser.', { cause: err })));
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.cancel?.(new AuthError('redirectTimeout', 'Sign-in cancelled.'));
  }
}

/**
 * The first receiver that can be prepared: `primary` (the loopback listener), or `fallback` (the URI handler)
 * when the primary reports 'redirectUnavailable'. Any other failure is the sign-in's failure, not a reason to
 * switch. `onFallback` tells the log why the redirect goes through the editor.
 */
export class FallbackBrowser implements Browser {
  constructor(
    private readonly primary: Browser,
    private readonly fallback: Browser,
    private readonly onFallback?: (reason: AuthError) => void,
  ) {}

  async prepare(): Promise<RedirectReceiver> {
    try {
      return await this.primary.prepare();
    } catch (err) {
      if (!isAuthError(err, 'redirectUnavailable')) throw err;
      this.onFallback?.(err);
      return this.fallback.prepare();
    }
  }
}
