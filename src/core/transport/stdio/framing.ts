/**
 * Framing of a stdio server's stdout: newline-delimited JSON-RPC, lines that are not JSON-RPC logged and skipped
 * (servers must log to stderr), and messages over the limit reported at once (TransportError 'overLimit') and,
 * when their response id can be recovered, answered with an error so that one request fails fast.
 */
import type { JsonRpcMessage } from '../types';
import { TRANSPORT_REASON_KEY, TransportError } from '../errors';
import { LineDecoder, type OversizedLine } from './lineDecoder';

/** Longest excerpt of a message written to the log (traffic at trace, junk at warn). */
const LOG_EXCERPT = 2048;
/** After this many ignored stdout lines, only every 1000th is logged. */
const JUNK_LOG_LIMIT = 200;

/** What the framing reports to its transport. */
export interface FramingSink {
  readonly maxMessageBytes: number;
  /** A message, in order. */
  deliver(message: JsonRpcMessage): void;
  error(err: unknown): void;
  /** Log lines (already meant for people; the transport redacts). */
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  /** Traffic at trace level. */
  trace(text: string): void;
}

export function excerpt(text: string): string {
  return text.length > LOG_EXCERPT ? `${text.slice(0, LOG_EXCERPT)}… (${text.length} chars)` : text;
}

export function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? String(mib) : mib.toFixed(2);
}

const HEAD_ID = /^\s*\{\s*"jsonrpc"\s*:\s*"2\.0"\s*,\s*"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*,\s*"(?:result|error)"/;
const HEAD_RESPONSE = /^\s*\{\s*"(?:result|error)"\s*:/;
const TAIL_ID = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/;

/** The id of an oversized JSON-RPC response, when its head or tail shows it unambiguously. */
export function recoverResponseId(o: Pick<OversizedLine, 'head' | 'tail'>): string | number | undefined {
  const parse = (s: string): string | number | undefined => {
    try {
      const v: unknown = JSON.parse(s);
      return typeof v === 'string' || typeof v === 'number' ? v : undefined;
    } catch {
      return undefined;
    }
  };
  const h = HEAD_ID.exec(o.head);
  if (h?.[1]) return parse(h[1]);
  if (HEAD_RESPONSE.test(o.head)) {
    const t = TAIL_ID.exec(o.tail);
    if (t?.[1]) return parse(t[1]);
  }
  return undefined;
}

export class StdoutFraming {
  private readonly decoder: LineDecoder;
  private junkLines = 0;

  constructor(private readonly sink: FramingSink) {
    this.decoder = new LineDecoder({
      maxLineBytes: sink.maxMessageBytes,
      onLine: (line) => this.handleLine(line),
      onOverflowStart: (bytes) => this.handleOverflowStart(bytes),
      onOversizedLine: (o) => this.handleOversized(o),
    });
  }

  push(chunk: Buffer): void {
    this.decoder.push(chunk);
  }

  end(): void {
    this.decoder.end();
  }

  private handleLine(line: string): void {
    if (line.length === 0) return;
    let i = 0;
    let c = line.charCodeAt(0);
    while (c === 0x20 || c === 0x09 || c === 0xfeff) c = line.charCodeAt(++i);
    let message: unknown;
    if (c === 0x7b /* { */) {
      try {
        message = JSON.parse(line);
      } catch {
        message = undefined;
      }
    }
    // Objects without "jsonrpc": "2.0" are structured logs written to stdout (pino, bunyan): log, skip.
    if (typeof message !== 'object' || message === null || Array.isArray(message) || (message as JsonRpcMessage).jsonrpc !== '2.0') {
      this.junk(line);
      return;
    }
    this.sink.trace(`← ${excerpt(line)}`);
    this.sink.deliver(message as JsonRpcMessage);
  }

  private junk(line: string): void {
    this.junkLines++;
    if (this.junkLines <= JUNK_LOG_LIMIT || this.junkLines % 1000 === 0) {
      const suffix = this.junkLines === JUNK_LOG_LIMIT ? ' (further such lines are logged only every 1000th)' : '';
      this.sink.log('warn', `Ignored a stdout line that is not a JSON-RPC message (servers must log to stderr): ${excerpt(line)}${suffix}`);
    }
  }

  private limitMessage(): string {
    return `message from server exceeded ${formatMiB(this.sink.maxMessageBytes)} MiB (mcpHost.maxMessageSizeMB)`;
  }

  private handleOverflowStart(bytes: number): void {
    this.sink.log('warn', `A ${this.limitMessage()}: discarding it (${bytes} bytes so far)`);
    this.sink.error(new TransportError(this.limitMessage(), 'overLimit'));
  }

  private handleOversized(o: OversizedLine): void {
    this.sink.log('warn', `Discarded a message of ${o.bytes} bytes: ${this.limitMessage()}`);
    if (!o.terminated) return;
    const id = recoverResponseId(o);
    if (id === undefined) return;
    const message: JsonRpcMessage = {
      jsonrpc: '2.0',
      id,
      error: { code: -32603, message: `The result was discarded: ${this.limitMessage()}`, data: { [TRANSPORT_REASON_KEY]: 'overLimit' } },
    };
    this.sink.deliver(message);
  }
}
