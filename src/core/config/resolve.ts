/**
 * Turns a definition into exactly what is spawned (or, for a remote server, the url and headers used): variables
 * and inputs expanded, paths made absolute.
 *
 * Decisions (documented for users in the README):
 * - `cwd` defaults to the source's workspace folder; a user-settings server's default is always the user's home,
 *   never the open folder: launchers (npx, uvx, python -m, node) read code and settings (node_modules, .npmrc,
 *   uv.toml, mod.py) from their working directory, so the default would let any folder the user opens (even a
 *   restricted one) run its code through the user's own servers. A user who wants the folder writes
 *   `"cwd": "${workspaceFolder}"`, which the launch gate refuses in a restricted workspace
 *   (see `workspaceFolderFields`). Relative `cwd` and `envFile` resolve against that same default (folder or home).
 * - `~` / `~/...` at the start of `command`, `cwd` and `envFile` means the user's home (paths MCP Host itself
 *   interprets); in `args` and `env` it is passed as is, as VS Code does (no shell is involved).
 * - A `command` with a path separator that is relative (`./bin/server`) resolves against the launch `cwd`.
 * - `${env:NAME}` of an unset variable is empty (as in VS Code); in `.mcp.json`, `${NAME}` without a default
 *   is an error (as in Claude Code).
 */
import * as path from 'node:path';
import { InputCancelledError, inputScope, resolveInput } from './inputs';
import { isWorkspaceDefined, type InputPrompter, type Memento, type ResolvedLaunch, type SecretStore, type ServerDefinition, type WorkspaceFolderInfo } from './types';
import { isInputReference } from './oauth';
import { remoteUrlProblem } from './validate';
import { expandVariables, findVariables, type VariableOptions, type VariableRef } from './variables';

export interface ResolveContext {
  readonly userHome: string;
  readonly baseEnv: NodeJS.ProcessEnv;
  readonly workspaceFolders: readonly WorkspaceFolderInfo[];
  readonly inputs: InputPrompter;
  readonly secrets: SecretStore;
  readonly memento: Memento;
}

/** A definition cannot be launched as written. The message names the server and the field, for people. */
export class ConfigResolveError extends Error {
  constructor(
    readonly serverName: string,
    /** The field at fault, e.g. `args[2]`, `env.TOKEN`, `cwd`; undefined for the entry as a whole. */
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigResolveError';
  }
}

export { InputCancelledError };

/** The workspace folder a definition belongs to, if any (see the decisions above). */
export function sourceFolder(def: ServerDefinition, workspaceFolders: readonly WorkspaceFolderInfo[]): string | undefined {
  if (def.source.folder !== undefined) return def.source.folder;
  if (def.source.kind === 'userSettings' || def.source.kind === 'workspaceSettings') {
    return workspaceFolders.length === 1 ? workspaceFolders[0]?.path : undefined;
  }
  return undefined;
}

/**
 * Where a definition's default `cwd` and its relative `cwd` / `envFile` point: the source's folder for workspace
 * sources, the home folder for the user's own servers (see the decisions above).
 */
function baseFolder(def: ServerDefinition, workspaceFolders: readonly WorkspaceFolderInfo[], userHome: string): string {
  if (def.source.kind === 'userSettings') return userHome;
  return sourceFolder(def, workspaceFolders) ?? userHome;
}

/** The fields that decide what program runs, where, and with which environment. */
const LAUNCH_SHAPING_FIELDS = ['command', 'cwd', 'envFile'] as const;

/**
 * The fields of a definition (`command`, `cwd`, `envFile`) that take a value from the workspace folder
 * (`${workspaceFolder}`, `${workspaceFolder:NAME}`, `${workspaceFolderBasename}`): with them the workspace supplies
 * the program, its working directory or its environment. The launch gate refuses a user server with any of them
 * in a restricted workspace. Arguments are not counted: passing the folder as data (a filesystem server's root)
 * is the common case.
 */
export function workspaceFolderFields(def: ServerDefinition): ('command' | 'cwd' | 'envFile')[] {
  const options: VariableOptions = { shellStyleEnv: def.source.kind === 'rootMcpJson' };
  return LAUNCH_SHAPING_FIELDS.filter((field) => {
    const value = def.entry[field];
    return value !== undefined && findVariables(value, options).some((v) => v.ref.kind === 'workspaceFolder' || v.ref.kind === 'workspaceFolderBasename');
  });
}

/**
 * Why a user server cannot start in a restricted workspace, for people, or undefined when it can (it takes none of
 * `command`, `cwd`, `envFile` from the workspace folder). Says what to do about it.
 */
export function restrictedFolderUseMessage(def: ServerDefinition): string | undefined {
  const fields = workspaceFolderFields(def);
  if (!fields.length) return undefined;
  const uses = fields.map((f) => `"${f}": ${JSON.stringify(def.entry[f])}`).join(', ');
  const fix = fields.includes('cwd') && fields.length === 1 ? 'remove "cwd" (it then starts in your home folder)' : 'use paths outside the workspace';
  return (
    `Your MCP server "${def.name}" (user settings) takes ${uses} from the workspace folder, and this workspace is in Restricted Mode: ` +
    `the folder's code and settings would run through it. Trust the workspace to run it, or ${fix}.`
  );
}

/**
 * Expands a definition for launch. Prompts for inputs not yet remembered (one at a time, in order of use).
 * Throws ConfigResolveError (or its InputCancelledError sibling when the user cancels a prompt).
 */
export async function resolveLaunch(def: ServerDefinition, ctx: ResolveContext): Promise<ResolvedLaunch> {
  const { entry, name } = def;
  const fail = (field: string | undefined, message: string): never => {
    throw new ConfigResolveError(name, field, message);
  };
  if (def.configError !== undefined) fail(undefined, def.configError);
  const remoteType = entry.type === 'http' || entry.type === 'sse' || entry.type === 'ws' ? entry.type : undefined;
  if (entry.type !== 'stdio' && !remoteType) fail('type', `Server "${name}" uses type "${entry.type}", which MCP Host does not know.`);
  if (remoteType && !entry.url?.trim()) fail('url', `Server "${name}" has no "url" in ${where(def)}: add the server's address.`);
  if (!remoteType && (entry.command === undefined || !entry.command.trim())) {
    fail('command', `Server "${name}" has no "command" in ${where(def)}: add the program to run.`);
  }

  const fields: [string, string][] = [];
  if (remoteType) {
    fields.push(['url', entry.url ?? '']);
    for (const [k, v] of Object.entries(entry.headers ?? {})) fields.push([`headers.${k}`, v]);
    if (entry.oauth) fields.push(['oauth.clientId', entry.oauth.clientId]);
    if (entry.oauth?.clientSecret !== undefined) fields.push(['oauth.clientSecret', entry.oauth.clientSecret]);
  } else {
    fields.push(['command', entry.command ?? '']);
    entry.args.forEach((a, i) => fields.push([`args[${i}]`, a]));
    for (const [k, v] of Object.entries(entry.env)) if (v !== null) fields.push([`env.${k}`, v]);
    if (entry.cwd !== undefined) fields.push(['cwd', entry.cwd]);
    if (entry.envFile !== undefined) fields.push(['envFile', entry.envFile]);
  }

  const options: VariableOptions = { shellStyleEnv: def.source.kind === 'rootMcpJson' };
  // Inputs first, sequentially in order of use: one prompt at a time, and nothing is asked for a definition
  // that is otherwise broken beyond the inputs.
  const inputValues = new Map<string, string>();
  const secrets: string[] = [];
  const secretInputs: { inputId: string; value: string }[] = [];
  for (const [field, value] of fields) {
    for (const v of findVariables(value, options)) {
      if (v.ref.kind !== 'input' || inputValues.has(v.ref.id)) continue;
      const id = v.ref.id;
      const input = def.inputs.find((i) => i.id === id);
      if (!input) {
        fail(
          field,
          `Server "${name}" uses input "${id}" in ${field}, but ${where(def)} does not declare it: add it to "inputs" (only .vscode/mcp.json can declare inputs).`,
        );
        continue;
      }
      try {
        const r = await resolveInput(input, inputScope(def.source), name, ctx, { trustedDefault: !isWorkspaceDefined(def.source) });
        inputValues.set(id, r.value);
        if (r.secret && r.value && !secrets.includes(r.value)) secrets.push(r.value);
        if (r.secret && r.value) secretInputs.push({ inputId: id, value: r.value });
      } catch (e) {
        if (e instanceof InputCancelledError) throw e;
        fail(field, `Server "${name}": could not get input "${id}": ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  const folder = sourceFolder(def, ctx.workspaceFolders);
  const base = baseFolder(def, ctx.workspaceFolders, ctx.userHome);
  const expand = (field: string, value: string): string =>
    expandVariables(value, (ref, text) => variableValue(ref, text, field), options);
  const variableValue = (ref: VariableRef, text: string, field: string): string => {
    switch (ref.kind) {
      case 'workspaceFolder': {
        if (ref.folderName !== undefined) {
          const f = ctx.workspaceFolders.find((w) => w.name === ref.folderName);
          if (f) return f.path;
          const open = ctx.workspaceFolders.map((w) => `"${w.name}"`).join(', ');
          return fail(field, `Server "${name}": ${text} in ${field} names no open folder (open: ${open || 'none'}).`);
        }
        return folder ?? fail(field, noFolderMessage(def, text, field, ctx.workspaceFolders.length));
      }
      case 'workspaceFolderBasename':
        return folder !== undefined ? path.basename(folder) : fail(field, noFolderMessage(def, text, field, ctx.workspaceFolders.length));
      case 'userHome':
        return ctx.userHome;
      case 'pathSeparator':
        return path.sep;
      case 'env': {
        const v = envValue(ctx.baseEnv, ref.name);
        if (v !== undefined && v !== '') return v;
        if (ref.default !== undefined) return ref.default;
        if (ref.required) {
          return fail(field, `Server "${name}": ${text} in ${field} needs the environment variable ${ref.name}, which is not set. Set it before starting VS Code, or write \${${ref.name}:-default}.`);
        }
        return v ?? '';
      }
      case 'input':
        return inputValues.get(ref.id) ?? fail(field, `Server "${name}": input "${ref.id}" in ${field} has no value.`);
      case 'unsupported':
        return fail(field, `Server "${name}": ${ref.reason} (in ${field}).`);
    }
  };

  if (remoteType) {
    const url = expand('url', entry.url ?? '').trim();
    const problem = remoteUrlProblem(remoteType, url);
    if (problem) fail('url', `Server "${name}": "url" ${problem}`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(entry.headers ?? {})) headers[k] = expand(`headers.${k}`, v);
    const oauth = entry.oauth && resolveOAuth(entry.oauth, expand, secrets, fail);
    return { command: '', args: [], cwd: base, env: {}, secrets, remote: { type: remoteType, url, headers, ...(oauth ? { oauth } : {}) } };
  }

  let cwd = base;
  if (entry.cwd !== undefined) {
    const c = expandHome(expand('cwd', entry.cwd), ctx.userHome);
    if (!c) fail('cwd', `Server "${name}": "cwd" is empty after expanding variables.`);
    cwd = path.resolve(base, c);
  }
  let command = expandHome(expand('command', entry.command ?? ''), ctx.userHome);
  if (!command.trim()) fail('command', `Server "${name}": "command" is empty after expanding variables.`);
  if (/[/\\]/.test(command) && !path.isAbsolute(command)) command = path.resolve(cwd, command);
  const args = entry.args.map((a, i) => expand(`args[${i}]`, a));
  const env: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(entry.env)) env[k] = v === null ? null : expand(`env.${k}`, v);
  const launch: { -readonly [K in keyof ResolvedLaunch]: ResolvedLaunch[K] } = { command, args, cwd, env, secrets, ...(secretInputs.length ? { secretInputs } : {}) };
  if (entry.envFile !== undefined) {
    const f = expandHome(expand('envFile', entry.envFile), ctx.userHome);
    if (!f) fail('envFile', `Server "${name}": "envFile" is empty after expanding variables.`);
    launch.envFile = path.resolve(base, f);
  }
  return launch;
}

function where(def: ServerDefinition): string {
  switch (def.source.kind) {
    case 'userSettings':
      return 'user settings';
    case 'workspaceSettings':
      return 'workspace settings';
    default:
      return def.source.file ?? def.source.kind;
  }
}

function noFolderMessage(def: ServerDefinition, text: string, field: string, open: number): string {
  return open === 0
    ? `Server "${def.name}" uses ${text} in ${field}, but no workspace folder is open. Open a folder, or use \${userHome} or an absolute path.`
    : `Server "${def.name}" uses ${text} in ${field}, but it is defined in ${where(def)} and ${open} folders are open: write \${workspaceFolder:NAME} to pick one.`;
}

/** Environment variable names compare without case on Windows (`${env:Path}` is PATH). */
function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  if (v !== undefined || process.platform !== 'win32') return v;
  const key = Object.keys(env).find((k) => k.toUpperCase() === name.toUpperCase());
  return key === undefined ? undefined : env[key];
}

/** `~` or `~/rest` -> home (only at the start). */
export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2));
  return p;
}

/** `oauth` expanded; a client secret that did not come from a password input is refused (it would be in a file). */
function resolveOAuth(
  o: NonNullable<ServerDefinition['entry']['oauth']>,
  expand: (field: string, value: string) => string,
  secrets: readonly string[],
  fail: (field: string | undefined, message: string) => never,
): { clientId: string; clientSecret?: string } {
  const clientId = expand('oauth.clientId', o.clientId).trim();
  if (!clientId) fail('oauth.clientId', '"oauth.clientId" is empty.');
  if (o.clientSecret === undefined) return { clientId };
  const clientSecret = expand('oauth.clientSecret', o.clientSecret);
  if (!isInputReference(o.clientSecret) || !secrets.includes(clientSecret)) {
    fail('oauth.clientSecret', '"oauth.clientSecret" must come from an input declared with "password": true.');
  }
  return { clientId, clientSecret };
}
