/**
 * A server's env file, read once per launch: before consent, so the dialog shows and the fingerprint hashes
 * exactly the variables the process then gets (the transport never reads the file again; a line added while
 * the dialog is open never runs unseen).
 *
 * Bounded: only a regular file (never a FIFO, which would block forever, a device such as /dev/zero, which never
 * ends, a socket or a directory), at most 1 MiB. The file is opened with O_NONBLOCK (a FIFO opens at once even
 * without a writer) and checked with fstat on the open descriptor before a byte is read (no race between a check
 * and the read), and the read stops one byte past the cap in case the file grows after fstat.
 */
import { constants, promises as fsp, type Stats } from 'node:fs';
import type { ResolvedLaunch } from '../../config/types';
import { parseEnvFile } from './environment';
import { SpawnError } from './spawnErrors';

/** The largest env file accepted, in bytes (a few hundred variables fit in a few KiB). */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;

/** Why an env file cannot be used; `notLoaded` is a launch handed to the transport without its snapshot. */
export type EnvFileProblem = 'missing' | 'denied' | 'notRegular' | 'tooLarge' | 'unreadable' | 'notLoaded';

/** An env file cannot be used (SpawnError code `ENVFILE`; `problem` says why, for code and tests). */
export class EnvFileError extends SpawnError {
  constructor(
    message: string,
    readonly problem: EnvFileProblem,
    command: string,
    cwd: string,
  ) {
    super(message, 'ENVFILE', command, cwd);
    this.name = 'EnvFileError';
  }
}

const CHUNK = 64 * 1024;

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * The launch with its env file's variables (`envFileVariables`), read now and only now; the launch unchanged
 * when it has no env file. Throws EnvFileError (code `ENVFILE`) when the file is missing, unreadable, not a
 * regular file or larger than MAX_ENV_FILE_BYTES.
 */
export async function loadEnvFile(launch: ResolvedLaunch): Promise<ResolvedLaunch> {
  const file = launch.envFile;
  if (file === undefined) return launch;
  const fail = (problem: EnvFileProblem, why: string): never => {
    throw new EnvFileError(`Cannot start "${launch.command}": the env file ${file} ${why}. Fix "envFile" in the server definition.`, problem, launch.command, launch.cwd);
  };
  // O_NONBLOCK does not exist on Windows (0 there); O_NOCTTY keeps a terminal device from becoming ours.
  const flags = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, flags);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail('missing', 'does not exist');
    if (code === 'EACCES' || code === 'EPERM') return fail('denied', 'cannot be read (permission denied)');
    if (code === 'EISDIR') return fail('notRegular', 'is a directory, not a regular file');
    return fail('unreadable', `cannot be read (${code ?? String(err)})`);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return fail('notRegular', `is ${kindOf(st)}, not a regular file`);
    const tooLarge = (size: string): never => fail('tooLarge', `is larger than 1 MiB (${size}): an env file holds variables, not data`);
    if (st.size > MAX_ENV_FILE_BYTES) return tooLarge(`${st.size} bytes`);
    const chunks: Buffer[] = [];
    let total = 0;
    // Read to the end, but never more than one byte past the cap (the file may grow after fstat).
    while (total <= MAX_ENV_FILE_BYTES) {
      const buf = Buffer.alloc(Math.min(CHUNK, MAX_ENV_FILE_BYTES + 1 - total));
      let bytesRead: number;
      try {
        ({ bytesRead } = await handle.read(buf, 0, buf.length, total));
      } catch (err) {
        return fail('unreadable', `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      if (bytesRead === 0) break;
      chunks.push(bytesRead === buf.length ? buf : buf.subarray(0, bytesRead));
      total += bytesRead;
    }
    if (total > MAX_ENV_FILE_BYTES) return tooLarge('it grew while being read');
    return { ...launch, envFileVariables: parseEnvFile(Buffer.concat(chunks, total).toString('utf8')) };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** The error the transport raises for a launch whose env file was not loaded (a bug in the caller). */
export function envFileNotLoadedError(launch: ResolvedLaunch): EnvFileError {
  return new EnvFileError(
    `Cannot start "${launch.command}": the env file ${launch.envFile ?? ''} was not read before the launch was approved (internal error).`,
    'notLoaded',
    launch.command,
    launch.cwd,
  );
}
