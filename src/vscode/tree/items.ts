/** TreeItems for categories, tools/resources/templates/prompts, explanations and config problems. */
import * as vscode from 'vscode';
import type { ServerHandle } from '../../core/mcp/types';
import { sanitizeLabel } from '../../core/trust/sanitize';
import type { ToolCallApprover } from '../contracts';
import { CommandIds } from '../commandIds';
import type { ListCategory, TreeNode } from './nodes';
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
  return sanitizeLabel(text.split('\n')[0] ?? '', 80) || undefined;
}

type ContentNode = Extract<TreeNode, { kind: 'tool' | 'resource' | 'resourceTemplate' | 'prompt' }>;

/**
 * The list warnings about one item, without the item's name: the core words them `<kind> "<id>" <problem>`
 * (`tool "x" has no description`, `tool "x" has an invalid input schema …`, `prompt "p" …`).
 */
export function itemWarnings(server: ServerHandle, kind: ContentNode['kind'], id: string): string[] {
  const prefix = `${kind} "${id}" `;
  return server.lists.warnings.filter((w) => w.startsWith(prefix)).map((w) => w.slice(prefix.length));
}

const warningIcon = (): vscode.ThemeIcon => new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));

export function contentItem(
  server: ServerHandle,
  node: ContentNode,
  approver: Pick<ToolCallApprover, 'pinStatus'> | undefined,
): vscode.TreeItem {
  const l = server.lists;
  const make = (label: string, id: string, icon: vscode.ThemeIcon, contextValue: string) => {
    const item = new vscode.TreeItem(sanitizeLabel(label, 120), vscode.TreeItemCollapsibleState.None);
    item.id = `${contextValue}:${server.id}:${id}`;
    item.iconPath = icon;
    item.contextValue = contextValue;
    return item;
  };
  switch (node.kind) {
    case 'tool': {
      const tool = l.tools.find((t) => t.name === node.name);
      const changed = tool !== undefined && approver?.pinStatus(server, tool) === 'changed';
      const warnings = itemWarnings(server, 'tool', node.name);
      const icon = changed || warnings.length > 0 ? warningIcon() : new vscode.ThemeIcon('tools');
      const item = make(node.name, node.name, icon, 'tool');
      const title = tool?.title ?? tool?.annotations?.title;
      item.description = changed ? 'changed since approved' : (short(title ?? tool?.description) ?? (warnings[0] !== undefined ? short(warnings[0]) : undefined));
      // Clicking a tool runs nothing: the inline play button (or the context menu) does.
      if (tool) item.tooltip = toolTooltip(tool, changed, warnings);
      return item;
    }
    case 'resource': {
      const r = l.resources.find((x) => x.uri === node.uri);
      const warnings = itemWarnings(server, 'resource', node.uri);
      const item = make(r ? (r.title ?? r.name) : node.uri, node.uri, warnings.length ? warningIcon() : new vscode.ThemeIcon('file'), 'resource');
      item.description = sanitizeLabel(node.uri, 120);
      if (r) item.tooltip = resourceTooltip(r, warnings);
      return item;
    }
    case 'resourceTemplate': {
      const r = l.resourceTemplates.find((x) => x.uriTemplate === node.uriTemplate);
      const warnings = itemWarnings(server, 'resourceTemplate', node.uriTemplate);
      const icon = warnings.length ? warningIcon() : new vscode.ThemeIcon('symbol-file');
      const item = make(r ? (r.title ?? r.name) : node.uriTemplate, node.uriTemplate, icon, 'resourceTemplate');
      item.description = sanitizeLabel(node.uriTemplate, 120);
      if (r) item.tooltip = templateTooltip(r, warnings);
      return item;
    }
    case 'prompt': {
      const p = l.prompts.find((x) => x.name === node.name);
      const warnings = itemWarnings(server, 'prompt', node.name);
      const item = make(p?.title ?? node.name, node.name, warnings.length ? warningIcon() : new vscode.ThemeIcon('comment-discussion'), 'prompt');
      item.description = short(p?.description) ?? (warnings[0] !== undefined ? short(warnings[0]) : undefined);
      if (p) item.tooltip = promptTooltip(p, warnings);
      return item;
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
        return ['this workspace is restricted: trust it to run workspace-defined servers', 'workspace-untrusted', { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' }];
      case 'needsConsent':
        return ['needs your approval of its command: click to review and start', 'shield', { title: 'Start Server', command: CommandIds.startServer, arguments: [serverArg] }];
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
