/**
 * The Servers view. Nodes are plain objects (also the arguments of menu commands); every TreeItem has a stable id
 * so live updates never collapse what the user expanded, and a change to one server refreshes only its node.
 */
import * as vscode from 'vscode';
import type { ConfigProblem } from '../../core/config/types';
import type { ServerHandle } from '../../core/server/types';
import type { ServerRegistry } from '../../core/host/types';
import type { Disposable as CoreDisposable } from '../../core/base/events';
import type { ToolCallApprover } from '../contracts';
import type { ListCategory, TreeNode } from './nodes';
import { categoryItem, contentItem, contentTooltip, infoItem, problemItem } from './items';
import { serverTreeItem, type ConsentOf } from './serverItem';

export interface ServersTreeDeps {
  readonly registry: ServerRegistry;
  /** Marks tools changed since approval; optional until the trust adapter exists. */
  readonly approver?: Pick<ToolCallApprover, 'pinStatus' | 'onDidChange'>;
  /** The range of a config problem in its file, if known (for click-to-open). */
  readonly locate?: (file: string, offset: number, length: number) => vscode.Range | undefined;
  /** Where a failed automatic start is logged. */
  readonly log?: vscode.LogOutputChannel;
  /** Consent of workspace servers, so an unapproved one shows `needs trust`; with the event that changes it. */
  readonly consent?: { readonly of: ConsentOf; readonly onDidChange: vscode.Event<void> };
}

type ServerNode = Extract<TreeNode, { kind: 'server' }>;
type CategoryNode = Extract<TreeNode, { kind: 'category' }>;

const CATEGORIES: readonly ListCategory[] = ['tools', 'resources', 'resourceTemplates', 'prompts'];

export class ServersTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  // The view identifies refreshed elements by object identity: keep one object per server and category.
  private readonly serverNodes = new Map<string, ServerNode>();
  private readonly categoryNodes = new Map<string, CategoryNode>();
  /** Servers started (or attempted) because their node was expanded: at most once per session each. */
  private readonly autoStarted = new Set<string>();
  private readonly subscriptions: (vscode.Disposable | CoreDisposable)[] = [];

  constructor(private readonly deps: ServersTreeDeps) {
    this.subscriptions.push(
      this._onDidChangeTreeData,
      deps.registry.onDidChangeServers(() => {
        this.prune();
        this._onDidChangeTreeData.fire(undefined);
      }),
      deps.registry.onDidChangeServer((s) => {
        // Only this server's subtree; a server the view never showed needs no refresh.
        const node = this.serverNodes.get(s.id);
        if (node) this._onDidChangeTreeData.fire(node);
      }),
    );
    if (deps.approver) this.subscriptions.push(deps.approver.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
    if (deps.consent) this.subscriptions.push(deps.consent.onDidChange(() => this._onDidChangeTreeData.fire(undefined)));
  }

  /** The user expanded a node: a stopped server starts (start on first use). */
  onDidExpand(node: TreeNode): void {
    if (node.kind !== 'server') return;
    const server = this.deps.registry.get(node.serverId);
    if (server) this.startFromTree(server);
  }

  serverNode(serverId: string): ServerNode {
    let n = this.serverNodes.get(serverId);
    if (!n) this.serverNodes.set(serverId, (n = { kind: 'server', serverId }));
    return n;
  }

  private categoryNode(serverId: string, category: ListCategory): CategoryNode {
    const key = `${serverId}\u0000${category}`;
    let n = this.categoryNodes.get(key);
    if (!n) this.categoryNodes.set(key, (n = { kind: 'category', serverId, category }));
    return n;
  }

  private prune(): void {
    const ids = new Set(this.deps.registry.servers.map((s) => s.id));
    for (const id of this.serverNodes.keys()) if (!ids.has(id)) this.serverNodes.delete(id);
    for (const [key, n] of this.categoryNodes) if (!ids.has(n.serverId)) this.categoryNodes.delete(key);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'problem') return problemItem(node, this.deps.locate);
    const server = this.deps.registry.get(node.serverId);
    if (!server) return new vscode.TreeItem('(removed)');
    switch (node.kind) {
      case 'server':
        return serverTreeItem(server, this.deps.consent?.of);
      case 'category':
        return categoryItem(server, node.category);
      case 'info':
        return infoItem(server, node);
      default:
        return contentItem(server, node, this.deps.approver);
    }
  }

  /**
   * VS Code asks on hover (and on click, for the command) about a row whose tooltip is undefined: tool, resource,
   * template and prompt rows get theirs here, so listing a big server builds none.
   */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    if (item.tooltip !== undefined || node.kind === 'server' || node.kind === 'category' || node.kind === 'info' || node.kind === 'problem') return item;
    const server = this.deps.registry.get(node.serverId);
    const tooltip = server && contentTooltip(server, node, this.deps.approver);
    if (tooltip) item.tooltip = tooltip;
    return item;
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (!node) return this.roots();
    const server = 'serverId' in node ? this.deps.registry.get(node.serverId) : undefined;
    if (!server) return [];
    if (node.kind === 'server') {
      // Expanding a server is when its lists are needed: re-list what its cache hints say is stale (modern servers).
      server.refreshStale().catch(() => undefined);
      return this.serverChildren(server);
    }
    if (node.kind === 'category') return this.categoryChildren(server, node.category);
    return [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    if (node.kind === 'server' || node.kind === 'problem') return undefined;
    if (node.kind === 'category' || node.kind === 'info') return this.serverNode(node.serverId);
    const category: ListCategory =
      node.kind === 'tool' ? 'tools' : node.kind === 'resource' ? 'resources' : node.kind === 'resourceTemplate' ? 'resourceTemplates' : 'prompts';
    return this.categoryNode(node.serverId, category);
  }

  private roots(): TreeNode[] {
    const problems = this.deps.registry.problems.filter((p) => p.severity !== 'info').map(problemNode);
    return [...problems, ...this.deps.registry.servers.map((s) => this.serverNode(s.id))];
  }

  private startFromTree(server: ServerHandle): void {
    const s = server.state;
    if (s.kind !== 'stopped' || s.reason) return;
    this.autoStarted.add(server.id);
    server.start().catch((err: unknown) => {
      // The error state shows it in the tree; the log keeps the detail.
      this.deps.log?.warn(`Starting ${server.name} from the tree failed: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private serverChildren(server: ServerHandle): TreeNode[] {
    const info = (key: string, message: string): TreeNode => ({ kind: 'info', serverId: server.id, key, message });
    const out: TreeNode[] = [];
    const s = server.state;
    if (s.kind === 'stopped' && !s.reason && !this.autoStarted.has(server.id)) this.startFromTree(server);
    const state = server.state;
    switch (state.kind) {
      case 'starting':
        out.push(info('starting', 'starting…'));
        break;
      case 'error':
        out.push(info('error', state.message));
        break;
      case 'stopped':
        if (state.reason) out.push(info(state.reason, ''));
        else if (!this.offered(server).length) out.push(info('stopped', ''));
        break;
      case 'running':
        break;
    }
    const categories = this.offered(server);
    if (state.kind === 'running' && categories.length === 0) out.push(info('empty', 'offers no tools, resources or prompts'));
    const warnings = server.lists.warnings;
    if (warnings.length === 1) out.push(info('listWarnings', `warning: ${warnings[0] ?? ''}`));
    else if (warnings.length > 1) out.push(info('listWarnings', `${warnings.length} warnings about its lists (hover to see them)`));
    return [...out, ...categories.map((c) => this.categoryNode(server.id, c))];
  }

  /** Categories the server offers (by capability), or has items in from its last run. */
  private offered(server: ServerHandle): ListCategory[] {
    const caps = server.info?.capabilities;
    const l = server.lists;
    return CATEGORIES.filter((c) => {
      if (l[c].length > 0) return true;
      if (c === 'resourceTemplates') return false;
      return server.state.kind === 'running' && caps?.[c] !== undefined;
    });
  }

  private categoryChildren(server: ServerHandle, category: ListCategory): TreeNode[] {
    const id = server.id;
    const l = server.lists;
    switch (category) {
      // A server listing the same name twice must not break the view (tree item ids must be unique).
      case 'tools':
        return unique(l.tools, (t) => t.name).map((t) => ({ kind: 'tool', serverId: id, name: t.name }));
      case 'resources':
        return unique(l.resources, (r) => r.uri).map((r) => ({ kind: 'resource', serverId: id, uri: r.uri }));
      case 'resourceTemplates':
        return unique(l.resourceTemplates, (r) => r.uriTemplate).map((r) => ({ kind: 'resourceTemplate', serverId: id, uriTemplate: r.uriTemplate }));
      case 'prompts':
        return unique(l.prompts, (p) => p.name).map((p) => ({ kind: 'prompt', serverId: id, name: p.name }));
    }
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}

function unique<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => !seen.has(key(t)) && (seen.add(key(t)), true));
}

function problemNode(p: ConfigProblem): TreeNode {
  return {
    kind: 'problem',
    message: p.serverName ? `${p.serverName}: ${p.message}` : p.message,
    severity: p.severity,
    ...(p.source.file ? { file: p.source.file } : {}),
    ...(p.source.kind === 'workspaceSettings' ? { inWorkspaceSettings: true } : {}),
    ...(p.offset !== undefined ? { offset: p.offset, length: p.length ?? 0 } : {}),
  };
}

