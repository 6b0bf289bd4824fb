/**
 * Remote MCP servers for the tests: server-everything in its streamableHttp and sse modes on 127.0.0.1 (a real
 * process, stopped by the test), the WebSocket fixture and the hostile HTTP fixture (in this process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { repoRoot } from './repoRoot';

/** A port free right now on 127.0.0.1 (server-everything takes its port from PORT, it cannot report one). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningEverything {
  /** The MCP endpoint: http://127.0.0.1:<port>/mcp (streamableHttp) or /sse (sse). */
  readonly url: string;
  readonly process: ChildProcess;
  /** What the server wrote (it logs every request on stdout). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `@modelcontextprotocol/server-everything <mode>` and waits until it listens. */
export async function startEverything(mode: 'streamableHttp' | 'sse'): Promise<RunningEverything> {
  const port = await freePort();
  const script = path.join(repoRoot(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
  const child = spawn(process.execPath, [script, mode], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString('utf8')).length > 1e6 && (out = out.slice(-5e5)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server-everything ${mode} did not start: ${out}`)), 20_000);
    child.stderr?.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      if (/listening on port|running on port/i.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-everything ${mode} exited with ${code}: ${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/${mode === 'sse' ? 'sse' : 'mcp'}`,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

export interface HostileHttp {
  readonly port: number;
  readonly origin: string;
  readonly otherOrigin: string;
  readonly seen: {
    requests: { method: string; path: string; headers: Record<string, string | undefined>; body: Record<string, unknown> | undefined }[];
    other: { method: string; url: string; headers: Record<string, string | undefined> }[];
    lastEventIds: (string | undefined)[];
    sessions: number;
    deletes: (string | undefined)[];
  };
  close(): Promise<void>;
}

/** test/fixtures/http/hostile-http.mjs, in this process. */
export async function startHostileHttp(): Promise<HostileHttp & { BIG: number }> {
  const mod = (await import(path.join(repoRoot(), 'test/fixtures/http/hostile-http.mjs'))) as { startHostileHttp(): Promise<HostileHttp>; BIG: number };
  return Object.assign(await mod.startHostileHttp(), { BIG: mod.BIG });
}

export interface WsFixture {
  readonly port: number;
  url(mode?: string): string;
  close(): Promise<void>;
}

/** test/fixtures/ws/ws-server.mjs, in this process (each connection bridged to a scripted-server process). */
export async function startWsServer(options: { env?: Record<string, string>; protocols?: string[] } = {}): Promise<WsFixture> {
  const mod = (await import(path.join(repoRoot(), 'test/fixtures/ws/ws-server.mjs'))) as { startWsServer(o: typeof options): Promise<WsFixture> };
  return mod.startWsServer(options);
}
