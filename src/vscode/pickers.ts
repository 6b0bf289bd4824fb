/** Quick picks over the registry, shared by the server and content commands. */
import * as vscode from 'vscode';
import { describeState } from '../core/mcp/state';
import type { ServerHandle, ServerLists } from '../core/mcp/types';
import type { ServerRegistry } from '../core/registryTypes';
import { sanitizeLabel } from '../core/trust/sanitize';
import type { ListCategory } from './tree/nodes';

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
      const choice = await vscode.window.showInformationMessage('No MCP servers are configured.', 'Add Server');
      if (choice) void vscode.commands.executeCommand('mcpHost.addServer');
    } else {
      void vscode.window.showInformationMessage(options.emptyMessage ?? 'No MCP server fits this command right now.');
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

export type ItemOf<C extends ListCategory> = ServerLists[C][number];

interface ItemPick<C extends ListCategory> extends vscode.QuickPickItem {
  readonly server?: ServerHandle;
  readonly item?: ItemOf<C>;
}

function itemLabel(item: ItemOf<ListCategory>): { label: string; description?: string; detail?: string } {
  const title = 'title' in item && typeof item.title === 'string' ? item.title : undefined;
  const desc = item.description ? sanitizeLabel(item.description, 160) : undefined;
  if ('uri' in item) return { label: sanitizeLabel(title ?? item.name, 100), description: sanitizeLabel(item.uri, 120), detail: desc };
  if ('uriTemplate' in item) return { label: sanitizeLabel(title ?? item.name, 100), description: sanitizeLabel(item.uriTemplate, 120), detail: desc };
  return { label: sanitizeLabel(item.name, 100), description: title ? sanitizeLabel(title, 80) : undefined, detail: desc };
}

/** A server that can be started without asking anything: stopped for no particular reason. */
function startable(s: ServerHandle): boolean {
  return s.state.kind === 'stopped' && !s.state.reason;
}

/**
 * Picks one tool / resource / template / prompt across all servers, grouped by server (a separator each).
 * Stopped servers are started in the background; their items appear when their lists arrive.
 */
export async function pickServerItem<C extends ListCategory>(
  registry: ServerRegistry,
  category: C,
  options: { readonly placeHolder?: string; readonly filter?: (server: ServerHandle) => boolean } = {},
): Promise<{ server: ServerHandle; item: ItemOf<C> } | undefined> {
  const servers = () => registry.servers.filter((s) => options.filter?.(s) ?? true);
  const qp = vscode.window.createQuickPick<ItemPick<C>>();
  qp.placeholder = options.placeHolder ?? 'Select an item';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const build = () => {
    const items: ItemPick<C>[] = [];
    for (const server of servers()) {
      const list = server.lists[category] as readonly ItemOf<C>[];
      const state = server.state.kind === 'running' ? '' : ` (${describeState(server.state)})`;
      if (list.length === 0 && server.state.kind === 'running') continue;
      items.push({ label: `${sanitizeLabel(server.name, 80)}${sanitizeLabel(state, 100)}`, kind: vscode.QuickPickItemKind.Separator });
      for (const item of list) items.push({ ...itemLabel(item), server, item });
    }
    qp.items = items;
    qp.busy = servers().some((s) => s.state.kind === 'starting');
  };
  const subs = [registry.onDidChangeServer(build), registry.onDidChangeServers(build)];
  for (const s of servers()) {
    if (startable(s)) s.start().catch(() => undefined); // its error state shows in the picker and the tree
  }
  build();
  try {
    return await new Promise((resolve) => {
      subs.push(
        qp.onDidAccept(() => {
          const picked = qp.selectedItems[0];
          if (picked?.server && picked.item !== undefined) {
            resolve({ server: picked.server, item: picked.item });
            qp.hide();
          }
        }),
        qp.onDidHide(() => resolve(undefined)),
      );
      qp.show();
    });
  } finally {
    for (const s of subs) s.dispose();
    qp.dispose();
  }
}
