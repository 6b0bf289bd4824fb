/**
 * What the remote transports (http/, sse/, ws/) share about the network: the injected fetch, proxies, turning a
 * failed request or an HTTP status into a coded TransportError that says what to do, redirects that never leave
 * the origin, and URLs shown without secrets.
 *
 * Proxies and certificates: inside VS Code the adapter passes the editor's `fetch`, which VS Code patches to
 * honour `http.proxy`, `HTTPS_PROXY`/`NO_PROXY` and the system's certificates. In a terminal (the CLI, tests) the
 * default is Node's global fetch; when a proxy applies (`proxy` option, else `HTTPS_PROXY`/`HTTP_PROXY` minus
 * `NO_PROXY`) requests go through undici's ProxyAgent when undici can be loaded. Extra CA certificates:
 * Node reads `NODE_EXTRA_CA_CERTS` at start.
 */
import { redact } from '../../base/logger';
import { shownUrl } from '../../base/redact';
import { TransportError, type TransportErrorCode } from '../errors';
import type { AuthRefusal } from './types';

/** The part of `fetch` the transports use (the global one, or the editor's proxy-aware one). */
export type FetchLike = (url: string, init: FetchInit) => Promise<Response>;

/** The request options the transports pass. `dispatcher` is undici's (proxy), passed through untouched. */
export interface FetchInit {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
  readonly redirect: 'manual';
  readonly dispatcher?: unknown;
}

/** How remote servers are reached; the adapter fills it from the editor, a terminal uses the defaults. */
export interface NetworkOptions {
  /** A fetch honouring the editor's proxy and certificate settings (VS Code's patched global fetch). */
  readonly fetch?: FetchLike;
  /** `http.proxy` (or a terminal's choice); when unset, HTTPS_PROXY / HTTP_PROXY from `env` apply. */
  readonly proxy?: string;
  /** Where HTTPS_PROXY / HTTP_PROXY / NO_PROXY are read (the editor's environment). */
  readonly env?: NodeJS.ProcessEnv;
}

/** Redirects followed within one origin before giving up. */
const MAX_REDIRECTS = 5;

/** The URL as shown: password-input values, the password of `user:password@` and query credentials masked. */
export function redactUrl(url: string, secrets: readonly string[]): string {
  return redact(shownUrl(url), secrets);
}

/** Same scheme, host and port. */
export function sameOrigin(a: URL, b: URL): boolean {
  return a.origin === b.origin;
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  return env[name] ?? env[name.toLowerCase()];
}

/** Is `url` excluded from the proxy by a NO_PROXY list (`*`, host names, `.suffix`, `host:port`)? */
export function bypassesProxy(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' || url.protocol === 'wss:' ? '443' : '80');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .slice(0, 200)
    .some((raw) => {
      const entry = raw.toLowerCase();
      if (entry === '*') return true;
      const [name = '', entryPort] = entry.startsWith('[') ? [entry.slice(1, entry.indexOf(']')), entry.split(']:')[1]] : entry.split(':');
      if (entryPort && entryPort !== port) return false;
      const bare = name.replace(/^\*?\./, '');
      return host === bare || host.endsWith(`.${bare}`);
    });
}

/** The proxy URL for `url`, if one applies (explicit option first, then the environment). */
export function proxyFor(url: URL, options: NetworkOptions): string | undefined {
  const env = options.env ?? {};
  if (bypassesProxy(url, envValue(env, 'NO_PROXY'))) return undefined;
  if (options.proxy) return options.proxy;
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  return (secure ? envValue(env, 'HTTPS_PROXY') : undefined) ?? envValue(env, 'HTTP_PROXY') ?? undefined;
}

type UndiciModule = { fetch: FetchLike; ProxyAgent: new (url: string) => unknown };
let undiciModule: UndiciModule | null | undefined;

function loadUndici(): UndiciModule | undefined {
  if (undiciModule === undefined) {
    try {
      // Not bundled (a computed name): present in a terminal with node_modules; in the VSIX the editor's fetch
      // handles proxies and this is not reached unless http.fetchAdditionalSupport is off.
      const name = 'undici';
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      undiciModule = require(name) as UndiciModule;
    } catch {
      undiciModule = null;
    }
  }
  return undiciModule ?? undefined;
}

const agents = new Map<string, unknown>();

/**
 * The fetch to use for `url`: the injected one as is (it knows the editor's proxy), else Node's global fetch,
 * through a proxy when one applies. `warn` is told when a proxy applies but cannot be used.
 */
export function fetchFor(url: URL, options: NetworkOptions, warn: (message: string) => void): FetchLike {
  if (options.fetch) return options.fetch;
  const proxy = proxyFor(url, options);
  if (!proxy) return (u, init) => fetch(u, init as RequestInit);
  const undici = loadUndici();
  if (!undici) {
    warn(`a proxy applies to ${url.origin} (${redactUrl(proxy, [])}) but the undici module is missing: connecting directly`);
    return (u, init) => fetch(u, init as RequestInit);
  }
  let agent = agents.get(proxy);
  if (!agent) agents.set(proxy, (agent = new undici.ProxyAgent(proxy)));
  return (u, init) => undici.fetch(u, { ...init, dispatcher: agent });
}

const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE|GET_ISSUER_CERT_LOCALLY)|EPROTO$|HOSTNAME_MISMATCH)/;

/** The innermost `code` and message of an error's cause chain (bounded). */
function rootCause(e: unknown): { code: string | undefined; message: string } {
  let code: string | undefined;
  let message = e instanceof Error ? e.message : String(e);
  let cur: unknown = e;
  for (let depth = 0; depth < 6 && cur && typeof cur === 'object'; depth++) {
    const c = (cur as { code?: unknown }).code;
    if (typeof c === 'string') code = c;
    if (cur instanceof Error && cur !== e) message = cur.message;
    cur = (cur as { cause?: unknown }).cause;
  }
  return { code, message };
}

/** A fetch (or WebSocket connect) that threw: DNS, refused, TLS, other network failures, each with what to do. */
export function networkError(e: unknown, shownUrl: string): TransportError {
  const { code, message } = rootCause(e);
  let host = shownUrl;
  try {
    host = new URL(shownUrl).host;
  } catch {
    // keep the URL
  }
  const mk = (text: string, c: TransportErrorCode) => new TransportError(text, c);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA' || code === 'EAI_NONAME') {
    return mk(`cannot find the host ${host} (DNS: ${code}): check the URL's host name and your network connection`, 'dns');
  }
  if (code === 'ECONNREFUSED') {
    return mk(`nothing accepts connections at ${host} (connection refused): check the URL's port, and that the server is running`, 'refused');
  }
  if (code !== undefined && TLS_CODES.test(code)) {
    return mk(
      `the TLS certificate of ${host} was not accepted (${code}: ${message.slice(0, 200)}): if your organisation signs it, ` +
        'add its CA certificate to NODE_EXTRA_CA_CERTS (or, in VS Code, to the system store with http.systemCertificates on); ' +
        'otherwise the address may not be who it claims',
      'tls',
    );
  }
  return mk(`could not reach ${shownUrl} (${code ?? 'network error'}: ${message.slice(0, 200)}): check the URL, your network and proxy settings (http.proxy, HTTPS_PROXY)`, 'network');
}

/** At most `maxBytes` of a body as text ('' when it cannot be read); the rest is cancelled. */
export async function readBodyPrefix(res: Response, maxBytes: number): Promise<string> {
  try {
    const reader = res.body?.getReader();
    if (!reader) return '';
    let bytes = 0;
    const parts: Uint8Array[] = [];
    while (bytes < maxBytes) {
      const { done, value } = await reader.read();
      if (done || !value) break;
      parts.push(value);
      bytes += value.byteLength;
    }
    void reader.cancel().catch(() => undefined);
    return Buffer.concat(parts).subarray(0, maxBytes).toString('utf8');
  } catch {
    return '';
  }
}

/** The first line of a text, bounded, for an error message (server text: never markup, shown as plain text). */
function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim()) ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 300);
}

/** The first line of a body, bounded, for an error message. */
export async function firstLineOf(res: Response, maxBytes = 4096): Promise<string> {
  return firstLine(await readBodyPrefix(res, maxBytes));
}

/**
 * An HTTP status that is not a success, as a coded error saying what to do. `session`: the request carried one.
 * `extra.body`: the body when the caller read it already (else its first line is read here). `extra.refusal`:
 * sign-in is wired and gave up on this 401/403 (the user must sign in, or approve more scopes).
 */
export async function statusError(
  res: Response,
  what: string,
  shownUrl: string,
  session: boolean,
  extra: { readonly body?: string; readonly refusal?: AuthRefusal } = {},
): Promise<TransportError> {
  const { body, refusal } = extra;
  const s = res.status;
  if (s === 401 || s === 403) void res.body?.cancel().catch(() => undefined);
  if ((s === 401 || s === 403) && refusal !== undefined) return authRefusalError(s, what, refusal);
  if (s === 401) {
    return new TransportError(`${what} was refused with HTTP 401: this server needs authorisation; if it takes a token, put it in "headers", e.g. "Authorization": "Bearer \${input:token}"`, 'unauthorized');
  }
  if (s === 403) return new TransportError(`${what} was refused with HTTP 403 (forbidden): this server needs authorisation that the configured credentials do not give`, 'forbidden');
  if (s === 404 && session) return new TransportError(`the server no longer knows this session (HTTP 404 to ${what}): starting a new one`, 'sessionExpired');
  const line = body === undefined ? await firstLineOf(res) : firstLine(body);
  const shown = line ? `: ${line}` : '';
  if (s === 404) return new TransportError(`${what} got HTTP 404 (not found) from ${shownUrl}${shown}: check the URL (MCP servers often live at a path such as /mcp)`, 'notFound');
  if (s >= 500) return new TransportError(`the server failed with HTTP ${s} ${res.statusText}${shown}`.trim(), 'serverError');
  return new TransportError(`${what} got HTTP ${s} ${res.statusText}${shown}`.trim(), 'httpStatus');
}

/** A 401/403 the sign-in gave up on: 'unauthorized' with what the user must do (sign in, or approve more scopes). */
export function authRefusalError(status: number, what: string, refusal: AuthRefusal): TransportError {
  return refusal === 'stepUp'
    ? new TransportError(`${what} was refused with HTTP ${status}: this server needs more permissions (scopes) than you approved; sign in again to approve them`, 'unauthorized', refusal)
    : new TransportError(`${what} was refused with HTTP ${status}: this server needs authorisation; sign in to it (Sign In to Server...)`, 'unauthorized', refusal);
}

/**
 * fetch with redirects followed only within the URL's origin (headers carry secrets, and a server must not make
 * MCP Host contact another address). Never follows a 301/302/303 for POST (it would become a GET).
 */
export async function fetchSameOrigin(doFetch: FetchLike, url: URL, init: FetchInit, shownUrl: string, what: string): Promise<Response> {
  let target = url;
  for (let hop = 0; ; hop++) {
    let res: Response;
    try {
      res = await doFetch(target.toString(), init);
    } catch (e) {
      if (init.signal?.aborted) throw new TransportError(`${what} was cancelled`, 'cancelled');
      throw networkError(e, shownUrl);
    }
    if (res.status < 300 || res.status >= 400 || res.status === 304) return res;
    const location = res.headers.get('location');
    void res.body?.cancel().catch(() => undefined);
    let next: URL | undefined;
    try {
      next = location ? new URL(location, target) : undefined;
    } catch {
      next = undefined;
    }
    if (!next) throw new TransportError(`${what} got a redirect (HTTP ${res.status}) without a usable Location`, 'redirect');
    if (!sameOrigin(next, url)) {
      throw new TransportError(
        `${what} was redirected to another origin (${next.origin}); MCP Host does not follow it, so your headers are not sent there: put the final URL in the configuration if you trust it`,
        'redirect',
      );
    }
    const keepsMethod = res.status === 307 || res.status === 308;
    if (init.method !== 'GET' && !keepsMethod) throw new TransportError(`${what} got HTTP ${res.status} to ${next.pathname}, which would turn the POST into a GET: put the final URL in the configuration`, 'redirect');
    if (hop >= MAX_REDIRECTS) throw new TransportError(`${what} was redirected more than ${MAX_REDIRECTS} times`, 'redirect');
    target = next;
  }
}

/**
 * The signal for one request, aborted with the transport's `closing` signal. Handing fetch the transport's one
 * long-lived signal leaks: Node's fetch adds an abort listener to it per request and never removes it (1,500 calls:
 * 1,500 listeners, then a MaxListenersExceededWarning on every call). `AbortSignal.any` links the two without a
 * listener on the long-lived signal; the per-request signal and fetch's listener on it go with the request.
 */
export function requestSignal(closing: AbortSignal): AbortSignal {
  return AbortSignal.any([closing]);
}
