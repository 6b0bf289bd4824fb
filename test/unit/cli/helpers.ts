/**
 * Runs the command-line client (out/src/cli.js, the same code dist/cli.js bundles) as a child process with its
 * own HOME, and finds every process it started through a marker in the environment (servers inherit it).
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { processesWithMarker } from '../../../src/core/transport/stdio/processTree';
import { repoRoot } from '../../support/repoRoot';

export const cliScript = (): string => path.join(repoRoot(), 'out/src/cli.js');
export const everything = (): string => path.join(repoRoot(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const fixture = (rel: string): string => path.join(repoRoot(), 'test/fixtures', rel);

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

export interface CliSandbox {
  /** Temporary folder used as HOME and as the current folder. */
  readonly dir: string;
  readonly marker: string;
  /** Starts the CLI; `done` resolves when it exited. */
  start(args: readonly string[], options?: { env?: Record<string, string>; cwd?: string }): { child: ChildProcess; done: Promise<CliRun> };
  run(args: readonly string[], options?: { env?: Record<string, string>; cwd?: string }): Promise<CliRun>;
  write(rel: string, text: string): string;
  /** Processes started by this sandbox (the CLI and its servers) still alive. */
  alive(): number[];
  /** Asserts that nothing is left (waiting briefly for exits being reaped), then removes the folder. */
  close(): Promise<void>;
}

export function cliSandbox(): CliSandbox {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcph-cli-')));
  const marker = randomUUID();
  const start = (args: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}) => {
    const t0 = Date.now();
    // A small environment: no NODE_EXTRA_CA_CERTS (doubles Node's start), no user settings (HOME is the sandbox).
    const env = { PATH: process.env.PATH ?? '', HOME: dir, LANG: 'C.UTF-8', MCP_HOST_TEST_MARKER: marker, ...options.env };
    const child = spawn(process.execPath, [cliScript(), ...args], { cwd: options.cwd ?? dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = new Promise<CliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 })));
    return { child, done };
  };
  const alive = () => processesWithMarker('MCP_HOST_TEST_MARKER', marker).map((p) => p.pid);
  return {
    dir,
    marker,
    start,
    run: (args, options) => start(args, options).done,
    write(rel, text) {
      const file = path.join(dir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
      return file;
    },
    alive,
    async close() {
      // The CLI exits after its servers' exits were seen; zombies being reaped may linger a moment.
      for (let i = 0; i < 50 && alive().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
      const left = alive();
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(left, [], 'no process started by the CLI is left');
    },
  };
}

/** Waits until `check()` holds (polling), failing after `ms`. */
export async function waitUntil(what: string, check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** POSIX shell quoting for `script -c`. */
const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A run of `mcp-host` on a pseudo-terminal; `screen()` is what the terminal showed so far. */
export interface TerminalRun {
  readonly child: ChildProcess;
  screen(): string;
  readonly done: Promise<number | null>;
}

/** Runs `mcp-host ARGS` in `sb` on a real pseudo-terminal (util-linux `script`), stdin and stdout both terminals. */
export function onTerminal(sb: CliSandbox, args: readonly string[]): TerminalRun {
  const cmd = [process.execPath, cliScript(), ...args].map(sq).join(' ');
  const child = spawn('script', ['-q', '-e', '-c', cmd, '/dev/null'], {
    cwd: sb.dir,
    env: { PATH: process.env.PATH ?? '', HOME: sb.dir, LANG: 'C.UTF-8', TERM: 'dumb', MCP_HOST_TEST_MARKER: sb.marker },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout?.on('data', (d: Buffer) => (screen += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, screen: () => screen, done };
}
