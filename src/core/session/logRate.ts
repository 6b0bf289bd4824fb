/** The rate limit on a server's log messages (`notifications/message`), the same bound stderr lines have. */
import type { Logger } from '../base/logger';

/** At most `perSecond` server log messages a second; the rest are counted and summarised once a second. */
export class LogRateLimit {
  private windowStart = 0;
  private count = 0;
  private dropped = 0;
  constructor(private readonly perSecond = 2000) {}
  admit(logger: Logger): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      if (this.dropped > 0) logger.warn(`${this.dropped} server log messages were not shown (more than ${this.perSecond} a second)`);
      this.windowStart = now;
      this.count = 0;
      this.dropped = 0;
    }
    if (++this.count <= this.perSecond) return true;
    this.dropped++;
    return false;
  }
}
