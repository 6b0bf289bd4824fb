/**
 * Servers left behind by an extension host that died without stopping them (SIGKILL, crash, power cut).
 *
 * Servers that honour stdin EOF exit by themselves when the host dies (their stdin pipe closes). For the others,
 * every running server is recorded in a small JSON file per host process (`host-<pid>-<startTime>.json` in a
 * directory the adapter passes: the extension's global storage), and entries are removed when the process exits.
 * On the next activation (any window), `reapOrphans` looks at the files of hosts that are no longer alive and
 * stops their recorded processes that are still alive: SIGTERM to the process group and to every process carrying
 * the launch's marker variable (descendants that escaped the group), then SIGKILL after a grace period.
 *
 * Never kills a stranger: a process is only signalled when its pid AND its start time (/proc/<pid>/stat field 22)
 * match the record, or when it carries the launch's unique marker; files of live hosts (other windows) are left
 * alone; two windows reaping at once do not both act on a file (it is claimed by a rename first).
 *
 * Linux only (it needs /proc for start times): elsewhere recording and reaping do nothing.
 * TODO(#6): macOS start times through `ps -o lstart=` so reaping works there too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isGone, isSameAlive, listTree, processesWithMarker, readStat, signal, signalAll, type ProcessId } from './processTree';
import { PROCESS_MARKER_VARIABLE } from './stdioTransport';
import { ServerCgroup } from './cgroup';
import type { Logger } from '../../base/logger';
import type { ProcessRecorderHook } from './types';

/** One running server process as recorded. */
export interface ProcessRecord {
  readonly pid: number;
  /** Its process group (the server leads its own group). */
  readonly pgid: number;
  /** Clock ticks since boot when it started (/proc/<pid>/stat field 22): tells a recycled pid apart. */
  readonly startTime: number;
  /** The command line (secrets redacted), for the log. */
  readonly command: string;
  /** Value of MCP_HOST_PROCESS_TOKEN in its environment (inherited by its descendants), when readable. */
  readonly marker?: string;
  /** The cgroup holding its whole tree (Linux, where allowed): finds descendants that dropped the marker too. */
  readonly cgroup?: string;
}

interface RecordFile {
  readonly owner: { readonly pid: number; readonly startTime: number };
  readonly processes: readonly ProcessRecord[];
}

export type { ProcessRecorderHook } from './types';

export interface ProcessRecorder extends ProcessRecorderHook {
  /** The file this host writes (it exists while at least one server runs). */
  readonly file: string;
  /** Currently recorded processes. */
  readonly records: readonly ProcessRecord[];
}

const hasProc = process.platform === 'linux' && fs.existsSync('/proc/self/stat');
const FILE_PATTERN = /^host-(\d+)-(\d+)\.json$/;

/** pgid and start time of a live process (undefined when gone, a zombie, or without /proc). */
export function processStat(pid: number): { pgid: number; startTime: number } | undefined {
  if (!hasProc) return undefined;
  const info = readStat(pid);
  if (!info || isGone(info.state)) return undefined;
  const { pgid, startTime } = info;
  return Number.isFinite(pgid) && Number.isFinite(startTime) ? { pgid, startTime } : undefined;
}

function readMarker(pid: number): string | undefined {
  try {
    const env = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    const key = `${PROCESS_MARKER_VARIABLE}=`;
    for (const entry of env.split('\0')) if (entry.startsWith(key)) return entry.slice(key.length);
  } catch {
    // another user's process, or gone
  }
  return undefined;
}

/**
 * Records the running servers of this host in `dir` (created on first write). Writes are small, synchronous and
 * atomic (temp file + rename), so a host killed at any moment leaves a readable file.
 */
export function createProcessRecorder(dir: string, logger: Logger): ProcessRecorder {
  const entries = new Map<number, ProcessRecord>();
  const own = processStat(process.pid);
  const file = path.join(dir, `host-${process.pid}-${own?.startTime ?? 0}.json`);
  let warned = false;
  const write = (): void => {
    if (!hasProc || !own) return;
    try {
      if (entries.size === 0) {
        fs.rmSync(file, { force: true });
        return;
      }
      fs.mkdirSync(dir, { recursive: true });
      const data: RecordFile = { owner: { pid: process.pid, startTime: own.startTime }, processes: [...entries.values()] };
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify(data));
      fs.renameSync(tmp, file);
    } catch (e) {
      if (!warned) logger.warn(`could not record server processes in ${dir} (orphans cannot be reaped after a crash): ${String(e)}`);
      warned = true;
    }
  };
  return {
    file,
    get records() {
      return [...entries.values()];
    },
    spawned(pid, command, cgroup) {
      const stat = processStat(pid);
      if (!stat) return;
      const marker = readMarker(pid);
      entries.set(pid, { pid, pgid: stat.pgid, startTime: stat.startTime, command, ...(marker ? { marker } : {}), ...(cgroup ? { cgroup } : {}) });
      write();
    },
    exited(pid) {
      if (entries.delete(pid)) write();
    },
  };
}

export interface ReapResult {
  /** Record files of dead hosts that were processed. */
  readonly files: number;
  /** Processes that were signalled (leaders and their descendants). */
  readonly signalled: readonly ProcessId[];
  /** Of those, the ones still alive after SIGKILL (should be empty). */
  readonly survivors: readonly ProcessId[];
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Stops the servers recorded by hosts that are no longer running (see the module comment). Resolves when done;
 * never throws (problems are logged). `graceMs` is the wait between SIGTERM and SIGKILL (default 1 s).
 */
export async function reapOrphans(dir: string, logger: Logger, options: { graceMs?: number } = {}): Promise<ReapResult> {
  try {
    return await reap(dir, logger, options.graceMs ?? 1000);
  } catch (e) {
    logger.warn(`reaping orphaned server processes failed: ${String(e)}`);
    return { files: 0, signalled: [], survivors: [] };
  }
}

async function reap(dir: string, logger: Logger, graceMs: number): Promise<ReapResult> {
  const none: ReapResult = { files: 0, signalled: [], survivors: [] };
  if (!hasProc) return none;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return none; // nothing recorded yet
  }
  let files = 0;
  const targets = new Map<string, ProcessId>();
  const groups = new Set<number>();
  const cgroups: ServerCgroup[] = [];
  for (const name of names) {
    const m = FILE_PATTERN.exec(name);
    if (!m) continue;
    const owner = { pid: Number(m[1]), startTime: Number(m[2]) };
    if (owner.pid === process.pid || isSameAlive(owner)) continue; // a live host (this one or another window)
    const full = path.join(dir, name);
    const claimed = `${full}.reaping-${process.pid}`;
    try {
      fs.renameSync(full, claimed); // two windows starting at once: only one reaps a file
    } catch {
      continue;
    }
    files++;
    let data: RecordFile | undefined;
    try {
      data = JSON.parse(fs.readFileSync(claimed, 'utf8')) as RecordFile;
    } catch (e) {
      logger.warn(`ignoring an unreadable record of server processes ${name}: ${String(e)}`);
    }
    for (const r of data?.processes ?? []) {
      if (typeof r?.pid !== 'number' || typeof r.startTime !== 'number') continue;
      const found: ProcessId[] = [];
      const leader = { pid: r.pid, startTime: r.startTime };
      const leaderAlive = isSameAlive(leader);
      if (leaderAlive) {
        found.push(leader, ...listTree(r.pid));
        if (r.pgid === r.pid) groups.add(r.pgid);
      }
      // Descendants that outlived the leader or escaped its group still carry the launch's unique marker.
      if (typeof r.marker === 'string' && r.marker.length >= 16) found.push(...processesWithMarker(PROCESS_MARKER_VARIABLE, r.marker));
      // Its cgroup holds what dropped the marker and left the group (setsid, clean environment).
      const cg = typeof r.cgroup === 'string' ? ServerCgroup.open(r.cgroup) : undefined;
      if (cg) {
        cgroups.push(cg);
        found.push(...cg.members());
      }
      const unique = new Map(found.map((p) => [`${p.pid}:${p.startTime}`, p]));
      const alive = [...unique.values()].filter((p) => p.pid !== process.pid && isSameAlive(p));
      if (alive.length === 0) {
        logger.debug(`server process ${r.pid} (${r.command}) recorded by MCP Host process ${owner.pid} is gone`);
        continue;
      }
      logger.info(
        `stopping server process${alive.length > 1 ? 'es' : ''} ${alive.map((p) => p.pid).join(', ')} (${r.command}) ` +
          `left running by MCP Host process ${owner.pid}, which ended without stopping them`,
      );
      for (const p of alive) targets.set(`${p.pid}:${p.startTime}`, p);
    }
    fs.rmSync(claimed, { force: true });
  }
  const list = [...targets.values()];
  // A killed member stays in its cgroup until its parent (init, for a setsid'd helper) reaps it, and rmdir fails
  // on a populated cgroup: wait for that, briefly.
  const removeCgroups = async (): Promise<void> => {
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline && cgroups.some((cg) => cg.populated())) await delay(10);
    for (const cg of cgroups) cg.remove();
  };
  if (list.length === 0) {
    await removeCgroups();
    return { files, signalled: [], survivors: [] };
  }
  for (const g of groups) signal(-g, 'SIGTERM');
  signalAll(list, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && list.some(isSameAlive)) await delay(25);
  let left = list.filter(isSameAlive);
  if (left.length > 0) {
    logger.info(`SIGKILL to ${left.map((p) => p.pid).join(', ')}: still running after SIGTERM`);
    signalAll(left, 'SIGKILL');
    for (const cg of cgroups) if (cg.populated()) cg.kill();
    const killDeadline = Date.now() + 2000;
    while (Date.now() < killDeadline && left.some(isSameAlive)) await delay(10);
    left = left.filter(isSameAlive);
    if (left.length > 0) logger.warn(`could not stop orphaned server processes ${left.map((p) => p.pid).join(', ')}`);
  }
  await removeCgroups();
  return { files, signalled: list, survivors: left };
}
