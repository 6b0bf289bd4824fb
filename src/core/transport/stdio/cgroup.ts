/**
 * One cgroup (v2) per server process tree, where the system lets MCP Host make one: the kernel puts every process
 * the server starts into it, whatever it does afterwards (setsid, double fork, a clean environment without the
 * launch marker), and `cgroup.kill` stops them all at once. A process that a launcher deliberately moves into a
 * cgroup of its own (a desktop launcher starting the browser a server opened for a login: gio, systemd-run
 * --scope) is no longer a member and is left alone, although it inherited the marker.
 *
 * Where: a child of MCP Host's own cgroup (/proc/self/cgroup, line `0::`), on the v2 hierarchy at /sys/fs/cgroup
 * (unified) or /sys/fs/cgroup/unified (hybrid). That works as root when cgroupfs is writable (containers), and as
 * a normal user whose own cgroup is delegated to them (an editor started from a systemd desktop session runs in
 * an `app-*.scope` owned by the user). Elsewhere (an SSH session scope owned by root, macOS, Windows) `create`
 * returns undefined and the transport falls back to the process group, parent links and the marker.
 *
 * Node cannot start a process directly inside a cgroup (no pre-exec hook), so the server is moved in right after
 * spawn (when spawn returns the child has just exec'd) together with any process it already forked.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readStat, isGone, type ProcessId } from './processTree';

/** Name prefix of the cgroups MCP Host creates. */
export const CGROUP_PREFIX = 'mcp-host-';
/** Bound on nested cgroups walked when a server made its own below ours. */
const MAX_CGROUPS = 256;
/** Bound on processes adopted right after spawn (a server rarely has any child yet). */
const MAX_ADOPT = 1000;

let v2Base: string | null | undefined;
let swept = false;

/**
 * Removes empty cgroups left by MCP Host processes that are gone (a host killed before it could remove them; a
 * populated one is left to the orphan reaper). rmdir fails on a non-empty cgroup, so nothing running is touched.
 */
function removeStale(base: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) {
    const m = /^mcp-host-(\d+)-[0-9a-f]+$/.exec(name);
    if (!m || Number(m[1]) === process.pid) continue;
    const owner = readStat(Number(m[1]));
    if (owner && !isGone(owner.state)) continue; // that host (another window) is alive
    try {
      fs.rmdirSync(path.join(base, name));
    } catch {
      // still populated, or not ours to remove
    }
  }
}

/** The directory of MCP Host's own cgroup on the v2 hierarchy, or undefined (no v2, not Linux). */
export function ownCgroupDir(): string | undefined {
  if (v2Base === undefined) {
    v2Base = null;
    if (process.platform === 'linux') {
      try {
        const line = fs.readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'));
        const rel = line?.slice(3).trim();
        for (const root of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
          if (rel === undefined || !fs.existsSync(path.join(root, 'cgroup.procs')) || fs.existsSync(path.join(root, 'tasks'))) continue;
          const dir = path.join(root, rel);
          if (fs.existsSync(path.join(dir, 'cgroup.procs'))) {
            v2Base = dir;
            break;
          }
        }
      } catch {
        // no /proc/self/cgroup
      }
    }
  }
  return v2Base ?? undefined;
}

/** A cgroup holding one server's processes; dispose with `remove()` once it is empty. */
export class ServerCgroup {
  private constructor(readonly dir: string) {}

  /**
   * Creates a fresh cgroup below MCP Host's own, or returns undefined with the reason when the system does not
   * allow it (the caller falls back to process groups and the marker).
   */
  static create(): { cgroup: ServerCgroup } | { reason: string } {
    const base = ownCgroupDir();
    if (!base) return { reason: 'no cgroup v2 hierarchy' };
    if (!swept) {
      swept = true;
      removeStale(base);
    }
    const dir = path.join(base, `${CGROUP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      fs.mkdirSync(dir);
    } catch (err) {
      return { reason: `cannot create ${dir} (${(err as NodeJS.ErrnoException).code ?? String(err)})` };
    }
    return { cgroup: new ServerCgroup(dir) };
  }

  /**
   * A cgroup this or an earlier MCP Host created (from an orphan record), when `dir` still is one: a directory
   * named `mcp-host-*` on a cgroup v2 hierarchy under /sys/fs/cgroup. Anything else is refused (undefined).
   */
  static open(dir: string): ServerCgroup | undefined {
    if (process.platform !== 'linux' || !path.isAbsolute(dir)) return undefined;
    const norm = path.normalize(dir);
    if (!norm.startsWith('/sys/fs/cgroup/') || !path.basename(norm).startsWith(CGROUP_PREFIX)) return undefined;
    return fs.existsSync(path.join(norm, 'cgroup.procs')) ? new ServerCgroup(norm) : undefined;
  }

  /** Moves a process (and with it, from now on, everything it starts) into this cgroup. False when refused. */
  adopt(pid: number): boolean {
    try {
      fs.writeFileSync(path.join(this.dir, 'cgroup.procs'), String(pid));
      return true;
    } catch {
      return false; // gone already, or not ours to move
    }
  }

  /**
   * Adopts `pid` and the processes it already started (read from /proc/<pid>/task/<tid>/children, bounded):
   * those forked between spawn and now would otherwise stay outside. False when the leader was refused.
   */
  adoptTree(pid: number): boolean {
    if (!this.adopt(pid)) return false;
    const queue = [pid];
    for (let i = 0; i < queue.length && queue.length < MAX_ADOPT; i++) {
      const p = queue[i] as number;
      let tids: string[] = [];
      try {
        tids = fs.readdirSync(`/proc/${p}/task`);
      } catch {
        continue;
      }
      for (const tid of tids) {
        let text = '';
        try {
          text = fs.readFileSync(`/proc/${p}/task/${tid}/children`, 'latin1');
        } catch {
          continue;
        }
        for (const c of text.split(' ')) {
          const child = Number(c);
          if (child && !queue.includes(child)) {
            this.adopt(child);
            queue.push(child);
          }
        }
      }
    }
    return true;
  }

  /** This cgroup and those a server created below it (bounded). */
  private dirs(): string[] {
    const out = [this.dir];
    for (let i = 0; i < out.length && out.length < MAX_CGROUPS; i++) {
      try {
        for (const e of fs.readdirSync(out[i] as string, { withFileTypes: true })) if (e.isDirectory()) out.push(path.join(out[i] as string, e.name));
      } catch {
        // removed meanwhile
      }
    }
    return out.slice(0, MAX_CGROUPS);
  }

  /** Live member processes with their start times (never a process that left the cgroup). */
  members(): ProcessId[] {
    const out: ProcessId[] = [];
    for (const d of this.dirs()) {
      let text = '';
      try {
        text = fs.readFileSync(path.join(d, 'cgroup.procs'), 'latin1');
      } catch {
        continue;
      }
      for (const line of text.split('\n')) {
        const pid = Number(line);
        if (!pid) continue;
        const info = readStat(pid);
        if (info && !isGone(info.state)) out.push({ pid, startTime: info.startTime });
      }
    }
    return out;
  }

  /** True while any process is in the cgroup or below (cgroup.events `populated 1`). */
  populated(): boolean {
    try {
      return /^populated 1$/m.test(fs.readFileSync(path.join(this.dir, 'cgroup.events'), 'latin1'));
    } catch {
      return false;
    }
  }

  /** SIGKILL to every member at once (`cgroup.kill`, Linux 5.14+; else one by one). */
  kill(): void {
    try {
      fs.writeFileSync(path.join(this.dir, 'cgroup.kill'), '1');
      return;
    } catch {
      // older kernel: signal each member
    }
    for (const p of this.members()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  }

  /** Sends `sig` to every member (one by one: a SIGTERM lets each clean up). */
  signal(sig: NodeJS.Signals): void {
    if (sig === 'SIGKILL') return this.kill();
    for (const p of this.members()) {
      try {
        process.kill(p.pid, sig);
      } catch {
        // gone
      }
    }
  }

  /** Removes the cgroup (and any a server made below it) once empty. True when it is gone. */
  remove(): boolean {
    for (const d of this.dirs().reverse()) {
      try {
        fs.rmdirSync(d);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return false;
      }
    }
    return true;
  }
}
