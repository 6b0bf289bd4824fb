// What every bench client of MCP Host's engine shares: the host's dependencies as the extension and the CLI give
// them (one cached settings object, an in-memory memento, no trust prompts), and the CPU time of a server process.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

const TICK_MS = 10; // CLK_TCK 100 on Linux

/**
 * The dependencies createHost() takes, for a benchmark: `settings` is ONE object, as the extension's cached settings
 * and the CLI's are (a fresh spread per call is garbage no host makes); `memory` backs the memento (protocol eras).
 */
export function benchHostDeps({ defaultHostSettings, nullLogger, baseEnv = process.env, memory = new Map() }) {
  const settings = { ...defaultHostSettings, maxMessageBytes: 256 * 1024 * 1024 };
  return {
    clientInfo: { name: 'mcp-host-bench', version: '0.0.0' },
    baseEnv,
    userHome: os.homedir(),
    settings: () => settings,
    workspaceFolders: () => [],
    inputs: { prompt: async () => undefined },
    secrets: { get: async () => undefined, store: async () => {}, delete: async () => {} },
    memento: { get: (k) => memory.get(k), update: async (k, v) => void memory.set(k, v) },
    gate: { blockedReason: () => undefined, approveLaunch: async () => undefined, onDidChange: () => ({ dispose() {} }) },
    serverLogger: () => nullLogger,
    hostLogger: nullLogger,
  };
}

/**
 * CPU time of a process in ms, all its threads (Node's GC and compiler threads too): the nanoseconds of
 * /proc/<pid>/task/<tid>/schedstat where the kernel has them, else the 10 ms ticks of /proc/<pid>/stat.
 */
export function serverCpuMs(pid) {
  try {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[0]);
      } catch {
        // the thread ended meanwhile
      }
    }
    if (Number.isFinite(ns) && ns > 0) return ns / 1e6;
  } catch {
    // no schedstat: ticks below
  }
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/** Process CPU (process.cpuUsage) in ms. */
export const cpuMs = (u) => (u.user + u.system) / 1000;

/**
 * Pins this process (every thread) and the servers it spawns after this to the last CPU. On this 2-vCPU VM the p50 of
 * a ping-pong is bimodal by where the scheduler keeps a server relative to its client (about 45 vs 80 µs for the same
 * server from run to run); on one CPU it is the same in every run. Returns whether it worked (taskset, Linux).
 */
export function pinToOneCpu() {
  const cpu = os.availableParallelism() - 1;
  try {
    execFileSync('taskset', ['-a', '-cp', String(cpu), String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether client `c` still answers an echo within 5 s (after a big message: did the connection survive?). */
export async function stillAnswers(c) {
  try {
    await Promise.race([c.callTool('echo', { text: 'after' }), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 5000))]);
    return true;
  } catch {
    return false;
  }
}
