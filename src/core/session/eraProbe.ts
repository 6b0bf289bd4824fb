/**
 * Which protocol era a stdio server speaks (basic/transports/stdio, "Backward Compatibility"): send
 * `server/discover` with our preferred modern version first. A DiscoverResult, or a recognised modern error
 * (-32022 with `data.supported`), means modern; any other error, or no answer within a short timeout, means legacy
 * and the caller falls back to `initialize` on the same process. Never decided on one error code. Over HTTP the
 * probe has no timeout of its own: the answer to the POST decides (a legacy server refuses it at once).
 */
import { META_CLIENT_CAPABILITIES, META_CLIENT_INFO, META_PROTOCOL_VERSION, modernProtocolVersions, modernVersionError, parseDiscoverResult, pickModernVersion, type DiscoverOutcome } from '../protocol/modern';
import { modernHeaderHints } from '../protocol/headerHints';
import { TransportError, type TransportErrorCode } from '../transport/errors';
import type { JsonRpcMessage, MessageTransport } from '../transport/types';

/**
 * Transport failures that end the start instead of counting as "legacy": the server could not be reached, or
 * refused us (HTTP 401/403 until the user signs in). Falling back to `initialize` would only repeat them.
 */
const FATAL_SEND_CODES: ReadonlySet<TransportErrorCode> = new Set<TransportErrorCode>(['unauthorized', 'forbidden', 'dns', 'refused', 'tls', 'network', 'redirect', 'handshake']);

/** The JSON-RPC id of the probe: a string, so it never collides with the numeric ids of either session. */
export const PROBE_ID = 'mcph-discover';
/** Every id a probe may use (a second try after -32022, with the version it names, uses the other). */
export const PROBE_IDS: readonly string[] = [PROBE_ID, `${PROBE_ID}-2`];

/** Default time a server gets to answer the probe before it counts as legacy (legacy SDK servers answer at once). */
export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

export type ProbeOutcome =
  | { readonly era: 'modern'; readonly version: string; readonly discover: DiscoverOutcome }
  /** `why` is for the log: what the server answered. */
  | { readonly era: 'legacy'; readonly why: string }
  /** A modern server none of whose versions MCP Host speaks. */
  | { readonly era: 'unsupported'; readonly supported: readonly string[] }
  /** A modern server that refused `version` twice (-32022) while naming it as supported (and no legacy version). */
  | { readonly era: 'refused'; readonly version: string; readonly supported: readonly string[] }
  /** The transport closed during the probe (the server exited): the caller reports the exit. */
  | { readonly era: 'closed' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A modern server named `supported`: legacy if it lists only versions we speak through initialize. */
function withoutCommonVersion(supported: readonly string[], legacyVersions: readonly string[]): ProbeOutcome {
  if (supported.some((v) => legacyVersions.includes(v))) return { era: 'legacy', why: `it supports ${supported.slice(0, 4).join(', ')}` };
  return { era: 'unsupported', supported };
}

/**
 * Probes a started transport. Takes over `onmessage` while it runs (anything else the server writes meanwhile is
 * dropped) and leaves it unset: the caller hands the transport to the session of the era found.
 */
export async function probeEra(
  transport: MessageTransport,
  client: { readonly clientInfo: { readonly name: string; readonly version: string }; readonly capabilities: Readonly<Record<string, unknown>> },
  legacyVersions: readonly string[],
  timeoutMs: number,
): Promise<ProbeOutcome> {
  let closed = false;
  let fatal: TransportError | undefined;
  const ask = (version: string, id: string) =>
    new Promise<JsonRpcMessage | undefined>((resolve) => {
      // Silence means legacy only where a request may go unanswered (stdio); over HTTP every POST is answered, and a
      // slow answer (a busy or cold-starting server) must not turn a modern server into a failed legacy start.
      const timer = transport.answersEveryRequest === true ? undefined : setTimeout(() => resolve(undefined), timeoutMs);
      // A server that exits on the probe ends it at once (the connection reports the exit).
      transport.onclose = () => {
        closed = true;
        clearTimeout(timer);
        resolve(undefined);
      };
      transport.onmessage = (m) => {
        if (m.id === id && !('method' in m)) {
          clearTimeout(timer);
          resolve(m);
        }
      };
      const params = { _meta: { [META_PROTOCOL_VERSION]: version, [META_CLIENT_CAPABILITIES]: client.capabilities, [META_CLIENT_INFO]: client.clientInfo } };
      // Over HTTP the probe carries the modern headers too (MCP-Protocol-Version, Mcp-Method); a 4xx comes back as an
      // error answer for `id` (see transport/http/streamableHttp.ts), a transport failure ends the probe here.
      const message: JsonRpcMessage = { jsonrpc: '2.0', id, method: 'server/discover', params };
      const sent = transport.wantsHeaderHints ? transport.send(message, { headers: modernHeaderHints('server/discover', params, version, undefined) }) : transport.send(message);
      sent.catch((e: unknown) => {
        if (e instanceof TransportError && FATAL_SEND_CODES.has(e.code)) fatal = e;
        clearTimeout(timer);
        resolve(undefined);
      });
    });
  try {
    let version = modernProtocolVersions[0]!;
    // Two tries at most: the preferred version, then one the server named in -32022 (if we speak it).
    for (let attempt = 0; attempt < 2; attempt++) {
      const answer = await ask(version, PROBE_IDS[attempt]!);
      if (fatal) throw fatal;
      if (closed) return { era: 'closed' };
      if (!answer) return { era: 'legacy', why: `no answer to server/discover within ${timeoutMs} ms` };
      if ('result' in answer) {
        const discover = parseDiscoverResult(answer.result);
        if (!discover) return { era: 'legacy', why: 'its answer to server/discover is not a DiscoverResult' };
        const common = pickModernVersion(discover.supportedVersions);
        return common ? { era: 'modern', version: common, discover } : withoutCommonVersion(discover.supportedVersions, legacyVersions);
      }
      const error = isObject(answer.error) ? answer.error : {};
      const modern = typeof error.code === 'number' ? modernVersionError(error.code, error.data) : undefined;
      if (!modern) return { era: 'legacy', why: `server/discover failed with ${typeof error.code === 'number' ? error.code : 'an error'}` };
      const common = pickModernVersion(modern.supported);
      // A refusal that names the very version we sent as supported is tried once more (with a new id) rather than
      // read as "a version MCP Host does not speak": a server may refuse a first request for its own reasons.
      if (!common) return withoutCommonVersion(modern.supported, legacyVersions);
      if (common === version && attempt > 0) {
        // Not "a version MCP Host does not speak": we sent one it lists. A legacy version it also lists still works.
        const fallback = withoutCommonVersion(modern.supported, legacyVersions);
        return fallback.era === 'legacy' ? fallback : { era: 'refused', version, supported: modern.supported };
      }
      version = common;
    }
    return { era: 'legacy', why: 'no answer' };
  } finally {
    transport.onmessage = undefined;
    transport.onclose = undefined;
  }
}
