/**
 * What the registry needs from the editor (passed in by src/extension.ts) and what it offers the adapters.
 * Contract shared by host/, server/ and src/vscode: change only with care.
 */
import type { Event } from '../base/events';
import type { ConfigProblem, LoadedConfig } from '../config/types';
import type { ServerDeps } from '../server/deps';
import type { ServerHandle } from '../server/types';

export { defaultHostSettings, type HostSettings, type LaunchGate, type WorkspaceFolderInfo } from '../server/deps';

/** What the registry needs: what every server needs (it passes them on). */
export type RegistryDeps = ServerDeps;

export interface ServerRegistry {
  readonly servers: readonly ServerHandle[];
  readonly problems: readonly ConfigProblem[];
  get(id: string): ServerHandle | undefined;
  getByName(name: string): ServerHandle | undefined;
  /**
   * Apply a newly loaded configuration as a diff: servers whose definition changed are restarted (if running),
   * removed ones are stopped, new ones added (and auto-started if configured), others keep running.
   */
  apply(config: LoadedConfig): Promise<void>;
  /** Tell running servers that the workspace folders changed (roots/list_changed). */
  notifyRootsChanged(): void;
  /** Servers added/removed or problems changed. */
  readonly onDidChangeServers: Event<void>;
  /** Any server's state or lists changed. */
  readonly onDidChangeServer: Event<ServerHandle>;
  /** Stops every server and waits for the exits (deactivation). */
  dispose(): Promise<void>;
}
