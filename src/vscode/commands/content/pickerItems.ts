/**
 * The rows of the cross-server picker (picker.ts).
 *
 * VS Code's quick pick hides separators while the list is filtered and matches the query against the label,
 * the description and the detail one at a time (1.100 and 1.139 alike: `matchesFuzzyIconAware` per field, a
 * substring or a "word starts" match, case-insensitive). So every item names its server in its own label,
 * "server: name" like the command palette's "Git: Pull": typing `echo` shows which server each echo belongs
 * to, and `bravo echo` matches "bravo: echo" through the word-start matching.
 *
 * Rows that only start a server (or say why it cannot start) go after every item, and their label has no
 * words (the text is in the description): when the list is filtered VS Code puts label matches first and keeps
 * the given order otherwise, so such a row is never ahead of an item the typed text matches.
 */
import * as vscode from 'vscode';
import type { ServerHandle } from '../../../core/server/types';
import { describeState } from '../../../core/server/state';
import { sanitizeLabel } from '../../../core/base/sanitize';
import type { TreeNode } from '../../tree/nodes';
import { APP_UI_NOTE, toolMarks } from '../../tree/toolMarks';

export type PickKind = 'tool' | 'resource' | 'resourceTemplate' | 'prompt';
export type ContentNode = Extract<TreeNode, { kind: PickKind }>;

export interface PickItem extends vscode.QuickPickItem {
  readonly node?: ContentNode;
  readonly startServer?: ServerHandle;
  /** A row for a server that cannot start from here: Enter shows its log (crash loop) or nothing. */
  readonly blocked?: { readonly server: ServerHandle; readonly showLog: boolean };
}

const icons: Record<PickKind, string> = {
  tool: 'tools',
  resource: 'file',
  resourceTemplate: 'file-symlink-file',
  prompt: 'comment-discussion',
};

/** The server part of a row's label: short, so the item's own name stays visible. */
export const serverLabel = (server: ServerHandle): string => sanitizeLabel(server.name, 40);

const joined = (...parts: (string | undefined)[]): string | undefined => {
  const present = parts.filter((p): p is string => p !== undefined && p !== '');
  return present.length > 0 ? present.join(' · ') : undefined;
};

function itemsOf(server: ServerHandle, kinds: readonly PickKind[]): PickItem[] {
  const out: PickItem[] = [];
  const l = server.lists;
  const who = serverLabel(server);
  const text = (d: string | undefined, max: number) => (d ? sanitizeLabel(d, max) : undefined);
  const opt = (key: 'description' | 'detail', value: string | undefined) => (value ? { [key]: value } : {});
  for (const kind of kinds) {
    if (kind === 'tool')
      for (const t of l.tools) {
        const marks = toolMarks(t);
        const icon = marks.icon ?? icons.tool;
        out.push({
          label: `$(${icon}) ${who}: ${sanitizeLabel(t.name, 100)}`,
          ...opt('description', joined(marks.tag, text(t.title ?? t.annotations?.title, 80))),
          ...opt('detail', joined(marks.appUi ? APP_UI_NOTE : undefined, text(t.description, 160))),
          node: { kind: 'tool', serverId: server.id, name: t.name },
        });
      }
    if (kind === 'resource')
      for (const r of l.resources)
        out.push({
          label: `$(${icons.resource}) ${who}: ${sanitizeLabel(r.title ?? r.name, 100)}`,
          description: sanitizeLabel(r.uri, 120),
          ...opt('detail', text(r.description, 160)),
          node: { kind: 'resource', serverId: server.id, uri: r.uri },
        });
    if (kind === 'resourceTemplate')
      for (const r of l.resourceTemplates)
        out.push({
          label: `$(${icons.resourceTemplate}) ${who}: ${sanitizeLabel(r.title ?? r.name, 100)}`,
          description: sanitizeLabel(r.uriTemplate, 120),
          ...opt('detail', text(r.description, 160)),
          node: { kind: 'resourceTemplate', serverId: server.id, uriTemplate: r.uriTemplate },
        });
    if (kind === 'prompt')
      for (const p of l.prompts)
        out.push({
          label: `$(${icons.prompt}) ${who}: ${sanitizeLabel(p.title ?? p.name, 100)}`,
          ...opt('description', p.title ? sanitizeLabel(p.name, 80) : undefined),
          ...opt('detail', text(p.description, 160)),
          node: { kind: 'prompt', serverId: server.id, name: p.name },
        });
  }
  return out;
}

function neverListed(server: ServerHandle): boolean {
  const l = server.lists;
  return server.info === undefined && l.tools.length + l.resources.length + l.resourceTemplates.length + l.prompts.length === 0;
}

/** Why `server` cannot be started from a picker, or undefined when it can. */
export function whyNotStartable(server: ServerHandle): string | undefined {
  const s = server.state;
  if (s.kind === 'error' && s.gaveUp) return 'crashed repeatedly, so MCP Host stopped restarting it: Enter shows its log';
  if (s.kind !== 'stopped') return undefined;
  switch (s.reason) {
    case 'unsupportedType':
      return `uses the "${sanitizeLabel(String(server.definition.entry.type), 30)}" transport, which MCP Host does not support yet`;
    case 'disabled':
      return 'is disabled in its configuration ("disabled": true)';
    case 'needsWorkspaceTrust':
      return 'cannot start while this workspace is restricted: trust the workspace first';
    default:
      return undefined;
  }
}

/** The row for a server with nothing to pick: start it, wait for it, or why it cannot start. */
function serverRow(server: ServerHandle): PickItem {
  const who = serverLabel(server);
  const blocked = whyNotStartable(server);
  if (blocked !== undefined) {
    const showLog = server.state.kind === 'error';
    return { label: `$(${showLog ? 'error' : 'circle-slash'})`, description: `${who} ${blocked}`, alwaysShow: true, blocked: { server, showLog } };
  }
  if (server.state.kind === 'starting') return { label: '$(loading~spin)', description: `Starting ${who}…`, alwaysShow: true };
  if (server.state.kind === 'running') return { label: '$(info)', description: `${who} offers nothing of this kind`, alwaysShow: true };
  return { label: '$(debug-start)', description: `Start ${who} to see what it offers`, alwaysShow: true, startServer: server };
}

/** Every server's items grouped under server separators, then the rows of servers with nothing to pick. */
export function buildItems(servers: readonly ServerHandle[], kinds: readonly PickKind[]): PickItem[] {
  const items: PickItem[] = [];
  const rest: PickItem[] = [];
  for (const server of servers) {
    const own = itemsOf(server, kinds);
    if (own.length > 0) {
      const state = server.state.kind === 'running' ? '' : ` (${describeState(server.state)})`;
      items.push({ label: `${sanitizeLabel(server.name, 80)}${sanitizeLabel(state, 80)}`, kind: vscode.QuickPickItemKind.Separator }, ...own);
    }
    // A server that cannot start says why even when its last lists are still shown (a crash loop that gave up).
    if (whyNotStartable(server) !== undefined || (own.length === 0 && (neverListed(server) || server.state.kind !== 'running'))) {
      rest.push(serverRow(server));
    }
  }
  if (rest.length > 0) items.push({ label: items.length > 0 ? 'Other servers' : 'Servers', kind: vscode.QuickPickItemKind.Separator }, ...rest);
  return items;
}
