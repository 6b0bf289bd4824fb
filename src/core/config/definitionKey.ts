/**
 * A canonical key of everything that affects how a server is launched, so that applying a new configuration
 * restarts only the servers whose key changed.
 */
import type { InputDefinition, ServerDefinition } from './types';
import { findVariables } from './variables';

/**
 * Stable JSON (sorted object keys) of the entry without `autoStart` (it does not change a running server),
 * the input definitions the entry references, the source kind and folder, and any configuration error.
 */
export function definitionKey(def: ServerDefinition): string {
  const { autoStart: _autoStart, ...entry } = def.entry;
  const strings = [entry.command, entry.cwd, entry.envFile, entry.url, ...entry.args, ...Object.values(entry.env), ...Object.values(entry.headers ?? {}), entry.oauth?.clientId, entry.oauth?.clientSecret];
  const used = new Set<string>();
  for (const s of strings) {
    if (typeof s !== 'string') continue;
    for (const v of findVariables(s, { shellStyleEnv: def.source.kind === 'rootMcpJson' })) if (v.ref.kind === 'input') used.add(v.ref.id);
  }
  const inputs: InputDefinition[] = def.inputs.filter((i) => used.has(i.id));
  return stableStringify({
    entry,
    inputs: [...inputs].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    source: { kind: def.source.kind, folder: def.source.folder ?? null },
    configError: def.configError ?? null,
  });
}

/** JSON with object keys sorted at every level (array order kept); undefined properties are left out. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`).join(',')}}`;
}

/**
 * Where a server is defined, as a key for what the user decided about it (pinned tool definitions, tools run
 * without asking): `user:<name>` for the user's own settings; otherwise the source kind, its file (or, for
 * workspace settings, which have none, `workspaceId`) and the name. So a decision about `db` from one project's
 * `.vscode/mcp.json` never applies to another project's `db`, nor to the user's own `db`.
 */
export function definitionScope(def: Pick<ServerDefinition, 'name' | 'source'>, workspaceId: string): string {
  if (def.source.kind === 'userSettings') return `user:${def.name}`;
  return `${def.source.kind}:${def.source.file ?? workspaceId}:${def.name}`;
}
