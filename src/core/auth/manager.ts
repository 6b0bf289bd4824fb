/**
 * One server's sign-in: the seam the HTTP transports call (`headers()` before a request, `onChallenge()` on a
 * 401/403) and the adapter drives (`signIn()`, `signOut()`, `onDidChangeState` for the tree).
 */
import { Emitter, type Disposable, type Event } from '../base/events';
import { nullLogger, type Logger } from '../base/logger';
import { parseBearerChallenge, unionScopes, type BearerChallenge } from './challenge';
import { plannedIdentity, resolveClient, type ConfiguredClient } from './client';
import { shownUrl } from '../base/redact';
import { discoverAuthorizationServer, discoverProtectedResource, resourceMatches, serverGuard } from './discovery';
import { AuthError, isAuthError, type AuthErrorCode } from './errors';
import { authorize, refresh, revoke, type FlowContext } from './flow';
import type { AuthorizationServer } from './lib';
import type { FetchLike, GuardOptions } from './net';
import { loadRegistration, loadServer, loadTokens, saveServer, saveTokens, secretKey, type TokenRecord } from './store';
import type { Browser, ConsentPrompt, SecretRegistry, SecretStore } from './types';

/** What the tree shows for a server's sign-in. */
export type AuthState =
  | { readonly kind: 'signedOut' }
  | {
      readonly kind: 'signInNeeded';
      /** `challenge`: the server answered 401; `stepUp`: it wants more scopes (403); `expired`: refresh refused. */
      readonly reason: 'challenge' | 'stepUp' | 'expired';
      readonly scopes: readonly string[];
      /** Why the last sign-in attempt failed, if one did. */
      readonly lastError?: { readonly code: AuthErrorCode; readonly message: string };
    }
  | { readonly kind: 'signingIn' }
  | { readonly kind: 'signedIn'; readonly issuer: string; readonly scopes: readonly string[]; readonly expiresAt?: number };

/** What the transport does after a 401/403: send again (new headers), show "Sign in", or give up on the request. */
export type ChallengeOutcome = 'retry' | 'signInNeeded' | 'forbidden';

export interface AuthManagerOptions {
  /** The MCP server's URL (the key of everything stored). */
  readonly serverUrl: string;
  readonly store: SecretStore;
  readonly browser: Browser;
  readonly consent: ConsentPrompt;
  readonly fetch: FetchLike;
  readonly secrets?: SecretRegistry;
  readonly logger?: Logger;
  /** A client id (and secret) the user configured for this server. */
  readonly configuredClient?: ConfiguredClient;
  /** A Client ID Metadata Document URL (`mcpHost.oauth.clientMetadataUrl`); `null` or absent: CIMD off. */
  readonly clientMetadataDocumentUrl?: string | null;
  readonly guard?: GuardOptions;
  /** Refresh this long before the access token expires. */
  readonly refreshSkewMs?: number;
  /** A token got by refreshing after a 401 and rejected again within this time means "sign in" (default 30 s). */
  readonly retryWindowMs?: number;
}

/** See `retry`: a refreshed token rejected within this time is not refreshed again. */
const RETRY_WINDOW_MS = 30_000;
/** Old tokens stay registered for redaction a while (requests in flight may still log them); this many at most. */
const MAX_REDACTED = 32;

/** See the file comment. One instance per server URL; dispose it with the server. */
export class AuthManager implements Disposable {
  private readonly _onDidChangeState = new Emitter<AuthState>();
  readonly onDidChangeState: Event<AuthState> = this._onDidChangeState.event;
  private _state: AuthState = { kind: 'signedOut' };
  private readonly serverUrl: URL;
  /** Every sign-in request's guard (no loopback for a server elsewhere; see serverGuard). */
  private readonly guard: GuardOptions;
  private readonly log: Logger;
  private loaded: Promise<void> | undefined;
  private tokens: TokenRecord | undefined;
  private challenge: BearerChallenge | undefined;
  private stepUpScopes: string[] | undefined;
  /**
   * The access token obtained by refreshing after a 401, and when: a 401 for it again soon after means sign in,
   * not refresh again. The transport reports failures only, not successes, so "soon" is a time window: a server
   * rejecting every token costs at most one refresh per window, while a token that worked for a while and then
   * expired is refreshed as usual.
   */
  private retry: { token: string; at: number } | undefined;
  private readonly metadata = new Map<string, AuthorizationServer>();
  private refreshing: Promise<void> | undefined;
  private signingIn: Promise<void> | undefined;
  private readonly redactions: Disposable[] = [];

  constructor(private readonly options: AuthManagerOptions) {
    this.serverUrl = new URL(options.serverUrl);
    this.guard = serverGuard(this.serverUrl, options.guard);
    this.log = options.logger ?? nullLogger;
  }

  get state(): AuthState {
    return this._state;
  }

  /** Reads stored tokens (once); the state is `signedIn` afterwards if there are any. */
  initialize(): Promise<AuthState> {
    this.loaded ??= (async () => {
      const server = await loadServer(this.options.store, this.options.serverUrl);
      const tokens = server && (await loadTokens(this.options.store, this.options.serverUrl, server.issuer));
      if (tokens) this.setTokens(tokens);
    })();
    return this.loaded.then(() => this._state);
  }

  /** Headers for the next request: `Authorization: Bearer` when signed in (refreshed first if about to expire). */
  async headers(): Promise<Record<string, string>> {
    await this.initialize();
    const t = this.tokens;
    if (!t) return {};
    const skew = this.options.refreshSkewMs ?? 60_000;
    if (t.expiresAt !== undefined && t.expiresAt - Date.now() < skew && t.refreshToken !== undefined) {
      await this.refreshOnce().catch((err: unknown) => this.log.warn(`Token refresh failed: ${(err as Error).message}`));
    }
    const now = this.tokens;
    // Tokens are bound to one resource (RFC 8707): never send them to a URL they were not issued for.
    if (!now || !resourceMatches(now.resource, this.serverUrl)) return {};
    return { authorization: `Bearer ${now.accessToken}` };
  }

  /**
   * A 401 or 403 with its `WWW-Authenticate` header. 401: refresh once and `retry`, else `signInNeeded`.
   * 403 `insufficient_scope`: `signInNeeded` for the union of the granted and the asked scopes (step-up), unless
   * nothing new is asked (then `forbidden`, so a server cannot loop the user through sign-ins).
   */
  async onChallenge(status: number, wwwAuthenticate: string | null | undefined): Promise<ChallengeOutcome> {
    await this.initialize();
    const c = parseBearerChallenge(wwwAuthenticate);
    if (status === 401) {
      this.challenge = c ?? this.challenge;
      const t = this.tokens;
      if (t && t.refreshToken !== undefined && !this.justRetried(t)) {
        try {
          await this.refreshOnce();
          if (this.tokens) {
            this.retry = { token: this.tokens.accessToken, at: Date.now() };
            return 'retry';
          }
        } catch (err) {
          this.log.warn(`Token refresh after 401 failed: ${(err as Error).message}`);
          if (!isAuthError(err, 'refreshRejected') && !isAuthError(err, 'noClientIdentity')) {
            // The authorization server did not refuse, it failed (unreachable, 5xx): keep the refresh token for
            // the next attempt; the user may also sign in again.
            const e = err instanceof AuthError ? err : new AuthError('network', 'Token refresh failed.');
            this.setState({ kind: 'signInNeeded', reason: 'expired', scopes: t.scopes, lastError: { code: e.code, message: e.message } });
            return 'signInNeeded';
          }
        }
      }
      await this.forgetTokens();
      // A refused refresh has already said so (with the granted scopes); one change, one event.
      if (this._state.kind !== 'signInNeeded') this.setState({ kind: 'signInNeeded', reason: t ? 'expired' : 'challenge', scopes: c?.scopes ?? [] });
      return 'signInNeeded';
    }
    if (status === 403 && c?.error === 'insufficient_scope') {
      const granted = this.tokens?.scopes ?? [];
      const wanted = unionScopes(granted, this.stepUpScopes, c.scopes);
      if (wanted.every((s) => granted.includes(s))) return 'forbidden';
      this.challenge = c;
      this.stepUpScopes = wanted;
      this.setState({ kind: 'signInNeeded', reason: 'stepUp', scopes: wanted });
      return 'signInNeeded';
    }
    return 'forbidden';
  }

  /** The whole sign-in (discovery, consent, browser, tokens). Throws an AuthError; the state says what to show. */
  signIn(signal?: AbortSignal): Promise<void> {
    this.signingIn ??= this.doSignIn(signal).finally(() => (this.signingIn = undefined));
    return this.signingIn;
  }

  /** Forgets the tokens and the registered client for this server (revoking the refresh token, best effort). */
  async signOut(): Promise<void> {
    await this.initialize();
    const server = await loadServer(this.options.store, this.options.serverUrl);
    const t = this.tokens;
    if (server && t) {
      const ctx = await this.context(server.issuer, t.resource).catch(() => undefined);
      if (ctx) await revoke(ctx, t.refreshToken ?? t.accessToken);
    }
    await this.forgetTokens();
    if (server) {
      await this.options.store.delete(secretKey('client', this.options.serverUrl, server.issuer));
      await this.options.store.delete(secretKey('server', this.options.serverUrl));
    }
    this.challenge = undefined;
    this.stepUpScopes = undefined;
    this.metadata.clear();
    this.setState({ kind: 'signedOut' });
  }

  dispose(): void {
    this._onDidChangeState.dispose();
    for (const d of this.redactions.splice(0)) d.dispose();
  }

  private async doSignIn(signal?: AbortSignal): Promise<void> {
    await this.initialize();
    const before = this._state;
    this.setState({ kind: 'signingIn' });
    try {
      const opts = { fetch: this.options.fetch, guard: this.guard, ...(signal ? { signal } : {}) };
      const prm = await discoverProtectedResource(this.serverUrl, this.challenge, opts);
      const issuer = prm.authorizationServers[0] as string;
      const scopes = this.stepUpScopes ?? this.challenge?.scopes ?? prm.scopesSupported ?? [];
      const server = await loadServer(this.options.store, this.options.serverUrl);
      const approved = server?.issuer === issuer ? server.approvedScopes : [];
      if (server?.issuer !== issuer || !scopes.every((s) => approved.includes(s))) {
        const ok = await this.options.consent.confirm({
          serverUrl: shownUrl(this.options.serverUrl),
          issuer,
          authorizationServerOrigin: new URL(issuer).origin,
          scopes,
          previouslyApproved: approved,
        });
        if (!ok) throw new AuthError('consentRefused', 'Sign-in cancelled: the authorization server was not approved.');
      }
      const as = await this.asMetadata(issuer, signal);
      await plannedIdentity(as, this.clientOptions());
      const receiver = await this.options.browser.prepare();
      let tokens: TokenRecord;
      try {
        const identity = await resolveClient(as, receiver.redirectUri, this.clientOptions());
        if (identity.clientSecret !== undefined) this.redact(identity.clientSecret, 'oauth:clientSecret');
        tokens = await authorize(this.flow(as, identity, prm.resource), receiver, scopes, signal);
      } finally {
        receiver.dispose();
      }
      await saveTokens(this.options.store, this.options.serverUrl, tokens);
      await saveServer(this.options.store, this.options.serverUrl, { issuer, approvedScopes: unionScopes(approved, scopes) });
      this.stepUpScopes = undefined;
      this.retry = undefined;
      this.setTokens(tokens);
      this.log.info(`Signed in at ${as.issuer} (scopes: ${tokens.scopes.join(' ') || 'default'}).`);
    } catch (err) {
      const e = err instanceof AuthError ? err : new AuthError('network', 'Sign-in failed.', { cause: err });
      const reason = before.kind === 'signInNeeded' ? before.reason : 'challenge';
      const scopes = before.kind === 'signInNeeded' ? before.scopes : [];
      this.setState(this.tokens ? this.signedIn(this.tokens) : { kind: 'signInNeeded', reason, scopes, lastError: { code: e.code, message: e.message } });
      this.log.warn(`Sign-in failed (${e.code}): ${e.message}`);
      throw e;
    }
  }

  private justRetried(t: TokenRecord): boolean {
    return this.retry !== undefined && this.retry.token === t.accessToken && Date.now() - this.retry.at < (this.options.retryWindowMs ?? RETRY_WINDOW_MS);
  }

  private refreshOnce(): Promise<void> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async doRefresh(): Promise<void> {
    const t = this.tokens;
    if (!t) return;
    try {
      const ctx = await this.context(t.issuer, t.resource);
      const next = await refresh(ctx, t);
      await saveTokens(this.options.store, this.options.serverUrl, next);
      this.setTokens(next);
    } catch (err) {
      if (err instanceof AuthError && (err.code === 'refreshRejected' || err.code === 'noClientIdentity')) {
        await this.forgetTokens();
        this.setState({ kind: 'signInNeeded', reason: 'expired', scopes: t.scopes });
      }
      throw err;
    }
  }

  /** What refresh and revocation need: the metadata and a client identity that needs no new registration. */
  private async context(issuer: string, resource: string): Promise<FlowContext> {
    const as = await this.asMetadata(issuer);
    const source = await plannedIdentity(as, this.clientOptions());
    if (source === 'registration' && !(await loadRegistration(this.options.store, this.options.serverUrl, as.issuer))) {
      throw new AuthError('noClientIdentity', 'The registered client is gone; sign in again.');
    }
    return this.flow(as, await resolveClient(as, undefined, this.clientOptions()), resource);
  }

  private flow(as: AuthorizationServer, identity: FlowContext['identity'], resource: string): FlowContext {
    return { as, identity, resource, fetch: this.options.fetch, guard: this.guard };
  }

  private async asMetadata(issuer: string, signal?: AbortSignal): Promise<AuthorizationServer> {
    const cached = this.metadata.get(issuer);
    if (cached) return cached;
    const as = await discoverAuthorizationServer(issuer, { fetch: this.options.fetch, guard: this.guard, ...(signal ? { signal } : {}) });
    this.metadata.set(issuer, as);
    return as;
  }

  private clientOptions() {
    const o = this.options;
    return {
      serverUrl: o.serverUrl,
      store: o.store,
      fetch: o.fetch,
      guard: this.guard,
      ...(o.configuredClient ? { configured: o.configuredClient } : {}),
      ...(o.clientMetadataDocumentUrl !== undefined ? { metadataDocumentUrl: o.clientMetadataDocumentUrl } : {}),
    };
  }

  private setTokens(t: TokenRecord): void {
    this.tokens = t;
    this.redact(t.accessToken, 'oauth:accessToken');
    if (t.refreshToken !== undefined) this.redact(t.refreshToken, 'oauth:refreshToken');
    this.setState(this.signedIn(t));
  }

  private signedIn(t: TokenRecord): AuthState {
    return { kind: 'signedIn', issuer: t.issuer, scopes: t.scopes, ...(t.expiresAt !== undefined ? { expiresAt: t.expiresAt } : {}) };
  }

  private async forgetTokens(): Promise<void> {
    const t = this.tokens;
    this.tokens = undefined;
    this.retry = undefined;
    if (t) await this.options.store.delete(secretKey('tokens', this.options.serverUrl, t.issuer));
  }

  private redact(value: string, label: string): void {
    if (!this.options.secrets) return;
    this.redactions.push(this.options.secrets.add(value, label));
    while (this.redactions.length > MAX_REDACTED) this.redactions.shift()?.dispose();
  }

  private setState(s: AuthState): void {
    // States are small data: an unchanged state (a server repeating its 401) fires nothing.
    if (JSON.stringify(s) === JSON.stringify(this._state)) return;
    this._state = s;
    this._onDidChangeState.fire(s);
  }
}
