/**
 * What the auth engine keeps in the `SecretStore`, under keys made of the server URL and the issuer, and the
 * (de)serialisation of each record. A record that does not parse is treated as absent (and overwritten later):
 * the store is ours, but a damaged entry must not wedge sign-in.
 */
import type { SecretStore } from './types';

/** Tokens for one server from one authorization server. */
export interface TokenRecord {
  readonly accessToken: string;
  readonly refreshToken?: string;
  /** Epoch milliseconds; absent when the server did not say. */
  readonly expiresAt?: number;
  /** Scopes granted (the token response's `scope`, else what was requested). */
  readonly scopes: readonly string[];
  /** The `resource` the token was requested for (RFC 8707). */
  readonly resource: string;
  readonly issuer: string;
}

/** A client identity obtained by Dynamic Client Registration (RFC 7591). */
export interface RegistrationRecord {
  readonly clientId: string;
  readonly clientSecret?: string;
  readonly tokenEndpointAuthMethod?: string;
  readonly redirectUris: readonly string[];
}

/** Which issuer the server's tokens came from (so a restart finds them without discovery) and what was approved. */
export interface ServerRecord {
  readonly issuer: string;
  readonly approvedScopes: readonly string[];
}

const PREFIX = 'mcpHost.auth.v1';

/** The store key of one record. The server URL and issuer are written whole (JSON), so no two pairs collide. */
export function secretKey(kind: 'tokens' | 'client', serverUrl: string, issuer: string): string;
export function secretKey(kind: 'server', serverUrl: string): string;
export function secretKey(kind: 'tokens' | 'client' | 'server', serverUrl: string, issuer?: string): string {
  return `${PREFIX}.${kind}:${JSON.stringify(issuer === undefined ? [serverUrl] : [serverUrl, issuer])}`;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter(str).slice(0, 64) : []);

async function readJson(store: SecretStore, key: string): Promise<Record<string, unknown> | undefined> {
  const text = await store.get(key);
  if (text === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export async function loadTokens(store: SecretStore, serverUrl: string, issuer: string): Promise<TokenRecord | undefined> {
  const j = await readJson(store, secretKey('tokens', serverUrl, issuer));
  if (!j || !str(j['accessToken']) || !str(j['resource']) || j['issuer'] !== issuer) return undefined;
  return {
    accessToken: j['accessToken'],
    ...(str(j['refreshToken']) ? { refreshToken: j['refreshToken'] } : {}),
    ...(typeof j['expiresAt'] === 'number' ? { expiresAt: j['expiresAt'] } : {}),
    scopes: strList(j['scopes']),
    resource: j['resource'],
    issuer,
  };
}

export async function loadRegistration(store: SecretStore, serverUrl: string, issuer: string): Promise<RegistrationRecord | undefined> {
  const j = await readJson(store, secretKey('client', serverUrl, issuer));
  if (!j || !str(j['clientId'])) return undefined;
  return {
    clientId: j['clientId'],
    ...(str(j['clientSecret']) ? { clientSecret: j['clientSecret'] } : {}),
    ...(str(j['tokenEndpointAuthMethod']) ? { tokenEndpointAuthMethod: j['tokenEndpointAuthMethod'] } : {}),
    redirectUris: strList(j['redirectUris']),
  };
}

export async function loadServer(store: SecretStore, serverUrl: string): Promise<ServerRecord | undefined> {
  const j = await readJson(store, secretKey('server', serverUrl));
  if (!j || !str(j['issuer'])) return undefined;
  return { issuer: j['issuer'], approvedScopes: strList(j['approvedScopes']) };
}

export const saveTokens = (s: SecretStore, serverUrl: string, t: TokenRecord) => s.store(secretKey('tokens', serverUrl, t.issuer), JSON.stringify(t));
export const saveRegistration = (s: SecretStore, serverUrl: string, issuer: string, r: RegistrationRecord) =>
  s.store(secretKey('client', serverUrl, issuer), JSON.stringify(r));
export const saveServer = (s: SecretStore, serverUrl: string, r: ServerRecord) => s.store(secretKey('server', serverUrl), JSON.stringify(r));
