/** The server quick pick, shared by the server commands (items across servers: commands/content/picker.ts). */
import * as vscode from 'vscode';
import { describeState } from '../core/server/state';
import type { ServerHandle } from '../core/server/types';
import type { ServerRegistry } from '../core/host/types';
import { sanitizeLabel } from '../core/base/sanitize';
import { showMessage } from './messages';

export interface PickServerOptions {
  /** Only these servers are offered (e.g. stopped ones for Start). */
  readonly filter?: (server: ServerHandle) => boolean;
  readonly placeHolder?: string;
  /** Said when no server passes the filter. */
  readonly emptyMessage?: string;
}

/** Picks one configured server. Resolves undefined on cancel, or when none qualifies (after saying so). */
export async function pickServer(registry: ServerRegistry, options: PickServerOptions = {}): Promise<ServerHandle | undefined> {
  const candidates = registry.servers.filter((s) => options.filter?.(s) ?? true);
  if (candidates.length === 0) {
    if (registry.servers.length === 0) {
      const choice = await showMessage('info', 'No MCP servers are configured.', 'Add Server');
      if (choice) void vscode.commands.executeCommand('mcpHost.addServer');
    } else {
      void showMessage('info', options.emptyMessage ?? 'No MCP server fits this command right now.');
    }
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    candidates.map((server) => ({
      label: sanitizeLabel(server.name, 100),
      description: sanitizeLabel(describeState(server.state), 100),
      detail: server.commandLine ? sanitizeLabel(server.commandLine, 200) : undefined,
      server,
    })),
    { placeHolder: options.placeHolder ?? 'Select an MCP server', matchOnDescription: true },
  );
  return picked?.server;
}
