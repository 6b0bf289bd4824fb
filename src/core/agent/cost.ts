/**
 * What offering tools costs a model's context: each tool's definition as sent (see toolDefs) in UTF-8 bytes and,
 * given the model's token counter, in tokens; per server and in total; as a markdown table sorted on demand.
 */
import { formatBytes } from '../content/language';
import { inlineCode } from '../content/text';
import { breakBareFileUris } from '../trust/safeDocument';
import { definitionText, modelToolsFor, type ServerTools } from './toolDefs';

/** Tools counted at most (token counting is a request per tool). */
export const MAX_COSTED_TOOLS = 5000;

export interface ToolCost {
  readonly name: string;
  readonly bytes: number;
  readonly tokens: number | undefined;
}

export interface ServerCost {
  readonly serverName: string;
  readonly tools: readonly ToolCost[];
  readonly bytes: number;
  readonly tokens: number | undefined;
}

export interface ContextCost {
  readonly servers: readonly ServerCost[];
  readonly bytes: number;
  /** Undefined when no counter was given (or counting failed for some tool). */
  readonly tokens: number | undefined;
  readonly modelName: string | undefined;
}

export type CostSort = 'tokens' | 'bytes' | 'name';

const sum = (xs: readonly (number | undefined)[]): number | undefined => xs.reduce<number | undefined>((a, x) => (a === undefined || x === undefined ? undefined : a + x), 0);

/** Bytes of all tool definitions of one server (for the tree tooltip; no tokens). */
export function serverDefinitionBytes(server: ServerTools): number {
  const set = modelToolsFor([server], MAX_COSTED_TOOLS);
  let total = 0;
  for (const b of set.bytes.values()) total += b;
  return total;
}

/** Measures every tool of `servers`; `countTokens` is the chosen model's counter (each tool counted alone). */
export async function contextCost(
  servers: readonly ServerTools[],
  counter?: { readonly modelName: string; count(text: string, signal: AbortSignal): Promise<number> },
  signal: AbortSignal = new AbortController().signal,
): Promise<ContextCost> {
  const out: ServerCost[] = [];
  let budget = MAX_COSTED_TOOLS;
  for (const s of servers) {
    const set = modelToolsFor([s], Math.max(0, budget));
    budget -= set.tools.length;
    const tools: ToolCost[] = [];
    for (const [i, tool] of set.tools.entries()) {
      let tokens: number | undefined;
      if (counter && !signal.aborted) tokens = await counter.count(definitionText(tool), signal).catch(() => undefined);
      tools.push({ name: s.tools[i]?.name ?? tool.name, bytes: set.bytes.get(tool.name) ?? 0, tokens });
    }
    out.push({ serverName: s.serverName, tools, bytes: sum(tools.map((t) => t.bytes)) ?? 0, tokens: counter ? sum(tools.map((t) => t.tokens)) : undefined });
  }
  return { servers: out, bytes: sum(out.map((s) => s.bytes)) ?? 0, tokens: counter ? sum(out.map((s) => s.tokens)) : undefined, modelName: counter?.modelName };
}

function sorter(by: CostSort): (a: { name?: string; serverName?: string; bytes: number; tokens: number | undefined }, b: typeof a) => number {
  if (by === 'name') return (a, b) => (a.name ?? a.serverName ?? '').localeCompare(b.name ?? b.serverName ?? '');
  if (by === 'bytes') return (a, b) => b.bytes - a.bytes;
  return (a, b) => (b.tokens ?? -1) - (a.tokens ?? -1) || b.bytes - a.bytes;
}

const tok = (n: number | undefined) => (n === undefined ? '–' : String(n));
/** A table cell: inline code, and `|` kept from ending the cell. */
const cell = (text: string) => inlineCode(text, 100).replace(/\|/g, '\\|');

/** The cost as a markdown document: totals, a table of servers, then every tool, sorted by `by`. */
export function costMarkdown(cost: ContextCost, by: CostSort): string {
  const lines = [
    '# Context Cost of MCP Tools',
    '',
    `Tokens counted by ${cost.modelName ? cell(cost.modelName) : 'no model (none available): bytes only'} · sorted by ${by}.`,
    '',
    `**Total:** ${cost.servers.reduce((a, s) => a + s.tools.length, 0)} tools, ${tok(cost.tokens)} tokens, ${cost.bytes} bytes (${formatBytes(cost.bytes)}).`,
    '',
    '## Servers',
    '',
    '| Server | Tools | Tokens | Bytes |',
    '| --- | ---: | ---: | ---: |',
    ...[...cost.servers].sort(sorter(by)).map((s) => `| ${cell(s.serverName)} | ${s.tools.length} | ${tok(s.tokens)} | ${s.bytes} |`),
    '',
    '## Tools',
    '',
    '| Tool | Server | Tokens | Bytes |',
    '| --- | --- | ---: | ---: |',
    ...cost.servers
      .flatMap((s) => s.tools.map((t) => ({ ...t, serverName: s.serverName })))
      .sort(sorter(by))
      .map((t) => `| ${cell(t.name)} | ${cell(t.serverName)} | ${tok(t.tokens)} | ${t.bytes} |`),
  ];
  // Tool names are server text: the editor's link detector would make a bare file:// a link even in code.
  return breakBareFileUris(`${lines.join('\n')}\n`);
}
