/**
 * The commands of `mcp-host`. Each goes through the engine as the editor does (the registry's server handle, its
 * cached lists, its requests with a signal and the configured timeouts) and writes its result to stdout.
 */
import { displayCommandLine } from '../core/base/commandLine';
import { sanitizeLabel, sanitizeText } from '../core/base/sanitize';
import { describeSource } from '../core/config';
import type { ServerDefinition } from '../core/config/types';
import type { Tool } from '../core/protocol/sdk';
import type { CliCommand, CliOptions } from './args';
import { promptArguments, toolArguments } from './arguments';
import type { CliConfig } from './config';
import { CliError, ExitCode, type ExitCodeValue } from './errors';
import { formatList, formatPrompt, formatResource, formatToolResult, inertJson, listKey } from './output';
import { pickServer, refusal, withServer, type CliIo } from './session';

type ServerCommand = Extract<CliCommand, { name: 'list' | 'call' | 'read' | 'prompt' | 'ping' }>;

/** Runs one command against one server; resolves to the exit code (a failure throws a CliError). */
export async function runServerCommand(cmd: ServerCommand, cfg: CliConfig, options: CliOptions, io: CliIo, version: string): Promise<ExitCodeValue> {
  const def = pickServer(cfg, cmd.server);
  const out = (text: string): void => void io.stdout.write(text);
  return withServer(def, cfg, options, io, version, async ({ server, signal, progress }) => {
    switch (cmd.name) {
      case 'list':
        out(formatList(cmd.kind, server.lists[listKey[cmd.kind]], options.format));
        return ExitCode.ok;
      case 'call': {
        const tool = findTool(server.lists.tools, cmd.tool, def.name);
        const args = toolArguments(tool, options.argsJson, cmd.pairs);
        progress.show(`calling ${cmd.tool}…`);
        const result = await server.callTool(tool.name, args, { signal, onProgress: (p) => progress.show(`${cmd.tool}: ${p.message ?? `${p.progress}${p.total !== undefined ? `/${p.total}` : ''}`}`) });
        progress.clear();
        out(formatToolResult(result, options.format));
        if (result.isError !== true) return ExitCode.ok;
        io.stderr.write(`mcp-host: tool "${sanitizeLabel(tool.name, 80)}" returned an error (isError)\n`);
        return ExitCode.toolError;
      }
      case 'read':
        out(formatResource(await server.readResource(cmd.uri, { signal }), options.format));
        return ExitCode.ok;
      case 'prompt': {
        const prompts = server.lists.prompts;
        if (!prompts.some((p) => p.name === cmd.prompt)) {
          throw new CliError('unknownTool', `server "${def.name}" has no prompt "${cmd.prompt}"`, listHint('prompts', prompts.map((p) => p.name)));
        }
        out(formatPrompt(await server.getPrompt(cmd.prompt, promptArguments(cmd.pairs), { signal }), options.format));
        return ExitCode.ok;
      }
      case 'ping': {
        const t0 = performance.now();
        await server.ping({ signal });
        out(options.format === 'json' ? '{}\n' : `${def.name} answered ping in ${(performance.now() - t0).toFixed(1)} ms\n`);
        return ExitCode.ok;
      }
    }
  });
}

function findTool(tools: readonly Tool[], name: string, server: string): Tool {
  const tool = tools.find((t) => t.name === name);
  if (tool) return tool;
  throw new CliError('unknownTool', `server "${server}" has no tool "${name}"`, listHint('tools', tools.map((t) => t.name)));
}

function listHint(what: string, names: readonly string[]): string {
  if (names.length === 0) return `it offers no ${what}`;
  const shown = names.slice(0, 30).map((n) => sanitizeLabel(n, 60));
  return `its ${what}: ${shown.join(', ')}${names.length > shown.length ? `, … (${names.length} in all)` : ''}`;
}

/** `servers`: every configured server, where it comes from, what it runs, and whether it may run here. */
export function listServers(cfg: CliConfig, options: CliOptions, io: CliIo): ExitCodeValue {
  for (const p of cfg.config.problems) {
    if (p.severity === 'info' && !options.verbose) continue;
    io.stderr.write(`mcp-host: ${p.severity}: ${describeSource(p.source)}: ${sanitizeText(p.message)}\n`);
  }
  const rows = cfg.config.servers.map((def) => describeServer(def, cfg, options));
  if (options.format === 'json') {
    io.stdout.write(`${inertJson(rows)}\n`);
    return ExitCode.ok;
  }
  if (rows.length === 0) {
    io.stdout.write(`(no servers${cfg.files.length ? ` in ${cfg.files.join(', ')}` : ' configured: use --config FILE, --url URL or -- COMMAND ARGS'})\n`);
    return ExitCode.ok;
  }
  for (const r of rows) {
    const what = r.url ?? displayCommandLine(r.command ?? '', r.args);
    const note = r.status === 'ok' ? '' : `  [${r.status}]`;
    io.stdout.write(`${sanitizeLabel(r.name, 80)}  (${r.type}, ${sanitizeText(r.source)})${note}\n    ${sanitizeText(what)}\n`);
  }
  return ExitCode.ok;
}

interface ServerRow {
  readonly name: string;
  readonly type: string;
  readonly source: string;
  readonly file?: string;
  readonly command?: string;
  readonly args: readonly string[];
  readonly url?: string;
  /** 'ok', or why it does not run here ('needs --trust-workspace', 'transport not supported', 'disabled', the error). */
  readonly status: string;
}

function describeServer(def: ServerDefinition, cfg: CliConfig, options: CliOptions): ServerRow {
  const refused = refusal(def, cfg, options);
  let status = 'ok';
  if (def.entry.disabled) status = 'disabled';
  else if (refused?.code === 'untrustedWorkspace') status = 'needs --trust-workspace';
  else if (refused?.code === 'unsupportedTransport') status = 'transport not supported';
  else if (refused) status = `error: ${refused.message}`;
  return {
    name: def.name,
    type: def.entry.type,
    source: describeSource(def.source),
    ...(def.source.file !== undefined ? { file: def.source.file } : {}),
    ...(def.entry.command !== undefined ? { command: def.entry.command } : {}),
    args: def.entry.args,
    ...(def.entry.url !== undefined ? { url: def.entry.url } : {}),
    status,
  };
}
