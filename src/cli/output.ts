/**
 * What the CLI writes to stdout. `json`: the MCP result as received, as JSON (characters a terminal could act on
 * are written as \u escapes: the same value, inert on a terminal). `text`: for people, built by the engine's content
 * formatting (src/core/content) and made inert (terminal escapes and invisible characters removed).
 */
import { sanitizeLabel, sanitizeText } from '../core/base/sanitize';
import { renderPromptMessages, renderResourceContents, renderToolResult } from '../core/content';
import type { CallToolResult, GetPromptResult, Prompt, ReadResourceResult, Resource, ResourceTemplate, Tool } from '../core/protocol/sdk';
import type { ListKind, OutputFormat } from './args';

// C1 controls (U+009B is a CSI on some terminals), DEL, bidi overrides and zero-width characters: JSON.stringify
// leaves them raw.
const RISKY_IN_JSON = /[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/** JSON text of `value`, two-space indented, with characters a terminal may interpret escaped. */
export function inertJson(value: unknown): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replace(RISKY_IN_JSON, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

type Item = Tool | Resource | ResourceTemplate | Prompt;

/** The key of each list in its MCP result (`tools/list` -> `tools`, ...). */
export const listKey: Record<ListKind, 'tools' | 'resources' | 'resourceTemplates' | 'prompts'> = {
  tools: 'tools',
  resources: 'resources',
  templates: 'resourceTemplates',
  prompts: 'prompts',
};

/** A list (all pages, as the engine keeps it): `{ "tools": [...] }`, or one line per item. */
export function formatList(kind: ListKind, items: readonly Item[], format: OutputFormat): string {
  if (format === 'json') return `${inertJson({ [listKey[kind]]: items })}\n`;
  if (items.length === 0) return `(no ${kind === 'templates' ? 'resource templates' : kind})\n`;
  const rows = items.map((item) => {
    const r = item as { name?: unknown; uri?: unknown; uriTemplate?: unknown; title?: unknown; description?: unknown; arguments?: unknown };
    const id = kind === 'resources' ? r.uri : kind === 'templates' ? r.uriTemplate : r.name;
    const label = sanitizeLabel(typeof id === 'string' ? id : '?', 200);
    const extra: string[] = [];
    if (kind !== 'tools' && kind !== 'prompts' && typeof r.name === 'string' && r.name !== id) extra.push(sanitizeLabel(r.name, 80));
    if (typeof r.title === 'string' && r.title !== r.name) extra.push(sanitizeLabel(r.title, 80));
    if (typeof r.description === 'string' && r.description.trim()) extra.push(sanitizeLabel(r.description.split('\n')[0] ?? '', 120));
    if (kind === 'prompts' && Array.isArray(r.arguments) && r.arguments.length) {
      const names = r.arguments.slice(0, 20).map((a: unknown) => {
        const arg = a as { name?: unknown; required?: unknown };
        return `${sanitizeLabel(typeof arg.name === 'string' ? arg.name : '?', 40)}${arg.required === true ? '' : '?'}`;
      });
      extra.push(`(${names.join(', ')})`);
    }
    return { label, extra: extra.join(' — ') };
  });
  // reduce, not Math.max(...): a list of a few hundred thousand items would overflow the argument stack.
  const width = Math.min(40, rows.reduce((w, r) => Math.max(w, r.label.length), 0));
  return rows.map((r) => (r.extra ? `${r.label.padEnd(width)}  ${r.extra}` : r.label)).join('\n') + '\n';
}

/** A tool result: the document the editor would show (whole, not cut), or the result as JSON. */
export function formatToolResult(result: CallToolResult, format: OutputFormat): string {
  if (format === 'json') return `${inertJson(result)}\n`;
  return withNewline(sanitizeText(renderToolResult(result).document.full()));
}

export function formatResource(result: ReadResourceResult, format: OutputFormat): string {
  if (format === 'json') return `${inertJson(result)}\n`;
  return withNewline(sanitizeText(renderResourceContents(result).document.full()));
}

export function formatPrompt(result: GetPromptResult, format: OutputFormat): string {
  if (format === 'json') return `${inertJson(result)}\n`;
  // Bounded like the editor's view: a prompt is read, not saved, here.
  return withNewline(sanitizeText(renderPromptMessages(result).markdown));
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
