// Helpers shared by the trust suites (restricted workspace: ./, trusted workspace: ./consent/).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import type { AskRequest } from '../../../src/vscode/trust';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { activate, repoRoot, waitFor } from '../helpers';

/** The extension's test API; `trust` is TrustServices.testing (gate, approver, dialog seam). */
export type TrustApi = McpHostApi;

export async function trustApi(): Promise<TrustApi> {
  const api = await activate<TrustApi>();
  if (!api || typeof api !== 'object' || !('trust' in api) || !api.trust || !('gate' in api.trust)) {
    throw new Error('activate() must return `trust` (createTrustServices(...).testing) for the trust tests');
  }
  return api;
}

export const hostileFixture = (): string => path.join(repoRoot(), 'test/fixtures/hostile/hostile-descriptions.mjs');

/** Processes whose command line contains `marker` (scans /proc: the real process table). */
export function processesWith(marker: string): { pid: number; cmdline: string }[] {
  const out: { pid: number; cmdline: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
    } catch {
      continue; // exited meanwhile
    }
    if (cmdline.includes(marker) && Number(entry) !== process.pid) out.push({ pid: Number(entry), cmdline });
  }
  return out;
}

/** Records every trust dialog and answers it with `answer(request)`. */
export class DialogRecorder {
  readonly asked: AskRequest[] = [];
  answer: (r: AskRequest) => string | undefined = () => undefined;

  install(api: TrustApi): void {
    api.trust.setAsk(async (r) => {
      this.asked.push(r);
      return this.answer(r);
    });
  }

  uninstall(api: TrustApi): void {
    api.trust.setAsk(undefined);
  }

  last(kind: AskRequest['kind']): AskRequest | undefined {
    return [...this.asked].reverse().find((r) => r.kind === kind);
  }

  count(kind: AskRequest['kind']): number {
    return this.asked.filter((r) => r.kind === kind).length;
  }
}

/** The row as VS Code shows it on hover: getTreeItem, then resolveTreeItem (tool/resource/prompt tooltips are built there). */
export function treeItem(api: McpHostApi, node: TreeNode): vscode.TreeItem {
  const row = api.tree.getTreeItem(node) as vscode.TreeItem;
  return (api.tree.resolveTreeItem?.(row, node, new vscode.CancellationTokenSource().token) as vscode.TreeItem | undefined) ?? row;
}

export function labelOf(item: vscode.TreeItem): string {
  const l = item.label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

export function children(api: McpHostApi, node?: TreeNode): TreeNode[] {
  return (api.tree.getChildren(node) as TreeNode[] | undefined) ?? [];
}

export function serverNode(api: McpHostApi, name: string): Extract<TreeNode, { kind: 'server' }> | undefined {
  const h = api.registry.getByName(name);
  if (!h) return undefined;
  return children(api).find((n): n is Extract<TreeNode, { kind: 'server' }> => n.kind === 'server' && n.serverId === h.id);
}

export async function waitForServer(api: McpHostApi, name: string, timeoutMs = 30_000): Promise<ServerHandle> {
  return waitFor(() => api.registry.getByName(name), timeoutMs, `server ${name} in the registry`);
}

export async function setUserServers(value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('mcpHost').update('servers', value, vscode.ConfigurationTarget.Global);
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const f = vscode.workspace.workspaceFolders?.[0];
  if (!f) throw new Error('the trust suites open a workspace folder');
  return f;
}

export async function writeFile(uri: vscode.Uri, text: string): Promise<void> {
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
}

/** Every character that must never reach a label or tooltip raw. */
export const HIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060-\u2064\ufeff]/;

/** Markdown that would render as a link, command link, image or HTML. */
export function assertInertMarkdown(md: vscode.MarkdownString | string | undefined, what: string): void {
  if (md === undefined || typeof md === 'string') {
    if (md !== undefined && HIDDEN.test(md)) throw new Error(`${what}: hidden characters in a plain tooltip`);
    return;
  }
  if (md.isTrusted) throw new Error(`${what}: MarkdownString.isTrusted is set`);
  if (md.supportHtml) throw new Error(`${what}: MarkdownString.supportHtml is set`);
  if (md.supportThemeIcons) throw new Error(`${what}: MarkdownString.supportThemeIcons is set`);
  const v = md.value;
  if (HIDDEN.test(v)) throw new Error(`${what}: hidden characters in the tooltip: ${JSON.stringify(v)}`);
  // An unescaped `](` starts a link target; an unescaped `<` starts HTML.
  if (/(^|[^\\])\]\(/.test(v)) throw new Error(`${what}: a markdown link survived: ${v}`);
  // Raw `<img ...>` text is fine while supportHtml is off: the renderer shows HTML as text then.
}
