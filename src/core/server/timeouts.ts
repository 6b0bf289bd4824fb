/** Request timeouts of one server: the one place that combines its own setting with the host settings. */
import type { ServerEntry } from '../config/types';
import type { HostSettings } from './deps';

/** Default timeouts for requests without explicit ones. */
export interface RequestTimeouts {
  /** Without an answer or progress for this long, a request times out. */
  readonly timeoutMs: number;
  /** The hard cap, even with progress (never below `timeoutMs`). */
  readonly maxTotalTimeoutMs: number;
}

/** The server's `requestTimeoutSeconds` when set (> 0), else the host's; the cap from the host settings. */
export function requestTimeouts(entry: Pick<ServerEntry, 'requestTimeoutSeconds'>, settings: HostSettings): RequestTimeouts {
  const perServer = entry.requestTimeoutSeconds;
  const timeoutMs = typeof perServer === 'number' && perServer > 0 ? perServer * 1000 : settings.requestTimeoutMs;
  return { timeoutMs, maxTotalTimeoutMs: Math.max(timeoutMs, settings.maxTotalTimeoutMs) };
}

/** requestTimeouts of the entry and settings now, as the same object while they give the same (read per request). */
export function currentRequestTimeouts(entry: () => Pick<ServerEntry, 'requestTimeoutSeconds'>, settings: () => HostSettings): () => RequestTimeouts {
  let last: RequestTimeouts | undefined;
  return () => {
    const next = requestTimeouts(entry(), settings());
    if (last && last.timeoutMs === next.timeoutMs && last.maxTotalTimeoutMs === next.maxTotalTimeoutMs) return last;
    return (last = next);
  };
}

/** The server's `initializeTimeoutSeconds` when set, else the host's. */
export function initializeTimeoutMs(entry: Pick<ServerEntry, 'initializeTimeoutSeconds'>, settings: HostSettings): number {
  return entry.initializeTimeoutSeconds ? entry.initializeTimeoutSeconds * 1000 : settings.initializeTimeoutMs;
}
