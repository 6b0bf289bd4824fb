/**
 * Finding and stopping a server's whole process tree.
 *
 * Each server is spawned as the leader of its own process group (POSIX `detached: true`), so one signal to the
 * group reaches the wrapper (`npx`, `uvx`, a shell script) and the real server it started. A descendant that left
 * the group (setsid, or a daemonizing server) is found through the parent links in /proc/<pid>/stat, and, once its
 * parent has died and it was reparented to init, through an environment marker (see `processesWithMarker`).
 * Each found process is remembered with its start time, so a recycled pid is never signalled.
 *
 * On Linux, when MCP Host may create a cgroup, the transport tracks the tree by cgroup instead (cgroup.ts); this
 * is the fallback (and what the orphan reaper uses for records without a cgroup).
 *
 * Linux reads /proc; macOS and other POSIX systems fall back to `ps -A -o pid=,ppid=`; Windows uses
 * `taskkill /T /F`, which walks the tree itself.
 */
import { execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

/** A process identified robustly: pid plus start time (clock ticks since boot; 0 where unknown). */
export interface ProcessId {
  readonly pid: number;
  readonly startTime: number;
}

export interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  readonly state: string;
  readonly startTime: number;
}

const hasProc = process.platform === 'linux' && fs.existsSync('/proc/self/stat');

/** Parses /proc/<pid>/stat (the command name may contain spaces and parentheses); undefined without it. */
export function readStat(pid: number): ProcInfo | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  if (close === -1) return undefined;
  const f = text.slice(close + 2).split(' ');
  // f[0] = state (field 3), f[1] = ppid (4), f[2] = pgrp (5), f[19] = starttime (22)
  return {
    pid,
    state: f[0] ?? '?',
    ppid: Number(f[1]),
    pgid: Number(f[2]),
    startTime: Number(f[19]),
  };
}

function allProcesses(): ProcInfo[] {
  if (hasProc) {
    const out: ProcInfo[] = [];
    for (const name of fs.readdirSync('/proc')) {
      const c = name.charCodeAt(0);
      if (c < 48 || c > 57) continue;
      const info = readStat(Number(name));
      if (info) out.push(info);
    }
    return out;
  }
  if (process.platform === 'win32') return [];
  const res = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,stat='], { encoding: 'utf8', windowsHide: true });
  if (res.status !== 0 || typeof res.stdout !== 'string') return [];
  const out: ProcInfo[] = [];
  for (const line of res.stdout.split('\n')) {
    const [pid, ppid, pgid, state] = line.trim().split(/\s+/);
    if (!pid || !ppid) continue;
    out.push({ pid: Number(pid), ppid: Number(ppid), pgid: Number(pgid), state: (state ?? '?').charAt(0), startTime: 0 });
  }
  return out;
}

/** A zombie or dead process state (/proc/<pid>/stat field 3). */
export function isGone(state: string): boolean {
  return state === 'Z' || state === 'X' || state === 'x';
}

/**
 * Live descendants of `pid` (children, grandchildren, ...; also those in other process groups or sessions), and
 * the members of its process group, in no particular order. Zombies are left out. `pid` itself is not included.
 */
export function listDescendants(pid: number): number[] {
  return listTree(pid).map((p) => p.pid);
}

/** Like listDescendants, with start times (to signal later without hitting a recycled pid). */
export function listTree(pid: number): ProcessId[] {
  if (process.platform === 'win32') return [];
  return treeOf(pid, allProcesses());
}

/**
 * Processes of this user whose environment holds `name=value` (descendants inherit the server's environment, so
 * this finds orphans that were reparented to init after their parent exited). Linux only; [] elsewhere.
 */
export function processesWithMarker(name: string, value: string): ProcessId[] {
  if (!hasProc) return [];
  const needle = Buffer.from(`\0${name}=${value}\0`);
  const first = Buffer.from(`${name}=${value}\0`);
  const out: ProcessId[] = [];
  const self = process.pid;
  for (const entry of fs.readdirSync('/proc')) {
    const c = entry.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    const pid = Number(entry);
    if (pid === self) continue;
    let env: Buffer;
    try {
      env = fs.readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // another user's process, or gone
    }
    if (env.indexOf(needle) === -1 && !(env.length >= first.length && env.subarray(0, first.length).equals(first))) continue;
    const info = readStat(pid);
    if (info && !isGone(info.state)) out.push({ pid, startTime: info.startTime });
  }
  return out;
}

// ----- Asynchronous variants: the transport uses these so that scanning /proc never blocks the event loop
// (reading every /proc/<pid>/environ takes tens of ms on a loaded machine).

async function readStatAsync(pid: number): Promise<ProcInfo | undefined> {
  let text: string;
  try {
    text = await fs.promises.readFile(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return undefined;
  }
  const close = text.lastIndexOf(')');
  if (close === -1) return undefined;
  const f = text.slice(close + 2).split(' ');
  return { pid, state: f[0] ?? '?', ppid: Number(f[1]), pgid: Number(f[2]), startTime: Number(f[19]) };
}

let lastScan: { readonly at: number; readonly table: Promise<ProcInfo[]> } | undefined;

/**
 * The process table, shared by callers within `maxAgeMs` of each other (twenty servers stopping together scan
 * /proc once or twice, not sixty times).
 */
function processTable(maxAgeMs = 50): Promise<ProcInfo[]> {
  const now = Date.now();
  if (lastScan && now - lastScan.at <= maxAgeMs) return lastScan.table;
  const table = allProcessesAsync();
  lastScan = { at: now, table };
  return table;
}

async function allProcessesAsync(): Promise<ProcInfo[]> {
  if (!hasProc) return allProcesses();
  const names = (await fs.promises.readdir('/proc')).filter((n) => {
    const c = n.charCodeAt(0);
    return c >= 48 && c <= 57;
  });
  const infos = await Promise.all(names.map((n) => readStatAsync(Number(n))));
  return infos.filter((i): i is ProcInfo => i !== undefined);
}

function treeOf(pid: number, procs: readonly ProcInfo[]): ProcessId[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    let list = children.get(p.ppid);
    if (!list) children.set(p.ppid, (list = []));
    list.push(p);
  }
  const seen = new Set<number>([pid]);
  const out: ProcessId[] = [];
  const queue = [pid];
  const visit = (p: ProcInfo): void => {
    if (seen.has(p.pid)) return;
    seen.add(p.pid);
    if (!isGone(p.state)) out.push({ pid: p.pid, startTime: p.startTime });
    queue.push(p.pid);
  };
  for (const p of procs) if (p.pgid === pid && p.pid !== pid) visit(p);
  while (queue.length > 0) {
    const next = queue.shift() as number;
    for (const c of children.get(next) ?? []) visit(c);
  }
  return out;
}

/** listTree without blocking: same result, /proc read asynchronously. */
export async function listTreeAsync(pid: number): Promise<ProcessId[]> {
  if (process.platform === 'win32') return [];
  return treeOf(pid, await processTable());
}

/** Start time (clock ticks since boot) of a live process, 0 when unknown. */
export function startTimeOf(pid: number): number {
  return hasProc ? (readStat(pid)?.startTime ?? 0) : 0;
}

/**
 * Like processesWithMarker, without blocking, and reading the environment only of plausible orphans: processes
 * that started no earlier than `startedAfter` (the server's own start time) and are not descendants of this
 * process (other servers, which have their own markers).
 */
export async function processesWithMarkerAsync(name: string, value: string, startedAfter = 0): Promise<ProcessId[]> {
  if (!hasProc) return [];
  const procs = await processTable();
  const ours = new Set(treeOf(process.pid, procs).map((p) => p.pid));
  ours.add(process.pid);
  const needle = Buffer.from(`\0${name}=${value}\0`);
  const first = Buffer.from(`${name}=${value}\0`);
  const candidates = procs.filter((p) => p.startTime >= startedAfter && !ours.has(p.pid) && !isGone(p.state));
  const found = await Promise.all(
    candidates.map(async (p) => {
      let env: Buffer;
      try {
        env = await fs.promises.readFile(`/proc/${p.pid}/environ`);
      } catch {
        return undefined; // another user's process, or gone
      }
      const hit = env.indexOf(needle) !== -1 || (env.length >= first.length && env.subarray(0, first.length).equals(first));
      return hit ? { pid: p.pid, startTime: p.startTime } : undefined;
    }),
  );
  return found.filter((p): p is ProcessId => p !== undefined);
}

/** True while `pid` exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  if (hasProc) {
    const info = readStat(pid);
    return info !== undefined && !isGone(info.state);
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True while the process identified by pid and start time is alive (false for a recycled pid). */
export function isSameAlive(p: ProcessId): boolean {
  if (!hasProc || p.startTime === 0) return isAlive(p.pid);
  const info = readStat(p.pid);
  return info !== undefined && !isGone(info.state) && info.startTime === p.startTime;
}

/** Sends a signal, ignoring a process that is already gone. Returns true if it was delivered. */
export function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

/**
 * Signals `pid`'s process group (when `pid` leads one), then every process in its tree (descendants that left
 * the group included), and returns the processes it found (with start times, for a later SIGKILL).
 * On Windows, `taskkill /T /F` ends the whole tree whatever the signal.
 */
export function killProcessTree(pid: number, sig: NodeJS.Signals = 'SIGTERM'): ProcessId[] {
  if (process.platform === 'win32') {
    execFile('taskkill', ['/pid', String(pid), '/T', '/F'], { windowsHide: true }, () => {});
    return [];
  }
  const tree = listTree(pid); // before signalling: once a parent dies its children are reparented
  signalAll([{ pid, startTime: 0 }, ...tree], sig, pid);
  return tree;
}

/** Signals the group of `groupLeader` (if given) and each listed process that is still the same process. */
export function signalAll(procs: readonly ProcessId[], sig: NodeJS.Signals, groupLeader?: number): void {
  if (groupLeader !== undefined) signal(-groupLeader, sig);
  for (const p of procs) {
    if (p.pid === groupLeader) signal(p.pid, sig);
    else if (isSameAlive(p)) signal(p.pid, sig);
  }
}
