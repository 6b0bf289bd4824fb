/**
 * The authorization code grant with PKCE S256 and the `resource` parameter (RFC 8707) on both the authorization
 * and the token request; the redirect's `state` and RFC 9207 `iss` checked; refresh and revocation.
 */
import { splitScopes } from './challenge';
import { clientAuth, libOptions, type ClientIdentity } from './client';
import { AuthError } from './errors';
import { oauthLib, type AuthorizationServer, type OAuth, type TokenEndpointResponse } from './lib';
import { checkUrl, type FetchLike, type GuardOptions } from './net';
import type { TokenRecord } from './store';
import type { RedirectReceiver } from './types';

/** What every request of one sign-in shares. */
export interface FlowContext {
  readonly as: AuthorizationServer;
  readonly identity: ClientIdentity;
  /** The protected resource's identifier (from its metadata). */
  readonly resource: string;
  readonly fetch: FetchLike;
  readonly guard?: GuardOptions;
}

/** The authorization request URL (exported for tests and for the adapter's "copy link" fallback). */
export function authorizationUrl(ctx: FlowContext, p: { redirectUri: string; codeChallenge: string; state: string; scopes: readonly string[] }): URL {
  const url = checkUrl(ctx.as.authorization_endpoint as string, 'authorization endpoint');
  const q = url.searchParams;
  q.set('response_type', 'code');
  q.set('client_id', ctx.identity.client.client_id);
  q.set('redirect_uri', p.redirectUri);
  q.set('code_challenge', p.codeChallenge);
  q.set('code_challenge_method', 'S256');
  q.set('state', p.state);
  q.set('resource', ctx.resource);
  if (p.scopes.length > 0) q.set('scope', p.scopes.join(' '));
  return url;
}

/** Runs the browser step and the token exchange; resolves with the tokens to keep. */
export async function authorize(ctx: FlowContext, receiver: RedirectReceiver, scopes: readonly string[], signal?: AbortSignal): Promise<TokenRecord> {
  const lib = await oauthLib();
  const verifier = lib.generateRandomCodeVerifier();
  const state = lib.generateRandomState();
  const url = authorizationUrl(ctx, { redirectUri: receiver.redirectUri, codeChallenge: await lib.calculatePKCECodeChallenge(verifier), state, scopes });
  const redirected = await receiver.waitForRedirect(url, state, signal);
  const params = checkRedirect(lib, ctx, redirected, state);
  let res: Response;
  let tokens: TokenEndpointResponse;
  try {
    res = await lib.authorizationCodeGrantRequest(ctx.as, ctx.identity.client, clientAuth(lib, ctx.identity), params, receiver.redirectUri, verifier, {
      ...libOptions(lib, ctx.fetch, ctx.guard, 'token endpoint'),
      additionalParameters: { resource: ctx.resource },
      ...(signal ? { signal } : {}),
    });
    tokens = await lib.processAuthorizationCodeResponse(ctx.as, ctx.identity.client, res);
  } catch (err) {
    if (err instanceof AuthError) throw err;
    throw new AuthError('tokenRequestFailed', `${ctx.as.issuer} did not exchange the authorization code${oauthErrorSuffix(err)}.`, { cause: err });
  }
  return toRecord(ctx, tokens, scopes, undefined);
}

/**
 * New tokens from the refresh token. A refusal by the server (revoked or expired grant) is `refreshRejected`:
 * the caller forgets the tokens and asks for a sign-in; network failures stay `network`.
 */
export async function refresh(ctx: FlowContext, current: TokenRecord, signal?: AbortSignal): Promise<TokenRecord> {
  if (current.refreshToken === undefined) throw new AuthError('refreshRejected', 'There is no refresh token.');
  const lib = await oauthLib();
  let tokens: TokenEndpointResponse;
  try {
    const res = await lib.refreshTokenGrantRequest(ctx.as, ctx.identity.client, clientAuth(lib, ctx.identity), current.refreshToken, {
      ...libOptions(lib, ctx.fetch, ctx.guard, 'token endpoint'),
      additionalParameters: { resource: ctx.resource },
      ...(signal ? { signal } : {}),
    });
    tokens = await lib.processRefreshTokenResponse(ctx.as, ctx.identity.client, res);
  } catch (err) {
    if (err instanceof AuthError) throw err;
    // A refusal (400/401 with an OAuth error) means the grant is gone; a 5xx or a malformed answer may pass.
    const refused = err instanceof lib.ResponseBodyError && (err.status === 400 || err.status === 401);
    throw new AuthError(refused ? 'refreshRejected' : 'tokenRequestFailed', `${ctx.as.issuer} did not refresh the token${oauthErrorSuffix(err)}.`, { cause: err });
  }
  return toRecord(ctx, tokens, current.scopes, current.refreshToken);
}

/** Best-effort revocation (RFC 7009) at sign-out; failures are ignored (the tokens are forgotten anyway). */
export async function revoke(ctx: FlowContext, token: string): Promise<boolean> {
  if (typeof ctx.as.revocation_endpoint !== 'string') return false;
  const lib = await oauthLib();
  try {
    const res = await lib.revocationRequest(ctx.as, ctx.identity.client, clientAuth(lib, ctx.identity), token, libOptions(lib, ctx.fetch, ctx.guard, 'revocation endpoint'));
    await lib.processRevocationResponse(res);
    return true;
  } catch {
    return false;
  }
}

function checkRedirect(lib: typeof OAuth, ctx: FlowContext, redirected: URL, state: string): URLSearchParams {
  const q = redirected.searchParams;
  if (q.get('state') !== state) throw new AuthError('stateMismatch', 'The sign-in redirect does not carry the state MCP Host sent; refused.');
  const iss = q.get('iss');
  if ((iss === null && ctx.as.authorization_response_iss_parameter_supported === true) || (iss !== null && iss !== ctx.as.issuer)) {
    throw new AuthError('issuerResponseMismatch', `The sign-in redirect does not come from ${ctx.as.issuer} (RFC 9207 "iss"); refused.`);
  }
  try {
    return lib.validateAuthResponse(ctx.as, ctx.identity.client, q, state);
  } catch (err) {
    throw new AuthError('authorizationDenied', `${ctx.as.issuer} did not authorize MCP Host${oauthErrorSuffix(err)}.`, { cause: err });
  }
}

function toRecord(ctx: FlowContext, t: TokenEndpointResponse, requested: readonly string[], previousRefresh: string | undefined): TokenRecord {
  if (t.token_type !== 'bearer') throw new AuthError('tokenRequestFailed', `${ctx.as.issuer} issued a "${safeWord(t.token_type)}" token; MCP Host uses bearer tokens.`);
  const refreshToken = t.refresh_token ?? previousRefresh;
  const granted = typeof t.scope === 'string' ? splitScopes(t.scope) : [...requested];
  return {
    accessToken: t.access_token,
    ...(refreshToken !== undefined ? { refreshToken } : {}),
    ...(typeof t.expires_in === 'number' ? { expiresAt: Date.now() + t.expires_in * 1000 } : {}),
    scopes: granted,
    resource: ctx.resource,
    issuer: ctx.as.issuer,
  };
}

/** `: invalid_grant` from an OAuth error response (only a well-formed error code: server text is not echoed). */
function oauthErrorSuffix(err: unknown): string {
  const e = err as { error?: unknown; cause?: unknown };
  const code = typeof e.error === 'string' ? e.error : e.cause instanceof URLSearchParams ? e.cause.get('error') : undefined;
  return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? ` (${code})` : '';
}

function safeWord(s: string): string {
  return /^[A-Za-z0-9_-]{1,32}$/.test(s) ? s : '?';
}
