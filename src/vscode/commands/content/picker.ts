/**
 * One quick pick across every server's tools / resources / templates / prompts, grouped by server with
 * separators (the rows: pickerItems.ts). Servers that never ran (so nothing is known about their lists) get a
 * "Start" entry; the items appear as soon as their lists arrive. When resources are picked, a typed URI that
 * is exactly a listed resource opens it on Enter whatever row is active, and one that fits a server's
 * template is offered as a read through it. (The single-server quick pick is src/vscode/pickers.ts.)
 */
import * as vscode from 'vscode';
import { sanitizeLabel } from '../../../core/base/sanitize';
import type { FeatureDeps } from '../../contracts';
import { matchesTemplate } from '../../input/uriTemplate';
import { showMessage } from '../../messages';
import { startWithFeedback } from '../startServer';
import { buildItems, serverLabel, type ContentNode, type PickItem, type PickKind } from './pickerItems';

export type { ContentNode, PickKind };

/** Template rows offered for one typed URI, at most (every server may have a template that fits). */
const MAX_TEMPLATE_ROWS = 20;

/** A typed text that looks like a URI (`scheme:` then something). */
const looksLikeUri = (text: string): boolean => /^[a-z][a-z0-9+.-]*:\S+$/i.test(text);

/** The listed resource whose URI is exactly `uri`, as a node. */
function exactResource(deps: FeatureDeps, uri: string): ContentNode | undefined {
  for (const server of deps.registry.servers) if (server.lists.resources.some((r) => r.uri === uri)) return { kind: 'resource', serverId: server.id, uri };
  return undefined;
}

/** Rows that read a typed URI through each server template it fits (none when a listed resource has it). */
function templateRows(deps: FeatureDeps, value: string): PickItem[] {
  const uri = value.trim();
  if (!looksLikeUri(uri) || exactResource(deps, uri)) return [];
  const rows: PickItem[] = [];
  for (const server of deps.registry.servers) {
    for (const t of server.lists.resourceTemplates) {
      if (rows.length >= MAX_TEMPLATE_ROWS) return rows;
      if (!matchesTemplate(t.uriTemplate, uri)) continue;
      rows.push({
        label: `$(file-symlink-file) ${serverLabel(server)}: ${sanitizeLabel(uri, 120)}`,
        description: `read through the template ${sanitizeLabel(t.title ?? t.name, 60)} (${sanitizeLabel(t.uriTemplate, 80)})`,
        alwaysShow: true,
        node: { kind: 'resource', serverId: server.id, uri },
      });
      break; // one row per server is enough: the server decides what the URI means
    }
  }
  return rows;
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
  const qp = vscode.window.createQuickPick<PickItem>();
  qp.placeholder = placeholder;
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const subs: vscode.Disposable[] = [qp];
  const withResources = kinds.includes('resource');
  let typed: PickItem[] = [];
  const refresh = (keepActive = true) => {
    const active = keepActive ? qp.activeItems[0]?.node : undefined;
    typed = withResources ? templateRows(deps, qp.value) : [];
    qp.items = [...typed, ...buildItems(deps.registry.servers, kinds)];
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
  if (withResources) {
    // A typed URI may fit a template: offer it (refresh only when the offer changes, not on every key).
    const onValue = qp.onDidChangeValue((value) => {
      const rows = templateRows(deps, value);
      // A new offer is the best match for what was typed: let VS Code make the first match active.
      if (rows.length !== typed.length || rows.some((r, i) => r.label !== typed[i]?.label)) refresh(false);
    });
    subs.push(onValue);
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
          // Enter on a URI that is exactly a listed resource opens it unless an item was chosen: a Start row (or
          // no row) never wins over what was typed.
          const exact = withResources && !item?.node ? exactResource(deps, qp.value.trim()) : undefined;
          if (exact) {
            resolve(exact);
            qp.hide();
            return;
          }
          if (!item) return;
          if (item.blocked) {
            if (item.blocked.showLog) {
              deps.logs.showServerLog(item.blocked.server.name);
              qp.hide();
            }
            return;
          }
          if (item.node) {
            resolve(item.node);
            qp.hide();
            return;
          }
          if (item.startServer) {
            qp.busy = true;
            void startWithFeedback(deps, item.startServer).then(() => refresh());
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
