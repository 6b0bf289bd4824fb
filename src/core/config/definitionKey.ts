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
  const strings = [entry.command, entry.cwd, entry.envFile, entry.url, ...entry.args, ...Object.values(entry.env), ...Object.values(entry.headers ?? {})];
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
