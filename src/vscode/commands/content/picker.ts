/**
 * One quick pick across every server's tools / resources / templates / prompts, grouped by server with
 * separators. Servers that never ran (so nothing is known about their lists) get a "Start" entry; the items
 * appear as soon as their lists arrive. (The single-server quick pick is src/vscode/pickers.ts.)
 */
import * as vscode from 'vscode';
import type { ServerHandle } from '../../../core/server/types';
import { describeState } from '../../../core/server/state';
import { sanitizeLabel } from '../../../core/base/sanitize';
import type { FeatureDeps } from '../../contracts';
import type { TreeNode } from '../../tree/nodes';
import { describeError } from '../../../core/protocol/errors';
import { showMessage } from '../../messages';

export type PickKind = 'tool' | 'resource' | 'resourceTemplate' | 'prompt';
export type ContentNode = Extract<TreeNode, { kind: PickKind }>;

interface Item extends vscode.QuickPickItem {
  readonly node?: ContentNode;
  readonly startServer?: ServerHandle;
}

const icons: Record<PickKind, string> = {
  tool: '$(tools)',
  resource: '$(file)',
  resourceTemplate: '$(file-symlink-file)',
  prompt: '$(comment-discussion)',
};

function itemsOf(server: ServerHandle, kinds: readonly PickKind[]): Item[] {
  const out: Item[] = [];
  const l = server.lists;
  const detail = (d: string | undefined) => (d ? { detail: sanitizeLabel(d, 160) } : {});
  for (const kind of kinds) {
    if (kind === 'tool')
      for (const t of l.tools)
        out.push({
          label: `${icons.tool} ${sanitizeLabel(t.name, 100)}`,
          ...(t.title || t.annotations?.title ? { description: sanitizeLabel(t.title ?? t.annotations?.title ?? '', 80) } : {}),
          ...detail(t.description),
          node: { kind: 'tool', serverId: server.id, name: t.name },
        });
    if (kind === 'resource')
      for (const r of l.resources)
        out.push({
          label: `${icons.resource} ${sanitizeLabel(r.title ?? r.name, 100)}`,
          description: sanitizeLabel(r.uri, 120),
          ...detail(r.description),
          node: { kind: 'resource', serverId: server.id, uri: r.uri },
        });
    if (kind === 'resourceTemplate')
      for (const r of l.resourceTemplates)
        out.push({
          label: `${icons.resourceTemplate} ${sanitizeLabel(r.title ?? r.name, 100)}`,
          description: sanitizeLabel(r.uriTemplate, 120),
          ...detail(r.description),
          node: { kind: 'resourceTemplate', serverId: server.id, uriTemplate: r.uriTemplate },
        });
    if (kind === 'prompt')
      for (const p of l.prompts)
        out.push({
          label: `${icons.prompt} ${sanitizeLabel(p.title ?? p.name, 100)}`,
          ...(p.title ? { description: sanitizeLabel(p.name, 80) } : {}),
          ...detail(p.description),
          node: { kind: 'prompt', serverId: server.id, name: p.name },
        });
  }
  return out;
}

function neverListed(server: ServerHandle): boolean {
  const l = server.lists;
  return server.info === undefined && l.tools.length + l.resources.length + l.resourceTemplates.length + l.prompts.length === 0;
}

function buildItems(deps: FeatureDeps, kinds: readonly PickKind[]): Item[] {
  const items: Item[] = [];
  for (const server of deps.registry.servers) {
    const own = itemsOf(server, kinds);
    const state = server.state.kind === 'running' ? '' : ` (${describeState(server.state)})`;
    if (own.length === 0 && !(neverListed(server) || server.state.kind !== 'running')) continue;
    items.push({ label: `${sanitizeLabel(server.name, 80)}${state}`, kind: vscode.QuickPickItemKind.Separator });
    if (own.length === 0) {
      const busy = server.state.kind === 'starting';
      items.push({
        label: busy ? `$(loading~spin) Starting ${sanitizeLabel(server.name, 80)}…` : `$(debug-start) Start ${sanitizeLabel(server.name, 80)}`,
        description: server.state.kind === 'running' ? 'nothing of this kind' : 'to see what it offers',
        alwaysShow: true,
        ...(busy ? {} : { startServer: server }),
      });
    } else {
      items.push(...own);
    }
  }
  return items;
}

/**
 * Lets the user pick one item of the given kinds across all servers. Resolves undefined on cancel or when
 * there is nothing to pick (a message says why).
 */
export async function pickContentNode(
  deps: FeatureDeps,
  kinds: readonly PickKind[],
  placeholder: string,
): Promise<ContentNode | undefined> {
  if (deps.registry.servers.length === 0) {
    const choice = await showMessage('info', 'No MCP servers are configured.', 'Add Server', 'Open Configuration');
    if (choice === 'Add Server') void vscode.commands.executeCommand('mcpHost.addServer');
    if (choice === 'Open Configuration') void vscode.commands.executeCommand('mcpHost.openConfiguration');
    return undefined;
  }
  const qp = vscode.window.createQuickPick<Item>();
  qp.placeholder = placeholder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const subs: vscode.Disposable[] = [qp];
  const refresh = () => {
    const active = qp.activeItems[0]?.node;
    qp.items = buildItems(deps, kinds);
    if (active) {
      const same = qp.items.find((i) => i.node && JSON.stringify(i.node) === JSON.stringify(active));
      if (same) qp.activeItems = [same];
    }
    qp.busy = deps.registry.servers.some((s) => s.state.kind === 'starting');
  };
  refresh();
  if (!qp.items.some((i) => i.node || i.startServer) && qp.items.length === 0) {
    qp.dispose();
    void showMessage('info', 'No MCP server offers anything of this kind yet.');
    return undefined;
  }
  const sub = deps.registry.onDidChangeServer(() => refresh());
  subs.push(new vscode.Disposable(() => sub.dispose()));
  const subServers = deps.registry.onDidChangeServers(() => refresh());
  subs.push(new vscode.Disposable(() => subServers.dispose()));
  try {
    return await new Promise<ContentNode | undefined>((resolve) => {
      subs.push(
        qp.onDidAccept(() => {
          const item = qp.selectedItems[0];
          if (!item) return;
          if (item.node) {
            resolve(item.node);
            qp.hide();
            return;
          }
          if (item.startServer) {
            const server = item.startServer;
            qp.busy = true;
            server.start().then(
              () => refresh(),
              (err: unknown) => {
                refresh();
                void showMessage('error', `Could not start MCP server "${sanitizeLabel(server.name, 80)}": ${sanitizeLabel(describeError(err), 300)}`, 'Show Log')
                  .then((c) => c === 'Show Log' && deps.logs.showServerLog(server.name));
              },
            );
          }
        }),
        qp.onDidHide(() => resolve(undefined)),
      );
      qp.show();
    });
  } finally {
    for (const d of subs) d.dispose();
  }
}
