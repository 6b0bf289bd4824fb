/** How a server looks in the tree: icon, description and context value by state. */
import * as vscode from 'vscode';
import { describeState, type ServerState } from '../../core/server/state';
import type { ServerHandle } from '../../core/server/types';
import type { ServerDefinition } from '../../core/config/types';
import { sanitizeLabel } from '../../core/base/sanitize';
import { mixedScriptWarning } from '../../core/trust/lookalike';
import { serverTooltip } from './tooltips';

export function stateIcon(state: ServerState): vscode.ThemeIcon {
  switch (state.kind) {
    case 'running':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'starting':
      return new vscode.ThemeIcon('loading~spin');
    case 'error':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'stopped':
      switch (state.reason) {
        case 'disabled':
          return new vscode.ThemeIcon('circle-slash');
        case 'needsWorkspaceTrust':
          return new vscode.ThemeIcon('workspace-untrusted', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        case 'needsConsent':
        case 'denied':
          return new vscode.ThemeIcon('shield', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        case 'unsupportedType':
          return new vscode.ThemeIcon('warning');
        case 'needsSignIn':
          return new vscode.ThemeIcon('account', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        default:
          return new vscode.ThemeIcon('circle-outline');
      }
  }
}

/** Whether the user approved a workspace server's current definition (the trust adapter's consent state). */
export type ConsentOf = (def: ServerDefinition) => 'notNeeded' | 'approved' | 'denied' | 'unknown' | 'changed';

/**
 * The state to show: a stopped workspace server the user has not approved (or whose definition changed since)
 * shows `needs trust` before anyone tries to start it; starting it asks.
 */
export function shownState(server: ServerHandle, consent?: ConsentOf): ServerState {
  const s = server.state;
  // A sign-in refused while running (revoked, more scopes asked) shows "Sign in" too: every request would fail.
  if (s.kind !== 'starting' && server.auth?.state.kind === 'signInNeeded') return { kind: 'stopped', reason: 'needsSignIn' };
  if (s.kind !== 'stopped' || s.reason || !consent) return s;
  const c = consent(server.definition);
  return c === 'unknown' || c === 'changed' ? { kind: 'stopped', reason: 'needsConsent' } : s;
}

/** `running · 12 tools`, `starting…`, `error: exited with code 1`, `needs trust`, ... */
export function serverDescription(server: ServerHandle, consent?: ConsentOf): string {
  const base = describeState(shownState(server, consent));
  if (server.state.kind === 'error' && server.state.retryAt !== undefined) return `${sanitizeLabel(base, 100)} · restarting`;
  if (server.state.kind !== 'running') return sanitizeLabel(base, 120);
  const l = server.lists;
  const counts: [number, string][] = [
    [l.tools.length, 'tool'],
    [l.resources.length, 'resource'],
    [l.prompts.length, 'prompt'],
  ];
  const first = counts.find(([n]) => n > 0);
  return first ? `${base} · ${first[0]} ${first[1]}${first[0] === 1 ? '' : 's'}` : base;
}

/**
 * `server.<stateKind>` plus `.<reason>` for a stopped server with one (menus match /^server\.(stopped|error)/),
 * `.remote` for a remote server (Sign In) and `.signedIn` when it holds a sign-in (Sign Out).
 */
export function serverContextValue(state: ServerState, server?: ServerHandle): string {
  const base = state.kind === 'stopped' && state.reason ? `server.stopped.${state.reason}` : `server.${state.kind}`;
  if (!server || !['http', 'sse', 'ws'].includes(server.definition.entry.type)) return base;
  return `${base}.remote${server.auth?.state.kind === 'signedIn' ? '.signedIn' : ''}`;
}

export function serverTreeItem(server: ServerHandle, consent?: ConsentOf): vscode.TreeItem {
  const item = new vscode.TreeItem(sanitizeLabel(server.name, 100), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `server:${server.id}`;
  // A name mixing scripts (Cyrillic і in "gіthub") is marked in the row itself; the tooltip says which letters.
  const lookalike = mixedScriptWarning(server.name) !== undefined;
  item.description = `${lookalike ? '⚠ look-alike name · ' : ''}${serverDescription(server, consent)}`;
  item.iconPath = stateIcon(shownState(server, consent));
  item.contextValue = serverContextValue(server.state, server);
  item.tooltip = serverTooltip(server);
  return item;
}
