/**
 * The content commands (issue #4): running tools, reading and inserting resources, using prompts. One command
 * per file; this builds their entries of the command table with the shared documents, argument memory and
 * diagnostics.
 */
import * as vscode from 'vscode';
import { CommandIds } from '../ids';
import { command, type CommandSpec } from '../register';
import type { FeatureDeps } from '../../contracts';
import { ResourceDocuments } from '../../documents/resourceDocuments';
import { ResultDocuments } from '../../documents/resultDocuments';
import { ArgumentMemory } from '../../input/argumentMemory';
import { ArgumentLenses } from '../../input/jsonArguments';
import { copyResourceUriCommand } from './copyResourceUri';
import { insertResourceCommand } from './insertResource';
import { insertToolResultCommand } from './insertToolResult';
import { openResourceCommand } from './openResource';
import { runToolCommand } from './runTool';
import { saveResourceAsCommand } from './saveResourceAs';
import { saveToolResultAsCommand } from './saveToolResultAs';
import type { ContentServices } from './services';
import { usePromptCommand } from './usePrompt';

export type { RunToolOptions, RunToolOutcome } from './runTool';
export type { InsertOutcome } from './insertResource';
export type { UsePromptOptions, UsePromptOutcome } from './usePrompt';
export type { ResourceTargetOptions } from './resolveResource';
export type { SaveResourceOptions } from './saveResourceAs';
export type { SaveToolResultOptions } from './saveToolResultAs';

/** The content commands for the command table, and what they share (to dispose with the extension). */
export function contentCommands(deps: FeatureDeps): { readonly commands: CommandSpec[]; readonly disposables: vscode.Disposable[] } {
  const results = new ResultDocuments();
  const resources = new ResourceDocuments(deps);
  const diagnostics = vscode.languages.createDiagnosticCollection('mcpHost.arguments');
  const argumentLenses = new ArgumentLenses();
  const s: ContentServices = { ...deps, results, resources, diagnostics, argumentLenses, memory: new ArgumentMemory(deps.context.workspaceState) };
  return {
    disposables: [results, resources, diagnostics, argumentLenses],
    commands: [
      command(CommandIds.runTool, 'run the tool', runToolCommand(s)),
      command(CommandIds.insertResource, 'insert the resource', insertResourceCommand(s)),
      command(CommandIds.openResource, 'open the resource', openResourceCommand(s)),
      command(CommandIds.usePrompt, 'use the prompt', usePromptCommand(s)),
      command(CommandIds.copyResourceUri, 'copy the resource URI', copyResourceUriCommand(s)),
      command(CommandIds.insertToolResult, 'insert the tool result', insertToolResultCommand(s)),
      command(CommandIds.saveResourceAs, 'save the resource', saveResourceAsCommand(s)),
      command(CommandIds.saveToolResultAs, 'save the tool result', saveToolResultAsCommand(s)),
    ],
  };
}
