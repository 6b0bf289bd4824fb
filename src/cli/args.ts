/**
 * The command line of `mcp-host`: options anywhere before `--`, then the command and its positionals. With
 * `--url URL` or `-- COMMAND ARGS...` the server is given on the command line, and commands take no SERVER.
 */
import { CliError } from './errors';

export type OutputFormat = 'text' | 'json';
export type ListKind = 'tools' | 'resources' | 'templates' | 'prompts';

export interface CliOptions {
  /** --config FILE (repeatable): read only these files. */
  readonly configFiles: readonly string[];
  /** --url URL: one remote server. */
  readonly url?: string;
  /** `-- COMMAND ARGS...`: one local server. */
  readonly serverCommand?: readonly string[];
  readonly format: OutputFormat;
  /** --timeout SECONDS, in ms: start and every request. */
  readonly timeoutMs?: number;
  readonly verbose: boolean;
  /** --input ID=VALUE (repeatable). */
  readonly inputs: ReadonlyMap<string, string>;
  readonly trustWorkspace: boolean;
  /** --args JSON (call). */
  readonly argsJson?: string;
}

/** One command; `server` is undefined when the server is given with --url or `--`. */
export type CliCommand =
  | { readonly name: 'help' }
  | { readonly name: 'version' }
  | { readonly name: 'servers' }
  | { readonly name: 'list'; readonly kind: ListKind; readonly server?: string }
  | { readonly name: 'call'; readonly server?: string; readonly tool: string; readonly pairs: readonly string[] }
  | { readonly name: 'read'; readonly server?: string; readonly uri: string }
  | { readonly name: 'prompt'; readonly server?: string; readonly prompt: string; readonly pairs: readonly string[] }
  | { readonly name: 'ping'; readonly server?: string }
  | { readonly name: 'conformance'; readonly url: string };

export interface ParsedArgs {
  readonly options: CliOptions;
  readonly command: CliCommand;
}

export const usageText = `Usage: mcp-host [options] COMMAND [arguments] [-- SERVER_COMMAND ARGS...]

Commands:
  servers                          list the configured servers
  tools|resources|templates|prompts SERVER
                                   list what a server offers
  call SERVER TOOL [key=value...]  call a tool (or --args JSON)
  read SERVER URI                  read a resource
  prompt SERVER NAME [key=value...]
                                   get a prompt
  ping SERVER                      ping a server
  conformance URL                  the entry the MCP conformance suite runs

Servers come from --config FILE (.vscode/mcp.json, .mcp.json, Claude Desktop's file; repeatable), by default
from ./.vscode/mcp.json, ./.mcp.json and VS Code's user settings (mcpHost.servers). With --url URL or
-- COMMAND ARGS... that one server is used and SERVER is left out.

Options:
  --config FILE          read servers from FILE (repeatable)
  --url URL              one remote server: http(s):// Streamable HTTP (or HTTP+SSE), ws(s):// WebSocket
  --format text|json     text for people (default), json: the MCP result as received
  --timeout SECONDS      limit for starting the server and for each request (default 30 s / 60 s)
  --input ID=VALUE       value of \${input:ID} (repeatable; or env MCP_HOST_INPUT_ID)
  --trust-workspace      run servers defined by workspace files (.vscode/mcp.json, .mcp.json)
  --args JSON            tool arguments as one JSON object (call)
  --verbose              log the JSON-RPC traffic and server stderr to stderr (secrets redacted)
  --help, --version
Exit codes: 0 ok, 1 usage, 2 server error, 3 authorisation needed, 4 server unreachable, 5 tool error,
6 timeout, 7 workspace server not trusted, 130 interrupted.`;

const valued = new Set(['--config', '--url', '--format', '--timeout', '--input', '--args']);
const flags = new Set(['--verbose', '-v', '--trust-workspace', '--help', '-h', '--version']);

const usage = (message: string): CliError => new CliError('usage', message, 'run mcp-host --help for the usage');

/** Parses argv (without node and the script). Throws CliError('usage') with a message naming the problem. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const dashDash = argv.indexOf('--');
  const head = dashDash < 0 ? argv : argv.slice(0, dashDash);
  const serverCommand = dashDash < 0 ? undefined : argv.slice(dashDash + 1);
  if (serverCommand && serverCommand.length === 0) throw usage('"--" must be followed by the command of the server to run');

  const configFiles: string[] = [];
  const inputs = new Map<string, string>();
  const positionals: string[] = [];
  const opts: { url?: string; format: OutputFormat; timeoutMs?: number; verbose: boolean; trustWorkspace: boolean; argsJson?: string } = {
    format: 'text',
    verbose: false,
    trustWorkspace: false,
  };
  let help = false;
  let version = false;
  for (let i = 0; i < head.length; i++) {
    const arg = head[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (valued.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : head[++i];
      if (value === undefined) throw usage(`${name} needs a value`);
      switch (name) {
        case '--config':
          configFiles.push(value);
          break;
        case '--url':
          opts.url = value;
          break;
        case '--format':
          if (value !== 'text' && value !== 'json') throw usage(`--format must be text or json, not "${value}"`);
          opts.format = value;
          break;
        case '--timeout': {
          const s = Number(value);
          if (!/^\d+(\.\d+)?$/.test(value) || !(s > 0)) throw usage(`--timeout takes a number of seconds greater than 0, not "${value}"`);
          opts.timeoutMs = Math.round(s * 1000);
          break;
        }
        case '--input': {
          const k = value.indexOf('=');
          if (k <= 0) throw usage(`--input takes ID=VALUE, not "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`);
          inputs.set(value.slice(0, k), value.slice(k + 1));
          break;
        }
        case '--args':
          opts.argsJson = value;
          break;
      }
    } else if (flags.has(arg)) {
      if (arg === '--verbose' || arg === '-v') opts.verbose = true;
      else if (arg === '--trust-workspace') opts.trustWorkspace = true;
      else if (arg === '--version') version = true;
      else help = true;
    } else if (arg.startsWith('-') && arg !== '-') {
      throw usage(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
    }
  }
  if (opts.url !== undefined && serverCommand) throw usage('give either --url URL or -- COMMAND, not both');
  const options: CliOptions = { ...opts, configFiles, inputs, ...(serverCommand ? { serverCommand } : {}) };
  if (help) return { options, command: { name: 'help' } };
  if (version) return { options, command: { name: 'version' } };
  return { options, command: commandOf(positionals, opts.url !== undefined || serverCommand !== undefined) };
}

function commandOf(positionals: readonly string[], adHoc: boolean): CliCommand {
  const [name, ...rest] = positionals;
  if (name === undefined) throw usage('no command given');
  // With --url or `--` the server is implicit: positionals start after SERVER.
  const take = (what: string[], min: number, variadic = false): { server?: string; values: string[] } => {
    const args = adHoc ? rest : rest.slice(1);
    const server = adHoc ? undefined : rest[0];
    if (!adHoc && server === undefined) throw usage(`${name} needs SERVER (a configured server's name), or --url URL, or -- COMMAND`);
    if (args.length < min) throw usage(`${name} needs ${what.slice(0, min).join(' and ')}`);
    if (!variadic && args.length > what.length) throw usage(`${name} takes ${what.length ? what.join(' ') : 'no arguments'} after SERVER; unexpected "${args[what.length]}"`);
    return { ...(server !== undefined ? { server } : {}), values: args };
  };
  switch (name) {
    case 'servers':
      if (rest.length) throw usage(`servers takes no arguments; unexpected "${rest[0]}"`);
      return { name: 'servers' };
    case 'tools':
    case 'resources':
    case 'templates':
    case 'prompts': {
      const { server } = take([], 0);
      return { name: 'list', kind: name, ...(server !== undefined ? { server } : {}) };
    }
    case 'call': {
      const { server, values } = take(['TOOL'], 1, true);
      return { name: 'call', ...(server !== undefined ? { server } : {}), tool: values[0]!, pairs: values.slice(1) };
    }
    case 'read': {
      const { server, values } = take(['URI'], 1);
      return { name: 'read', ...(server !== undefined ? { server } : {}), uri: values[0]! };
    }
    case 'prompt': {
      const { server, values } = take(['NAME'], 1, true);
      return { name: 'prompt', ...(server !== undefined ? { server } : {}), prompt: values[0]!, pairs: values.slice(1) };
    }
    case 'ping': {
      const { server } = take([], 0);
      return { name: 'ping', ...(server !== undefined ? { server } : {}) };
    }
    case 'conformance': {
      // The suite appends the mock server's URL as the last argument.
      const url = rest[rest.length - 1];
      if (url === undefined) throw usage('conformance needs the server URL (the conformance suite appends it)');
      return { name: 'conformance', url };
    }
    default:
      throw usage(`unknown command "${name}"`);
  }
}

/** `key=value` pairs -> [key, value] (the value may contain `=`). Throws a usage error for a pair without `=`. */
export function splitPairs(pairs: readonly string[]): [string, string][] {
  return pairs.map((p) => {
    const k = p.indexOf('=');
    if (k <= 0) throw usage(`arguments are key=value, not "${p.length > 40 ? `${p.slice(0, 40)}…` : p}"`);
    return [p.slice(0, k), p.slice(k + 1)];
  });
}
