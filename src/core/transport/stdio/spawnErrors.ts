/**
 * Checks made before spawning, so a failure says precisely what is wrong ("`npx` was not found on PATH:
 * /usr/bin:/bin", "the working directory /x does not exist") instead of `spawn npx ENOENT`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ResolvedLaunch } from '../../config/types';
import { TransportError, type LaunchFailureCode } from '../errors';
import { buildServerEnvironment } from './environment';

export type SpawnErrorCode = LaunchFailureCode;

/** A server could not be started. `message` is meant for people; the fields are for code and tests. */
export class SpawnError extends TransportError {
  constructor(
    message: string,
    override readonly code: SpawnErrorCode,
    readonly command: string,
    readonly cwd: string,
    readonly searchedPath?: string,
  ) {
    super(message, code);
    this.name = 'SpawnError';
  }
}

/** The PATH variable of an environment (Windows spells it in any case). */
export function pathOf(env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'win32') return env.PATH ?? '';
  for (const [k, v] of Object.entries(env)) if (k.toUpperCase() === 'PATH' && v !== undefined) return v;
  return '';
}

function isExecutableFile(file: string): 'ok' | 'missing' | 'notExecutable' {
  try {
    const st = fs.statSync(file);
    if (!st.isFile()) return 'missing';
    if (process.platform === 'win32') return 'ok';
    fs.accessSync(file, fs.constants.X_OK);
    return 'ok';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EACCES' ? 'notExecutable' : 'missing';
  }
}

export interface CommandResolution {
  /** Absolute path of the program, when found and executable. */
  readonly path?: string;
  /** Found but not executable (POSIX permission bits). */
  readonly notExecutable?: string;
}

/**
 * Finds `command` the way spawn will: a name with a path separator is relative to `cwd`; a bare name is looked
 * up in the PATH of `env` (with PATHEXT on Windows: `npx` finds `npx.cmd`).
 */
export function resolveCommandOnPath(
  command: string,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): CommandResolution {
  const win = process.platform === 'win32';
  const exts = win
    ? ['', ...(env.PATHEXT ?? env.Pathext ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)]
    : [''];
  let notExecutable: string | undefined;
  const tryBase = (base: string): string | undefined => {
    for (const ext of exts) {
      const file = base + ext;
      const r = isExecutableFile(file);
      if (r === 'ok') return file;
      if (r === 'notExecutable') notExecutable ??= file;
    }
    return undefined;
  };
  if (command.includes('/') || (win && command.includes('\\')) || path.isAbsolute(command)) {
    const found = tryBase(path.resolve(cwd, command));
    return found ? { path: found } : { notExecutable };
  }
  for (const dir of pathOf(env).split(path.delimiter)) {
    if (!dir) continue;
    const found = tryBase(path.join(path.resolve(cwd, dir.replace(/^"(.*)"$/, '$1')), command));
    if (found) return { path: found };
  }
  return { notExecutable };
}

/** Builds the error for a command that is missing or not executable. */
export function commandNotFoundError(command: string, cwd: string, env: Readonly<Record<string, string | undefined>>, res: CommandResolution): SpawnError {
  const searched = pathOf(env);
  if (res.notExecutable) {
    return new SpawnError(
      `Cannot start "${command}": ${res.notExecutable} is not executable (permission denied). Make it executable (chmod +x) or run it through its interpreter.`,
      'EACCES',
      command,
      cwd,
      searched,
    );
  }
  const isPathLike = command.includes('/') || command.includes('\\');
  const where = isPathLike
    ? `${path.resolve(cwd, command)} does not exist (relative to the working directory ${cwd})`
    : `it was not found on the PATH (searched from ${cwd}): ${searched || '(PATH is empty)'}`;
  const hint = isPathLike
    ? 'Check the path in the server definition.'
    : 'Install it, use an absolute path in "command", or set PATH in the server\'s "env" (an editor started from a dock may not see the PATH of your shell: nvm, fnm, volta).';
  return new SpawnError(`Cannot start "${command}": ${where}. ${hint}`, 'ENOENT', command, cwd, searched);
}

/** Checks that the working directory exists and is a directory. */
export function checkCwd(command: string, cwd: string): SpawnError | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(cwd);
  } catch {
    return new SpawnError(`Cannot start "${command}": the working directory ${cwd} does not exist. Fix "cwd" in the server definition.`, 'ENOCWD', command, cwd);
  }
  if (!st.isDirectory()) {
    return new SpawnError(`Cannot start "${command}": the working directory ${cwd} is not a directory. Fix "cwd" in the server definition.`, 'ENOTDIR', command, cwd);
  }
  return undefined;
}

/** An error from spawn itself (after the checks passed: a race, E2BIG, EMFILE, ...). */
export function spawnFailedError(command: string, cwd: string, env: Readonly<Record<string, string | undefined>>, err: unknown): SpawnError {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return commandNotFoundError(command, cwd, env, {});
  if (e.code === 'EACCES') return commandNotFoundError(command, cwd, env, { notExecutable: command });
  return new SpawnError(`Cannot start "${command}" in ${cwd}: ${e.message ?? String(err)}`, 'ESPAWN', command, cwd, pathOf(env));
}

/**
 * Everything checked and built before the spawn: the working directory, the environment (the env file's
 * variables as read before consent, never re-read; with `extra` variables such as the process marker) and the
 * command on PATH. Throws a SpawnError saying which failed.
 */
export function prepareSpawn(
  launch: ResolvedLaunch,
  baseEnv: NodeJS.ProcessEnv,
  extra: Readonly<Record<string, string>>,
): { env: Record<string, string>; resolved: CommandResolution } {
  const { command, cwd } = launch;
  const cwdError = checkCwd(command, cwd);
  if (cwdError) throw cwdError;
  const env = { ...buildServerEnvironment(baseEnv, launch.envFileVariables, launch.env), ...extra };
  const resolved = resolveCommandOnPath(command, cwd, env);
  if (!resolved.path) throw commandNotFoundError(command, cwd, env, resolved);
  return { env, resolved };
}
