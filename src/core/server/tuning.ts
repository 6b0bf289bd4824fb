/** What a server needs besides the registry's deps: how to launch it, and timings that are not user settings. */
import { displayCommandLine } from '../base/commandLine';
import type { ResolveContext } from '../config/resolve';
import type { ResolvedLaunch, ServerDefinition } from '../config/types';
import { launchKindOf, type TransportFactory } from '../transport/launch';
import type { ReconnectTiming } from '../transport/http/types';
import { redactUrl } from '../transport/http/network';
import type { ProcessRecorderHook } from '../transport/stdio/types';
import type { StoppedReason } from './state';

export type LaunchResolver = (def: ServerDefinition, ctx: ResolveContext) => Promise<ResolvedLaunch>;

/** Tuning that is not a user setting (tests shorten it). */
export interface ServerTuning {
  readonly createTransport: TransportFactory;
  readonly resolveLaunch: LaunchResolver;
  readonly stopGraceMs?: { readonly afterEof: number; readonly afterTerm: number };
  /** Told about every server process spawned and exited (orphan reaping after a host crash). */
  readonly processRecorder?: ProcessRecorderHook;
  /** Delay before the 1st, 2nd, 3rd... automatic restart after a crash. Default 1 s, 2 s, 4 s. */
  readonly restartBackoffMs: readonly number[];
  /** At most `maxRestarts` automatic restarts within `restartWindowMs`. Default 3 in 60 s. */
  readonly maxRestarts: number;
  readonly restartWindowMs: number;
  /** Debounce of list_changed refreshes. Default 150 ms. */
  readonly listDebounceMs: number;
  /** Cap against cursor cycles. Default 1000 pages. */
  readonly maxListPages: number;
  /** Reconnect timing of remote event streams (default DEFAULT_RECONNECT). */
  readonly reconnect?: ReconnectTiming;
  /** How long the server/discover probe waits before a server counts as legacy. Default 3 s (DEFAULT_PROBE_TIMEOUT_MS). */
  readonly eraProbeTimeoutMs?: number;
  /** The shortest time a list with a cache hint counts as fresh. Default 5 s (MIN_REFETCH_MS). */
  readonly listMinRefetchMs?: number;
}

export const defaultTuning: Omit<ServerTuning, 'createTransport' | 'resolveLaunch'> = {
  restartBackoffMs: [1000, 2000, 4000],
  maxRestarts: 3,
  restartWindowMs: 60_000,
  listDebounceMs: 150,
  maxListPages: 1000,
};

/** Why a definition cannot run, without asking anyone: disabled, unsupported type. */
export function staticStoppedReason(def: ServerDefinition): StoppedReason | undefined {
  if (def.entry.disabled) return 'disabled';
  if (!launchKindOf(def.entry.type)) return 'unsupportedType';
  return undefined;
}

/**
 * The command line as a shell would show it (arguments quoted when needed); not yet redacted. A remote server:
 * its type and URL (URL credentials masked).
 */
export function commandLineOf(launch: Pick<ResolvedLaunch, 'command' | 'args' | 'remote'>): string {
  if (launch.remote) return `${launch.remote.type} ${redactUrl(launch.remote.url, [])}`;
  return displayCommandLine(launch.command, launch.args);
}
