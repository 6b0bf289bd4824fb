/**
 * MCP Host's stdio transport: spawns one server, frames its stdout as newline-delimited JSON-RPC, drains its stderr
 * into the log and a bounded tail, and stops its whole process tree. Structurally the SDK's `Transport`.
 *
 * Why our own instead of the SDK's StdioClientTransport (see MCP-NOTES): exit code/signal/stderr tail are
 * reported; messages up to `maxMessageBytes` (default 256 MiB) pass in linear time; an oversized message fails
 * its one request with a clear error instead of killing the connection; the environment is the editor's; and
 * close() leaves no descendants behind (npx, uvx, shell wrappers, setsid'd grandchildren).
 *
 * Over-long messages: the decoder discards the line's bytes from the moment it crosses the limit (memory stays
 * bounded even for a line that never ends), `onerror` reports it at once, and when the line ends, if its JSON-RPC
 * `id` can be recovered from the head or the tail of the line, the pending request is answered with a JSON-RPC
 * error ("message from server exceeded N MiB (mcpHost.maxMessageSizeMB)") so the caller fails fast. The connection
 * stays open.
 *
 * Stopping (close): stdin EOF; after `afterEof` ms SIGTERM to the process group and every known descendant; after
 * `afterTerm` ms SIGKILL to all. A second close() sends SIGKILL at once. Descendants are recorded before any
 * signal (parent links break when a parent dies), and each server gets a unique `MCP_HOST_PROCESS_TOKEN`
 * variable, so processes that escaped the group and were orphaned are still found (/proc/<pid>/environ).
 * Where the system allows a cgroup (Linux, see cgroup.ts), the server's cgroup replaces all of that (tree.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';
import crossSpawn from 'cross-spawn';
import { Emitter } from '../../base/events';
import { redact } from '../../base/logger';
import type { JsonRpcMessage, ProcessExit } from '../types';
import type { StdioTransport, StdioTransportOptions } from './types';
import { displayCommandLine } from '../../base/commandLine';
import { StdoutFraming, excerpt } from './framing';
import { prepareSpawn, spawnFailedError } from './spawnErrors';
import { envFileNotLoadedError } from './envFile';
import { StderrSink } from './stderrTail';
import { TransportError } from '../errors';
import { PROCESS_MARKER_VARIABLE, ServerProcessTree } from './tree';

export { PROCESS_MARKER_VARIABLE } from './tree';
export { recoverResponseId } from './framing';

export const DEFAULT_STOP_GRACE_MS = { afterEof: 1000, afterTerm: 2000 } as const;

/** How long to wait for stdout to end after the process exited (a grandchild may hold the pipe open). */
const STDOUT_DRAIN_MS = 200;

/** Creates the transport; `start()` spawns the process. */
export function createStdioTransport(options: StdioTransportOptions): StdioTransport {
  return new ProcessStdioTransport(options);
}

type State = 'new' | 'starting' | 'running' | 'exited';

/** The tick of a send ended: what was corked after its first message leaves in one write (module-level: no closure). */
function endTick(t: { tickSends: number }, stdin: Writable): void {
  if (t.tickSends > 1) stdin.uncork();
  t.tickSends = 0;
}

class ProcessStdioTransport implements StdioTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  private readonly _onDidExit = new Emitter<ProcessExit>();
  readonly onDidExit = this._onDidExit.event;

  private state: State = 'new';
  private child: ChildProcess | undefined;
  private readonly stderrSink: StderrSink;
  private readonly framing: StdoutFraming;
  private readonly secrets: readonly string[];
  private readonly grace: { readonly afterEof: number; readonly afterTerm: number };
  private readonly tree = new ServerProcessTree(randomUUID(), () => this.child?.pid);
  private closing = false;
  private forced = false;
  private closePromise: Promise<void> | undefined;
  private exitInfo: { code: number | null; signal: string | null } | undefined;
  private exited!: Promise<void>;
  private resolveExited!: () => void;
  private forcedSignal!: Promise<void>;
  private resolveForced!: () => void;
  private cleanup: Promise<void> | undefined;
  private drainWait: Promise<void> | undefined;
  /** Messages sent in the current tick (see send; reset by endTick). */
  tickSends = 0;
  private startPromise: Promise<void> | undefined;

  constructor(private readonly options: StdioTransportOptions) {
    this.secrets = options.launch.secrets;
    this.grace = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    this.stderrSink = new StderrSink(options.logger, this.secrets);
    this.framing = new StdoutFraming({
      maxMessageBytes: options.maxMessageBytes,
      deliver: (message) => {
        try {
          this.onmessage?.(message);
        } catch (err) {
          this.fireError(err);
        }
      },
      error: (err) => this.fireError(err),
      log: (level, message) => this.log(level, message),
      trace: (text) => this.options.logger.trace(this.redact(text)),
    });
    this.exited = new Promise((r) => (this.resolveExited = r));
    this.forcedSignal = new Promise((r) => (this.resolveForced = r));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The cgroup holding the server's processes (Linux, where the system allows one), for orphan records. */
  get cgroupDir(): string | undefined {
    return this.tree.cgroupDir;
  }

  stderrTail(): string {
    return this.stderrSink.tail();
  }

  async start(): Promise<void> {
    if (this.state !== 'new') throw new Error('StdioTransport already started; create a new one per launch');
    this.state = 'starting';
    this.startPromise = this.spawn();
    try {
      await this.startPromise;
    } catch (err) {
      this.state = 'exited';
      this.resolveExited();
      this.log('error', (err as Error).message);
      throw err;
    }
  }

  private async spawn(): Promise<void> {
    const { launch, logger } = this.options;
    const { command, cwd } = launch;
    // The env file was read once before consent (loadEnvFile): the process gets that snapshot, never a re-read.
    if (launch.envFile !== undefined && launch.envFileVariables === undefined) throw envFileNotLoadedError(launch);
    const { env, resolved } = prepareSpawn(launch, this.options.baseEnv, { [PROCESS_MARKER_VARIABLE]: this.tree.marker });
    if (this.closing) throw new TransportError(`Start of "${command}" cancelled`, 'cancelled');

    this.log('info', `Starting ${displayCommandLine(command, launch.args)} (cwd ${cwd}, ${resolved.path})`);
    const made = ServerProcessTree.prepareCgroup();
    const child = crossSpawn(command, [...launch.args], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.child = child;
    logger.debug(this.tree.spawned(child.pid, made));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.state !== 'exited') this.framing.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => this.stderrSink.push(chunk));
    // A stream error must never become an uncaught exception in the extension host.
    child.stdin?.on('error', (err) => logger.debug(`stdin: ${err.message}`));
    child.stdout?.on('error', (err) => logger.warn(`stdout: ${err.message}`));
    child.stderr?.on('error', (err) => logger.debug(`stderr: ${err.message}`));
    child.once('exit', (code, signal) => this.handleExit(code, signal));

    await new Promise<void>((resolve, reject) => {
      const onSpawn = (): void => {
        child.off('error', onError);
        resolve();
      };
      const onError = (err: Error): void => {
        child.off('spawn', onSpawn);
        reject(spawnFailedError(command, cwd, env, err));
      };
      child.once('spawn', onSpawn);
      child.once('error', onError);
    });

    if (this.state === 'starting') this.state = 'running';
    if (child.pid !== undefined) this.tree.started(child.pid);
    logger.debug(`Started process ${child.pid ?? '?'}`);
    child.on('error', (err) => this.fireError(err));
    this.record(child.pid);
  }

  /** Tells the process recorder (orphan reaping) about the spawned process, and later about its exit. */
  private record(pid: number | undefined): void {
    const recorder = this.options.processRecorder;
    if (!recorder || pid === undefined) return;
    const { command, args, secrets } = this.options.launch;
    recorder.spawned(pid, redact(displayCommandLine(command, args), secrets), this.tree.cgroupDir);
    this._onDidExit.event(() => recorder.exited(pid));
  }

  async send(message: JsonRpcMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (this.state !== 'running' || !stdin || !stdin.writable) throw new TransportError('Not connected', 'notConnected');
    const text = JSON.stringify(message);
    this.options.logger.trace(`→ ${this.redact(excerpt(text))}`);
    // The first message of a tick is written at once (a lone call pays no cork/uncork); the ones that follow it in the
    // same tick are corked and leave together in one writev: fewer syscalls with many calls in flight.
    if (this.tickSends++ === 0) process.nextTick(endTick, this, stdin);
    else if (this.tickSends === 2) stdin.cork();
    if (!stdin.write(`${text}\n`)) await this.waitDrain();
  }

  private waitDrain(): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return Promise.resolve();
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

  close(): Promise<void> {
    if (this.closePromise) {
      this.force();
      return this.closePromise;
    }
    this.closing = true;
    this.closePromise = this.doClose();
    return this.closePromise;
  }

  private async doClose(): Promise<void> {
    if (this.state === 'starting') await this.startPromise?.catch(() => undefined); // spawn in flight
    const child = this.child;
    if (this.state === 'new' || (this.state === 'starting' && !child)) {
      // Never spawned (close() before start(), or start() gave up because of this close).
      this.state = 'exited';
      this.resolveExited();
      this.onclose?.();
      return;
    }
    if (this.state !== 'exited' && child) {
      // Record the tree while closing stdin (a wrapper may exit on EOF and orphan its children; the marker
      // scan after the exit finds those anyway).
      const remembering = this.tree.remember();
      this.log('debug', 'Stopping: closing stdin');
      child.stdin?.end();
      const exitedOnEof = await this.exitedOrTimeout(this.grace.afterEof);
      await remembering;
      if (!exitedOnEof) {
        await this.tree.remember();
        this.log('info', `The server did not exit ${this.grace.afterEof} ms after stdin closed: sending SIGTERM`);
        this.signalTree('SIGTERM');
        if (!(await this.exitedOrTimeout(this.grace.afterTerm))) {
          this.log('warn', `The server did not exit ${this.grace.afterTerm} ms after SIGTERM: sending SIGKILL`);
          await this.tree.remember();
          this.signalTree('SIGKILL');
          await this.exitedOrTimeout(5000);
        }
      }
    }
    await this.exited;
    await this.cleanup;
  }

  /** Second close(): SIGKILL everything now. */
  private force(): void {
    if (this.forced) return;
    this.forced = true;
    this.resolveForced();
    if (this.child && this.state === 'running') {
      this.log('info', 'Stopping at once: SIGKILL');
      this.signalTree('SIGKILL'); // the group and what is known now, at once
      void this.tree.remember().then(() => this.signalTree('SIGKILL')); // and what was not known yet
    }
  }

  /** Resolves true when the process exited within `ms` (cut short by a forced close). */
  private exitedOrTimeout(ms: number): Promise<boolean> {
    if (this.state === 'exited') return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(this.state === 'exited'), this.forced ? 0 : ms);
      void this.exited.then(() => {
        clearTimeout(timer);
        resolve(true);
      });
      void this.forcedSignal.then(() => {
        clearTimeout(timer);
        // Give the SIGKILL a moment to land before the caller moves on.
        setTimeout(() => resolve(this.state === 'exited'), 0);
      });
    });
  }

  private signalTree(sig: NodeJS.Signals): void {
    this.tree.signal(sig, this.exitInfo === undefined);
  }

  private handleExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.exitInfo = { code, signal };
    // Let stdout and stderr deliver what the process wrote before it exited (bounded: a grandchild may hold
    // the pipes open).
    const streams = [this.child?.stdout, this.child?.stderr].filter(
      (s): s is NonNullable<typeof s> => !!s && !s.readableEnded && !s.destroyed,
    );
    let pending = streams.length;
    const timer = setTimeout(() => this.finishExit(), STDOUT_DRAIN_MS);
    const one = (): void => {
      if (--pending <= 0) {
        clearTimeout(timer);
        this.finishExit();
      }
    };
    if (pending === 0) one();
    for (const s of streams) {
      let done = false;
      const fin = (): void => {
        if (done) return;
        done = true;
        one();
      };
      s.once('end', fin).once('close', fin);
    }
  }

  private finishExit(): void {
    if (this.state === 'exited') return;
    const info = this.exitInfo ?? { code: null, signal: null };
    this.framing.end();
    this.stderrSink.end();
    this.state = 'exited';
    const expected = this.closing;
    const how = info.signal ? `killed by ${info.signal}` : `exited with code ${info.code}`;
    if (expected || info.code === 0) this.log('info', `Process ${how}`);
    else this.log('warn', `Process ${how} unexpectedly`);
    // Leftover processes (a wrapper's server, a setsid'd daemon): stop them; close() awaits this too.
    this.cleanup = this.tree.reapLeftovers(() => this.forced, this.grace.afterTerm, (m, level) => this.log(level ?? 'info', m));
    this.resolveExited();
    // Detach from the pipes a leftover may still hold open.
    this.child?.stdout?.removeAllListeners('data');
    this.child?.stdout?.destroy();
    this.child?.stderr?.destroy();
    this.child?.stdin?.destroy();
    this._onDidExit.fire({ code: info.code, signal: info.signal, stderrTail: this.stderrSink.tail(), expected });
    this._onDidExit.dispose();
    try {
      this.onclose?.();
    } catch (err) {
      this.log('error', `onclose failed: ${String(err)}`);
    }
  }

  private fireError(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    try {
      this.onerror?.(error);
    } catch {
      // a failing error handler must not break the stream
    }
  }

  private redact(text: string): string {
    return this.secrets.length > 0 ? redact(text, this.secrets) : text;
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void {
    this.options.logger[level](this.redact(message));
  }
}

