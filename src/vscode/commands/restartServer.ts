import type { ServerCommandDeps } from './deps';
import { serverFromArg } from './resolveServer';
import { startWithFeedback } from './startServer';

export function restartServerCommand(deps: ServerCommandDeps) {
  return async (arg?: unknown): Promise<void> => {
    const server = await serverFromArg(deps.registry, arg, { placeHolder: 'Select an MCP server to restart' });
    if (server) await startWithFeedback(deps, server, 'restart');
  };
}
