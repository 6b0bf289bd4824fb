/**
 * Sign-in for the command line (core/auth `AuthServices` with terminal parts). Tokens and registered clients live
 * in memory for one run: nothing is persisted, so each run that needs a token signs in again (a keychain-backed
 * store is future work). The browser step redirects to a one-shot listener on 127.0.0.1:
 * - on a terminal, the authorization URL is printed to stderr and handed to `xdg-open`/`open` (spawned with an
 *   argument array, never through a shell) after the user approved the authorization server (y/N);
 * - in `mcp-host conformance` mode, the suite's mock authorization server approves at once: the URL is fetched and
 *   its 302 `Location` delivered to the loopback listener, as a browser would.
 * Without a terminal and outside conformance mode nobody can sign in: the CLI exits 3 (see session.ts).
 */
import { spawn } from 'node:child_process';
import { LoopbackBrowser } from '../core/auth/loopback';
import type { AuthServices } from '../core/auth/services';
import type { ConsentPrompt, ConsentRequest, SecretStore } from '../core/auth/types';
import type { Logger } from '../core/base/logger';
import { sanitizeText } from '../core/base/sanitize';
import { readVisible, type PromptTerminal } from './prompter';
import type { TextSink } from './terminal';

/** How the run signs in: `terminal` (a person at a TTY) or `conformance` (the suite's auto-approving mock). */
export type CliSignInMode = 'terminal' | 'conformance';

export interface CliAuthOptions {
  readonly mode: CliSignInMode;
  readonly stderr: TextSink;
  /** The terminal to ask on (mode `terminal`). */
  readonly terminal?: PromptTerminal;
  /** A Client ID Metadata Document URL to sign in with (null: off). */
  readonly clientMetadataUrl?: string | null;
  readonly logger?: Logger;
  /** Ctrl+C at the consent prompt (readline swallows the signal). */
  readonly onInterrupt: () => void;
  /** How long the browser step may take (default: the loopback listener's 5 minutes). */
  readonly redirectTimeoutMs?: number;
}

/** A one-run secret store: nothing outlives the process. */
export class MemorySecretStore implements SecretStore {
  private readonly map = new Map<string, string>();
  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.map.get(key));
  }
  store(key: string, value: string): Promise<void> {
    this.map.set(key, value);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.map.delete(key);
    return Promise.resolve();
  }
}

/** The AuthServices of one CLI run. */
export function cliAuthServices(o: CliAuthOptions): AuthServices {
  const openUrl = o.mode === 'conformance' ? followAuthorization : (url: URL) => openInBrowser(url, o.stderr);
  return {
    store: new MemorySecretStore(),
    browser: new LoopbackBrowser({ openUrl, ...(o.redirectTimeoutMs !== undefined ? { timeoutMs: o.redirectTimeoutMs } : {}) }),
    consent: o.mode === 'conformance' ? { confirm: () => Promise.resolve(true) } : terminalConsent(o.terminal, o.stderr, o.onInterrupt),
    ...(o.clientMetadataUrl !== undefined ? { clientMetadataUrl: () => o.clientMetadataUrl ?? null } : {}),
    ...(o.logger ? { logger: o.logger } : {}),
  };
}

/**
 * The browser of an auto-approving authorization server (the conformance suite's mock): GET the authorization URL
 * without following redirects, then deliver its `Location` (the loopback redirect with `code` and `state`).
 */
export async function followAuthorization(url: URL): Promise<void> {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(30_000) });
  await res.body?.cancel().catch(() => undefined);
  const location = res.headers.get('location');
  if (res.status < 300 || res.status >= 400 || !location) throw new Error(`the authorization endpoint answered HTTP ${res.status} without a redirect`);
  const target = new URL(location, url);
  // Only the loopback listener may be reached this way: a redirect elsewhere is not delivered.
  if (target.protocol !== 'http:' || (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost')) {
    throw new Error('the authorization endpoint redirected somewhere other than the loopback listener');
  }
  const done = await fetch(target, { signal: AbortSignal.timeout(30_000) });
  await done.body?.cancel().catch(() => undefined);
}

/** Prints the URL and tries the desktop's opener; the user can always copy the printed URL. */
function openInBrowser(url: URL, stderr: TextSink): Promise<void> {
  stderr.write(`mcp-host: open this URL in your browser to sign in:\n  ${url.href}\n`);
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? undefined : 'xdg-open';
  if (opener) {
    try {
      // An argument array, no shell: the URL (built from server metadata) is never interpreted by a shell.
      const child = spawn(opener, [url.href], { stdio: 'ignore', detached: true });
      child.on('error', () => undefined);
      child.unref();
    } catch {
      // no opener on this system: the printed URL is enough
    }
  }
  return Promise.resolve();
}

/** y/N on the terminal: the authorization server's origin and the scopes, before anything is sent to it. */
function terminalConsent(terminal: PromptTerminal | undefined, stderr: TextSink, onInterrupt: () => void): ConsentPrompt {
  return {
    async confirm(r: ConsentRequest): Promise<boolean> {
      if (!terminal) return false;
      const scopes = r.scopes.length ? r.scopes.map((s) => sanitizeText(s).slice(0, 100)).join(' ') : "(the server's default)";
      stderr.write(
        `mcp-host: the MCP server ${sanitizeText(r.serverUrl)} needs sign-in at ${sanitizeText(r.authorizationServerOrigin)} ` +
          `(issuer ${sanitizeText(r.issuer)}), scopes: ${scopes}\n`,
      );
      const answer = await readVisible(terminal, 'Sign in now? [y/N] ', onInterrupt);
      return answer !== undefined && /^y(es)?$/i.test(answer.trim());
    },
  };
}
