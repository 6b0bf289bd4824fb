/**
 * Discovery (MCP authorization 2025-11-25 §"Authorization Server Discovery"): the resource's Protected Resource
 * Metadata (RFC 9728) names its authorization servers; each one's Authorization Server Metadata (RFC 8414, or
 * OpenID Connect Discovery) is looked up at the well-known URLs in the spec's order. Every document is untrusted:
 * fetched through the guard (https, or http on loopback), bounded, and checked against what it must describe.
 */
import type { BearerChallenge } from './challenge';
import { splitScopes } from './challenge';
import { AuthError } from './errors';
import { oauthLib, type AuthorizationServer } from './lib';
import { DEFAULT_GUARD, checkLoopback, checkUrl, guardedFetch, isLoopbackUrl, type FetchLike, type GuardOptions } from './net';

export interface DiscoveryOptions {
  readonly fetch: FetchLike;
  readonly guard?: GuardOptions;
  readonly signal?: AbortSignal;
}

/** What the host keeps of a Protected Resource Metadata document. */
export interface ProtectedResource {
  /** The resource identifier: the `resource` parameter (RFC 8707) of every authorization and token request. */
  readonly resource: string;
  /** Where the document was read. */
  readonly metadataUrl: string;
  /** Issuer identifiers, in the document's order (at most MAX_AUTH_SERVERS). */
  readonly authorizationServers: readonly string[];
  readonly scopesSupported?: readonly string[];
}

const MAX_AUTH_SERVERS = 8;

/**
 * A WebSocket server's URL as the HTTP URL of the same host, port and path (ws: -> http:, wss: -> https:): its
 * metadata is served over HTTP there (the upgrade request is an HTTP request to that origin). Others unchanged.
 */
export function httpEquivalent(url: URL): URL {
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return url;
  const u = new URL(url.href);
  u.protocol = url.protocol === 'ws:' ? 'http:' : 'https:';
  return u;
}

/**
 * The guard for every sign-in request of the server at `serverUrl`: loopback hosts only for a server on loopback
 * itself (a server elsewhere cannot aim the sign-in, or the browser, at the user's machine).
 */
export function serverGuard(serverUrl: URL, guard: GuardOptions = DEFAULT_GUARD): GuardOptions {
  return { ...guard, allowLoopback: guard.allowLoopback !== false && isLoopbackUrl(httpEquivalent(serverUrl)) };
}

/** The well-known URLs of a resource's metadata: path-aware first, then the origin's root (RFC 9728 §3.1). */
export function protectedResourceMetadataUrls(serverUrl: URL): string[] {
  const path = serverUrl.pathname.replace(/\/+$/, '');
  const root = `${httpEquivalent(serverUrl).origin}/.well-known/oauth-protected-resource`;
  return path === '' ? [root] : [`${root}${path}`, root];
}

/**
 * The well-known URLs of an issuer's metadata in the MCP spec's order: with a path, OAuth path insertion, OpenID
 * path insertion, OpenID path appending; without one, OAuth then OpenID.
 */
export function authorizationServerMetadataUrls(issuer: URL): string[] {
  const path = issuer.pathname.replace(/\/+$/, '');
  const o = issuer.origin;
  if (path === '') return [`${o}/.well-known/oauth-authorization-server`, `${o}/.well-known/openid-configuration`];
  return [`${o}/.well-known/oauth-authorization-server${path}`, `${o}/.well-known/openid-configuration${path}`, `${o}${path}/.well-known/openid-configuration`];
}

/**
 * Whether a metadata document's `resource` describes `serverUrl`: the same URL (fragment and trailing slash aside),
 * or, as the MCP SDK and VS Code accept, a URL on the same origin whose path is a segment prefix of the server's
 * (a root document for a server at `/mcp`). Another origin never matches.
 */
export function resourceMatches(resource: string, serverUrl: URL): boolean {
  // A WebSocket server's document may name its resource by the ws(s) URL or by the HTTP URL of the same place.
  const http = httpEquivalent(serverUrl);
  return sameResource(resource, serverUrl) || (http !== serverUrl && sameResource(resource, http));
}

function sameResource(resource: string, serverUrl: URL): boolean {
  let r: URL;
  try {
    r = new URL(resource);
  } catch {
    return false;
  }
  if (r.origin !== serverUrl.origin || (r.search !== '' && r.search !== serverUrl.search)) return false;
  const rp = r.pathname.replace(/\/+$/, '');
  const sp = serverUrl.pathname.replace(/\/+$/, '');
  return rp === sp || sp.startsWith(`${rp}/`);
}

/**
 * The Protected Resource Metadata of the server at `serverUrl`: from the challenge's `resource_metadata` when
 * given (only there), otherwise from the well-known URLs on the server's origin.
 */
export async function discoverProtectedResource(serverUrl: URL, challenge: BearerChallenge | undefined, opts: DiscoveryOptions): Promise<ProtectedResource> {
  const guard = serverGuard(serverUrl, opts.guard);
  const get = guardedFetch(opts.fetch, guard, 'resource metadata URL');
  const candidates =
    challenge?.resourceMetadata !== undefined
      ? [checkLoopback(checkUrl(challenge.resourceMetadata, 'resource metadata URL'), guard, 'resource metadata URL').href]
      : protectedResourceMetadataUrls(serverUrl);
  for (const url of candidates) {
    const res = await get(url, { method: 'GET', headers: { accept: 'application/json' }, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (res.status !== 200) continue;
    const json = await readJsonObject(res, url);
    const resource = json['resource'];
    if (typeof resource !== 'string' || resource === '') throw new AuthError('invalidMetadata', `The resource metadata at ${url} has no "resource".`);
    if (!resourceMatches(resource, serverUrl)) {
      throw new AuthError('resourceMismatch', `The resource metadata at ${url} describes another resource than ${serverUrl.href}; refused.`);
    }
    const servers = json['authorization_servers'];
    const list = Array.isArray(servers) ? servers.filter((s): s is string => typeof s === 'string').slice(0, MAX_AUTH_SERVERS) : [];
    if (list.length === 0) throw new AuthError('invalidMetadata', `The resource metadata at ${url} names no authorization server.`);
    const scopes = json['scopes_supported'];
    const scopesSupported = Array.isArray(scopes) ? splitScopes(scopes.filter((s) => typeof s === 'string').join(' ')) : undefined;
    return { resource, metadataUrl: url, authorizationServers: list, ...(scopesSupported ? { scopesSupported } : {}) };
  }
  throw new AuthError('metadataNotFound', `No resource metadata for ${serverUrl.href} (looked at ${candidates.join(', ')}).`);
}

/**
 * The metadata of the authorization server `issuer`, from the first well-known URL that answers 200, with its
 * `issuer` equal to the one asked for (RFC 8414 §3.3), usable endpoints, and PKCE S256 (refused otherwise).
 */
export async function discoverAuthorizationServer(issuer: string, opts: DiscoveryOptions): Promise<AuthorizationServer> {
  const lib = await oauthLib();
  const issuerUrl = checkUrl(issuer, 'authorization server');
  const get = guardedFetch(opts.fetch, opts.guard, 'authorization server metadata URL');
  const candidates = authorizationServerMetadataUrls(issuerUrl);
  for (const url of candidates) {
    const res = await get(url, { method: 'GET', headers: { accept: 'application/json' }, ...(opts.signal ? { signal: opts.signal } : {}) });
    if (res.status !== 200) continue;
    let as: AuthorizationServer;
    try {
      as = await lib.processDiscoveryResponse(issuerUrl, res);
    } catch (err) {
      if ((err as { code?: unknown }).code === lib.JSON_ATTRIBUTE_COMPARISON) {
        throw new AuthError('issuerMismatch', `The metadata at ${url} is for another issuer than ${issuerUrl.href}; refused.`, { cause: err });
      }
      throw new AuthError('invalidMetadata', `The authorization server metadata at ${url} is not usable.`, { cause: err });
    }
    checkUsable(as, url, opts.guard);
    return as;
  }
  throw new AuthError('metadataNotFound', `No authorization server metadata for ${issuerUrl.href} (looked at ${candidates.join(', ')}).`);
}

/** Endpoints the flow will use must pass the URL policy, and PKCE S256 must be advertised (MCP spec: refuse otherwise). */
function checkUsable(as: AuthorizationServer, url: string, guard: GuardOptions | undefined): void {
  if (typeof as.authorization_endpoint !== 'string' || typeof as.token_endpoint !== 'string') {
    throw new AuthError('invalidMetadata', `The authorization server metadata at ${url} lacks an authorization or token endpoint.`);
  }
  // The authorization endpoint is opened in the browser (with its cookies): never on loopback for a remote server.
  checkLoopback(checkUrl(as.authorization_endpoint, 'authorization endpoint'), guard, 'authorization endpoint');
  checkUrl(as.token_endpoint, 'token endpoint');
  const methods = as.code_challenge_methods_supported;
  if (!Array.isArray(methods) || !methods.includes('S256')) {
    throw new AuthError('pkceUnsupported', `The authorization server ${as.issuer} does not advertise PKCE S256; MCP Host does not sign in without it.`);
  }
}

async function readJsonObject(res: Response, url: string): Promise<Record<string, unknown>> {
  let json: unknown;
  try {
    json = await res.json();
  } catch (err) {
    throw new AuthError('invalidMetadata', `The document at ${url} is not JSON.`, { cause: err });
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new AuthError('invalidMetadata', `The document at ${url} is not a JSON object.`);
  return json as Record<string, unknown>;
}
