/**
 * Validation of one server entry and of an `inputs` array. Every problem goes to the sink with its JSON path and
 * location; the entry keeps what is valid, and any error keeps the server from starting (see `configError`).
 */
import { validateOAuthEntry } from './oauth';
import { closest, describeKind, quoted, objectProps, type JNode, type JsonPath, type Loc, type ProblemSink } from './jsonc';
import { logLevels, type LogLevel, type ServerEntry } from './types';
import { findVariables } from './variables';
import type { InputDeclarations } from './validateInputs';

// The `inputs` array has its own module; re-exported for the loaders.
export { noInputs, validateInputs, type InputDeclarations } from './validateInputs';

/** How the file is spelled: VS Code's mcp.json / settings (`servers`) or Claude's `.mcp.json` (`mcpServers`). */
export type SourceFormat = 'settings' | 'vscode' | 'claude';


const entryKeys = [
  'type',
  'command',
  'args',
  'env',
  'envFile',
  'cwd',
  'url',
  'headers',
  'oauth',
  'disabled',
  'autoStart',
  'initializeTimeoutSeconds',
  'requestTimeoutSeconds',
  'roots',
  'logLevel',
  'protocolEra',
] as const;

/** Keys other hosts write that MCP Host ignores: '' quietly, otherwise with this note (severity info). */
const ignoredEntryKeys: Record<string, string> = {
  dev: '"dev" (watch and debug mode) is a VS Code feature; MCP Host ignores it.',
  gallery: '',
  version: '',
  description: '',
  timeout: '"timeout" is ignored; MCP Host uses "requestTimeoutSeconds" (or the mcpHost.requestTimeoutSeconds setting).',
  autoApprove: '"autoApprove" is ignored; use the mcpHost.autoApproveTools setting.',
  alwaysAllow: '"alwaysAllow" is ignored; use the mcpHost.autoApproveTools setting.',
  transportType: '"transportType" is ignored; MCP Host uses "type".',
  tools: '"tools" (a tool allow-list of other hosts) is ignored; MCP Host asks before running a tool unless mcpHost.autoApproveTools says otherwise.',
};

/** Keys asking for protection MCP Host does not give: a warning, so nobody relies on it by mistake. */
const unsupportedProtection: Record<string, string> = {
  sandboxEnabled: 'MCP Host does not sandbox servers: "sandboxEnabled" is ignored and this server runs with your full permissions.',
  sandbox: 'MCP Host does not sandbox servers: "sandbox" is ignored and this server runs with your full permissions.',
};

const httpTypes = new Set(['http', 'streamableHttp', 'streamable-http', 'remote']);
const wsTypes = new Set(['ws', 'websocket']);

/** What is wrong with a remote server's URL (after variables), or undefined when it can be used. */
export function remoteUrlProblem(type: 'http' | 'sse' | 'ws', url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `is not a URL: ${JSON.stringify(url.slice(0, 200))}.`;
  }
  const want = type === 'ws' ? ['ws:', 'wss:'] : ['http:', 'https:'];
  if (!want.includes(u.protocol)) return `must start with ${want.map((p) => `${p}//`).join(' or ')} for type "${type}", not ${u.protocol}//.`;
  return undefined;
}

interface EntryContext {
  readonly sink: ProblemSink;
  readonly format: SourceFormat;
  /** JSON path of the entry. */
  readonly path: JsonPath;
  readonly name: string;
  /** Location of the server's name (where "missing command" points). */
  readonly nameLoc?: Loc;
  readonly inputs: InputDeclarations;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Validates one server entry. Returns undefined only when the entry is not an object at all (nothing to list).
 */
export function validateServerEntry(node: JNode, ctx: EntryContext): ServerEntry | undefined {
  const { sink, name, path } = ctx;
  if (node.kind !== 'object') {
    sink.add('error', path, `Server "${name}" must be an object like { "command": "npx", "args": [...] }, not ${describeKind(node)}.`, node.loc, name, 'wrong-type');
    return undefined;
  }
  const entry: Mutable<ServerEntry> = { type: 'stdio', args: [], env: {}, disabled: false };
  const props = new Map(objectProps(node, sink, path, name).map((p) => [p.key, p]));
  const err = (key: string | JsonPath, message: string, loc?: Loc, code = 'wrong-type') =>
    sink.add('error', typeof key === 'string' ? [...path, key] : key, message, loc, name, code);
  const warn = (key: string | JsonPath, message: string, loc?: Loc, code?: string) =>
    sink.add('warning', typeof key === 'string' ? [...path, key] : key, message, loc, name, code);

  for (const p of props.values()) {
    if ((entryKeys as readonly string[]).includes(p.key) || p.key === 'enabled') continue;
    const protection = unsupportedProtection[p.key];
    if (protection) {
      warn(p.key, protection, p.keyLoc, 'ignored-key');
      continue;
    }
    const note = ignoredEntryKeys[p.key];
    if (note !== undefined) {
      if (note) sink.add('info', [...path, p.key], note, p.keyLoc, name, 'ignored-key');
      continue;
    }
    const guess = closest(p.key, entryKeys);
    warn(p.key, `Unknown property ${quoted(p.key)} in server "${name}"${guess ? `: did you mean "${guess}"?` : ' (it is ignored).'}`, p.keyLoc, 'unknown-key');
  }

  const str = (key: string): { value: string; loc?: Loc } | undefined => {
    const n = props.get(key)?.value;
    if (!n) return undefined;
    if (n.kind === 'string') return { value: n.value, loc: n.loc };
    err(key, `"${key}" of server "${name}" must be a string, not ${describeKind(n)}.`, n.loc);
    return undefined;
  };
  const bool = (key: 'disabled' | 'enabled' | 'autoStart'): boolean | undefined => {
    const n = props.get(key)?.value;
    if (!n) return undefined;
    if (n.kind === 'boolean') return n.value;
    err(key, `"${key}" of server "${name}" must be true or false, not ${describeKind(n)}.`, n.loc);
    return undefined;
  };
  const seconds = (key: 'initializeTimeoutSeconds' | 'requestTimeoutSeconds'): number | undefined => {
    const n = props.get(key)?.value;
    if (!n) return undefined;
    if (n.kind === 'number' && n.value > 0) return n.value;
    err(key, `"${key}" of server "${name}" must be a number of seconds greater than 0, not ${n.kind === 'number' ? n.value : describeKind(n)}.`, n.loc);
    return undefined;
  };
  const checkVars = (value: string, keyPath: JsonPath, loc?: Loc) => checkVariables(value, keyPath, loc, ctx);

  // type: VS Code requires it in mcp.json, Claude's format has none; both infer http from a lone url.
  const command = str('command');
  const url = str('url');
  const typeNode = props.get('type')?.value;
  if (typeNode && typeNode.kind !== 'string') {
    err('type', `"type" of server "${name}" must be a string ("stdio", "http", "sse" or "ws"), not ${describeKind(typeNode)}.`, typeNode.loc);
  } else if (typeNode) {
    const t = typeNode.value;
    if (t === 'stdio' || t === 'local') entry.type = 'stdio';
    else if (httpTypes.has(t)) entry.type = 'http';
    else if (t === 'sse') entry.type = 'sse';
    else if (wsTypes.has(t)) entry.type = 'ws';
    else {
      entry.type = t;
      const guess = closest(t, ['stdio', 'http', 'sse', 'ws']);
      err('type', `Unknown type ${quoted(t)} for server "${name}"${guess ? `: did you mean "${guess}"?` : '; use "stdio" for a local command.'}`, typeNode.loc, 'unknown-type');
    }
  } else if (url && !command) {
    entry.type = /^wss?:\/\//i.test(url.value) ? 'ws' : 'http';
  }
  const remote = entry.type === 'http' || entry.type === 'sse' || entry.type === 'ws';
  if (remote && !url && !props.has('url')) {
    err(path, `Server "${name}" is a remote server (type "${entry.type}") but has no "url": add "url": "${entry.type === 'ws' ? 'ws' : 'https'}://.../mcp".`, ctx.nameLoc ?? node.loc, 'missing-url');
  } else if (remote && url && findVariables(url.value, { shellStyleEnv: ctx.format === 'claude' }).length === 0) {
    const problem = remoteUrlProblem(entry.type as 'http' | 'sse' | 'ws', url.value);
    if (problem) err('url', `"url" of server "${name}" ${problem}`, url.loc, 'bad-url');
  }

  if (command) {
    entry.command = command.value;
    if (!command.value.trim()) err('command', `"command" of server "${name}" is empty: set the program to run, e.g. "npx".`, command.loc, 'missing-command');
    checkVars(command.value, [...path, 'command'], command.loc);
  } else if (entry.type === 'stdio' && !props.has('command')) {
    err(
      path,
      `Server "${name}" has no "command": add the program to run, e.g. "command": "npx", "args": ["-y", "<package>"]${url ? ' (or "type": "http" for a server at a URL)' : ''}.`,
      ctx.nameLoc ?? node.loc,
      'missing-command',
    );
  }
  if (url) {
    entry.url = url.value;
    checkVars(url.value, [...path, 'url'], url.loc);
  }

  const argsNode = props.get('args')?.value;
  if (argsNode) {
    if (argsNode.kind !== 'array') {
      err('args', `"args" of server "${name}" must be an array of strings, e.g. ["-y", "pkg"], not ${describeKind(argsNode)}.`, argsNode.loc);
    } else {
      const args: string[] = [];
      argsNode.items.forEach((item, i) => {
        const at = [...path, 'args', i];
        if (item.kind === 'string') {
          args.push(item.value);
          checkVars(item.value, at, item.loc);
          if (/^~[/\\]/.test(item.value)) {
            sink.add('info', at, `"~" in args is passed to the server as is (no shell expands it): use "\${userHome}${item.value.slice(1)}" for your home folder.`, item.loc, name, 'tilde-in-args');
          }
        } else if (item.kind === 'number' || item.kind === 'boolean') {
          args.push(String(item.value));
          warn(at, `Argument ${i} of server "${name}" is ${describeKind(item)}; it is passed as the string "${String(item.value)}". Put it in quotes.`, item.loc, 'coerced');
        } else {
          err(at, `Argument ${i} of server "${name}" must be a string, not ${describeKind(item)}.`, item.loc);
        }
      });
      entry.args = args;
    }
  }
  if (command && /\s/.test(command.value.trim()) && entry.args.length === 0 && !/[/\\]/.test(command.value)) {
    warn(
      'command',
      `"command" of server "${name}" contains spaces: MCP Host runs it without a shell, so "${command.value}" is taken as one program name. Put the program in "command" and the rest in "args".`,
      command.loc,
      'command-with-spaces',
    );
  }

  entry.env = stringMap('env', true, ctx, props.get('env')?.value) as Record<string, string | null>;
  const headersNode = props.get('headers')?.value;
  if (headersNode) entry.headers = stringMap('headers', false, ctx, headersNode) as Record<string, string>;
  const oauthNode = props.get('oauth')?.value;
  const oauth = oauthNode ? validateOAuthEntry(oauthNode, sink, [...path, 'oauth'], name) : undefined;
  if (oauth) {
    entry.oauth = oauth;
    checkVariables(oauth.clientId, [...path, 'oauth', 'clientId'], undefined, ctx);
    if (oauth.clientSecret !== undefined) checkVariables(oauth.clientSecret, [...path, 'oauth', 'clientSecret'], undefined, ctx);
  }

  const envFile = str('envFile');
  if (envFile) {
    entry.envFile = envFile.value;
    checkVars(envFile.value, [...path, 'envFile'], envFile.loc);
  }
  const cwd = str('cwd');
  if (cwd) {
    entry.cwd = cwd.value;
    checkVars(cwd.value, [...path, 'cwd'], cwd.loc);
  }
  // Some hosts write `"enabled": false` instead of `"disabled": true`.
  const enabled = props.has('disabled') ? undefined : bool('enabled');
  entry.disabled = bool('disabled') ?? (enabled === undefined ? false : !enabled);
  const autoStart = bool('autoStart');
  if (autoStart !== undefined) entry.autoStart = autoStart;
  const init = seconds('initializeTimeoutSeconds');
  if (init !== undefined) entry.initializeTimeoutSeconds = init;
  const req = seconds('requestTimeoutSeconds');
  if (req !== undefined) entry.requestTimeoutSeconds = req;
  const rootsNode = props.get('roots')?.value;
  if (rootsNode) {
    if (rootsNode.kind !== 'array') {
      err('roots', `"roots" of server "${name}" must be an array of folder paths or URIs, e.g. ["\${workspaceFolder}/src"], not ${describeKind(rootsNode)}.`, rootsNode.loc);
    } else {
      const roots: string[] = [];
      rootsNode.items.forEach((item, i) => {
        if (item.kind === 'string' && item.value.trim()) roots.push(item.value);
        else err([...path, 'roots', i], `Root ${i} of server "${name}" must be a non-empty string (a path or a URI), not ${describeKind(item)}.`, item.loc);
      });
      entry.roots = roots;
    }
  }
  const level = props.get('logLevel')?.value;
  if (level) {
    if (level.kind === 'string' && (logLevels as readonly string[]).includes(level.value)) entry.logLevel = level.value as LogLevel;
    else err('logLevel', `"logLevel" of server "${name}" must be one of ${logLevels.join(', ')}.`, level.loc);
  }
  const era = str('protocolEra');
  if (era && (era.value === 'auto' || era.value === 'legacy' || era.value === 'modern')) entry.protocolEra = era.value;
  else if (era) err('protocolEra', `"protocolEra" of server "${name}" must be "auto", "legacy" or "modern", not ${quoted(era.value)}.`, era.loc);
  return entry;
}

/** `env` (string, number or null values) or `headers` (string values). */
function stringMap(key: 'env' | 'headers', allowNull: boolean, ctx: EntryContext, node: JNode | undefined): Record<string, string | null> {
  const { sink, name, path } = ctx;
  const out: Record<string, string | null> = {};
  if (!node) return out;
  if (node.kind !== 'object') {
    sink.add('error', [...path, key], `"${key}" of server "${name}" must be an object like { "NAME": "value" }, not ${describeKind(node)}.`, node.loc, name, 'wrong-type');
    return out;
  }
  for (const p of objectProps(node, sink, [...path, key], name)) {
    const at = [...path, key, p.key];
    const v = p.value;
    if (v.kind === 'string') {
      out[p.key] = v.value;
      checkVariables(v.value, at, v.loc, ctx);
    } else if (v.kind === 'number') {
      out[p.key] = String(v.value);
    } else if (v.kind === 'null' && allowNull) {
      out[p.key] = null;
    } else if (v.kind === 'boolean') {
      out[p.key] = String(v.value);
      sink.add('warning', at, `"${key}.${p.key}" of server "${name}" is a boolean; it is passed as the string "${String(v.value)}". Put it in quotes.`, v.loc, name, 'coerced');
    } else {
      const allowed = allowNull ? 'a string, a number or null (to unset it)' : 'a string';
      sink.add('error', at, `"${key}.${p.key}" of server "${name}" must be ${allowed}, not ${describeKind(v)}.`, v.loc, name, 'wrong-type');
    }
  }
  return out;
}

/** Reports unknown variables and inputs that are not declared (errors: the launch would fail). */
function checkVariables(value: string, path: JsonPath, loc: Loc | undefined, ctx: EntryContext): void {
  // Point at the variable itself when the string has no escapes (its text maps 1:1 onto the value).
  const exact = loc !== undefined && loc.length === value.length + 2 && JSON.stringify(value).length === loc.length;
  for (const v of findVariables(value, { shellStyleEnv: ctx.format === 'claude' })) {
    const at = exact ? { offset: loc.offset + 1 + v.start, length: v.text.length } : loc;
    if (v.ref.kind === 'unsupported') {
      ctx.sink.add('error', path, `Server "${ctx.name}": ${v.ref.reason}.`, at, ctx.name, 'unknown-variable');
    } else if (v.ref.kind === 'input' && !ctx.inputs.ids.has(v.ref.id)) {
      const why = ctx.inputs.unsupported.get(v.ref.id);
      const message = why
        ? `Server "${ctx.name}" uses input "${v.ref.id}", ${why}.`
        : ctx.format === 'vscode'
          ? `Server "${ctx.name}" uses input "${v.ref.id}", which is not declared: add { "type": "promptString", "id": "${v.ref.id}", "description": "..." } to "inputs".`
          : `Server "${ctx.name}" uses input "${v.ref.id}", but only .vscode/mcp.json can declare inputs: move the server there and declare "${v.ref.id}" in its "inputs".`;
      ctx.sink.add('error', path, message, at, ctx.name, 'undeclared-input');
    }
  }
}
