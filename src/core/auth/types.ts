/**
 * What the auth engine needs from its host, as interfaces the adapter (VS Code) or the CLI implements. Nothing
 * here imports an editor API.
 */
import type { Disposable } from '../base/events';

/**
 * Where tokens, refresh tokens, client registrations and client secrets live (VS Code: `context.secrets`).
 * Keys are built by `secretKey` (server URL + issuer); values are JSON text.
 */
export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/**
 * One browser step, prepared before the authorization request is built (its redirect URI goes into the request
 * and, for Dynamic Client Registration, into the registration).
 */
export interface RedirectReceiver extends Disposable {
  /** The redirect URI to send (loopback `http://127.0.0.1:<port>/callback`, or the editor's URI handler). */
  readonly redirectUri: string;
  /**
   * Opens `authorizationUrl` in the user's browser and resolves with the URL the authorization server redirected
   * to (carrying `code`, `state`, `iss` or an `error`). `expectedState` lets a receiver ignore stray requests.
   * Rejects on timeout or when `signal` aborts.
   */
  waitForRedirect(authorizationUrl: URL, expectedState: string, signal?: AbortSignal): Promise<URL>;
}

/** The browser seam: the adapter opens URLs with `vscode.env.openExternal`; see `LoopbackBrowser` for the listener. */
export interface Browser {
  prepare(): Promise<RedirectReceiver>;
}

/**
 * What the user is asked before anything is sent to an authorization server they have not approved (asked after
 * reading the resource's metadata, before the authorization server's own metadata is fetched).
 */
export interface ConsentRequest {
  /** The MCP server the sign-in is for, as shown (a password or key in the URL masked). */
  readonly serverUrl: string;
  /** The authorization server's issuer identifier and its origin (what the dialog shows). */
  readonly issuer: string;
  readonly authorizationServerOrigin: string;
  /** Scopes that will be requested (may be empty: the server's default). */
  readonly scopes: readonly string[];
  /** Scopes the user already approved for this server and issuer (non-empty on a step-up). */
  readonly previouslyApproved: readonly string[];
}

/** Asks the user (modal dialog in the editor, a prompt in the CLI). Resolves false when the user refuses. */
export interface ConsentPrompt {
  confirm(request: ConsentRequest): Promise<boolean>;
}

/**
 * Values that must never reach a log. The host gives one set to every logger (see `maskSecrets`); the auth engine
 * adds each token and client secret it holds, and removes it when forgotten.
 */
export interface SecretRegistry {
  add(value: string, label: string): Disposable;
}
