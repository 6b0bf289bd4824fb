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
 * Where the system allows a cgroup (Linux, see cgroup.ts), the server's cgroup replaces all of that: its members
 * are the tree (a double-forked helper without the marker included; a program a launcher moved into its own
 * cgroup, such as a browser opened for a login, excluded), and SIGKILL is `cgroup.kill`.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import crossSpawn from 'cross-spawn';
import { Emitter } from '../util/events';
import { redact } from '../util/logger';
import type { JsonRpcMessage, ProcessExit, StdioTransport, StdioTransportOptions } from './types';
import { buildServerEnvironment } from './environment';
import { envFileNotLoadedError } from './envFile';
import { ServerCgroup } from './cgroup';
import { isSameAlive, killProcessTree, listTreeAsync, processesWithMarkerAsync, signalAll, startTimeOf, type ProcessId } from './killTree';
import { LineDecoder, type OversizedLine } from './lineDecoder';
import { checkCwd, commandNotFoundError, resolveCommandOnPath, spawnFailedError } from './spawnErrors';
import { StderrSink } from './stderrTail';

/** Set in every server's environment to a value unique to that launch; lets close() find escaped descendants. */
export const PROCESS_MARKER_VARIABLE = 'MCP_HOST_PROCESS_TOKEN';

export const DEFAULT_STOP_GRACE_MS = { afterEof: 1000, afterTerm: 2000 } as const;

/** Longest excerpt of a message written to the log (traffic at trace, junk at warn). */
const LOG_EXCERPT = 2048;
/** After this many ignored stdout lines, only every 1000th is logged. */
const JUNK_LOG_LIMIT = 200;
/** How long to wait for stdout to end after the process exited (a grandchild may hold the pipe open). */
const STDOUT_DRAIN_MS = 200;

/** Creates the transport; `start()` spawns the process. */
export function createStdioTransport(options: StdioTransportOptions): StdioTransport {
  return new ProcessStdioTransport(options);
}

function excerpt(text: string): string {
  return text.length > LOG_EXCERPT ? `${text.slice(0, LOG_EXCERPT)}… (${text.length} chars)` : text;
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return Number.isInteger(mib) ? String(mib) : mib.toFixed(2);
}

function quoteArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a);
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

type State = 'new' | 'starting' | 'running' | 'exited';

class ProcessStdioTransport implements StdioTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onerror?: (error: Error) => void;
  onclose?: () => void;

  private readonly _onDidExit = new Emitter<ProcessExit>();
  readonly onDidExit = this._onDidExit.event;

  private state: State = 'new';
  private child: ChildProcess | undefined;
  private readonly stderrSink: StderrSink;
  private readonly decoder: LineDecoder;
  private readonly secrets: readonly string[];
  private readonly grace: { readonly afterEof: number; readonly afterTerm: number };
  private readonly marker = randomUUID();
  /** Processes of the tree seen so far (pid:startTime -> id), so they can be signalled after reparenting. */
  private readonly known = new Map<string, ProcessId>();
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
  private junkLines = 0;
  private corked = false;
  /** The server's start time (clock ticks since boot): orphans carrying its marker started no earlier. */
  private leaderStartTime = 0;
  private startPromise: Promise<void> | undefined;
  /** The server's cgroup where the system allows one (Linux): then membership, not the marker, decides. */
  private cgroup: ServerCgroup | undefined;

  constructor(private readonly options: StdioTransportOptions) {
    this.secrets = options.launch.secrets;
    this.grace = options.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
    this.stderrSink = new StderrSink(options.logger, this.secrets);
    this.decoder = new LineDecoder({
      maxLineBytes: options.maxMessageBytes,
      onLine: (line) => this.handleLine(line),
      onOverflowStart: (bytes) => this.handleOverflowStart(bytes),
      onOversizedLine: (o) => this.handleOversized(o),
    });
    this.exited = new Promise((r) => (this.resolveExited = r));
    this.forcedSignal = new Promise((r) => (this.resolveForced = r));
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get cgroupDir(): string | undefined {
    return this.cgroup?.dir;
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
    const { launch, baseEnv, logger } = this.options;
    const { command, cwd } = launch;
    const cwdError = checkCwd(command, cwd);
    if (cwdError) throw cwdError;
    // The env file was read once before consent (loadEnvFile): the process gets that snapshot, never a re-read.
    if (launch.envFile !== undefined && launch.envFileVariables === undefined) throw envFileNotLoadedError(launch);
    const env = buildServerEnvironment(baseEnv, launch.envFileVariables, launch.env);
    env[PROCESS_MARKER_VARIABLE] = this.marker;
    const resolved = resolveCommandOnPath(command, cwd, env);
    if (!resolved.path) throw commandNotFoundError(command, cwd, env, resolved);
    if (this.closing) throw new Error(`Start of "${command}" cancelled`);

    this.log('info', `Starting ${[command, ...launch.args].map(quoteArg).join(' ')} (cwd ${cwd}, ${resolved.path})`);
    // Made before spawning, so the child is moved in as soon as spawn returns (see cgroup.ts).
    const made = process.platform === 'linux' ? ServerCgroup.create() : { reason: 'not Linux' };
    const child = crossSpawn(command, [...launch.args], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.child = child;
    if ('cgroup' in made) {
      if (child.pid !== undefined && made.cgroup.adoptTree(child.pid)) this.cgroup = made.cgroup;
      else made.cgroup.remove();
    }
    logger.debug(this.cgroup ? `Process tree tracked in cgroup ${this.cgroup.dir}` : `No cgroup for the process tree (${'reason' in made ? made.reason : 'the process could not be moved'}): tracking it by process group, parent links and marker`);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (this.state !== 'exited') this.decoder.push(chunk);
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
    if (child.pid !== undefined) this.leaderStartTime = startTimeOf(child.pid);
    logger.debug(`Started process ${child.pid ?? '?'}`);
    child.on('error', (err) => this.fireError(err));
  }

  async send(message: JsonRpcMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (this.state !== 'running' || !stdin || !stdin.writable) throw new Error('Not connected');
    const text = JSON.stringify(message);
    this.options.logger.trace(`→ ${this.redact(excerpt(text))}`);
    // Messages sent in the same tick leave in one write (writev): fewer syscalls with many calls in flight.
    if (!this.corked) {
      this.corked = true;
      stdin.cork();
      process.nextTick(() => {
        this.corked = false;
        stdin.uncork();
      });
    }
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
      const remembering = this.remember();
      this.log('debug', 'Stopping: closing stdin');
      child.stdin?.end();
      const exitedOnEof = await this.exitedOrTimeout(this.grace.afterEof);
      await remembering;
      if (!exitedOnEof) {
        await this.remember();
        this.log('info', `The server did not exit ${this.grace.afterEof} ms after stdin closed: sending SIGTERM`);
        this.signalTree('SIGTERM');
        if (!(await this.exitedOrTimeout(this.grace.afterTerm))) {
          this.log('warn', `The server did not exit ${this.grace.afterTerm} ms after SIGTERM: sending SIGKILL`);
          await this.remember();
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
      void this.remember().then(() => this.signalTree('SIGKILL')); // and what was not known yet
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

  /** Records the current tree (before signals: parent links break when a parent dies). Never blocks. */
  private async remember(): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined || process.platform === 'win32') return;
    // With a cgroup, its members are the tree: a process a launcher moved out (a browser) is not ours.
    const tree = this.cgroup ? this.cgroup.members() : await listTreeAsync(pid);
    for (const p of tree) this.known.set(`${p.pid}:${p.startTime}`, p);
  }

  private signalTree(sig: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    if (process.platform === 'win32') {
      killProcessTree(pid, sig);
      return;
    }
    if (this.cgroup) {
      this.cgroup.signal(sig);
      return;
    }
    const leaderAlive = this.exitInfo === undefined;
    signalAll([...(leaderAlive ? [{ pid, startTime: 0 }] : []), ...this.known.values()], sig, pid);
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
    this.decoder.end();
    this.stderrSink.end();
    this.state = 'exited';
    const expected = this.closing;
    const how = info.signal ? `killed by ${info.signal}` : `exited with code ${info.code}`;
    if (expected || info.code === 0) this.log('info', `Process ${how}`);
    else this.log('warn', `Process ${how} unexpectedly`);
    // Leftover processes (a wrapper's server, a setsid'd daemon): stop them; close() awaits this too.
    this.cleanup = this.reapLeftovers();
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

  /** After the leader exited: stop what is left of its tree (group members, recorded and marked processes). */
  private async reapLeftovers(): Promise<void> {
    const pid = this.child?.pid;
    if (pid === undefined || process.platform === 'win32') return;
    if (this.cgroup) return this.reapCgroup(this.cgroup);
    const collect = async (): Promise<ProcessId[]> => {
      const all = new Map<string, ProcessId>(this.known);
      const [tree, marked] = await Promise.all([
        listTreeAsync(pid),
        processesWithMarkerAsync(PROCESS_MARKER_VARIABLE, this.marker, this.leaderStartTime),
      ]);
      for (const p of [...tree, ...marked]) all.set(`${p.pid}:${p.startTime}`, p);
      return [...all.values()].filter(isSameAlive);
    };
    let left = await collect();
    if (left.length === 0) return;
    this.log('info', `Stopping ${left.length} leftover process(es) of the server: ${left.map((p) => p.pid).join(', ')}`);
    // The group id stays reserved while any member lives, so signalling -pid cannot hit a stranger.
    signalAll(left, this.forced ? 'SIGKILL' : 'SIGTERM', pid);
    const deadline = Date.now() + (this.forced ? 0 : this.grace.afterTerm);
    while (Date.now() < deadline && left.some(isSameAlive) && !this.forced) await delay(25);
    left = await collect();
    if (left.length === 0) return;
    signalAll(left, 'SIGKILL', pid);
    const killDeadline = Date.now() + 2000;
    while (Date.now() < killDeadline && left.some(isSameAlive)) await delay(10);
  }

  /** reapLeftovers with a cgroup: SIGTERM its members, SIGKILL after the grace period, then remove it. */
  private async reapCgroup(cgroup: ServerCgroup): Promise<void> {
    const left = cgroup.members();
    if (left.length > 0) {
      this.log('info', `Stopping ${left.length} leftover process(es) of the server: ${left.map((p) => p.pid).join(', ')}`);
      cgroup.signal(this.forced ? 'SIGKILL' : 'SIGTERM');
      const deadline = Date.now() + (this.forced ? 0 : this.grace.afterTerm);
      while (Date.now() < deadline && cgroup.populated() && !this.forced) await delay(25);
      if (cgroup.populated()) cgroup.kill();
      const killDeadline = Date.now() + 2000;
      while (Date.now() < killDeadline && cgroup.populated()) await delay(10);
    }
    if (!cgroup.remove()) this.log('warn', `Could not remove the server's cgroup ${cgroup.dir}: a process in it did not stop`);
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
    this.options.logger.trace(`← ${this.redact(excerpt(line))}`);
    try {
      this.onmessage?.(message as JsonRpcMessage);
    } catch (err) {
      this.fireError(err);
    }
  }

  private junk(line: string): void {
    this.junkLines++;
    if (this.junkLines <= JUNK_LOG_LIMIT || this.junkLines % 1000 === 0) {
      const suffix = this.junkLines === JUNK_LOG_LIMIT ? ' (further such lines are logged only every 1000th)' : '';
      this.log('warn', `Ignored a stdout line that is not a JSON-RPC message (servers must log to stderr): ${excerpt(line)}${suffix}`);
    }
  }

  private limitMessage(): string {
    return `message from server exceeded ${formatMiB(this.options.maxMessageBytes)} MiB (mcpHost.maxMessageSizeMB)`;
  }

  private handleOverflowStart(bytes: number): void {
    this.log('warn', `A ${this.limitMessage()}: discarding it (${bytes} bytes so far)`);
    this.fireError(new Error(this.limitMessage()));
  }

  private handleOversized(o: OversizedLine): void {
    this.log('warn', `Discarded a message of ${o.bytes} bytes: ${this.limitMessage()}`);
    if (!o.terminated) return;
    const id = recoverResponseId(o);
    if (id === undefined) return;
    const message: JsonRpcMessage = {
      jsonrpc: '2.0',
      id,
      error: { code: -32603, message: `The result was discarded: ${this.limitMessage()}` },
    };
    try {
      this.onmessage?.(message);
    } catch (err) {
      this.fireError(err);
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

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
