/**
 * Trust services: the LaunchGate (workspace trust + consent per workspace server), the ToolCallApprover
 * (confirmation + pinned tool definitions), the Reset Server Trust command (for the command table) and the
 * literal-secret diagnostics.
 * src/extension.ts calls `createTrustServices` once and pushes `disposables` into context.subscriptions.
 */
import * as vscode from 'vscode';
import type { LaunchGate, ServerRegistry } from '../../core/host/types';
import type { LogChannels, ToolCallApprover } from '../contracts';
import { mementoFrom, secretStoreFrom, type QuickInputPrompter } from '../config/storage';
import { modalAsk, type AskFn } from './ask';
import { WorkspaceLaunchGate } from './launchGate';
import { registerLiteralSecretDiagnostics } from './literalSecrets';
import { resetServerTrust } from '../commands/resetServerTrust';
import { CommandIds } from '../commands/ids';
import type { CommandSpec } from '../commands/register';
import { PinningToolApprover } from './toolApprover';

export type { AskFn, AskRequest } from './ask';
export { Choices } from './ask';

export interface TrustServices {
  readonly gate: LaunchGate & {
    /** For the tree: 'approved' | 'denied' | 'unknown' | 'changed' | 'notNeeded' (user settings). */
    consentState: WorkspaceLaunchGate['consentState'];
    /** Did the user approve exactly this launch (no dialog)? The chat offer (src/vscode/chat) asks it. */
    isLaunchApproved: WorkspaceLaunchGate['isLaunchApproved'];
  };
  readonly approver: ToolCallApprover & {
    /** The pinned definition of a tool, if any. */
    pinned: PinningToolApprover['pinned'];
  };
  /** Everything to dispose (the diagnostics included). */
  readonly disposables: vscode.Disposable[];
  /** Reset Server Trust, for the command table (src/vscode/commands/table.ts). */
  readonly commands: readonly CommandSpec[];
  /**
   * Test seam, only in an extension host started for tests (`ExtensionMode.Test`), else it throws: routes the
   * trust dialogs to `ask` instead of modals (modals cannot be clicked from a test), and resets decisions.
   */
  readonly testing: TrustTestApi;
  /** The dialog function in force (modal, or the test's): the sign-in consent asks through it too. */
  readonly ask: () => AskFn;
}

/** What the extension's test API exposes (`McpHostApi.trust`). */
export interface TrustTestApi {
  readonly gate: TrustServices['gate'];
  readonly approver: TrustServices['approver'];
  /** Replaces the modal dialogs (undefined = back to modals). Test mode only. */
  setAsk(ask: AskFn | undefined): void;
  /** Forgets every launch decision, pinned tool definition and sampling decision. Test mode only. */
  resetAll(): Promise<void>;
  /** JSON of every workspaceState and globalState entry of the extension (to search for leaked secrets). Test mode only. */
  dumpState(): string;
  /** The `${input:...}` box open now, so a test can type into it (quick input takes no keystrokes from tests). Test mode only. */
  openInputBox(): vscode.InputBox | undefined;
  /** The extension's log folder (its parent `logs` folder holds every log file of the session). */
  readonly logUri: vscode.Uri;
}

export function createTrustServices(
  context: vscode.ExtensionContext,
  deps: { registry?: () => ServerRegistry | undefined; logs: LogChannels; ask?: AskFn; inputs?: QuickInputPrompter },
): TrustServices {
  let testAsk: AskFn | undefined;
  const ask = (): AskFn => testAsk ?? deps.ask ?? modalAsk;
  const log = deps.logs.host;
  const gate = new WorkspaceLaunchGate(context.workspaceState, ask, log, secretStoreFrom(context.secrets));
  const approver = new PinningToolApprover({
    state: context.globalState,
    ask,
    log,
    isServerTrusted: (def) => gate.isApproved(def),
    workspaceId: () => vscode.workspace.workspaceFile?.toString() ?? vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? 'no-workspace',
  });
  const registry = deps.registry ?? (() => undefined);
  // Sampling consent lives in the workspace state too (src/extension.ts hands the host mementoFrom(workspaceState)).
  const resetDeps = { gate, approver, registry, samplingConsent: mementoFrom(context.workspaceState), log };
  const disposables: vscode.Disposable[] = [gate, approver, ...registerLiteralSecretDiagnostics(log)];
  const commands: CommandSpec[] = [{ id: CommandIds.resetServerTrust, what: 'reset server trust', run: (arg?: unknown) => resetServerTrust(resetDeps, arg) }];

  const assertTestMode = (): void => {
    if (context.extensionMode !== vscode.ExtensionMode.Test) throw new Error('MCP Host trust test seam is only available in test mode.');
  };
  return {
    gate,
    approver,
    disposables,
    commands,
    ask,
    testing: {
      gate,
      approver,
      setAsk(fn) {
        assertTestMode();
        testAsk = fn;
      },
      async resetAll() {
        assertTestMode();
        await resetServerTrust(resetDeps, 'all');
      },
      dumpState() {
        assertTestMode();
        const dump = (m: vscode.Memento) => Object.fromEntries(m.keys().map((k) => [k, m.get(k)]));
        return JSON.stringify({ workspaceState: dump(context.workspaceState), globalState: dump(context.globalState) });
      },
      openInputBox() {
        assertTestMode();
        return deps.inputs?.openBox;
      },
      get logUri() {
        return context.logUri;
      },
    },
  };
}
