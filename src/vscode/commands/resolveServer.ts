/** Commands take a tree node (menus) or nothing (palette): this turns either into a server handle. */
import type { ServerHandle } from '../../core/server/types';
import type { ServerRegistry } from '../../core/host/types';
import { pickServer, type PickServerOptions } from '../pickers';
import { isTreeNode } from '../tree/nodes';

export async function serverFromArg(
  registry: ServerRegistry,
  arg: unknown,
  options: PickServerOptions,
): Promise<ServerHandle | undefined> {
  if (isTreeNode(arg) && 'serverId' in arg) {
    const server = registry.get(arg.serverId);
    if (server) return server;
  }
  // Integration tests and other extensions may pass a server name.
  if (typeof arg === 'string') {
    const server = registry.getByName(arg) ?? registry.get(arg);
    if (server) return server;
  }
  return pickServer(registry, options);
}
