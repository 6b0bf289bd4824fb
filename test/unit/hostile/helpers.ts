/**
 * Helpers for the hostile-server suite: the fixture paths, a healthy neighbour server that must keep answering,
 * peak memory of this test process, and percentiles.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ServerHandle } from '../../../src/core/server/types';
import { createHarness, repoRoot, type Harness } from '../server/helpers';

export const MiB = 1024 * 1024;

/** test/fixtures/hostile/<name>. */
export const hostileFixture = (name: string): string => path.join(repoRoot(), 'test/fixtures/hostile', name);

/** Node arguments of the hostile server with the given flags. */
export const hostile = (...flags: string[]): string[] => [hostileFixture('hostile-server.mjs'), ...flags];

/** The text of a tool result's text blocks. */
export const textOf = (r: { content: readonly { type: string }[] }): string =>
  r.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : `[${c.type}]`)).join('\n');

/**
 * The neighbour is unaffected: still running with the same process, and answering within `ms`.
 */
export async function assertNeighbourUnaffected(neighbour: ServerHandle, pid: number, ms = 3000): Promise<void> {
  assert.equal(neighbour.state.kind, 'running', `neighbour state ${JSON.stringify(neighbour.state)}`);
  assert.equal(neighbour.pid, pid, 'the neighbour kept its process');
  const t0 = Date.now();
  const r = await neighbour.callTool('echo', { text: 'still here' }, { timeoutMs: ms });
  assert.equal(textOf(r), 'still here');
  assert.ok(Date.now() - t0 < ms);
}

/** A harness with a healthy neighbour (a scripted server) already running, and its pid. */
export async function harnessWithNeighbour(): Promise<{ h: Harness; neighbour: ServerHandle; neighbourPid: number }> {
  const h = createHarness();
  const [neighbour] = (await h.add(h.scripted('neighbour'))) as [ServerHandle];
  await neighbour.start();
  return { h, neighbour, neighbourPid: neighbour.pid! };
}

/** Resets the peak resident set size of this process (Linux: /proc/self/clear_refs), returns the current RSS. */
export function resetPeakRss(): number {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    // not Linux: peakRss() then reports the lifetime peak
  }
  return process.memoryUsage().rss;
}

/** Peak resident set size of this process in bytes since the last reset (VmHWM), or the current RSS. */
export function peakRss(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m?.[1]) return Number(m[1]) * 1024;
  } catch {
    // fall through
  }
  return process.memoryUsage().rss;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;
