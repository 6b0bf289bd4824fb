/**
 * Files MCP Host writes for the user to open (the JSON arguments document and its schema, the images and audio
 * of tool results): a private per-user directory (the extension's storage, never the shared system temp dir),
 * directories 0700, files 0600, and no link is ever followed. On a shared host another user must not read typed
 * tokens, nor plant a symlink that redirects a write onto `~/.bashrc`.
 *
 * Each file is written fresh beside its target (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600) and renamed over it: a
 * rename replaces a directory entry and never writes through a link. A symlink (or anything that is not a
 * regular file) already at the target is refused with a coded error, not replaced, so a planted link is seen.
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fsp, type Stats } from 'node:fs';
import * as path from 'node:path';

/** Why a path was refused. */
export type UnsafePathCode = 'ESYMLINK' | 'ENOTDIR' | 'ENOTFILE' | 'EOWNER';

/** A private file or directory could not be written safely (a link, a foreign owner, the wrong kind). */
export class UnsafePathError extends Error {
  constructor(
    message: string,
    readonly code: UnsafePathCode,
    readonly path: string,
  ) {
    super(message);
    this.name = 'UnsafePathError';
  }
}

const posix = process.platform !== 'win32';
const uid = (): number | undefined => process.getuid?.();

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fsp.lstat(p);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Checks one directory we created or found: a real directory (not a link), ours, and 0700. */
async function checkDir(dir: string): Promise<void> {
  const st = await fsp.lstat(dir);
  if (st.isSymbolicLink()) throw new UnsafePathError(`Refusing to use ${dir}: it is a symbolic link`, 'ESYMLINK', dir);
  if (!st.isDirectory()) throw new UnsafePathError(`Refusing to use ${dir}: it is not a directory`, 'ENOTDIR', dir);
  if (!posix) return;
  const me = uid();
  if (me !== undefined && st.uid !== me) throw new UnsafePathError(`Refusing to use ${dir}: it belongs to another user (uid ${st.uid})`, 'EOWNER', dir);
  if ((st.mode & 0o777) !== 0o700) await fsp.chmod(dir, 0o700);
}

/**
 * `root/segments...`, each level created with mode 0700 (and tightened to 0700 if it existed), refusing a
 * symbolic link or a directory of another user at `root` or below. Returns the full path.
 */
export async function ensurePrivateDir(root: string, ...segments: readonly string[]): Promise<string> {
  await fsp.mkdir(root, { recursive: true, mode: 0o700 });
  await checkDir(root);
  let dir = root;
  for (const s of segments) {
    dir = path.join(dir, s);
    try {
      await fsp.mkdir(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    await checkDir(dir);
  }
  return dir;
}

/**
 * Writes `data` to `file` with mode 0600 without following a link: refuses a symbolic link or a non-file at
 * `file` (UnsafePathError), writes a new file beside it (O_EXCL|O_NOFOLLOW) and renames it over the target.
 * The directory should come from ensurePrivateDir.
 */
export async function writePrivateFile(file: string, data: string | Uint8Array): Promise<void> {
  const existing = await lstatOrUndefined(file);
  if (existing?.isSymbolicLink()) throw new UnsafePathError(`Refusing to write ${file}: it is a symbolic link`, 'ESYMLINK', file);
  if (existing && !existing.isFile()) throw new UnsafePathError(`Refusing to write ${file}: it is not a regular file`, 'ENOTFILE', file);
  const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  const handle = await fsp.open(tmp, flags, 0o600);
  try {
    await handle.writeFile(data);
    if (posix) await handle.chmod(0o600); // the umask can only remove bits; this states the intent
  } catch (err) {
    await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await fsp.rename(tmp, file);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Removes the entries of `dir/<group>/<entry>` (e.g. results/<server>/<run>) last modified more than `maxAgeMs`
 * ago, and groups left empty: files in the extension's storage are not cleared by the system like a temp dir.
 * Links are removed, never followed; at most `limit` entries are looked at. Returns how many were removed.
 */
export async function removeOlderThan(dir: string, maxAgeMs: number, now = Date.now(), limit = 10_000): Promise<number> {
  let removed = 0;
  let seen = 0;
  let groups: string[];
  try {
    groups = await fsp.readdir(dir);
  } catch {
    return 0; // nothing saved yet
  }
  for (const g of groups) {
    const group = path.join(dir, g);
    const gst = await lstatOrUndefined(group);
    if (!gst?.isDirectory()) continue;
    let entries: string[] = [];
    try {
      entries = await fsp.readdir(group);
    } catch {
      continue;
    }
    let kept = 0;
    for (const e of entries) {
      if (++seen > limit) return removed;
      const entry = path.join(group, e);
      const st = await lstatOrUndefined(entry);
      if (!st) continue;
      if (now - st.mtimeMs > maxAgeMs) {
        await fsp.rm(entry, { recursive: true, force: true });
        removed++;
      } else kept++;
    }
    if (kept === 0) await fsp.rmdir(group).catch(() => undefined);
  }
  return removed;
}
