/**
 * The SDK seam: the client adapter over the SDK (reached through ./sdkImports.ts, the one module that imports the
 * MCP SDK package) and, re-exported, the lenient validation of ./sdkResults.ts. Everything else imports
 * protocol types and the client from here, and SDK values through ./loadSdk.ts.
 *
 * We use the SDK's `Client` for the JSON-RPC engine (ids, responses, cancellation, initialize) but not its
 * convenience methods: `listTools` / `callTool` reject a whole page or result because of one invalid item and
 * throw on structured content that does not match an output schema. Here every answer is parsed leniently
 * (`ResultSchema`) and then checked item by item, so a misbehaving server yields warnings, not failures.
 * Progress is routed here too (our own tokens), which fixes the SDK dropping a final progress notification
 * that arrives together with the response.
 */
import {
  Client,
  ElicitationCompleteNotificationSchema,
  ErrorCode,
  LATEST_PROTOCOL_VERSION,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  ProgressNotificationSchema,
  RELATED_TASK_META_KEY,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  ResultSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  ToolListChangedNotificationSchema,
} from './sdkImports';
import type { ClientCapabilities, ClientRequest, Implementation, JSONRPCMessage, ServerCapabilities, Transport } from './sdkImports';
import type { JsonRpcMessage, MessageTransport } from '../transport/types';
import { RpcError, UnsupportedProtocolVersionError, cleanRpcMessage } from './errors';
import { isObject } from './sdkResults';

export { checkPrompt, checkResource, checkResourceTemplate, checkTool, toCallToolResult, toCompleteResult, toGetPromptResult, toReadResourceResult } from './sdkResults';

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
} from './sdkImports';

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
  /** Declared in `initialize`: exactly what `onServerRequest` answers (see session/asks). */
  readonly capabilities: Readonly<Record<string, unknown>>;
  /**
   * Answers every request the server sends (except `ping`): `roots/list`, `elicitation/create`,
   * `sampling/createMessage`, anything else. `signal` aborts when the server cancels its request or the connection
   * closes. A rejection with a numeric `code` (and optional `data`) is sent as that JSON-RPC error.
   */
  readonly onServerRequest: (method: string, params: Record<string, unknown> | undefined, signal: AbortSignal) => Promise<Record<string, unknown>>;
  /** `notifications/elicitation/complete` (URL mode). */
  readonly onElicitationComplete?: (elicitationId: string) => void;
  /** `notifications/resources/updated` (a subscribed resource changed). */
  readonly onResourceUpdated?: (uri: string) => void;
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

/**
 * The call a request belongs to (session/call.ts), for what the modern era asks within it: its `input_required`
 * rounds pause the call's idle timeout while the user is asked, and a question is withdrawn when the call ends.
 */
export interface RequestOwner {
  /** The user is being asked something for this request (`what`), or no longer (undefined). */
  awaitInput(what: string | undefined): void;
  /** Runs `f` once the request settled (at once if it has). */
  whenSettled(f: () => void): void;
}

export interface RawRequestOptions {
  /** An AbortSignal, or a RequestCanceller (cheaper: no AbortController per request). */
  readonly signal?: AbortSignal | RequestCanceller;
  /** The SDK's own timeout; callers keep their own timers and pass a larger value here. */
  readonly timeout?: number;
  /** Modern era: `params._meta` already carries the per-request envelope (the session does not copy it again). */
  readonly stamped?: boolean;
  /** Modern era: the call that owns the request's input rounds (the SDK session ignores it). */
  readonly owner?: RequestOwner;
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
  /**
   * Starts the transport and runs `initialize`. Rejects with UnsupportedProtocolVersionError, RpcError, ...
   * `started`: the transport was started already (the era probe ran on it); `ignoreIds`: answers to the probe that
   * may still arrive are dropped instead of being reported as unknown.
   */
  connect(transport: MessageTransport, options: RawRequestOptions & { readonly started?: boolean; readonly ignoreIds?: readonly string[] }): Promise<InitializeOutcome>;
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

export { RpcError } from './errors';

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
    private readonly started = false,
    private readonly ignoreIds: readonly string[] = [],
  ) {}

  start(): Promise<void> {
    this.inner.onmessage = (m: JsonRpcMessage) => {
      this.onIncoming?.();
      if (this.ignoreIds.length && typeof m.id === 'string' && this.ignoreIds.includes(m.id) && !('method' in m)) return;
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
    return this.started ? Promise.resolve() : this.inner.start();
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
    { capabilities: options.capabilities as ClientCapabilities },
  );
  client.onerror = (e) => options.onError(e);
  // The fallback, not setRequestHandler: the SDK's own elicitation/sampling wrappers reject a request with a zod
  // dump before we see it; our handlers validate themselves and answer with a clear -32602.
  client.fallbackRequestHandler = (request, extra) =>
    options.onServerRequest(request.method, request.params as Record<string, unknown> | undefined, extra.signal) as ReturnType<
      NonNullable<typeof client.fallbackRequestHandler>
    >;
  client.setNotificationHandler(ElicitationCompleteNotificationSchema, (n) => options.onElicitationComplete?.(n.params.elicitationId));
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => options.onResourceUpdated?.(n.params.uri));
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
      adapter = new TransportAdapter(transport, options.onIncoming, opts.started, opts.ignoreIds);
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
