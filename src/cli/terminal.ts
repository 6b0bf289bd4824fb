/**
 * The terminal services the CLI passes to the engine: a logger writing to stderr (server text made inert, secrets
 * redacted by the engine before it gets here), and a progress line shown only when stderr is a terminal.
 */
import type { Logger } from '../core/base/logger';
import { sanitizeText } from '../core/base/sanitize';

/** `silent`: nothing (the CLI reports a failure once itself, with the server's stderr tail). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
const rank: Record<LogLevel, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, silent: 5 };

/** Something that writes text (process.stderr, or a test's buffer). */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/**
 * A logger to `sink` for lines at `level` and above, each prefixed with its source and level. Server text (stderr
 * lines, names) may hold terminal escapes: they are removed so a server cannot drive the user's terminal.
 */
export function stderrLogger(sink: TextSink, source: string, level: LogLevel, progress?: Progress): Logger {
  const min = rank[level];
  const tag = sanitizeText(source).replace(/\s+/g, ' ');
  const write = (l: Exclude<LogLevel, 'silent'>, message: string): void => {
    if (rank[l] < min) return;
    progress?.clear();
    sink.write(`[${tag}] ${l}: ${sanitizeText(message)}\n`);
  };
  return {
    trace: (m) => write('trace', m),
    debug: (m) => write('debug', m),
    info: (m) => write('info', m),
    warn: (m) => write('warn', m),
    error: (m) => write('error', m),
  };
}

/** A one-line status on a terminal ("starting everything…"); nothing at all when stderr is not a terminal. */
export class Progress {
  private shown = false;
  constructor(private readonly sink: TextSink) {}

  get enabled(): boolean {
    return this.sink.isTTY === true;
  }

  show(text: string): void {
    if (!this.enabled) return;
    // Carriage return + erase line: the status replaces itself and leaves nothing behind.
    this.sink.write(`\r\u001b[K${sanitizeText(text).replace(/\s+/g, ' ').slice(0, 200)}`);
    this.shown = true;
  }

  clear(): void {
    if (!this.shown) return;
    this.sink.write('\r\u001b[K');
    this.shown = false;
  }
}
