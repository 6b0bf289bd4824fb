/** Shared helpers for the process tests: repo root, a recording logger, a tiny JSON-RPC client over a transport. */
import * as path from 'node:path';
import type { JsonRpcMessage } from '../../../../src/core/transport/types';
import type { StdioTransport, StdioTransportOptions } from '../../../../src/core/transport/stdio/types';
import { createStdioTransport } from '../../../../src/core/transport/stdio/stdioTransport';
import { isAlive } from '../../../../src/core/transport/stdio/processTree';
import { recordingLogger as createRecordingLogger, type RecordingLogger } from '../../../support/recordingLogger';
import { repoRoot } from '../../../support/repoRoot';

export { repoRoot, type RecordingLogger };

export const fixture = (name: string): string => path.join(repoRoot(), 'test/fixtures/servers', name);

export const recordingLogger = (max = 10_000): RecordingLogger => createRecordingLogger(max);

export function nodeServer(
  script: string,
  args: string[] = [],
  extra: Partial<StdioTransportOptions> & { env?: Record<string, string | null>; envFile?: string; envFileVariables?: Record<string, string>; cwd?: string } = {},
): { transport: StdioTransport; logger: RecordingLogger; client: MiniClient } {
  const logger = recordingLogger();
  const transport = createStdioTransport({
    launch: {
      command: process.execPath,
      args: [fixture(script), ...args],
      cwd: extra.cwd ?? repoRoot(),
      env: extra.env ?? {},
      envFile: extra.envFile,
      envFileVariables: extra.envFileVariables,
      secrets: [],
    },
    baseEnv: extra.baseEnv ?? process.env,
    maxMessageBytes: extra.maxMessageBytes ?? 256 * 1024 * 1024,
    logger,
    stopGraceMs: extra.stopGraceMs,
  });
  return { transport, logger, client: new MiniClient(transport) };
}

/** Sends requests and matches responses by id (the tests exercise the transport, not the SDK). */
export class MiniClient {
  private nextId = 1;
  private readonly pending = new Map<number | string, { resolve: (m: JsonRpcMessage) => void }>();
  readonly errors: Error[] = [];
  readonly messages: JsonRpcMessage[] = [];
  closed = false;

  constructor(readonly transport: StdioTransport) {
    transport.onmessage = (m) => {
      this.messages.push(m);
      const id = m.id as number | string | undefined;
      const p = id === undefined ? undefined : this.pending.get(id);
      if (p && id !== undefined) {
        this.pending.delete(id);
        p.resolve(m);
      }
    };
    transport.onerror = (e) => this.errors.push(e);
    transport.onclose = () => {
      this.closed = true;
    };
  }

  async request(method: string, params: unknown = {}, timeoutMs = 30_000): Promise<JsonRpcMessage> {
    const id = this.nextId++;
    const reply = new Promise<JsonRpcMessage>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${method} #${id}`)), timeoutMs);
      this.pending.set(id, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
    await this.transport.send({ jsonrpc: '2.0', id, method, params });
    return reply;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits until `pred` is true (polling), failing after `ms`. */
export async function waitFor(pred: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Pids among `pids` still alive (zombies count as gone): what a test must leave empty. */
export function survivors(pids: readonly number[]): number[] {
  return pids.filter((p) => isAlive(p));
}

/** Last resort for a failing test: SIGKILL pids so nothing outlives the run. */
export function killAll(pids: readonly number[]): void {
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
}
