/**
 * TODO(#5): stand-ins until the trust adapter (src/vscode/trust) lands; src/extension.ts swaps them out.
 * The gate blocks workspace-defined servers in a restricted workspace and otherwise allows; the approver asks
 * before every tool call.
 */
import * as vscode from 'vscode';
import { isWorkspaceDefined } from '../core/config/types';
import type { LaunchGate } from '../core/registryTypes';
import { Emitter } from '../core/util/events';
import { sanitizeLabel } from '../core/trust/sanitize';
import type { ToolCallApprover } from './contracts';

export function fallbackLaunchGate(): LaunchGate & vscode.Disposable {
  const changed = new Emitter<void>();
  const sub = vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire());
  const blocked = (def: Parameters<LaunchGate['blockedReason']>[0]) =>
    isWorkspaceDefined(def.source) && !vscode.workspace.isTrusted ? ('needsWorkspaceTrust' as const) : undefined;
  return {
    blockedReason: blocked,
    approveLaunch: async (def) => blocked(def),
    onDidChange: changed.event,
    dispose: () => {
      sub.dispose();
      changed.dispose();
    },
  };
}

export function fallbackToolApprover(): ToolCallApprover & vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  return {
    async approve(server, tool) {
      const run = 'Run';
      const choice = await vscode.window.showWarningMessage(
        `Run tool '${sanitizeLabel(tool.name, 100)}' of MCP server '${server.name}'?`,
        { modal: true },
        run,
      );
      return choice === run;
    },
    pinStatus: () => 'approved',
    onDidChange: changed.event,
    dispose: () => changed.dispose(),
  };
}
