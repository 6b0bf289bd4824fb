/**
 * The trust dialogs go through one function so integration tests can answer them: a modal cannot be clicked
 * from inside the extension host. The real dialog is `vscode.window.showWarningMessage(..., { modal: true })`;
 * only an extension running in test mode (`ExtensionMode.Test`) may replace it (see `TrustServices.testing`).
 */
import * as vscode from 'vscode';
import type { ResolvedLaunch, ServerDefinition } from '../../core/config/types';
import { quoteArg, type EnvFileSnapshot } from '../../core/trust/launch';
import { mixedScriptWarning } from '../../core/trust/lookalike';
import { consentRisks } from '../../core/trust/consentRisks';
import { resolveProgram, RISK_HEURISTIC_NOTE, type ProgramContext } from '../../core/trust/risks';
import { makeInvisibleVisible, sanitizeMessage } from '../../core/trust/sanitize';

export interface AskRequest {
  readonly kind: 'launchConsent' | 'toolConfirm';
  readonly serverName: string;
  readonly toolName?: string;
  /** The one-line question (modal title). */
  readonly message: string;
  /** Everything the user must see to decide (plain text, shown in full). */
  readonly detail: string;
  /** Button labels; the answer is one of them, or undefined (dismissed). */
  readonly choices: readonly string[];
}

export type AskFn = (request: AskRequest) => Promise<string | undefined>;

export const modalAsk: AskFn = async (request) => {
  // The one-line message (it names the server) passes the notification sanitiser; the modal's detail is drawn as
  // plain text and must show the exact launch the user approves (hidden characters are already made visible by
  // makeInvisibleVisible), so it is passed as is.
  // eslint-disable-next-line no-restricted-syntax
  const answer = await vscode.window.showWarningMessage(sanitizeMessage(request.message), { modal: true, detail: request.detail }, ...request.choices);
  return answer;
};

/** Button labels (tests answer with these). */
export const Choices = {
  trustAndRun: 'Trust and Run',
  doNotTrust: 'Do Not Trust',
  run: 'Run',
  runAndDontAskAgain: "Run and Don't Ask Again for This Tool",
} as const;

/**
 * The risk part of the launch consent dialog: the program the launch's own PATH picks (when it is not the one the
 * editor's PATH gives, or lies inside the workspace), every risk the heuristic knows (command line, env, env
 * file, a look-alike name), and a line saying the list is a heuristic. Kept apart from the rest of the dialog
 * text (launchGate.ts) so the risk wording has one home.
 */
export function consentRiskLines(def: ServerDefinition, launch: ResolvedLaunch, envFile: EnvFileSnapshot | undefined): { program: string[]; risks: string[] } {
  const context: ProgramContext = {
    baseEnv: process.env,
    workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
    ...(envFile ? { envFile } : {}),
  };
  const program: string[] = [];
  const p = resolveProgram(launch, context);
  if (p?.path !== undefined && (p.differs || p.insideWorkspace)) {
    const editor = p.differs ? `; with your PATH it would be ${p.editorPath !== undefined ? quoteArg(p.editorPath) : 'not found'}` : '';
    program.push(`Program: ${quoteArg(p.path)} (what ${quoteArg(launch.command)} finds on the PATH this server runs with${editor})`);
  }
  const found = consentRisks(launch, envFile, context).map((r) => r.message);
  const lookalike = mixedScriptWarning(def.name);
  if (lookalike !== undefined) found.unshift(makeInvisibleVisible(lookalike));
  const risks = found.length ? ['', '⚠ Risky:', ...found.map((m) => `  • ${m}`), `  (${RISK_HEURISTIC_NOTE})`] : ['', `Risks: none of the known risky patterns found. ${RISK_HEURISTIC_NOTE}`];
  return { program, risks };
}
