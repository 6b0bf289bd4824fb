/**
 * Reads a `text/event-stream` body with eventsource-parser, bounded: an event that grows past `maxEventBytes`
 * stops the stream (the caller reports 'overLimit'), so a server cannot make MCP Host buffer without end.
 */
import type { EventSourceMessage } from 'eventsource-parser';

/** The parser package, loaded on the first event stream read, not at activation (it is in the lazy vendor bundle). */
let parserLib: typeof import('eventsource-parser') | undefined;

export interface SseReadOptions {
  readonly maxEventBytes: number;
  onEvent(event: EventSourceMessage): void;
  /** The server's `retry:` field (ms): how long to wait before reconnecting. */
  onRetry?(ms: number): void;
}

/** How a stream ended. */
export type SseEnd =
  | { readonly kind: 'ended' }
  | { readonly kind: 'overLimit'; readonly bytes: number }
  | { readonly kind: 'failed'; readonly error: unknown };

/** Reads events until the body ends, fails, or an event exceeds the limit (then the body is cancelled). */
export async function readSse(body: ReadableStream<Uint8Array> | null, options: SseReadOptions): Promise<SseEnd> {
  if (!body) return { kind: 'ended' };
  let pendingBytes = 0;
  let over = false;
  parserLib ??= await import('eventsource-parser');
  const parser = parserLib.createParser({
    onEvent: (e) => {
      // The count may include the start of the next event in the same chunk: measure this one exactly then.
      if (pendingBytes > options.maxEventBytes && Buffer.byteLength(e.data) > options.maxEventBytes) over = true;
      pendingBytes = 0;
      if (!over) options.onEvent(e);
    },
    onRetry: (ms) => options.onRetry?.(ms),
    maxBufferSize: options.maxEventBytes + 1024,
    onError: (e) => {
      if (e.type === 'max-buffer-size-exceeded') over = true;
    },
  });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      // Bytes since the last complete event (an event ending inside this chunk restarts the count, leaving the
      // rest of the chunk uncounted: the bound is off by at most one chunk).
      pendingBytes += value.byteLength;
      parser.feed(decoder.decode(value, { stream: true }));
      if (pendingBytes > options.maxEventBytes) over = true;
      if (over) {
        void reader.cancel().catch(() => undefined);
        return { kind: 'overLimit', bytes: pendingBytes };
      }
    }
    parser.feed(decoder.decode());
    return { kind: 'ended' };
  } catch (error) {
    return { kind: 'failed', error };
  } finally {
    reader.releaseLock?.();
  }
}

/** A JSON-RPC message from an event's data, or undefined (logged by the caller) when it is not one. */
export function parseMessage(data: string): Record<string, unknown> | undefined {
  if (!data.trim()) return undefined;
  try {
    const v: unknown = JSON.parse(data);
    return typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Record<string, unknown>).jsonrpc === '2.0' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
