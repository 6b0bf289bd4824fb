/**
 * Tooltips for the Servers view. Server text is untrusted: it is sanitized and appended as plain text to a
 * MarkdownString that has no trust, no HTML and no theme icons, so it can neither run commands nor render markup.
 */
import * as vscode from 'vscode';
import type { Prompt, Resource, ResourceTemplate, Tool } from '../../core/protocol/sdk';
import type { ServerHandle } from '../../core/server/types';
import { describeState } from '../../core/server/state';
import { sanitizeText } from '../../core/base/sanitize';
import { mixedScriptWarning } from '../../core/trust/lookalike';
import { APP_ONLY_NOTE, APP_UI_NOTE, toolMarks } from './toolMarks';
import { toolDefinitionsLine } from '../agent/costMemory';

const MAX_TEXT = 2000;

/**
 * Untrusted text as markdown that renders literally: every ASCII punctuation character is backslash-escaped
 * (no links, emphasis, HTML or code), and line breaks are kept. Unlike MarkdownString.appendText this keeps
 * ordinary spaces, so long descriptions still wrap in the hover.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, '\\$&').replace(/\n/g, '  \n');
}

class Tip {
  readonly md = new vscode.MarkdownString('', false);
  constructor() {
    this.md.isTrusted = false;
    this.md.supportHtml = false;
  }
  /** Our own bold label followed by untrusted text. */
  field(label: string, value: string | undefined): this {
    if (value === undefined || value === '') return this;
    const text = sanitizeText(value);
    this.md.appendMarkdown(`**${label}:** ${escapeMarkdown(text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text)}\n\n`);
    return this;
  }
  warnings(values: readonly string[]): this {
    for (const w of values) this.field('Warning', w);
    return this;
  }
  title(value: string): this {
    this.md.appendMarkdown(`**${escapeMarkdown(sanitizeText(value).replace(/\s+/g, ' '))}**\n\n`);
    return this;
  }
  text(value: string | undefined): this {
    if (!value) return this;
    const text = sanitizeText(value);
    this.md.appendMarkdown(`${escapeMarkdown(text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text)}\n\n`);
    return this;
  }
}

function sourceLabel(server: ServerHandle): string {
  const s = server.definition.source;
  switch (s.kind) {
    case 'userSettings':
      return 'user settings (mcpHost.servers)';
    case 'workspaceSettings':
      return `workspace settings (mcpHost.servers)${s.folder ? ` of ${s.folder}` : ''}`;
    default:
      return s.file ?? s.kind;
  }
}

export function serverTooltip(server: ServerHandle): vscode.MarkdownString {
  const lookalike = mixedScriptWarning(server.name);
  const t = new Tip().title(server.name).warnings(lookalike !== undefined ? [lookalike] : []).field('State', describeState(server.state));
  if (server.state.kind === 'error') t.field('Stderr (last lines)', server.state.stderrTail || undefined);
  const info = server.info;
  if (info) {
    t.field('Server', `${info.serverInfo.name} ${info.serverInfo.version}`)
      .field('Protocol', `${info.protocolVersion} (${info.era === 'modern' ? 'modern era: no handshake' : 'legacy era: initialize handshake'})`)
      .field('Instructions', info.instructions);
  }
  const asked = askedSummary(server);
  if (asked) t.field('Asked of MCP Host', asked);
  if (server.asked.roots) t.field('Roots given', server.asked.roots.map((r) => r.uri).join(', ') || 'none');
  else if (server.definition.entry.roots) t.field('Roots (override)', server.definition.entry.roots.join(', ') || 'none');
  if (server.logLevel) t.field('Log level', server.logLevel);
  t.field('Tool definitions', toolDefinitionsLine(server));
  const remote = server.connectionFacts;
  if (remote) {
    // A remote server has no process: where it is and how the connection goes (secrets already masked).
    return t
      .field('URL', remote.url)
      .field('Transport', remote.transport)
      .field('Session', remote.sessionId)
      .field('Last error', remote.lastError)
      .field('Reconnects', remote.reconnects ? String(remote.reconnects) : undefined)
      .field('Defined in', sourceLabel(server)).md;
  }
  const e = server.definition.entry;
  const fallback = e.command ? [e.command, ...e.args].join(' ') : e.url;
  // The working directory matters as much as the command: launchers read code and settings from it.
  const cwd = e.cwd ?? (server.definition.source.kind === 'userSettings' ? 'your home folder (default)' : 'the workspace folder (default)');
  return t.field('Command', server.commandLine ?? fallback).field('Working directory', e.url !== undefined && e.command === undefined ? undefined : cwd).field('Defined in', sourceLabel(server)).md;
}

/** "roots 2×, input 1×, language model 3×, 1 refused" (what the server asked so far), or undefined. */
function askedSummary(server: ServerHandle): string | undefined {
  const a = server.asked;
  const parts: string[] = [];
  if (a.rootsAsked) parts.push(`roots ${a.rootsAsked}×`);
  if (a.elicitations) parts.push(`input (form) ${a.elicitations}×`);
  if (a.urlElicitations) parts.push(`open a link ${a.urlElicitations}×`);
  if (a.samplings) parts.push(`language model ${a.samplings}×`);
  if (a.refused) parts.push(`${a.refused} refused`);
  return parts.length ? parts.join(', ') : undefined;
}

/** "a: string, b?: number" from a JSON object schema (a summary, not validation). */
export function summarizeArguments(schema: unknown): string {
  if (typeof schema !== 'object' || schema === null) return '';
  const s = schema as { properties?: unknown; required?: unknown };
  if (typeof s.properties !== 'object' || s.properties === null) return '';
  const required = new Set(Array.isArray(s.required) ? s.required.filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(s.properties as Record<string, unknown>)
    .map(([name, p]) => {
      const type = typeof p === 'object' && p !== null ? (p as { type?: unknown }).type : undefined;
      const t = Array.isArray(type) ? type.join(' | ') : typeof type === 'string' ? type : 'any';
      return `${name}${required.has(name) ? '' : '?'}: ${t}`;
    })
    .join(', ');
}

function annotationList(tool: Tool): string | undefined {
  const a = tool.annotations;
  if (!a) return undefined;
  const out: string[] = [];
  if (a.readOnlyHint) out.push('read-only');
  if (a.destructiveHint === true) out.push('destructive');
  if (a.idempotentHint) out.push('idempotent');
  if (a.openWorldHint) out.push('open-world');
  return out.length ? out.join(', ') : undefined;
}

/**
 * `warnings`: what listing found wrong with the item (`lists.warnings` naming it), shown first so a marked row
 * explains itself on hover.
 */
export function toolTooltip(tool: Tool, changed: boolean, warnings: readonly string[] = []): vscode.MarkdownString {
  const t = new Tip().title(tool.title ?? tool.annotations?.title ?? tool.name);
  if (changed) t.field('Warning', 'this tool changed since you approved it; you will be asked again before it runs');
  for (const w of warnings) t.field('Warning', w);
  const marks = toolMarks(tool);
  return t
    .text(tool.description)
    .field('Arguments', summarizeArguments(tool.inputSchema) || 'none')
    .field('Annotations (as claimed by the server)', annotationList(tool))
    .field('App-only', marks.appOnly ? APP_ONLY_NOTE : undefined)
    .field('App UI', marks.appUi ? `this tool ${APP_UI_NOTE}` : undefined).md;
}

export function resourceTooltip(r: Resource, warnings: readonly string[] = []): vscode.MarkdownString {
  const size = typeof r.size === 'number' ? `${r.size} bytes` : undefined;
  return new Tip().title(r.title ?? r.name).warnings(warnings).text(r.description).field('URI', r.uri).field('Type', r.mimeType).field('Size', size).md;
}

export function templateTooltip(r: ResourceTemplate, warnings: readonly string[] = []): vscode.MarkdownString {
  return new Tip().title(r.title ?? r.name).warnings(warnings).text(r.description).field('URI template', r.uriTemplate).field('Type', r.mimeType).md;
}

export function promptTooltip(p: Prompt, warnings: readonly string[] = []): vscode.MarkdownString {
  const args = (p.arguments ?? []).map((a) => `${a.name}${a.required ? '' : '?'}`).join(', ');
  return new Tip().title(p.title ?? p.name).warnings(warnings).text(p.description).field('Arguments', args || 'none').md;
}

/** The warnings about a server's lists, one per line, for the warning row under the server. */
export function listWarningsTooltip(warnings: readonly string[]): vscode.MarkdownString {
  const t = new Tip().title(`Warnings about the lists (${warnings.length})`);
  for (const w of warnings) t.text(`• ${w}`);
  return t.text('The server log has them too (click the row to open it).').md;
}

/** Plain text tooltip (stderr tails, problems). */
export function plainTooltip(text: string): string {
  const t = sanitizeText(text);
  return t.length > MAX_TEXT ? `${t.slice(0, MAX_TEXT)}…` : t;
}
