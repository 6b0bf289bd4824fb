/**
 * The roots a server is given (`roots/list`): its definition's `roots` override, else the workspace folders.
 * An override entry is a `file://` URI (the only kind of root the spec allows) or a path; paths may use `${workspaceFolder}`,
 * `${workspaceFolder:name}` and `${userHome}`, `~/`, and relative paths resolve against the definition's folder
 * (or the user's home). An entry that cannot be resolved is left out and reported once in the server log.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { sourceFolder } from './resolve';
import type { ServerDefinition, WorkspaceFolderInfo } from './types';
import { expandVariables } from './variables';

/** At most this many roots are given to a server. */
export const MAX_ROOTS = 100;

export interface RootsContext {
  readonly userHome: string;
  readonly workspaceFolders: readonly WorkspaceFolderInfo[];
}

export interface ResolvedRoots {
  readonly roots: readonly { readonly uri: string; readonly name: string }[];
  /** Entries left out, with why (for the log). */
  readonly problems: readonly string[];
}

class Unresolvable extends Error {}

/** The roots for `def` now. */
export function resolveRoots(def: ServerDefinition, ctx: RootsContext): ResolvedRoots {
  const override = def.entry.roots;
  if (override === undefined) {
    return { roots: ctx.workspaceFolders.slice(0, MAX_ROOTS).map((f) => ({ uri: f.uri, name: f.name })), problems: [] };
  }
  const folder = sourceFolder(def, ctx.workspaceFolders);
  const base = folder ?? ctx.userHome;
  const roots: { uri: string; name: string }[] = [];
  const problems: string[] = [];
  for (const raw of override.slice(0, MAX_ROOTS)) {
    try {
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
        const u = new URL(raw);
        // The spec (and the SDK's schema on the server side) allows only file:// roots: one other URI would make a
        // server reject the whole list.
        if (u.protocol !== 'file:') throw new Unresolvable('only file:// URIs (or paths) can be roots');
        roots.push({ uri: u.toString(), name: path.posix.basename(decodeURIComponent(u.pathname)) || u.hostname || raw });
        continue;
      }
      const expanded = expandVariables(raw, (ref, text) => {
        if (ref.kind === 'userHome') return ctx.userHome;
        if (ref.kind === 'workspaceFolder') {
          const f = ref.folderName !== undefined ? ctx.workspaceFolders.find((w) => w.name === ref.folderName)?.path : folder;
          if (f !== undefined) return f;
        }
        throw new Unresolvable(`${text} cannot be resolved here`);
      });
      const home = expanded === '~' || expanded.startsWith('~/') ? path.join(ctx.userHome, expanded.slice(1)) : expanded;
      const abs = path.resolve(base, home);
      roots.push({ uri: pathToFileURL(abs).toString(), name: path.basename(abs) || abs });
    } catch (e) {
      problems.push(`root "${raw}" left out: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { roots, problems };
}
