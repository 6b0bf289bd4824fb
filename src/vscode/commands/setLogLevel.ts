/** `mcpHost.setLogLevel`: pick a level for a server (tree row or palette) and send `logging/setLevel`. */
import * as vscode from 'vscode';
import { logLevels, type LogLevel } from '../../core/config/types';
import { sanitizeLabel } from '../../core/base/sanitize';
import { describeError } from '../../core/protocol/errors';
import { showMessage } from '../messages';
import type { ServerCommandDeps } from './deps';
import { serverFromArg } from './resolveServer';

export function setLogLevelCommand(deps: ServerCommandDeps) {
  /** `level` skips the pick (tests, keybindings). */
  return async (arg?: unknown, level?: LogLevel): Promise<void> => {
    const server = await serverFromArg(deps.registry, arg, { placeHolder: 'Select an MCP server to set the log level of' });
    if (!server) return;
    const current = server.logLevel;
    const picked =
      level ??
      (
        await vscode.window.showQuickPick(
          logLevels.map((l) => ({ label: l, ...(l === current ? { description: 'current' } : {}) })),
          { title: `Log level of MCP server "${sanitizeLabel(server.name, 60)}"`, placeHolder: 'The server sends log messages at this level and above' },
        )
      )?.label;
    if (!picked) return;
    try {
      await server.setLogLevel(picked);
    } catch (err) {
      const message = `Could not set the log level of "${server.name}": ${describeError(err)}`;
      deps.logs.channel(server.name).warn(message);
      void showMessage('warning', message, 'Show Log').then((c) => {
        if (c) deps.logs.showServerLog(server.name);
      });
    }
  };
}
