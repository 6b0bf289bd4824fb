/**
 * The 2026-07-28 ("modern") protocol vocabulary, without the SDK: the v1 SDK we run on stops at 2025-11-25, so the
 * modern era is spoken by the session layer (../session/modernSession.ts) with these constants and parsers.
 * Spec: docs/specification/2026-07-28/ (basic/index `_meta`, basic/versioning, server/discover,
 * basic/patterns/mrtr, basic/patterns/subscriptions, server/utilities/caching, transports/streamable-http).
 */
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The modern protocol versions MCP Host speaks, preferred first. */
export const modernProtocolVersions: readonly string[] = ['2026-07-28'];

/** Which protocol era a server speaks: `initialize` handshake (legacy) or per-request `_meta` (modern). */
export type ProtocolEra = 'legacy' | 'modern';

export const META_PROTOCOL_VERSION = 'io.modelcontextprotocol/protocolVersion';
export const META_CLIENT_CAPABILITIES = 'io.modelcontextprotocol/clientCapabilities';
export const META_CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
export const META_LOG_LEVEL = 'io.modelcontextprotocol/logLevel';
export const META_SERVER_INFO = 'io.modelcontextprotocol/serverInfo';
export const META_SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';

/** Error codes the modern revision allocated (schema.ts: -32020 upwards). */
export const modernErrorCodes = {
  headerMismatch: -32020,
  missingRequiredClientCapability: -32021,
  unsupportedProtocolVersion: -32022,
} as const;

/** Resource not found: -32002 up to 2025-11-25, -32602 (invalid params) since 2026-07-28. Both are accepted. */
export const resourceNotFoundCodes: readonly number[] = [-32002, -32602];

/** The methods whose result may be `input_required` (basic/patterns/mrtr, "Supported Requests"). */
export const inputRequiredMethods: ReadonlySet<string> = new Set(['tools/call', 'prompts/get', 'resources/read']);

/** What `server/discover` said, checked. */
export interface DiscoverOutcome {
  readonly supportedVersions: readonly string[];
  readonly capabilities: Record<string, unknown>;
  readonly serverInfo: { readonly name: string; readonly version: string };
  readonly instructions?: string;
}

/** A `server/discover` result, or undefined when it is not one (then the answer does not prove a modern server). */
export function parseDiscoverResult(raw: unknown): DiscoverOutcome | undefined {
  if (!isObject(raw) || !Array.isArray(raw.supportedVersions)) return undefined;
  const versions = raw.supportedVersions.filter((v): v is string => typeof v === 'string').slice(0, 32);
  const caps = isObject(raw.capabilities) ? raw.capabilities : {};
  const meta = isObject(raw._meta) ? raw._meta : {};
  const info = isObject(meta[META_SERVER_INFO]) ? meta[META_SERVER_INFO] : {};
  return {
    supportedVersions: versions,
    capabilities: caps,
    serverInfo: {
      name: typeof info.name === 'string' ? info.name : 'unknown',
      version: typeof info.version === 'string' ? info.version : '',
    },
    ...(typeof raw.instructions === 'string' ? { instructions: raw.instructions } : {}),
  };
}

/** The version to speak with a server that supports `supported`: our most preferred one it lists, if any. */
export function pickModernVersion(supported: readonly string[]): string | undefined {
  return modernProtocolVersions.find((v) => supported.includes(v));
}

/**
 * A JSON-RPC error that only a modern server sends: -32022 with `data.supported` (a list). Per the stdio binding this
 * (or a DiscoverResult) identifies a modern server; any other error means legacy. Never decided on the code alone.
 */
export function modernVersionError(code: number, data: unknown): { readonly supported: readonly string[] } | undefined {
  if (code !== modernErrorCodes.unsupportedProtocolVersion || !isObject(data) || !Array.isArray(data.supported)) return undefined;
  return { supported: data.supported.filter((v): v is string => typeof v === 'string').slice(0, 32) };
}

/** Caching hints of a cacheable result (server/utilities/caching): absent or negative `ttlMs` counts as 0. */
export interface CacheHint {
  readonly ttlMs: number;
  readonly cacheScope: 'public' | 'private';
}

export function cacheHintOf(result: Record<string, unknown>): CacheHint | undefined {
  const ttl = result.ttlMs;
  const scope = result.cacheScope;
  if (ttl === undefined && scope === undefined) return undefined;
  return {
    ttlMs: typeof ttl === 'number' && Number.isFinite(ttl) && ttl > 0 ? ttl : 0,
    // Anything but an explicit "public" is treated as private (the safer reading).
    cacheScope: scope === 'public' ? 'public' : 'private',
  };
}

/** One entry of an `inputRequests` map: what the server asks the client for before it can complete a request. */
export interface InputRequest {
  readonly key: string;
  readonly method: string;
  readonly params: Record<string, unknown>;
}

/** At most this many input requests per round are answered (the map is server-controlled). */
export const MAX_INPUT_REQUESTS = 32;

/** An `input_required` result, checked: its input requests and the exact `requestState` to echo. */
export interface InputRequired {
  readonly inputs: readonly InputRequest[];
  readonly requestState?: string;
  /** Why the result is unusable (a broken server), if it is. */
  readonly problem?: string;
}

export function parseInputRequired(result: Record<string, unknown>): InputRequired {
  const raw = result.inputRequests;
  const state = typeof result.requestState === 'string' ? result.requestState : undefined;
  const inputs: InputRequest[] = [];
  if (raw !== undefined && !isObject(raw)) return { inputs, problem: 'inputRequests is not an object' };
  const entries = raw ? Object.entries(raw) : [];
  if (entries.length > MAX_INPUT_REQUESTS) return { inputs, problem: `${entries.length} input requests (at most ${MAX_INPUT_REQUESTS} are answered)` };
  for (const [key, entry] of entries) {
    if (!isObject(entry) || typeof entry.method !== 'string') return { inputs, problem: `input request "${key.slice(0, 60)}" has no method` };
    inputs.push({ key, method: entry.method, params: isObject(entry.params) ? entry.params : {} });
  }
  if (!inputs.length && state === undefined) return { inputs, problem: 'neither inputRequests nor requestState' };
  return { inputs, ...(state !== undefined ? { requestState: state } : {}) };
}
