/**
 * The sign-in redirect through the extension's URI handler, where the extension host cannot listen on 127.0.0.1:
 * the redirect URI is `<uriScheme>://<extension id>/oauth-callback` made reachable from the user's browser by
 * `asExternalUri` (desktop: the OS hands the URI back to this window; a browser-based editor: its callback page).
 * VS Code allows one URI handler per extension; this one takes only the callback path and passes it to the core's
 * `UriRedirectBrowser`, which gives it to the sign-in waiting for its `state` (the flow checks `state` and `iss`).
 */
import * as vscode from 'vscode';
import { UriRedirectBrowser } from '../../core/auth/uriRedirect';

/** The callback's path under the extension's URI. */
export const CALLBACK_PATH = '/oauth-callback';

/** Registers the URI handler (disposed with the extension) and returns the receiver it feeds. */
export function registerCallbackHandler(context: vscode.ExtensionContext, openUrl: (url: URL) => Promise<void>): UriRedirectBrowser {
  const local = vscode.Uri.from({ scheme: vscode.env.uriScheme, authority: context.extension.id.toLowerCase(), path: CALLBACK_PATH });
  const browser = new UriRedirectBrowser({
    openUrl,
    redirectUri: async () => {
      // Asked per sign-in: a browser-based editor makes a new callback URL each time.
      const external = await vscode.env.asExternalUri(local);
      return new URL(external.toString(true)).href;
    },
  });
  context.subscriptions.push(
    vscode.window.registerUriHandler({
      handleUri(uri: vscode.Uri): void {
        if (uri.path !== CALLBACK_PATH) return;
        // `uri.query` is decoded already (as the editor's own sign-in reads it): parse it as a query string.
        browser.deliver(new URL(`${local.toString(true)}?${uri.query}`));
      },
    }),
  );
  return browser;
}
