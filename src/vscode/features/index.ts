/**
 * The content features (issue #4): running tools, reading and inserting resources, using prompts. One command
 * per file; this registers them with the shared documents, argument memory and diagnostics.
 */
import * as vscode from 'vscode';
import { CommandIds } from '../commandIds';
import type { FeatureDeps } from '../contracts';
import { ResourceDocuments } from '../documents/resourceDocuments';
import { ResultDocuments } from '../documents/resultDocuments';
import { ArgumentMemory } from '../input/argumentMemory';
import { ArgumentLenses } from '../input/jsonArguments';
import { copyResourceUriCommand } from './copyResourceUri';
import { insertResourceCommand } from './insertResource';
import { insertToolResultCommand } from './insertToolResult';
import { openResourceCommand } from './openResource';
import { runToolCommand } from './runTool';
import { saveResourceAsCommand } from './saveResourceAs';
import { saveToolResultAsCommand } from './saveToolResultAs';
import type { ContentServices } from './services';
import { usePromptCommand } from './usePrompt';
import { showMessage } from '../messages';

export type { RunToolOptions, RunToolOutcome } from './runTool';
export type { InsertOutcome } from './insertResource';
export type { UsePromptOptions, UsePromptOutcome } from './usePrompt';
export type { ResourceTargetOptions } from './resolveResource';
export type { SaveResourceOptions } from './saveResourceAs';
export type { SaveToolResultOptions } from './saveToolResultAs';

export function registerContentFeatures(deps: FeatureDeps): vscode.Disposable[] {
  const results = new ResultDocuments();
  const resources = new ResourceDocuments(deps);
  const diagnostics = vscode.languages.createDiagnosticCollection('mcpHost.arguments');
  const argumentLenses = new ArgumentLenses();
  const s: ContentServices = { ...deps, results, resources, diagnostics, argumentLenses, memory: new ArgumentMemory(deps.context.workspaceState) };
  const guard =
    <A extends unknown[], R>(id: string, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await fn(...args);
      } catch (err) {
        // A bug must still say something (STYLE rule 7), and the host log keeps the stack.
        const message = err instanceof Error ? err.message : String(err);
        deps.logs.host.error(`${id} failed: ${err instanceof Error && err.stack ? err.stack : message}`);
        void showMessage('error', `MCP Host: ${message}`, 'Show Log').then((c) => c && deps.logs.host.show());
        return undefined;
      }
    };
  return [
    results,
    resources,
    diagnostics,
    argumentLenses,
    vscode.commands.registerCommand(CommandIds.runTool, guard(CommandIds.runTool, runToolCommand(s))),
    vscode.commands.registerCommand(CommandIds.insertResource, guard(CommandIds.insertResource, insertResourceCommand(s))),
    vscode.commands.registerCommand(CommandIds.openResource, guard(CommandIds.openResource, openResourceCommand(s))),
    vscode.commands.registerCommand(CommandIds.usePrompt, guard(CommandIds.usePrompt, usePromptCommand(s))),
    vscode.commands.registerCommand(CommandIds.copyResourceUri, guard(CommandIds.copyResourceUri, copyResourceUriCommand(s))),
    vscode.commands.registerCommand(CommandIds.insertToolResult, guard(CommandIds.insertToolResult, insertToolResultCommand(s))),
    vscode.commands.registerCommand(CommandIds.saveResourceAs, guard(CommandIds.saveResourceAs, saveResourceAsCommand(s))),
    vscode.commands.registerCommand(CommandIds.saveToolResultAs, guard(CommandIds.saveToolResultAs, saveToolResultAsCommand(s))),
  ];
}
