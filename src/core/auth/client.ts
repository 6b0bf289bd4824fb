/**
 * Which client MCP Host is at an authorization server, in the MCP spec's order: a client id (and secret) the user
 * configured for the server; a Client ID Metadata Document (the client id is the https URL of a document MCP Host
 * publishes) when the server advertises `client_id_metadata_document_supported`; Dynamic Client Registration
 * (RFC 7591) when it has a `registration_endpoint`. A registration is kept in the SecretStore and reused.
 */
import { AuthError } from './errors';
import { oauthLib, type AuthorizationServer, type OAuth, type OAuthClient } from './lib';
import { checkUrl, guardedFetch, type FetchLike, type GuardOptions } from './net';
import { loadRegistration, saveRegistration, type RegistrationRecord } from './store';
import type { SecretStore } from './types';

/**
 * MCP Host publishes no Client ID Metadata Document of its own (yet): the mechanism is off unless one is configured
 * (`mcpHost.oauth.clientMetadataUrl`: an organisation hosts `clientMetadataDocument(url)` at `url`).
 */
/** The name shown on consent screens of authorization servers. */
export const CLIENT_NAME = 'MCP Host';

/** A client the user configured for one server (the secret comes from the SecretStore, never from a file). */
export interface ConfiguredClient {
  readonly clientId: string;
  readonly clientSecret?: string;
}

/** The client identity chosen for one sign-in. */
export interface ClientIdentity {
  readonly source: 'configured' | 'metadataDocument' | 'registration';
  readonly client: OAuthClient;
  readonly clientSecret?: string;
  /** `none`, `client_secret_basic` or `client_secret_post`. */
  readonly authMethod: string;
}

/** The Client ID Metadata Document to publish at `url` (RFC 7591 client metadata, `client_id` = its own URL). */
export function clientMetadataDocument(url: string): Record<string, unknown> {
  return {
    client_id: url,
    client_name: CLIENT_NAME,
    client_uri: 'https://github.com/mcp-host/mcp-host',
    // Loopback redirects match on any port (RFC 8252 §7.3); both spellings, as browsers and servers differ.
    redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}

export interface ClientOptions {
  readonly serverUrl: string;
  readonly store: SecretStore;
  readonly fetch: FetchLike;
  readonly guard?: GuardOptions;
  readonly configured?: ConfiguredClient;
  /** The Client ID Metadata Document URL; `null` or absent turns the mechanism off. */
  readonly metadataDocumentUrl?: string | null;
}

/** Which mechanism `resolveClient` will use at `as` (for the consent prompt, before anything is sent). */
export async function plannedIdentity(as: AuthorizationServer, opts: ClientOptions): Promise<ClientIdentity['source']> {
  if (opts.configured) return 'configured';
  if (typeof opts.metadataDocumentUrl === 'string' && as['client_id_metadata_document_supported'] === true) return 'metadataDocument';
  if (await loadRegistration(opts.store, opts.serverUrl, as.issuer)) return 'registration';
  if (typeof as.registration_endpoint === 'string') return 'registration';
  throw new AuthError('noClientIdentity', `${as.issuer} supports neither client metadata documents nor registration; configure a client id for this server.`);
}

/**
 * The client identity for a sign-in at `as` with `redirectUri`, registering one when that is the way. Without a
 * redirect (a refresh or a revocation: no browser step) the stored registration is used whatever its redirect.
 */
export async function resolveClient(as: AuthorizationServer, redirectUri: string | undefined, opts: ClientOptions): Promise<ClientIdentity> {
  const source = await plannedIdentity(as, opts);
  if (source === 'configured' && opts.configured) {
    const secret = opts.configured.clientSecret;
    return identity('configured', opts.configured.clientId, secret, undefined, as);
  }
  if (source === 'metadataDocument') {
    const url = checkUrl(opts.metadataDocumentUrl ?? '', 'client metadata document URL');
    return identity('metadataDocument', url.href, undefined, 'none', as);
  }
  const stored = await loadRegistration(opts.store, opts.serverUrl, as.issuer);
  // A registration made for another redirect (the loopback listener, then the editor's URI handler; or a proxied
  // port that changed) would be refused at the authorization endpoint: register again for this one.
  if (redirectUri === undefined) {
    if (!stored) throw new AuthError('noClientIdentity', 'The registered client is gone; sign in again.');
    return identity('registration', stored.clientId, stored.clientSecret, stored.tokenEndpointAuthMethod, as);
  }
  const reg = stored && redirectRegistered(stored.redirectUris, redirectUri) ? stored : await register(as, redirectUri, opts);
  return identity('registration', reg.clientId, reg.clientSecret, reg.tokenEndpointAuthMethod, as);
}

/** `uri` is among `registered`; a loopback http redirect matches whatever its port (RFC 8252 §7.3). */
export function redirectRegistered(registered: readonly string[], uri: string): boolean {
  const loopback = (u: URL) => u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === '[::1]' || u.hostname === 'localhost');
  return registered.some((r) => {
    if (r === uri) return true;
    try {
      const a = new URL(r);
      const b = new URL(uri);
      return loopback(a) && loopback(b) && a.hostname === b.hostname && a.pathname === b.pathname && a.search === b.search;
    } catch {
      return false;
    }
  });
}

function identity(source: ClientIdentity['source'], clientId: string, secret: string | undefined, method: string | undefined, as: AuthorizationServer): ClientIdentity {
  let authMethod = 'none';
  if (secret !== undefined) {
    const supported = as.token_endpoint_auth_methods_supported;
    // RFC 8414 §2: absent means client_secret_basic.
    authMethod =
      method === 'client_secret_post' || method === 'client_secret_basic'
        ? method
        : Array.isArray(supported) && !supported.includes('client_secret_basic') && supported.includes('client_secret_post')
          ? 'client_secret_post'
          : 'client_secret_basic';
  }
  return { source, client: { client_id: clientId, token_endpoint_auth_method: authMethod }, ...(secret !== undefined ? { clientSecret: secret } : {}), authMethod };
}

async function register(as: AuthorizationServer, redirectUri: string, opts: ClientOptions): Promise<RegistrationRecord> {
  const lib = await oauthLib();
  if (typeof as.registration_endpoint !== 'string') throw new AuthError('noClientIdentity', `${as.issuer} has no registration endpoint.`);
  checkUrl(as.registration_endpoint, 'registration endpoint');
  const metadata = {
    client_name: CLIENT_NAME,
    redirect_uris: [redirectUri],
    // SEP-837: registrations name their application type. MCP Host runs on the user's machine and receives the code
    // on a loopback redirect (RFC 8252), which makes it a native client; left out, OIDC registration reads "web".
    application_type: 'native',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
  let client: Awaited<ReturnType<typeof OAuth.processDynamicClientRegistrationResponse>>;
  try {
    const res = await lib.dynamicClientRegistrationRequest(as, metadata, libOptions(lib, opts.fetch, opts.guard, 'registration endpoint'));
    client = await lib.processDynamicClientRegistrationResponse(await withSecretExpiry(res));
  } catch (err) {
    if (err instanceof AuthError) throw err;
    throw new AuthError('registrationFailed', `${as.issuer} refused to register MCP Host.`, { cause: err });
  }
  const secret = client['client_secret'];
  const method = client['token_endpoint_auth_method'];
  const record: RegistrationRecord = {
    clientId: client.client_id,
    ...(typeof secret === 'string' && secret !== '' ? { clientSecret: secret } : {}),
    ...(typeof method === 'string' ? { tokenEndpointAuthMethod: method } : {}),
    redirectUris: [redirectUri],
  };
  await saveRegistration(opts.store, opts.serverUrl, as.issuer, record);
  return record;
}

/** The client authentication of `id` for the library's token, revocation and registration calls. */
export function clientAuth(lib: typeof OAuth, id: ClientIdentity): OAuth.ClientAuth {
  if (id.clientSecret === undefined) return lib.None();
  return id.authMethod === 'client_secret_post' ? lib.ClientSecretPost(id.clientSecret) : secretBasic(id.clientSecret);
}

/**
 * Percent-encoding that leaves `-`, `.`, `_`, `!`, `~`, `*`, `'`, `(`, `)` as they are and never writes `+`: read
 * the same by servers that form-decode, URI-decode or do not decode at all.
 */
const formEncode = (s: string): string => encodeURIComponent(s);

/**
 * client_secret_basic (RFC 6749 §2.3.1). The library also percent-encodes `-`, `.`, `_`, `*`, `!`, `~`, `'`, `(`
 * and `)`, which many authorization servers (the MCP SDK's among them) do not decode: a pre-registered client id
 * like `my-client` then fails. Encoded with encodeURIComponent, such ids go through unchanged.
 */
function secretBasic(secret: string): OAuth.ClientAuth {
  return (_as, client, _body, headers) => {
    headers.set('authorization', `Basic ${Buffer.from(`${formEncode(client.client_id)}:${formEncode(secret)}`).toString('base64')}`);
  };
}

/**
 * A registration answer with a `client_secret` but no `client_secret_expires_at` (REQUIRED with a secret by RFC
 * 7591 §3.2.1, often left out): read as 0, "does not expire", instead of refusing the registration.
 */
async function withSecretExpiry(res: Response): Promise<Response> {
  if (res.status !== 201) return res;
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: res.status, statusText: res.statusText, headers: res.headers });
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const o = body as Record<string, unknown>;
    if (typeof o['client_secret'] === 'string' && o['client_secret'] !== '' && o['client_secret_expires_at'] === undefined) body = { ...o, client_secret_expires_at: 0 };
  }
  return new Response(JSON.stringify(body), { status: res.status, statusText: res.statusText, headers: res.headers });
}

/**
 * Options for the library's requests: every request through the guard (which enforces the URL policy itself, so
 * the library's own https-only switch is turned off for the loopback case).
 */
export function libOptions(lib: typeof OAuth, fetch: FetchLike, guard: GuardOptions | undefined, what: string): { [k: symbol]: unknown } {
  const guarded = guardedFetch(fetch, guard, what);
  return { [lib.customFetch]: (url: string, init: RequestInit) => guarded(url, init), [lib.allowInsecureRequests]: true };
}
