/**
 * A server's stderr: always drained (a Python or Go server blocks on a full pipe), split into lines, logged line by
 * line at info (stderr is where servers log; it is not an error stream), and kept as a bounded tail for error
 * reports ("exited with code 1: <last lines>").
 *
 * Bounds: one line is cut at `maxLineBytes` (default 2 KiB; a 1 MB line costs 2 KiB), the tail keeps the last
 * `maxLines` lines and at most `maxBytes` characters, and a flood is rate-limited in the log (at most
 * `maxLogLinesPerSecond`, then one summary line), so a server writing MB/s cannot flood the editor's output.
 */
import { LogRateLimiter, maxLogLineLength, maxLogLinesPerSecond } from '../../base/logLimits';
import type { Logger } from '../../base/logger';
import { redact } from '../../base/logger';
import { LineDecoder } from './lineDecoder';

export interface StderrTailOptions {
  readonly maxLines?: number; // default 50
  readonly maxBytes?: number; // default 16 KiB (counted in UTF-16 code units)
  readonly maxLineBytes?: number; // default 2 KiB
  readonly maxLogLinesPerSecond?: number; // default 2000
}

/** The bounded tail of a text stream, by lines. */
export class TailBuffer {
  private lines: string[] = [];
  private size = 0;

  constructor(
    private readonly maxLines = 50,
    private readonly maxBytes = 16 * 1024,
  ) {}

  add(line: string): void {
    if (line.length > this.maxBytes) line = line.slice(line.length - this.maxBytes);
    this.lines.push(line);
    this.size += line.length + 1;
    while (this.lines.length > this.maxLines || (this.size > this.maxBytes && this.lines.length > 1)) {
      const dropped = this.lines.shift() as string;
      this.size -= dropped.length + 1;
    }
  }

  text(): string {
    return this.lines.join('\n');
  }
}

/** Splits stderr into lines, logs them (rate-limited, secrets redacted) and keeps the tail. */
export class StderrSink {
  private readonly tailBuf: TailBuffer;
  private readonly decoder: LineDecoder;
  private readonly limiter: LogRateLimiter;

  constructor(
    private readonly logger: Logger,
    private readonly secrets: readonly string[] = [],
    options: StderrTailOptions = {},
  ) {
    this.tailBuf = new TailBuffer(options.maxLines ?? 50, options.maxBytes ?? 16 * 1024);
    this.limiter = new LogRateLimiter(
      (dropped, max) => this.logger.warn(`(${dropped} stderr lines not logged: the server wrote more than ${max} lines/s)`),
      options.maxLogLinesPerSecond ?? maxLogLinesPerSecond,
    );
    const maxLineBytes = options.maxLineBytes ?? maxLogLineLength;
    this.decoder = new LineDecoder({
      maxLineBytes,
      keepBytes: maxLineBytes,
      onLine: (line) => this.line(line),
      onOversizedLine: (o) => this.line(`${o.head.replace(/\r$/, '')}… [line of ${o.bytes} bytes truncated]`),
    });
  }

  push(chunk: Buffer): void {
    this.decoder.push(chunk);
  }

  /** The stream ended: flush a last unterminated line and any pending flood summary. */
  end(): void {
    this.decoder.end();
    this.limiter.dispose();
  }

  tail(): string {
    return this.tailBuf.text();
  }

  private line(raw: string): void {
    if (raw.length === 0) return;
    const line = this.secrets.length > 0 ? redact(raw, this.secrets) : raw;
    this.tailBuf.add(line);
    if (this.limiter.admit()) this.logger.info(line);
  }
}
