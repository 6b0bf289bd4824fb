/**
 * The start of a connection in either era: `initialize` through the SDK (legacy), or the `server/discover` probe and
 * then the modern session (see ./eraProbe.ts, ./modernSession.ts). `auto` falls back from the probe to `initialize`
 * on the same process; a pinned era does not.
 */
import { RpcError, ServerRequestError } from '../protocol/errors';
import { sdk } from '../protocol/loadSdk';
import type { SdkSession, ServerCapabilities } from '../protocol/sdk';
import type { MessageTransport } from '../transport/types';
import { PROBE_IDS, probeEra } from './eraProbe';
import type { InputAnswerer } from './inputAnswers';
import { modernClientCapabilities, type ModernSession } from './modernSession';
import type { EraChoice, ServerInfo } from './types';

/** What either session offers the connection after the handshake. */
export type ProtocolSession = Pick<SdkSession, 'send' | 'request' | 'notify' | 'close'>;

export interface HandshakeDeps {
  readonly era: EraChoice;
  readonly probeTimeoutMs: number;
  readonly clientInfo: { readonly name: string; readonly version: string };
  readonly answerer: InputAnswerer;
  /** The SDK session (made only when the legacy era is used). */
  legacy(): SdkSession;
  /** The modern session speaking `version` (takes over the transport's handlers). */
  modern(version: string): ModernSession;
  /** The phase now running: an exit during the probe is a legacy server that allows nothing before initialize. */
  onPhase(phase: 'probe' | 'initialize'): void;
  log(message: string): void;
  /** The SDK's own initialize timeout (the caller keeps the real one). */
  readonly sdkTimeoutMs: number;
}

/** Versions a server named, for a message: a few, each cut (they are server text of any length). */
const named = (versions: readonly string[]): string => versions.slice(0, 4).map((v) => v.slice(0, 40)).join(', ');

export async function handshake(
  transport: MessageTransport,
  d: HandshakeDeps,
): Promise<{ readonly session: ProtocolSession; readonly info: ServerInfo; readonly modern?: ModernSession }> {
  if (d.era === 'legacy') return legacy(transport, d, false);
  d.onPhase('probe');
  await transport.start();
  const probe = await probeEra(transport, { clientInfo: d.clientInfo, capabilities: modernClientCapabilities(d.answerer) }, sdk().supportedProtocolVersions, d.probeTimeoutMs);
  if (probe.era === 'modern') {
    const session = d.modern(probe.version);
    const { discover } = probe;
    const info: ServerInfo = {
      serverInfo: discover.serverInfo,
      protocolVersion: probe.version,
      era: 'modern',
      capabilities: discover.capabilities as ServerCapabilities,
      ...(discover.instructions !== undefined ? { instructions: discover.instructions } : {}),
    };
    return { session, info, modern: session };
  }
  // The connection waits for the exit and reports it (during the probe: a legacy server that exits on it).
  if (probe.era === 'closed') throw new RpcError(sdk().connectionClosedCode, 'the connection closed during the server/discover probe');
  if (probe.era === 'unsupported') {
    throw new ServerRequestError(
      `the server speaks MCP protocol version ${named(probe.supported) || '(none named)'}, which MCP Host does not support; update the server or MCP Host`,
      'notRunning',
      { reason: 'unsupportedProtocolVersion' },
    );
  }
  if (probe.era === 'refused') {
    throw new ServerRequestError(
      `the server refused MCP protocol version ${probe.version} twice (error -32022) although it lists that version as supported ` +
        `(it lists ${named(probe.supported)}); the server is at fault: check its logs or report it to its authors`,
      'notRunning',
      { reason: 'versionRefused' },
    );
  }
  if (d.era === 'modern') {
    throw new ServerRequestError(`the server does not speak the 2026-07-28 protocol (protocolEra is "modern"): ${probe.why}`, 'notRunning', { reason: 'notModern' });
  }
  d.log(`protocol era: legacy (${probe.why}); initializing`);
  return legacy(transport, d, true);
}

async function legacy(transport: MessageTransport, d: HandshakeDeps, started: boolean): Promise<{ readonly session: ProtocolSession; readonly info: ServerInfo }> {
  d.onPhase('initialize');
  const session = d.legacy();
  const outcome = await session.connect(transport, { timeout: d.sdkTimeoutMs, started, ignoreIds: started ? PROBE_IDS : [] });
  return { session, info: { ...outcome, era: 'legacy' } };
}
