/**
 * Every command of MCP Host in one table (ids in ./ids.ts): the server verbs here, the content commands from
 * ./content, Reset Server Trust from the trust services. src/extension.ts registers the table once through
 * ./register.ts, the one place that presents a command's unexpected failure.
 */
import type { LogChannels } from '../contracts';
import { addServerCommand } from './addServer';
import type { ServerCommandDeps } from './deps';
import { CommandIds } from './ids';
import { openConfigurationCommand } from './openConfiguration';
import { refreshCommand } from './refresh';
import { command, type CommandSpec } from './register';
import { restartServerCommand } from './restartServer';
import { setLogLevelCommand } from './setLogLevel';
import { showHostLogCommand } from './showHostLog';
import { showServerLogCommand } from './showServerLog';
import { signInCommand, signOutCommand, type SignInDeps } from './signIn';
import { startServerCommand } from './startServer';
import { stopServerCommand } from './stopServer';

export interface CommandTableDeps extends ServerCommandDeps {
  readonly auth: SignInDeps['auth'];
  readonly logs: LogChannels;
  readonly reloadConfig: () => Promise<void>;
  /** Commands built with their own services (content commands, Reset Server Trust). */
  readonly more: readonly CommandSpec[];
}

export function commandTable(deps: CommandTableDeps): CommandSpec[] {
  const { logs, reloadConfig } = deps;
  return [
    command(CommandIds.startServer, 'start the server', startServerCommand(deps)),
    command(CommandIds.stopServer, 'stop the server', stopServerCommand(deps)),
    command(CommandIds.restartServer, 'restart the server', restartServerCommand(deps)),
    command(CommandIds.showServerLog, 'show the server log', showServerLogCommand(deps)),
    command(CommandIds.setLogLevel, 'set the log level', setLogLevelCommand(deps)),
    command(CommandIds.showHostLog, 'show the host log', showHostLogCommand(logs)),
    command(CommandIds.addServer, 'add the server', addServerCommand({ ...deps, reloadConfig })),
    command(CommandIds.openConfiguration, 'open the configuration', openConfigurationCommand()),
    command(CommandIds.refresh, 'refresh', refreshCommand({ ...deps, reloadConfig })),
    command(CommandIds.signIn, 'sign in', signInCommand(deps)),
    command(CommandIds.signOut, 'sign out', signOutCommand(deps)),
    ...deps.more,
  ];
}
