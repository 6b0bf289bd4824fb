/**
 * Where the CLI's servers come from: one server given on the command line (--url, or `-- COMMAND ARGS`), or the
 * --config files, or by default the current folder's `.vscode/mcp.json` and `.mcp.json` plus `mcpHost.servers`
 * in VS Code's user settings. Parsing and validation are the engine's (src/core/config), as in the editor.
 *
 * Trust: servers from workspace files (`mcp.json`, `.mcp.json`, found here or named with --config) are
 * workspace-defined and run only with --trust-workspace. The user's own files (VS Code's user settings, Claude
 * Desktop's configuration) and servers typed on the command line run without it.
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { configFileOf, configFilePaths, loadConfig, parseSettingsServers, serversSetting, type ConfigFileInput } from '../core/config';
import { parseJsonc, toValue } from '../core/config/jsonc';
import type { ConfigSource, LoadedConfig, ServerDefinition } from '../core/config/types';
import type { CliOptions } from './args';
import { CliError } from './errors';

export interface CliConfig {
  readonly config: LoadedConfig;
  /** Ids of the definitions from the user's own sources (run without --trust-workspace). */
  readonly userLevel: ReadonlySet<string>;
  /** The files that were read, for `servers` and error messages. */
  readonly files: readonly string[];
  /** The definition given on the command line (--url / `--`), if any. */
  readonly adHoc?: ServerDefinition;
}

export interface ConfigEnvironment {
  readonly cwd: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
}

/** Configuration files are small; a bigger one is refused rather than read into memory. */
const MAX_CONFIG_BYTES = 8 * 1024 * 1024;

/** VS Code's user settings.json on this platform (stable VS Code; the first that exists is read). */
export function vscodeUserSettingsPath(e: ConfigEnvironment): string {
  switch (e.platform) {
    case 'darwin':
      return path.join(e.home, 'Library', 'Application Support', 'Code', 'User', 'settings.json');
    case 'win32':
      return path.join(e.env.APPDATA ?? path.join(e.home, 'AppData', 'Roaming'), 'Code', 'User', 'settings.json');
    default:
      return path.join(e.env.XDG_CONFIG_HOME || path.join(e.home, '.config'), 'Code', 'User', 'settings.json');
  }
}

export async function loadCliConfig(options: CliOptions, e: ConfigEnvironment): Promise<CliConfig> {
  const adHoc = adHocDefinition(options, e.cwd);
  if (adHoc) return { config: { servers: [adHoc.def], problems: adHoc.problems }, userLevel: new Set([adHoc.def.id]), files: [], adHoc: adHoc.def };

  const files: ConfigFileInput[] = [];
  const userLevelFiles = new Set<string>();
  let userSettings: unknown;
  let settingsFile: string | undefined;
  const read: string[] = [];
  if (options.configFiles.length > 0) {
    for (const given of options.configFiles) {
      const file = path.resolve(e.cwd, given);
      const text = await readConfig(file, true);
      if (text === undefined) continue;
      read.push(file);
      const base = path.basename(file);
      if (base === 'settings.json') {
        if (userSettings !== undefined) throw new CliError('usage', `only one settings.json can be given with --config (${settingsFile} and ${file})`);
        userSettings = serversOfSettings(text, file);
        settingsFile = file;
        continue;
      }
      const claudeDesktop = base === 'claude_desktop_config.json';
      if (claudeDesktop) userLevelFiles.add(file);
      files.push({ kind: fileKind(file, text), path: file, folder: folderOf(file, e.cwd, claudeDesktop), text });
    }
  } else {
    for (const f of configFilePaths(e.cwd)) {
      const text = await readConfig(f.path, false);
      if (text === undefined) continue;
      read.push(f.path);
      files.push({ kind: f.kind, path: f.path, folder: e.cwd, text });
    }
    settingsFile = vscodeUserSettingsPath(e);
    const text = await readConfig(settingsFile, false);
    if (text !== undefined) {
      read.push(settingsFile);
      userSettings = serversOfSettings(text, settingsFile);
    }
  }
  const config = loadConfig({ userSettings, files, workspaceFolders: [e.cwd] });
  const userLevel = new Set(
    config.servers.filter((d) => d.source.kind === 'userSettings' || (d.source.file !== undefined && userLevelFiles.has(d.source.file))).map((d) => d.id),
  );
  return { config, userLevel, files: read };
}

/** The one server given with --url or `-- COMMAND ARGS`, validated like a `mcpHost.servers` entry. */
function adHocDefinition(options: CliOptions, cwd: string): { def: ServerDefinition; problems: LoadedConfig['problems'] } | undefined {
  let name: string;
  let entry: Record<string, unknown>;
  if (options.url !== undefined) {
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new CliError('usage', `--url "${options.url}" is not a URL`);
    }
    // http(s): Streamable HTTP (which falls back to HTTP+SSE as the spec says); ws(s): WebSocket.
    const type = url.protocol === 'http:' || url.protocol === 'https:' ? 'http' : url.protocol === 'ws:' || url.protocol === 'wss:' ? 'ws' : undefined;
    if (!type) throw new CliError('usage', `--url must be an http://, https://, ws:// or wss:// URL, not ${url.protocol}`);
    name = url.host;
    entry = { type, url: options.url };
  } else if (options.serverCommand) {
    const [command, ...args] = options.serverCommand;
    name = path.basename(command ?? '').replace(/\.(exe|cmd|bat|js|mjs|cjs)$/i, '') || 'server';
    // Typed in a shell: relative paths mean the shell's current folder (a user-settings server's default is HOME).
    entry = { type: 'stdio', command, args, cwd };
  } else {
    return undefined;
  }
  const source: ConfigSource = { kind: 'userSettings', folder: cwd };
  const r = parseSettingsServers({ [name]: entry }, source);
  const def = r.servers[0];
  if (!def) throw new CliError('usage', r.problems.map((p) => p.message).join('\n') || 'the server on the command line is not valid');
  return { def, problems: r.problems };
}

async function readConfig(file: string, required: boolean): Promise<string | undefined> {
  try {
    const st = await fsp.stat(file);
    if (!st.isFile()) throw new CliError('configUnreadable', `${file} is not a file`);
    if (st.size > MAX_CONFIG_BYTES) throw new CliError('configUnreadable', `${file} is ${st.size} bytes: a configuration file may have at most ${MAX_CONFIG_BYTES}`);
    return await fsp.readFile(file, 'utf8');
  } catch (err) {
    if (err instanceof CliError) throw err;
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError('configUnreadable', `cannot read ${file}: ${(err as Error).message}`);
  }
}

/** The value of `mcpHost.servers` in a settings.json (JSONC), or undefined when it has none. */
function serversOfSettings(text: string, file: string): unknown {
  const { root, errors } = parseJsonc(text);
  if (!root || root.kind !== 'object') {
    if (errors.length) throw new CliError('configUnreadable', `${file}: ${errors[0]?.message ?? 'not JSON'}`);
    return undefined;
  }
  const prop = root.props.find((p) => p.key === serversSetting);
  return prop ? toValue(prop.value) : undefined;
}

/** The format of a project file by its name (src/core/config/files.ts); Claude's for Claude Desktop's; else by content. */
function fileKind(file: string, text: string): ConfigFileInput['kind'] {
  const known = configFileOf(file);
  if (known) return known.kind;
  if (path.basename(file) === 'claude_desktop_config.json') return 'rootMcpJson';
  const { root } = parseJsonc(text);
  const hasServers = root?.kind === 'object' && root.props.some((p) => p.key === 'servers');
  return hasServers ? 'folderMcpJson' : 'rootMcpJson';
}

/** The folder `${workspaceFolder}` and the default cwd mean: the project of a project file, else the current one. */
function folderOf(file: string, cwd: string, userFile: boolean): string {
  const known = userFile ? undefined : configFileOf(file);
  if (!known) return cwd;
  let folder = file;
  for (let i = 0; i < known.segments.length; i++) folder = path.dirname(folder);
  return folder;
}
