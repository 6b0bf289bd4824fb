/**
 * Reads every configuration source into server definitions and problems. Pure and synchronous: the adapter
 * reads the files and settings and passes their contents in.
 */
import * as path from 'node:path';
import { closest, ConfigTooDeepError, fromValue, objectProps, parseJsonc, ProblemSink, quoted, type JNode, type JsonPath, type JProp } from './jsonc';
import type { ConfigProblem, ConfigSource, InputDefinition, LoadedConfig, ServerDefinition } from './types';
import { noInputs, validateInputs, validateServerEntry, type InputDeclarations, type SourceFormat } from './validate';

import { CONFIG_FILES, type ConfigFileKind } from './files';

export type { ConfigFileKind } from './files';

export interface ConfigFileInput {
  readonly kind: ConfigFileKind;
  /** Absolute path of the file. */
  readonly path: string;
  /** Absolute path of the workspace folder it belongs to. */
  readonly folder: string;
  readonly text: string;
}

export interface ConfigInput {
  /** The user-level value of `mcpHost.servers` (from `inspect().globalValue`, not the merged value). */
  readonly userSettings?: unknown;
  /** Workspace-level values of `mcpHost.servers`: the workspace (no folder) and each folder's own value. */
  readonly workspaceSettings?: readonly { readonly value: unknown; readonly folder?: string }[];
  /** Files that exist, in order: for each folder `.vscode/mcp.json` then `.mcp.json` (see `configFilePaths`). */
  readonly files: readonly ConfigFileInput[];
  /**
   * Paths of the open workspace folders. When exactly one is open, user-settings servers belong to it
   * (`${workspaceFolder}`, default `cwd`); otherwise they have no folder.
   */
  readonly workspaceFolders?: readonly string[];
}

/** What one source yields before duplicates across sources are removed. */
export interface SourceResult {
  readonly servers: ServerDefinition[];
  readonly problems: ConfigProblem[];
}

/** Setting name, as the first element of the JSON path of problems in settings. */
export const serversSetting = 'mcpHost.servers';

/** The configuration files MCP Host reads in a workspace folder, in reading order. */
export function configFilePaths(folder: string): readonly { readonly kind: ConfigFileKind; readonly path: string }[] {
  return CONFIG_FILES.map((f) => ({ kind: f.kind, path: path.join(folder, ...f.segments) }));
}

/**
 * Id of a definition: stable across reloads (also when the folder of a settings server changes), unique across
 * sources (names are unique after duplicates are dropped).
 */
export function serverId(source: ConfigSource, name: string): string {
  return `${source.kind}:${source.file ?? ''}:${name}`;
}

/**
 * Reads all sources. Order decides duplicates: user settings, workspace settings, then the files in the given
 * order; a server whose name was already defined is dropped with a warning naming the first definition.
 */
export function loadConfig(input: ConfigInput): LoadedConfig {
  const results: SourceResult[] = [];
  const single = input.workspaceFolders?.length === 1 ? input.workspaceFolders[0] : undefined;
  if (input.userSettings !== undefined && input.userSettings !== null) {
    const source: ConfigSource = { kind: 'userSettings', ...(single !== undefined ? { folder: single } : {}) };
    results.push(isolated(source, () => parseSettingsServers(input.userSettings, source)));
  }
  for (const ws of input.workspaceSettings ?? []) {
    if (ws.value === undefined || ws.value === null) continue;
    const folder = ws.folder ?? single;
    const source: ConfigSource = { kind: 'workspaceSettings', ...(folder !== undefined ? { folder } : {}) };
    results.push(isolated(source, () => parseSettingsServers(ws.value, source)));
  }
  for (const f of input.files) {
    const source: ConfigSource = { kind: f.kind, file: f.path, folder: f.folder };
    results.push(isolated(source, () => (f.kind === 'folderMcpJson' ? parseMcpJson(f.text, source) : parseClaudeJson(f.text, source))));
  }

  const servers: ServerDefinition[] = [];
  const problems: ConfigProblem[] = [];
  const byName = new Map<string, ServerDefinition>();
  for (const r of results) {
    problems.push(...r.problems);
    for (const def of r.servers) {
      const first = byName.get(def.name);
      if (first) {
        problems.push({
          severity: 'warning',
          source: def.source,
          path: problemPathOf(def),
          message: `Server "${def.name}" is already defined in ${describeSource(first.source)}; this definition is ignored. Rename one of them to use both.`,
          ...nameLocOf.get(def),
          serverName: def.name,
          code: 'duplicate-server',
        });
        continue;
      }
      byName.set(def.name, def);
      servers.push(def);
    }
  }
  return { servers, problems };
}

/**
 * Reads one source so that nothing it contains can hide the others: an unexpected failure (a bug, or input
 * nobody foresaw) becomes an error problem of that source, which then lists no servers.
 */
function isolated(source: ConfigSource, read: () => SourceResult): SourceResult {
  try {
    return read();
  } catch (e) {
    const code: unknown = (e as { code?: unknown } | undefined)?.code;
    const why = e instanceof Error ? `${e.name}${typeof code === 'string' ? ` ${code}` : ''}` : typeof e;
    return {
      servers: [],
      problems: [{ severity: 'error', source, path: [], message: `MCP Host could not read this configuration (${why}); its servers are not listed.`, code: 'load-failed' }],
    };
  }
}

/** Where a source is, for people: "user settings", ".vscode/mcp.json in folder app", ... */
export function describeSource(source: ConfigSource): string {
  switch (source.kind) {
    case 'userSettings':
      return `user settings (${serversSetting})`;
    case 'workspaceSettings':
      return `workspace settings (${serversSetting}${source.folder ? ` of folder ${path.basename(source.folder)}` : ''})`;
    default:
      return source.file ?? source.kind;
  }
}

/** `.vscode/mcp.json`: `{ "servers": {...}, "inputs": [...] }`. */
export function parseMcpJson(text: string, source: ConfigSource): SourceResult {
  return parseFile(text, source, 'vscode');
}

/** `.mcp.json` / Claude Desktop: `{ "mcpServers": {...} }`; no `type`, a lone `url` means HTTP. */
export function parseClaudeJson(text: string, source: ConfigSource): SourceResult {
  return parseFile(text, source, 'claude');
}

/** The value of the `mcpHost.servers` setting: `{ "<name>": { "command": ..., ... } }`. */
export function parseSettingsServers(value: unknown, source: ConfigSource): SourceResult {
  const sink = new ProblemSink(source);
  let tree: JNode;
  try {
    tree = fromValue(value);
  } catch (e) {
    if (!(e instanceof ConfigTooDeepError)) throw e;
    sink.add('error', [serversSetting], e.message, undefined, undefined, e.code);
    return { servers: [], problems: sink.problems };
  }
  const servers = readServers(tree, [serversSetting], sink, 'settings', source, [], noInputs);
  return { servers, problems: sink.problems };
}

/** Name locations of definitions, for the duplicate problem (kept out of the shared ServerDefinition shape). */
const nameLocOf = new WeakMap<ServerDefinition, { offset?: number; length?: number }>();
const namePathOf = new WeakMap<ServerDefinition, JsonPath>();

function problemPathOf(def: ServerDefinition): JsonPath {
  return namePathOf.get(def) ?? [def.name];
}

function parseFile(text: string, source: ConfigSource, format: 'vscode' | 'claude'): SourceResult {
  const sink = new ProblemSink(source);
  const { root, errors } = parseJsonc(text);
  for (const e of errors) sink.add('error', [], e.message, e, undefined, e.code);
  if (!root) return { servers: [], problems: sink.problems };
  if (root.kind !== 'object') {
    const shape = format === 'vscode' ? '{ "servers": { ... } }' : '{ "mcpServers": { ... } }';
    sink.add('error', [], `The file must contain an object like ${shape}.`, root.loc, undefined, 'wrong-type');
    return { servers: [], problems: sink.problems };
  }

  const mainKey = format === 'vscode' ? 'servers' : 'mcpServers';
  const otherKey = format === 'vscode' ? 'mcpServers' : 'servers';
  const allowed = format === 'vscode' ? ['servers', 'inputs', '$schema'] : ['mcpServers', '$schema'];
  const props = objectProps(root, sink, []);
  const find = (k: string): JProp | undefined => props.find((p) => p.key === k);
  let serversProp = find(mainKey);
  const other = find(otherKey);
  if (!serversProp && other) {
    serversProp = other;
    sink.add(
      'warning',
      [otherKey],
      format === 'vscode'
        ? `VS Code's mcp.json calls this "servers"; MCP Host reads "mcpServers" too, but rename it so VS Code finds your servers as well.`
        : `Claude's .mcp.json calls this "mcpServers"; MCP Host reads "servers" too, but rename it so other tools find your servers as well.`,
      other.keyLoc,
      undefined,
      'wrong-key',
    );
  }
  for (const p of props) {
    if (allowed.includes(p.key) || p === serversProp) continue;
    const guess = closest(p.key, allowed.filter((k) => k !== '$schema'));
    // .mcp.json is shared with other tools that may keep their own keys there: only a note.
    sink.add(
      format === 'vscode' ? 'warning' : 'info',
      [p.key],
      `Unknown property ${quoted(p.key)}${guess ? `: did you mean "${guess}"?` : ' (MCP Host ignores it).'}`,
      p.keyLoc,
      undefined,
      'unknown-key',
    );
  }

  let inputs: InputDefinition[] = [];
  let declarations = noInputs;
  const inputsProp = format === 'vscode' ? find('inputs') : undefined;
  if (inputsProp) ({ inputs, declarations } = validateInputs(inputsProp.value, sink, ['inputs']));

  if (!serversProp) {
    sink.add('info', [], `No "${mainKey}" in this file: no servers are defined here.`, { offset: 0, length: 0 }, undefined, 'no-servers');
    return { servers: [], problems: sink.problems };
  }
  let servers = readServers(serversProp.value, [serversProp.key], sink, format, source, inputs, declarations);
  if (errors.length) servers = servers.map((def) => markBrokenSyntax(def, errors));
  return { servers, problems: sink.problems };
}

/** A syntax error inside a server's entry means the entry may be cut short: list it but do not run it. */
function markBrokenSyntax(def: ServerDefinition, errors: readonly { offset: number }[]): ServerDefinition {
  const range = entryRangeOf.get(def);
  if (!range || def.configError) return def;
  const inside = errors.some((e) => e.offset >= range.offset && e.offset <= range.offset + range.length);
  return inside ? copyMeta(def, { ...def, configError: `The entry of server "${def.name}" has a syntax error: fix it in ${def.source.file ?? 'the file'}.` }) : def;
}

const entryRangeOf = new WeakMap<ServerDefinition, { offset: number; length: number }>();

function copyMeta(from: ServerDefinition, to: ServerDefinition): ServerDefinition {
  const loc = nameLocOf.get(from);
  if (loc) nameLocOf.set(to, loc);
  const p = namePathOf.get(from);
  if (p) namePathOf.set(to, p);
  const r = entryRangeOf.get(from);
  if (r) entryRangeOf.set(to, r);
  return to;
}

function readServers(
  node: JNode,
  basePath: JsonPath,
  sink: ProblemSink,
  format: SourceFormat,
  source: ConfigSource,
  inputs: readonly InputDefinition[],
  declarations: InputDeclarations,
): ServerDefinition[] {
  if (node.kind !== 'object') {
    sink.add('error', basePath, `"${String(basePath[basePath.length - 1])}" must be an object of servers by name, like { "my-server": { "command": "npx", "args": [...] } }, not ${node.kind === 'array' ? 'an array' : `a ${node.kind}`}.`, node.loc, undefined, 'wrong-type');
    return [];
  }
  const out: ServerDefinition[] = [];
  for (const p of objectProps(node, sink, basePath)) {
    const name = p.key;
    const entryPath = [...basePath, name];
    if (!name.trim()) {
      sink.add('error', entryPath, 'A server needs a non-empty name.', p.keyLoc, undefined, 'empty-name');
      continue;
    }
    const entry = validateServerEntry(p.value, { sink, format, path: entryPath, name, ...(p.keyLoc ? { nameLoc: p.keyLoc } : {}), inputs: declarations });
    if (!entry) continue;
    const configError = sink.errorOf(name);
    const def: ServerDefinition = {
      id: serverId(source, name),
      name,
      source,
      entry,
      inputs,
      ...(configError !== undefined ? { configError } : {}),
    };
    if (p.keyLoc) nameLocOf.set(def, { offset: p.keyLoc.offset, length: p.keyLoc.length });
    namePathOf.set(def, entryPath);
    if (p.value.loc && p.keyLoc) {
      entryRangeOf.set(def, { offset: p.keyLoc.offset, length: p.value.loc.offset + p.value.loc.length - p.keyLoc.offset });
    }
    out.push(def);
  }
  return out;
}
