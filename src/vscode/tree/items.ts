/** TreeItems for categories, tools/resources/templates/prompts, explanations and config problems. */
import * as vscode from 'vscode';
import type { Prompt, Resource, ResourceTemplate, Tool } from '../../core/protocol/sdk';
import type { ServerHandle, ServerLists } from '../../core/server/types';
import { sanitizeLabel } from '../../core/base/sanitize';
import { restrictedFolderUseMessage } from '../../core/config/resolve';
import { isWorkspaceDefined } from '../../core/config/types';
import type { ToolCallApprover } from '../contracts';
import { CommandIds } from '../commands/ids';
import type { ListCategory, TreeNode } from './nodes';
import { toolMarks, type ToolMarks } from './toolMarks';
import { listWarningsTooltip, plainTooltip, promptTooltip, resourceTooltip, templateTooltip, toolTooltip } from './tooltips';

const categoryLabels: Record<ListCategory, [label: string, icon: string]> = {
  tools: ['Tools', 'tools'],
  resources: ['Resources', 'files'],
  resourceTemplates: ['Resource Templates', 'symbol-namespace'],
  prompts: ['Prompts', 'comment-discussion'],
};

export function categoryItem(server: ServerHandle, category: ListCategory): vscode.TreeItem {
  const [label, icon] = categoryLabels[category];
  const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `category:${server.id}:${category}`;
  item.description = String(server.lists[category].length);
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = 'category';
  return item;
}

/** First line of an untrusted description, as a short description. */
function short(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const eol = text.indexOf('\n');
  return sanitizeLabel(eol < 0 ? text : text.slice(0, eol), 80) || undefined;
}

export type ContentNode = Extract<TreeNode, { kind: 'tool' | 'resource' | 'resourceTemplate' | 'prompt' }>;
type ContentKind = ContentNode['kind'];
const contentKinds: ReadonlySet<string> = new Set<ContentKind>(['tool', 'resource', 'resourceTemplate', 'prompt']);

/**
 * One server's lists indexed for the rows, so a row costs the same for 10 items as for 10,000: the first item of
 * each name/URI (as `find` would pick) and the warnings naming each item. Built once per lists object: the core
 * replaces `server.lists` whenever a list changes, so a WeakMap keyed by it is never stale.
 */
interface ListIndex {
  readonly tools: ReadonlyMap<string, Tool>;
  readonly resources: ReadonlyMap<string, Resource>;
  readonly resourceTemplates: ReadonlyMap<string, ResourceTemplate>;
  readonly prompts: ReadonlyMap<string, Prompt>;
  /** `<kind>\u0000<id>` → the warnings about that item, without their `<kind> "<id>" ` prefix. */
  readonly warnings: ReadonlyMap<string, readonly string[]>;
}

const indexes = new WeakMap<ServerLists, ListIndex>();

function listIndex(lists: ServerLists): ListIndex {
  let ix = indexes.get(lists);
  if (!ix) {
    ix = {
      tools: firstBy(lists.tools, (t) => t.name),
      resources: firstBy(lists.resources, (r) => r.uri),
      resourceTemplates: firstBy(lists.resourceTemplates, (r) => r.uriTemplate),
      prompts: firstBy(lists.prompts, (p) => p.name),
      warnings: warningsByItem(lists.warnings),
    };
    indexes.set(lists, ix);
  }
  return ix;
}

function firstBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T> {
  const m = new Map<string, T>();
  for (const t of items) {
    const k = key(t);
    if (!m.has(k)) m.set(k, t);
  }
  return m;
}

/**
 * The core words item warnings `<kind> "<id>" <problem>` (`tool "x" has no description`, `tool "x" has an
 * invalid input schema …`, `prompt "p" …`). An id may itself contain `" `, so every `" ` after the opening quote
 * is a possible end of the id: the warning is filed under each, exactly the items whose prefix it starts with.
 */
function warningsByItem(warnings: readonly string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const w of warnings) {
    const open = w.indexOf(' "');
    if (open < 0 || !contentKinds.has(w.slice(0, open))) continue;
    const start = open + 2;
    for (let end = w.indexOf('" ', start); end >= 0; end = w.indexOf('" ', end + 1)) {
      const key = `${w.slice(0, open)}\u0000${w.slice(start, end)}`;
      const rest = w.slice(end + 2);
      const list = m.get(key);
      if (list) list.push(rest);
      else m.set(key, [rest]);
    }
  }
  return m;
}

const noWarnings: readonly string[] = [];

/** The list warnings about one item, without the item's name (see `warningsByItem`). */
export function itemWarnings(server: ServerHandle, kind: ContentKind, id: string): readonly string[] {
  return listIndex(server.lists).warnings.get(`${kind}\u0000${id}`) ?? noWarnings;
}

const warningIcon = (): vscode.ThemeIcon => new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));

/** The row icons, made once: a ThemeIcon is immutable, and 10,000 rows need not allocate 10,000 of them. */
type RowIconKind = 'warning' | ContentKind | NonNullable<ToolMarks['icon']>;
let rowIcons: Record<RowIconKind, vscode.ThemeIcon> | undefined;
const rowIcon = (kind: RowIconKind): vscode.ThemeIcon =>
  (rowIcons ??= {
    warning: warningIcon(),
    // A tool's claimed annotations at a glance (toolMarks.ts): destructive, open-world, read-only.
    flame: new vscode.ThemeIcon('flame', new vscode.ThemeColor('problemsWarningIcon.foreground')),
    globe: new vscode.ThemeIcon('globe'),
    eye: new vscode.ThemeIcon('eye'),
    tool: new vscode.ThemeIcon('tools'),
    resource: new vscode.ThemeIcon('file'),
    resourceTemplate: new vscode.ThemeIcon('symbol-file'),
    prompt: new vscode.ThemeIcon('comment-discussion'),
  })[kind];

type Approver = Pick<ToolCallApprover, 'pinStatus'> | undefined;

const isChanged = (server: ServerHandle, tool: Tool | undefined, approver: Approver): boolean =>
  tool !== undefined && approver?.pinStatus(server, tool) === 'changed';

/**
 * A tool, resource, template or prompt row: label, description, icon, id and context value only. Its tooltip is
 * built on hover by `contentTooltip` (the provider's resolveTreeItem), so a server with 10,000 tools costs no
 * tooltip (schema summary, markdown escaping) until one is hovered.
 */
export function contentItem(server: ServerHandle, node: ContentNode, approver: Approver): vscode.TreeItem {
  const ix = listIndex(server.lists);
  switch (node.kind) {
    case 'tool': {
      const name = node.name;
      const tool = ix.tools.get(name);
      const changed = isChanged(server, tool, approver);
      const warnings = ix.warnings.size === 0 ? noWarnings : itemWarnings(server, 'tool', name);
      const marks = toolMarks(tool);
      const icon = rowIcon(changed || warnings.length > 0 ? 'warning' : (marks.icon ?? 'tool'));
      const item = row(server, sanitizeLabel(name, 120), name, icon, 'tool');
      const title = tool?.title ?? tool?.annotations?.title;
      const text = short(title ?? tool?.description) ?? (warnings[0] !== undefined ? short(warnings[0]) : undefined);
      item.description = changed ? 'changed since approved' : marks.tag === undefined ? text : text === undefined ? marks.tag : `${marks.tag} · ${text}`;
      // Clicking a tool runs nothing: the inline play button (or the context menu) does.
      return item;
    }
    case 'resource': {
      const r = ix.resources.get(node.uri);
      const warnings = itemWarnings(server, 'resource', node.uri);
      const item = row(server, sanitizeLabel(r ? (r.title ?? r.name) : node.uri, 120), node.uri, rowIcon(warnings.length ? 'warning' : 'resource'), 'resource');
      item.description = sanitizeLabel(node.uri, 120);
      return item;
    }
    case 'resourceTemplate': {
      const r = ix.resourceTemplates.get(node.uriTemplate);
      const warnings = itemWarnings(server, 'resourceTemplate', node.uriTemplate);
      const icon = rowIcon(warnings.length ? 'warning' : 'resourceTemplate');
      const item = row(server, sanitizeLabel(r ? (r.title ?? r.name) : node.uriTemplate, 120), node.uriTemplate, icon, 'resourceTemplate');
      item.description = sanitizeLabel(node.uriTemplate, 120);
      return item;
    }
    case 'prompt': {
      const p = ix.prompts.get(node.name);
      const warnings = itemWarnings(server, 'prompt', node.name);
      const item = row(server, sanitizeLabel(p?.title ?? node.name, 120), node.name, rowIcon(warnings.length ? 'warning' : 'prompt'), 'prompt');
      item.description = short(p?.description) ?? (warnings[0] !== undefined ? short(warnings[0]) : undefined);
      return item;
    }
  }
}

/** `vscode.TreeItem` and the leaf state, read once (each `vscode.X` read goes through the bundler's module getter). */
let leaf: { readonly TreeItem: typeof vscode.TreeItem; readonly none: vscode.TreeItemCollapsibleState } | undefined;

function row(server: ServerHandle, label: string, id: string, icon: vscode.ThemeIcon, contextValue: ContentKind): vscode.TreeItem {
  const { TreeItem, none } = (leaf ??= { TreeItem: vscode.TreeItem, none: vscode.TreeItemCollapsibleState.None });
  const item = new TreeItem(label, none);
  item.id = `${contextValue}:${server.id}:${id}`;
  item.iconPath = icon;
  item.contextValue = contextValue;
  return item;
}

/** The hover of a content row (sanitized, untrusted markdown), or undefined when the item left the lists. */
export function contentTooltip(server: ServerHandle, node: ContentNode, approver: Approver): vscode.MarkdownString | undefined {
  const ix = listIndex(server.lists);
  switch (node.kind) {
    case 'tool': {
      const tool = ix.tools.get(node.name);
      return tool && toolTooltip(tool, isChanged(server, tool, approver), itemWarnings(server, 'tool', node.name));
    }
    case 'resource': {
      const r = ix.resources.get(node.uri);
      return r && resourceTooltip(r, itemWarnings(server, 'resource', node.uri));
    }
    case 'resourceTemplate': {
      const r = ix.resourceTemplates.get(node.uriTemplate);
      return r && templateTooltip(r, itemWarnings(server, 'resourceTemplate', node.uriTemplate));
    }
    case 'prompt': {
      const p = ix.prompts.get(node.name);
      return p && promptTooltip(p, itemWarnings(server, 'prompt', node.name));
    }
  }
}

/** Explanations under a server: what state it is in and what the user can do about it. */
export function infoItem(server: ServerHandle, node: Extract<TreeNode, { kind: 'info' }>): vscode.TreeItem {
  const serverArg = { kind: 'server', serverId: server.id };
  const [label, icon, command]: [string, string, vscode.Command | undefined] = (() => {
    switch (node.key) {
      case 'starting':
        return ['starting…', 'loading~spin', undefined];
      case 'error':
        return [`error: ${node.message}`, 'error', { title: 'Show Server Log', command: CommandIds.showServerLog, arguments: [serverArg] }];
      case 'disabled':
        return ['disabled in its configuration', 'circle-slash', { title: 'Open Configuration', command: CommandIds.openConfiguration }];
      case 'needsWorkspaceTrust':
        if (!isWorkspaceDefined(server.definition.source)) {
          return ['this workspace is restricted and this server takes its cwd, command or env file from it: trust it, or change the server', 'workspace-untrusted', { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' }];
        }
        return ['this workspace is restricted: trust it to run workspace-defined servers', 'workspace-untrusted', { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' }];
      case 'needsConsent':
        return [`needs your approval of its ${server.definition.entry.url && !server.definition.entry.command ? 'URL and headers' : 'command'}: click to review and start`, 'shield', { title: 'Start Server', command: CommandIds.startServer, arguments: [serverArg] }];
      case 'denied':
        return ['not trusted (Reset Server Trust to be asked again)', 'shield', undefined];
      case 'unsupportedType':
        return [`transport "${server.definition.entry.type}" is not supported yet`, 'warning', undefined];
      case 'stopped':
        return ['stopped: click to start', 'debug-start', { title: 'Start Server', command: CommandIds.startServer, arguments: [serverArg] }];
      case 'listWarnings':
        return [node.message, 'warning', { title: 'Show Server Log', command: CommandIds.showServerLog, arguments: [serverArg] }];
      default:
        return [node.message, 'info', undefined];
    }
  })();
  const item = new vscode.TreeItem(sanitizeLabel(label, 160), vscode.TreeItemCollapsibleState.None);
  item.id = `info:${server.id}:${node.key}`;
  item.iconPath = new vscode.ThemeIcon(icon);
  item.contextValue = 'info';
  if (command) item.command = command;
  const folderUse = node.key === 'needsWorkspaceTrust' && !isWorkspaceDefined(server.definition.source) ? restrictedFolderUseMessage(server.definition) : undefined;
  if (folderUse !== undefined) item.tooltip = plainTooltip(folderUse);
  if (node.key === 'listWarnings') {
    item.iconPath = warningIcon();
    item.tooltip = listWarningsTooltip(server.lists.warnings);
  }
  if (server.state.kind === 'error' && node.key === 'error') {
    item.tooltip = plainTooltip(`${server.state.message}${server.state.stderrTail ? `\n\nstderr:\n${server.state.stderrTail}` : ''}`);
  }
  return item;
}

export function problemItem(
  node: Extract<TreeNode, { kind: 'problem' }>,
  locate: ((file: string, offset: number, length: number) => vscode.Range | undefined) | undefined,
): vscode.TreeItem {
  const item = new vscode.TreeItem(sanitizeLabel(node.message, 200), vscode.TreeItemCollapsibleState.None);
  const warning = node.severity === 'warning';
  item.iconPath = new vscode.ThemeIcon(warning ? 'warning' : 'error', new vscode.ThemeColor(warning ? 'problemsWarningIcon.foreground' : 'problemsErrorIcon.foreground'));
  item.contextValue = 'problem';
  item.tooltip = plainTooltip(node.message);
  if (node.file) {
    const uri = vscode.Uri.file(node.file);
    item.description = vscode.workspace.asRelativePath(uri);
    const range = node.offset !== undefined ? locate?.(node.file, node.offset, node.length ?? 0) : undefined;
    item.command = { title: 'Open', command: 'vscode.open', arguments: [uri, range ? { selection: range } : {}] };
  } else {
    item.description = node.inWorkspaceSettings ? 'workspace settings' : 'user settings';
    item.command = {
      title: 'Open Settings',
      command: node.inWorkspaceSettings ? 'workbench.action.openWorkspaceSettingsFile' : 'workbench.action.openSettingsJson',
      arguments: [{ revealSetting: { key: 'mcpHost.servers', edit: true } }],
    };
  }
  return item;
}
