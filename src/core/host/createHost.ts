/**
 * createHost builds the engine: the registry of every configured server over the transports, and (when given a
 * folder) the records of running server processes, so the servers of a host that died are reaped on the next
 * start. The extension, the CLI, the unit tests and the bench all build it here; each passes its own services.
 */
import { AuthManagers, type AuthServices } from '../auth/services';
import { createProcessRecorder, reapOrphans, type ReapResult } from '../transport/stdio/orphans';
import { createServerRegistry, type RegistryOptions } from './registry';
import type { RegistryDeps, ServerRegistry } from './types';

/** What the engine needs from its environment (the editor, a terminal, a test). */
export interface HostDeps extends RegistryDeps {
  /**
   * A folder to record running server processes in (the extension's global storage): a host killed without
   * stopping its servers has them reaped by the next host. Without one nothing is recorded.
   */
  readonly processRecordDir?: string;
  /** The editor's (or terminal's) parts of sign-in to remote servers; the engine keeps one AuthManager per URL. */
  readonly authServices?: AuthServices;
}

/** The engine. */
export interface Host {
  readonly registry: ServerRegistry;
  /** Sign-in state per remote server URL (when `authServices` was given). */
  readonly auth: AuthManagers | undefined;
  /** Stops the servers recorded by hosts that are no longer running (nothing without processRecordDir). */
  reapOrphans(options?: { readonly graceMs?: number }): Promise<ReapResult>;
  /** Stops every server and waits for the exits; idempotent. */
  dispose(): Promise<void>;
}

/** Builds the engine. `options` is internal tuning (tests shorten timings, the bench hooks the transport). */
export function createHost(deps: HostDeps, options: RegistryOptions = {}): Host {
  const dir = deps.processRecordDir;
  const processRecorder = options.processRecorder ?? (dir !== undefined ? createProcessRecorder(dir, deps.hostLogger) : undefined);
  const auth = deps.auth ?? (deps.authServices ? new AuthManagers(deps.authServices) : undefined);
  const registry = createServerRegistry({ ...deps, ...(auth ? { auth } : {}) }, { ...options, ...(processRecorder ? { processRecorder } : {}) });
  let disposing: Promise<void> | undefined;
  return {
    registry,
    auth,
    reapOrphans: (o = {}) => (dir !== undefined ? reapOrphans(dir, deps.hostLogger, o) : Promise.resolve({ files: 0, signalled: [], survivors: [] })),
    dispose: () => (disposing ??= registry.dispose().finally(() => auth?.dispose())),
  };
}
