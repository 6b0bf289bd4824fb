import * as vscode from 'vscode';
import { ServerRequestError } from '../../core/protocol/errors';
import type { ServerHandle } from '../../core/server/types';
import { restrictedFolderUseMessage } from '../../core/config/resolve';
import { isWorkspaceDefined } from '../../core/config/types';
import type { LogChannels } from '../contracts';
import type { ServerCommandDeps } from './deps';
import { showError } from './errors';
import { serverFromArg } from './resolveServer';
import { showMessage, withProgress } from '../messages';

/** Explains why a server cannot be started from here, or undefined when it can. Resolves after showing it. */
async function explainBlocked(server: ServerHandle): Promise<boolean> {
  const s = server.state;
  if (s.kind !== 'stopped') return false;
  if (s.reason === 'disabled') {
    const c = await showMessage('info', `MCP server '${server.name}' is disabled in its configuration ("disabled": true).`, 'Open Configuration');
    if (c) void vscode.commands.executeCommand('mcpHost.openConfiguration');
    return true;
  }
  if (s.reason === 'needsWorkspaceTrust') {
    const userServer = restrictedFolderUseMessage(server.definition);
    const settings = 'Open User Settings';
    const c = await showMessage(
      'warning',
      userServer !== undefined && !isWorkspaceDefined(server.definition.source)
        ? userServer
        : `MCP server '${server.name}' is defined by this workspace, which is in Restricted Mode. Trust the workspace to run it.`,
      'Manage Workspace Trust',
      ...(userServer !== undefined ? [settings] : []),
    );
    if (c === settings) void vscode.commands.executeCommand('workbench.action.openSettingsJson', { revealSetting: { key: 'mcpHost.servers', edit: true } });
    else if (c) void vscode.commands.executeCommand('workbench.trust.manage');
    return true;
  }
  if (s.reason === 'unsupportedType') {
    void showMessage('info', `MCP server '${server.name}' uses the "${server.definition.entry.type}" transport, which MCP Host does not support yet.`);
    return true;
  }
  return false;
}

/**
 * The one way the UI starts (or restarts) a server for the user: the Start and Restart commands, sign-in, content
 * commands on a stopped server, the pickers' Start rows and Ask a Model all come here, so a start looks and fails
 * the same wherever it was asked for. Explains a server that cannot start, shows progress, and shows a failure for
 * people (not the user's own choice: a cancelled input, a declined trust, a stop meanwhile). Resolves true when it runs.
 * (Expanding a stopped server in the tree starts it without this: the tree row itself shows the state.)
 */
export async function startWithFeedback(deps: { readonly logs: LogChannels }, server: ServerHandle, verb: 'start' | 'restart' = 'start'): Promise<boolean> {
  if (verb === 'start' && server.state.kind === 'running') return true;
  if (await explainBlocked(server)) return false;
  try {
    await withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${verb === 'start' ? 'Starting' : 'Restarting'} MCP server '${server.name}'…` },
      () => (verb === 'start' ? server.start() : server.restart()),
    );
    return true;
  } catch (err) {
    // The user's own choice (cancelled an input, declined trust, stopped it meanwhile) is not an error.
    const chosen =
      (err instanceof ServerRequestError && (err.kind === 'cancelled' || err.kind === 'stopped')) ||
      (server.state.kind === 'stopped' && server.state.reason !== undefined);
    if (server.state.kind === 'stopped' && server.state.reason === 'needsSignIn') {
      void showMessage('info', `MCP server '${server.name}' needs you to sign in.`, 'Sign In').then((c) => {
        if (c) void vscode.commands.executeCommand('mcpHost.signIn', server.name);
      });
    } else if (!chosen) void showError(deps.logs, `Could not ${verb} MCP server '${server.name}'`, err, { serverName: server.name });
    return false;
  }
}

export function startServerCommand(deps: ServerCommandDeps) {
  return async (arg?: unknown): Promise<void> => {
    const server = await serverFromArg(deps.registry, arg, {
      filter: (s) => s.state.kind === 'stopped' || s.state.kind === 'error',
      placeHolder: 'Select an MCP server to start',
      emptyMessage: 'Every MCP server is already running or starting.',
    });
    if (server) await startWithFeedback(deps, server, 'start');
  };
}
