import * as vscode from 'vscode';
import type { ServerCommandDeps } from './deps';
import { showError } from './errors';
import { serverFromArg } from './resolveServer';
import { withProgress } from '../messages';

export function stopServerCommand(deps: ServerCommandDeps) {
  return async (arg?: unknown): Promise<void> => {
    const server = await serverFromArg(deps.registry, arg, {
      filter: (s) => s.state.kind === 'running' || s.state.kind === 'starting' || (s.state.kind === 'error' && s.state.retryAt !== undefined),
      placeHolder: 'Select an MCP server to stop',
      emptyMessage: 'No MCP server is running.',
    });
    if (!server) return;
    try {
      await withProgress({ location: vscode.ProgressLocation.Window, title: `Stopping MCP server ${server.name}` }, () => server.stop());
    } catch (err) {
      void showError(deps.logs, `Could not stop MCP server '${server.name}'`, err, {
        serverName: server.name,
        todo: 'Run Stop again to force it (SIGKILL).',
      });
    }
  };
}
