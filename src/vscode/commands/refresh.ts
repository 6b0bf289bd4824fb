import type { ServerCommandDeps } from './deps';
import { showError } from './errors';

/** Re-reads the configuration, then re-lists everything on the running servers. */
export function refreshCommand(deps: ServerCommandDeps & { readonly reloadConfig: () => Promise<void> }) {
  return async (): Promise<void> => {
    await deps.reloadConfig();
    await Promise.all(
      deps.registry.servers
        .filter((s) => s.state.kind === 'running')
        .map((s) =>
          s.refresh().catch((err: unknown) => void showError(deps.logs, `Could not refresh the lists of MCP server '${s.name}'`, err, { serverName: s.name })),
        ),
    );
  };
}
