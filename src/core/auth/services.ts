/**
 * What a host gives the engine for sign-in (`AuthServices`: the editor's SecretStorage, browser and consent dialog,
 * or the CLI's terminal ones), and the engine's pool of AuthManagers over them: one per remote server URL, shared
 * by every definition of that URL, made on first use (a server's start) and kept while the host runs.
 */
import { Emitter, type Disposable, type Event } from '../base/events';
import type { Logger } from '../base/logger';
import type { ConfiguredClient } from './client';
import { AuthManager, type AuthState } from './manager';
import type { FetchLike, GuardOptions } from './net';
import type { Browser, ConsentPrompt, SecretRegistry, SecretStore } from './types';

/** The editor's (or terminal's) parts of sign-in. */
export interface AuthServices {
  readonly store: SecretStore;
  readonly browser: Browser;
  readonly consent: ConsentPrompt;
  /** Requests to authorization servers (the editor's proxy-aware fetch); default Node's fetch. */
  readonly fetch?: FetchLike;
  /** Tokens and client secrets are added here, so every logger masks them. */
  readonly secrets?: SecretRegistry;
  /** The Client ID Metadata Document URL to use (`mcpHost.oauth.clientMetadataUrl`), read at each new manager; null: off. */
  readonly clientMetadataUrl?: () => string | null;
  readonly logger?: Logger;
  /** Bounds of requests to authorization servers (tests shorten them). */
  readonly guard?: GuardOptions;
}

/** A URL's manager and the client settings it was made with (another client id makes a new manager). */
interface Entry {
  readonly manager: AuthManager;
  readonly client: string;
  readonly subscription: Disposable;
}

/** One AuthManager per server URL; see the file comment. */
export class AuthManagers implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly _onDidChange = new Emitter<{ readonly url: string; readonly state: AuthState }>();
  /** Any manager's state changed (the tree re-renders the servers of that URL). */
  readonly onDidChange: Event<{ readonly url: string; readonly state: AuthState }> = this._onDidChange.event;
  private disposed = false;

  constructor(private readonly services: AuthServices) {}

  /** The manager of `serverUrl`, made now if needed; a changed configured client or CIMD URL replaces it. */
  managerFor(serverUrl: string, configured?: ConfiguredClient): AuthManager {
    const metadataUrl = this.services.clientMetadataUrl?.() ?? null;
    const client = JSON.stringify([configured?.clientId ?? null, configured?.clientSecret ?? null, metadataUrl]);
    const old = this.entries.get(serverUrl);
    if (old && old.client === client && !this.disposed) return old.manager;
    if (old) this.drop(serverUrl, old);
    const s = this.services;
    const manager = new AuthManager({
      serverUrl,
      store: s.store,
      browser: s.browser,
      consent: s.consent,
      fetch: s.fetch ?? ((url, init) => fetch(url, init)),
      clientMetadataDocumentUrl: metadataUrl,
      ...(s.secrets ? { secrets: s.secrets } : {}),
      ...(s.logger ? { logger: s.logger } : {}),
      ...(s.guard ? { guard: s.guard } : {}),
      ...(configured ? { configuredClient: configured } : {}),
    });
    const subscription = manager.onDidChangeState((state) => this._onDidChange.fire({ url: serverUrl, state }));
    if (!this.disposed) this.entries.set(serverUrl, { manager, client, subscription });
    return manager;
  }

  /** The manager of `serverUrl` if one was made (a server that started at least once). */
  get(serverUrl: string): AuthManager | undefined {
    return this.entries.get(serverUrl)?.manager;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const [url, e] of [...this.entries]) this.drop(url, e);
    this._onDidChange.dispose();
  }

  private drop(url: string, e: Entry): void {
    e.subscription.dispose();
    e.manager.dispose();
    this.entries.delete(url);
  }
}
