/**
 * The LaunchGate as the editor shows it: the policy of src/core/trust/launchGate.ts with VS Code's workspace trust,
 * the consent dialog (through `ask`, modal or a test's), workspace-relative labels, and the change event.
 */
import * as vscode from 'vscode';
import type { ResolvedLaunch, SecretStore, ServerDefinition } from '../../core/config/types';
import type { LaunchGate } from '../../core/host/types';
import type { StoppedReason } from '../../core/server/state';
import { LaunchConsent, type LaunchRecord } from '../../core/trust/launchGate';
import { mementoFrom } from '../config/storage';
import { Choices, type AskFn } from './ask';

export type { LaunchRecord } from '../../core/trust/launchGate';

export class WorkspaceLaunchGate implements LaunchGate, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChange: vscode.Event<void> = this._onDidChange.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly policy: LaunchConsent;

  constructor(
    state: vscode.Memento,
    ask: () => AskFn,
    log: vscode.LogOutputChannel,
    /** Keeps the key of the fingerprints of launches with password values (SecretStorage). */
    secrets: SecretStore,
  ) {
    this.policy = new LaunchConsent(mementoFrom(state), {
      isWorkspaceTrusted: () => vscode.workspace.isTrusted,
      programContext: () => ({ baseEnv: process.env, workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath) }),
      secrets,
      relativePath: (file) => vscode.workspace.asRelativePath(file),
      log,
      askConsent: async (def, message, detail, action) => {
        const approve = action === 'connect' ? Choices.trustAndConnect : Choices.trustAndRun;
        const answer = await ask()({ kind: 'launchConsent', serverName: def.name, message, detail, choices: [approve, Choices.doNotTrust] });
        return answer === approve ? 'approved' : answer === Choices.doNotTrust ? 'denied' : undefined;
      },
    });
    this.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this._onDidChange.fire()));
  }

  /** Every remembered decision of this workspace, by server id. */
  listRecords(): ReadonlyMap<string, LaunchRecord> {
    return this.policy.listRecords();
  }

  blockedReason(def: ServerDefinition): StoppedReason | undefined {
    return this.policy.blockedReason(def);
  }

  /** For the tree: has the user approved this definition (as last resolved)? */
  consentState(def: ServerDefinition): 'notNeeded' | 'approved' | 'denied' | 'unknown' | 'changed' {
    return this.policy.consentState(def);
  }

  /** A workspace server whose current definition the user approved: its annotations count (read-only tools run). */
  isApproved(def: ServerDefinition): boolean {
    return this.policy.isApproved(def);
  }

  /** Did the user approve exactly this launch (no dialog)? True for user servers. */
  isLaunchApproved(def: ServerDefinition, launch: ResolvedLaunch): Promise<boolean> {
    return this.policy.isLaunchApproved(def, launch);
  }

  approveLaunch(def: ServerDefinition, launch: ResolvedLaunch): Promise<StoppedReason | undefined> {
    return this.policy.approveLaunch(def, launch);
  }

  /** Forgets decisions (all, or those of the given server ids); the next start asks again. */
  async reset(serverIds?: readonly string[]): Promise<number> {
    const removed = await this.policy.reset(serverIds);
    this._onDidChange.fire();
    return removed;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this._onDidChange.dispose();
  }
}
