/**
 * The server process's pipes, apart from what flows through them: writing stdin (batched per tick, waiting out a
 * full pipe) and, when the process exits, letting stdout and stderr deliver what it wrote before (bounded).
 */
import type { Readable, Writable } from 'node:stream';

/** The tick of a write ended: what was corked after its first line leaves in one write (module-level: no closure). */
function endTick(w: StdinWriter): void {
  if (w.tickWrites > 1) w.stdin.uncork();
  w.tickWrites = 0;
}

/** Writes lines to a child's stdin: lines written in the same tick leave in one write (writev). */
export class StdinWriter {
  /** Messages written in the current tick (reset by endTick). */
  tickWrites = 0;
  private drainWait: Promise<void> | undefined;

  constructor(readonly stdin: Writable) {}

  get writable(): boolean {
    return this.stdin.writable;
  }

  /**
   * Queues `line`; false when the pipe is full (then await `drained()`). The first line of a tick is written at
   * once (a lone call pays no cork/uncork); the ones that follow it in the same tick are corked and leave together
   * in one writev: fewer syscalls with many calls in flight.
   */
  write(line: string): boolean {
    if (this.tickWrites++ === 0) process.nextTick(endTick, this);
    else if (this.tickWrites === 2) this.stdin.cork();
    return this.stdin.write(line);
  }

  /** Resolves when the pipe accepts more, or can never again (closed, failed). One wait shared by all writers. */
  drained(): Promise<void> {
    const stdin = this.stdin;
    if (stdin.destroyed || !stdin.writable) return Promise.resolve();
    this.drainWait ??= new Promise<void>((resolve) => {
      const done = (): void => {
        stdin.off('drain', done);
        stdin.off('close', done);
        stdin.off('error', done);
        this.drainWait = undefined;
        resolve();
      };
      stdin.on('drain', done);
      stdin.on('close', done);
      stdin.on('error', done);
    });
    return this.drainWait;
  }
}

/**
 * Calls `done` once every stream of `streams` that is still open has ended, or after `ms` (a grandchild may hold
 * a pipe open); at once when none is open.
 */
export function afterPipesEnd(streams: readonly (Readable | null | undefined)[], ms: number, done: () => void): void {
  const open = streams.filter((s): s is Readable => !!s && !s.readableEnded && !s.destroyed);
  let pending = open.length;
  const timer = setTimeout(done, ms);
  const one = (): void => {
    if (--pending <= 0) {
      clearTimeout(timer);
      done();
    }
  };
  if (pending === 0) one();
  for (const s of open) {
    let ended = false;
    const fin = (): void => {
      if (ended) return;
      ended = true;
      one();
    };
    s.once('end', fin).once('close', fin);
  }
}
