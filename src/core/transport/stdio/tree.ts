/**
 * The process tree of one stdio server: descendants recorded before any signal (parent links break when a parent
 * dies), signals to the group and every known member, and the leftovers stopped after the leader exited (group
 * members, recorded processes, and processes carrying the launch's marker variable).
 */
import { isSameAlive, killProcessTree, listTreeAsync, processesWithMarkerAsync, signalAll, startTimeOf, type ProcessId } from './processTree';

/** Set in every server's environment to a value unique to that launch; lets close() find escaped descendants. */
export const PROCESS_MARKER_VARIABLE = 'MCP_HOST_PROCESS_TOKEN';

export class ServerProcessTree {
  /** Processes of the tree seen so far (pid:startTime -> id), so they can be signalled after reparenting. */
  private readonly known = new Map<string, ProcessId>();
  /** The server's start time (clock ticks since boot): orphans carrying its marker started no earlier. */
  private leaderStartTime = 0;

  constructor(
    /** The value of PROCESS_MARKER_VARIABLE for this launch. */
    readonly marker: string,
    private readonly leader: () => number | undefined,
  ) {}

  /** The leader was spawned. */
  started(pid: number): void {
    this.leaderStartTime = startTimeOf(pid);
  }

  /** Records the current tree (before signals: parent links break when a parent dies). Never blocks. */
  async remember(): Promise<void> {
    const pid = this.leader();
    if (pid === undefined || process.platform === 'win32') return;
    for (const p of await listTreeAsync(pid)) this.known.set(`${p.pid}:${p.startTime}`, p);
  }

  /** Signals the group and every known member; the leader itself only while it is alive. */
  signal(sig: NodeJS.Signals, leaderAlive: boolean): void {
    const pid = this.leader();
    if (pid === undefined) return;
    if (process.platform === 'win32') {
      killProcessTree(pid, sig);
      return;
    }
    signalAll([...(leaderAlive ? [{ pid, startTime: 0 }] : []), ...this.known.values()], sig, pid);
  }

  /** After the leader exited: stop what is left of its tree (group members, recorded and marked processes). */
  async reapLeftovers(forced: () => boolean, graceMs: number, log: (message: string) => void): Promise<void> {
    const pid = this.leader();
    if (pid === undefined || process.platform === 'win32') return;
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

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
