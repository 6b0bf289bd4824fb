/**
 * The editor's parts of sign-in (core/auth/services.ts `AuthServices`): tokens, refresh tokens and registered
 * clients in SecretStorage; the browser step through `vscode.env.openExternal` with a redirect to a one-shot
 * listener on 127.0.0.1 in the extension host, made reachable from the user's browser by `asExternalUri` (Remote
 * SSH and containers forward the port; code-server proxies it), or, where the extension host cannot listen on
 * 127.0.0.1, to the extension's URI handler (uriHandler.ts); and the consent modal, asked before anything is
 * sent to an authorization server, through the trust dialogs' one function (tests answer it).
 */
import * as vscode from 'vscode';
import { LoopbackBrowser } from '../../core/auth/loopback';
import { FallbackBrowser } from '../../core/auth/uriRedirect';
import type { SecretSet } from '../../core/auth/secretSet';
import type { AuthServices } from '../../core/auth/services';
import type { Browser, ConsentPrompt, ConsentRequest, RedirectReceiver } from '../../core/auth/types';
import { sanitizeText } from '../../core/base/sanitize';
import { secretStoreFrom } from '../config/storage';
import { readClientMetadataUrl } from '../settings';
import { Choices, type AskFn } from '../trust';
import { registerCallbackHandler } from './uriHandler';

/** Opens a URL in the user's browser. */
export type OpenUrl = (url: URL) => Promise<void>;

/** What the test API exposes (`McpHostApi.auth`). */
export interface AuthTestApi {
  /**
   * Replaces the user's browser (openExternal) with `open`: the test fetches the authorization URL and follows
   * its redirect to the loopback listener, as a browser would. Undefined: back to openExternal. Test mode only.
   */
  setOpenUrl(open: OpenUrl | undefined): void;
  /**
   * Makes the loopback listener fail to listen (it listens on an address this machine does not have), as where
   * the extension host cannot listen on 127.0.0.1: sign-ins then go through the URI handler. Test mode only.
   */
  setLoopbackUnavailable(unavailable: boolean): void;
}

const openExternal: OpenUrl = async (url) => {
  // The authorization URL is built by MCP Host from metadata (https, or http on loopback, checked in core/auth).
  const opened = await vscode.env.openExternal(vscode.Uri.parse(url.href, true));
  if (!opened) throw new Error('The browser was not opened.');
};

/**
 * A loopback receiver whose redirect URI is what the user's browser can reach: the same URL locally, a forwarded
 * port or a proxy path in a remote window. The authorization and token requests both send that URI.
 */
class ForwardedBrowser implements Browser {
  constructor(private readonly inner: Browser) {}

  async prepare(): Promise<RedirectReceiver> {
    const receiver = await this.inner.prepare();
    try {
      // The listener's root is forwarded, then its path appended: some hosts (code-server 4.100) drop the path
      // of the URI they are given and answer with a proxy prefix (`/proxy/<port>/`) the path must follow.
      const local = new URL(receiver.redirectUri);
      const external = await vscode.env.asExternalUri(vscode.Uri.parse(`${local.origin}/`, true));
      const base = new URL(external.toString(true));
      if (base.origin === local.origin && base.pathname === '/') return receiver;
      const redirectUri = new URL(local.pathname.replace(/^\//, ''), base.href.endsWith('/') ? base.href : `${base.href}/`).href;
      return { redirectUri, waitForRedirect: (u, s, signal) => receiver.waitForRedirect(u, s, signal), dispose: () => receiver.dispose() };
    } catch (e) {
      receiver.dispose();
      throw e;
    }
  }
}

/** The consent modal: the authorization server's origin and the scopes, before anything is sent to it. */
function consentPrompt(ask: () => AskFn): ConsentPrompt {
  return {
    async confirm(r: ConsentRequest): Promise<boolean> {
      const scopes = r.scopes.length ? r.scopes.map((s) => sanitizeText(s).slice(0, 100)).join(' ') : '(the server’s default)';
      const more = r.previouslyApproved.length ? `\nYou approved before: ${r.previouslyApproved.map((s) => sanitizeText(s).slice(0, 100)).join(' ')}` : '';
      const detail =
        `MCP server: ${sanitizeText(r.serverUrl)}\n` +
        `Authorization server: ${sanitizeText(r.authorizationServerOrigin)} (issuer ${sanitizeText(r.issuer)})\n` +
        `Permissions (scopes) asked: ${scopes}${more}\n\n` +
        'MCP Host will fetch this server’s metadata, may register itself there as a client, and opens your browser to sign in. ' +
        'The tokens it receives are kept in VS Code’s secret storage and sent only to the MCP server above.';
      const answer = await ask()({
        kind: 'signInConsent',
        serverName: r.serverUrl,
        message: `Sign in to ${r.authorizationServerOrigin} for this MCP server?`,
        detail,
        choices: [Choices.signIn],
      });
      return answer === Choices.signIn;
    },
  };
}

/** The AuthServices of the editor and its test seam. */
export function createAuthServices(
  context: vscode.ExtensionContext,
  deps: { readonly ask: () => AskFn; readonly secrets: SecretSet; readonly fetch?: AuthServices['fetch'] },
): { readonly services: AuthServices; readonly testing: AuthTestApi } {
  let testOpen: OpenUrl | undefined;
  let testListenHost: string | undefined;
  const openUrl: OpenUrl = (url) => (testOpen ?? openExternal)(url);
  const loopback = new ForwardedBrowser(new LoopbackBrowser({ openUrl, listenHost: () => testListenHost }));
  const viaEditor = registerCallbackHandler(context, openUrl);
  // Loopback first (it needs nothing of the editor); the URI handler where the listener cannot be opened.
  const browser = new FallbackBrowser(loopback, viaEditor);
  const testOnly = () => {
    if (context.extensionMode !== vscode.ExtensionMode.Test) throw new Error('MCP Host sign-in test seam is only available in test mode.');
  };
  return {
    services: {
      store: secretStoreFrom(context.secrets),
      browser,
      consent: consentPrompt(deps.ask),
      secrets: deps.secrets,
      clientMetadataUrl: readClientMetadataUrl,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    },
    testing: {
      setOpenUrl(open) {
        testOnly();
        testOpen = open;
      },
      setLoopbackUnavailable(unavailable) {
        testOnly();
        // TEST-NET-1 (RFC 5737): never a local address, so listen fails with EADDRNOTAVAIL.
        testListenHost = unavailable ? '192.0.2.1' : undefined;
      },
    },
  };
}
