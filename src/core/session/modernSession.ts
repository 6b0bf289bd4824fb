/**
 * The modern-era (2026-07-28) request path: JSON-RPC straight over the MessageTransport, no SDK. The v1 SDK's
 * Client cannot send a request without `initialize`, and the modern era has none; speaking the few modern rules here
 * (the `_meta` envelope, `input_required` retries, subscription ids) is smaller than bending the SDK, and it leaves
 * the per-call path without the SDK's schema checks and promise layers.
 *
 * It offers the same send/request/notify/close surface as the SDK session (../protocol/sdk.ts), so McpConnection's
 * calls, deadlines, progress and cancellation work unchanged for both eras.
 */
import { RpcError, ServerRequestError, cleanRpcMessage, errorMessage } from '../protocol/errors';
import { modernHeaderHints } from '../protocol/headerHints';
import {
  META_CLIENT_CAPABILITIES,
  META_CLIENT_INFO,
  META_LOG_LEVEL,
  META_PROTOCOL_VERSION,
  inputRequiredMethods,
  parseInputRequired,
} from '../protocol/modern';
import type { ListChangedKind, ProgressParams, RawRequestOptions, RequestOwner } from '../protocol/sdk';
import type { JsonRpcMessage, MessageTransport } from '../transport/types';
import type { InputAnswerer } from './inputAnswers';
import { Subscriptions, type SubscriptionFilter } from './subscriptions';
import { TASKS_EXTENSION, TaskPoller } from './tasks';

/** Rounds of `input_required` answered per request before giving up (a server that asks forever). */
export const MAX_INPUT_ROUNDS = 8;

export interface ModernSessionOptions {
  readonly clientInfo: { readonly name: string; readonly version: string };
  /** The negotiated modern protocol version. */
  readonly version: string;
  readonly answerer: InputAnswerer;
  /** `io.modelcontextprotocol/logLevel` for every request, read per request (unset: the server sends no log messages). */
  readonly logLevel?: () => string | undefined;
  /** The input schema of a tool by name (x-mcp-header parameters), for transports that send headers. */
  readonly toolSchema?: (name: string) => unknown;
  /** JSON-RPC code of a closed connection (the SDK's, so callers recognise both eras alike). */
  readonly closedCode: number;
  readonly onProgress: (token: string | number, params: ProgressParams) => void;
  readonly onListChanged: (kind: ListChangedKind) => void;
  readonly onResourceUpdated: (uri: string) => void;
  readonly onLogMessage: (level: string, text: string) => void;
  readonly onError: (error: Error) => void;
  readonly onIncoming?: () => void;
  readonly debug: (message: string) => void;
}

type Signal = NonNullable<RawRequestOptions['signal']>;

/** One logical request: its id changes with every `input_required` retry. */
interface Pending {
  id: number;
  readonly method: string;
  params: Record<string, unknown> | undefined;
  readonly onResult: (r: Record<string, unknown>) => void;
  readonly onError: (e: unknown) => void;
  readonly signal: Signal | undefined;
  /** The call whose input rounds these are (pauses its idle timeout while the user is asked). */
  readonly owner: RequestOwner | undefined;
  rounds: number;
  done: boolean;
  /** Set once a tools/call became a task (tasks extension). */
  task?: TaskPoller;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The client capabilities of every modern request: what the answerer can answer, and the tasks extension (declared
 * always: the server decides per request whether a call becomes a task).
 */
export function modernClientCapabilities(answerer: InputAnswerer): Record<string, unknown> {
  return { ...answerer.capabilities, extensions: { [TASKS_EXTENSION]: {} } };
}

export class ModernSession {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Calls that became tasks: answered, but not done until their task ends. */
  private readonly tasks = new Set<Pending>();
  /** The per-request `_meta` fields: the same object for every request until the log level changes. */
  private _envelope: Readonly<Record<string, unknown>> | undefined;
  private envelopeLevel: string | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;
  readonly subscriptions: Subscriptions;

  constructor(
    private readonly transport: MessageTransport,
    private readonly options: ModernSessionOptions,
  ) {
    this.subscriptions = new Subscriptions({
      send: (id, params) => this.write(id, 'subscriptions/listen', params),
      cancel: (id) => void this.notify('notifications/cancelled', { requestId: id, reason: 'no longer needed' }).catch(() => undefined),
      newId: () => this.nextId++,
      onListChanged: options.onListChanged,
      onResourceUpdated: options.onResourceUpdated,
      debug: options.debug,
    });
    transport.onmessage = (m) => this.onMessage(m);
    transport.onerror = (e) => options.onError(e);
    transport.onclose = () => this.onClosed();
  }

  /** The `_meta` fields of every request (version, capabilities, client info, and the log level when one is set). */
  get envelope(): Readonly<Record<string, unknown>> {
    const level = this.options.logLevel?.();
    if (this._envelope && level === this.envelopeLevel) return this._envelope;
    this.envelopeLevel = level;
    this._envelope = {
      [META_PROTOCOL_VERSION]: this.options.version,
      [META_CLIENT_CAPABILITIES]: modernClientCapabilities(this.options.answerer),
      [META_CLIENT_INFO]: { name: this.options.clientInfo.name, version: this.options.clientInfo.version },
      ...(level ? { [META_LOG_LEVEL]: level } : {}),
    };
    return this._envelope;
  }

  /** Opens a `subscriptions/listen` stream; `acknowledged` settles with the acknowledgement (see ./subscriptions.ts). */
  listen(filter: SubscriptionFilter, timeoutMs: number): { readonly id: number; readonly acknowledged: Promise<SubscriptionFilter> } {
    return this.subscriptions.open(filter, timeoutMs);
  }

  send(
    method: string,
    params: Record<string, unknown> | undefined,
    opts: RawRequestOptions,
    onResult: (result: Record<string, unknown>) => void,
    onError: (error: unknown) => void,
  ): void {
    if (this.closed) {
      onError(new RpcError(this.options.closedCode, 'Connection closed'));
      return;
    }
    const p: Pending = { id: this.nextId++, method, params, onResult, onError, signal: opts.signal, owner: opts.owner, rounds: 0, done: false };
    const signal = opts.signal;
    if (signal) {
      if (signal.aborted) {
        onError(signal.reason);
        return;
      }
      signal.addEventListener('abort', () => this.cancel(p, signal.reason));
    }
    this.pending.set(p.id, p);
    this.write(p.id, method, params, p, opts.stamped);
  }

  request(method: string, params: Record<string, unknown> | undefined, opts: RawRequestOptions): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => this.send(method, params, opts, resolve, reject));
  }

  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    if (this.closed) return;
    await this.transport.send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  close(): Promise<void> {
    this.closing ??= this.transport.close();
    return this.closing;
  }

  /** Sends one request with the `_meta` envelope (and header hints for a transport that sends headers). */
  private write(id: number, method: string, params: Record<string, unknown> | undefined, p?: Pending, stamped = false): void {
    let full = params;
    if (!stamped) {
      const meta = params?._meta;
      const envelope = this.envelope;
      full = { ...params, _meta: isObject(meta) ? { ...meta, ...envelope } : envelope };
    }
    const message: JsonRpcMessage = { jsonrpc: '2.0', id, method, params: full };
    const sent = this.transport.wantsHeaderHints
      ? this.transport.send(message, {
          headers: modernHeaderHints(method, params, this.options.version, method === 'tools/call' && typeof params?.name === 'string' ? this.options.toolSchema?.(params.name) : undefined),
        })
      : this.transport.send(message);
    sent.catch((e: unknown) => {
      if (p && !p.done) this.settle(p, undefined, this.closed ? new RpcError(this.options.closedCode, 'Connection closed') : e);
    });
  }

  private settle(p: Pending, result: Record<string, unknown> | undefined, error: unknown): void {
    if (p.done) return;
    p.done = true;
    this.pending.delete(p.id);
    this.tasks.delete(p);
    if (result) p.onResult(result);
    else p.onError(error);
  }

  private cancel(p: Pending, reason: unknown): void {
    if (p.done) return;
    // A task is cancelled with tasks/cancel, never notifications/cancelled (SEP-2663).
    p.task?.cancel();
    // Only an id still in flight is cancelled at the server (not one whose input_required answer is being prepared).
    if (this.pending.get(p.id) === p) void this.notify('notifications/cancelled', { requestId: p.id, reason: errorMessage(reason) }).catch(() => undefined);
    p.done = true;
    this.pending.delete(p.id);
    this.tasks.delete(p);
    // Whoever aborted fails the call with its own error right after this returns (as the SDK rejects a tick later).
    queueMicrotask(() => p.onError(reason));
  }

  private onMessage(m: JsonRpcMessage): void {
    this.options.onIncoming?.();
    const method = m.method;
    if (typeof method === 'string') {
      if ('id' in m) {
        // Modern servers never send requests (basic/transports/stdio), and clients must not write responses.
        this.options.onError(new Error(`the server sent a request (${method.slice(0, 80)}), which the 2026-07-28 protocol does not allow; ignored`));
        return;
      }
      this.onNotification(method, isObject(m.params) ? m.params : {});
      return;
    }
    const id = m.id;
    if (typeof id !== 'number') {
      if (this.subscriptions.onResponse(id, m)) return;
      this.options.onError(new Error(`a response with an unknown id (${JSON.stringify(id)?.slice(0, 40)})`));
      return;
    }
    const p = this.pending.get(id);
    if (!p) {
      if (this.subscriptions.onResponse(id, m)) return;
      this.options.onError(new Error(`a response with an unknown id (${id})`));
      return;
    }
    if ('error' in m) {
      const e = isObject(m.error) ? m.error : {};
      const code = typeof e.code === 'number' ? e.code : -32603;
      this.settle(p, undefined, new RpcError(code, cleanRpcMessage(typeof e.message === 'string' ? e.message : ''), e.data));
      return;
    }
    const result = m.result;
    if (!isObject(result)) {
      this.settle(p, undefined, new RpcError(-32603, 'the result is not a JSON object', { invalidAnswer: true }));
      return;
    }
    const type = result.resultType;
    if (type === undefined || type === 'complete') this.settle(p, result, undefined);
    else if (type === 'input_required' && inputRequiredMethods.has(p.method)) {
      this.pending.delete(p.id);
      void this.continueWithInputs(p, result);
    } else if (type === 'task' && p.method === 'tools/call' && typeof result.taskId === 'string') {
      this.pending.delete(p.id);
      this.startTask(p, result.taskId, result);
    } else {
      const what = typeof type === 'string' ? `"${type.slice(0, 40)}"` : 'not a string';
      this.settle(p, undefined, new RpcError(-32603, `resultType ${what} is not one MCP Host understands for ${p.method}`, { invalidAnswer: true }));
    }
  }

  /**
   * An `input_required` result: answer its input requests, then retry with a new id, the answers and the exact
   * `requestState` (basic/patterns/mrtr, client requirements). Bounded by MAX_INPUT_ROUNDS.
   */
  private async continueWithInputs(p: Pending, result: Record<string, unknown>): Promise<void> {
    const asked = parseInputRequired(result);
    if (asked.problem) {
      this.settle(p, undefined, new RpcError(-32603, `an invalid input_required answer: ${asked.problem}`, { invalidAnswer: true }));
      return;
    }
    if (++p.rounds > MAX_INPUT_ROUNDS) {
      this.settle(
        p,
        undefined,
        new ServerRequestError(`the server kept asking for more input (${MAX_INPUT_ROUNDS} rounds) without completing ${p.method}`, 'rpc', {
          reason: 'tooManyInputRounds',
        }),
      );
      return;
    }
    const answers: Record<string, unknown> = {};
    try {
      for (const input of asked.inputs) {
        this.options.debug(`${p.method}: the server asks for ${input.method} ("${input.key.slice(0, 60)}")`);
        answers[input.key] = await this.options.answerer.answer(input, p.owner);
        if (p.done) return;
      }
    } catch (e) {
      this.settle(p, undefined, e);
      return;
    }
    if (p.done) return;
    if (this.closed) {
      this.settle(p, undefined, new RpcError(this.options.closedCode, 'Connection closed'));
      return;
    }
    const { inputResponses: _r, requestState: _s, ...base } = p.params ?? {};
    p.params = {
      ...base,
      ...(asked.inputs.length ? { inputResponses: answers } : {}),
      ...(asked.requestState !== undefined ? { requestState: asked.requestState } : {}),
    };
    p.id = this.nextId++;
    this.pending.set(p.id, p);
    this.write(p.id, p.method, p.params, p);
  }

  /** A tools/call that became a task: poll it to its end (./tasks.ts); progress goes to the call's token. */
  private startTask(p: Pending, taskId: string, created: Record<string, unknown>): void {
    const meta = p.params?._meta;
    const token = isObject(meta) && (typeof meta.progressToken === 'string' || typeof meta.progressToken === 'number') ? meta.progressToken : undefined;
    this.tasks.add(p);
    p.task = new TaskPoller(taskId, {
      request: (method, params) => this.request(method, params, {}),
      answer: (input) => this.options.answerer.answer(input, p.owner),
      progress: (progress) => {
        if (token !== undefined) this.options.onProgress(token, progress);
      },
      settle: (r, e) => this.settle(p, r, e),
      debug: this.options.debug,
    });
    p.task.start(created);
  }

  private onNotification(method: string, params: Record<string, unknown>): void {
    if (method === 'notifications/progress') {
      const token = params.progressToken;
      if ((typeof token === 'string' || typeof token === 'number') && typeof params.progress === 'number') {
        this.options.onProgress(token, {
          progress: params.progress,
          ...(typeof params.total === 'number' ? { total: params.total } : {}),
          ...(typeof params.message === 'string' ? { message: params.message } : {}),
        });
      }
      return;
    }
    if (method === 'notifications/message') {
      const data = params.data;
      const text = typeof data === 'string' ? data : JSON.stringify(data) ?? '';
      const logger = typeof params.logger === 'string' ? `${params.logger}: ` : '';
      this.options.onLogMessage(typeof params.level === 'string' ? params.level : 'info', logger + text);
      return;
    }
    if (method === 'notifications/cancelled') return;
    this.subscriptions.onNotification(method, params);
  }

  private onClosed(): void {
    if (this.closed) return;
    this.closed = true;
    const err = new RpcError(this.options.closedCode, 'Connection closed');
    for (const p of [...this.pending.values(), ...this.tasks]) {
      p.task?.cancel();
      this.settle(p, undefined, err);
    }
    this.subscriptions.closeAll(err);
  }
}
