/**
 * The trust dialogs go through one function so integration tests can answer them: a modal cannot be clicked
 * from inside the extension host. The real dialog is `vscode.window.showWarningMessage(..., { modal: true })`;
 * only an extension running in test mode (`ExtensionMode.Test`) may replace it (see `TrustServices.testing`).
 */
import * as vscode from 'vscode';
import { sanitizeMessage } from '../../core/base/sanitize';

export interface AskRequest {
  readonly kind: 'launchConsent' | 'toolConfirm' | 'signInConsent';
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
  /** The consent of a remote server (nothing runs locally). */
  trustAndConnect: 'Trust and Connect',
  doNotTrust: 'Do Not Trust',
  run: 'Run',
  runAndDontAskAgain: "Run and Don't Ask Again for This Tool",
  signIn: 'Continue to Sign In',
} as const;
