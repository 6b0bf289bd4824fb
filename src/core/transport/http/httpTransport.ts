/**
 * `type: http`: Streamable HTTP, and the spec's backwards compatibility: when the POST of initialize gets a 4xx
 * other than 401/403 (an old server does not take POSTs there), the legacy HTTP+SSE transport is tried at the same
 * URL and initialize is sent again through it. Decided by the error's code, never its text.
 */
import { Emitter } from '../../base/events';
import { TransportError, type TransportErrorCode } from '../errors';
import type { ConnectionFacts, JsonRpcMessage, MessageTransport, ProcessExit, SendOptions } from '../types';
import { createSseTransport } from '../sse/sseTransport';
import { createStreamableHttpTransport } from './streamableHttp';
import type { HttpLaunchSpec } from './types';

/** Codes of an initialize POST that mean "no Streamable HTTP here": try HTTP+SSE. */
const FALLBACK_CODES: ReadonlySet<TransportErrorCode> = new Set(['notFound', 'httpStatus']);

export function createHttpTransport(spec: HttpLaunchSpec): MessageTransport {
  return spec.fallbackToSse === false ? createStreamableHttpTransport(spec) : new FallbackTransport(spec);
}

class FallbackTransport implements MessageTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  private readonly _onDidExit = new Emitter<ProcessExit>();
  readonly onDidExit = this._onDidExit.event;
  private current: MessageTransport;
  private fellBack = false;
  private closed = false;

  constructor(private readonly spec: HttpLaunchSpec) {
    this.current = this.wire(createStreamableHttpTransport(spec));
  }

  private wire(t: MessageTransport): MessageTransport {
    t.onmessage = (m) => this.onmessage?.(m);
    t.onerror = (e) => this.onerror?.(e);
    t.onclose = () => {
      if (this.current === t) this.onclose?.();
    };
    t.onDidExit((exit) => {
      if (this.current === t) this._onDidExit.fire(exit);
    });
    return t;
  }

  get pid(): number | undefined {
    return undefined;
  }

  stderrTail(): string {
    return '';
  }

  start(): Promise<void> {
    return this.current.start();
  }

  setProtocolVersion(version: string): void {
    this.current.setProtocolVersion?.(version);
  }

  connectionFacts(): ConnectionFacts | undefined {
    return this.current.connectionFacts?.();
  }

  /** Streamable HTTP sends header hints; after a fallback to HTTP+SSE (legacy era only) there are none to send. */
  get wantsHeaderHints(): boolean {
    return this.current.wantsHeaderHints === true;
  }

  get answersEveryRequest(): boolean {
    return this.current.answersEveryRequest === true;
  }

  async send(message: JsonRpcMessage, options?: SendOptions): Promise<void> {
    try {
      await this.current.send(message, options);
    } catch (e) {
      const code = e instanceof TransportError ? e.code : undefined;
      if (message.method !== 'initialize' || this.fellBack || this.closed || code === undefined || !FALLBACK_CODES.has(code)) throw e;
      this.fellBack = true;
      this.spec.logger.info(`${(e as Error).message}: trying the legacy HTTP+SSE transport`);
      const old = this.current;
      const sse = createSseTransport(this.spec);
      this.current = this.wire(sse);
      void old.close();
      try {
        await sse.start();
      } catch (sseError) {
        const both = `${(e as Error).message}; the legacy HTTP+SSE transport failed too: ${(sseError as Error).message}`;
        throw new TransportError(both, sseError instanceof TransportError ? sseError.code : code);
      }
      await sse.send(message);
    }
  }

  close(): Promise<void> {
    this.closed = true;
    return this.current.close();
  }
}
