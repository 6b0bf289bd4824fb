/**
 * The command line of a launch, written two ways and only here: for logs and labels (quoted only where a shell
 * would need it), and for trust dialogs (every part quoted, hidden characters made visible, never truncated).
 * Secrets are not redacted here: callers redact with the launch's secrets.
 */
import { makeInvisibleVisible } from './sanitize';

/** One argument for logs and labels: as is when plain, else JSON-quoted. */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : JSON.stringify(arg);
}

/** The command line as a shell would show it (arguments quoted when needed), for logs and labels. */
export function displayCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(shellQuote).join(' ');
}

/** One argument, double-quoted, with escapes and hidden characters made visible (what a trust dialog shows). */
export function quoteArg(arg: string): string {
  return makeInvisibleVisible(JSON.stringify(arg));
}

/** The full command line, every part quoted, never truncated (what a trust dialog shows). */
export function formatCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteArg).join(' ');
}
