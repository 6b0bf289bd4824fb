/**
 * The bounds on what a server can make us log: its stderr lines and its MCP log messages
 * (`notifications/message`) share them, so no channel of a server is cheaper to flood than another.
 */

/** Most lines (or log messages) of one server logged per second; the rest are counted in one summary line. */
export const maxLogLinesPerSecond = 2000;

/** Longest line (or log message) logged whole; a longer one is cut and says how long it was. */
export const maxLogLineLength = 2048;

/**
 * `text` cut to `max` characters (not splitting a surrogate pair) with a marker naming its full length, or
 * `text` itself when it fits.
 */
export function capLogLine(text: string, max = maxLogLineLength, unit = 'message'): string {
  if (text.length <= max) return text;
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--; // a high surrogate whose pair would be cut off
  return `${text.slice(0, end)}… [${unit} of ${text.length} characters truncated]`;
}

/**
 * A rate limit per one-second window: `admit()` says whether a line may be logged now; what is refused is
 * counted and passed to `report` once, when the window ends (by a timer, so the count is not held back until
 * the server writes again), on the next line after it, or on `flush()`.
 */
export class LogRateLimiter {
  private windowStart = -Infinity;
  private windowCount = 0;
  private suppressed = 0;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly report: (dropped: number, maxPerSecond: number) => void,
    readonly maxPerSecond = maxLogLinesPerSecond,
  ) {}

  /** true: log the line; false: it was counted as dropped. */
  admit(): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.flush();
      this.windowStart = now;
      this.windowCount = 0;
    }
    if (this.windowCount < this.maxPerSecond) {
      this.windowCount++;
      return true;
    }
    if (this.suppressed++ === 0 && !this.disposed) {
      this.timer = setTimeout(flushLimiter, Math.max(0, this.windowStart + 1000 - now), this);
      this.timer.unref?.();
    }
    return false;
  }

  /** Reports what was dropped so far, if anything. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.suppressed === 0) return;
    const dropped = this.suppressed;
    this.suppressed = 0;
    this.report(dropped, this.maxPerSecond);
  }

  /** Reports what was dropped and arms no timer any more (the stream ended). */
  dispose(): void {
    this.disposed = true;
    this.flush();
  }
}

/** The window-end timer (module-level: no closure per limiter). */
function flushLimiter(limiter: LogRateLimiter): void {
  limiter.flush();
}
