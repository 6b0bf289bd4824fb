/**
 * `MCP Host: Reset Server Trust`: forgets launch approvals and "Do not trust" decisions of this workspace, the
 * pinned tool definitions and "Don't Ask Again" answers of those servers, and their remembered sampling consent
 * ("Always allow" / "Never allow" a language model), so the next start, tool call and sampling request ask again.
 *
 * Arguments: a server tree node (`{ kind: 'server', serverId }`) resets that server; the string `'all'` resets
 * everything without asking which (used by tests); no argument shows a picker.
 */
import * as vscode from 'vscode';
import { showMessage } from '../messages';
import type { ServerDefinition } from '../../core/config/types';
import type { ServerRegistry } from '../../core/host/types';
import { sanitizeLabel } from '../../core/base/sanitize';
import { isTreeNode } from '../tree/nodes';
import type { WorkspaceLaunchGate } from '../trust/launchGate';
import type { PinningToolApprover } from '../trust/toolApprover';
import { forgetSamplingConsent, type KeyedMemento } from '../../core/session/asks/sampling';

export interface ResetServerTrustDeps {
  readonly gate: WorkspaceLaunchGate;
  readonly approver: PinningToolApprover;
  readonly registry: () => ServerRegistry | undefined;
  /** Where the host remembers sampling consent per server (the workspace state; see src/extension.ts). */
  readonly samplingConsent: KeyedMemento;
  readonly log: vscode.LogOutputChannel;
}

/** Returns how many decisions were forgotten (for tests), or undefined when the picker was dismissed. */
export async function resetServerTrust(deps: ResetServerTrustDeps, arg?: unknown): Promise<number | undefined> {
  const registry = deps.registry();
  const defs = new Map<string, ServerDefinition>();
  for (const s of registry?.servers ?? []) defs.set(s.id, s.definition);

  let ids: string[] | undefined; // undefined = all
  if (arg === 'all') ids = undefined;
  else if (isTreeNode(arg) && arg.kind === 'server') ids = [arg.serverId];
  else {
    const records = deps.gate.listRecords();
    type Item = vscode.QuickPickItem & { ids: string[] | undefined };
    const items: Item[] = [
      {
        label: '$(trash) All servers',
        description: 'forget every approval and "Do not trust" in this workspace, all pinned tool definitions and sampling permissions',
        ids: undefined,
      },
    ];
    const seen = new Set<string>();
    for (const [id, rec] of records) {
      seen.add(id);
      items.push({
        label: sanitizeLabel(rec.serverName, 80),
        description: rec.decision === 'approved' ? 'approved' : 'not trusted',
        detail: `decided ${new Date(rec.at).toLocaleString()}`,
        ids: [id],
      });
    }
    for (const [id, def] of defs) {
      if (!seen.has(id)) items.push({ label: sanitizeLabel(def.name, 80), description: 'pinned tool definitions and sampling permission only', ids: [id] });
    }
    const picked = await vscode.window.showQuickPick(items, { title: 'Reset Server Trust', placeHolder: 'Whose trust decisions should be forgotten?' });
    if (!picked) return undefined;
    ids = picked.ids;
  }

  const launches = await deps.gate.reset(ids);
  const pinDefs = ids === undefined ? undefined : ids.map((id) => defs.get(id)).filter((d): d is ServerDefinition => d !== undefined);
  const pins = await deps.approver.reset(pinDefs);
  const sampling = await forgetSamplingConsent(deps.samplingConsent, ids);
  deps.log.info(
    `Trust reset (${ids === undefined ? 'all servers' : ids.join(', ')}): ${launches} launch decision(s), ${pins} pinned tool definition(s), ${sampling} sampling decision(s) forgotten.`,
  );
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  void showMessage(
    'info',
    `MCP Host: forgot ${plural(launches, 'launch decision')}, ${plural(pins, 'approved tool definition')} and ${plural(sampling, 'sampling decision')}. You will be asked again.`,
  );
  return launches + pins + sampling;
}
