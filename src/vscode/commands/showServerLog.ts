import type { ServerCommandDeps } from './deps';
import { serverFromArg } from './resolveServer';

export function showServerLogCommand(deps: ServerCommandDeps) {
  return async (arg?: unknown): Promise<void> => {
    const server = await serverFromArg(deps.registry, arg, { placeHolder: 'Select an MCP server to show its log' });
    if (server) deps.logs.showServerLog(server.name);
  };
}
