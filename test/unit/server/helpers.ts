/**
 * Shared helpers for the mcp/ and registry tests: a registry over real child processes with short timings,
 * recording loggers, definitions for fixture and reference servers, and a check that no process is left.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { InputPrompter, LoadedConfig, ServerDefinition, ServerEntry } from '../../../src/core/config/types';
import { processesWithMarker } from '../../../src/core/transport/stdio/processTree';
import { ServerRequestError } from '../../../src/core/protocol/errors';
import type { AuthServices } from '../../../src/core/auth/services';
import { createHost } from '../../../src/core/host/createHost';
import type { RegistryOptions } from '../../../src/core/host/registry';
import { defaultHostSettings, type HostSettings, type LaunchGate, type RegistryDeps, type ServerRegistry, type WorkspaceFolderInfo } from '../../../src/core/host/types';
import type { ServerHandle } from '../../../src/core/server/types';
import type { ServerState } from '../../../src/core/server/state';
import type { ClientAskServices } from '../../../src/core/server/deps';
import type { NetworkOptions } from '../../../src/core/transport/http/network';
import { Emitter } from '../../../src/core/base/events';
import { recordingLogger as createRecordingLogger, type RecordingLogger } from '../../support/recordingLogger';
import { repoRoot } from '../../support/repoRoot';
import { MapMemento, MapSecretStore } from '../../support/storage';

export { repoRoot, type RecordingLogger };

export const scriptedServer = (): string => path.join(repoRoot(), 'test/fixtures/protocol/scripted-server.mjs');
export const askingServer = (): string => path.join(repoRoot(), 'test/fixtures/protocol/asking-server.mjs');

export function referenceServer(pkg: 'server-everything' | 'server-filesystem' | 'server-memory'): string {
  return path.join(repoRoot(), 'node_modules/@modelcontextprotocol', pkg, 'dist/index.js');
}

export const recordingLogger = (max = 20_000): RecordingLogger => createRecordingLogger(max);

/** A LaunchGate driven by the test: block definitions by name, count approvals. */
export class TestGate implements LaunchGate {
  readonly blocked = new Map<string, 'needsWorkspaceTrust' | 'needsConsent' | 'denied'>();
  readonly approvals: string[] = [];
  private readonly emitter = new Emitter<void>();
  readonly onDidChange = this.emitter.event;
  blockedReason(def: ServerDefinition) {
    return this.blocked.get(def.name);
  }
  approveLaunch(def: ServerDefinition) {
    this.approvals.push(def.name);
    return Promise.resolve(this.blocked.get(def.name));
  }
  fire(): void {
    this.emitter.fire();
  }
}

/** Short timings so the suites stay fast; generous enough for a loaded 2-core machine. */
export const testSettings: HostSettings = {
  ...defaultHostSettings,
  initializeTimeoutMs: 15_000,
  requestTimeoutMs: 15_000,
  maxTotalTimeoutMs: 30_000,
};

export const testTuning: RegistryOptions = {
  stopGraceMs: { afterEof: 300, afterTerm: 700 },
  restartBackoffMs: [100, 200, 400],
  listDebounceMs: 100,
};

export interface Harness {
  readonly registry: ServerRegistry;
  readonly gate: TestGate;
  readonly hostLog: RecordingLogger;
  serverLog(name: string): RecordingLogger;
  /** Unique per harness: put into every server's environment to find its processes in /proc. */
  readonly marker: string;
  settings: HostSettings;
  readonly tmp: string;
  /** The host's memento (remembered inputs, eras, sampling consent). */
  readonly memento: MapMemento;
  /** What deps.workspaceFolders() returns (mutable). */
  folders: WorkspaceFolderInfo[];
  /** A user-settings definition running `node <script> ...args` with the harness marker in its env. */
  def(name: string, args: readonly string[], entry?: Partial<ServerEntry>, source?: ServerDefinition['source']): ServerDefinition;
  scripted(name: string, mode?: string, env?: Record<string, string>, entry?: Partial<ServerEntry>): ServerDefinition;
  config(...defs: ServerDefinition[]): LoadedConfig;
  /** apply + get by name. */
  add(...defs: ServerDefinition[]): Promise<ServerHandle[]>;
  /** Processes started by this harness that are still alive. */
  alive(): number[];
  /** Disposes the registry and asserts that no process it started is alive. */
  close(): Promise<void>;
}

export function createHarness(
  options: { settings?: Partial<HostSettings>; tuning?: RegistryOptions; inputs?: InputPrompter; asks?: ClientAskServices; authServices?: AuthServices; network?: NetworkOptions } = {},
): Harness {
  const marker = randomUUID();
  const gate = new TestGate();
  const hostLog = recordingLogger();
  const logs = new Map<string, RecordingLogger>();
  const serverLog = (name: string) => {
    let l = logs.get(name);
    if (!l) logs.set(name, (l = recordingLogger()));
    return l;
  };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcph-test-'));
  const memento = new MapMemento();
  const h = {
    memento,
    settings: { ...testSettings, ...options.settings },
    folders: [{ name: 'ws', path: tmp, uri: `file://${tmp}` }],
  } as Harness;
  // Keep node start fast: NODE_EXTRA_CA_CERTS doubles it (MCP-NOTES).
  const baseEnv: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };
  const deps: RegistryDeps = {
    clientInfo: { name: 'mcp-host-tests', version: '0.0.0' },
    baseEnv,
    userHome: tmp,
    settings: () => h.settings,
    workspaceFolders: () => h.folders,
    inputs: options.inputs ?? { prompt: () => Promise.resolve(undefined) },
    secrets: new MapSecretStore(),
    memento,
    gate,
    serverLogger: serverLog,
    hostLogger: hostLog,
    ...(options.asks ? { asks: options.asks } : {}),
    ...(options.network ? { network: options.network } : {}),
  };
  const registry = createHost({ ...deps, ...(options.authServices ? { authServices: options.authServices } : {}) }, { ...testTuning, ...options.tuning }).registry;
  const def = (name: string, args: readonly string[], entry: Partial<ServerEntry> = {}, source: ServerDefinition['source'] = { kind: 'userSettings' }) => ({
    id: `${source.kind}:${source.file ?? ''}:${name}`,
    name,
    source,
    inputs: [],
    entry: {
      type: 'stdio',
      command: process.execPath,
      args: [...args],
      disabled: false,
      cwd: tmp,
      ...entry,
      env: { MCPH_TEST_MARKER: marker, ...entry.env },
    },
  });
  Object.assign(h, {
    registry,
    gate,
    hostLog,
    serverLog,
    marker,
    tmp,
    def,
    scripted: (name: string, mode = 'normal', env: Record<string, string> = {}, entry: Partial<ServerEntry> = {}) =>
      def(name, [scriptedServer(), mode], { ...entry, env: { ...env, ...entry.env } }),
    config: (...defs: ServerDefinition[]) => ({ servers: defs, problems: [] }),
    async add(...defs: ServerDefinition[]) {
      await registry.apply({ servers: [...registry.servers.map((s) => s.definition), ...defs], problems: [] });
      return defs.map((d) => registry.get(d.id)!);
    },
    alive: () => processesWithMarker('MCPH_TEST_MARKER', marker).map((p) => p.pid),
    async close() {
      await registry.dispose();
      const left = processesWithMarker('MCPH_TEST_MARKER', marker).map((p) => p.pid);
      fs.rmSync(tmp, { recursive: true, force: true });
      assert.deepEqual(left, [], `processes left behind: ${left.join(', ')}`);
    },
  });
  return h;
}

/** Resolves when `predicate(server.state)` holds (checked now and on every change), or rejects after `ms`. */
export function waitForState(server: ServerHandle, predicate: (s: ServerState) => boolean, ms = 15_000): Promise<ServerState> {
  if (predicate(server.state)) return Promise.resolve(server.state);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for state; last: ${JSON.stringify(server.state)}`));
    }, ms);
    const sub = server.onDidChangeState((s) => {
      if (predicate(s)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(s);
      }
    });
  });
}

export async function waitFor(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Messages a scripted server recorded (RECORD_FILE). */
export function recorded(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return fs.existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The ServerRequestError `p` rejects with; fails with `otherwise` when it resolves, or on any other error. */
export async function requestError(p: Promise<unknown>, otherwise = 'expected a failure'): Promise<ServerRequestError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof ServerRequestError, `expected ServerRequestError, got ${String(e)}`);
    return e;
  }
  return assert.fail(otherwise);
}
