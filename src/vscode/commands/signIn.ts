/**
 * Sign In to Server... and Sign Out (remote servers). The sign-in itself is the core's AuthManager of the server's
 * URL (discovery, consent, browser, tokens); these commands pick the server, show progress with Cancel, present a
 * failure, and start the server once signed in.
 */
import * as vscode from 'vscode';
import { isAuthError } from '../../core/auth/errors';
import type { AuthManager } from '../../core/auth/manager';
import type { AuthManagers } from '../../core/auth/services';
import type { ServerHandle } from '../../core/server/types';
import { showMessage, withProgress } from '../messages';
import type { ServerCommandDeps } from './deps';
import { showError } from './errors';
import { serverFromArg } from './resolveServer';
import { startWithFeedback } from './startServer';

export interface SignInDeps extends ServerCommandDeps {
  /** The engine's sign-in managers (one per URL); undefined when the host offers no sign-in. */
  readonly auth: AuthManagers | undefined;
}

const isRemote = (s: ServerHandle): boolean => ['http', 'sse', 'ws'].includes(s.definition.entry.type);

/** The manager of a server that has not started in this session: only when its URL is written out (no variables). */
function managerOf(deps: SignInDeps, server: ServerHandle): AuthManager | undefined {
  if (server.auth) return server.auth;
  const url = server.definition.entry.url;
  return url !== undefined && !url.includes('${') && deps.auth ? deps.auth.managerFor(url) : undefined;
}

export function signInCommand(deps: SignInDeps) {
  return async (arg?: unknown): Promise<void> => {
    const server = await serverFromArg(deps.registry, arg, {
      placeHolder: 'Select a remote MCP server to sign in to',
      filter: isRemote,
      emptyMessage: 'No remote MCP server (type http, sse or ws) is configured.',
    });
    if (!server) return;
    if (!isRemote(server)) {
      void showMessage('info', `MCP server '${server.name}' runs on this machine: it needs no sign-in.`);
      return;
    }
    // The URL may come from inputs: a start resolves it and, at the server's 401, leaves it waiting for the sign-in.
    if (!server.auth) await server.start().catch(() => undefined);
    const manager = server.auth;
    if (!manager) {
      if (server.state.kind === 'running') void showMessage('info', `MCP server '${server.name}' is running: it asked for no sign-in.`);
      else void showError(deps.logs, `Could not sign in to MCP server '${server.name}'`, new Error('the server could not be reached'), { serverName: server.name });
      return;
    }
    let cancelled = false;
    try {
      await withProgress({ location: vscode.ProgressLocation.Notification, title: `Signing in to MCP server ${server.name}… (finish in your browser)`, cancellable: true }, (_p, token) => {
        const aborter = new AbortController();
        token.onCancellationRequested(() => {
          cancelled = true;
          aborter.abort();
        });
        return manager.signIn(aborter.signal);
      });
    } catch (err) {
      // Declining the consent dialog, or Cancel on the progress, is the user's choice, not an error.
      if (isAuthError(err, 'consentRefused') || cancelled) return;
      void showError(deps.logs, `Could not sign in to MCP server '${server.name}'`, err, {
        serverName: server.name,
        todo: isAuthError(err, 'noClientIdentity') ? 'Configure a client id for this server: "oauth": { "clientId": "..." } in its definition.' : 'The log has the details.',
      });
      return;
    }
    await startWithFeedback(deps, server, server.state.kind === 'running' ? 'restart' : 'start');
  };
}

export function signOutCommand(deps: SignInDeps) {
  return async (arg?: unknown): Promise<void> => {
    const server = await serverFromArg(deps.registry, arg, {
      placeHolder: 'Select a remote MCP server to sign out of',
      filter: isRemote,
      emptyMessage: 'No remote MCP server (type http, sse or ws) is configured.',
    });
    if (!server) return;
    const manager = isRemote(server) ? managerOf(deps, server) : undefined;
    if (!manager) {
      void showMessage('info', `MCP Host holds no sign-in for MCP server '${server.name}'.`);
      return;
    }
    await manager.signOut();
    void showMessage('info', `Signed out of MCP server '${server.name}': its tokens and registered client are forgotten.`);
    // A running server would fail at its next request: restart it now so the tree shows "Sign in" at once.
    if (server.state.kind === 'running' || server.state.kind === 'error') await startWithFeedback(deps, server, 'restart');
  };
}
