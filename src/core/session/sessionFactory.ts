/**
 * The two sessions a connection can speak through, made the same way: the SDK's (legacy era) and our own JSON-RPC
 * one (modern era, ./modernSession.ts). Both route progress, server log messages and protocol errors to the
 * connection.
 */
import { capLogLine } from '../base/logLimits';
import type { Logger } from '../base/logger';
import { sdk } from '../protocol/loadSdk';
import type { ProgressParams, SdkSession } from '../protocol/sdk';
import type { MessageTransport } from '../transport/types';
import type { ConnectionOptions } from './connectionOptions';
import type { InputAnswerer } from './inputAnswers';
import { ModernSession } from './modernSession';

/** What a session reports to its connection. */
export interface SessionHooks {
  readonly logger: Logger;
  onProgress(token: string | number, p: ProgressParams): void;
  onProtocolError(e: Error): void;
  /** A message arrived (stdout is flowing: an over-long message has ended). */
  onIncoming(): void;
  /** A server's `notifications/message` (the connection rate-limits them). */
  onLogMessage(level: string, text: string): void;
  /** A legacy server-to-client request (roots, elicitation, sampling; see ./asks/route.ts). */
  onServerRequest(method: string, params: Record<string, unknown> | undefined, signal: AbortSignal): Promise<Record<string, unknown>>;
}

/** A server's `notifications/message` in its log, at the matching level (a huge message is cut). */
export function logServerMessage(logger: Logger, level: string, text: string): void {
  const line = `[server ${level}] ${capLogLine(text)}`;
  if (level === 'error' || level === 'critical' || level === 'alert' || level === 'emergency') logger.error(line);
  else if (level === 'warning') logger.warn(line);
  else if (level === 'debug') logger.debug(line);
  else logger.info(line);
}

/** The SDK session (legacy era: initialize, server-to-client requests answered through `o.answers`). */
export function createLegacySession(o: ConnectionOptions, hooks: SessionHooks): SdkSession {
  return sdk().createSdkSession({
    clientInfo: o.clientInfo,
    capabilities: o.answers.capabilities,
    onServerRequest: (method, params, signal) => hooks.onServerRequest(method, params, signal),
    onElicitationComplete: (id) => o.answers.notifyElicitationComplete?.(id),
    onResourceUpdated: (uri) => o.onResourceUpdated?.(uri),
    onListChanged: (kind) => o.onListChanged(kind),
    onProgress: (token, p) => hooks.onProgress(token, p),
    onLogMessage: (level, text) => hooks.onLogMessage(level, text),
    onError: (e) => hooks.onProtocolError(e),
    onIncoming: () => hooks.onIncoming(),
  });
}

/** The modern session speaking `version` (2026-07-28 and later); it takes over the transport's handlers. */
export function createModernSession(
  transport: MessageTransport,
  o: ConnectionOptions,
  hooks: SessionHooks,
  version: string,
  answerer: InputAnswerer,
): ModernSession {
  return new ModernSession(transport, {
    clientInfo: o.clientInfo,
    version,
    answerer,
    ...(o.logLevel ? { logLevel: o.logLevel } : {}),
    closedCode: sdk().connectionClosedCode,
    ...(o.toolSchema ? { toolSchema: o.toolSchema } : {}),
    onListChanged: (kind) => o.onListChanged(kind),
    onResourceUpdated: (uri) => o.onResourceUpdated?.(uri),
    onProgress: (token, p) => hooks.onProgress(token, p),
    onLogMessage: (level, text) => hooks.onLogMessage(level, text),
    onError: (e) => hooks.onProtocolError(e),
    onIncoming: () => hooks.onIncoming(),
    debug: (m) => hooks.logger.debug(m),
  });
}
