/**
 * The only module that imports `@modelcontextprotocol/sdk` (a later move to the v2 packages is one file).
 * Everything else imports protocol types and the client from here.
 *
 * We use the SDK's `Client` for the JSON-RPC engine (ids, responses, cancellation, initialize) but not its
 * convenience methods: `listTools` / `callTool` reject a whole page or result because of one invalid item and
 * throw on structured content that does not match an output schema. Here every answer is parsed leniently
 * (`ResultSchema`) and then checked item by item, so a misbehaving server yields warnings, not failures.
 * Progress is routed here too (our own tokens), which fixes the SDK dropping a final progress notification
 * that arrives together with the response.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolResultSchema,
  CompleteResultSchema,
  ContentBlockSchema,
  ErrorCode,
  GetPromptResultSchema,
  LATEST_PROTOCOL_VERSION,
  ListRootsRequestSchema,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  PromptSchema,
  ProgressNotificationSchema,
  RELATED_TASK_META_KEY,
  ReadResourceResultSchema,
  ResourceListChangedNotificationSchema,
  ResourceSchema,
  ResourceTemplateSchema,
  ResultSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  ToolListChangedNotificationSchema,
  ToolSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type {
  CallToolResult,
  ClientRequest,
  CompleteResult,
  GetPromptResult,
  Implementation,
  JSONRPCMessage,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
  Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { JsonRpcMessage, MessageTransport } from '../transport/types';
import { UnsupportedProtocolVersionError, cleanRpcMessage } from './errors';

export type {
  Tool,
  ToolAnnotations,
  Resource,
  ResourceTemplate,
  Prompt,
  CallToolResult,
  ReadResourceResult,
  GetPromptResult,
  PromptMessage,
  ContentBlock,
  ResourceContents,
  CompleteResult,
  Implementation,
  ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';

/** The protocol version we offer in `initialize`. */
export const latestProtocolVersion: string = LATEST_PROTOCOL_VERSION;
/** Every protocol version the client accepts from a server. */
export const supportedProtocolVersions: readonly string[] = SUPPORTED_PROTOCOL_VERSIONS;

export type ListChangedKind = 'tools' | 'resources' | 'prompts';

export interface ProgressParams {
  readonly progress: number;
  readonly total?: number;
  readonly message?: string;
}

export interface SdkSessionOptions {
  readonly clientInfo: { readonly name: string; readonly version: string };
  /** Answers `roots/list`. */
  readonly listRoots: () => readonly { readonly uri: string; readonly name: string }[];
  readonly onListChanged: (kind: ListChangedKind) => void;
  /** Every `notifications/progress`, with the token as the server sent it. */
  readonly onProgress: (token: string | number, params: ProgressParams) => void;
  /** `notifications/message` (server log). */
  readonly onLogMessage: (level: string, text: string) => void;
  /** Protocol-level problems: unknown ids, unparseable notifications, ... (logged, not fatal). */
  readonly onError: (error: Error) => void;
  /** Any message arrived from the server (before it is handled): stdout is flowing. */
  readonly onIncoming?: () => void;
}

export interface InitializeOutcome {
  readonly serverInfo: Implementation;
  readonly protocolVersion: string;
  readonly instructions?: string;
  readonly capabilities: ServerCapabilities;
}

export interface RawRequestOptions {
  /** An AbortSignal, or a RequestCanceller (cheaper: no AbortController per request). */
  readonly signal?: AbortSignal | RequestCanceller;
  /** The SDK's own timeout; callers keep their own timers and pass a larger value here. */
  readonly timeout?: number;
}

/**
 * Cancels one SDK request: aborting it makes the SDK send `notifications/cancelled` and reject the request.
 * A stand-in for an AbortController, which costs several microseconds per request in Node 20 (EventTarget set-up,
 * listener bookkeeping); the SDK's `Protocol.request` (1.32) only reads `aborted` and `reason`, calls
 * `throwIfAborted()` and adds one 'abort' listener, which is all this implements.
 */
export class RequestCanceller {
  aborted = false;
  reason: unknown = undefined;
  private listener: (() => void) | undefined;

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  addEventListener(type: string, listener: () => void): void {
    if (type !== 'abort') return;
    const prev = this.listener;
    this.listener = prev
      ? () => {
          prev();
          listener();
        }
      : listener;
  }

  removeEventListener(): void {
    // The SDK never removes its listener; aborting runs the listener at most once anyway.
  }

  /** Aborts once; later calls do nothing. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const l = this.listener;
    this.listener = undefined;
    l?.();
  }
}

/** One connection: a fresh SDK `Client` (a Client cannot be connected twice). */
export interface SdkSession {
  /** Starts the transport and runs `initialize`. Rejects with UnsupportedProtocolVersionError, RpcError, ... */
  connect(transport: MessageTransport, options: RawRequestOptions): Promise<InitializeOutcome>;
  /** A request whose result is returned unvalidated (a JSON object); JSON-RPC errors reject as RpcError. */
  request(method: string, params: Record<string, unknown> | undefined, options: RawRequestOptions): Promise<Record<string, unknown>>;
  /**
   * `request` for the per-call hot path: the outcome goes to a callback (one promise less per call). `onError`
   * gets the same errors `request` rejects with.
   */
  send(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RawRequestOptions,
    onResult: (result: Record<string, unknown>) => void,
    onError: (error: unknown) => void,
  ): void;
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  /** Closes the transport once (further calls return the same promise), also when connect never ran. */
  close(transport: MessageTransport): Promise<void>;
}

/** A JSON-RPC error answer (or an SDK-level failure mapped to a code), with the SDK's prefixes removed. */
export class RpcError extends Error {
  override readonly name = 'RpcError';
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }
}

/** JSON-RPC code the SDK uses for a closed connection. */
export const connectionClosedCode: number = ErrorCode.ConnectionClosed;
export const requestTimeoutCode: number = ErrorCode.RequestTimeout;

function toRpcError(e: unknown): unknown {
  if (e instanceof McpError) return new RpcError(e.code, cleanRpcMessage(e.message), e.data);
  return e;
}

function rethrowRpcError(e: unknown): never {
  throw toRpcError(e);
}

/**
 * `ResultSchema` without the per-answer zod pass in the common case: an object whose `_meta` is absent or an
 * object without the two fields ResultSchema types is returned as is (ResultSchema is a loose object: it would
 * return the same fields). Anything else goes through ResultSchema, so failures read exactly as before.
 * The SDK calls `safeParse` on a schema without `_zod` (its Zod 3 path).
 */
const lenientResultSchema = {
  safeParse(v: unknown): ReturnType<typeof ResultSchema.safeParse> {
    if (isObject(v)) {
      const meta = v._meta;
      if (meta === undefined || (isObject(meta) && meta.progressToken === undefined && meta[RELATED_TASK_META_KEY] === undefined)) {
        return { success: true, data: v } as ReturnType<typeof ResultSchema.safeParse>;
      }
    }
    return ResultSchema.safeParse(v);
  },
} as unknown as typeof ResultSchema;

/** Adapts our MessageTransport to the SDK's Transport, observing the negotiated protocol version. */
class TransportAdapter implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  protocolVersion: string | undefined;
  /** protocolVersion of the initialize answer, even when the SDK rejects it. */
  offeredProtocolVersion: string | undefined;
  private closing: Promise<void> | undefined;

  constructor(
    private readonly inner: MessageTransport,
    private readonly onIncoming: (() => void) | undefined,
  ) {}

  start(): Promise<void> {
    this.inner.onmessage = (m: JsonRpcMessage) => {
      this.onIncoming?.();
      if (this.offeredProtocolVersion === undefined && 'result' in m && m.id === 0) {
        const r = m.result as Record<string, unknown> | undefined;
        if (r && typeof r.protocolVersion === 'string') this.offeredProtocolVersion = r.protocolVersion;
      }
      if ('result' in m && 'id' in m && !('method' in m) && (typeof m.result !== 'object' || m.result === null || Array.isArray(m.result))) {
        // The SDK would drop it as an unknown message and the request would wait for its timeout.
        this.onmessage?.({
          jsonrpc: '2.0',
          id: m.id as string | number,
          error: { code: ErrorCode.InternalError, message: 'the result is not a JSON object', data: { invalidAnswer: true } },
        });
        return;
      }
      this.onmessage?.(m as JSONRPCMessage);
    };
    this.inner.onerror = (e) => this.onerror?.(e);
    this.inner.onclose = () => this.onclose?.();
    return this.inner.start();
  }

  send(message: JSONRPCMessage): Promise<void> {
    return this.inner.send(message as unknown as JsonRpcMessage);
  }

  close(): Promise<void> {
    this.closing ??= this.inner.close();
    return this.closing;
  }

  setProtocolVersion(version: string): void {
    this.protocolVersion = version;
    // HTTP transports send it as MCP-Protocol-Version on every later request.
    this.inner.setProtocolVersion?.(version);
  }
}

export function createSdkSession(options: SdkSessionOptions): SdkSession {
  const client = new Client(
    { name: options.clientInfo.name, version: options.clientInfo.version },
    { capabilities: { roots: { listChanged: true } } },
  );
  client.onerror = (e) => options.onError(e);
  client.setRequestHandler(ListRootsRequestSchema, () => ({
    roots: options.listRoots().map((r) => ({ uri: r.uri, name: r.name })),
  }));
  // Replaces the Protocol's own progress routing (numeric ids only): we use our own tokens.
  client.setNotificationHandler(ProgressNotificationSchema, (n) => {
    const { progressToken, progress, total, message } = n.params;
    options.onProgress(progressToken, { progress, total, message });
  });
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => options.onListChanged('tools'));
  client.setNotificationHandler(ResourceListChangedNotificationSchema, () => options.onListChanged('resources'));
  client.setNotificationHandler(PromptListChangedNotificationSchema, () => options.onListChanged('prompts'));
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    const { level, logger, data } = n.params;
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    options.onLogMessage(level, logger ? `${logger}: ${text}` : text);
  });

  let adapter: TransportAdapter | undefined;
  return {
    async connect(transport, opts) {
      adapter = new TransportAdapter(transport, options.onIncoming);
      try {
        await client.connect(adapter, { signal: opts.signal as AbortSignal | undefined, timeout: opts.timeout });
      } catch (e) {
        // The SDK rejects an initialize answer with a version it does not speak (a plain Error): known from the answer.
        const offered = adapter.offeredProtocolVersion;
        if (offered !== undefined && !SUPPORTED_PROTOCOL_VERSIONS.includes(offered)) throw new UnsupportedProtocolVersionError(offered, SUPPORTED_PROTOCOL_VERSIONS);
        throw toRpcError(e);
      }
      return {
        serverInfo: client.getServerVersion() ?? { name: 'unknown', version: '' },
        protocolVersion: adapter.protocolVersion ?? adapter.offeredProtocolVersion ?? LATEST_PROTOCOL_VERSION,
        instructions: client.getInstructions(),
        capabilities: client.getServerCapabilities() ?? {},
      };
    },
    request(method, params, opts) {
      const req = (params === undefined ? { method } : { method, params }) as ClientRequest;
      // RequestCanceller implements what Protocol.request uses of an AbortSignal (see there).
      return client
        .request(req, lenientResultSchema, opts as { signal?: AbortSignal; timeout?: number })
        .then(undefined, rethrowRpcError) as Promise<Record<string, unknown>>;
    },
    send(method, params, opts, onResult, onError) {
      const req = (params === undefined ? { method } : { method, params }) as ClientRequest;
      client.request(req, lenientResultSchema, opts as { signal?: AbortSignal; timeout?: number }).then(
        onResult as (r: unknown) => void,
        (e: unknown) => onError(toRpcError(e)),
      );
    },
    async notify(method, params) {
      await client.notification((params === undefined ? { method } : { method, params }) as never);
    },
    close(transport) {
      adapter ??= new TransportAdapter(transport, options.onIncoming);
      return adapter.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Lenient validation of what servers send.

type Checked<T> = { readonly value: T; readonly problems: readonly string[] } | { readonly error: string };
const noProblems: readonly string[] = [];

function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const annotationHints: readonly string[] = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'];
const taskSupportValues: readonly string[] = ['required', 'optional', 'forbidden'];

/** An object schema as ToolSchema requires one: `type: 'object'`, properties are objects, required is strings. */
function isObjectSchema(v: unknown): v is Record<string, unknown> {
  if (!isObject(v) || v.type !== 'object') return false;
  const { properties, required } = v;
  if (properties !== undefined) {
    if (!isObject(properties)) return false;
    for (const k in properties) {
      const p = properties[k];
      if (typeof p !== 'object' || p === null) return false;
    }
  }
  if (required !== undefined) {
    if (!Array.isArray(required)) return false;
    for (const r of required) if (typeof r !== 'string') return false;
  }
  return true;
}

/**
 * ToolSchema.parse for the common shapes, without zod (10,000 tools: ~40 ms with zod, a few ms here): the same
 * fields (unknown top-level fields dropped), or undefined for anything less plain (icons, unusual annotations or
 * execution, any invalid field), which then goes through zod as before. The object is the one JSON.parse made for
 * this message and nothing else holds it, so a plain tool is returned as it is (no copy per tool); only one with
 * unknown fields is copied without them.
 */
function fastTool(raw: unknown): Tool | undefined {
  if (!isObject(raw) || typeof raw.name !== 'string' || !isObjectSchema(raw.inputSchema)) return undefined;
  let unknownFields = false;
  for (const k in raw) {
    const v = raw[k];
    switch (k) {
      case 'name':
      case 'inputSchema':
        break;
      case 'title':
      case 'description':
        if (typeof v !== 'string') return undefined;
        break;
      case 'outputSchema':
        if (!isObjectSchema(v)) return undefined;
        break;
      case 'annotations': {
        if (!isObject(v)) return undefined;
        for (const a in v) {
          const av = v[a];
          if (a === 'title' ? typeof av !== 'string' : !annotationHints.includes(a) || typeof av !== 'boolean') return undefined;
        }
        break;
      }
      case '_meta':
        if (!isObject(v)) return undefined;
        break;
      case 'execution': {
        // The SDK's McpServer sends { taskSupport: 'forbidden' } with every tool.
        if (!isObject(v)) return undefined;
        for (const e in v) if (e !== 'taskSupport' || !taskSupportValues.includes(v[e] as string)) return undefined;
        break;
      }
      case 'icons':
        return undefined;
      default:
        unknownFields = true; // stripped below, as z.object does
    }
  }
  if (!unknownFields) return raw as unknown as Tool;
  const out: Record<string, unknown> = {};
  for (const k of knownToolFields) if (k in raw) out[k] = raw[k];
  return out as unknown as Tool;
}

const knownToolFields = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations', '_meta', 'execution'] as const;

/** A tool as listed: valid ones pass; an invalid input/output schema is replaced (and reported), no name drops it. */
export function checkTool(raw: unknown): Checked<Tool> {
  const fast = fastTool(raw);
  if (fast) return { value: fast, problems: noProblems };
  const ok = ToolSchema.safeParse(raw);
  if (ok.success) return { value: ok.data, problems: [] };
  if (!isObject(raw) || typeof raw.name !== 'string' || raw.name === '') return { error: `invalid tool entry: ${describeIssues(ok.error)}` };
  const problems: string[] = [];
  const fixed: Record<string, unknown> = { ...raw };
  const inputOk = isObject(raw.inputSchema) && raw.inputSchema.type === 'object';
  if (!inputOk) {
    problems.push(`has an invalid input schema (${JSON.stringify(raw.inputSchema)?.slice(0, 120) ?? 'missing'}); arguments are sent as entered`);
    fixed.inputSchema = { type: 'object' };
  }
  if (raw.outputSchema !== undefined && !(isObject(raw.outputSchema) && raw.outputSchema.type === 'object')) {
    problems.push('has an invalid output schema (ignored)');
    delete fixed.outputSchema;
  }
  const again = ToolSchema.safeParse(fixed);
  if (again.success) return { value: again.data, problems };
  // Keep what we can: name, description, the replaced schema.
  const minimal = ToolSchema.safeParse({
    name: raw.name,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    inputSchema: inputOk ? raw.inputSchema : { type: 'object' },
  });
  if (minimal.success) return { value: minimal.data, problems: [...problems, `has invalid fields (${describeIssues(again.error)}); they were dropped`] };
  return { error: `invalid tool entry "${raw.name}": ${describeIssues(ok.error)}` };
}

function checkWith<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, what: string) {
  return (raw: unknown): Checked<T> => {
    const r = schema.safeParse(raw);
    return r.success ? { value: r.data, problems: [] } : { error: `invalid ${what} entry: ${describeIssues(r.error)}` };
  };
}

export const checkResource: (raw: unknown) => Checked<Resource> = checkWith<Resource>(ResourceSchema, 'resource');
export const checkResourceTemplate: (raw: unknown) => Checked<ResourceTemplate> = checkWith<ResourceTemplate>(ResourceTemplateSchema, 'resource template');
export const checkPrompt: (raw: unknown) => Checked<Prompt> = checkWith<Prompt>(PromptSchema, 'prompt');

/** Result parsers: never throw on a server's mistakes when the result is still usable. */
export function toCallToolResult(raw: Record<string, unknown>): { value: CallToolResult; problems: string[] } {
  const ok = CallToolResultSchema.safeParse(raw);
  if (ok.success) return { value: ok.data, problems: [] };
  const problems: string[] = [];
  let content: unknown[] = [];
  if (Array.isArray(raw.content)) {
    content = raw.content.map((b) => {
      if (ContentBlockSchema.safeParse(b).success) return b;
      problems.push('an invalid content block was shown as JSON');
      return { type: 'text', text: JSON.stringify(b) ?? String(b) };
    });
  } else if ('toolResult' in raw) {
    // 2024-10-07 servers answer { toolResult }.
    content = [{ type: 'text', text: typeof raw.toolResult === 'string' ? raw.toolResult : JSON.stringify(raw.toolResult) }];
  } else if (raw.content !== undefined) {
    problems.push('the result content was not a list');
  }
  const value: Record<string, unknown> = { content };
  if (isObject(raw.structuredContent)) value.structuredContent = raw.structuredContent;
  else if (raw.structuredContent !== undefined) problems.push('structuredContent was not an object (ignored)');
  if (typeof raw.isError === 'boolean') value.isError = raw.isError;
  if (isObject(raw._meta)) value._meta = raw._meta;
  const again = CallToolResultSchema.safeParse(value);
  if (again.success) return { value: again.data, problems };
  return { value: { content: [{ type: 'text', text: JSON.stringify(raw) }] }, problems: [...problems, 'the result was shown as JSON'] };
}

export function toReadResourceResult(raw: Record<string, unknown>): ReadResourceResult {
  const ok = ReadResourceResultSchema.safeParse(raw);
  if (ok.success) return ok.data;
  // Keep the entries that are valid; the rest are reported by the caller through the count.
  const contents = Array.isArray(raw.contents) ? raw.contents : [];
  const valid = contents.filter((c) => ReadResourceResultSchema.safeParse({ contents: [c] }).success);
  if (valid.length === 0 && contents.length > 0) throw new RpcError(ErrorCode.InternalError, `invalid resources/read answer: ${describeIssues(ok.error)}`);
  return ReadResourceResultSchema.parse({ contents: valid });
}

export function toGetPromptResult(raw: Record<string, unknown>): GetPromptResult {
  const ok = GetPromptResultSchema.safeParse(raw);
  if (ok.success) return ok.data;
  throw new RpcError(ErrorCode.InternalError, `invalid prompts/get answer: ${describeIssues(ok.error)}`);
}

export function toCompleteResult(raw: Record<string, unknown>): CompleteResult {
  const ok = CompleteResultSchema.safeParse(raw);
  if (ok.success) return ok.data;
  throw new RpcError(ErrorCode.InternalError, `invalid completion/complete answer: ${describeIssues(ok.error)}`);
}
