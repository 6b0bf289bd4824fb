/** The stdio member of the launch union: a local command speaking newline-delimited JSON-RPC on stdin/stdout. */
import type { ResolvedLaunch } from '../../config/types';
import type { MessageTransport, TransportOptions } from '../types';

/** Told about every server process spawned and exited (orphan reaping after a host crash, see ./orphans.ts). */
export interface ProcessRecorderHook {
  spawned(pid: number, command: string, cgroup?: string): void;
  exited(pid: number): void;
}

export interface StdioTransportOptions extends TransportOptions {
  readonly launch: ResolvedLaunch;
  /** Base environment (the editor's process.env); editor-internal variables are removed by the transport. */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** Grace periods for stop(): after stdin EOF, then after SIGTERM (ms). */
  readonly stopGraceMs?: { readonly afterEof: number; readonly afterTerm: number };
  /** Records the spawned process until it exits, so a host that dies without stopping it has it reaped later. */
  readonly processRecorder?: ProcessRecorderHook;
}

/** How a stdio server is launched: the member `kind: 'stdio'` of LaunchSpec (../launch.ts). */
export interface StdioLaunchSpec extends StdioTransportOptions {
  readonly kind: 'stdio';
}

/** A server's child process speaking newline-delimited JSON-RPC on stdio. */
export interface StdioTransport extends MessageTransport {
  /** The cgroup holding the server's processes (Linux, where the system allows one), for orphan records. */
  readonly cgroupDir?: string | undefined;
}
