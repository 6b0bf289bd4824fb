/** Tools in a model's hands (issue #17): Ask a Model with Tools and Show Context Cost for the command table. */
import { CommandIds } from '../commands/ids';
import { command, type CommandSpec } from '../commands/register';
import type { FeatureDeps } from '../contracts';
import { askModelCommand } from './askModel';
import { showContextCostCommand } from './showContextCost';

export type { AskModelOptions, AskModelOutcome } from './askModel';
export type { ContextCostOptions, ContextCostOutcome } from './showContextCost';

export function agentCommands(deps: FeatureDeps): CommandSpec[] {
  return [
    command(CommandIds.askModel, 'ask the model', askModelCommand(deps)),
    command(CommandIds.showContextCost, 'show the context cost', showContextCostCommand(deps)),
  ];
}
