/**
 * Every request the auth module makes goes through `guardedFetch`: one place for the URL policy (https, or http
 * only to a loopback host), a deadline, and a cap on the body read from a server the user may not control.
 */
import { AuthError } from './errors';

/** The `fetch` the module is given (Node's global `fetch` in the host; tests pass the same). */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Hosts where plain http is accepted (the spec's loopback exception). Exactly these, as the URL parser writes them. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Whether `url` is http(s) to a loopback host. */
export function isLoopbackUrl(url: URL): boolean {
  return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * `raw` parsed, if it is an absolute https URL, or http to a loopback host; anything else (other schemes such as
 * `javascript:` or `file:`, http elsewhere, credentials in the URL) throws `insecureUrl`. `what` names the URL in
 * the error ("authorization endpoint").
 */
export function checkUrl(raw: string | URL, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new AuthError('insecureUrl', `The ${what} is not a valid URL.`);
  }
  if (url.username !== '' || url.password !== '') throw new AuthError('insecureUrl', `The ${what} carries credentials; refused.`);
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopbackUrl(url)) return url;
  throw new AuthError('insecureUrl', `The ${what} (${url.origin}) is not https; only loopback hosts may use http.`);
}

export interface GuardOptions {
  /** Per-request deadline. */
  readonly timeoutMs: number;
  /** Bodies larger than this are refused (metadata and token responses are small). */
  readonly maxBodyBytes: number;
  /**
   * Whether loopback hosts may be reached (default true). False for the sign-in of a server that is not on this
   * machine: its documents must not send requests into the user's machine (a local admin page, a dev server).
   */
  readonly allowLoopback?: boolean;
}

/** `url` (already through checkUrl) refused when it is on loopback and the guard does not allow that. */
export function checkLoopback(url: URL, guard: GuardOptions | undefined, what: string): URL {
  if (guard?.allowLoopback === false && isLoopbackUrl(url)) {
    throw new AuthError('insecureUrl', `The ${what} (${url.origin}) is on this machine, but the server is not; refused.`);
  }
  return url;
}

export const DEFAULT_GUARD: GuardOptions = { timeoutMs: 30_000, maxBodyBytes: 1024 * 1024 };

/** Statuses whose Response may not carry a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

/**
 * A fetch that refuses insecure URLs before any byte is sent, never follows redirects, gives up after
 * `timeoutMs` and reads at most `maxBodyBytes` (the body is buffered so callers can parse it freely).
 */
export function guardedFetch(inner: FetchLike, guard: GuardOptions = DEFAULT_GUARD, what = 'URL'): FetchLike {
  return async (rawUrl, init) => {
    const url = checkLoopback(checkUrl(rawUrl, what), guard, what);
    const deadline = AbortSignal.timeout(guard.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    let res: Response;
    try {
      res = await inner(url.href, { ...init, redirect: 'manual', signal });
    } catch (err) {
      throw new AuthError('network', `Could not reach ${url.origin}${deadline.aborted ? ' (timed out)' : ''}.`, { cause: err });
    }
    const body = await readCapped(res, guard.maxBodyBytes, url);
    const copy = new Response(NULL_BODY.has(res.status) ? null : body, { status: res.status, statusText: res.statusText, headers: res.headers });
    // A constructed Response has an empty `url`; the library does not need it, but logs and errors do.
    Object.defineProperty(copy, 'url', { value: url.href });
    return copy;
  };
}

async function readCapped(res: Response, max: number, url: URL): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    await res.body?.cancel().catch(() => undefined);
    throw new AuthError('invalidMetadata', `The answer from ${url.origin} is too large (${declared} bytes).`);
  }
  if (!res.body) return new Uint8Array();
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => undefined);
        throw new AuthError('invalidMetadata', `The answer from ${url.origin} is too large (over ${max} bytes).`);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof AuthError) throw err;
    throw new AuthError('network', `Reading the answer from ${url.origin} failed.`, { cause: err });
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}
