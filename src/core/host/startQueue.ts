/**
 * Limits how many servers start at once, so the first one is usable early.
 *
 * Starting a Node server is mostly CPU (module loading, ~200 ms on this machine kind); starting 20 at once on two
 * cores makes every one of them take the whole 2-3 s. With as many starts at a time as there are cores, the first
 * is ready in about one start time and the total stays the same.
 *
 * A slot is held from spawn until the task settles, or at most `holdLimitMs`: a start that waits on the network
 * (`npx` downloading a package, a server waiting for a database) is not CPU-bound and must not hold the queue, so
 * after that time its slot is handed on while it keeps running. High-priority tasks (a start the user asked for,
 * a server whose tree node is visible) go before queued normal ones.
 */
import * as os from 'node:os';

export interface StartTaskOptions {
  /** 'high' jumps ahead of queued 'normal' tasks (FIFO within a priority). Default 'normal'. */
  readonly priority?: 'high' | 'normal';
  /** Aborting while queued removes the task and rejects with the signal's reason; a running task is not touched. */
  readonly signal?: AbortSignal;
}

export interface StartLimiter {
  /** Runs `task` when a slot is free; resolves or rejects with its outcome. */
  run<T>(task: () => Promise<T>, options?: StartTaskOptions): Promise<T>;
  /** Tasks holding a slot now. */
  readonly running: number;
  /** Tasks waiting for a slot. */
  readonly queued: number;
  readonly concurrency: number;
  /** Changes the number of slots (e.g. from a setting); queued tasks start if slots were added. */
  setConcurrency(concurrency: number): void;
  /** Rejects every queued task (running ones continue); later `run` calls reject at once. */
  dispose(): void;
}

export interface StartLimiterOptions {
  /** Default `defaultStartConcurrency()`. */
  readonly concurrency?: number;
  /** A task holds its slot at most this long (default 2000 ms); 0 or Infinity: until it settles. */
  readonly holdLimitMs?: number;
}

/** One start per core, at least two. */
export function defaultStartConcurrency(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(2, cores || 1);
}

interface Queued {
  readonly start: () => void;
  readonly reject: (reason: unknown) => void;
  readonly high: boolean;
  readonly cleanup: () => void;
}

export function createStartLimiter(options: StartLimiterOptions = {}): StartLimiter {
  let concurrency = Math.max(1, Math.floor(options.concurrency ?? defaultStartConcurrency()));
  const holdLimit = options.holdLimitMs ?? 2000;
  const queue: Queued[] = [];
  let running = 0;
  let disposed = false;

  const pump = (): void => {
    while (running < concurrency && queue.length > 0) {
      const next = queue.shift() as Queued;
      next.cleanup();
      next.start();
    }
  };

  const run = <T>(task: () => Promise<T>, opts: StartTaskOptions = {}): Promise<T> => {
    if (disposed) return Promise.reject(new Error('The start queue was disposed'));
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        running++;
        let released = false;
        const release = (): void => {
          if (released) return;
          released = true;
          clearTimeout(timer);
          running--;
          pump();
        };
        const timer = holdLimit > 0 && Number.isFinite(holdLimit) ? setTimeout(release, holdLimit) : undefined;
        let p: Promise<T>;
        try {
          p = Promise.resolve(task());
        } catch (err) {
          p = Promise.reject(err);
        }
        p.then(
          (v) => {
            release();
            resolve(v);
          },
          (e: unknown) => {
            release();
            reject(e);
          },
        );
      };
      if (running < concurrency && queue.length === 0) {
        start();
        return;
      }
      const onAbort = (): void => {
        const i = queue.indexOf(entry);
        if (i !== -1) queue.splice(i, 1);
        reject(signal?.reason);
      };
      const entry: Queued = {
        start,
        reject,
        high: opts.priority === 'high',
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (entry.high) {
        // After the last queued high-priority task, before the normal ones.
        let i = 0;
        while (i < queue.length && (queue[i] as Queued).high) i++;
        queue.splice(i, 0, entry);
      } else {
        queue.push(entry);
      }
    });
  };

  return {
    run,
    get running() {
      return running;
    },
    get queued() {
      return queue.length;
    },
    get concurrency() {
      return concurrency;
    },
    setConcurrency(n: number) {
      concurrency = Math.max(1, Math.floor(n));
      pump();
    },
    dispose() {
      disposed = true;
      const pending = queue.splice(0);
      for (const q of pending) {
        q.cleanup();
        q.reject(new Error('The start queue was disposed'));
      }
    },
  };
}
