/**
 * A message over maxMessageBytes: the transport reports it (code 'overLimit') the moment it crosses the limit,
 * and its answer may never come. The watch remembers it; if it is still streaming after the grace period, the
 * requests sent before it began are failed (stdout is blocked behind it), and timeouts say why they happened.
 */
import { formatSeconds } from '../base/format';
import { ServerRequestError } from '../protocol/errors';
import { transportErrorCode } from '../transport/errors';

/**
 * A finite over-long message ends within this (the transport then fails exactly the request it answered);
 * one that is still streaming after it is most likely endless, and the pending requests cannot be answered
 * before it ends.
 */
export const OVERFLOW_GRACE_MS = 2000;

export class OverflowWatch {
  /** Messages discarded for exceeding the limit so far (a timeout after one says why). */
  count = 0;
  private reason = '';
  /** An over-long message is streaming in (started, and no message arrived since). */
  private current: { readonly seqBefore: number; timer: NodeJS.Timeout | undefined } | undefined;

  constructor(
    private readonly graceMs: number,
    /** Still streaming after the grace period: fail the requests sent before `seqBefore`. */
    private readonly onStuck: (seqBefore: number) => void,
  ) {}

  /** An error from the transport: an over-long message (by its code) starts the watch. */
  note(e: Error, nextSeq: number): void {
    if (transportErrorCode(e) !== 'overLimit') return;
    this.count++;
    this.reason = e.message.slice(0, 200);
    this.end();
    const current = { seqBefore: nextSeq, timer: undefined as NodeJS.Timeout | undefined };
    this.current = current;
    current.timer = setTimeout(() => {
      if (this.current !== current) return;
      current.timer = undefined;
      this.onStuck(current.seqBefore);
    }, this.graceMs);
    current.timer.unref?.();
  }

  /** A message arrived (or the transport ended): whatever was over-long has ended. */
  end(): void {
    if (!this.current) return;
    clearTimeout(this.current.timer);
    this.current = undefined;
  }

  /** The log line when the watch fires, failing `blocked` requests. */
  stuckMessage(blocked: number): string {
    return (
      `The server has been writing one message beyond the limit for ${formatSeconds(this.graceMs)}: nothing else it writes on stdout can be read until that message ends` +
      (blocked ? `; failing ${blocked} pending request${blocked === 1 ? '' : 's'}` : '') +
      '. Restart the server if it stays unresponsive.'
    );
  }

  /** The error of a request that was pending when the over-long message began. */
  stuckError(method: string): ServerRequestError {
    const grace = formatSeconds(this.graceMs);
    return new ServerRequestError(
      `${method} failed: a ${this.reason} and was discarded (it was probably the answer; the server was still writing it after ${grace})`,
      'invalidResponse',
      { reason: 'overLimit' },
    );
  }

  /** The message of a timeout: an answer cut off for its size never arrives, say so instead of a bare timeout. */
  explainTimeout(why: string, countBefore: number): string {
    if (this.count > countBefore) return `${why}; meanwhile a ${this.reason} and was discarded (it may have been the answer)`;
    if (this.current) {
      return `${why}; the server is still writing a message that exceeded the limit (${this.reason.replace(/^message from server /, '')}), so nothing else it sends can be read`;
    }
    return why;
  }
}
