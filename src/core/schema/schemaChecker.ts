/**
 * Runs ajv in a worker thread so that a server's schema cannot freeze the extension host. ajv's compile time
 * grows with the schema (40,000 properties: 5 s) and validation can take exponential time (a 1.7 KB `anyOf` of
 * `$ref` chain: 2^26 branches), and code on the host's thread cannot be interrupted. A worker can: a check that
 * runs over its budget stops the worker, the schema is remembered as too costly, and a new worker starts for
 * the next schema.
 *
 * Two ways to ask: `checkSync` blocks the caller (Atomics.wait) for at most SYNC_BUDGET_MS per step (quick
 * input validation on each keystroke), and answers `pending` when the schema is still compiling; `checkAsync`
 * does not block at all (the JSON editor's Run, the final check of a form).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { SHARED_SLOTS, SLOT_BUSY, SLOT_REPLIES, type CheckReply, type CheckRequest } from './schemaProtocol';
import type { ArgumentValidation } from './validate';

/** How long a synchronous check may block the host, per step (waiting for the compile, then validating). */
export const SYNC_BUDGET_MS = 100;
/** Longer than this to compile (in the worker) and the schema is too costly. */
export const COMPILE_TIMEOUT_MS = 2000;
/** Longer than this to validate one value (in the worker, asynchronously) and the schema is too costly. */
export const ASYNC_VALIDATE_TIMEOUT_MS = 1000;

/** What a check found out, before it becomes an ArgumentValidation (validate.ts). */
export type CheckOutcome =
  | { readonly kind: 'result'; readonly result: ArgumentValidation; readonly skippedPatterns: readonly string[] }
  | { readonly kind: 'schemaError'; readonly message: string }
  | { readonly kind: 'tooCostly'; readonly why: string }
  /** Not known yet (still compiling, or the worker is busy): a synchronous caller should not block longer. */
  | { readonly kind: 'pending' }
  | { readonly kind: 'unavailable'; readonly why: string };

type Handler = (reply: CheckReply | undefined) => void;

interface SchemaEntry {
  readonly schemaId: number;
  /** The worker generation that compiled it (a stopped worker forgets its schemas). */
  generation: number;
  status: 'compiling' | 'ready' | 'failed' | 'tooCostly';
  compileId: number;
  settled: Promise<void>;
  schemaError?: string;
  skippedPatterns: string[];
  tooCostly?: string;
}

/** The worker script: next to this file, both in out/ (tests) and in dist/ (the bundle). */
function workerFile(): string {
  return path.join(__dirname, 'schemaWorker.js');
}

class Checker {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private shared: Int32Array | undefined;
  private generation = 0;
  private nextId = 1;
  private nextSchemaId = 1;
  private readonly handlers = new Map<number, Handler>();
  private readonly entries = new WeakMap<object, SchemaEntry>();
  private failure: string | undefined;
  private canBlock = true;

  private start(): boolean {
    if (this.worker) return true;
    const file = workerFile();
    if (!fs.existsSync(file)) {
      this.failure = `the schema checker (${path.basename(file)}) is missing; reinstalling MCP Host may help`;
      return false;
    }
    const shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOTS * Int32Array.BYTES_PER_ELEMENT));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(file, { workerData: { port: port2, shared: shared.buffer }, transferList: [port2] });
    const generation = ++this.generation;
    worker.on('error', (err) => {
      if (this.generation === generation) this.stop(`the schema checker failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    worker.on('exit', () => {
      if (this.generation === generation && this.worker) this.stop('the schema checker stopped');
    });
    port1.on('message', (reply: CheckReply) => this.dispatch(reply));
    // Neither keeps the process (a test, the CLI) alive.
    worker.unref();
    port1.unref();
    this.worker = worker;
    this.port = port1;
    this.shared = shared;
    this.failure = undefined;
    return true;
  }

  /** Stops the worker; whatever was waiting on it gets `undefined`. */
  private stop(failure?: string): void {
    const worker = this.worker;
    this.worker = undefined;
    this.port?.close();
    this.port = undefined;
    this.shared = undefined;
    this.generation++;
    if (failure) this.failure = failure;
    void worker?.terminate();
    const waiting = [...this.handlers.values()];
    this.handlers.clear();
    for (const h of waiting) h(undefined);
  }

  private dispatch(reply: CheckReply): void {
    const h = this.handlers.get(reply.id);
    this.forget(reply.id);
    h?.(reply);
  }

  /** Drops a request's handler; with none left, the worker no longer keeps the process alive. */
  private forget(id: number): void {
    this.handlers.delete(id);
    if (this.handlers.size === 0) this.port?.unref();
  }

  private post(request: CheckRequest, handler: Handler): void {
    this.handlers.set(request.id, handler);
    // While an answer is awaited the process must not exit under it (a CLI run, a test).
    this.port?.ref();
    try {
      this.port?.postMessage(request);
    } catch (err) {
      // e.g. a value that cannot be cloned
      this.forget(request.id);
      handler(undefined);
      this.failure = `the value could not be passed to the schema checker (${err instanceof Error ? err.message : String(err)})`;
    }
  }

  /** Blocks until `done()` or the deadline, taking the worker's replies as they come. */
  private waitSync(done: () => boolean, deadline: number): void {
    while (!done()) {
      const port = this.port;
      const shared = this.shared;
      if (!port || !shared) return;
      const seen = Atomics.load(shared, SLOT_REPLIES);
      for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) this.dispatch(m.message as CheckReply);
      if (done()) return;
      const left = deadline - performance.now();
      if (left <= 0 || !this.canBlock) return;
      try {
        Atomics.wait(shared, SLOT_REPLIES, seen, left);
      } catch {
        // A thread that may not block (a browser-like host): synchronous checks then answer "pending".
        this.canBlock = false;
      }
    }
  }

  /** The worker is running request `id` right now (not queued behind another). */
  private running(id: number): boolean {
    return this.shared !== undefined && Atomics.load(this.shared, SLOT_BUSY) === id;
  }

  private tooCostly(entry: SchemaEntry, why: string): void {
    entry.status = 'tooCostly';
    entry.tooCostly = why;
    this.stop();
  }

  /** The schema's entry, compiling it (asynchronously) when this worker has not. */
  private ensure(schema: object): SchemaEntry | undefined {
    let entry = this.entries.get(schema);
    if (entry?.status === 'tooCostly' || entry?.status === 'failed' || (entry && entry.generation === this.generation && this.worker)) return entry;
    if (!this.start()) return undefined;
    const id = this.nextId++;
    const fresh: SchemaEntry = entry ?? { schemaId: this.nextSchemaId++, generation: 0, status: 'compiling', compileId: id, settled: Promise.resolve(), skippedPatterns: [] };
    entry = fresh;
    fresh.generation = this.generation;
    fresh.status = 'compiling';
    fresh.compileId = id;
    fresh.settled = new Promise<void>((resolve) => {
      const watchdog = setInterval(() => {
        if (fresh.status !== 'compiling' || fresh.compileId !== id) return;
        // Queued behind another request: that one has its own deadline.
        if (this.running(id)) this.tooCostly(fresh, `compiling it took longer than ${COMPILE_TIMEOUT_MS / 1000} s`);
      }, COMPILE_TIMEOUT_MS);
      watchdog.unref();
      this.post({ type: 'compile', id, schemaId: fresh.schemaId, schema }, (reply) => {
        clearInterval(watchdog);
        if (fresh.compileId === id && fresh.status === 'compiling') {
          if (!reply) fresh.generation = -1; // the worker stopped: compile again next time
          else if ('schemaError' in reply) {
            fresh.status = 'failed';
            fresh.schemaError = reply.schemaError;
          } else if ('skippedPatterns' in reply) {
            fresh.status = 'ready';
            fresh.skippedPatterns = reply.skippedPatterns;
          }
        }
        resolve();
      });
    });
    this.entries.set(schema, fresh);
    return fresh;
  }

  private settledOutcome(entry: SchemaEntry | undefined): CheckOutcome | undefined {
    if (!entry) return { kind: 'unavailable', why: this.failure ?? 'the schema checker could not start' };
    if (entry.status === 'tooCostly') return { kind: 'tooCostly', why: entry.tooCostly ?? 'it is too large' };
    if (entry.status === 'failed') return { kind: 'schemaError', message: entry.schemaError ?? 'invalid schema' };
    if (entry.status === 'compiling') return entry.generation === -1 ? { kind: 'unavailable', why: this.failure ?? 'the schema checker stopped' } : { kind: 'pending' };
    return undefined;
  }

  private fromReply(entry: SchemaEntry, reply: CheckReply): CheckOutcome {
    if ('result' in reply) return { kind: 'result', result: reply.result, skippedPatterns: entry.skippedPatterns };
    // The worker dropped the schema: compile again on the next check.
    entry.generation = -1;
    return { kind: 'pending' };
  }

  checkSync(schema: object, value: unknown): CheckOutcome {
    const entry = this.ensure(schema);
    if (entry?.status === 'compiling') this.waitSync(() => entry.status !== 'compiling', performance.now() + SYNC_BUDGET_MS);
    const early = this.settledOutcome(entry);
    if (early || !entry) return early ?? { kind: 'pending' };
    const id = this.nextId++;
    let reply: CheckReply | undefined;
    let answered = false;
    this.post({ type: 'validate', id, schemaId: entry.schemaId, value }, (r) => {
      reply = r;
      answered = true;
    });
    this.waitSync(() => answered, performance.now() + SYNC_BUDGET_MS);
    if (reply) return this.fromReply(entry, reply);
    if (answered) return { kind: 'unavailable', why: this.failure ?? 'the schema checker stopped' };
    if (this.running(id)) {
      this.tooCostly(entry, `checking took longer than ${SYNC_BUDGET_MS} ms`);
      return { kind: 'tooCostly', why: entry.tooCostly ?? '' };
    }
    this.forget(id);
    return { kind: 'pending' };
  }

  async checkAsync(schema: object, value: unknown): Promise<CheckOutcome> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const entry = this.ensure(schema);
      if (entry) await entry.settled;
      const early = this.settledOutcome(entry);
      if (early?.kind === 'pending' || (early?.kind === 'unavailable' && entry?.generation === -1 && attempt < 2)) continue;
      if (early || !entry) return early ?? { kind: 'pending' };
      const id = this.nextId++;
      const reply = await new Promise<CheckReply | undefined | 'timeout'>((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), ASYNC_VALIDATE_TIMEOUT_MS);
        this.post({ type: 'validate', id, schemaId: entry.schemaId, value }, (r) => {
          clearTimeout(timer);
          resolve(r);
        });
      });
      if (reply === 'timeout') {
        if (!this.running(id)) {
          this.forget(id);
          return { kind: 'unavailable', why: 'the schema checker was busy' };
        }
        this.tooCostly(entry, `checking took longer than ${ASYNC_VALIDATE_TIMEOUT_MS / 1000} s`);
        return { kind: 'tooCostly', why: entry.tooCostly ?? '' };
      }
      if (!reply) continue;
      const outcome = this.fromReply(entry, reply);
      if (outcome.kind !== 'pending') return outcome;
    }
    return { kind: 'unavailable', why: this.failure ?? 'the schema checker kept stopping' };
  }

  /** Starts compiling the schema in the background, so that the first keystroke's check need not wait. */
  prepare(schema: object): Promise<void> {
    return this.ensure(schema)?.settled ?? Promise.resolve();
  }
}

let checker: Checker | undefined;

function instance(): Checker {
  return (checker ??= new Checker());
}

/** See Checker.checkSync. */
export function checkSync(schema: object, value: unknown): CheckOutcome {
  return instance().checkSync(schema, value);
}

/** See Checker.checkAsync. */
export function checkAsync(schema: object, value: unknown): Promise<CheckOutcome> {
  return instance().checkAsync(schema, value);
}

/** See Checker.prepare. */
export function prepareCheck(schema: object): Promise<void> {
  return instance().prepare(schema);
}
