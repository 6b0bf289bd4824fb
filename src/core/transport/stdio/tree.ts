/**
 * The process tree of one stdio server: descendants recorded before any signal (parent links break when a parent
 * dies), signals to the group and every known member, and the leftovers stopped after the leader exited (group
 * members, recorded processes, and processes carrying the launch's marker variable). Where the system allows a
 * cgroup (Linux, see ./cgroup.ts), the server's cgroup replaces all of that: its members are the tree (a
 * double-forked helper without the marker included; a program a launcher moved into its own cgroup, such as a
 * browser opened for a login, excluded), and SIGKILL is `cgroup.kill`.
 */
import { ServerCgroup } from './cgroup';
import { isSameAlive, killProcessTree, listTreeAsync, processesWithMarkerAsync, signalAll, startTimeOf, type ProcessId } from './processTree';

/** Set in every server's environment to a value unique to that launch; lets close() find escaped descendants. */
export const PROCESS_MARKER_VARIABLE = 'MCP_HOST_PROCESS_TOKEN';

export class ServerProcessTree {
  /** Processes of the tree seen so far (pid:startTime -> id), so they can be signalled after reparenting. */
  private readonly known = new Map<string, ProcessId>();
  /** The server's start time (clock ticks since boot): orphans carrying its marker started no earlier. */
  private leaderStartTime = 0;
  /** The server's cgroup where the system allows one (Linux): then membership, not the marker, decides. */
  private cgroup: ServerCgroup | undefined;

  constructor(
    /** The value of PROCESS_MARKER_VARIABLE for this launch. */
    readonly marker: string,
    private readonly leader: () => number | undefined,
  ) {}

  /** The cgroup holding the tree, for orphan records; undefined where there is none. */
  get cgroupDir(): string | undefined {
    return this.cgroup?.dir;
  }

  /** Made just before spawning, so the child is moved in as soon as spawn returns (see ./cgroup.ts). */
  static prepareCgroup(): { cgroup: ServerCgroup } | { reason: string } {
    return process.platform === 'linux' ? ServerCgroup.create() : { reason: 'not Linux' };
  }

  /**
   * The leader was spawned (`pid` undefined: the spawn failed): the cgroup made before is adopted or removed.
   * Returns a line for the debug log saying how the tree is tracked.
   */
  spawned(pid: number | undefined, made: { cgroup: ServerCgroup } | { reason: string }): string {
    if ('cgroup' in made) {
      if (pid !== undefined && made.cgroup.adoptTree(pid)) this.cgroup = made.cgroup;
      else made.cgroup.remove();
    }
    return this.cgroup
      ? `Process tree tracked in cgroup ${this.cgroup.dir}`
      : `No cgroup for the process tree (${'reason' in made ? made.reason : 'the process could not be moved'}): tracking it by process group, parent links and marker`;
  }

  /** The leader is running. */
  started(pid: number): void {
    this.leaderStartTime = startTimeOf(pid);
  }

  /** Records the current tree (before signals: parent links break when a parent dies). Never blocks. */
  async remember(): Promise<void> {
    const pid = this.leader();
    if (pid === undefined || process.platform === 'win32') return;
    // With a cgroup, its members are the tree: a process a launcher moved out (a browser) is not ours.
    const tree = this.cgroup ? this.cgroup.members() : await listTreeAsync(pid);
    for (const p of tree) this.known.set(`${p.pid}:${p.startTime}`, p);
  }

  /** Signals the group and every known member; the leader itself only while it is alive. */
  signal(sig: NodeJS.Signals, leaderAlive: boolean): void {
    const pid = this.leader();
    if (pid === undefined) return;
    if (process.platform === 'win32') {
      killProcessTree(pid, sig);
      return;
    }
    if (this.cgroup) {
      this.cgroup.signal(sig);
      return;
    }
    signalAll([...(leaderAlive ? [{ pid, startTime: 0 }] : []), ...this.known.values()], sig, pid);
  }

  /** After the leader exited: stop what is left of its tree (group members, recorded and marked processes). */
  async reapLeftovers(forced: () => boolean, graceMs: number, log: (message: string, level?: 'info' | 'warn') => void): Promise<void> {
    const pid = this.leader();
    if (pid === undefined || process.platform === 'win32') return;
    if (this.cgroup) return reapCgroup(this.cgroup, forced, graceMs, log);
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
    log(`Stopping ${left.length} leftover process(es) of the server: ${left.map((p) => p.pid).join(', ')}`);
    // The group id stays reserved while any member lives, so signalling -pid cannot hit a stranger.
    signalAll(left, forced() ? 'SIGKILL' : 'SIGTERM', pid);
    const deadline = Date.now() + (forced() ? 0 : graceMs);
    while (Date.now() < deadline && left.some(isSameAlive) && !forced()) await delay(25);
    left = await collect();
    if (left.length === 0) return;
    signalAll(left, 'SIGKILL', pid);
    const killDeadline = Date.now() + 2000;
    while (Date.now() < killDeadline && left.some(isSameAlive)) await delay(10);
  }
}

/** reapLeftovers with a cgroup: SIGTERM its members, SIGKILL after the grace period, then remove it. */
async function reapCgroup(cgroup: ServerCgroup, forced: () => boolean, graceMs: number, log: (message: string, level?: 'info' | 'warn') => void): Promise<void> {
  const left = cgroup.members();
  if (left.length > 0) {
    log(`Stopping ${left.length} leftover process(es) of the server: ${left.map((p) => p.pid).join(', ')}`);
    cgroup.signal(forced() ? 'SIGKILL' : 'SIGTERM');
    const deadline = Date.now() + (forced() ? 0 : graceMs);
    while (Date.now() < deadline && cgroup.populated() && !forced()) await delay(25);
    if (cgroup.populated()) cgroup.kill();
    const killDeadline = Date.now() + 2000;
    while (Date.now() < killDeadline && cgroup.populated()) await delay(10);
  }
  if (!cgroup.remove()) log(`Could not remove the server's cgroup ${cgroup.dir}: a process in it did not stop`, 'warn');
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
