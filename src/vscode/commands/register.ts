/**
 * Every command goes through here: one place registers them, and a command that throws shows an error for
 * people (with Show Log) instead of the editor's bare "command failed".
 */
import * as vscode from 'vscode';
import type { CommandId } from './ids';
import type { LogChannels } from '../contracts';
import { showError } from './errors';

export type CommandHandler = (...args: unknown[]) => unknown;

export interface CommandSpec {
  readonly id: CommandId;
  /** Short human name of what the command does, for error messages ("Could not <what>"). */
  readonly what: string;
  readonly run: CommandHandler;
}

/**
 * An entry of the command table for a handler with typed arguments. VS Code passes whatever the caller gave (a tree
 * node, a test's options, nothing): the handlers check their arguments, as they did when registered directly.
 */
export function command<A extends unknown[]>(id: CommandId, what: string, run: (...args: A) => unknown): CommandSpec {
  return { id, what, run: run as unknown as CommandHandler };
}

export function registerCommands(specs: readonly CommandSpec[], logs: LogChannels): vscode.Disposable[] {
  return specs.map((spec) =>
    vscode.commands.registerCommand(spec.id, async (...args: unknown[]) => {
      try {
        return await spec.run(...args);
      } catch (err) {
        // A bug must still say something (STYLE rule 7), and the host log keeps the stack.
        if (err instanceof Error && err.stack) logs.host.debug(`${spec.id} failed: ${err.stack}`);
        void showError(logs, `Could not ${spec.what}`, err);
        return undefined;
      }
    }),
  );
}
